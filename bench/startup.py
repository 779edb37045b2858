#!/usr/bin/env python3
"""Start-up benchmark: `bouncefix lookup 550 5.1.1` against a bare `python -c pass`.

Both run with the same interpreter, output piped (as in scripts), caches warm. The
package is byte-compiled first, as pip does when it installs a wheel (this matters where
PYTHONDONTWRITEBYTECODE is set: without .pyc files every run would recompile).
Prints the medians and their ratio; the target is a ratio of at most 2.5.

usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_ms(argv: list[str], runs: int) -> float:
    for _ in range(3):  # warm the page cache and bouncefix's data cache
        subprocess.run(argv, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    import bouncefix

    package = Path(bouncefix.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    script = Path(sys.executable).with_name("bouncefix")
    lookup = [str(script)] if script.exists() else [sys.executable, "-m", "bouncefix"]
    lookup += ["lookup", "550", "5.1.1"]
    bare = median_ms([sys.executable, "-c", "pass"], args.runs)
    tool = median_ms(lookup, args.runs)
    print(f"python -c pass           median {bare:7.1f} ms")
    print(f"bouncefix lookup 550 5.1.1 median {tool:5.1f} ms")
    print(f"ratio                    {tool / bare:7.2f}  (target <= 2.5)")
    probe = ("import time; t = time.perf_counter(); import bouncefix.catalogue as c; "
             "u = time.perf_counter(); c.load(); v = time.perf_counter(); "
             "print(round((u - t) * 1000, 2), round((v - u) * 1000, 2))")
    samples = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True).stdout.split() for _ in range(15)]
    imports = statistics.median(float(a) for a, _ in samples)
    loads = statistics.median(float(b) for _, b in samples)
    print(f"catalogue load (warm)    median {loads:5.2f} ms (target < 5); its import {imports:.2f} ms")
    if shutil.which("hyperfine"):
        print("hyperfine is installed; for a second opinion run:")
        print(f"  hyperfine -N -w 5 '{sys.executable} -c pass' '{' '.join(lookup)}'")


if __name__ == "__main__":
    main()
