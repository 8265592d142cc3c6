#!/usr/bin/env bash
# The logic of action.yml (the composite GitHub Action), kept here so it can be run and tested
# outside GitHub with temp files standing in for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
#
#   github-action.sh cache-key   writes `key=...` for actions/cache to GITHUB_OUTPUT
#   github-action.sh install     downloads the release binary (or restores it from the cache)
#   github-action.sh target      prints the release target of this runner, e.g. x86_64-unknown-linux-musl
#   github-action.sh run         runs `check`, writes SARIF, the step summary and the outputs
#
# Which ssot-lint: SSOT_LINT_VERSION (the `version` input) when set, else the action's own tag
# (SSOT_LINT_ACTION_REF, from github.action_ref, e.g. v0.2.0). That version's archive for the
# runner's OS and architecture is downloaded from the release, its .sha256 verified, and it is
# installed under SSOT_LINT_INSTALL_ROOT (cached by action.yml). Only an untagged ref (a branch or
# a commit: there is no release to download) builds from the action's sources with `cargo install`.
#
# Inputs come from the environment (action.yml maps its inputs onto these):
#   SSOT_LINT_PATHS       files or directories, whitespace-separated [default: .]
#   SSOT_LINT_CONFIG      --config FILE
#   SSOT_LINT_PHASE       --phase N
#   SSOT_LINT_BASELINE    --baseline FILE
#   SSOT_LINT_BASELINE_REF  --baseline-ref REF (the baseline at merge-base(REF, HEAD), from git)
#   SSOT_LINT_ARGS        more `check` arguments, whitespace-separated (not --format / --output)
#   SSOT_LINT_SARIF_FILE  where to write the SARIF report [default: ssot-lint.sarif]
#   SSOT_LINT_VERSION     the version to install, e.g. 0.2.0 or v0.2.0 [default: the action's tag]
#   SSOT_LINT_ACTION_REF  the ref the action was used at (github.action_ref)
#   SSOT_LINT_DOWNLOAD_URL  where releases are [default: https://github.com/ssot-lint/ssot-lint/releases/download];
#                         the archive is $SSOT_LINT_DOWNLOAD_URL/vX.Y.Z/ssot-lint-TARGET.tar.gz (.zip on Windows)
#   SSOT_LINT_BIN         an ssot-lint binary to use instead of the installed one
#   SSOT_LINT_INSTALL_ROOT  where the binary is installed (bin/ssot-lint) [default: ~/.ssot-lint]
set -euo pipefail

ACTION_PATH="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
INSTALL_ROOT="${SSOT_LINT_INSTALL_ROOT:-$HOME/.ssot-lint}"

DOWNLOAD_URL="${SSOT_LINT_DOWNLOAD_URL:-https://github.com/ssot-lint/ssot-lint/releases/download}"
RELEASES_PAGE="https://github.com/ssot-lint/ssot-lint/releases"

main() {
    case "${1:-}" in
        cache-key) cache_key >>"${GITHUB_OUTPUT:-/dev/stdout}" ;;
        install) install ;;
        target) release_target ;;
        run) run_check ;;
        *)
            echo "usage: $0 cache-key|install|target|run" >&2
            exit 2
            ;;
    esac
}

# On stderr: it is also called in command substitutions (GitHub reads workflow commands from both).
fail() {
    echo "::error title=ssot-lint::$*" >&2
    exit 1
}

# The version to download (without the v), or nothing for an untagged ref (build from source).
wanted_version() {
    local version="${SSOT_LINT_VERSION:-}" ref="${SSOT_LINT_ACTION_REF:-}"
    # github.action_ref can be empty in a composite action's steps (actions/runner#2473); the
    # runner checks the action out at .../_actions/OWNER/REPO/REF, which names the ref as well.
    if [[ -z "$ref" && "$ACTION_PATH" == */_actions/*/*/* ]]; then
        ref="${ACTION_PATH##*/}"
    fi
    if [[ -z "$version" && "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]]; then
        version="$ref"
    fi
    version="${version#v}"
    if [[ -n "$version" && ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]]; then
        fail "version '$SSOT_LINT_VERSION' is not a release version (e.g. 0.2.0 or v0.2.0)"
    fi
    echo "$version"
}

cache_key() {
    local version
    version="$(wanted_version)"
    if [[ -n "$version" ]]; then
        echo "key=ssot-lint-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-v$version"
    else
        echo "key=ssot-lint-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-src-$(source_hash)"
    fi
}

# A hash of everything the binary is built from: a cache hit means the binary is current.
source_hash() {
    local sha=sha256sum
    command -v sha256sum >/dev/null || sha="shasum -a 256"
    (cd "$ACTION_PATH" && find Cargo.toml Cargo.lock src rules -type f | LC_ALL=C sort | xargs $sha | $sha | cut -c1-20)
}

# The release target built for this runner (the names of .github/workflows/release.yml). Linux
# gets the static musl binary, which runs on any distribution.
release_target() {
    local os="${RUNNER_OS:-$(uname -s)}" arch="${RUNNER_ARCH:-$(uname -m)}"
    case "$os" in
        Linux) os=unknown-linux-musl ;;
        macOS | Darwin) os=apple-darwin ;;
        Windows | MINGW* | MSYS* | CYGWIN*) os=pc-windows-msvc ;;
        *) os="unsupported-$os" ;;
    esac
    case "$arch" in
        X64 | x86_64 | amd64) arch=x86_64 ;;
        ARM64 | aarch64 | arm64) arch=aarch64 ;;
        *) arch="unsupported-$arch" ;;
    esac
    local target="$arch-$os"
    case "$target" in
        x86_64-unknown-linux-musl | aarch64-unknown-linux-musl | x86_64-apple-darwin | aarch64-apple-darwin | x86_64-pc-windows-msvc)
            echo "$target"
            ;;
        *) fail "no prebuilt ssot-lint for ${RUNNER_OS:-$(uname -s)} ${RUNNER_ARCH:-$(uname -m)}; install it yourself (pip install ssot-lint or cargo install ssot-lint) before this step and set SSOT_LINT_BIN" ;;
    esac
}

