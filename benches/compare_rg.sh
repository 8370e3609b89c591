#!/usr/bin/env bash
# Compare zwartlak's pattern pass with ripgrep running the same regexes over
# the same ~100 MB of generated Dutch prose (see benches/README.md).
# Needs: ripgrep, hyperfine (Debian: apt-get install ripgrep hyperfine), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-100}
OUT=${OUT:-/tmp/zwartlak-prose-${MB}MB.txt}
cargo build --release --quiet --example gen_prose --bin zwartlak
[ -f "$OUT" ] || target/release/examples/gen_prose "$OUT" "$MB"
PATS=$(mktemp)
python3 - "$PATS" <<'PY'
import sys, tomllib
spec = tomllib.load(open("patterns/detectors.toml", "rb"))
with open(sys.argv[1], "w") as f:
    for d in spec["detector"]:
        for p in d["pattern"]:
            f.write(p["re"] + "\n")
PY
echo "patterns: $(wc -l < "$PATS") regexes from patterns/detectors.toml; file: $(du -h "$OUT" | cut -f1)"
echo "rg matching lines: $(rg -c -f "$PATS" "$OUT")"
echo "zwartlak findings: $(target/release/zwartlak scan "$OUT" --format jsonl -q -j1 | grep -c '"record":"finding"')"
hyperfine --warmup 1 --runs ${RUNS:-5} \
  -n "rg -f patterns (1 thread)" "rg -j1 -c -f $PATS $OUT" \
  -n "rg -f patterns --only-matching (every match)" "rg -j1 -o -f $PATS $OUT > /dev/null" \
  -n "zwartlak scan (1 thread)" "target/release/zwartlak scan $OUT --format jsonl -q -j1 > /dev/null"
rm -f "$PATS"
