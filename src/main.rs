use std::process::ExitCode;

use clap::Parser;
use ssot_lint::cli::{with_default_command, Cli};

// A faster allocator than the system's: each file's syntax tree is many small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = with_default_command(std::env::args_os().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return if error.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let verbose = cli.verbose;
    match ssot_lint::app::run(cli.command) {
        Ok(code) => code,
        Err(_) if ssot_lint::app::silent() => ExitCode::from(2),
        Err(error) if verbose => {
            ssot_lint::stderr_line!("{:?}", miette::Report::new(error));
            ExitCode::from(2)
        }
        Err(error) => {
            // Internal codes such as `ssot_lint::usage` mean nothing to a user: shown with --verbose.
            ssot_lint::stderr_line!("{:?}", miette::Report::new(ssot_lint::error::WithoutCode(error)));
            ExitCode::from(2)
        }
    }
}
