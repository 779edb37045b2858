#!/usr/bin/env python3
"""Scan speed, side by side: `bouncefix scan --format jsonl` against sisimai on the same
folder (Debian package libsisimai-perl, through ../shared/bench/sisimai-jsonl.pl).

The package is byte-compiled first, as pip does when installing a wheel. The two are run
alternately (one of each per round), so that a machine whose speed drifts, as shared
ones do, slows both alike. Prints the median wall time of each, the median of the
per-round ratios, and the overall ratio (target: bouncefix at most 0.5x sisimai).

usage: python bench/scan_speed.py [--runs N] [FOLDER]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHARED / "corpus" / "emails"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import bouncefix

    package = Path(bouncefix.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    script = Path(sys.executable).with_name("bouncefix")
    ours_argv = [str(script), "scan", "--format", "jsonl", args.folder]
    perl = SHARED / "bench" / "sisimai-jsonl.pl"
    probe = subprocess.run(["perl", "-MSisimai", "-e", "1"], capture_output=True, check=False)
    if probe.returncode != 0 or not perl.is_file():
        seconds(ours_argv)
        ours = statistics.median(seconds(ours_argv) for _ in range(args.runs))
        print(f"bouncefix scan --format jsonl  median {ours:6.3f} s")
        print("sisimai not available (apt-get install libsisimai-perl); no ratio")
        return
    theirs_argv = ["perl", str(perl), args.folder]
    seconds(ours_argv), seconds(theirs_argv)  # warm the caches of both
    ours_times, theirs_times = [], []
    for _ in range(args.runs):
        ours_times.append(seconds(ours_argv))
        theirs_times.append(seconds(theirs_argv))
    ours, theirs = statistics.median(ours_times), statistics.median(theirs_times)
    per_round = statistics.median(o / t for o, t in zip(ours_times, theirs_times, strict=True))
    print(f"bouncefix scan --format jsonl  median {ours:6.3f} s")
    print(f"sisimai-jsonl.pl              median {theirs:6.3f} s")
    print(f"ratio of medians                     {ours / theirs:6.2f}  (target <= 0.5)")
    print(f"median of per-round ratios           {per_round:6.2f}")


if __name__ == "__main__":
    main()
