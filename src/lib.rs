//! gongwen: Chinese official documents (党政机关公文) to GB/T 9704-2012.
//!
//! The pipeline runs one way, each stage a module with one entry:
//! [`content`] (YAML → model, `Project::load`; checks walk it with
//! `content::walk`) → `render` (model → Typst source through minijinja
//! templates) → `typeset` (Typst, in process → pages, [`Engine`]) →
//! [`output`] (PDF, PNG, print volumes, atomic files). [`build`] runs the
//! middle stages for a notice; [`forms`] makes a form per reporting unit and
//! sums the returns. [`style`] holds every number of the standard.
//! The command line (`src/main.rs`, `src/cli/`) only parses arguments,
//! prints and chooses exit codes.

mod batch;
pub mod content;
pub mod error;
mod files;
pub mod forms;
mod office;
pub mod output;
mod pipeline;
mod render;
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
