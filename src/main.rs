//! The `gongwen` command line. Exit codes: 0 success, 1 invalid content or a
//! failed build, 2 wrong usage (clap's own code).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gongwen::cmd::build::{self, Emit};
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

#[derive(Subcommand)]
enum Command {
    /// Build a notice: CONTENT (a content folder or one YAML file) → DIR/<document>.pdf.
    Build {
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
        #[command(flatten)]
        fonts: FontArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            content,
            output,
            emit,
            dpi,
            fonts,
        } => build::run_reported(&fonts.engine(), &content, &output, &emit, dpi),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
    }
}
