//! `CODEOWNERS`, as GitHub reads it, for `counts --by owner`.
//!
//! The file is looked for where GitHub looks (`.github/CODEOWNERS`, `CODEOWNERS`,
//! `docs/CODEOWNERS`, the first found wins) in the project root and, up to the git work tree's
//! root, in each directory above it; its patterns are relative to the directory holding
//! `.github/`/`docs/`. Each line is a pattern and owners; the **last** matching line wins; a
//! line without owners makes its files unowned. Patterns follow gitignore with GitHub's
//! exceptions: no `!` negation, no `[ ]` ranges, no `\#` escape. So `*.js` matches at any depth,
//! a pattern with a `/` at its start or middle is anchored to the root, a trailing `/` means the
//! directory's whole tree, a pattern naming a directory covers everything under it, and `docs/*`
//! matches only the files directly in `docs/`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// Where GitHub looks, in its order of precedence.
const LOCATIONS: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// The group of findings in files no line owns.
pub(crate) const UNOWNED: &str = "unowned";

#[derive(Debug)]
pub(crate) struct CodeOwners {
    /// One glob set per line (a pattern may need two globs: the path and its tree).
    lines: Vec<(GlobSet, Option<String>)>,
    /// The project root relative to the CODEOWNERS base directory (`""` or `"sub/dir/"`).
    prefix: String,
    /// The file read, for messages.
    pub path: PathBuf,
    /// Lines skipped, with why: `(line number, reason)`.
    pub skipped: Vec<(usize, String)>,
}

impl CodeOwners {
    /// The CODEOWNERS file governing the project at `root`, if any.
    pub fn discover(root: &Path) -> Option<std::io::Result<CodeOwners>> {
        for base in root.ancestors() {
            for location in LOCATIONS {
                let path = base.join(location);
                if path.is_file() {
                    let prefix = root.strip_prefix(base).map_or_else(
                        |_| String::new(),
                        |relative| {
                            let relative = relative.to_string_lossy().replace('\\', "/");
                            if relative.is_empty() {
                                relative
                            } else {
                                format!("{relative}/")
                            }
                        },
                    );
                    return Some(std::fs::read(&path).map(|bytes| {
                        let mut owners = CodeOwners::parse(&String::from_utf8_lossy(&bytes));
                        owners.prefix = prefix;
                        owners.path = path;
                        owners
                    }));
                }
            }
            // CODEOWNERS belongs to a repository: never look above its work tree.
            if base.join(".git").exists() {
                break;
            }
        }
        None
    }

    /// Parses the text of a CODEOWNERS file (patterns relative to its base directory).
    pub fn parse(text: &str) -> CodeOwners {
        let mut lines = Vec::new();
        let mut skipped = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let mut tokens = line.split_whitespace();
            let Some(pattern) = tokens.next().filter(|token| !token.starts_with('#')) else {
                continue;
            };
            let owners: Vec<&str> = tokens.take_while(|token| !token.starts_with('#')).collect();
            match globs(pattern) {
                Ok(globs) => lines.push((globs, (!owners.is_empty()).then(|| owners.join(" ")))),
                Err(reason) => skipped.push((index + 1, reason)),
            }
        }
        CodeOwners { lines, prefix: String::new(), path: PathBuf::new(), skipped }
    }

    /// The owners of the file at `path` (relative to the project root), space-separated, or
    /// `None` when no line owns it.
    pub(crate) fn owners(&self, path: &str) -> Option<&str> {
        // A report path may climb out of the project root (`../../rules/packs/x.toml`): resolve
        // it against the base directory; above the base, no line owns it.
        let mut segments: Vec<&str> = Vec::new();
        for segment in self.prefix.split('/').chain(path.split('/')) {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop()?;
                }
                segment => segments.push(segment),
            }
        }
        let path = segments.join("/");
        self.lines
            .iter()
            .rev()
            .find(|(globs, _)| globs.is_match(&path))
            .and_then(|(_, owners)| owners.as_deref())
    }
}

/// The globs of one CODEOWNERS pattern.
fn globs(pattern: &str) -> Result<GlobSet, String> {
    if pattern.starts_with('!') {
        return Err("`!` negation is not supported in CODEOWNERS".to_string());
    }
    let (anchored, rest) = match pattern.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let directory = rest.ends_with('/');
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        // `/` alone: the whole repository.
        return build(&["**".to_string()]);
    }
    // A slash at the start or in the middle anchors the pattern to the root (gitignore).
    let anchored = anchored || rest.contains('/');
    // `[`, `]`, `{`, `}` and `\` mean themselves here (GitHub supports no ranges or escapes).
    let mut literal = String::with_capacity(rest.len());
    for c in rest.chars() {
        if matches!(c, '[' | ']' | '{' | '}' | '\\') {
            literal.push('\\');
        }
        literal.push(c);
    }
    let base = if anchored { literal } else { format!("**/{literal}") };
    let mut patterns = Vec::new();
    if !directory {
        patterns.push(base.clone());
    }
    // What a pattern names may be a directory: it covers the tree below. `docs/*` is GitHub's
    // exception: only the files directly in `docs/`.
    if directory || !rest.ends_with("/*") {
        patterns.push(format!("{base}/**"));
    }
    build(&patterns)
}

