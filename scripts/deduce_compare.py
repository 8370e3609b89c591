#!/usr/bin/env python3
"""Run deduce (the Dutch de-identification library, PyPI `deduce`) over a corpus,
for comparison with zwartlak only. deduce is never shipped with zwartlak (it is
GPL/LGPL); install it in a separate virtualenv:

    python3 -m venv .venv-deduce && .venv-deduce/bin/pip install deduce

Text extraction is the independent one of the evaluation tools
(`eval/extract.py`, run with a Python that has its requirements), so both tools
see text the same way only where zwartlak's own readers agree with it.

    .venv-deduce/bin/python scripts/deduce_compare.py CORPUS/docs \\
        --extract ../shared/eval/extract.py --extract-python .venv-eval/bin/python \\
        > /tmp/deduce.jsonl
    python3 ../shared/eval/score.py CORPUS /tmp/deduce.jsonl --by-format

Output: one `{"record":"finding","path":...,"kind":...,"value":...}` line per
deduce annotation, in zwartlak's JSONL finding format (values revealed), then a
summary record. deduce tags map to kinds as follows:

    persoon, patient  -> name      (the span as deduce gives it; score.py strips titles)
    locatie           -> address   (the street + house number + toevoeging part, when
                                    the location starts with one) and
                                 -> postcode (a "1234 AB" inside it)
    telefoonnummer    -> phone
    bsn               -> bsn
    emailadres/email  -> email
    datum, leeftijd, url, instelling, id, ... are not mapped (no matching kind:
    deduce does not tell a birth date from any other date).

`--texts FILE` reuses a JSON file written earlier by `extract.py --json`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

POSTCODE = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
# Street words, then a house number with an optional toevoeging.
STREET_NUMBER = re.compile(
    r"^\s*([^\d\n,]*?[A-Za-zÀ-ɏ'.]\s+\d{1,5}(?:\s?[a-zA-Z]\b|-\s?(?:[IVX]{1,4}|\d{1,3}|[A-Za-z])\b|\s(?:bis|hs)\b|\s[IVX]{2,4}\b)?)"
)


def extract_texts(docs: str, extract: str, python: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "texts.json")
        subprocess.run([python, extract, docs, "--json", out], check=True, stdout=subprocess.DEVNULL)
        with open(out, encoding="utf-8") as f:
            return json.load(f)


def findings_for(path: str, text: str, deduce) -> list[dict]:
    doc = deduce.deidentify(text)
    out = []

    def emit(kind, value):
        value = value.strip()
        if value:
            out.append({"record": "finding", "path": path, "kind": kind, "value": value, "confidence": 1.0})

    for a in doc.annotations:
        tag = a.tag.lower()
        if tag in ("persoon", "patient"):
            emit("name", a.text)
        elif tag == "locatie":
            m = STREET_NUMBER.match(a.text)
            if m:
                emit("address", m.group(1))
            for p in POSTCODE.finditer(a.text):
                emit("postcode", p.group(0))
        elif tag == "telefoonnummer":
            emit("phone", a.text)
        elif tag == "bsn":
            emit("bsn", a.text)
        elif tag in ("emailadres", "email"):
            emit("email", a.text)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", help="the corpus docs/ folder")
    ap.add_argument("--extract", default="../shared/eval/extract.py", help="path of eval/extract.py")
    ap.add_argument("--extract-python", default=sys.executable, help="Python that runs extract.py")
    ap.add_argument("--texts", help="JSON written by extract.py --json (skips extraction)")
    args = ap.parse_args(argv)

    if args.texts:
        with open(args.texts, encoding="utf-8") as f:
            texts = json.load(f)
    else:
        texts = extract_texts(args.docs, args.extract, args.extract_python)

    from deduce import Deduce  # imported late: only this script needs it

    t0 = time.time()
    deduce = Deduce()
    t_init = time.time() - t0
    t1 = time.time()
    n_bytes = n_findings = 0
    for path, d in sorted(texts.items()):
        text = d.get("text") or ""
        if not text.strip():
            continue
        n_bytes += len(text.encode("utf-8"))
        for f in findings_for(path, text, deduce):
            n_findings += 1
            print(json.dumps(f, ensure_ascii=False))
    secs = time.time() - t1
    print(json.dumps({"record": "summary", "files": len(texts), "bytes": n_bytes, "findings": n_findings,
                      "seconds": round(secs, 2), "init_seconds": round(t_init, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
