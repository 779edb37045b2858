#!/usr/bin/env python3
"""How well each parser's signature (parse/registry.py) gates its ``matches`` on a folder of messages:
how many messages pass the gate, how many ``matches`` accepts, and the time spent
asking every message with and without the gate.

A good signature lets few more messages through than ``matches`` accepts. Soundness
(never hiding a match) is checked by tests/test_signatures.py.

usage: python bench/signatures.py [--only NAME,NAME] [FOLDER]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHARED / "corpus" / "emails"))
    parser.add_argument("--only", default="", help="comma-separated parser names")
    args = parser.parse_args()

    from bouncefix import ingest
    from bouncefix.mail import Mail
    from bouncefix.parse.registry import GATED

    only = {name for name in args.only.split(",") if name}
    files = sorted(p for p in Path(args.folder).rglob("*") if p.is_file())
    mails = [Mail(ingest.normalise_newlines(p.read_bytes())) for p in files]
    for mail in mails:
        mail.text, mail.delivery_status  # noqa: B018 - every message needs these anyway
    start = time.perf_counter()
    for mail in mails:
        mail.signature_text  # noqa: B018 - built once per message, shared by all gates
    built = time.perf_counter() - start
    print(f"{len(mails)} messages; signature_text built in {built * 1000:.1f} ms")
    print(f"{'parser':20} {'words':>5} {'gate':>5} {'match':>5} {'ungated':>9} {'gated':>9}")
    sums = [0.0, 0.0]
    for module, signature in GATED:
        if only and module.NAME not in only:
            continue
        start = time.perf_counter()
        matched = sum(1 for mail in mails if module.matches(mail))
        ungated = time.perf_counter() - start
        start = time.perf_counter()
        passed = 0
        for mail in mails:
            if signature and not any(word in mail.signature_text for word in signature):
                continue
            passed += 1
            module.matches(mail)
        gated = time.perf_counter() - start
        sums[0] += ungated
        sums[1] += gated
        print(f"{module.NAME:20} {len(signature):5} {passed:5} {matched:5} "
              f"{ungated * 1000:7.1f}ms {gated * 1000:7.1f}ms")
    print(f"{'total':38} {sums[0] * 1000:7.1f}ms {sums[1] * 1000:7.1f}ms")


if __name__ == "__main__":
    main()
