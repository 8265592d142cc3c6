//! Linting commits from the object store, incrementally by blob (`trend`, `check --baseline-ref`).
//!
//! A commit's findings are what `check` finds in a clean checkout of it: the files
//! `history::Selector` lists, each linted by `lint::FileLinter` (the per-file pass of `check`),
//! then `lint::finish_findings` (project-wide rules, order) and phase gating. A file's result
//! depends on its content (the blob id), its path (fingerprints and module names contain it),
//! its module name and the config: results are kept by (blob, module, path) for the run and in
//! the blob cache (`cache::BlobCache`) across runs, so each distinct file version is read and
//! parsed once, and a commit costs only the files that changed in it.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use gix::ObjectId;
use rayon::prelude::*;

use crate::cache::{self, BlobCache, BlobResult};
use crate::config::Config;
use crate::finding::Finding;
use crate::history::{History, Selector, Starts, TreeFile};
use crate::lang::Language;
use crate::lint::{self, FileLinter, LintOptions, Skipped, MAX_FILE_SIZE};
use crate::walk::module_for;

/// One commit's lint, as `check` would see a checkout of it.
#[derive(Debug, Default)]
pub struct CommitLint {
    /// Files linted (skipped ones not included).
    pub files: usize,
    /// Every finding, suppressed ones included (marked), sorted; gating applied.
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
}

/// How the file results of a run were obtained.
#[derive(Clone, Copy, Debug, Default)]
pub struct BlobStats {
    /// Blobs read from the object store and linted.
    pub read: usize,
    /// Results taken from the blob cache of an earlier run.
    pub cached: usize,
}

/// A file of a commit and the key of its result.
struct Keyed {
    file: TreeFile,
    module: (String, bool),
    key: String,
}

pub struct Linter<'a> {
    config: &'a Config,
    options: &'a LintOptions,
    history: &'a History,
    selector: Selector<'a>,
    results: HashMap<String, BlobResult>,
    cache: Option<BlobCache>,
    /// Texts of `Cargo.toml` blobs (Rust module names), by blob.
    manifests: HashMap<ObjectId, Option<String>>,
    pub stats: BlobStats,
    /// Show a progress bar on stderr (a terminal).
    pub progress: bool,
}

impl<'a> Linter<'a> {
    pub fn new(config: &'a Config, options: &'a LintOptions, history: &'a History, starts: Starts) -> Self {
        let cache = options
            .cache_dir
            .as_ref()
            .map(|dir| BlobCache::open(dir, cache::key(config, &lint::settings(options))));
        Linter {
            config,
            options,
            history,
            selector: Selector::new(config, history, starts),
            results: HashMap::new(),
            cache,
            manifests: HashMap::new(),
            stats: BlobStats::default(),
            progress: false,
        }
    }

    /// Lints the trees of `commits` (their root tree ids), in order; `current_phase` gates.
    pub fn lint_trees(&mut self, trees: &[ObjectId], current_phase: Option<u32>) -> Vec<CommitLint> {
        let repo = self.history.local_cached();
        let mut listed: HashMap<ObjectId, Vec<Keyed>> = HashMap::new();
        let mut wanted: Vec<(String, ObjectId, String, (String, bool))> = Vec::new();
        let mut queued: HashSet<String> = HashSet::new();
        for &tree in trees {
            if listed.contains_key(&tree) {
                continue;
            }
            let files = self.selector.files(&repo, tree);
            let keyed: Vec<Keyed> = files
                .into_iter()
                .map(|file| {
                    let module = self.module(&repo, tree, &file.rel_path);
                    let key = format!("{}\0{}\0{}", file.blob, module.0, file.rel_path);
                    Keyed { file, module, key }
                })
                .collect();
            for item in &keyed {
                if self.results.contains_key(&item.key) || queued.contains(&item.key) {
                    continue;
                }
                if let Some(found) = self.cache.as_mut().and_then(|cache| cache.get(&item.key)) {
                    self.results.insert(item.key.clone(), found);
                    self.stats.cached += 1;
                    continue;
                }
                queued.insert(item.key.clone());
                wanted.push((
                    item.key.clone(),
                    item.file.blob,
                    item.file.rel_path.clone(),
                    item.module.clone(),
                ));
            }
            listed.insert(tree, keyed);
        }
        for (path, reason) in std::mem::take(&mut self.selector.problems) {
            crate::stderr_line!("warning: {path}: {reason}");
        }

        let linted = self.lint_blobs(wanted);
        self.stats.read += linted.len();
        for (key, result) in linted {
            if let Some(cache) = self.cache.as_mut() {
                cache.insert(key.clone(), result.clone());
            }
            self.results.insert(key, result);
        }
        trees.iter().map(|tree| self.assemble(&listed[tree], current_phase)).collect()
    }

