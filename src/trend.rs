//! Linting commits from the object store, incrementally by blob (`trend`, `check --baseline-ref`).
//!
//! A commit's findings are what `check` finds in a clean checkout of it: the files
//! `history::Selector` lists, each linted by `engine::check_source` (the per-file pass of
//! `check`), then `engine::finish_findings` (project-wide rules, order) and phase gating. A file's result
//! depends on its content (the blob id), its path (fingerprints and module names contain it),
//! its module name and the config: results are kept by (blob, module, path) for the run and in
//! the blob cache (`cache::BlobCache`) across runs, so each distinct file version is read and
//! parsed once, and a commit costs only the files that changed in it.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use gix::ObjectId;
use rayon::prelude::*;

use crate::cache::{self, BlobCache, BlobResult};
use crate::config::Config;
use crate::diagnostic::{FileDiagnostic, Skipped};
use crate::engine::{self, check_source};
use crate::finding::Finding;
use crate::gate::Summary;
use crate::history::{History, Selector, Starts, TreeFile};
use crate::lang::Language;
use crate::rules;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::walk::module_for;

/// One commit's lint, as `check` would see a checkout of it.
#[derive(Debug, Default)]
pub(crate) struct CommitLint {
    /// Files linted (skipped ones not included).
    pub files: usize,
    /// Every finding, suppressed ones included (marked), sorted; gating applied.
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
}

/// How the file results of a run were obtained.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BlobStats {
    /// Blobs read from the object store and linted.
    pub read: usize,
    /// Results taken from the blob cache of an earlier run.
    pub cached: usize,
}

/// One file version: a blob at a path with a module name, and the key of its result.
struct Version {
    file: TreeFile,
    module: (String, bool),
    key: String,
}

pub(crate) struct Linter<'a> {
    config: &'a Config,
    settings: &'a Settings,
    history: &'a History,
    selector: Selector<'a>,
    /// Every file version met, once; commits list indices into it.
    versions: Vec<Version>,
    /// Python versions by path, then blob: their module follows from the path.
    by_path: HashMap<String, Vec<(ObjectId, usize)>>,
    /// Every version by key (Rust files: the module depends on the commit's manifests).
    by_key: HashMap<String, usize>,
    /// Results by version index.
    results: HashMap<usize, BlobResult>,
    cache: Option<BlobCache>,
    /// Texts of `Cargo.toml` blobs (Rust module names), by blob.
    manifests: HashMap<ObjectId, Option<String>>,
    pub stats: BlobStats,
    /// Show a progress bar on stderr (a terminal).
    pub progress: bool,
}

impl<'a> Linter<'a> {
    pub fn new(settings: &'a Settings, history: &'a History, starts: Starts) -> Self {
        let config = &settings.config;
        let cache = settings
            .cache_dir
            .as_ref()
            .map(|dir| BlobCache::open(dir, cache::key(config, &settings.cache_key())));
        Linter {
            config,
            settings,
            history,
            selector: Selector::new(config, history, starts),
            versions: Vec::new(),
            by_path: HashMap::new(),
            by_key: HashMap::new(),
            results: HashMap::new(),
            cache,
            manifests: HashMap::new(),
            stats: BlobStats::default(),
            progress: false,
        }
    }

    /// Lints the trees of `commits` (their root tree ids), in order; `current_phase` gates.
    pub(crate) fn lint_trees(&mut self, trees: &[ObjectId], current_phase: Option<u32>) -> Vec<CommitLint> {
        let mut out = Vec::with_capacity(trees.len());
        self.lint_trees_with(trees, current_phase, |lint| out.push(lint));
        out
    }

    /// `lint_trees`, handing each commit's lint to `each` in order instead of keeping them all
    /// (a large tree's findings, times hundreds of commits, do not fit in memory).
    pub(crate) fn lint_trees_with(
        &mut self,
        trees: &[ObjectId],
        current_phase: Option<u32>,
        mut each: impl FnMut(CommitLint),
    ) {
        let listed = self.prepare(trees);
        for tree in trees {
            each(self.assemble(&listed[tree], current_phase));
        }
    }

