//! Git history read straight from the object store (`trend`, `check --baseline-ref`): commits,
//! and the files `check` would lint in a clean checkout of one commit, without a checkout.
//!
//! The library is `gix` (gitoxide, pure Rust; see Cargo.toml for why). Nothing here touches the
//! work tree: a bare clone or a `--no-checkout` clone works as well as a checked-out one.
//!
//! File selection mirrors `walk::collect` on a checkout of the commit: the commit's own
//! `.gitignore` and `.ignore` files (at every level from the repository root down), hidden
//! names (a `.` first) skipped below a walked directory, `exclude` on directories and files,
//! `include` on files, symbolic links and submodules passed over (the walk does not follow
//! links). Not mirrored: `.git/info/exclude`, which is no part of a commit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::walk::escape_name;

/// An opened repository, and where the project root sits in it.
pub(crate) struct History {
    repo: gix::ThreadSafeRepository,
    /// The project root relative to the repository's top directory, `/`-separated, `""` when
    /// they are the same.
    prefix: String,
}

/// One commit of the walk.
#[derive(Clone, Debug)]
pub struct CommitInfo {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// Committer date, ISO 8601 with the committer's offset.
    pub date: String,
    /// Committer date, seconds since the epoch.
    pub seconds: i64,
    /// The first line of the message.
    pub subject: String,
}

/// Which commits to walk.
#[derive(Clone, Debug)]
pub(crate) struct WalkSpec {
    pub first_parent: bool,
    pub max_commits: usize,
    /// Only commits with a committer date at or after this (seconds since the epoch).
    pub since: Option<i64>,
    /// Keep every Nth commit, counted from the tip (which is always kept).
    pub every: usize,
}

/// The commits of a walk, oldest first, and whether the history ended early because the
/// clone is shallow.
pub struct Walked {
    pub commits: Vec<CommitInfo>,
    /// The walk reached the shallow boundary before `max_commits` (commits available).
    pub shallow_end: Option<usize>,
}

/// One file to lint in a commit's tree.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TreeFile {
    /// Path relative to the project root, as `walk` reports it (escaped for display).
    pub rel_path: String,
    pub blob: ObjectId,
    /// The language to read it as, decided as the walk decides (`walk::FileEntry::language`).
    pub language: crate::language::Language,
}

impl TreeFile {
    fn new(rel_path: String, blob: ObjectId) -> Self {
        let language = crate::language::Language::of_path(&rel_path);
        TreeFile { rel_path, blob, language }
    }
}

/// What to walk in each commit, relative to the project root: directories (`""` the root
/// itself) and files named on the command line.
#[derive(Clone, Debug, Default)]
pub struct Starts {
    pub directories: Vec<String>,
    pub files: Vec<String>,
    /// `--force-exclude`: `exclude` applies to the files named too.
    pub force_exclude: bool,
}

fn git_error(what: &str, error: impl std::fmt::Display) -> Error {
    Error::usage(format!("{what}: {error}"))
}

impl History {
    /// Opens the repository containing `cwd`; the project root (`config.root`) must be inside it.
    pub fn open(cwd: &Path, config: &Config) -> Result<Self> {
        let repo = gix::discover(cwd).map_err(|error| {
            Error::usage_with_help(
                format!("{} is not in a git repository: {error}", cwd.display()),
                "run it inside a clone (a bare or --no-checkout clone works too)",
            )
        })?;
        let top = repo.workdir().unwrap_or_else(|| repo.git_dir()).to_path_buf();
        let top = top.canonicalize().unwrap_or(top);
        let root = config.root.canonicalize().unwrap_or_else(|_| config.root.clone());
        let prefix = match root.strip_prefix(&top) {
            Ok(relative) => crate::walk::relative_path(Path::new(""), relative),
            Err(_) if repo.workdir().is_none() => String::new(),
            Err(_) => {
                return Err(Error::usage(format!(
                    "the project root {} is outside the git repository {}",
                    root.display(),
                    top.display()
                )))
            }
        };
        Ok(History { repo: repo.into_sync(), prefix })
    }

