#!/usr/bin/env python3
"""Memory while scanning a large mbox: peak resident set size for mbox files of growing
size. Streaming means the peak stays flat as the file grows.

The mbox is built from the bundled example bounce (and the corpus mbox, when present),
repeated. usage: python bench/memory.py [--sizes 10,50,200] (megabytes)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_mbox(path: Path, megabytes: int) -> int:
    sample = (ROOT / "examples" / "bounce.eml").read_bytes()
    block = b"From MAILER-DAEMON Mon Mar  2 09:14:07 2026\n" + sample + b"\n"
    count = 0
    with path.open("wb") as handle:
        while handle.tell() < megabytes * 1024 * 1024:
            handle.write(block)
            count += 1
    return count


def peak_rss_kb(argv: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(argv, stdout=devnull, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,200")
    args = parser.parse_args()
    script = str(Path(sys.executable).with_name("bouncefix"))
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"big-{size}.mbox"
            messages = build_mbox(path, size)
            rss, seconds = peak_rss_kb([script, "scan", "--format", "jsonl", str(path)])
            print(f"{size:5d} MB mbox, {messages:7d} messages: peak RSS {rss / 1024:7.1f} MB, "
                  f"{seconds:6.1f} s")
            path.unlink()


if __name__ == "__main__":
    main()
