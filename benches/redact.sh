#!/usr/bin/env bash
# Redaction speed: `zwartlak redact` over the whole dev corpus (258 files: PDF,
# DOCX, XLSX, EML, ZIP, CSV, TXT) in one process, one thread and all threads,
# with the subject and keep list of one dossier (ownership is looked up for
# every finding either way). Files per second = 258 / mean wall time.
# Needs: hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/corpus/dev}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cargo build --release --quiet --bin zwartlak
files=$(find "$CORPUS/docs" -type f | wc -l)
echo "files: $files"
args="redact $CORPUS/docs --subject $CORPUS/subjects/D0001.toml --keep $CORPUS/keep.csv"
hyperfine -N --warmup 1 --runs ${RUNS:-5} --prepare "rm -rf $OUT/o" \
  -n "redact, 1 thread" "target/release/zwartlak $args --out $OUT/o -j1" \
  -n "redact, all threads" "target/release/zwartlak $args --out $OUT/o"
