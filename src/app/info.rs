//! Commands that need no lint run: `explain`, `rules`, `init`.

use std::process::ExitCode;

use crate::cli::{ExplainArgs, InitArgs, RulesArgs, RulesFormat};
use crate::error::{Error, Result};
use crate::rules::{self, RULES};

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let rule = rules::rule(&args.rule).ok_or_else(|| {
        Error::usage_with_help(
            format!("unknown rule `{}`", args.rule),
            "run `ssot-lint rules` to list the rule ids",
        )
    })?;
    super::write_output(None, |out| {
        writeln!(out, "{}", rule.doc.trim_end())?;
        writeln!(out, "\nDefault severity: {}", rule.default_severity.as_str())
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode> {
    super::write_output(None, |out| match args.format {
        RulesFormat::Text => {
            let width = RULES.iter().map(|rule| rule.id.as_str().len()).max().unwrap_or(0);
            for rule in RULES {
                writeln!(
                    out,
                    "{:width$}  {:7}  {}",
                    rule.id,
                    rule.default_severity.as_str(),
                    rule.summary()
                )?;
            }
            Ok(())
        }
        RulesFormat::Json => {
            let list: Vec<_> = RULES
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "default_severity": rule.default_severity.as_str(),
                        "summary": rule.summary(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn init(args: &InitArgs) -> Result<ExitCode> {
    if args.path.exists() && !args.force {
        return Err(Error::usage_with_help(
            format!("{} already exists", args.path.display()),
            "use --force to overwrite it",
        ));
    }
    std::fs::write(&args.path, crate::config::STARTER_CONFIG)
        .map_err(|source| Error::Write { path: args.path.clone(), source })?;
    crate::stderr_line!("wrote {}; edit it, then run `ssot-lint check`", args.path.display());
    Ok(ExitCode::SUCCESS)
}