    /// A handle for this thread.
    pub fn local(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    /// A handle with an object cache, for walking trees: the trees and commits of one commit are
    /// mostly those of the one before.
    pub(crate) fn local_cached(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        repo
    }

    /// The commit `rev` names (`HEAD`, a branch, a tag, a hash).
    pub fn resolve(&self, rev: &str) -> Result<ObjectId> {
        let repo = self.local();
        let id = repo.rev_parse_single(rev).map_err(|error| {
            Error::usage_with_help(
                format!("unknown revision `{rev}`: {error}"),
                "name a commit, branch or tag of this repository (`git log --oneline` lists them)",
            )
        })?;
        let commit = id
            .object()
            .map_err(|error| git_error(&format!("cannot read `{rev}`"), error))?
            .peel_to_commit()
            .map_err(|error| git_error(&format!("`{rev}` is not a commit"), error))?;
        Ok(commit.id)
    }

    /// The best common ancestor of `one` and `two`.
    pub fn merge_base(&self, one: ObjectId, two: ObjectId) -> Result<ObjectId> {
        let repo = self.local();
        let base = repo.merge_base(one, two).map_err(|error| {
            Error::usage_with_help(
                format!("no merge base between {one} and {two}: {error}"),
                "the branches share no history here; a shallow clone may lack it (fetch with more depth)",
            )
        })?;
        Ok(base.detach())
    }

    /// Commits from `tip` as `spec` says, oldest first.
    pub fn walk(&self, tip: ObjectId, spec: &WalkSpec) -> Result<Walked> {
        let repo = self.local();
        let mut platform =
            repo.rev_walk([tip]).sorting(gix::revision::walk::Sorting::ByCommitTime(Default::default()));
        if spec.first_parent {
            platform = platform.first_parent_only();
        }
        let walk = platform.all().map_err(|error| git_error("cannot walk the history", error))?;
        let mut commits = Vec::new();
        let mut walked = 0usize;
        let mut ended = true;
        for info in walk {
            let info = info.map_err(|error| git_error("cannot walk the history", error))?;
            let commit = self.commit_info(&repo, info.id)?;
            if spec.since.is_some_and(|since| commit.seconds < since) {
                // Commit dates are not monotonic across merges; with --first-parent they are
                // close to it. A commit before --since ends the walk either way.
                ended = false;
                break;
            }
            if walked % spec.every.max(1) == 0 {
                commits.push(commit);
                if commits.len() == spec.max_commits {
                    ended = false;
                    break;
                }
            }
            walked += 1;
        }
        let shallow_end = (ended && repo.is_shallow()).then_some(walked);
        commits.reverse();
        Ok(Walked { commits, shallow_end })
    }

    pub(crate) fn commit_info(&self, repo: &gix::Repository, id: ObjectId) -> Result<CommitInfo> {
        let what = || format!("cannot read commit {id}");
        let commit = repo.find_commit(id).map_err(|error| git_error(&what(), error))?;
        let tree = commit.tree_id().map_err(|error| git_error(&what(), error))?.detach();
        let time = commit.time().map_err(|error| git_error(&what(), error))?;
        let date = time.format_or_unix(gix::date::time::format::ISO8601_STRICT);
        let subject =
            commit.message_raw_sloppy().to_string().lines().next().unwrap_or_default().trim().to_string();
        Ok(CommitInfo { id, tree, date, seconds: time.seconds, subject })
    }

    /// The project root's path prefix in the repository.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// Lists the files `check` would lint in a clean checkout of a commit's tree. Ignore files are
/// parsed once per (directory, blob) across commits.
pub(crate) struct Selector<'a> {
    config: &'a Config,
    prefix: Vec<String>,
    starts: Starts,
    ignores: HashMap<(String, ObjectId), Option<Gitignore>>,
    /// The subtrees of the previous tree listed, and of this one: consecutive commits share most
    /// subtrees, whose selection is then copied instead of walked again.
    previous: Memo,
    current: Memo,
    /// Problems met (an unreadable tree or ignore file): path, reason.
    pub problems: Vec<(String, String)>,
}

/// The ignore files that apply at one directory level.
#[derive(Clone, Default)]
struct Level {
    dot_ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
    /// Identifies the ignore files (0: none), for the subtree memo.
    id: u64,
}

/// A subtree's selected files, by (tree id, its path, the ignore files above it).
type Memo = HashMap<(ObjectId, String, u64), std::rc::Rc<Vec<TreeFile>>>;

impl<'a> Selector<'a> {
    pub fn new(config: &'a Config, history: &History, starts: Starts) -> Self {
        let prefix = history.prefix.split('/').filter(|part| !part.is_empty()).map(str::to_string).collect();
        Selector {
            config,
            prefix,
            starts,
            ignores: HashMap::new(),
            previous: Memo::new(),
            current: Memo::new(),
            problems: Vec::new(),
        }
    }

