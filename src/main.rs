//! The `gongwen` command line. Exit codes: 0 success, 1 invalid content or a
//! failed build, 2 wrong usage (clap's own code).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gongwen::cmd::build::{self, Emit};
use gongwen::cmd::fill::{self, FillOptions};
use gongwen::cmd::forms::{self, FormsOptions};
use gongwen::{Engine, FontOptions};

/// gongwen：按 GB/T 9704-2012《党政机关公文格式》排版公文。
///
/// Writes Chinese official documents from YAML content to print-ready PDF.
#[derive(Parser)]
#[command(name = "gongwen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Font options shared by every subcommand that typesets.
#[derive(clap::Args)]
struct FontArgs {
    /// Also look for fonts in this folder (may be given several times).
    #[arg(long = "font-path", value_name = "DIR")]
    font_paths: Vec<PathBuf>,
    /// Do not look for system fonts: use only the bundled faces and --font-path.
    #[arg(long)]
    ignore_system_fonts: bool,
}

impl FontArgs {
    fn engine(&self) -> Engine {
        Engine::new(&FontOptions {
            paths: self.font_paths.clone(),
            system: !self.ignore_system_fonts,
        })
    }
}

/// What `build` and `watch` take.
#[derive(clap::Args)]
struct BuildArgs {
    /// A content folder (holding 公文.yaml) or a notice YAML file.
    content: PathBuf,
    /// Output folder.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    output: PathBuf,
    /// What to write: pdf, typ (the generated Typst source), png (one image per page).
    #[arg(long, value_delimiter = ',', default_value = "pdf")]
    emit: Vec<Emit>,
    /// Resolution of PNG pages.
    #[arg(long, default_value_t = 144.0)]
    dpi: f32,
    /// Also print how long each stage took (startup, YAML, check, templates,
    /// World, Typst, PDF, writing).
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    fonts: FontArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Build a notice: CONTENT (a content folder or one YAML file) → DIR/<document>.pdf.
    Build(BuildArgs),
    /// Build, then rebuild on every save of the content, its style or templates
    /// (the last good PDF is kept when an edit is invalid). Stop with Ctrl-C.
    Watch(BuildArgs),
    /// Check content without building: required fields, tables, the 公文 lint
    /// (发文字号, 份号, 密级, 主送机关, 版记 …) and that every character has a glyph.
    Check {
        /// A content folder or one YAML file.
        content: PathBuf,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Write the statistics form for every reporting unit (填报单位): one PDF each,
    /// all of them in one PDF for printing, and with --xlsx an Excel workbook each.
    Forms {
        /// A content folder whose notice has a statistics table (an attachment with 填报栏).
        content: PathBuf,
        /// Output folder (forms go to DIR/填报表/).
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        output: PathBuf,
        /// Units file (default: 填报单位.yaml in the content folder).
        #[arg(long, value_name = "FILE")]
        units: Option<PathBuf>,
        /// Print this 填报日期 on every form (default: left blank to fill in).
        #[arg(long)]
        date: Option<String>,
        /// Also write an Excel workbook per unit to fill in and send back.
        #[arg(long)]
        xlsx: bool,
        /// Also print the time of each stage, summed over all forms (CPU time
        /// on all cores).
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Read the returned forms (Excel workbooks, CSV or YAML) and write each unit's
    /// filled form, the 汇总表 (PDF and CSV) and a validation report.
    Fill {
        /// The content folder the forms came from.
        content: PathBuf,
        /// A returned file, or a folder of them.
        #[arg(long, value_name = "FILE|DIR")]
        data: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        output: PathBuf,
        /// Units file (default: 填报单位.yaml in the content folder).
        #[arg(long, value_name = "FILE")]
        units: Option<PathBuf>,
        /// The 汇总日期 printed on the summary (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        fonts: FontArgs,
    },
}

/// A batch succeeds only when every unit did; the others were still written.
fn batch_result(failures: &[(String, gongwen::Error)]) -> gongwen::Result<()> {
    if failures.is_empty() {
        return Ok(());
    }
    for (name, e) in failures {
        eprintln!("失败：{name}：{e}");
    }
    Err(gongwen::Error::Other(format!(
        "{} 个单位失败，其余已生成",
        failures.len()
    )))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => {
            let mut startup = gongwen::Timings::default();
            let engine = startup.time(gongwen::timings::STARTUP, || a.fonts.engine());
            let startup = a.timings.then_some(startup);
            build::run_reported(&engine, &a.content, &a.output, &a.emit, a.dpi, startup)
        }
        Command::Watch(a) => gongwen::cmd::watch::run(
            &a.fonts.engine(),
            &a.content,
            &a.output,
            &a.emit,
            a.dpi,
            a.timings,
        ),
        Command::Check { content, fonts } => gongwen::cmd::check::run(&fonts.engine(), &content)
            .map(|warnings| {
                for w in &warnings {
                    eprintln!("{w}");
                }
                eprintln!("检查完毕：没有错误，警告 {} 条", warnings.len());
            }),
        Command::Forms {
            content,
            output,
            units,
            date,
            xlsx,
            timings,
            fonts,
        } => {
            let start = std::time::Instant::now();
            let opts = FormsOptions { units, date, xlsx };
            forms::run(&fonts.engine(), &content, &output, &opts).and_then(|r| {
                eprintln!(
                    "已生成 {} 个文件，在 {}，用时 {:.2} 秒",
                    r.written.len(),
                    output.display(),
                    start.elapsed().as_secs_f64()
                );
                if timings {
                    eprint!("{}", r.timings.report());
                }
                batch_result(&r.failures)
            })
        }
        Command::Fill {
            content,
            data,
            output,
            units,
            date,
            fonts,
        } => {
            let opts = FillOptions { units, date };
            fill::run(&fonts.engine(), &content, &data, &output, &opts).and_then(|r| {
                eprint!("{}", r.text());
                eprintln!("已生成 {} 个文件，在 {}", r.written.len(), output.display());
                if r.has_errors() {
                    Err(gongwen::Error::Other(
                        "回收的数据有错误，见上（校验报告.txt）".into(),
                    ))
                } else {
                    Ok(())
                }
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Check findings already say 错误/警告 on each line.
        Err(e @ gongwen::Error::Checks(_)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
    }
}
