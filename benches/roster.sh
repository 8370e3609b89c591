#!/usr/bin/env bash
# Cost of a 50,000-row roster (--roster): time `zwartlak scan` over the same
# text with and without it. The roster is generated from the embedded name
# lists (an id column, valid BSNs and IBANs, invented e-mail addresses and phone
# numbers).
# Needs: hyperfine, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-20}
ROWS=${ROWS:-50000}
TEXT=/tmp/zwartlak-prose-${MB}MB.txt
ROSTER=/tmp/zwartlak-roster-${ROWS}.csv
cargo build --release --quiet --example gen_prose --bin zwartlak
[ -f "$TEXT" ] || target/release/examples/gen_prose "$TEXT" "$MB"
python3 - "$ROSTER" "$ROWS" <<'PY'
import random, sys
random.seed(7)
first = [l.strip() for l in open("patterns/names/faker_first_names.txt") if l.strip() and not l.startswith("#")]
last = [l.strip() for l in open("patterns/names/faker_surnames.txt") if l.strip() and not l.startswith("#")]
def bsn():
    while True:
        d = [random.randrange(10) for _ in range(8)]
        s = sum(x * (9 - i) for i, x in enumerate(d))
        if s % 11 < 10 and s > 0:
            return "".join(map(str, d)) + str(s % 11)
def iban():
    bank = random.choice(["ABNA", "RABO", "INGB", "SNSB"])
    acct = "".join(str(random.randrange(10)) for _ in range(10))
    n = int("".join(str(int(c, 36)) for c in bank + acct + "NL00"))
    return "NL%02d%s%s" % (98 - n % 97, bank, acct)
with open(sys.argv[1], "w") as f:
    f.write("id,name,bsn,iban,email,phone\n")
    for i in range(int(sys.argv[2])):
        fn, ln = random.choice(first), random.choice(last)
        f.write(f"R{i},{fn} {ln},{bsn()},{iban()},{fn.lower()}.{ln.lower().replace(' ', '')}{i}@voorbeeld.nl,06{random.randrange(10**7, 6*10**7):08d}\n")
PY
echo "text: $(du -h "$TEXT" | cut -f1), roster: $(wc -l < "$ROSTER") lines"
hyperfine -N --warmup 1 --runs ${RUNS:-5} \
  -n "scan" "target/release/zwartlak scan $TEXT --format jsonl -q -j1" \
  -n "scan --roster (${ROWS} rows)" "target/release/zwartlak scan $TEXT --format jsonl -q -j1 --roster $ROSTER"
