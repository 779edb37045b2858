#!/usr/bin/env python3
"""Fuzz target (atheris / libFuzzer) for the whole explain path: bytes -> ingest -> MIME ->
parsers -> rules -> every renderer (plain, Markdown, rich, JSON).

A finding is any exception (bouncefix must never raise on input) or a broken output
invariant: a control, bidi or zero-width character in printed text, JSON that does not
round-trip, an interpretable rich markup tag.

usage (not run by CI or pytest; needs ``pip install atheris``, CPython 3.8-3.11):
    python fuzz/fuzz_explain.py -max_total_time=600 -max_len=65536 fuzz/corpus tests/samples/*/
    python fuzz/fuzz_explain.py crash-1234abcd ...     replay inputs, with or without atheris

libFuzzer options go first; the first directory collects the new inputs it finds (create
it first). Without atheris and without files to replay, the script says so and exits 0.
"""

from __future__ import annotations

import io
import json
import os
import sys

FORBIDDEN = frozenset(
    {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
    | set("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
          "\u2068\u2069\ufeff\u2028\u2029")
)

try:
    import atheris
except ImportError:
    atheris = None


def _imports() -> None:
    global analyze_bytes, markdown, plain, report_dict, rich_view, Console
    from rich.console import Console

    from bouncefix.analysis import analyze_bytes
    from bouncefix.render import markdown, plain, rich_view
    from bouncefix.render.data import report_dict


def _check_text(where: str, text: str) -> None:
    bad = set(text) & (FORBIDDEN - {"\n"})
    if bad:
        raise AssertionError(f"{where}: {sorted(bad)!r} in output")


def test_one_input(data: bytes) -> None:
    """One input through every renderer; raises on any problem."""
    reports = analyze_bytes(data)
    _check_text("plain", plain.render_reports(reports, verbose=True))
    _check_text("markdown", markdown.render_reports(reports, verbose=True))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, markup=False, emoji=False, highlight=False,
                      color_system=None)
    rich_view.render_reports(console, reports, verbose=True)
    _check_text("rich", buffer.getvalue())
    for report in reports:
        dumped = json.dumps(report_dict(report), ensure_ascii=False)
        dumped.encode("utf-8")
        if json.loads(dumped) != report_dict(report):
            raise AssertionError("JSON does not round-trip")
        _check_text("json", dumped)


def main() -> int:
    files = [arg for arg in sys.argv[1:] if not arg.startswith("-") and os.path.isfile(arg)]
    if atheris is None or (files and len(files) == len(sys.argv) - 1):
        if not files:
            print("fuzz_explain: atheris is not installed (pip install atheris); skipping",
                  file=sys.stderr)
            return 0
        _imports()
        for path in files:
            with open(path, "rb") as handle:
                test_one_input(handle.read())
            print(f"fuzz_explain: {path}: ok", file=sys.stderr)
        return 0
    with atheris.instrument_imports():
        _imports()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
