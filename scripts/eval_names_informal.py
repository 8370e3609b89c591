#!/usr/bin/env python3
"""Score zwartlak's `name` findings on the informal-text set in
`fixtures/names-informal/` (complaints typed without capitals, chat
transcripts, case notes with initials, attendance lists, names of many
origins; all written for this project, no real people).

    python3 scripts/eval_names_informal.py build
        Writes `docs/*.txt` and `truth.jsonl` from `marked/*.txt`, where every
        person-name span is written as [[...]] (titles such as "mw." and
        relation words stay outside the brackets).

    python3 scripts/eval_names_informal.py score target/release/zwartlak [--min-confidence X] [--show]
        Scans `docs/` with the binary (`--format jsonl --reveal -q`) and prints
        precision, recall and F1 for exact spans and for any overlap.
        `--show` lists the misses and the false alarms.

truth.jsonl holds one record per name span: {"file", "start", "end", "text"},
with `start`/`end` as character (code point) offsets into the document.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SET = os.path.join(HERE, "..", "fixtures", "names-informal")
MARK = re.compile(r"\[\[(.+?)\]\]")


def build() -> int:
    marked = os.path.join(SET, "marked")
    docs = os.path.join(SET, "docs")
    os.makedirs(docs, exist_ok=True)
    truth = []
    for name in sorted(os.listdir(marked)):
        if not name.endswith(".txt"):
            continue
        src = open(os.path.join(marked, name), encoding="utf-8").read()
        out, pos = [], 0
        length = 0
        for m in MARK.finditer(src):
            before = src[pos:m.start()]
            out.append(before)
            length += len(before)
            span = m.group(1)
            truth.append({"file": name, "start": length, "end": length + len(span), "text": span})
            out.append(span)
            length += len(span)
            pos = m.end()
        out.append(src[pos:])
        text = "".join(out)
        if "[[" in text or "]]" in text:
            print(f"{name}: unbalanced [[ ]]", file=sys.stderr)
            return 1
        with open(os.path.join(docs, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(SET, "truth.jsonl"), "w", encoding="utf-8") as f:
        for r in truth:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(truth)} name spans in {len(os.listdir(docs))} documents")
    return 0


def char_offsets(text: str, b_start: int, b_end: int) -> tuple[int, int]:
    raw = text.encode("utf-8")
    return len(raw[:b_start].decode("utf-8", "replace")), len(raw[:b_end].decode("utf-8", "replace"))


def predictions(binary: str, docs: str, min_conf: float | None) -> dict:
    cmd = [binary, "scan", docs, "--format", "jsonl", "--reveal", "-q"]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        sys.exit(2)
    texts = {}
    pred: dict[str, set] = {}
    for line in run.stdout.splitlines():
        rec = json.loads(line)
        if rec.get("record") != "finding" or rec.get("kind") != "name":
            continue
        if min_conf is not None and rec.get("confidence", 1.0) < min_conf:
            continue
        path = rec["path"]
        name = os.path.basename(path)
        if name not in texts:
            texts[name] = open(os.path.join(docs, name), encoding="utf-8").read()
        loc = rec.get("location", {})
        if "byte_start" in loc:
            s, e = char_offsets(texts[name], loc["byte_start"], loc["byte_end"])
        else:  # fall back to the first occurrence of the value
            s = texts[name].find(rec["value"])
            if s < 0:
                continue
            e = s + len(rec["value"])
        pred.setdefault(name, set()).add((s, e))
    return pred


def prf(tp_p: int, n_p: int, tp_r: int, n_t: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_t if n_t else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(binary: str, min_conf: float | None, show: bool) -> int:
    docs = os.path.join(SET, "docs")
    gold: dict[str, set] = {}
    for line in open(os.path.join(SET, "truth.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        gold.setdefault(r["file"], set()).add((r["start"], r["end"]))
    pred = predictions(binary, docs, min_conf)
    n_t = sum(len(v) for v in gold.values())
    n_p = sum(len(v) for v in pred.values())
    exact = ov_p = ov_r = 0
    misses, alarms = [], []
    for name in sorted(set(gold) | set(pred)):
        g, p = gold.get(name, set()), pred.get(name, set())
        text = open(os.path.join(docs, name), encoding="utf-8").read()
        exact += len(g & p)
        for s, e in p:
            if any(s < ge and gs < e for gs, ge in g):
                ov_p += 1
            if (s, e) not in g:
                alarms.append((name, text[s:e]))
        for s, e in g:
            if any(s < pe and ps < e for ps, pe in p):
                ov_r += 1
            if (s, e) not in p:
                misses.append((name, text[s:e]))
    print(f"informal set: {n_t} name spans, {n_p} predicted")
    for label, (p, r, f) in (("exact", prf(exact, n_p, exact, n_t)),
                             ("overlap", prf(ov_p, n_p, ov_r, n_t))):
        print(f"  {label:8s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if show:
        print("misses (truth not found exactly):")
        for name, t in misses:
            print(f"  {name}: {t!r}")
        print("false alarms (predicted, not an exact truth span):")
        for name, t in alarms:
            print(f"  {name}: {t!r}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build")
    sc = sub.add_parser("score")
    sc.add_argument("binary")
    sc.add_argument("--min-confidence", type=float, default=None)
    sc.add_argument("--show", action="store_true")
    a = ap.parse_args()
    if a.cmd == "build":
        return build()
    return score(a.binary, a.min_confidence, a.show)


if __name__ == "__main__":
    sys.exit(main())
