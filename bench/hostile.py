#!/usr/bin/env python3
"""Hostile input: time per MB of worst-case inputs, and the table of hostile cases.

Worst-case inputs of 1, 4 and 16 MB (each a shape that once was, or could be, slow:
escape soup, one endless line, nested or numerous MIME parts, header floods, encoded-word
floods, nested comments, unclosed <style> tags, thousands of recipients or messages) go
through the installed CLI in a fresh process each; the start-up time (measured on a
small bounce) is subtracted. Linear processing shows as a flat s/MB column. Not a test:
nothing here fails, it measures.

usage:
    python bench/hostile.py                 s/MB at 1, 4 and 16 MB for every shape
    python bench/hostile.py --sizes 1 4     other sizes (MB)
    python bench/hostile.py --table         the hostile-case table (tests/hostile_cases.py)
                                            with each case's time and exit code
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_cases as cases  # noqa: E402

MB = 1024 * 1024
Shape = Callable[[int], bytes]


def _repeat(unit: bytes, size: int) -> bytes:
    return (unit * (size // len(unit) + 1))[:size]


def _text_part(filler: bytes) -> Shape:
    """A bounce whose text part is `filler` repeated to the size."""
    return lambda size: cases.dsn(text_part=_repeat(filler, size).decode("utf-8",
                                                                          "surrogateescape"))


SHAPES: dict[str, tuple[Shape, tuple[str, ...]]] = {
    "escape-soup": (cases.control_soup, ()),
    "one-endless-line": (lambda size: cases.long_line(size), ()),
    "reply-lines": (_text_part(b"550-5.1.1 <a@example.org> user unknown (in reply to RCPT)\n"),
                    ()),
    "addresses": (_text_part(b"<a@example.org>, b@example.net; "), ()),
    "unclosed-style": (lambda size: cases.dsn(text_headers="Content-Type: text/html",
                                              text_part="<style>" * (size // 7)), ()),
    "open-angles": (lambda size: cases.dsn(text_headers="Content-Type: text/html",
                                           text_part="<a " * (size // 3)), ()),
    "mime-parts": (lambda size: cases.many_parts(size // 40), ()),
    "mime-depth": (lambda size: cases.deep_multipart(size // 60), ()),
    "header-flood": (lambda size: cases.many_headers(size // 10), ()),
    "encoded-words": (lambda size: cases.folded_header(size // 16), ()),
    "nested-comments": (cases.nested_comments, ()),
    "recipients": (lambda size: cases.many_recipients(size // 120), ()),
    "binary": (lambda size: _repeat(bytes(range(256)), size), ()),
    "mbox-messages": (lambda size: cases.many_messages(size // 1000),
                      ("scan", "--format", "jsonl", "--jobs", "1")),
}


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([*cases.command(), *args], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, check=False,
                   env=cases.clean_env({}))
    return time.perf_counter() - start


def bench(sizes: list[int]) -> None:
    """Print s/MB per shape and size, start-up subtracted."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.eml"
        small.write_bytes(cases.dsn())
        _run(["explain", str(small)])  # warm the caches
        startup = statistics.median(_run(["explain", str(small)]) for _ in range(5))
        print(f"start-up {startup:.3f} s (subtracted); s/MB per size:")
        print(f"{'shape':18}" + "".join(f"{size:>9} MB" for size in sizes) + "   16/1 ratio")
        for name, (shape, command) in SHAPES.items():
            per_mb: list[float] = []
            for size in sizes:
                data = shape(size * MB)
                path = Path(tmp) / f"{name}-{size}.eml"
                path.write_bytes(data)
                args = [*(command or ("explain", "--format", "json")), "--max-size", "64M",
                        str(path)]
                seconds = _run(args)
                per_mb.append(max(seconds - startup, 0.0) / (len(data) / MB))
                path.unlink()
            ratio = per_mb[-1] / per_mb[0] if per_mb[0] > 0 else float("nan")
            print(f"{name:18}" + "".join(f"{value:12.3f}" for value in per_mb)
                  + f"   {ratio:8.2f}", flush=True)


def table() -> int:
    """Run every hostile case and print it with its time and exit code."""
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':30} {'class':9} {'time':>7} {'exit':>4}  result")
        for case in cases.cases():
            outcome = cases.run_case(case, Path(tmp) / case.name)
            problems = outcome.problems()
            failed += bool(problems)
            print(f"{case.name:30} {case.group:9} {outcome.seconds:6.2f}s {outcome.code:>4}  "
                  + ("ok" if not problems else "FAIL: " + "; ".join(problems)), flush=True)
    print(f"{len(cases.cases())} cases, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the hostile-case table")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16], metavar="MB")
    args = parser.parse_args()
    if args.table:
        return table()
    bench(args.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
