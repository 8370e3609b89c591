#!/usr/bin/env python3
"""Score zwartlak's person-name findings against a BIO/CoNLL file (PER only).

    python3 scripts/eval_names.py FILE.bio BINARY [--errors] [--max-errors N]
        [--keep-tmp DIR] [--docs-every N]

FILE is CoNLL-2002 style (`token ... TAG` per line, the tag last, blank line between
sentences, `-DOCSTART-` between documents) or a plain `token TAG` file without
document marks (then every `--docs-every` tokens, default 1000, make a document).
Each document becomes one text file, one sentence per line, tokens joined by single
spaces. BINARY is run as `scan DIR --format jsonl --reveal --kinds name -q`; each
finding is mapped back to the tokens its byte span (`location.byte_start/byte_end`)
covers (a finding without byte offsets is located by its value, in order).

Printed: gold and predicted PER span counts, precision / recall / F1 for exact span
match and for any overlap (a gold span counts as found when some prediction overlaps
it; a prediction counts as correct when it overlaps some gold span). `--errors`
lists missed gold spans and false-positive predictions with a little context.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def read_bio(path: str, docs_every: int):
    """Documents as lists of sentences; a sentence is a list of (token, tag)."""
    docs, doc, sent = [], [], []
    has_docstart = False
    ntok = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            parts = line.split()
            if not parts:
                if sent:
                    doc.append(sent)
                    sent = []
                continue
            if parts[0] == "-DOCSTART-":
                has_docstart = True
                if sent:
                    doc.append(sent)
                    sent = []
                if doc:
                    docs.append(doc)
                    doc = []
                continue
            tok, tag = parts[0], parts[-1]
            sent.append((tok, tag))
            ntok += 1
            if not has_docstart and ntok % docs_every == 0:
                doc.append(sent)
                sent = []
                docs.append(doc)
                doc = []
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def doc_text(doc):
    """The document's text and each token's (byte_start, byte_end, tag, text)."""
    pieces, toks = [], []
    pos = 0
    for sent in doc:
        for i, (tok, tag) in enumerate(sent):
            if i:
                pieces.append(" ")
                pos += 1
            b = len(tok.encode("utf-8"))
            toks.append((pos, pos + b, tag, tok))
            pieces.append(tok)
            pos += b
        pieces.append("\n")
        pos += 1
    return "".join(pieces), toks


def gold_spans(toks):
    """PER spans as (first token, last token) inclusive."""
    spans, start = [], None
    for i, (_, _, tag, _) in enumerate(toks):
        if tag == "B-PER" or (tag == "I-PER" and start is None):
            if start is not None:
                spans.append((start, i - 1))
            start = i
        elif tag == "I-PER":
            pass
        else:
            if start is not None:
                spans.append((start, i - 1))
            start = None
    if start is not None:
        spans.append((start, len(toks) - 1))
    return spans


def to_token_span(toks, bs, be):
    idx = [i for i, (s, e, _, _) in enumerate(toks) if s < be and e > bs]
    if not idx:
        return None
    return (idx[0], idx[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bio")
    ap.add_argument("binary")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--max-errors", type=int, default=400)
    ap.add_argument("--keep-tmp")
    ap.add_argument("--docs-every", type=int, default=1000)
    ap.add_argument("--min-confidence", type=float, default=None)
    ap.add_argument("--doc-range", help="A:B only documents A..B-1 (0-based)")
    a = ap.parse_args()

    docs = read_bio(a.bio, a.docs_every)
    if a.doc_range:
        lo, hi = (int(x) for x in a.doc_range.split(":"))
        docs = docs[lo:hi]
    tmp = a.keep_tmp or tempfile.mkdtemp(prefix="eval_names_")
    os.makedirs(tmp, exist_ok=True)
    texts, tokens = {}, {}
    for n, doc in enumerate(docs):
        name = f"doc{n:05d}.txt"
        text, toks = doc_text(doc)
        texts[name], tokens[name] = text, toks
        with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
            f.write(text)
    cmd = [a.binary, "scan", tmp, "--format", "jsonl", "--reveal", "--kinds", "name", "-q"]
    if a.min_confidence is not None:
        cmd += ["--min-confidence", str(a.min_confidence)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        return 2
    pred = {name: set() for name in texts}
    cursor = {name: 0 for name in texts}
    for line in run.stdout.splitlines():
        rec = json.loads(line)
        if rec.get("record") != "finding" or rec.get("kind") != "name":
            continue
        name = os.path.basename(rec["path"])
        if name not in texts:
            continue
        loc = rec.get("location") or {}
        bs, be = loc.get("byte_start"), loc.get("byte_end")
        if bs is None or be is None:
            raw = texts[name].encode("utf-8")
            v = rec.get("value", "").encode("utf-8")
            k = raw.find(v, cursor[name])
            if k < 0:
                k = raw.find(v)
            if k < 0:
                continue
            bs, be = k, k + len(v)
            cursor[name] = be
        sp = to_token_span(tokens[name], bs, be)
        if sp:
            pred[name].add(sp)

    g_n = p_n = exact = g_hit = p_hit = 0
    misses, fps = [], []
    for name in sorted(texts):
        toks = tokens[name]
        gold = set(gold_spans(toks))
        p = pred[name]
        g_n += len(gold)
        p_n += len(p)
        exact += len(gold & p)
        for g in gold:
            if any(q[0] <= g[1] and q[1] >= g[0] for q in p):
                g_hit += 1
            elif a.errors:
                misses.append((name, g))
        for q in p:
            if any(q[0] <= g[1] and q[1] >= g[0] for g in gold):
                p_hit += 1
            elif a.errors:
                fps.append((name, q))
        if a.errors:
            for q in p - gold:
                if any(q[0] <= g[1] and q[1] >= g[0] for g in gold):
                    fps.append((name, q, "boundary"))

    def prf(tp_p, tp_g):
        pr = tp_p / p_n if p_n else 0.0
        rc = tp_g / g_n if g_n else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return pr, rc, f

    print(f"documents {len(docs)}  gold PER {g_n}  predicted {p_n}")
    pr, rc, f = prf(exact, exact)
    print(f"exact    P {pr:.3f}  R {rc:.3f}  F1 {f:.3f}")
    pr, rc, f = prf(p_hit, g_hit)
    print(f"overlap  P {pr:.3f}  R {rc:.3f}  F1 {f:.3f}")

    if a.errors:
        def show(name, sp):
            toks = tokens[name]
            lo, hi = max(0, sp[0] - 4), min(len(toks), sp[1] + 5)
            words = [t[3] for t in toks[lo:hi]]
            k0, k1 = sp[0] - lo, sp[1] - lo
            words[k0] = "[" + words[k0]
            words[k1] = words[k1] + "]"
            return " ".join(words)
        print("\n# missed (gold, no overlapping prediction)")
        for name, g in misses[: a.max_errors]:
            print(f"MISS {name}: {show(name, g)}")
        print("\n# false positives (no overlapping gold) and boundary errors")
        for item in fps[: a.max_errors]:
            tag = "BOUND" if len(item) == 3 else "FP"
            print(f"{tag} {item[0]}: {show(item[0], item[1])}")
    if not a.keep_tmp:
        for name in texts:
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
