//! The GitHub Action's script (`ci/github-action.sh`, what `action.yml` runs) on the demo, with
//! temp files standing in for GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_PATH, and its download
//! of a release binary from a release layout served on loopback. Unix only: the script is bash,
//! and these tests build PATHs and executables the Unix way (the Windows .zip path of the
//! download is not tested here).
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

/// A fake GitHub workspace holding the demo (in a subdirectory, with the pack it extends).
struct Workspace {
    temp: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        copy_tree(&repo_dir().join("examples/chat-backend"), &temp.path().join("examples/chat-backend"));
        copy_tree(&repo_dir().join("rules/packs"), &temp.path().join("rules/packs"));
        init_git(temp.path());
        init_git(temp.path());
        std::fs::create_dir(temp.path().join("github")).expect("mkdir");
        Workspace { temp }
    }

    fn root(&self) -> PathBuf {
        self.temp.path().canonicalize().expect("canonical temp dir")
    }

    fn demo(&self) -> PathBuf {
        self.root().join("examples/chat-backend")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.root().join("github").join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// `github-action.sh <mode>` run from the demo directory, as a workflow step would.
    fn script(&self, mode: &str, env: &[(&str, &str)]) -> Command {
        let mut command = Command::new("bash");
        command
            .arg(repo_dir().join("ci/github-action.sh"))
            .arg(mode)
            .current_dir(self.demo())
            .env("GITHUB_WORKSPACE", self.root())
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("GITHUB_PATH", self.file("path"))
            .env("SSOT_LINT_BIN", env!("CARGO_BIN_EXE_ssot-lint"))
            .env("NO_COLOR", "1");
        for (key, value) in env {
            command.env(key, value);
        }
        command
    }
}

fn run(mut command: Command) -> (Option<i32>, String, String) {
    let output = command.output().expect("run bash");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stdout, stderr)
}

#[test]
fn action_gates_writes_outputs_summary_and_sarif_for_the_demo() {
    let workspace = Workspace::new();
    let command = workspace.script("run", &[("SSOT_LINT_SARIF_FILE", "out.sarif")]);
    let (code, stdout, stderr) = run(command);
    assert_eq!(code, Some(1), "gating findings fail the step\n{stderr}");

    let outputs = outputs(&workspace.read("output"));
    assert_eq!(outputs.keys().collect::<Vec<_>>(), ["counts", "gating", "sarif-file", "violations"]);
    assert_eq!((outputs["violations"].as_str(), outputs["gating"].as_str()), ("49", "18"));
    assert_eq!(outputs["sarif-file"], "out.sarif");
    // Without a phase override, `counts` is exactly `ssot-lint counts --format json`.
    let counts = ssot_lint()
        .current_dir(workspace.demo())
        .args(["counts", "--format", "json"])
        .output()
        .expect("counts");
    let expected: Value = serde_json::from_slice(&counts.stdout).expect("counts JSON");
    assert_eq!(serde_json::from_str::<Value>(&outputs["counts"]).expect("counts output is JSON"), expected);
    assert_eq!(
        phase_rows(&outputs["counts"]),
        // The two stale-registry findings count under their entries' phases 3 and 4.
        rows(&[("1", 5, 4), ("2", 14, 14), ("3", 17, 0), ("4", 12, 0), ("none", 1, 0)])
    );
    insta::assert_snapshot!("action_step_summary", workspace.read("summary.md"));

    // Annotations, with paths GitHub resolves from the repository root.
    let annotations: Vec<&str> = stdout.lines().filter(|line| line.starts_with("::")).collect();
    assert_eq!(annotations.len(), 50, "49 findings and the closing notice");
    assert!(annotations.contains(
        &"::warning file=rules/packs/websocket-ssot.toml,line=75,col=1,endLine=75,endColumn=12,title=ssot-lint (stale-registry)::canonical factory netra_backend.app.websocket_core.unified_manager.UnifiedWebSocketManager.create_for_user of concept websocket-manager is defined nowhere in the linted tree"
    ));
    assert!(annotations[1].starts_with(
        "::warning file=examples/chat-backend/netra_backend/app/agents/base/executor.py,line=14,col=68,"
    ));
    assert!(stderr.contains("18 gating findings (phases <= 2); 31 more reported as warnings"), "{stderr}");

    // SARIF for upload-sarif: the same rebasing, against the workspace.
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.demo().join("out.sarif")).expect("SARIF written"),
    )
    .expect("SARIF is JSON");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", workspace.root().display())
    );
    let uris: Vec<&str> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("uri")
        })
        .collect();
    // 49 findings, then the one suppressed finding (with its `suppressions[]`).
    assert_eq!(uris.len(), 50);
    assert_eq!(uris[0], "rules/packs/websocket-ssot.toml");
    assert_eq!(uris[1], "examples/chat-backend/netra_backend/app/agents/base/executor.py");
    assert_eq!(uris[48], "examples/chat-backend/ssot-lint.toml");
    assert_eq!(uris[49], "examples/chat-backend/netra_backend/app/routes/websocket_routes.py");
    assert_eq!(run["results"][49]["suppressions"][0]["kind"], "inSource");
}

