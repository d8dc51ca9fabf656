//! Subcommands: thin wrappers that call the library and report to the user.

pub mod batch;
pub mod build;
pub mod check;
pub mod fill;
pub mod forms;
pub mod watch;
