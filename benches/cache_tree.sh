#!/usr/bin/env bash
# Incremental runs (`--cache`): scan a generated tree of small files twice and
# report files/s of the second, unchanged run (see benches/README.md, "Incremental").
#   benches/cache_tree.sh            # N=100000 files, RUNS=3 second runs
# Needs: python3. Uses /tmp (TREE, CACHE) and target/release/zwartlak.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
RUNS=${RUNS:-3}
TREE=${TREE:-/tmp/zwartlak-tree-$N}
CACHE=${CACHE:-/tmp/zwartlak-tree-$N.cache}
BIN=target/release/zwartlak
[ -x "$BIN" ] || cargo build --release --quiet --bin zwartlak

if [ ! -f "$TREE.complete" ]; then
  echo "generating $N files in $TREE"
  rm -rf "$TREE"
  python3 - "$TREE" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
def bsn(i):
    # a number that passes the 11-test, from a counter
    while True:
        d = [int(c) for c in f"{100000000 + i * 7919 % 899999999:09d}"]
        if sum(x * w for x, w in zip(d, [9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11 == 0:
            return "".join(map(str, d))
        i += 1
for i in range(n):
    d = os.path.join(root, f"dossier{i // 1000:03d}", f"map{(i // 100) % 10}")
    os.makedirs(d, exist_ok=True)
    if i % 10 == 0:
        body = f"Huurder {i}\nBSN: {bsn(i)}\nTelefoon: 06-{12000000 + i}\nE-mail: huurder{i}@voorbeeld.nl\n"
    else:
        body = f"Notitie {i}: de reparatie van de keuken is op dinsdag uitgevoerd.\n"
    ext = ".csv" if i % 7 == 0 else ".txt"
    with open(os.path.join(d, f"doc{i}{ext}"), "w") as f:
        f.write(body)
open(root + ".complete", "w").close()
PY
fi
files=$(find "$TREE" -type f | wc -l)
rm -f "$CACHE"
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
cold=$(t "$BIN" scan "$TREE" --format jsonl -q --no-config --cache "$CACHE")
echo "first run (scan + fill the cache): $files files in ${cold}s: $(echo "$files / $cold" | bc) files/s"
plain=$(t "$BIN" scan "$TREE" --format jsonl -q --no-config)
echo "run without cache:                 $files files in ${plain}s: $(echo "$files / $plain" | bc) files/s"
best=""
for r in $(seq "$RUNS"); do
  s=$(t "$BIN" scan "$TREE" --format jsonl -q --no-config --cache "$CACHE")
  echo "second run, unchanged ($r):        $files files in ${s}s: $(echo "$files / $s" | bc) files/s"
  if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; fi
done
"$BIN" scan "$TREE" --format jsonl --no-config --cache "$CACHE" 2>&1 >/dev/null | grep cache || true
echo "best unchanged run: $(echo "$files / $best" | bc) files/s (cache $(du -h "$CACHE" | cut -f1))"
