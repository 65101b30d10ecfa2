//! `ssg-coord`: parse the command line, run the subcommand, map the outcome to an exit code.

mod config;
mod discover;
mod merge;

fn main() {}
