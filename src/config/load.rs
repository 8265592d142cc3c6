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
///
/// The project root (what report paths, module names and relative paths in the config are
/// relative to) is `[project] root` when the config sets it (relative to the config file's
/// directory); else, as under ruff, the current directory for `--config FILE` and the config
/// file's directory for a discovered one.
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
    let config_dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
    let default_root = if explicit.is_some() { absolute(cwd, Path::new(".")) } else { config_dir.clone() };
    let (mut source, raw) = read_main(&path, &default_root)?;
    let root = match raw.project.as_ref().and_then(|project| project.get_ref().root.clone()) {
        Some(root) => project_root_setting(&source, &config_dir, &root)?,
        None => default_root,
    };
    source.display = display_path(&root, &path);
    let config = with_packs(root, (source, raw))?;
    Ok(LoadedConfig { config, path: Some(path) })
}

/// `[project] root`: a directory, relative to the config file's directory.
fn project_root_setting(
    source: &ConfigSource,
    config_dir: &Path,
    root: &toml::Spanned<String>,
) -> Result<PathBuf> {
    let path = config_dir.join(root.get_ref());
    match path.canonicalize() {
        Ok(path) if path.is_dir() => Ok(path),
        _ => Err(config_error(
            source,
            root.span(),
            format!("project root {} is not a directory", path.display()),
            "not a directory",
            Some("`root` is relative to the config file's directory".into()),
        )),
    }
}

/// The project root without compiling the config (for `clean`, which must work with a broken
/// config): as `load` finds it, with `[project] root` read when the file parses.
pub fn project_root(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    let (path, default_root) = match explicit {
        Some(path) => {
            if !path.is_file() {
                return Err(Error::usage(format!(
                    "config file {} does not exist or is not a file",
                    path.display()
                )));
            }
            (absolute(cwd, path), absolute(cwd, Path::new(".")))
        }
        None => match discover(cwd)? {
            Some(path) => {
                let dir = path.parent().map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
                (path, dir)
            }
            None => return Ok(cwd.to_path_buf()),
        },
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    let project = if path.file_name().is_some_and(|name| name == "pyproject.toml") {
        table.get("tool").and_then(|tool| tool.get("ssot-lint")).and_then(|config| config.get("project"))
    } else {
        table.get("project")
    };
    let root = project.and_then(|project| project.get("root")).and_then(toml::Value::as_str);
    let config_dir = path.parent().map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    Ok(root.and_then(|root| config_dir.join(root).canonicalize().ok()).unwrap_or(default_root))
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
        let text = pack_location(root, Path::new(entry), &path).and_then(|()| read_pack_text(&path)).map_err(|error| {
            config_error(
                parent,
                span.clone(),
                format!("cannot read rule pack {}: {error}", path.display()),
                "extended here",
                Some("`extend` paths are relative to the project root; a pack outside the project and its repository needs an absolute path".into()),
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

/// Where a rule pack may be read from: under the project root or the git work tree holding it,
/// or anywhere else when written as an absolute path, but never under `/proc`, `/sys` or `/dev`
/// (`/proc/self/environ` would put the environment, CI secrets included, into the error).
fn pack_location(root: &Path, given: &Path, path: &Path) -> std::io::Result<()> {
    const SYSTEM: [&str; 3] = ["/proc", "/sys", "/dev"];
    let resolved = path.canonicalize()?;
    if SYSTEM.iter().any(|system| path.starts_with(system) || resolved.starts_with(system)) {
        return Err(std::io::Error::other("not a config file (under /proc, /sys or /dev)"));
    }
    if given.is_absolute() {
        return Ok(());
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let repository = root.ancestors().find(|dir| dir.join(".git").exists());
    if resolved.starts_with(&root) || repository.is_some_and(|repository| resolved.starts_with(repository)) {
        return Ok(());
    }
    Err(std::io::Error::other(
        "outside the project root and its repository (write an absolute path to extend a file elsewhere)",
    ))
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

/// The text an error shows around `span`. A TOML file is shown as is (miette prints the lines
/// around the span); a file that does not look like TOML (NUL bytes, or a line over
/// `MAX_LINE` characters) only as the part of the offending line near the span, so an error
/// never dumps a whole binary or one-line file.
fn snippet(text: &str, span: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    const MAX_LINE: usize = 400;
    const AROUND: usize = 80;
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |index| index + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |index| end + index);
    let looks_like_toml = !text.contains('\0') && text.lines().all(|line| line.len() <= MAX_LINE);
    if looks_like_toml {
        return (text.to_string(), start..end);
    }
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let from = floor(start.saturating_sub(AROUND).max(line_start));
    let to = floor((end.min(start + AROUND) + AROUND).min(line_end));
    let shown: String =
        text[from..to].chars().map(|c| if c.is_control() && c != '\t' { '\u{fffd}' } else { c }).collect();
    // Replacing a control character by U+FFFD changes byte lengths: recompute the span.
    let prefix: String =
        text[from..start].chars().map(|c| if c.is_control() && c != '\t' { '\u{fffd}' } else { c }).collect();
    let covered: String = text[start..end.min(to).max(start)]
        .chars()
        .map(|c| if c.is_control() && c != '\t' { '\u{fffd}' } else { c })
        .collect();
    (shown, prefix.len()..prefix.len() + covered.len())
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
    let starts = crate::source::line_starts(&source.text);
    let at = crate::source::position_in(&source.text, &starts, span.start);
    let (snippet, span) = snippet(&source.text, span);
    let length = span.end.saturating_sub(span.start);
    Error::Config(Box::new(crate::error::ConfigError {
        message: format!("{}:{}:{}: {message}", source.display, at.line, at.column),
        source_code: NamedSource::new(source.display.clone(), snippet),
        span: (span.start, length).into(),
        label: label.to_string(),
        help,
    }))
}
