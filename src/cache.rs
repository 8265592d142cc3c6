//! The result cache: each file's finished findings and its contribution to the project-wide
//! rules, so a warm run reads (almost) nothing.
//!
//! One file per (ssot-lint version, config, lint settings) key, `results-<key>.bin` in the
//! cache directory (`.ssot-lint-cache/` in the project root by default). Entries are keyed by
//! the file's path and validated by its content hash (xxh3); when the file's size and mtime are
//! those recorded, and the mtime is safely older than the run that recorded it, the file is not
//! even read. Findings only depend on the file's content, its path and the key (fingerprints and
//! suppressions are computed from the content), so the cached findings are exactly what a fresh
//! run would produce.
//!
//! Safety: the cache is written to a temporary file in the same directory and renamed into
//! place, so concurrent runs never see a half-written file (the last writer wins). A file that
//! is truncated, corrupt (checksum), of another format or for another key is ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostic::FileDiagnostic;
use crate::finding::Finding;
use crate::rules::Contribution;

/// The default cache directory name, in the project root.
pub(crate) const DIR_NAME: &str = ".ssot-lint-cache";
/// Bump when the cached data or its meaning changes.
const FORMAT: u32 = 5;
const MAGIC: &[u8; 8] = b"SSOTLCv1";
/// An mtime this close to the run that recorded it is not trusted (it may have been written
/// again within the same clock tick after it was read): such a file is re-read and hashed.
const RACY: Duration = Duration::from_secs(2);

/// What a file's lint produced, as cached: its findings as they are, and its contribution (the
/// rules' own data: stored, never read here).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileResult {
    pub findings: Vec<Finding>,
    pub contribution: Contribution,
}

/// A file's size and modification time, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (`None` when the platform gives none).
    pub mtime: Option<u128>,
}

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Self {
        let mtime = metadata.modified().ok().and_then(|time| time.duration_since(UNIX_EPOCH).ok());
        Stamp { size: metadata.len(), mtime: mtime.map(|mtime| mtime.as_nanos()) }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub stamp: Stamp,
    pub hash: u64,
    /// The module name the result was computed for: a Rust file's depends on the nearest
    /// Cargo.toml, which the key does not cover (`engine` compares it before using the entry).
    pub module: String,
    pub result: FileResult,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Data {
    /// When the run that wrote this started (nanoseconds since the epoch).
    started: u128,
    entries: HashMap<String, Entry>,
}

/// How a file's cache entry relates to the file on disk.
pub(crate) enum Lookup<'a> {
    /// Same size and mtime, safely old: the result can be used without reading the file.
    Fresh(&'a Entry),
    /// Read and hash the file; the entry (if any) is valid when the hash matches.
    Verify(Option<&'a Entry>),
}

/// An open cache: what the last run stored, and where this run will store its results.
#[derive(Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
    key: u64,
    data: Data,
    started: u128,
}

/// The key of everything a file's result depends on besides the file itself: this build, the
/// config files' text (which also fixes `roots`, hence module names) and the lint settings.
pub fn key(config: &Config, settings: &str) -> u64 {
    let mut text = format!("{}\0{:016x}\0{FORMAT}\0{settings}\0", env!("CARGO_PKG_VERSION"), build_id());
    for source in &config.sources {
        text.push_str(&source.display);
        text.push('\0');
        text.push_str(&source.text);
        text.push('\0');
    }
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// What identifies this build: a hash of the running executable's bytes, so a binary built from
/// other sources (same version number or not) never serves the findings of another. Hashing a
/// release binary takes a few milliseconds and is done once per run, only when the cache is used.
/// When the executable cannot be read, the version alone (and `FORMAT`) key the cache.
fn build_id() -> u64 {
    static ID: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *ID.get_or_init(|| {
        let hash = || -> std::io::Result<u64> {
            let mut file = std::fs::File::open(std::env::current_exe()?)?;
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            let mut buffer = vec![0; 1 << 16];
            loop {
                let read = std::io::Read::read(&mut file, &mut buffer)?;
                if read == 0 {
                    return Ok(hasher.digest());
                }
                hasher.update(&buffer[..read]);
            }
        };
        hash().unwrap_or(0)
    })
}

fn now_nanos() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |now| now.as_nanos())
}

