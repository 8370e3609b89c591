#!/usr/bin/env python3
"""Generate a synthetic Dutch person-register export whose headers are GBA/BRP
element codes (01.01.20 = BSN, 01.03.10 = geboortedatum, ...) and hold no
context word, for the column-evidence tests (tests/columns.rs).

Every person is invented: BSNs are drawn at random and kept when they pass the
11-check; names come from the small lists below. A few BSN cells hold a typo
(fails the 11-check: not a BSN) or are empty, as in real exports.

Writes, into OUT_DIR (default fixtures/register):
  brp-export.csv    the export, ';'-separated, one header row of codes
  brp-export.json   the same rows as a JSON array of records keyed by code
  truth.json        per BSN, birth-date and name cell (voornamen,
                    geslachtsnaam): row (1 = first data row), code, kind and
                    the value as written
  random-numbers.csv  a column of random 9-digit numbers (about 1 in 11 pass
                    the 11-check by chance) and a column of random 8-digit ones

Usage: python3 scripts/gen_register.py [OUT_DIR] [--rows N] [--seed S]
Deterministic: the same arguments give the same files.
"""
import argparse
import csv
import json
import os
import random

FIRST = ["Anouk", "Bram", "Cor", "Demi", "Eelco", "Fenna", "Gijs", "Hanneke", "Ilse",
         "Jorrit", "Kiki", "Lars", "Maaike", "Niels", "Oscar", "Pien", "Quinten", "Roos",
         "Sietse", "Tamara", "Ugur", "Vera", "Wouter", "Yara", "Zeynep", "Mohammed",
         "Nadia", "Priya", "Wei", "Kwame"]
VOORVOEGSEL = ["", "", "", "van", "de", "van der", "van den", "ter"]
SURNAMES = ["Brink", "Dijkstra", "Hoekstra", "Kuiper", "Mulder", "Postma", "Schouten",
            "Veenstra", "Wolters", "Zijlstra", "Yilmaz", "Bouzid", "Kowalski", "Nguyen",
            "Tjon", "Haverkamp", "Oosterhuis", "Lubbers", "Meijering", "Stam"]
STREETS = ["Lindelaan", "Esdoornstraat", "Kastanjeplein", "Wilgenweg", "Berkenhof",
           "Populierenpad", "Iepenstraat", "Elzenlaan"]
PLACES = ["Zwolle", "Kampen", "Hattem", "Dalfsen", "Ommen", "Raalte"]
CODES = ["01.01.10", "01.01.20", "01.02.10", "01.02.30", "01.02.40", "01.03.10",
         "01.04.10", "08.10.30", "08.11.10", "08.11.20", "08.11.60", "08.11.70"]


def elfproef(d):
    if len(d) != 9 or not d.isdigit():
        return False
    s = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1))) - int(d[8])
    return s != 0 and s % 11 == 0


def bsn(rng):
    while True:
        d = "%09d" % rng.randrange(10**7, 10**9)
        if elfproef(d):
            return d


def typo(rng, d):
    """The BSN with one digit changed so that it fails the 11-check."""
    while True:
        i = rng.randrange(9)
        t = d[:i] + str((int(d[i]) + rng.randrange(1, 10)) % 10) + d[i + 1:]
        if not elfproef(t):
            return t


def date(rng, y0, y1):
    y = rng.randrange(y0, y1 + 1)
    m = rng.randrange(1, 13)
    d = rng.randrange(1, 29 if m == 2 else 31)
    return y, m, d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", default="fixtures/register")
    ap.add_argument("--rows", type=int, default=400)
    ap.add_argument("--seed", type=int, default=12)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    rows, truth = [], []
    for r in range(1, a.rows + 1):
        roll = rng.random()
        if roll < 0.01:
            b = ""
        elif roll < 0.03:
            b = typo(rng, bsn(rng))
        else:
            b = bsn(rng)
            truth.append({"row": r, "code": "01.01.20", "kind": "bsn", "value": b})
        y, m, d = date(rng, 1930, 2020)
        born = "%02d-%02d-%04d" % (d, m, y) if rng.random() < 0.8 else "%04d-%02d-%02d" % (y, m, d)
        truth.append({"row": r, "code": "01.03.10", "kind": "birth_date", "value": born})
        ay, am, ad = date(rng, max(y, 1990), 2025)
        first = " ".join(rng.sample(FIRST, rng.choice([1, 1, 2, 3])))
        surname = rng.choice(SURNAMES)
        truth.append({"row": r, "code": "01.02.10", "kind": "name", "value": first})
        truth.append({"row": r, "code": "01.02.40", "kind": "name", "value": surname})
        rows.append({
            "01.01.10": str(rng.randrange(10**9, 10**10)),
            "01.01.20": b,
            "01.02.10": first,
            "01.02.30": rng.choice(VOORVOEGSEL),
            "01.02.40": surname,
            "01.03.10": born,
            "01.04.10": rng.choice("MV"),
            "08.10.30": "%02d-%02d-%04d" % (ad, am, ay),
            "08.11.10": rng.choice(STREETS),
            "08.11.20": str(rng.randrange(1, 240)),
            "08.11.60": "%d%03d %s%s" % (rng.randrange(1, 10), rng.randrange(1000),
                                         rng.choice("BCDGHJKLMNPRTVWXZ"), rng.choice("BCDGHJKLMNPRTVWXZ")),
            "08.11.70": rng.choice(PLACES),
        })
    with open(os.path.join(a.out, "brp-export.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=CODES, delimiter=";")
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(a.out, "brp-export.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(a.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=0)
        f.write("\n")
    with open(os.path.join(a.out, "random-numbers.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Code", "Volgorde"])
        for _ in range(a.rows):
            w.writerow(["%09d" % rng.randrange(10**9), "%08d" % rng.randrange(10**8)])
    print("%d rows, %d truth values -> %s" % (len(rows), len(truth), a.out))


if __name__ == "__main__":
    main()