    /// The files to lint in `tree` (a commit's root tree), sorted by path.
    pub fn files(&mut self, repo: &gix::Repository, tree: ObjectId) -> Vec<TreeFile> {
        let mut out = Vec::new();
        for start in self.starts.directories.clone() {
            let mut path: Vec<String> = self.prefix.clone();
            path.extend(start.split('/').filter(|part| !part.is_empty()).map(str::to_string));
            // Ignore files of the start directory's ancestors apply below it (the walk's
            // `parents(true)`); only the start directory's own entries are filtered.
            let mut levels = Vec::new();
            let mut current = Some(tree);
            let mut git_dir = String::new();
            for name in std::iter::once(None).chain(path.iter().map(Some)) {
                if let Some(name) = name {
                    current = current.and_then(|tree| self.child(repo, tree, name, true));
                    git_dir = join(&git_dir, name);
                }
                let Some(tree) = current else { break };
                levels.push(self.level(repo, tree, &git_dir));
            }
            match current {
                Some(tree) => {
                    let rel = path[self.prefix.len()..].join("/");
                    self.visit(repo, tree, &git_dir, &rel, &mut levels, &mut out);
                }
                // Not on disk (a --no-checkout clone) and a file in this commit.
                None => {
                    if let Some(blob) = self.blob_at(repo, tree, &path.join("/")) {
                        let rel_path = display_path(&path[self.prefix.len()..]);
                        out.push(TreeFile::new(rel_path, blob));
                    }
                }
            }
        }
        for file in self.starts.files.clone() {
            let mut path: Vec<String> = self.prefix.clone();
            path.extend(file.split('/').filter(|part| !part.is_empty()).map(str::to_string));
            let Some((name, dirs)) = path.split_last() else { continue };
            let mut current = Some(tree);
            for dir in dirs {
                current = current.and_then(|tree| self.child(repo, tree, dir, true));
            }
            if let Some(blob) = current.and_then(|tree| self.child(repo, tree, name, false)) {
                let rel_path = display_path(&path[self.prefix.len()..]);
                if !(self.starts.force_exclude && self.config.exclude.is_match(&rel_path)) {
                    out.push(TreeFile::new(rel_path, blob));
                }
            }
        }
        self.previous = std::mem::take(&mut self.current);
        out.sort();
        out.dedup_by(|a, b| a.rel_path == b.rel_path);
        out
    }

    /// The regular file at `path` (relative to the repository) in `tree`.
    pub(crate) fn blob_at(&mut self, repo: &gix::Repository, tree: ObjectId, path: &str) -> Option<ObjectId> {
        let (dirs, name) = path.rsplit_once('/').unwrap_or(("", path));
        let mut current = tree;
        for dir in dirs.split('/').filter(|dir| !dir.is_empty()) {
            current = self.child(repo, current, dir, true)?;
        }
        self.child(repo, current, name, false)
    }