install() {
    local version stamp="$INSTALL_ROOT/.installed" wanted
    version="$(wanted_version)"
    if [[ -n "$version" ]]; then
        wanted="release $version"
    else
        wanted="source $(source_hash)"
    fi
    # restore-keys may bring back another binary: the stamp says which one it is.
    if [[ -x "$INSTALL_ROOT/bin/ssot-lint" && "$(cat "$stamp" 2>/dev/null)" == "$wanted" ]]; then
        echo "ssot-lint restored from the cache: $("$INSTALL_ROOT/bin/ssot-lint" --version)"
    elif [[ -n "$version" ]]; then
        download "$version"
        echo "$wanted" >"$stamp"
    else
        echo "::notice title=ssot-lint::the action is used at an untagged ref (${SSOT_LINT_ACTION_REF:-unknown}) and no version input is set: there is no release to download, so ssot-lint is built from the action's sources with cargo install (a few minutes, needs a Rust toolchain). Use a release tag (ssot-lint/ssot-lint@v0.2.0) or set version to download a prebuilt binary."
        command -v cargo >/dev/null || fail "cargo is not installed: use the action at a release tag, set its version input, or set up Rust first"
        cargo install --locked --path "$ACTION_PATH" --root "$INSTALL_ROOT" --force
        echo "$wanted" >"$stamp"
    fi
    echo "$INSTALL_ROOT/bin" >>"${GITHUB_PATH:-/dev/null}"
}

# Downloads the release archive for this runner, checks it against its .sha256 and installs the
# binary as $INSTALL_ROOT/bin/ssot-lint.
download() {
    local version="$1" target archive url work status
    target="$(release_target)"
    case "$target" in
        *-windows-*) archive="ssot-lint-$target.zip" ;;
        *) archive="ssot-lint-$target.tar.gz" ;;
    esac
    url="$DOWNLOAD_URL/v$version/$archive"
    work="$(mktemp -d)"
    echo "downloading ssot-lint $version for $target: $url"
    status="$(fetch "$url" "$work/$archive")"
    if [[ "$status" == 404 ]]; then
        rm -rf "$work"
        fail "ssot-lint $version has no release archive for $target ($url: HTTP 404); is $version a released version? See $RELEASES_PAGE"
    elif [[ "$status" != 200 ]]; then
        rm -rf "$work"
        fail "could not download $url (${status:-no HTTP status})"
    fi
    status="$(fetch "$url.sha256" "$work/$archive.sha256")"
    [[ "$status" == 200 ]] || { rm -rf "$work"; fail "could not download the checksum $url.sha256 (HTTP ${status:-none}); not installing an unverified binary"; }
    local expected actual
    expected="$(tr -d '\r' <"$work/$archive.sha256" | awk 'NR == 1 { print tolower($1) }')"
    actual="$(sha256 "$work/$archive")"
    if [[ ! "$expected" =~ ^[0-9a-f]{64}$ || "$expected" != "$actual" ]]; then
        rm -rf "$work"
        fail "checksum mismatch for $archive: $url.sha256 says ${expected:-nothing}, the download is $actual; not installing it"
    fi
    echo "checksum verified: sha256 $actual"
    mkdir -p "$work/unpacked" "$INSTALL_ROOT/bin"
    case "$archive" in
        *.zip) unzip_to "$work/$archive" "$work/unpacked" ;;
        *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
    esac
    local exe=ssot-lint
    [[ "$archive" != *.zip ]] || exe=ssot-lint.exe
    [[ -f "$work/unpacked/ssot-lint-$target/$exe" ]] || { rm -rf "$work"; fail "$archive does not hold ssot-lint-$target/$exe"; }
    mv -f "$work/unpacked/ssot-lint-$target/$exe" "$INSTALL_ROOT/bin/$exe"
    chmod 755 "$INSTALL_ROOT/bin/$exe"
    rm -rf "$work"
    local installed
    installed="$("$INSTALL_ROOT/bin/$exe" --version)" || fail "the downloaded ssot-lint does not run"
    [[ "$installed" == "ssot-lint $version" ]] || fail "the archive of $version holds $installed"
    echo "installed $installed in $INSTALL_ROOT/bin"
}

