#!/usr/bin/env python3
"""IBANs as people type them: generate, measure recall, write the fixture.

For every country of the IBAN registry (the countries in patterns/iban.toml)
this generates valid IBANs with the validator library `schwifty` (random
bank and account codes that fit the country's BBAN format) and writes each
in several free-form groupings (spaces, dashes, dots, a space between the
country code and the check digits, groups of 2..6, one odd grouping per
value). It also writes, for each valid IBAN, a copy with its check digits
changed so that it fails mod-97: those must never be reported.

    python3 -m venv /tmp/iban-venv && /tmp/iban-venv/bin/pip install schwifty
    /tmp/iban-venv/bin/python scripts/iban_freeform.py            # write the fixture, measure
    /tmp/iban-venv/bin/python scripts/iban_freeform.py --bban-table   # print the [bban] table

Writing: fixtures/iban/freeform.txt (one value per line, in a sentence) and
fixtures/iban/freeform.tsv (line, compact IBAN, valid 0/1). Measuring runs
target/release/zwartlak (or $ZWARTLAK) on the text and prints recall over the
valid values and the number of invalid values reported (issue 12: recall
>= 0.98, no invalid value reported). The Rust test tests/it/iban_freeform.rs
checks the same fixture without Python.
"""
import json
import os
import random
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "iban"
PER_COUNTRY = 8


def countries():
    with open(ROOT / "patterns" / "iban.toml", "rb") as f:
        return sorted(tomllib.load(f)["lengths"])


def bban_table():
    from schwifty import registry

    spec = {cc: registry.get_iban_spec(cc) for cc in countries()}
    for cc in countries():
        print(f'{cc} = "{spec[cc].bban_spec}"')


def random_bban(spec, rng):
    """A random BBAN for a registry spec such as 4!a10!n."""
    import re

    out = []
    for n, kind in re.findall(r"(\d+)!([nac])", spec):
        alphabet = {
            "n": "0123456789",
            "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "c": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        }[kind]
        out.append("".join(rng.choice(alphabet) for _ in range(int(n))))
    return "".join(out)


def check_digits(cc, bban):
    """ISO 13616 check digits (98 - mod 97 of BBAN + CC + 00, letters as 10..35)."""
    n = int("".join(str(int(c, 36)) for c in bban + cc + "00"))
    return f"{98 - n % 97:02d}"


def groupings(iban, rng):
    """Free-form spellings of a compact IBAN."""
    cc, ck, bban = iban[:2], iban[2:4], iban[4:]

    def groups(s, size):
        return [s[i : i + size] for i in range(0, len(s), size)]

    forms = []
    four = groups(iban, 4)
    forms.append("-".join(four))  # ES15-0049-1806-...
    forms.append(".".join(four))  # ES15.0049.1806...
    forms.append(f"{cc} {ck} " + " ".join(groups(bban, 4)))  # ES 58 0049 0290 ...
    forms.append(f"{cc}-{ck}-" + "-".join(groups(bban, 4)))
    size = rng.choice([2, 3, 5, 6])
    forms.append(" ".join(groups(iban, size)))
    # odd groups: cut at random places with random separators
    s, i, parts = iban, 0, []
    while i < len(s):
        n = rng.randint(2 if i == 0 else 1, 6)  # the country code is never cut
        parts.append(s[i : i + n])
        i += n
    odd = parts[0]
    for p in parts[1:]:
        odd += rng.choice([" ", "-", "."]) + p
    forms.append(odd)
    return forms


def make(rng):
    from schwifty import IBAN, registry

    spec = {cc: registry.get_iban_spec(cc) for cc in countries()}
    lines, rows = [], []
    templates = [
        "Graag overmaken op {} t.n.v. de huurder.",
        "IBAN: {}",
        "Rekeningnummer {} (buitenland)",
        "Zijn bankrekening is {}.",
        "{}",
    ]
    for cc in countries():
        for k in range(PER_COUNTRY):
            bban = random_bban(spec[cc].bban_spec, rng)
            compact = cc + check_digits(cc, bban) + bban
            compact = IBAN(compact).compact  # the library validates it (raises if not)
            forms = groupings(compact, rng)
            form = forms[k % len(forms)]
            lines.append(rng.choice(templates).format(form))
            rows.append((len(lines), compact, 1))
            # the same with wrong check digits: fails mod-97
            bad_ck = f"{(int(compact[2:4]) + rng.randint(1, 96)) % 97:02d}"
            if bad_ck in ("00", "01", compact[2:4]):
                bad_ck = f"{(int(compact[2:4]) + 50) % 97:02d}"
            bad = compact[:2] + bad_ck + compact[4:]
            try:
                IBAN(bad)
                continue  # still valid by chance: not a negative
            except Exception:
                pass
            lines.append(rng.choice(templates).format(groupings(bad, rng)[k % len(forms)]))
            rows.append((len(lines), bad, 0))
    return lines, rows


def measure(lines, rows):
    exe = os.environ.get("ZWARTLAK", str(ROOT / "target" / "release" / "zwartlak"))
    out = subprocess.run(
        [exe, "scan", str(OUT / "freeform.txt"), "--format", "jsonl", "--reveal", "-q", "--kinds", "iban"],
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for l in out.splitlines():
        r = json.loads(l)
        if r["record"] == "finding":
            compact = "".join(c for c in r["value"] if c.isalnum()).upper()
            found.setdefault(r["location"].get("line"), set()).add(compact)
    valid = [(n, c) for n, c, v in rows if v]
    invalid = [(n, c) for n, c, v in rows if not v]
    hit = sum(1 for n, c in valid if c in found.get(n, ()))
    bad = sum(1 for n, c in invalid if found.get(n))
    missed = [lines[n - 1] for n, c in valid if c not in found.get(n, ())]
    print(f"countries {len(countries())}, valid {len(valid)}, found {hit}, recall {hit / len(valid):.4f}")
    print(f"invalid (fail mod-97) {len(invalid)}, reported {bad}")
    for m in missed[:20]:
        print("  missed:", m)
    return hit / len(valid), bad


def main():
    if "--bban-table" in sys.argv:
        bban_table()
        return
    rng = random.Random(12)
    lines, rows = make(rng)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "freeform.txt").write_text("\n".join(lines) + "\n")
    with open(OUT / "freeform.tsv", "w") as f:
        f.write("line\tiban\tvalid\n")
        for n, c, v in rows:
            f.write(f"{n}\t{c}\t{v}\n")
    recall, bad = measure(lines, rows)
    sys.exit(0 if recall >= 0.98 and bad == 0 else 1)


if __name__ == "__main__":
    main()
