#!/usr/bin/env python3
"""Scan speed, side by side: `bouncefix scan --format jsonl` against sisimai on the same
input (Debian package libsisimai-perl, through ../shared/bench/sisimai-jsonl.pl).

Inputs:
- the corpus folder (default: ../shared/corpus/emails, 360 files), or FOLDER;
- with --messages N: a folder of N files and an mbox of N messages, made in a temporary
  folder by cycling through the corpus (or tests/samples when there is no corpus), so that
  the scale figures of issue 13 (5,000 messages, at most 0.5x sisimai) can be measured
  again. Nothing generated is kept.

The package is byte-compiled first, as pip does when installing a wheel. The two tools
are run alternately (one of each per round), so that a machine whose speed drifts, as
shared ones do, slows both alike. Prints the median wall time of each, the ratio of the
medians and the median of the per-round ratios, and bouncefix's peak RSS (its main
process; workers are separate processes of bounded size).

usage: python bench/scan_speed.py [--runs N] [--messages N] [FOLDER]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PERL = SHARED / "bench" / "sisimai-jsonl.pl"
SEPARATOR = b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n"


def timed(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of `argv`."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return time.perf_counter() - start, usage.ru_maxrss


def sources() -> list[Path]:
    corpus = SHARED / "corpus" / "emails"
    folder = corpus if corpus.is_dir() else ROOT / "tests" / "samples"
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".yaml")


def generate(count: int, where: Path) -> tuple[Path, Path]:
    """A folder of `count` files and a folder holding one mbox of `count` messages."""
    files, box = where / "files", where / "mbox"
    files.mkdir()
    box.mkdir()
    originals = [p.read_bytes().replace(b"\r\n", b"\n") for p in sources()]
    with open(box / "bounces.mbox", "wb") as out:
        for n in range(count):
            raw = originals[n % len(originals)]
            (files / f"{n:06d}.eml").write_bytes(raw)
            body = b"\n".join(b">" + line if line.startswith(b"From ") else line
                              for line in raw.split(b"\n"))
            out.write(SEPARATOR + body.rstrip(b"\n") + b"\n\n")
    return files, box


def compare(label: str, ours: list[str], theirs: list[str] | None, runs: int) -> None:
    timed(ours)
    if theirs:
        timed(theirs)
    ours_times, theirs_times, rss = [], [], []
    for _ in range(runs):
        seconds, peak = timed(ours)
        ours_times.append(seconds)
        rss.append(peak)
        if theirs:
            theirs_times.append(timed(theirs)[0])
    mine = statistics.median(ours_times)
    print(f"{label}")
    print(f"  bouncefix scan --format jsonl  median {mine:7.3f} s   peak RSS "
          f"{max(rss) / 1024:6.1f} MB")
    if not theirs:
        print("  sisimai not available (apt-get install libsisimai-perl); no ratio")
        return
    other = statistics.median(theirs_times)
    per_round = statistics.median(o / t for o, t in zip(ours_times, theirs_times, strict=True))
    print(f"  sisimai-jsonl.pl               median {other:7.3f} s")
    print(f"  ratio of medians {mine / other:5.2f}   median of per-round ratios {per_round:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHARED / "corpus" / "emails"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=0,
                        help="also measure a generated folder and mbox of this many messages")
    args = parser.parse_args()
    import bouncefix

    package = Path(bouncefix.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    script = Path(sys.executable).with_name("bouncefix")
    ours = [str(script) if script.exists() else sys.executable, "scan", "--format", "jsonl"]
    if not script.exists():
        ours[1:1] = ["-m", "bouncefix"]
    probe = subprocess.run(["perl", "-MSisimai", "-e", "1"], capture_output=True, check=False)
    sisimai = probe.returncode == 0 and PERL.is_file()

    def theirs(folder: Path | str) -> list[str] | None:
        return ["perl", str(PERL), str(folder)] if sisimai else None

    if Path(args.folder).is_dir():
        compare(f"{args.folder}", [*ours, args.folder], theirs(args.folder), args.runs)
    if args.messages:
        with tempfile.TemporaryDirectory(prefix="bouncefix-bench-") as tmp:
            files, box = generate(args.messages, Path(tmp))
            compare(f"{args.messages:,} files in a folder", [*ours, str(files)], theirs(files),
                    args.runs)
            compare(f"an mbox of {args.messages:,} messages", [*ours, str(box)], theirs(box),
                    args.runs)


if __name__ == "__main__":
    main()
