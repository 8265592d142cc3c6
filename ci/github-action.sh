#!/usr/bin/env bash
# The logic of action.yml (the composite GitHub Action), kept here so it can be run and tested
# outside GitHub with temp files standing in for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
#
#   github-action.sh cache-key   writes `key=...` (hash of the action's sources) to GITHUB_OUTPUT
#   github-action.sh install     builds ssot-lint with `cargo install` unless the cache restored it
#   github-action.sh run         runs `check`, writes SARIF, the step summary and the outputs
#
# Inputs come from the environment (action.yml maps its inputs onto these):
#   SSOT_LINT_PATHS       files or directories, whitespace-separated [default: .]
#   SSOT_LINT_CONFIG      --config FILE
#   SSOT_LINT_PHASE       --phase N
#   SSOT_LINT_BASELINE    --baseline FILE
#   SSOT_LINT_ARGS        more `check` arguments, whitespace-separated (not --format / --output)
#   SSOT_LINT_SARIF_FILE  where to write the SARIF report [default: ssot-lint.sarif]
#   SSOT_LINT_BIN         an ssot-lint binary to use instead of the installed one
#   SSOT_LINT_INSTALL_ROOT  cargo install --root [default: ~/.ssot-lint]
set -euo pipefail

ACTION_PATH="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
INSTALL_ROOT="${SSOT_LINT_INSTALL_ROOT:-$HOME/.ssot-lint}"

main() {
    case "${1:-}" in
        cache-key) cache_key >>"${GITHUB_OUTPUT:-/dev/stdout}" ;;
        install) install ;;
        run) run_check ;;
        *)
            echo "usage: $0 cache-key|install|run" >&2
            exit 2
            ;;
    esac
}

cache_key() {
    echo "key=ssot-lint-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$(source_hash)"
}

# A hash of everything the binary is built from: a cache hit means the binary is current.
source_hash() {
    local sha=sha256sum
    command -v sha256sum >/dev/null || sha="shasum -a 256"
    (cd "$ACTION_PATH" && find Cargo.toml Cargo.lock src rules -type f | LC_ALL=C sort | xargs $sha | $sha | cut -c1-20)
}

install() {
    local stamp="$INSTALL_ROOT/.source-hash" hash
    hash="$(source_hash)"
    # restore-keys may bring back an older binary: the stamp says which sources built it.
    if [[ -x "$INSTALL_ROOT/bin/ssot-lint" && "$(cat "$stamp" 2>/dev/null)" == "$hash" ]]; then
        echo "ssot-lint restored from the cache: $("$INSTALL_ROOT/bin/ssot-lint" --version)"
    else
        cargo install --locked --path "$ACTION_PATH" --root "$INSTALL_ROOT" --force
        echo "$hash" >"$stamp"
    fi
    echo "$INSTALL_ROOT/bin" >>"${GITHUB_PATH:-/dev/null}"
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
