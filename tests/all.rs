//! All integration tests, one module per file, in one test binary: Typst
//! (most of the build) links once instead of once per file.

mod common;

#[path = "archive.rs"]
mod archive;
#[path = "bad_input.rs"]
mod bad_input;
#[path = "canonical.rs"]
mod canonical;
#[path = "cli.rs"]
mod cli;
#[path = "elements.rs"]
mod elements;
#[path = "formats.rs"]
mod formats;
#[path = "forms.rs"]
mod forms;
#[path = "habits.rs"]
mod habits;
#[path = "hostile.rs"]
mod hostile;
#[path = "import.rs"]
mod import;
#[path = "invariants.rs"]
mod invariants;
#[path = "layout.rs"]
mod layout;
#[path = "no_panic.rs"]
mod no_panic;
#[path = "ofd.rs"]
mod ofd;
#[path = "robustness.rs"]
mod robustness;
#[path = "serve.rs"]
mod serve;
#[path = "structures.rs"]
mod structures;
#[path = "tables.rs"]
mod tables;
#[path = "tasks.rs"]
mod tasks;
#[path = "verbatim.rs"]
mod verbatim;
#[path = "watch.rs"]
mod watch;
#[path = "word.rs"]
mod word;