impl Cache {
    /// Opens the cache for `key` in `dir`; a missing or unreadable cache is an empty one.
    pub fn open(dir: &Path, key: u64) -> Self {
        let data = std::fs::read(results_path(dir, key))
            .ok()
            .and_then(|bytes| decode(&bytes, key))
            .unwrap_or_default();
        Cache { dir: dir.to_path_buf(), key, data, started: now_nanos() }
    }

    pub(crate) fn lookup(&self, path: &str, stamp: Stamp) -> Lookup<'_> {
        let Some(entry) = self.data.entries.get(path) else {
            return Lookup::Verify(None);
        };
        let safely_old =
            stamp.mtime.is_some_and(|mtime| mtime.saturating_add(RACY.as_nanos()) < self.data.started);
        if entry.stamp == stamp && safely_old {
            Lookup::Fresh(entry)
        } else {
            Lookup::Verify(Some(entry))
        }
    }

    /// Stores this run's entries (`updates`: path → entry). With `whole_project`, entries of
    /// files this run did not see are dropped (the file is gone or now excluded); otherwise
    /// they are kept for the next whole run. Nothing is written when nothing changed.
    pub(crate) fn save(
        mut self,
        updates: Vec<(String, Entry)>,
        seen: &[&str],
        whole_project: bool,
    ) -> std::io::Result<()> {
        let mut changed = !updates.is_empty();
        for (path, entry) in updates {
            self.data.entries.insert(path, entry);
        }
        if whole_project {
            let seen: std::collections::HashSet<&str> = seen.iter().copied().collect();
            let before = self.data.entries.len();
            self.data.entries.retain(|path, _| seen.contains(path.as_str()));
            changed |= self.data.entries.len() != before;
        }
        if !changed {
            return Ok(());
        }
        self.data.started = self.started;
        write_cache_file(&self.dir, &results_path(&self.dir, self.key), &self.data, self.key)
    }
}

/// A file version's result in the blob cache: linted, or skipped (the reason).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum BlobResult {
    Linted(FileResult),
    Skipped(FileDiagnostic),
}

/// Runs an unused blob-cache entry survives: the nightly `trend` over a sliding window of
/// commits keeps what it will need again, and the file does not grow forever.
const BLOB_RUNS_KEPT: u64 = 8;

#[derive(Debug, Default, Serialize, Deserialize)]
struct BlobData {
    /// Counts the runs that wrote this file.
    run: u64,
    /// (blob id, module, path) → (the run that last used it, result).
    entries: HashMap<String, (u64, BlobResult)>,
}

/// The results of file versions read from git objects (`trend`, `check --baseline-ref`), by
/// blob id, module name and path, in `blobs-<key>.bin` beside the results file (same key).
#[derive(Debug)]
pub(crate) struct BlobCache {
    dir: PathBuf,
    key: u64,
    data: BlobData,
    changed: bool,
}

impl BlobCache {
    /// Opens the blob cache for `key` in `dir`; a missing or unreadable one is empty.
    pub fn open(dir: &Path, key: u64) -> Self {
        let mut data: BlobData = std::fs::read(blobs_path(dir, key))
            .ok()
            .and_then(|bytes| decode(&bytes, key))
            .unwrap_or_default();
        data.run += 1;
        BlobCache { dir: dir.to_path_buf(), key, data, changed: false }
    }

    /// The cached result for `key`, marked as used by this run.
    pub fn get(&mut self, key: &str) -> Option<BlobResult> {
        let run = self.data.run;
        let (used, result) = self.data.entries.get_mut(key)?;
        self.changed |= *used != run;
        *used = run;
        Some(result.clone())
    }

    pub fn insert(&mut self, key: String, result: BlobResult) {
        self.data.entries.insert(key, (self.data.run, result));
        self.changed = true;
    }

    /// Writes the cache (when something changed), dropping entries unused for
    /// `BLOB_RUNS_KEPT` runs.
    pub(crate) fn save(mut self) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let run = self.data.run;
        self.data.entries.retain(|_, (used, _)| used.saturating_add(BLOB_RUNS_KEPT) > run);
        write_cache_file(&self.dir, &blobs_path(&self.dir, self.key), &self.data, self.key)
    }
}

