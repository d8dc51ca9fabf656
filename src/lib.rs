//! gongwen: Chinese official documents (党政机关公文) to GB/T 9704-2012.
//!
//! Layered by import, each layer using only those above it, no cycle:
//! - base: [`error`] (one error type with places, findings, the panic
//!   guard), [`style`] (every number of the standard), [`timings`], and
//!   `files` (atomic writes) — they import no stage;
//! - office files: `office` (workbooks read bounded, CSV, returned files),
//!   knowing neither forms nor tasks;
//! - the stages, data flowing one way: [`content`] (YAML → model, checks,
//!   the one walk) → `render` (the typed view → Typst source through
//!   minijinja) → `typeset` (Typst in process → pages, [`Engine`]) →
//!   `pipeline` ([`check`], [`build`]) → [`output`] (the one writer:
//!   staging, PDF/PDF-A/PNG/OFD with one metadata, print volumes);
//! - products: [`forms`] (a form per unit, returns, the 汇总), [`tasks`]
//!   (任务分工, 督办), [`starters`] (`gongwen new`), [`import`] (`gongwen
//!   import`: Word and text drafts into content); `batch` runs their
//!   per-unit jobs;
//! - the workspace: [`serve`] (`gongwen serve`: all of the above in the
//!   browser), which nothing imports.
//!
//! The command line (`src/main.rs`, `src/cli/`) only parses arguments,
//! prints and chooses exit codes.

mod batch;
pub mod content;
pub mod error;
mod files;
pub mod forms;
pub mod import;
mod office;
pub mod output;
mod pipeline;
mod render;
pub mod serve;
pub mod starters;
pub mod style;
pub mod tasks;
pub mod timings;
mod typeset;

pub use batch::Progress;
pub use content::Project;
pub use error::{Error, Finding, Overflow, Result, Severity};
pub use pipeline::{build, check, Built};
pub use render::Rendered;
pub use typeset::{evict_cache, Engine, FontOptions, FontUse};
