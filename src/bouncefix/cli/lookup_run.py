"""The body of ``bouncefix lookup``, shared by the click command and the fast path."""

from __future__ import annotations

import sys

from ..streams import unicode_ok
from .exitcodes import ExitCode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO


def compute(codes: list[str], search_words: str | None) -> list[dict[str, Any]]:
    """Answers for the queries (raises lookup.QueryError on malformed input)."""
    from ..catalogue import codes as catalogue
    from ..catalogue import lookup

    book = catalogue.load()
    answers = []
    if search_words is not None:
        answers.append(lookup.search(search_words, book))
    if codes:
        answers.extend(lookup.answer(q, book) for q in lookup.split_queries(codes))
    return answers


def exit_code(answers: list[dict[str, Any]]) -> int:
    """0 when every code is known, 1 otherwise (grep-like)."""
    from ..catalogue.lookup import known

    return ExitCode.OK if all(known(a) for a in answers) else ExitCode.NOTHING


def write_plain(answers: list[dict[str, Any]], stream: TextIO | None = None) -> None:
    """Plain text to `stream`."""
    from ..render.lookup_plain import render_answers

    (stream or sys.stdout).write(render_answers(answers))


def write_json(answers: list[dict[str, Any]], stream: TextIO | None = None) -> None:
    """The JSON array to `stream`."""
    import json

    out = stream or sys.stdout
    json.dump(answers, out, indent=2, ensure_ascii=not unicode_ok(out))
    out.write("\n")
