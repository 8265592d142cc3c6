//! A run killed midway (cache being written, `fix` rewriting files) leaves no corrupt state.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;

const CONFIG: &str = "[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";
const ORIGINAL: &str = "import os\nfrom app.compat import Thing  # keep me\n\nx = Thing()\n";
const FIXED: &str = "import os\nfrom app.things import Thing  # keep me\n\nx = Thing()\n";
const FILES: usize = 2_000;

fn project() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::write(temp.path().join("ssot-lint.toml"), CONFIG).expect("config");
    let app = temp.path().join("app");
    std::fs::create_dir_all(&app).expect("mkdir");
    std::fs::write(app.join("things.py"), "class Thing: ...\n").expect("write");
    for index in 0..FILES {
        std::fs::write(app.join(format!("m{index}.py")), ORIGINAL).expect("write");
    }
    temp
}

/// Starts `ssot-lint ARGS` in `dir` and kills it (SIGKILL) after `delay`.
fn run_and_kill(dir: &Path, args: &[&str], delay: Duration) {
    let binary = assert_cmd::cargo::cargo_bin("ssot-lint");
    let mut child = std::process::Command::new(binary)
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

fn concise(dir: &Path, extra: &[&str]) -> Vec<u8> {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "concise", "--exit-zero"])
        .args(extra)
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

#[test]
fn a_run_killed_while_writing_the_cache_leaves_a_usable_cache() {
    let temp = project();
    for delay in [50, 200, 600] {
        run_and_kill(temp.path(), &["check", "--exit-zero"], Duration::from_millis(delay));
    }
    let fresh = concise(temp.path(), &["--no-cache"]);
    assert_eq!(concise(temp.path(), &[]), fresh, "after interrupted runs");
    assert_eq!(concise(temp.path(), &[]), fresh, "warm");
}

#[test]
fn fix_killed_midway_leaves_every_file_whole_and_a_rerun_finishes_the_job() {
    let temp = project();
    let config = format!("{CONFIG}compat = [\"app.compat\"]\n");
    std::fs::write(temp.path().join("ssot-lint.toml"), config).expect("config");
    let app = temp.path().join("app");
    // Later kills land later in the run: after linting, while files are being written.
    for delay in [300, 700, 1200, 2000] {
        run_and_kill(temp.path(), &["fix", "--allow-dirty", "--no-cache"], Duration::from_millis(delay));
        let mut fixed = 0;
        for index in 0..FILES {
            let text = std::fs::read_to_string(app.join(format!("m{index}.py"))).expect("read");
            assert!(
                text == ORIGINAL || text == FIXED,
                "m{index}.py is torn after a kill at {delay} ms:\n{text}"
            );
            fixed += usize::from(text == FIXED);
        }
        eprintln!("killed at {delay} ms: {fixed} of {FILES} files fixed so far");
    }
    ssot_lint().current_dir(temp.path()).args(["fix", "--allow-dirty", "--no-cache"]).assert().code(0);
    for index in 0..FILES {
        let text = std::fs::read_to_string(app.join(format!("m{index}.py"))).expect("read");
        assert_eq!(text, FIXED, "m{index}.py");
    }
}
