//! The `gongwen` command line: arguments, what is printed, exit codes (0
//! success, 1 invalid content or a failed build, 2 wrong usage — clap's own
//! code). Everything else is the library's.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use gongwen::output::Emit;
use gongwen::{Engine, FontOptions, Severity};

/// What `build` writes (the library's `Emit`, named for the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EmitArg {
    /// The PDF.
    Pdf,
    /// The generated Typst source (and the layout library beside it).
    Typ,
    /// One PNG image per page.
    Png,
    /// OFD (GB/T 33190), the format electronic 公文 are exchanged and kept in.
    Ofd,
    /// Word (.docx), for 审签 and revision in Word or WPS.
    Docx,
}

impl From<EmitArg> for Emit {
    fn from(e: EmitArg) -> Emit {
        match e {
            EmitArg::Pdf => Emit::Pdf,
            EmitArg::Typ => Emit::Typ,
            EmitArg::Png => Emit::Png,
            EmitArg::Ofd => Emit::Ofd,
            EmitArg::Docx => Emit::Docx,
        }
    }
}

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
    #[arg(long = "font-path", value_name = "DIR", value_parser = font_dir)]
    font_paths: Vec<PathBuf>,
    /// Do not look for system fonts: use only the bundled faces and --font-path.
    #[arg(long)]
    ignore_system_fonts: bool,
    /// Refuse to print when an office's conventional face (方正小标宋简体,
    /// 仿宋_GB2312 …) is not installed, instead of using the bundled substitute.
    #[arg(long)]
    require_standard_fonts: bool,
}

/// What `forms`, `fill` and `tasks` share: where their products go, OFD
/// beside each PDF, and the fonts.
#[derive(clap::Args)]
struct ProductArgs {
    /// Output folder: everything goes to DIR/<document>/.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    output: PathBuf,
    /// Also write every PDF as OFD (GB/T 33190).
    #[arg(long)]
    ofd: bool,
    /// Also write every PDF as a Word document (.docx), for revision.
    #[arg(long)]
    docx: bool,
    /// Write the OFD to a standard: ofd-a (OFD-A, for the archive). Implies
    /// --ofd; 样式.yaml's OFD标准 does it for every OFD.
    #[arg(long, value_name = "STANDARD", value_parser = ofd_standard)]
    ofd_standard: Option<String>,
    #[command(flatten)]
    fonts: FontArgs,
}

impl ProductArgs {
    fn beside(&self) -> gongwen::output::Beside {
        gongwen::output::Beside {
            ofd: self.ofd || self.ofd_standard.is_some(),
            docx: self.docx,
            ofd_archive: self.ofd_standard.is_some(),
        }
    }
}

/// The units list of `forms` and `fill`.
#[derive(clap::Args, Debug)]
struct UnitsArg {
    /// Units file (default: 填报单位.yaml in the content folder).
    #[arg(long, value_name = "FILE")]
    units: Option<PathBuf>,
}

impl BuildArgs {
    /// What the build (and every build of `watch`) is asked for.
    fn options(&self) -> cli::build::Options {
        cli::build::Options {
            emit: self.emit.iter().map(|e| Emit::from(*e)).collect(),
            dpi: self.dpi,
            standard_fonts: self.fonts.require_standard_fonts,
            pdf_standard: self.pdf_standard.clone(),
            ofd_standard: self.ofd_standard.clone(),
        }
    }
}

impl FontArgs {
    fn engine(&self) -> Engine {
        Engine::new(&FontOptions {
            paths: self.font_paths.clone(),
            system: !self.ignore_system_fonts,
        })
    }

    /// With --require-standard-fonts, an error when `content`'s style
    /// would print with a substitute.
    fn require(&self, engine: &Engine, content: &Path) -> Result<(), gongwen::Error> {
        if self.require_standard_fonts {
            self.require_for(engine, &gongwen::Project::load(content)?.style)?;
        }
        Ok(())
    }

