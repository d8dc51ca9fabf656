//! The subcommands' reporting: what each prints and how it ends. The work
//! itself is the library's.

pub mod build;
pub mod fonts;
pub mod progress;
pub mod watch;