    /// The entry `name` of `tree`: a subtree (`want_tree`) or a regular file.
    fn child(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        name: &str,
        want_tree: bool,
    ) -> Option<ObjectId> {
        let object = self.read_tree(repo, tree, name)?;
        let entries = object.decode().ok()?;
        let entry = entries.entries.iter().find(|entry| entry.filename == name.as_bytes())?;
        let fits = if want_tree { entry.mode.is_tree() } else { entry.mode.is_blob() };
        fits.then(|| entry.oid.to_owned())
    }

    fn read_tree<'r>(
        &mut self,
        repo: &'r gix::Repository,
        tree: ObjectId,
        path: &str,
    ) -> Option<gix::Tree<'r>> {
        match repo.find_tree(tree) {
            Ok(tree) => Some(tree),
            Err(error) => {
                self.problems.push((path.to_string(), format!("cannot read the git tree {tree}: {error}")));
                None
            }
        }
    }

    fn visit(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        git_dir: &str,
        rel_dir: &str,
        levels: &mut Vec<Level>,
        out: &mut Vec<TreeFile>,
    ) {
        let Some(object) = self.read_tree(repo, tree, rel_dir) else { return };
        let Ok(decoded) = object.decode() else {
            self.problems.push((rel_dir.to_string(), format!("cannot decode the git tree {tree}")));
            return;
        };
        let entries: Vec<(Vec<u8>, gix::object::tree::EntryMode, ObjectId)> = decoded
            .entries
            .iter()
            .map(|entry| (entry.filename.to_vec(), entry.mode, entry.oid.to_owned()))
            .collect();
        for (name, mode, oid) in entries {
            if name.first() == Some(&b'.') {
                continue;
            }
            // A name that is not UTF-8 is escaped for display (as `walk` does); ignore
            // patterns are matched against its lossy text.
            let git_path = join(git_dir, &String::from_utf8_lossy(&name));
            if mode.is_tree() {
                // The memo first: a hit also stands for the ignore and exclude decisions, which
                // depend only on the path and the ignore files above it (both in the key).
                let context = levels.iter().fold(0u64, |hash, level| hash.rotate_left(7) ^ level.id);
                let key = (oid, git_path.clone(), context);
                if let Some(files) = self.previous.get(&key).cloned() {
                    out.extend(files.iter().cloned());
                    self.current.insert(key, files);
                    continue;
                }
                let rel_path = join(rel_dir, &escape_bytes(&name));
                if is_ignored(levels, &git_path, true) || self.config.exclude.is_match(&rel_path) {
                    self.current.insert(key, std::rc::Rc::default());
                    continue;
                }
                let start = out.len();
                let level = self.level(repo, oid, &git_path);
                levels.push(level);
                self.visit(repo, oid, &git_path, &rel_path, levels, out);
                levels.pop();
                self.current.insert(key, std::rc::Rc::new(out[start..].to_vec()));
            } else if mode.is_blob() {
                let rel_path = join(rel_dir, &escape_bytes(&name));
                if self.selected(levels, &git_path, false, &rel_path) {
                    out.push(TreeFile::new(rel_path, oid));
                }
            }
        }
    }

    fn selected(&self, levels: &[Level], git_path: &str, is_dir: bool, rel_path: &str) -> bool {
        !is_ignored(levels, git_path, is_dir)
            && self.config.include.is_match(rel_path)
            && !self.config.exclude.is_match(rel_path)
    }

    /// The `.ignore` and `.gitignore` files of the directory `tree` at `git_dir`.
    fn level(&mut self, repo: &gix::Repository, tree: ObjectId, git_dir: &str) -> Level {
        let Ok(object) = repo.find_tree(tree) else { return Level::default() };
        let Ok(decoded) = object.decode() else { return Level::default() };
        let find = |name: &str| {
            decoded
                .entries
                .iter()
                .find(|entry| entry.filename == name.as_bytes() && entry.mode.is_blob())
                .map(|entry| entry.oid.to_owned())
        };
        let (dot_ignore, gitignore) = (find(".ignore"), find(".gitignore"));
        let id = match (dot_ignore, gitignore) {
            (None, None) => 0,
            (one, two) => {
                let text = format!("{git_dir}\0{one:?}\0{two:?}");
                xxhash_rust::xxh3::xxh3_64(text.as_bytes()).max(1)
            }
        };
        Level {
            dot_ignore: dot_ignore.and_then(|oid| self.matcher(repo, git_dir, oid)),
            gitignore: gitignore.and_then(|oid| self.matcher(repo, git_dir, oid)),
            id,
        }
    }

    fn matcher(&mut self, repo: &gix::Repository, git_dir: &str, oid: ObjectId) -> Option<Gitignore> {
        let key = (git_dir.to_string(), oid);
        if let Some(known) = self.ignores.get(&key) {
            return known.clone();
        }
        let built = match repo.find_blob(oid) {
            Ok(blob) => {
                let mut builder = GitignoreBuilder::new(git_dir);
                for line in String::from_utf8_lossy(&blob.data).lines() {
                    // A bad pattern is skipped, as the walk's matcher does.
                    let _ = builder.add_line(None, line);
                }
                builder.build().ok()
            }
            Err(error) => {
                self.problems.push((format!("{git_dir}/.gitignore"), format!("cannot read: {error}")));
                None
            }
        };
        self.ignores.insert(key, built.clone());
        built
    }
}

