#!/usr/bin/env python3
"""Extraction agreement between zwartlak and poppler's pdftotext.

For every PDF under DIR, both tools print the text of each page. A page's
agreement is the share of pdftotext's words (whitespace-separated tokens,
counted as a multiset) that zwartlak's text for the same page also has.
Prints per-file figures for the worst files and the overall (word-weighted)
agreement; exits 1 when it is below --min.

Needs poppler-utils (pdftotext) and the example binary:
    cargo build --release --example pdftext
    python3 scripts/pdf_agreement.py ../shared/corpus/dev/docs --min 0.98
"""
import argparse
import collections
import pathlib
import subprocess
import sys


def pages(cmd):
    out = subprocess.run(cmd, capture_output=True, check=False).stdout.decode("utf-8", "replace")
    parts = out.split("\f")
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return parts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--bin", default="target/release/examples/pdftext")
    ap.add_argument("--min", type=float, default=0.0, help="fail below this overall agreement")
    ap.add_argument("--worst", type=int, default=10, help="list this many worst files")
    ap.add_argument("--show", action="store_true", help="print the missing words (document text!)")
    args = ap.parse_args()

    files = sorted(pathlib.Path(args.dir).rglob("*.pdf"))
    total = hit = 0
    per_file = []
    for f in files:
        ref = pages(["pdftotext", "-enc", "UTF-8", str(f), "-"])
        ours = pages([args.bin, str(f)])
        f_total = f_hit = 0
        missing = collections.Counter()
        for i, page in enumerate(ref):
            want = collections.Counter(page.split())
            have = collections.Counter(ours[i].split()) if i < len(ours) else collections.Counter()
            for w, n in want.items():
                f_total += n
                got = min(n, have.get(w, 0))
                f_hit += got
                if got < n:
                    missing[w] += n - got
        total += f_total
        hit += f_hit
        if f_total:
            per_file.append((f_hit / f_total, f_total, str(f), missing))
    per_file.sort()
    for share, n, name, missing in per_file[: args.worst]:
        line = f"{share:7.2%} of {n:5d} words  {name}"
        if args.show:
            line += "  missing: " + " ".join(f"{w}x{c}" for w, c in missing.most_common(8))
        print(line)
    overall = hit / total if total else 1.0
    print(f"files: {len(files)}, pdftotext words: {total}, found in zwartlak text: {hit} ({overall:.2%})")
    return 1 if overall < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