    /// `require` for a style already loaded.
    fn require_for(
        &self,
        engine: &Engine,
        style: &gongwen::style::Style,
    ) -> Result<(), gongwen::Error> {
        if self.require_standard_fonts {
            cli::fonts::substitutes(engine, style, true)?;
        }
        Ok(())
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
    /// What to write: pdf, typ (the generated Typst source), png (one image
    /// per page), ofd (the electronic 公文 format, GB/T 33190).
    #[arg(long, value_delimiter = ',', default_value = "pdf")]
    emit: Vec<EmitArg>,
    /// Resolution of PNG pages (10 to 1200).
    #[arg(long, default_value_t = 144.0, value_parser = dpi)]
    dpi: f32,
    /// Also print how long each stage took (startup, YAML, check, templates,
    /// World, Typst, PDF, writing).
    #[arg(long)]
    timings: bool,
    /// Write the PDF to a standard: a-2b (PDF/A-2b, for the archive), a-2u,
    /// a-3b. Overrides 样式.yaml's PDF标准.
    #[arg(long, value_name = "STANDARD", value_parser = pdf_standard)]
    pdf_standard: Option<String>,
    /// Write the OFD to a standard: ofd-a (OFD-A, for the archive). Implies
    /// --emit ofd; overrides 样式.yaml's OFD标准.
    #[arg(long, value_name = "STANDARD", value_parser = ofd_standard)]
    ofd_standard: Option<String>,
    #[command(flatten)]
    fonts: FontArgs,
}

/// `--pdf-standard`: one of the standards gongwen writes.
fn pdf_standard(s: &str) -> Result<String, String> {
    let name = gongwen::style::standard_name(s).to_lowercase();
    if !name.is_empty() && gongwen::style::PDF_STANDARDS.contains(&name.as_str()) {
        Ok(name)
    } else if name.starts_with("ofd") {
        Err(format!("“{s}”是 OFD 标准：请用 --ofd-standard ofd-a"))
    } else {
        Err(format!("“{s}”不是可用的 PDF 标准；可用：a-2b、a-2u、a-3b"))
    }
}

/// `--ofd-standard`: one of the standards gongwen writes OFD to.
fn ofd_standard(s: &str) -> Result<String, String> {
    let name = gongwen::style::standard_name(s).to_lowercase();
    if name == "ofd-a" {
        Ok("OFD-A".into())
    } else if name.starts_with("pdf") || name.starts_with("a-") {
        Err(format!(
            "“{s}”不是 OFD 标准：PDF/A 请用 --pdf-standard a-2b"
        ))
    } else {
        Err(format!(
            "“{s}”不是可用的 OFD 标准；可用：ofd-a（存档用 OFD-A）"
        ))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build a notice: CONTENT (a content folder or one YAML file) → DIR/<document>.pdf.
    Build(BuildArgs),
    /// Build, then rebuild on every save of the content, its style or templates
    /// (the last good PDF is kept when an edit is invalid). Stop with Ctrl-C.
    Watch(BuildArgs),
    /// Start a document: write DIR/公文.yaml for one kind (通知, 请示, 报告,
    /// 函, 复函, 批复, 令, 纪要, 意见, 办法), every key explained in Chinese.
    New {
        /// The kind of document.
        #[arg(value_parser = kind)]
        kind: String,
        /// The content folder to create.
        dir: PathBuf,
    },
    /// Which face prints each role (标志和标题, 正文, 一级/二级标题, 页码), and
    /// whether it is the office's conventional face or a bundled substitute.
    Fonts {
        /// A content folder whose 样式.yaml names the faces (default: the standard style).
        content: Option<PathBuf>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Start from a draft: read a Word document (.docx) or pasted text (.txt)
    /// into DIR/公文.yaml (the 版头, title, 主送, structure, tables, 附件,
    /// 署名, 版记 recognised; typed numbers removed), then check it.
    Import {
        /// The draft: .docx, or .txt (UTF-8, GBK or UTF-16).
        file: PathBuf,
        /// The content folder to write (never over an existing 公文.yaml).
        dir: PathBuf,
        #[command(flatten)]
        fonts: FontArgs,
    },
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
        #[command(flatten)]
        units: UnitsArg,
        /// Print this 填报日期 on every form, written 2019-03-20 or
        /// 2019年3月20日 (default: left blank to fill in).
        #[arg(long, value_parser = date)]
        date: Option<String>,
        /// Also write an Excel workbook per unit to fill in and send back.
        #[arg(long)]
        xlsx: bool,
        /// Also print the time of each stage, summed over all forms (CPU time
        /// on all cores).
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        product: ProductArgs,
    },
    /// 任务分工: from the plan's 事项 and 责任部门, write 任务分工表.pdf, 任务分工.csv
    /// and each department's task list (PDF and Excel); with --data, read the
    /// departments' progress and write 督办汇总.pdf and .csv.
    Tasks {
        /// A content folder whose plan lists 事项 with 责任部门.
        content: PathBuf,
        /// Progress returned by the departments: a file or a folder (their task
        /// lists in Excel, CSV `任务序号,责任部门,状态,说明`, or YAML).
        #[arg(long, value_name = "FILE|DIR")]
        data: Option<PathBuf>,
        /// The date overdue tasks are judged on (default: today).
        #[arg(long, value_parser = date)]
        date: Option<String>,
        #[command(flatten)]
        product: ProductArgs,
    },
    /// A workspace in the browser for a folder of content folders: edit with the
    /// pages beside you, download every product, drop returned forms and
    /// drafts on the page. Prints its address (with a fresh token) and opens
    /// it; stop with Ctrl-C.
    Serve {
        /// The folder holding the content folders (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to listen on (default: a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The address to listen on. Only this machine can reach the default,
        /// 127.0.0.1; any other is reachable by others on the network.
        #[arg(long, default_value = "127.0.0.1", value_parser = host)]
        host: std::net::IpAddr,
        /// Do not open the browser.
        #[arg(long)]
        no_open: bool,
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
        #[command(flatten)]
        units: UnitsArg,
        /// The 汇总日期 printed on the summary, written 2019-03-25 or
        /// 2019年3月25日 (default: today).
        #[arg(long, value_parser = date)]
        date: Option<String>,
        #[command(flatten)]
        product: ProductArgs,
    },
}

/// A command line that cannot be run: help and version as clap prints
/// them, anything else in Chinese with the usage (exit 2).
fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => {
            let why = std::error::Error::source(&e)
                .map(|s| format!("：{s}"))
                .unwrap_or_default();
            format!(
                "{} 的值“{}”无效{why}",
                get(ContextKind::InvalidArg),
                get(ContextKind::InvalidValue)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少参数：{}", get(ContextKind::InvalidArg)),
        ErrorKind::UnknownArgument => format!("没有这个选项：{}", get(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => format!(
            "没有这个命令：{}（可用：new、build、watch、serve、import、check、fonts、forms、fill、tasks）",
            get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingSubcommand => {
            "缺少命令（可用：new、build、watch、serve、import、check、fonts、forms、fill、tasks）".to_string()
        }
        _ => e.kind().to_string(),
    };
    eprintln!("错误：{message}\n用法见 gongwen --help 或 gongwen <命令> --help");
    std::process::exit(2)
}

/// A kind `gongwen new` can start.
fn kind(s: &str) -> Result<String, String> {
    match gongwen::starters::starter(s) {
        Some(_) => Ok(s.to_string()),
        None => Err(format!(
            "没有“{s}”这一文种，可选：{}",
            gongwen::starters::names()
        )),
    }
}

/// `--dpi`: a resolution a page can be rendered at (a 1200 dpi A4 page is
/// about 140 million pixels).
fn dpi(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(d) if (10.0..=1200.0).contains(&d) => Ok(d),
        _ => Err(format!("“{s}”不是 10 到 1200 之间的分辨率")),
    }
}

/// `--date`: a real date, printed as the standard writes dates.
fn date(s: &str) -> Result<String, String> {
    gongwen::content::Date::parse(s).map(|d| d.chinese())
}

/// `--host`: one address of this machine (not 0.0.0.0: requests must name
/// the address served, which an unspecified one is not).
fn host(s: &str) -> Result<std::net::IpAddr, String> {
    match s.parse::<std::net::IpAddr>() {
        Ok(ip) if !ip.is_unspecified() => Ok(ip),
        Ok(_) => Err("请给出本机的一个具体地址（如 192.168.1.10），而不是 0.0.0.0".into()),
        Err(_) => Err(format!("“{s}”不是 IP 地址")),
    }
}

/// `--font-path`: a folder that exists.
fn font_dir(s: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(s);
    if p.is_dir() {
        Ok(p)
    } else {
        Err(format!("找不到字体文件夹“{s}”"))
    }
}

/// The longest a single document may take to check or build; past it the
/// command stops with an error rather than hang (nothing is written).
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Stops the process with a message if `TIME_LIMIT` passes first.
fn watchdog() {
    std::thread::spawn(|| {
        std::thread::sleep(TIME_LIMIT);
        eprintln!(
            "错误：{} 秒内没有完成，已停止（内容是否过大，或样式、模板覆盖中有死循环？）",
            TIME_LIMIT.as_secs()
        );
        std::process::exit(1);
    });
}

/// The most memory a command may hold. Every reader of files bounds what it
/// allocates; this stops what cannot be bounded beforehand (Typst code in a
/// template override building a two-billion-element array) with a message
/// instead of an abort, before the 1 GB that any run must stay under.
const MEMORY_LIMIT_KB: u64 = 800 * 1024;

/// Stops the process with a message if its resident memory passes
/// `MEMORY_LIMIT_KB` (read from /proc on Linux; elsewhere not watched).
/// Outputs are staged: the previous ones stay, and the next run clears the
/// staging folder.
fn memory_guard() {
    let rss_kb = || {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    };
    if rss_kb().is_none() {
        return;
    }
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_millis(20));
        if rss_kb().is_some_and(|kb| kb > MEMORY_LIMIT_KB) {
            eprintln!(
                "错误：内存用量超过 {} MB，已停止（内容是否过大，或模板覆盖中有巨大的循环或数组？）；之前的输出未被改动",
                MEMORY_LIMIT_KB / 1024
            );
            std::process::exit(1);
        }
    });
}

/// How a command failed, once its messages are printed.
enum Failed {
    /// The library's error, printed as is.
    Error(gongwen::Error),
    /// A batch in which some units failed: each is listed, the rest written.
    Units(Vec<(String, gongwen::Error)>),
    /// Returns with errors (listed in the report).
    Returns,
}

impl From<gongwen::Error> for Failed {
    fn from(e: gongwen::Error) -> Failed {
        Failed::Error(e)
    }
}

/// Runs `f`, printing the time per stage afterwards when asked.
fn timed<T>(timings: bool, f: impl FnOnce() -> T) -> T {
    if !timings {
        return f();
    }
    let (out, spent) = gongwen::timings::collect(f);
    eprint!("{}", spent.report());
    out
}

/// A batch succeeds only when every unit did; the others were still written.
fn units(failures: Vec<(String, gongwen::Error)>) -> Result<(), Failed> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Failed::Units(failures))
    }
}