#[test]
fn summary_by_owner_adds_a_table_from_codeowners() {
    let workspace = Workspace::new();
    // The repository's CODEOWNERS: its patterns are relative to the workspace, not the demo.
    std::fs::create_dir_all(workspace.root().join(".github")).expect("mkdir");
    std::fs::write(
        workspace.root().join(".github/CODEOWNERS"),
        "* @org/platform\n/examples/chat-backend/netra_backend/app/routes/ @org/routes\n/rules/ @org/rules\n",
    )
    .expect("write CODEOWNERS");
    let (code, _, stderr) = run(workspace.script("run", &[("SSOT_LINT_SUMMARY_BY", "owner")]));
    assert_eq!(code, Some(1), "{stderr}");
    let summary = workspace.read("summary.md");
    let table = summary.split("### ssot-lint: violations by owner").nth(1).expect("the owner table");
    assert!(table.contains("| @org/routes |"), "{summary}");
    assert!(table.contains("| @org/platform |"), "{summary}");
    // The pack the demo extends lives outside it (`../../rules/packs/...`): owned by `/rules/`.
    assert!(table.contains("| @org/rules | 1 | 0 |"), "{summary}");
    assert!(table.contains("| **Total** | **49** | **18** |"), "{summary}");

    let (code, _, stderr) = run(workspace.script("run", &[("SSOT_LINT_SUMMARY_BY", "team")]));
    assert_eq!(code, Some(2), "a bad grouping is an error: {stderr}");
}

#[test]
fn action_inputs_reach_check() {
    let workspace = Workspace::new();
    std::fs::rename(workspace.demo().join("ssot-lint.toml"), workspace.demo().join("lint-config.toml"))
        .expect("rename config");
    let env = [
        ("SSOT_LINT_CONFIG", "lint-config.toml"),
        ("SSOT_LINT_PHASE", "1"),
        ("SSOT_LINT_PATHS", "netra_backend/app/agents netra_backend/app/routes"),
        ("SSOT_LINT_ARGS", "--exit-zero --ignore banned-pattern"),
    ];
    let (code, stdout, stderr) = run(workspace.script("run", &env));
    assert_eq!(code, Some(0), "--exit-zero passes the step\n{stderr}");
    // agents/ and routes/ only, banned-pattern off: 9 findings, of which the 3 phase-1 errors gate
    // (the compat import is a warning); every declared phase is listed.
    let outputs = outputs(&workspace.read("output"));
    assert_eq!((outputs["violations"].as_str(), outputs["gating"].as_str()), ("9", "3"));
    assert_eq!(outputs["sarif-file"], "ssot-lint.sarif");
    assert_eq!(phase_rows(&outputs["counts"]), rows(&[("1", 4, 3), ("2", 0, 0), ("3", 4, 0), ("4", 1, 0)]));
    let counts: Value = serde_json::from_str(&outputs["counts"]).expect("JSON");
    assert_eq!(counts["current_phase"], 1, "the phase input");
    assert!(!stdout.contains("banned-pattern"), "{stdout}");
    assert!(workspace.demo().join("ssot-lint.sarif").is_file(), "default SARIF file");
    assert!(workspace.read("summary.md").contains("**3 gating findings** (exit 0)"));
}

#[test]
fn action_baseline_ref_gates_only_what_the_branch_adds() {
    let workspace = Workspace::new();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=CI", "-c", "user.email=ci@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(workspace.root())
            .status()
            .expect("run git");
        assert!(status.success(), "git {args:?}");
    };
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["branch", "-q", "base"]);
    git(&["checkout", "-q", "-b", "pr"]);
    std::fs::write(
        workspace.demo().join("netra_backend/app/new_module.py"),
        "from netra_backend.app.agents.state import UserExecutionContext\n",
    )
    .expect("write");
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "pr: one new violation"]);
    let (code, _, stderr) = run(workspace.script("run", &[("SSOT_LINT_BASELINE_REF", "base")]));
    assert_eq!(code, Some(1), "the new violation gates\n{stderr}");
    let outputs = outputs(&workspace.read("output"));
    assert_eq!((outputs["violations"].as_str(), outputs["gating"].as_str()), ("1", "1"), "{stderr}");
    assert!(stderr.contains("(merge base of base and HEAD)"), "{stderr}");
}

