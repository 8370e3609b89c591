#!/usr/bin/env python3
"""Run zwartlak on the texts `eval/extract.py` gives (the same texts
`deduce_compare.py` hands to deduce), so both tools are scored on equal input.

    (cd CORPUS/docs && .venv-eval/bin/python ../../../eval/extract.py --json /tmp/texts.json \
        $(find . -type f | sed 's|^\\./||' | sort))
    python3 scripts/zwartlak_on_texts.py /tmp/texts.json target/release/zwartlak > /tmp/same.jsonl
    python3 ../shared/eval/score.py CORPUS /tmp/same.jsonl

Each document's body text is written to a temporary tree as `<path>.txt` (archive
members with `!` replaced), scanned with `--format jsonl --reveal`, and the paths
in the findings are mapped back to the corpus paths.
"""
import json
import os
import subprocess
import sys
import tempfile

MEMBER = "__MEMBER__"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    texts = json.load(open(argv[1], encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for path, doc in texts.items():
            out = os.path.join(tmp, path.replace("!", MEMBER) + ".txt")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as f:
                f.write(doc.get("text") or "")
        run = subprocess.run([argv[2], "scan", tmp, "--format", "jsonl", "--reveal", "-q"],
                             capture_output=True, text=True, check=False)
        if run.returncode not in (0, 1):
            print(run.stderr, file=sys.stderr)
            return 2
        for line in run.stdout.splitlines():
            rec = json.loads(line)
            if "path" in rec:
                p = rec["path"]
                p = p[:-4] if p.endswith(".txt") else p
                rec["path"] = p.replace(MEMBER, "!")
            print(json.dumps(rec, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
