//! Finding the config file, reading it and the rule packs it extends.

use std::path::{Path, PathBuf};

use miette::NamedSource;

use super::schema::{RawConfig, RawPyproject};
use super::{compile, Config, ConfigSource};
use crate::error::{Error, Result};

/// File names searched in each directory, in order.
const CANDIDATES: [&str; 3] = ["ssot-lint.toml", ".ssot-lint.toml", "pyproject.toml"];

/// Rule packs compiled into the binary, usable as `extend = ["builtin:<name>"]`.
const BUILTIN_PACKS: [(&str, &str); 1] =
    [("websocket-ssot", include_str!("../../rules/packs/websocket-ssot.toml"))];

/// What `ssot-lint init` writes.
pub const STARTER_CONFIG: &str = include_str!("starter.toml");

/// The compiled config and the file it came from (`None`: no config found).
pub struct LoadedConfig {
    pub config: Config,
    pub path: Option<PathBuf>,
}

/// Loads `--config FILE`, else the first config found from `cwd` upwards, else from each of
/// `paths` upwards (so `ssot-lint check examples/demo` finds the demo's own config).
pub fn load(explicit: Option<&Path>, cwd: &Path, paths: &[PathBuf]) -> Result<LoadedConfig> {
    let found = match explicit {
        Some(path) => {
            if !path.is_file() {
                return Err(Error::usage(format!(
                    "config file {} does not exist or is not a file",
                    path.display()
                )));
            }
            Some(absolute(cwd, path))
        }
        None => match discover(cwd)? {
            Some(found) => Some(found),
            None => {
                paths.iter().map(|path| absolute(cwd, path)).find_map(|path| discover(&path).ok().flatten())
            }
        },
    };
    let Some(path) = found else {
        let config = compile::compile(absolute(cwd, Path::new(".")), Vec::new())?;
        return Ok(LoadedConfig { config, path: None });
    };
    let root = path.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
    let main = read_main(&path, &root)?;
    let config = with_packs(root, main)?;
    Ok(LoadedConfig { config, path: Some(path) })
}

/// Compiles a config from TOML text as if it were `root/ssot-lint.toml` (tests and fuzzing).
pub fn from_text(text: &str, root: &Path) -> Result<Config> {
    let path = root.join("ssot-lint.toml");
    let source = ConfigSource { path, display: "ssot-lint.toml".to_string(), text: text.to_string() };
    let raw: RawConfig = parse(&source)?;
    with_packs(root.to_path_buf(), (source, raw))
}

/// Reads the packs the main config extends and compiles everything.
fn with_packs(root: PathBuf, main: (ConfigSource, RawConfig)) -> Result<Config> {
    let extends: Vec<_> =
        main.1.project.as_ref().map(|project| project.get_ref().extend.clone()).unwrap_or_default();
    let mut files = vec![main];
    for entry in extends {
        let pack = read_pack(&root, &files[0].0, entry.get_ref(), entry.span())?;
        files.push(pack);
    }
    compile::compile(root, files)
}

fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    joined.canonicalize().unwrap_or(joined)
}

/// The first config file in `start` or its ancestors. A `pyproject.toml` counts only when it
/// has a `[tool.ssot-lint]` table.
pub fn discover(start: &Path) -> Result<Option<PathBuf>> {
    let start = if start.is_file() { start.parent().unwrap_or(start) } else { start };
    for directory in start.ancestors() {
        for name in CANDIDATES {
            let candidate = directory.join(name);
            if !candidate.is_file() {
                continue;
            }
            if name != "pyproject.toml" {
                return Ok(Some(candidate));
            }
            let text = read_text(&candidate)?;
            if text.contains("ssot-lint") && pyproject_has_table(&text) {
                return Ok(Some(candidate));
            }
        }
    }
    Ok(None)
}

fn pyproject_has_table(text: &str) -> bool {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|table| table.get("tool")?.get("ssot-lint").map(|_| ()))
        .is_some()
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })
}

fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

fn read_main(path: &Path, root: &Path) -> Result<(ConfigSource, RawConfig)> {
    let text = read_text(path)?;
    let source = ConfigSource { path: path.to_path_buf(), display: display_path(root, path), text };
    let is_pyproject = path.file_name().is_some_and(|name| name == "pyproject.toml");
    let raw = if is_pyproject {
        let pyproject: RawPyproject = parse(&source)?;
        pyproject.tool.and_then(|tool| tool.ssot_lint).unwrap_or_default()
    } else {
        parse(&source)?
    };
    Ok((source, raw))
}

fn read_pack(
    root: &Path,
    parent: &ConfigSource,
    entry: &str,
    span: std::ops::Range<usize>,
) -> Result<(ConfigSource, RawConfig)> {
    let source = if let Some(name) = entry.strip_prefix("builtin:") {
        let Some((_, text)) = BUILTIN_PACKS.iter().find(|(builtin, _)| *builtin == name) else {
            let names: Vec<_> = BUILTIN_PACKS.iter().map(|(name, _)| format!("builtin:{name}")).collect();
            return Err(config_error(
                parent,
                span,
                format!("unknown built-in rule pack `{entry}`"),
                "not a built-in pack",
                Some(format!("built-in packs: {}", names.join(", "))),
            ));
        };
        ConfigSource { path: PathBuf::from(entry), display: entry.to_string(), text: (*text).to_string() }
    } else {
        let path = root.join(entry);
        let text = read_pack_text(&path).map_err(|error| {
            config_error(
                parent,
                span,
                format!("cannot read rule pack {}: {error}", path.display()),
                "extended here",
                Some("`extend` paths are relative to the config file's directory".into()),
            )
        })?;
        ConfigSource { display: display_path(root, &path), path, text }
    };
    let raw: RawConfig = parse(&source)?;
    if let Some(project) = &raw.project {
        return Err(config_error(
            &source,
            project.span(),
            "a rule pack cannot contain a [project] table".into(),
            "only the main config file sets [project]",
            Some("move these settings into the config that extends this pack".into()),
        ));
    }
    Ok((source, raw))
}

/// A rule pack must be a regular file of sane size: `/dev/zero` or a FIFO would never end.
fn read_pack_text(path: &Path) -> std::io::Result<String> {
    const MAX_PACK_SIZE: u64 = 10 * 1024 * 1024;
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if metadata.len() > MAX_PACK_SIZE {
        return Err(std::io::Error::other("larger than 10 MiB"));
    }
    std::fs::read_to_string(path)
}

fn parse<T: serde::de::DeserializeOwned>(source: &ConfigSource) -> Result<T> {
    toml::from_str(&source.text).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_string();
        config_error(source, span, format!("invalid config: {message}"), &message, None)
    })
}

/// A config error pointing at `span` of `source`.
pub(super) fn config_error(
    source: &ConfigSource,
    span: std::ops::Range<usize>,
    message: String,
    label: &str,
    help: Option<String>,
) -> Error {
    let length = span.end.saturating_sub(span.start);
    let starts = crate::source::line_starts(&source.text);
    let at = crate::source::position_in(&source.text, &starts, span.start);
    Error::Config(Box::new(crate::error::ConfigError {
        message: format!("{}:{}:{}: {message}", source.display, at.line, at.column),
        source_code: NamedSource::new(source.display.clone(), source.text.clone()),
        span: (span.start, length).into(),
        label: label.to_string(),
        help,
    }))
}