    /// For `trend`: each commit's `Summary` (what `check --format json` says in `summary`) and
    /// skipped files, in order. A file version's findings are placed and gated once per run and
    /// its summary kept: a commit then costs a sum over its files, not a copy of every finding.
    /// Summing per file gives exactly the summary of all the findings, since gating and counting
    /// are per finding; the project-wide findings (stale-registry) are added per commit.
    pub(crate) fn summarize_trees(
        &mut self,
        trees: &[ObjectId],
        current_phase: Option<u32>,
        mut each: impl FnMut(Summary, Vec<Skipped>),
    ) {
        let listed = self.prepare(trees);
        let contributes = self.contributes();
        let mut tallies: HashMap<usize, Summary> = HashMap::new();
        for tree in trees {
            let mut summary = Summary::default();
            let mut skipped = Vec::new();
            let mut contributions = Vec::new();
            for &index in &listed[tree] {
                let path = &self.versions[index].file.rel_path;
                match self.results.get(&index) {
                    Some(BlobResult::Linted(result)) => {
                        summary.files += 1;
                        if !result.findings.is_empty() {
                            let tally = tallies.entry(index).or_insert_with(|| {
                                let mut findings: Vec<Finding> = result
                                    .findings
                                    .iter()
                                    .filter(|finding| rules::reported(finding, self.settings.rules))
                                    .cloned()
                                    .collect();
                                crate::gate::apply(&mut findings, current_phase);
                                Summary::new(0, &findings)
                            });
                            add(&mut summary, tally);
                        }
                        if contributes && !result.contribution.is_empty() {
                            contributions.push(&result.contribution);
                        }
                    }
                    Some(BlobResult::Skipped(reason)) => {
                        skipped.push(Skipped { path: path.clone(), reason: reason.clone() })
                    }
                    None => skipped.push(Skipped { path: path.clone(), reason: FileDiagnostic::NoResult }),
                }
            }
            let mut project = Vec::new();
            engine::finish_findings(self.settings, &mut project, &contributions);
            crate::gate::apply(&mut project, current_phase);
            add(&mut summary, &Summary::new(0, &project));
            each(summary, skipped);
        }
    }

    /// Lists the files of every tree and lints each file version not met before (or takes its
    /// result from the blob cache); returns each tree's file versions.
    fn prepare(&mut self, trees: &[ObjectId]) -> HashMap<ObjectId, Vec<usize>> {
        let repo = self.history.local_cached();
        // Per tree, the indices of its file versions (a few bytes per file and commit).
        let mut listed: HashMap<ObjectId, Vec<usize>> = HashMap::new();
        let mut wanted: Vec<usize> = Vec::new();
        for &tree in trees {
            if listed.contains_key(&tree) {
                continue;
            }
            let files = self.selector.files(&repo, tree);
            let indices: Vec<usize> = files
                .into_iter()
                .map(|file| {
                    let (index, new) = self.version(&repo, tree, file);
                    if new {
                        wanted.push(index);
                    }
                    index
                })
                .collect();
            listed.insert(tree, indices);
        }
        for (path, reason) in std::mem::take(&mut self.selector.problems) {
            crate::stderr_line!("warning: {path}: {reason}");
        }
        // Results of earlier runs, then the rest read and linted.
        let mut to_lint = Vec::new();
        for index in wanted {
            match self.cache.as_mut().and_then(|cache| cache.get(&self.versions[index].key)) {
                Some(found) => {
                    self.results.insert(index, found);
                    self.stats.cached += 1;
                }
                None => to_lint.push(index),
            }
        }
        let linted = self.lint_blobs(&to_lint);
        self.stats.read += linted.len();
        for (index, result) in linted {
            if let Some(cache) = self.cache.as_mut() {
                cache.insert(self.versions[index].key.clone(), result.clone());
            }
            self.results.insert(index, result);
        }
        listed
    }

    /// The index of a file version, and whether it is new to this run.
    fn version(&mut self, repo: &gix::Repository, tree: ObjectId, file: TreeFile) -> (usize, bool) {
        // A Python file's module follows from its path; a Rust file's from the commit's manifests.
        let is_rust = file.language == Language::Rust;
        if !is_rust {
            let known = self
                .by_path
                .get(file.rel_path.as_str())
                .and_then(|blobs| blobs.iter().find(|(blob, _)| *blob == file.blob).map(|&(_, index)| index));
            if let Some(index) = known {
                return (index, false);
            }
        }
        let module = self.module(repo, tree, &file);
        let key = format!("{}\0{}\0{}", file.blob, module.0, file.rel_path);
        if let Some(&index) = self.by_key.get(&key) {
            return (index, false);
        }
        let index = self.versions.len();
        if !is_rust {
            self.by_path.entry(file.rel_path.clone()).or_default().push((file.blob, index));
        }
        self.by_key.insert(key.clone(), index);
        self.versions.push(Version { file, module, key });
        (index, true)
    }

    /// Writes the blob cache (a warning when it cannot be written).
    pub(crate) fn save_cache(self) {
        if let Some(cache) = self.cache {
            if let Err(error) = cache.save() {
                crate::stderr_line!("warning: could not write the cache: {error}");
            }
        }
    }

