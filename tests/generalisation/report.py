#!/usr/bin/env python3
"""Print the accuracy of every generalisation suite and its misses.

usage: python tests/generalisation/report.py [--misses] [SUITE or GROUP ...]
(a group is a folder: paraphrases, providers)
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from suite import score


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("suites", nargs="*")
    args = parser.parse_args()
    from suite import suite_names

    wanted = [n for n in suite_names() if not args.suites
              or any(n == s or n.startswith(s.rstrip("/") + "/") for s in args.suites)]
    results = score(wanted)
    total = right = harmful = 0
    groups: dict[str, list[int]] = {}
    for name, outcomes in results.items():
        good = sum(o.right for o in outcomes)
        bad = sum(o.harmful for o in outcomes)
        total, right, harmful = total + len(outcomes), right + good, harmful + bad
        group = groups.setdefault(name.split("/")[0], [0, 0, 0])
        group[0] += len(outcomes)
        group[1] += good
        group[2] += bad
        print(f"{name:40} {good:4}/{len(outcomes):<4} {100 * good / max(len(outcomes), 1):5.1f} %"
              f"  harmful {bad}")
        if args.misses:
            for o in outcomes:
                if not o.right:
                    text = " ".join(o.case.text.split())[:150]
                    print(f"    want {o.case.reason}{'/hard' if o.case.hard else ''}"
                          f"{'|' + ','.join(o.case.also) if o.case.also else ''}"
                          f" got {o.reason}{'/hard' if o.hard else ''} ({o.kind}, {o.rule},"
                          f" {o.confidence}): {text}")
                    if not o.recipients_right:
                        print(f"        recipients want {list(o.case.recipients or ())}"
                              f" got {list(o.found)}")
    for name, (n, good, bad) in groups.items():
        print(f"== {name:37} {good:4}/{n:<4} {100 * good / max(n, 1):5.1f} %  harmful {bad}")
    print(f"== {'all':37} {right:4}/{total:<4} {100 * right / max(total, 1):5.1f} %  harmful {harmful}")


if __name__ == "__main__":
    main()
