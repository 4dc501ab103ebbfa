#!/usr/bin/env bash
# The reviewer's `make`, measured on fresh clones of this repository (results: make.md).
#
#   benchmarks/make.sh [REPO]        # REPO: a clone or path (default: this repository)
#
# Two clones in a temporary folder, package caches empty as on a fresh machine:
#   A: make setup (uv), make, make (no-op), make clean-reports && make
#   B: make setup INSTALLER=pip, make -j2 (its first make)
# and the import time of netter.cli and the wall time of `netter analyze` in A. Each
# make is checked byte-identical to the committed reports (git status clean). Prints one
# Markdown table row per measure, with the 1-minute load average before it.
set -euo pipefail
REPO=$(cd "${1:-$(dirname "$0")/..}" && pwd)
WORK=$(mktemp -d /tmp/netter-bench-XXXXXX)
export XDG_CACHE_HOME=$WORK/cache UV_CACHE_DIR=$WORK/cache/uv PIP_CACHE_DIR=$WORK/cache/pip
unset MAKEFLAGS MFLAGS MAKELEVEL

row() {  # row LABEL DIR COMMAND...: time COMMAND in DIR, print a table row
    local label=$1 dir=$2; shift 2
    local load start end
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    (cd "$dir" && "$@") > "$WORK/log" 2>&1 || { tail -20 "$WORK/log"; exit 1; }
    end=$(date +%s.%N)
    printf '| %s | %.2f | %s |\n' "$label" "$(echo "$end - $start" | bc)" "$load"
}

clean() {  # the committed reports and data, byte for byte
    local changed
    changed=$(cd "$1" && git status --porcelain -- reports data)
    [ -z "$changed" ] || { echo "not byte-identical in $1:"; echo "$changed"; exit 1; }
}

echo "| step | seconds | load before |"
echo "|---|---|---|"
git clone -q "$REPO" "$WORK/a"
git clone -q "$REPO" "$WORK/b"
row "make setup (uv, empty cache)" "$WORK/a" make setup
row "make setup INSTALLER=pip (empty cache)" "$WORK/b" make setup INSTALLER=pip
row "first make (fresh clone)" "$WORK/a" make
clean "$WORK/a"
row "second make (nothing to do)" "$WORK/a" make
row "make clean-reports && make" "$WORK/a" bash -c "make clean-reports && make"
clean "$WORK/a"
row "first make -j2 (fresh clone)" "$WORK/b" make -j2
clean "$WORK/b"
cmp <(cd "$WORK/a" && find reports data -type f -print0 | sort -z | xargs -0 sha256sum) \
    <(cd "$WORK/b" && find reports data -type f -print0 | sort -z | xargs -0 sha256sum) \
    >/dev/null || { echo "make -j2 and make differ"; exit 1; }
row "import netter.cli (python -c)" "$WORK/a" .venv/bin/python -c "import netter.cli"
row "netter --help (whole process)" "$WORK/a" .venv/bin/netter --help
row "netter analyze, NETTER-1 primary cut-off (whole process)" "$WORK/a" \
    .venv/bin/netter analyze --quiet --study netter1 --data data/synthetic/netter1/primary \
    --out "$WORK/analyze.json"
rm -rf "$WORK"
