//! `ssot-lint completions SHELL` and `ssot-lint man`: generated from the clap definition, so
//! they list every command and flag of this build.

use std::process::ExitCode;

use clap::CommandFactory;

use super::write_output;
use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::{Error, Result};

pub fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    use clap_complete::shells;
    let mut command = Cli::command();
    write_output(None, |out| {
        match args.shell {
            Shell::Bash => clap_complete::generate(shells::Bash, &mut command, "ssot-lint", out),
            Shell::Zsh => clap_complete::generate(shells::Zsh, &mut command, "ssot-lint", out),
            Shell::Fish => clap_complete::generate(shells::Fish, &mut command, "ssot-lint", out),
            Shell::Powershell => clap_complete::generate(shells::PowerShell, &mut command, "ssot-lint", out),
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The man page of `ssot-lint` with a section per command (`man ssot-lint`).
pub fn man() -> Result<ExitCode> {
    let command = Cli::command();
    let mut page = Vec::new();
    let io = |source| Error::Write { path: "<man page>".into(), source };
    let man = clap_mangen::Man::new(command.clone());
    // clap_mangen defines the `Aq` string before `.TH`; `.TH` goes first, as man pages start.
    let mut title = Vec::new();
    man.render_title(&mut title).map_err(io)?;
    let title = String::from_utf8_lossy(&title);
    let (th, rest): (Vec<&str>, Vec<&str>) = title.lines().partition(|line| line.starts_with(".TH "));
    for line in th.iter().chain(&rest) {
        page.extend_from_slice(line.as_bytes());
        page.push(b'\n');
    }
    man.render_name_section(&mut page).map_err(io)?;
    man.render_synopsis_section(&mut page).map_err(io)?;
    man.render_description_section(&mut page).map_err(io)?;
    man.render_options_section(&mut page).map_err(io)?;
    man.render_subcommands_section(&mut page).map_err(io)?;
    // One section per command, with its own options (clap_mangen lists only their names).
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("ssot-lint {}", sub.get_name());
        let sub = sub.clone().display_name(name.clone()).bin_name(name.clone());
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let man = clap_mangen::Man::new(sub);
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section).map_err(io)?;
        man.render_description_section(&mut section).map_err(io)?;
        man.render_options_section(&mut section).map_err(io)?;
        // The sub-page's own `.SH` headings become `.SS` subsections of this command's section.
        let section = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
        page.extend_from_slice(section.as_bytes());
    }
    man.render_extra_section(&mut page).map_err(io)?;
    man.render_version_section(&mut page).map_err(io)?;
    write_output(None, |out| out.write_all(&page))?;
    Ok(ExitCode::SUCCESS)
}