# Prints the HTTP status of a GET of $1 saved to $2 (curl, or wget when curl is missing).
fetch() {
    if command -v curl >/dev/null; then
        curl --silent --show-error --location --retry 3 --output "$2" --write-out '%{http_code}' "$1" || true
    else
        wget --quiet --server-response --output-document "$2" "$1" 2>&1 | awk '/^  HTTP/ { code = $2 } END { print code }'
    fi
}

sha256() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | awk '{ print $1 }'
    else
        shasum -a 256 "$1" | awk '{ print $1 }'
    fi
}

unzip_to() {
    if command -v unzip >/dev/null; then
        unzip -q "$1" -d "$2"
    else
        7z x -bso0 "-o$2" "$1"
    fi
}

run_check() {
    local bin="${SSOT_LINT_BIN:-}"
    if [[ -z "$bin" ]]; then
        bin="$(command -v ssot-lint || true)"
        [[ -n "$bin" ]] || bin="$INSTALL_ROOT/bin/ssot-lint"
    fi
    local sarif="${SSOT_LINT_SARIF_FILE:-ssot-lint.sarif}" phase="${SSOT_LINT_PHASE:-}"
    local -a paths extra common=() counted=()
    read -r -a paths <<<"${SSOT_LINT_PATHS:-.}"
    read -r -a extra <<<"${SSOT_LINT_ARGS:-}"
    [[ -z "${SSOT_LINT_CONFIG:-}" ]] || common+=(--config "$SSOT_LINT_CONFIG")
    [[ -z "${SSOT_LINT_BASELINE:-}" ]] || common+=(--baseline "$SSOT_LINT_BASELINE")
    [[ -z "${SSOT_LINT_BASELINE_REF:-}" ]] || common+=(--baseline-ref "$SSOT_LINT_BASELINE_REF")
    common+=(${extra[@]+"${extra[@]}"} ${paths[@]+"${paths[@]}"})
    # `counts` takes the lint options but not check's own flags, and `counts --phase N` prints
    # one number: it runs without them, and the phase override is applied to its gating below.
    local skip_value=""
    for arg in "${common[@]}"; do
        if [[ -n "$skip_value" ]]; then
            [[ "$skip_value" != phase ]] || phase="$arg"
            skip_value=""
            continue
        fi
        case "$arg" in
            --exit-zero | --show-baselined | --strict) ;;
            --sarif-category) skip_value=category ;;
            --phase) skip_value=phase ;;
            --sarif-category=*) ;;
            --phase=*) phase="${arg#--phase=}" ;;
            *) counted+=("$arg") ;;
        esac
    done
    [[ -z "${SSOT_LINT_PHASE:-}" ]] || common+=(--phase "$SSOT_LINT_PHASE")

    local work
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    # One lint per report (each is fast, and warm with the fact cache): check JSON for the gate
    # numbers, counts JSON for the phase names, SARIF for code scanning, and annotations for the
    # log, whose exit code is the gate. Only an exit 2 is an error.
    lint "$bin" "$work/json.err" check "${common[@]}" --format json --output "$work/report.json"
    lint "$bin" "$work/counts.err" counts "${counted[@]}" --format json --output "$work/counts.json"
    lint "$bin" "$work/sarif.err" check "${common[@]}" --format sarif --output "$sarif"
    local status=0
    "$bin" check "${common[@]}" --format github >"$work/annotations" || status=$?
    if ((status > 1)); then
        echo "::error title=ssot-lint::ssot-lint could not run (exit $status); see the messages above"
        exit "$status"
    fi
    python3 "$ACTION_PATH/ci/github_action_report.py" --report "$work/report.json" \
        --counts "$work/counts.json" --sarif "$sarif" --annotations "$work/annotations" \
        --exit-code "$status" --phase "$phase"
    # `summary-by`: one more table in the step summary (e.g. per CODEOWNERS owner).
    if [[ -n "${SSOT_LINT_SUMMARY_BY:-}" ]]; then
        lint "$bin" "$work/by.err" counts "${counted[@]}" --by "$SSOT_LINT_SUMMARY_BY" --format markdown \
            --output "$work/by.md"
        { echo; cat "$work/by.md"; } >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
    fi
    exit "$status"
}

# Runs one report; its stderr is shown only when it fails, so the log is not said three times.
lint() {
    local bin="$1" err="$2" status=0
    shift 2
    "$bin" "$@" 2>"$err" || status=$?
    if ((status > 1)); then
        cat "$err" >&2
        echo "::error title=ssot-lint::ssot-lint could not run (exit $status); see the messages above"
        exit "$status"
    fi
}

main "$@"