fn run(command: Command) -> Result<(), Failed> {
    memory_guard();
    match command {
        Command::Build(a) => timed(a.timings, || {
            watchdog();
            let start = Instant::now();
            let engine = a.fonts.engine();
            let done = cli::build::run(&engine, &a.content, &a.output, &a.options())?;
            cli::build::report(&done, &a.output, start.elapsed().as_secs_f64());
            Ok(())
        }),
        Command::Watch(a) => {
            let engine = a.fonts.engine();
            cli::watch::run(&engine, &a.content, &a.output, &a.options(), a.timings)?;
            Ok(())
        }
        Command::New { kind, dir } => {
            let file = gongwen::starters::write(&kind, &dir)?;
            eprintln!("已生成 {}", file.display());
            eprintln!(
                "修改后运行 gongwen build {} --emit png 查看各页",
                dir.display()
            );
            Ok(())
        }
        Command::Fonts { content, fonts } => {
            let style = match content {
                Some(c) => gongwen::Project::load(&c)?.style,
                None => gongwen::style::Style::default(),
            };
            let engine = fonts.engine();
            print!("{}", cli::fonts::report(&engine, &style));
            fonts.require_for(&engine, &style)?;
            Ok(())
        }
        Command::Import { file, dir, fonts } => {
            watchdog();
            let imported = gongwen::import::import(&file, &dir)?;
            for line in imported.recognised.report() {
                eprintln!("{line}");
            }
            for (key, why) in &imported.recognised.unsure {
                eprintln!("请核对（{key}）：{why}");
            }
            eprintln!("已写入 {}", imported.file.display());
            // The content as written, checked as `check` would.
            let project = gongwen::Project::load(&dir)?;
            let engine = fonts.engine();
            let findings = gongwen::check(&engine, &project);
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            for f in &findings {
                eprintln!("{f}");
            }
            eprintln!(
                "检查完毕：错误 {errors} 条，警告 {} 条",
                findings.len() - errors
            );
            if errors > 0 {
                return Err(gongwen::Error::Checks(
                    findings
                        .into_iter()
                        .filter(|f| f.severity == Severity::Error)
                        .collect(),
                )
                .into());
            }
            Ok(())
        }
        Command::Check { content, fonts } => {
            watchdog();
            let project = gongwen::Project::load(&content)?;
            let engine = fonts.engine();
            fonts.require_for(&engine, &project.style)?;
            let findings = gongwen::check(&engine, &project);
            let (errors, warnings): (Vec<_>, Vec<_>) = findings
                .into_iter()
                .partition(|f| f.severity == Severity::Error);
            if !errors.is_empty() {
                return Err(gongwen::Error::Checks(errors).into());
            }
            // A statistics form is checked as `forms` and `fill` will use
            // it, before anything is sent out.
            if gongwen::forms::has_form(&project) {
                gongwen::forms::Form::find(&project)?;
            }
            for w in &warnings {
                eprintln!("{w}");
            }
            eprintln!("检查完毕：没有错误，警告 {} 条", warnings.len());
            Ok(())
        }
        Command::Forms {
            content,
            units: list,
            date,
            xlsx,
            timings,
            product,
        } => timed(timings, || {
            let (output, fonts) = (&product.output, &product.fonts);
            let start = Instant::now();
            let bar = cli::progress::Bar::new();
            let opts = gongwen::forms::Options {
                units: list.units,
                date,
                xlsx,
                beside: product.beside(),
                progress: Some(&bar),
            };
            let engine = fonts.engine();
            fonts.require(&engine, &content)?;
            let r = gongwen::forms::distribute(&engine, &content, output, &opts)?;
            eprintln!(
                "已生成 {} 个文件，在 {}，用时 {:.2} 秒",
                r.out.files.len(),
                r.out.dir.display(),
                start.elapsed().as_secs_f64()
            );
            units(r.failures)
        }),
        Command::Tasks {
            content,
            data,
            date,
            product,
        } => {
            let beside = product.beside();
            let ProductArgs { output, fonts, .. } = product;
            watchdog();
            let engine = fonts.engine();
            fonts.require(&engine, &content)?;
            match data {
                None => {
                    let r = gongwen::tasks::assign(&engine, &content, &output, beside)?;
                    let departments = gongwen::tasks::departments(&r.tasks).len();
                    eprintln!(
                        "已生成 {} 项任务、{departments} 个部门的任务清单，在 {}",
                        r.tasks.len(),
                        r.out.dir.display()
                    );
                    Ok(())
                }
                Some(data) => {
                    let on = match date {
                        Some(d) => {
                            gongwen::content::Date::parse(&d).map_err(gongwen::Error::Usage)?
                        }
                        None => gongwen::content::Date(chrono::Local::now().date_naive()),
                    };
                    let r = gongwen::tasks::follow_up(&engine, &content, &data, &output, on)?;
                    for p in &r.problems {
                        eprintln!("提示：{p}");
                    }
                    eprintln!(
                        "已生成 督办汇总（逾期 {} 项），在 {}",
                        r.overdue,
                        r.out.dir.display()
                    );
                    if r.unreadable > 0 {
                        eprintln!("有 {} 个回报文件无法读取（见上）", r.unreadable);
                        return Err(Failed::Returns);
                    }
                    Ok(())
                }
            }
        }
        Command::Serve {
            dir,
            port,
            host,
            no_open,
            fonts,
        } => {
            if !host.is_loopback() {
                eprintln!(
                    "警告：在 {host} 上提供服务，同一网络中的其他人也能访问（仍需访问令牌）；只在本机使用请去掉 --host"
                );
            }
            let opts = gongwen::serve::Options {
                dir,
                host,
                port,
                fonts: FontOptions {
                    paths: fonts.font_paths.clone(),
                    system: !fonts.ignore_system_fonts,
                },
            };
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            gongwen::serve::serve(
                opts,
                |served| {
                    println!("{}", served.url);
                    eprintln!("gongwen 工作区已启动：在浏览器中打开上面的地址（按 Ctrl-C 停止）");
                    if !no_open && webbrowser::open(&served.url).is_err() {
                        eprintln!("提示：未能自动打开浏览器，请手动打开上面的地址");
                    }
                },
                stop,
            )?;
            eprintln!("工作区已停止");
            Ok(())
        }
        Command::Fill {
            content,
            data,
            units: list,
            date,
            product,
        } => {
            let beside = product.beside();
            let ProductArgs { output, fonts, .. } = product;
            let bar = cli::progress::Bar::new();
            let opts = gongwen::forms::Options {
                units: list.units,
                date,
                beside,
                xlsx: false,
                progress: Some(&bar),
            };
            let engine = fonts.engine();
            fonts.require(&engine, &content)?;
            let r = gongwen::forms::collect(&engine, &content, &data, &output, &opts)?;
            eprint!("{}", r.text());
            eprintln!(
                "已生成 {} 个文件，在 {}",
                r.out.files.len(),
                r.out.dir.display()
            );
            if r.has_errors() {
                Err(Failed::Returns)
            } else {
                Ok(())
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    // Panics are caught and reported in Chinese below (the library turns
    // those inside a build into errors naming the file); Rust's own English
    // panic message would only confuse.
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(|| run(cli.command)).unwrap_or_else(|panic| {
        let message = gongwen::error::panic_message(panic.as_ref());
        Err(Failed::Error(gongwen::Error::Typeset(format!(
            "内部错误（gongwen 的缺陷，请报告给维护者）：{message}"
        ))))
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failed) => {
            match failed {
                // Check findings already say 错误/警告 on each line.
                Failed::Error(e @ gongwen::Error::Checks(_)) => eprintln!("{e}"),
                Failed::Error(e) => eprintln!("错误：{e}"),
                Failed::Units(list) => {
                    for (name, e) in &list {
                        eprintln!("失败：{name}：{e}");
                    }
                    eprintln!("错误：{} 个单位失败，其余已生成", list.len());
                }
                Failed::Returns => eprintln!("错误：回收的数据有错误，见上（校验报告.txt）"),
            }
            ExitCode::from(1)
        }
    }
}
