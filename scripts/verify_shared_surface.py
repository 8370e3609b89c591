#!/usr/bin/env python3
"""Decide the leaks redact_check.py marks "surface shared with kept text".

redact_check.py counts a third-party value as leaked when its text occurs in a
redacted view more often than it allows. When the value is also part of a
value that must be kept (a neighbour at "Dorpsweg 4" and the subject at
"Dorpsweg 4-II"), its allowance is computed from the whole document's
third-party mentions, so a kept superset can be counted as a leak.

This script looks at each such leak occurrence by occurrence: an occurrence is
covered when a kept value of the same document (subject, staff, organisation,
or a planted look-alike) that contains the third-party text occurs in the same
view over the same characters. A leak is confirmed when any occurrence is not
covered. It reads the outputs with redact_check's own independent extractors.

usage: verify_shared_surface.py TRUTH_DIR REDACTED_DIR REPORT_JSON
exit 0 when every shared-surface leak is fully covered (and prints them),
exit 1 when one is a real leak, 2 on bad input.
"""
import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    truth_dir, red_dir, report = Path(argv[1]), Path(argv[2]), Path(argv[3])
    eval_dir = truth_dir.resolve().parent.parent / "eval"
    sys.path.insert(0, str(eval_dir))
    import redact_check as rc  # the evaluation tool's own patterns and readers

    res = json.loads(report.read_text())
    leaks = [x for x in res["leaks"] if x.get("shared_surface")]
    if not leaks:
        return 0
    recs = rc.load_corpus(truth_dir)
    red = rc.extract_outputs(red_dir, rc.dossiers(truth_dir), [])
    kept_owners = set(rc.KEPT_OWNERS)
    real = 0
    for x in leaks:
        path = x["path"]
        kept = {r["value"] for r in recs
                if r.get("path") == path and (r.get("owner") in kept_owners or r.get("record") == "negative")
                and x["value"] in r.get("value", "") and r["value"] != x["value"]}
        pat = rc.surface_pattern(x["kind"], x["value"])
        uncovered = 0
        for (_, view), text in rc.group_views(red, path).items():
            spans = []
            for k in kept:
                kp = rc.surface_pattern(x["kind"], k)
                spans += [m.span() for m in kp.finditer(text)] if kp else []
            for m in pat.finditer(text):
                if not any(a <= m.start() and m.end() <= b for a, b in spans):
                    uncovered += 1
        status = "REAL LEAK" if uncovered else "covered by kept text (not a leak)"
        real += bool(uncovered)
        # The value is masked here: only its kind and length are printed.
        print(f"  {path}  {x['kind']}  ({len(x['value'])} chars): {status}; "
              f"kept supersets: {len(kept)}, uncovered occurrences: {uncovered}")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
