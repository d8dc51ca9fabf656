//! Subcommands: thin wrappers that call the library and report to the user.

pub mod build;
