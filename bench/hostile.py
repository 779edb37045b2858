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
    python bench/hostile.py --only mime-depth recipients
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
    "semicolon-params": (lambda size: cases.semicolon_parameters(size // 60_000), ()),
    "recipients": (lambda size: cases.many_recipients(size // 120), ()),
    "recipients-x-paras": (lambda size: cases.recipients_and_paragraphs(size // 160), ()),
    "binary": (lambda size: _repeat(bytes(range(256)), size), ()),
    "mbox-messages": (lambda size: cases.many_messages(size // 1000),
                      ("scan", "--format", "jsonl", "--jobs", "1")),
}


def _run(args: list[str], timeout: float = 600) -> float | None:
    """Wall time of one run, None when it did not end within `timeout` seconds."""
    start = time.perf_counter()
    try:
        subprocess.run([*cases.command(), *args], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, check=False,
                       env=cases.clean_env({}), timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def bench(sizes: list[int], timeout: float, only: list[str]) -> None:
    """Print s/MB per shape and size (start-up subtracted), and the seconds of the
    largest size as measured."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.eml"
        small.write_bytes(cases.dsn())
        _run(["explain", str(small)])  # warm the caches
        startup = statistics.median(_run(["explain", str(small)]) or 0.0 for _ in range(5))
        print(f"start-up {startup:.3f} s, subtracted; seconds per MB at each size, then the "
              f"wall time of the largest (runs stopped after {timeout:.0f} s)")
        print(f"{'shape':20}" + "".join(f"{f'{size} MB':>10}" for size in sizes)
              + f"{'wall':>10}")
        for name, (shape, command) in SHAPES.items():
            if only and name not in only:
                continue
            cells: list[str] = []
            wall = "-"
            for size in sizes:
                data = shape(size * MB)
                path = Path(tmp) / f"{name}-{size}.eml"
                path.write_bytes(data)
                args = [*(command or ("explain", "--format", "json")), "--max-size", "64M",
                        str(path)]
                seconds = _run(args, timeout)
                path.unlink()
                if seconds is None:
                    cells.append(f"{f'>{timeout:.0f}s':>10}")
                    wall = "timeout"
                    break
                cells.append(f"{max(seconds - startup, 0.0) / (len(data) / MB):10.3f}")
                wall = f"{seconds:.2f}s"
            print(f"{name:20}" + "".join(cells) + " " * 10 * (len(sizes) - len(cells))
                  + f"{wall:>10}", flush=True)


def table() -> int:
    """Run every hostile case and print it with its time and exit code."""
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':30} {'class':9} {'time':>7} {'exit':>4}  result")
        for case in cases.cases():
            outcome = cases.run_case(case, Path(tmp) / case.name)
            problems = outcome.problems()
            if case.xfail:
                result = f"known problem ({case.xfail})" if problems else "ok (fixed: drop xfail)"
            else:
                failed += bool(problems)
                result = "ok" if not problems else "FAIL: " + "; ".join(problems)
            print(f"{case.name:30} {case.group:9} {outcome.seconds:6.2f}s {outcome.code:>4}  "
                  + result, flush=True)
    known = sum(bool(case.xfail) for case in cases.cases())
    print(f"{len(cases.cases())} cases, {failed} failed, {known} known problem(s)")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the hostile-case table")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16], metavar="MB")
    parser.add_argument("--timeout", type=float, default=120, metavar="SECONDS",
                        help="stop a run after this long (default 120)")
    parser.add_argument("--only", nargs="+", default=[], metavar="SHAPE",
                        choices=sorted(SHAPES), help="only these shapes")
    args = parser.parse_args()
    if args.table:
        return table()
    bench(args.sizes, args.timeout, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