/// Writes `data` to `path` in the cache directory `dir` atomically (a temporary file renamed into
/// place), creating and marking the directory, and refusing a directory that holds foreign files.
fn write_cache_file<T: Serialize>(dir: &Path, path: &Path, data: &T, key: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    if let Some(foreign) = foreign_entry(dir)? {
        return Err(std::io::Error::other(format!(
            "{} is not an ssot-lint cache directory (it holds {}); not writing into it",
            dir.display(),
            foreign.display()
        )));
    }
    mark_directory(dir);
    let bytes = encode(data, key).map_err(std::io::Error::other)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, &bytes)?;
    temp.persist(path).map_err(|error| error.error)?;
    Ok(())
}

fn blobs_path(dir: &Path, key: u64) -> PathBuf {
    dir.join(format!("blobs-{key:016x}.bin"))
}

fn results_path(dir: &Path, key: u64) -> PathBuf {
    dir.join(format!("results-{key:016x}.bin"))
}

/// A `.gitignore` so the cache is never committed, and the CACHEDIR.TAG backup tools know.
fn mark_directory(dir: &Path) {
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        let _ = std::fs::write(gitignore, format!("{GITIGNORE}*\n"));
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            tag,
            format!("{CACHEDIR_SIGNATURE}\n# This file is a cache directory tag created by ssot-lint.\n"),
        );
    }
}