fn build(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob: Glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|error| error.kind().to_string())?;
        builder.add(glob);
    }
    builder.build().map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(text: &str, path: &str) -> Option<String> {
        CodeOwners::parse(text).owners(path).map(str::to_string)
    }

    #[test]
    fn the_last_matching_line_wins() {
        let text = "* @global\n*.js @js-owner\n/build/logs/ @doctocat\n";
        assert_eq!(owners(text, "a/b.py").as_deref(), Some("@global"));
        assert_eq!(owners(text, "a/b.js").as_deref(), Some("@js-owner"));
        assert_eq!(owners(text, "build/logs/x/y.js").as_deref(), Some("@doctocat"));
        assert_eq!(owners("*.js @js\n* @all\n", "a.js").as_deref(), Some("@all"));
    }

    /// The examples of GitHub's CODEOWNERS documentation.
    #[test]
    fn githubs_documented_examples() {
        // `docs/*`: files directly in docs/, not deeper.
        assert_eq!(
            owners("docs/* docs@example.com\n", "docs/getting-started.md").as_deref(),
            Some("docs@example.com")
        );
        assert_eq!(owners("docs/* docs@example.com\n", "docs/build-app/troubleshooting.md"), None);
        // `apps/`: an apps directory anywhere.
        assert_eq!(owners("apps/ @octocat\n", "apps/x.py").as_deref(), Some("@octocat"));
        assert_eq!(owners("apps/ @octocat\n", "web/apps/x/y.py").as_deref(), Some("@octocat"));
        assert_eq!(owners("apps/ @octocat\n", "apps.py"), None);
        // `/docs/`: the docs directory at the root, everything below.
        assert_eq!(owners("/docs/ @doctocat\n", "docs/a/b.md").as_deref(), Some("@doctocat"));
        assert_eq!(owners("/docs/ @doctocat\n", "src/docs/a.md"), None);
        // `/scripts/` owned, then a line without owners makes a subtree unowned.
        let text = "/apps/ @octocat\n/apps/github\n";
        assert_eq!(owners(text, "apps/x.py").as_deref(), Some("@octocat"));
        assert_eq!(owners(text, "apps/github/x.py"), None);
        // `**/logs`: a logs directory anywhere.
        assert_eq!(owners("**/logs @octocat\n", "build/logs/a.txt").as_deref(), Some("@octocat"));
        assert_eq!(owners("**/logs @octocat\n", "logs/a.txt").as_deref(), Some("@octocat"));
        // A pattern with a middle slash is anchored; one without matches at any depth.
        assert_eq!(owners("app/core @core\n", "app/core/x.py").as_deref(), Some("@core"));
        assert_eq!(owners("app/core @core\n", "lib/app/core/x.py"), None);
        assert_eq!(owners("core @core\n", "lib/app/core/x.py").as_deref(), Some("@core"));
        // `*` does not cross a `/`, `**` does.
        assert_eq!(owners("/src/*.py @py\n", "src/a/b.py"), None);
        assert_eq!(owners("/src/**/*.py @py\n", "src/a/b.py").as_deref(), Some("@py"));
    }

    #[test]
    fn comments_owner_lists_and_unsupported_syntax() {
        let text = "# a comment\n\n/app/  @org/team-a  @alice  # trailing comment\n!app/x.py @nobody\n";
        let parsed = CodeOwners::parse(text);
        assert_eq!(parsed.owners("app/y.py"), Some("@org/team-a @alice"));
        assert_eq!(parsed.owners("app/x.py"), Some("@org/team-a @alice"), "negation is skipped");
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].0, 4);
        // Brackets are literal characters, not ranges.
        assert_eq!(owners("/a[1].py @x\n", "a[1].py").as_deref(), Some("@x"));
        assert_eq!(owners("/a[1].py @x\n", "a1.py"), None);
    }

    #[test]
    fn discovery_prefers_dot_github_and_stops_at_the_work_tree() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join(".github")).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(root.join("sub/project")).unwrap();
        std::fs::write(root.join("CODEOWNERS"), "* @root-file\n").unwrap();
        std::fs::write(root.join("docs/CODEOWNERS"), "* @docs-file\n").unwrap();
        std::fs::write(root.join(".github/CODEOWNERS"), "* @github-file\n/sub/project/app/ @app\n").unwrap();
        let found = CodeOwners::discover(&root.join("sub/project")).unwrap().unwrap();
        assert!(found.path.ends_with(".github/CODEOWNERS"));
        // Paths are matched relative to the repository root, not the project root.
        assert_eq!(found.owners("app/x.py"), Some("@app"));
        assert_eq!(found.owners("lib/x.py"), Some("@github-file"));
        // Report paths that climb out of the project root resolve against the base.
        assert_eq!(found.owners("../../app/x.py"), Some("@github-file"));
        assert_eq!(found.owners("../project/app/x.py"), Some("@app"));
        assert_eq!(found.owners("../../../outside.py"), None);
        std::fs::remove_file(root.join(".github/CODEOWNERS")).unwrap();
        let found = CodeOwners::discover(root).unwrap().unwrap();
        assert!(found.path.ends_with("CODEOWNERS") && !found.path.ends_with("docs/CODEOWNERS"));
        let bare = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(bare.path().join(".git")).unwrap();
        assert!(CodeOwners::discover(bare.path()).is_none());
    }
}
