#!/usr/bin/env python3
"""Scan speed, side by side: `bouncefix scan --format jsonl` against sisimai on the same
folder (Debian package libsisimai-perl, through ../shared/bench/sisimai-jsonl.pl).

The package is byte-compiled first, as pip does when installing a wheel. Prints the
median wall time of each and the ratio (target: bouncefix at most 0.5x sisimai).

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


def median_seconds(argv: list[str], runs: int) -> float:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHARED / "corpus" / "emails"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import bouncefix

    package = Path(bouncefix.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    script = Path(sys.executable).with_name("bouncefix")
    ours = median_seconds([str(script), "scan", "--format", "jsonl", args.folder], args.runs)
    print(f"bouncefix scan --format jsonl  median {ours:6.3f} s")
    perl = SHARED / "bench" / "sisimai-jsonl.pl"
    probe = subprocess.run(["perl", "-MSisimai", "-e", "1"], capture_output=True, check=False)
    if probe.returncode != 0 or not perl.is_file():
        print("sisimai not available (apt-get install libsisimai-perl); no ratio")
        return
    theirs = median_seconds(["perl", str(perl), args.folder], args.runs)
    print(f"sisimai-jsonl.pl              median {theirs:6.3f} s")
    print(f"ratio                                {ours / theirs:6.2f}  (target <= 0.5)")


if __name__ == "__main__":
    main()