/// MAGIC, key, checksum of the payload, payload (postcard).
fn encode<T: Serialize>(data: &T, key: u64) -> Result<Vec<u8>, postcard::Error> {
    let payload = postcard::to_allocvec(data)?;
    let mut bytes = Vec::with_capacity(payload.len() + 24);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], key: u64) -> Option<T> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (stored_key, rest) = rest.split_at_checked(8)?;
    let (checksum, payload) = rest.split_at_checked(8)?;
    if u64::from_le_bytes(stored_key.try_into().ok()?) != key
        || u64::from_le_bytes(checksum.try_into().ok()?) != xxhash_rust::xxh3::xxh3_64(payload)
    {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// The first entry of `dir` that ssot-lint did not write (`None`: only cache files, or empty).
/// What ssot-lint writes: `CACHEDIR.TAG`, `.gitignore`, `results-*.bin`, `blobs-*.bin` and the `.tmp*` files
/// they are written through.
fn foreign_entry(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|entry| entry.file_name()))
        .collect::<std::io::Result<_>>()?;
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_file());
        let ours = is_file
            && name.to_str().is_some_and(|name| {
                name == "CACHEDIR.TAG"
                    || (name == ".gitignore" && written_by_us(&path))
                    || ((name.starts_with("results-") || name.starts_with("blobs-"))
                        && name.ends_with(".bin"))
                    || name.starts_with(".tmp")
            });
        if !ours {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

fn written_by_us(gitignore: &Path) -> bool {
    std::fs::read(gitignore).is_ok_and(|bytes| bytes.starts_with(GITIGNORE.as_bytes()))
}

const GITIGNORE: &str = "# Created by ssot-lint.\n";
const CACHEDIR_SIGNATURE: &str = "Signature: 8a477f597d28d172789f06886806bc55";

/// Why `clean` will not remove `dir`.
#[derive(Debug)]
pub enum CleanError {
    /// Not a cache directory ssot-lint wrote; the reason names what is wrong.
    NotACache(String),
    Io(std::io::Error),
}

/// Removes a cache directory; `Ok(false)` when there was none. Only a directory that ssot-lint
/// wrote is removed: a real directory (not a symlink) with its `CACHEDIR.TAG` that holds nothing
/// but cache files; anything else is refused, so a mistyped `--cache-dir` never deletes sources.
pub fn clean(dir: &Path) -> Result<bool, CleanError> {
    let metadata = match std::fs::symlink_metadata(dir) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(CleanError::Io(error)),
    };
    if !metadata.is_dir() {
        return Err(CleanError::NotACache("it is not a directory".to_string()));
    }
    let tag = std::fs::read(dir.join("CACHEDIR.TAG")).unwrap_or_default();
    if !tag.starts_with(CACHEDIR_SIGNATURE.as_bytes()) {
        return Err(CleanError::NotACache("it has no CACHEDIR.TAG written by ssot-lint".to_string()));
    }
    if let Some(foreign) = foreign_entry(dir).map_err(CleanError::Io)? {
        return Err(CleanError::NotACache(format!(
            "it holds {}, which ssot-lint did not write",
            foreign.display()
        )));
    }
    std::fs::remove_dir_all(dir).map_err(CleanError::Io)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: u64, mtime: Option<u128>) -> Entry {
        Entry {
            stamp: Stamp { size, mtime },
            hash: 7,
            module: "a".to_string(),
            result: FileResult { findings: Vec::new(), contribution: Contribution::default() },
        }
    }

    #[test]
    fn round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), 1);
        cache.save(vec![("a.py".into(), entry(3, Some(1)))], &["a.py"], true).unwrap();
        let cache = Cache::open(dir.path(), 1);
        assert!(matches!(cache.lookup("a.py", Stamp { size: 3, mtime: Some(1) }), Lookup::Fresh(_)));
        assert!(matches!(cache.lookup("a.py", Stamp { size: 4, mtime: Some(1) }), Lookup::Verify(Some(_))));
        assert!(matches!(cache.lookup("b.py", Stamp { size: 3, mtime: Some(1) }), Lookup::Verify(None)));
        // Another key does not see it; a flipped byte makes it unreadable.
        assert!(Cache::open(dir.path(), 2).data.entries.is_empty());
        let path = results_path(dir.path(), 1);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert!(Cache::open(dir.path(), 1).data.entries.is_empty());
        std::fs::write(&path, b"garbage").unwrap();
        assert!(Cache::open(dir.path(), 1).data.entries.is_empty());
    }

    #[test]
    fn a_recent_mtime_is_verified_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let now = now_nanos();
        Cache::open(dir.path(), 1).save(vec![("a.py".into(), entry(3, Some(now)))], &["a.py"], true).unwrap();
        let cache = Cache::open(dir.path(), 1);
        assert!(matches!(cache.lookup("a.py", Stamp { size: 3, mtime: Some(now) }), Lookup::Verify(Some(_))));
    }

    #[test]
    fn partial_runs_keep_other_entries() {
        let dir = tempfile::tempdir().unwrap();
        Cache::open(dir.path(), 1).save(vec![("a.py".into(), entry(1, Some(1)))], &["a.py"], true).unwrap();
        Cache::open(dir.path(), 1).save(vec![("b.py".into(), entry(1, Some(1)))], &["b.py"], false).unwrap();
        assert_eq!(Cache::open(dir.path(), 1).data.entries.len(), 2);
        Cache::open(dir.path(), 1).save(Vec::new(), &["b.py"], true).unwrap();
        assert_eq!(Cache::open(dir.path(), 1).data.entries.len(), 1);
        assert!(dir.path().join(".gitignore").is_file());
    }

    #[test]
    fn a_directory_holding_other_files_is_never_written_into() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("module.py"), "x = 1\n").unwrap();
        let error = Cache::open(dir.path(), 1)
            .save(vec![("a.py".into(), entry(1, Some(1)))], &["a.py"], true)
            .expect_err("refused");
        assert!(error.to_string().contains("not an ssot-lint cache directory"), "{error}");
        assert!(!dir.path().join(".gitignore").exists());
        assert!(!dir.path().join("CACHEDIR.TAG").exists());
    }

    #[test]
    fn clean_removes_only_a_cache_it_wrote() {
        let parent = tempfile::tempdir().unwrap();
        let cache = parent.path().join("cache");
        assert!(matches!(clean(&cache), Ok(false)));
        Cache::open(&cache, 1).save(vec![("a.py".into(), entry(1, Some(1)))], &["a.py"], true).unwrap();
        assert!(matches!(clean(&cache), Ok(true)));
        assert!(!cache.exists());

        let sources = parent.path().join("app");
        std::fs::create_dir(&sources).unwrap();
        std::fs::write(sources.join("u.py"), "x = 1\n").unwrap();
        assert!(
            matches!(clean(&sources), Err(CleanError::NotACache(reason)) if reason.contains("CACHEDIR.TAG"))
        );
        // A tag is not enough: a cache dir that also holds a source file is kept.
        mark_directory(&sources);
        assert!(matches!(clean(&sources), Err(CleanError::NotACache(reason)) if reason.contains("u.py")));
        assert!(sources.join("u.py").is_file());
    }

    #[test]
    fn the_key_depends_on_the_build() {
        assert_ne!(build_id(), 0, "the running test binary can be read");
    }
}