#[test]
fn action_fails_with_exit_2_and_an_error_annotation_on_a_bad_config() {
    let workspace = Workspace::new();
    std::fs::write(workspace.demo().join("ssot-lint.toml"), "[project\n").expect("break config");
    let (code, stdout, stderr) = run(workspace.script("run", &[]));
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "::error title=ssot-lint::ssot-lint could not run (exit 2); see the messages above\n");
    assert!(stderr.contains("ssot-lint.toml:1:"), "{stderr}");
    assert_eq!(workspace.read("output"), "", "no outputs when the tool could not run");
}

#[test]
fn action_at_an_untagged_ref_builds_with_cargo_once_then_uses_the_cached_binary() {
    let workspace = Workspace::new();
    let bin_dir = workspace.root().join("fake-bin");
    std::fs::create_dir(&bin_dir).expect("mkdir");
    // A stand-in for cargo that records its arguments and "installs" a binary under --root.
    let fake_cargo = bin_dir.join("cargo");
    std::fs::write(
        &fake_cargo,
        "#!/usr/bin/env bash\necho \"$@\" >> \"$FAKE_CARGO_LOG\"\nwhile [ \"$1\" != --root ]; do shift; done\n\
         mkdir -p \"$2/bin\" && printf '#!/bin/sh\\necho ssot-lint 0.0.0-dev\\n' > \"$2/bin/ssot-lint\" && chmod +x \"$2/bin/ssot-lint\"\n",
    )
    .expect("fake cargo");
    make_executable(&fake_cargo);
    let root = workspace.root().join("install-root");
    let log = workspace.file("cargo.log");
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let env = [
        ("PATH", path.as_str()),
        ("SSOT_LINT_ACTION_REF", "main"),
        ("SSOT_LINT_INSTALL_ROOT", root.to_str().expect("utf-8 path")),
        ("FAKE_CARGO_LOG", log.to_str().expect("utf-8 path")),
    ];

    let (code, stdout, stderr) = run(workspace.script("install", &env));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("::notice title=ssot-lint::the action is used at an untagged ref (main)"),
        "the log says why it compiles: {stdout}"
    );
    let action_path = repo_dir();
    assert_eq!(
        std::fs::read_to_string(&log).expect("cargo ran"),
        format!("install --locked --path {} --root {} --force\n", action_path.display(), root.display())
    );
    let (code, stdout, _) = run(workspace.script("install", &env));
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "ssot-lint restored from the cache: ssot-lint 0.0.0-dev\n");
    assert_eq!(std::fs::read_to_string(&log).expect("log").lines().count(), 1, "cargo ran once");
    let bin = format!("{}/bin\n", root.display());
    assert_eq!(workspace.read("path"), bin.repeat(2));

    // The cache key names the OS, the architecture and a hash of the sources.
    let key_env = [("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64"), ("SSOT_LINT_ACTION_REF", "main")];
    let (code, _, _) = run(workspace.script("cache-key", &key_env));
    assert_eq!(code, Some(0));
    let key = workspace.read("output");
    let hash = key.strip_prefix("key=ssot-lint-Linux-X64-src-").expect(&key).trim_end();
    assert!(hash.len() == 20 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
}