/// Whether the ignore files say `git_path` (relative to the repository) is ignored. As in the
/// `ignore` crate: the deepest match of each kind wins, and `.ignore` overrides `.gitignore`.
fn is_ignored(levels: &[Level], git_path: &str, is_dir: bool) -> bool {
    let path = Path::new(git_path);
    let deepest = |pick: fn(&Level) -> Option<&Gitignore>| {
        levels
            .iter()
            .rev()
            .filter_map(pick)
            .map(|matcher| matcher.matched(path, is_dir))
            .find(|m| !m.is_none())
    };
    let decided =
        deepest(|level| level.dot_ignore.as_ref()).or_else(|| deepest(|level| level.gitignore.as_ref()));
    decided.is_some_and(|matched| matched.is_ignore())
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn display_path(parts: &[String]) -> String {
    parts.iter().map(|part| escape_bytes(part.as_bytes())).collect::<Vec<_>>().join("/")
}

/// A file name as `walk` shows it (`walk::escape_name`).
fn escape_bytes(bytes: &[u8]) -> String {
    #[cfg(unix)]
    {
        let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes);
        escape_name(name).into_owned()
    }
    #[cfg(not(unix))]
    {
        escape_name(std::ffi::OsStr::new(&String::from_utf8_lossy(bytes))).into_owned()
    }
}

/// `PATHS` as the walk starts of every commit: relative to the project root (`""` = the whole
/// project), split into directories and files by what is on disk now; a path that is not on
/// disk (a `--no-checkout` clone) is a directory, or a file in the commits where it is one.
pub fn starts(config: &Config, cwd: &Path, paths: &[PathBuf]) -> Result<Starts> {
    let mut starts = Starts::default();
    let root = config.root.canonicalize().unwrap_or_else(|_| config.root.clone());
    for given in paths {
        let absolute = if given.is_absolute() { given.clone() } else { cwd.join(given) };
        let absolute = normalize(&absolute);
        let relative = absolute.strip_prefix(&root).map_err(|_| {
            Error::usage(format!("path {} is outside the project root {}", given.display(), root.display()))
        })?;
        let relative = crate::walk::relative_path(Path::new(""), relative);
        if absolute.is_file() {
            starts.files.push(relative);
        } else {
            starts.directories.push(relative);
        }
    }
    Ok(starts)
}

/// `path` with `.` and `..` resolved (through symlinks where the path exists).
fn normalize(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