    /// Reads and lints each file version, in parallel.
    fn lint_blobs(&self, indices: &[usize]) -> Vec<(usize, BlobResult)> {
        let bar = self.progress_bar(indices.len());
        let done = AtomicUsize::new(0);
        let settings = self.settings;
        let history = self.history;
        let versions = &self.versions;
        let run = || {
            indices
                .par_iter()
                .map_init(
                    || history.local(),
                    |repo, &index| {
                        let version = &versions[index];
                        let result = match read_blob(repo, version.file.blob) {
                            Ok(bytes) => lint_blob(settings, version, bytes),
                            Err(reason) => BlobResult::Skipped(reason),
                        };
                        if let Some(bar) = &bar {
                            bar.set_position(done.fetch_add(1, Ordering::Relaxed) as u64 + 1);
                        }
                        (index, result)
                    },
                )
                .collect::<Vec<_>>()
        };
        let results = match self.settings.jobs {
            Some(jobs) => match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
                Ok(pool) => pool.install(run),
                Err(_) => run(),
            },
            None => run(),
        };
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        results
    }

    fn progress_bar(&self, len: usize) -> Option<indicatif::ProgressBar> {
        if !self.progress || len < 2 || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(len as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("linting file versions {bar:40} {pos}/{len} {eta}")
        {
            bar.set_style(style);
        }
        Some(bar)
    }

    /// One commit's findings from its files' results.
    fn assemble(&self, files: &[usize], current_phase: Option<u32>) -> CommitLint {
        let contributes = self.contributes();
        let mut out = CommitLint::default();
        let mut contributions = Vec::new();
        for &index in files {
            let path = &self.versions[index].file.rel_path;
            match self.results.get(&index) {
                Some(BlobResult::Linted(result)) => {
                    out.files += 1;
                    out.findings.extend(
                        result
                            .findings
                            .iter()
                            .filter(|finding| rules::reported(finding, self.settings.rules))
                            .cloned(),
                    );
                    if contributes && !result.contribution.is_empty() {
                        contributions.push(&result.contribution);
                    }
                }
                Some(BlobResult::Skipped(reason)) => {
                    out.skipped.push(Skipped { path: path.clone(), reason: reason.clone() })
                }
                None => out.skipped.push(Skipped { path: path.clone(), reason: FileDiagnostic::NoResult }),
            }
        }
        engine::finish_findings(self.settings, &mut out.findings, &contributions);
        crate::gate::apply(&mut out.findings, current_phase);
        out
    }

    /// Contributions are only read by the project-wide rules, on whole-project runs. Each
    /// commit gathers only the non-empty ones (gathering thousands per commit cost more than
    /// linting the changed files).
    fn contributes(&self) -> bool {
        self.settings.whole_project && rules::reads_contributions(self.settings.rules)
    }

    /// A file's module name: from its path (Python), or the commit's `Cargo.toml` files (Rust).
    fn module(&mut self, repo: &gix::Repository, tree: ObjectId, file: &TreeFile) -> (String, bool) {
        let rel_path = file.rel_path.as_str();
        if file.language != Language::Rust {
            return module_for(self.config, rel_path, file.language);
        }
        let prefix = self.history.prefix().to_string();
        let mut texts: HashMap<String, Option<String>> = HashMap::new();
        let mut dir = rel_path;
        while let Some(slash) = dir.rfind('/').or((!dir.is_empty()).then_some(0)) {
            dir = &dir[..slash];
            let path = [prefix.as_str(), dir, "Cargo.toml"]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("/");
            let text = self.selector.blob_at(repo, tree, &path).and_then(|blob| {
                self.manifests
                    .entry(blob)
                    .or_insert_with(|| {
                        repo.find_blob(blob).ok().map(|blob| String::from_utf8_lossy(&blob.data).into_owned())
                    })
                    .clone()
            });
            texts.insert(dir.to_string(), text);
        }
        let name = crate::lang::rust::module_name_with(rel_path, |dir| texts.get(dir).cloned().flatten());
        (name, false)
    }
}

/// A blob's bytes, refusing one over the size limit before reading it.
fn read_blob(repo: &gix::Repository, blob: ObjectId) -> Result<Vec<u8>, FileDiagnostic> {
    let unreadable = |error: String| FileDiagnostic::GitBlob(format!("{blob}: {error}"));
    let header = repo.find_header(blob).map_err(|error| unreadable(error.to_string()))?;
    if header.size() > engine::MAX_FILE_SIZE {
        return Err(FileDiagnostic::TooLarge(header.size()));
    }
    let object = repo.find_object(blob).map_err(|error| unreadable(error.to_string()))?;
    Ok(object.detach().data)
}

/// One file version's bytes through the engine, as `check` lints a file on disk: refused when
/// too big or binary, else every finding of every rule (the caller filters) and its contribution.
fn lint_blob(settings: &Settings, version: &Version, bytes: Vec<u8>) -> BlobResult {
    if let Err(reason) = engine::refuse(&bytes) {
        return BlobResult::Skipped(reason);
    }
    let (module, is_package) = version.module.clone();
    let file = SourceFile::with_language(
        version.file.language,
        version.file.rel_path.clone(),
        module,
        is_package,
        bytes,
    );
    let result = check_source(&file, settings);
    BlobResult::Linted(cache::FileResult { findings: result.findings, contribution: result.contribution })
}

/// Adds one summary's counts to another (`skipped` aside).
fn add(into: &mut Summary, from: &Summary) {
    into.files += from.files;
    into.findings += from.findings;
    into.gating += from.gating;
    into.suppressed += from.suppressed;
    into.baselined += from.baselined;
    for (rule, count) in &from.by_rule {
        *into.by_rule.entry(rule.clone()).or_default() += count;
    }
    for (phase, count) in &from.by_phase {
        *into.by_phase.entry(phase.clone()).or_default() += count;
    }
}
