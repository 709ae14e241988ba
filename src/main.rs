//! `second-look`: the game window, or a subcommand for authors and facilitators.

use clap::Parser;
use second_look::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    second_look::shell::install_panic_hook();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => second_look::cli::run(command, cli.game.scenarios.as_deref(), cli.game.data_dir.as_deref()),
        None => second_look::game::run(cli.game),
    }
}
