#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures. Safe to re-run: files are named
# by content hash, so nothing is duplicated. The corpus directories are git-ignored.
set -euo pipefail

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz_dir")
corpus="$fuzz_dir/corpus"

# add TARGET FILE: copy FILE into the target's corpus under its content hash.
add() {
    local target=$1 file=$2
    mkdir -p "$corpus/$target"
    cp "$file" "$corpus/$target/$(sha1sum "$file" | cut -c1-40)"
}

# add_text TARGET TEXT: the same for a string.
add_text() {
    local tmp
    tmp=$(mktemp)
    printf '%s' "$2" >"$tmp"
    add "$1" "$tmp"
    rm -f "$tmp"
}

cd "$repo"
fixtures=(tests/fixtures examples)

# Python sources, and the expected outputs of `fix` (also Python).
while IFS= read -r -d '' file; do add python_extract "$file"; done \
    < <(find "${fixtures[@]}" -type f \( -name '*.py' -o -name '*.py.fixed' \) -print0)
# What fuzzing found before (kept as regression tests of the main crate).
for file in tests/fuzz-regressions/python_extract/crash-*; do
    if [ -f "$file" ]; then add python_extract "$file"; fi
done

# Rust sources (the syn front end).
while IFS= read -r -d '' file; do add rust_extract "$file"; done \
    < <(find "${fixtures[@]}" -type f -name '*.rs' -print0)

# Configs and rule packs.
while IFS= read -r -d '' file; do add config_from_text "$file"; done \
    < <(find "${fixtures[@]}" rules/packs src/config -type f -name '*.toml' -print0)

# Markdown: the registry fixtures first, then every other Markdown file of the repository.
while IFS= read -r -d '' file; do add registry_md "$file"; done \
    < <(find "${fixtures[@]}" rules -type f -name '*.md' -print0)

# Baselines: the snapshot of a written baseline, without insta's header.
while IFS= read -r -d '' file; do
    add_text baseline_parse "$(awk 'seen >= 2 { print } /^---$/ { seen++ }' "$file")"
done < <(grep -lZ '"format": "ssot-lint-baseline"' tests/snapshots/*.snap)
add_text baseline_parse '{"format": "ssot-lint-baseline", "version": 1, "findings": []}'
add_text baseline_parse '{"format": "ssot-lint-baseline", "version": 2, "findings": [null]}'

# Dotted globs: every quoted glob of the configs, as `pattern\nchain` with each `*` filled in.
grep -rhoE '"(\*\*\.)?[A-Za-z0-9_*]+(\.[A-Za-z0-9_*]+)*"' --include='*.toml' "${fixtures[@]}" rules/packs \
    | tr -d '"' | sort -u | while IFS= read -r pattern; do
        chain=$(printf '%s' "$pattern" | sed -e 's/^\*\*\./self./' -e 's/\*/X/g')
        add_text dotted_glob "$pattern"$'\n'"$chain"
    done

for target in python_extract rust_extract config_from_text registry_md baseline_parse dotted_glob; do
    printf '%-18s %4d files\n' "$target" "$(find "$corpus/$target" -type f | wc -l)"
done