#[test]
fn action_cache_key_and_target_name_the_release_version_and_runner() {
    let workspace = Workspace::new();
    let key_of = |env: &[(&str, &str)]| {
        let output = workspace.file("output");
        let _ = std::fs::remove_file(&output);
        let (code, _, stderr) = run(workspace.script("cache-key", env));
        assert_eq!(code, Some(0), "{stderr}");
        workspace.read("output")
    };
    let linux = [("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64")];
    assert_eq!(
        key_of(&[linux[0], linux[1], ("SSOT_LINT_ACTION_REF", "v0.2.0")]),
        "key=ssot-lint-Linux-X64-v0.2.0\n"
    );
    // The version input wins over the action's tag, with or without its v.
    let env = [linux[0], linux[1], ("SSOT_LINT_ACTION_REF", "v0.2.0"), ("SSOT_LINT_VERSION", "0.3.1")];
    assert_eq!(key_of(&env), "key=ssot-lint-Linux-X64-v0.3.1\n");
    // Without github.action_ref, the tag is read from where the runner checked the action out.
    let env =
        [linux[0], linux[1], ("GITHUB_ACTION_PATH", "/home/runner/work/_actions/ssot-lint/ssot-lint/v0.2.0")];
    assert_eq!(key_of(&env), "key=ssot-lint-Linux-X64-v0.2.0\n");

    let target = |os: &str, arch: &str| {
        let (code, stdout, stderr) =
            run(workspace.script("target", &[("RUNNER_OS", os), ("RUNNER_ARCH", arch)]));
        (code, stdout.trim_end().to_string(), stderr)
    };
    assert_eq!(target("Linux", "X64").1, "x86_64-unknown-linux-musl");
    assert_eq!(target("Linux", "ARM64").1, "aarch64-unknown-linux-musl");
    assert_eq!(target("macOS", "X64").1, "x86_64-apple-darwin");
    assert_eq!(target("macOS", "ARM64").1, "aarch64-apple-darwin");
    assert_eq!(target("Windows", "X64").1, "x86_64-pc-windows-msvc");
    let (code, _, stderr) = target("Windows", "ARM64");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("no prebuilt ssot-lint for Windows ARM64"), "{stderr}");
}

/// A release layout (`vX.Y.Z/ssot-lint-TARGET.tar.gz` and its `.sha256`, made by
/// `scripts/package-archive` from the debug binary, as the release workflow makes them from the
/// release builds) served by `python3 -m http.server` on loopback.
struct ReleaseServer {
    dir: tempfile::TempDir,
    child: std::process::Child,
    url: String,
}

impl ReleaseServer {
    const TARGET: &'static str = "x86_64-unknown-linux-musl";

