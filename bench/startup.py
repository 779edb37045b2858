#!/usr/bin/env python3
"""Start-up benchmark: `bouncefix lookup 550 5.1.1` and `bouncefix explain` of one pasted
line, against a bare `python -c pass`.

All run with the same interpreter, output piped (as in scripts), explain offline (no DNS),
page cache warm. The package is byte-compiled first, as pip does when it installs a wheel
(this matters where PYTHONDONTWRITEBYTECODE is set: without .pyc files every run would
recompile), and the data bundle must be current (`pip install` builds it; a stale one is
ignored and the YAML parsed, which this benchmark reports).

Runs are interleaved (one of each per round) so that a machine whose speed drifts slows
all three alike. Prints medians and ratios; targets: lookup <= 2.5x, explain <= 8x.

usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

LINE = b"550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown\n"


def once(argv: list[str], data: bytes | None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    import bouncefix
    from bouncefix import datafiles

    package = Path(bouncefix.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    if datafiles._bundle() is None:
        print("warning: no current data bundle (run `pip install -e .` to build it); "
              "the YAML is parsed on every run", file=sys.stderr)
    script = Path(sys.executable).with_name("bouncefix")
    tool = [str(script)] if script.exists() else [sys.executable, "-m", "bouncefix"]
    env = {**os.environ, "BOUNCEFIX_OFFLINE": "1"}
    os.environ.update(env)
    cases = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "bouncefix lookup 550 5.1.1": ([*tool, "lookup", "550", "5.1.1"], None),
        "bouncefix explain (one line)": ([*tool, "explain", "--offline"], LINE),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(3):  # warm the page cache
        for argv, data in cases.values():
            once(argv, data)
    for _ in range(args.runs):
        for name, (argv, data) in cases.items():
            times[name].append(once(argv, data))
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians["python -c pass"]
    for name, value in medians.items():
        print(f"{name:30} median {value:6.1f} ms   {value / bare:5.2f}x")
    print("targets: lookup <= 2.5x, explain <= 8x")


if __name__ == "__main__":
    main()