    /// Writes the blob cache (a warning when it cannot be written).
    pub fn save_cache(self) {
        if let Some(cache) = self.cache {
            if let Err(error) = cache.save() {
                crate::stderr_line!("warning: could not write the cache: {error}");
            }
        }
    }

    /// Reads and lints each file version, in parallel.
    fn lint_blobs(
        &self,
        wanted: Vec<(String, ObjectId, String, (String, bool))>,
    ) -> Vec<(String, BlobResult)> {
        let bar = self.progress_bar(wanted.len());
        let done = AtomicUsize::new(0);
        let linter = FileLinter::new(self.config, self.options);
        let history = self.history;
        let run = || {
            wanted
                .into_par_iter()
                .map_init(
                    || history.local(),
                    |repo, (key, blob, rel_path, module)| {
                        let result = match read_blob(repo, blob) {
                            Ok(bytes) => match linter.lint_bytes(&rel_path, module, bytes) {
                                Ok(result) => BlobResult::Linted(result),
                                Err(reason) => BlobResult::Skipped(reason),
                            },
                            Err(reason) => BlobResult::Skipped(reason),
                        };
                        if let Some(bar) = &bar {
                            bar.set_position(done.fetch_add(1, Ordering::Relaxed) as u64 + 1);
                        }
                        (key, result)
                    },
                )
                .collect::<Vec<_>>()
        };
        let results = match self.options.jobs {
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
    fn assemble(&self, files: &[Keyed], current_phase: Option<u32>) -> CommitLint {
        let linter = FileLinter::new(self.config, self.options);
        let mut out = CommitLint::default();
        let mut contributions = Vec::new();
        for item in files {
            match self.results.get(&item.key) {
                Some(BlobResult::Linted(result)) => {
                    out.files += 1;
                    out.findings.extend(
                        result
                            .findings
                            .iter()
                            .filter_map(|finding| finding.to_finding(&item.file.rel_path))
                            .filter(|finding| linter.enabled(finding.rule)),
                    );
                    contributions.push(result.contribution.clone());
                }
                Some(BlobResult::Skipped(reason)) => {
                    out.skipped.push(Skipped { path: item.file.rel_path.clone(), reason: reason.clone() })
                }
                None => out.skipped.push(Skipped {
                    path: item.file.rel_path.clone(),
                    reason: "internal error: no result".to_string(),
                }),
            }
        }
        lint::finish_findings(self.config, self.options, &mut out.findings, &contributions);
        crate::gate::apply(&mut out.findings, current_phase);
        out
    }

    /// A file's module name: from its path (Python), or the commit's `Cargo.toml` files (Rust).
    fn module(&mut self, repo: &gix::Repository, tree: ObjectId, rel_path: &str) -> (String, bool) {
        if Language::of_path(rel_path) != Language::Rust {
            return module_for(self.config, rel_path);
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
fn read_blob(repo: &gix::Repository, blob: ObjectId) -> Result<Vec<u8>, String> {
    let header =
        repo.find_header(blob).map_err(|error| format!("cannot read the git blob {blob}: {error}"))?;
    if header.size() > MAX_FILE_SIZE {
        return Err(format!("file is larger than 10 MiB ({} bytes)", header.size()));
    }
    let object =
        repo.find_object(blob).map_err(|error| format!("cannot read the git blob {blob}: {error}"))?;
    Ok(object.detach().data)
}