    fn start() -> Self {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("temp dir");
        let release = dir.path().join(format!("v{}", env!("CARGO_PKG_VERSION")));
        let status = Command::new("bash")
            .arg(repo_dir().join("scripts/package-archive"))
            .args([Self::TARGET, env!("CARGO_BIN_EXE_ssot-lint")])
            .arg(&release)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("scripts/package-archive");
        assert!(status.success(), "scripts/package-archive failed");
        // Port 0: the server picks a free port and names it on its first line (unbuffered: -u).
        // Without python3 this test fails: the download path is not tested otherwise.
        let mut child = Command::new("python3")
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"])
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 -m http.server (python3 is needed to test the Action's download)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server's first line");
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let port = line.split(" port ").nth(1).and_then(|rest| rest.split_whitespace().next());
        let port: u16 =
            port.and_then(|port| port.parse().ok()).unwrap_or_else(|| panic!("no port in {line:?}"));
        ReleaseServer { dir, child, url: format!("http://127.0.0.1:{port}") }
    }

    fn archive(&self) -> PathBuf {
        let version = env!("CARGO_PKG_VERSION");
        self.dir.path().join(format!("v{version}/ssot-lint-{}.tar.gz", Self::TARGET))
    }
}

impl Drop for ReleaseServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn action_downloads_the_release_archive_verifies_its_checksum_and_caches_it() {
    let server = ReleaseServer::start();
    let workspace = Workspace::new();
    let root = workspace.root().join("install-root");
    let version = env!("CARGO_PKG_VERSION");
    let tag = format!("v{version}");
    // No cargo on PATH (only the system directories: curl, tar, sha256sum): a download needs none.
    let env = |extra: &[(&'static str, &str)]| {
        let mut env = vec![
            ("RUNNER_OS", "Linux".to_string()),
            ("RUNNER_ARCH", "X64".to_string()),
            ("SSOT_LINT_ACTION_REF", tag.clone()),
            ("SSOT_LINT_DOWNLOAD_URL", server.url.clone()),
            ("SSOT_LINT_INSTALL_ROOT", root.display().to_string()),
            ("PATH", "/usr/bin:/bin".to_string()),
        ];
        env.extend(extra.iter().map(|(key, value)| (*key, value.to_string())));
        env
    };
    let script = |env: &[(&str, String)]| {
        let env: Vec<(&str, &str)> = env.iter().map(|(key, value)| (*key, value.as_str())).collect();
        run(workspace.script("install", &env))
    };

    let (code, stdout, stderr) = script(&env(&[]));
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let url = format!("{}/{tag}/ssot-lint-{}.tar.gz", server.url, ReleaseServer::TARGET);
    assert!(
        stdout.contains(&format!("downloading ssot-lint {version} for x86_64-unknown-linux-musl: {url}")),
        "{stdout}"
    );
    assert!(stdout.contains("checksum verified: sha256 "), "{stdout}");
    assert!(
        stdout.ends_with(&format!("installed ssot-lint {version} in {}/bin\n", root.display())),
        "{stdout}"
    );
    let installed = root.join("bin/ssot-lint");
    let output = Command::new(&installed).arg("--version").output().expect("installed binary runs");
    assert_eq!(String::from_utf8_lossy(&output.stdout), format!("ssot-lint {version}\n"));
    assert_eq!(workspace.read("path"), format!("{}/bin\n", root.display()));

    // The installed binary lints the demo (the run step, SSOT_LINT_BIN pointing at it).
    let installed_path = installed.display().to_string();
    let (code, _, stderr) = run(workspace.script("run", &[("SSOT_LINT_BIN", installed_path.as_str())]));
    assert_eq!(code, Some(1), "the demo's gating findings fail the step\n{stderr}");
    assert_eq!(outputs(&workspace.read("output"))["gating"], "18");

    // Cached: the next run downloads nothing (the server could be gone).
    let (code, stdout, _) = script(&env(&[("SSOT_LINT_DOWNLOAD_URL", "http://127.0.0.1:9/unreachable")]));
    assert_eq!(code, Some(0));
    assert_eq!(stdout, format!("ssot-lint restored from the cache: ssot-lint {version}\n"));
}

#[test]
fn action_refuses_an_archive_whose_checksum_does_not_match() {
    let server = ReleaseServer::start();
    // The archive changes after its checksum was written (a corrupted or tampered download).
    let mut bytes = std::fs::read(server.archive()).expect("archive");
    bytes.extend_from_slice(b"tampered");
    std::fs::write(server.archive(), bytes).expect("tamper");
    let workspace = Workspace::new();
    let root = workspace.root().join("install-root");
    let env = [
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "X64"),
        ("SSOT_LINT_VERSION", env!("CARGO_PKG_VERSION")),
        ("SSOT_LINT_DOWNLOAD_URL", server.url.as_str()),
        ("SSOT_LINT_INSTALL_ROOT", root.to_str().expect("utf-8 path")),
    ];
    let (code, _, stderr) = run(workspace.script("install", &env));
    assert_eq!(code, Some(1), "{stderr}");
    let archive = format!("ssot-lint-{}.tar.gz", ReleaseServer::TARGET);
    assert!(
        stderr.contains(&format!("::error title=ssot-lint::checksum mismatch for {archive}: ")),
        "{stderr}"
    );
    assert!(stderr.contains("not installing it"), "{stderr}");
    assert!(!root.join("bin/ssot-lint").exists(), "nothing installed");
    assert_eq!(workspace.read("path"), "", "nothing added to PATH");
}

#[test]
fn action_says_when_a_version_has_no_release() {
    let server = ReleaseServer::start();
    let workspace = Workspace::new();
    let root = workspace.root().join("install-root");
    let env = [
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "X64"),
        ("SSOT_LINT_VERSION", "v9.9.9"),
        ("SSOT_LINT_DOWNLOAD_URL", server.url.as_str()),
        ("SSOT_LINT_INSTALL_ROOT", root.to_str().expect("utf-8 path")),
    ];
    let (code, _, stderr) = run(workspace.script("install", &env));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "::error title=ssot-lint::ssot-lint 9.9.9 has no release archive for x86_64-unknown-linux-musl"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("HTTP 404); is 9.9.9 a released version?"), "{stderr}");

    // Not a version at all.
    let env =
        [("SSOT_LINT_VERSION", "latest"), ("SSOT_LINT_INSTALL_ROOT", root.to_str().expect("utf-8 path"))];
    let (code, _, stderr) = run(workspace.script("install", &env));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("version 'latest' is not a release version (e.g. 0.2.0 or v0.2.0)"), "{stderr}");
}

/// `key=value` lines of a GITHUB_OUTPUT file.
fn outputs(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .map(|line| {
            let (key, value) = line.split_once('=').expect(line);
            (key.to_string(), value.to_string())
        })
        .collect()
}

/// (phase, violations, gating) for each group of the `counts` output.
fn phase_rows(counts: &str) -> Vec<(String, u64, u64)> {
    let counts: Value = serde_json::from_str(counts).expect("counts output is JSON");
    counts["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|group| {
            let key = group["key"].as_str().expect("key").to_string();
            (key, group["count"].as_u64().expect("count"), group["gating"].as_u64().expect("gating"))
        })
        .collect()
}

fn rows(expected: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    expected.iter().map(|&(key, count, gating)| (key.to_string(), count, gating)).collect()
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}
