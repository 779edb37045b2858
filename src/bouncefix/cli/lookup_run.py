"""The body of ``bouncefix lookup``, shared by the click command and the fast path.

Both read the arguments into the same four values (codes, the --search value or None,
the format, --all) and hand them here, so what is answered never depends on which of the
two parsed them: with --search, every word given is a search word (``--search mailbox
full`` and ``--search 'mailbox full'`` are the same search).
"""

from __future__ import annotations

import sys

from ..streams import unicode_ok
from .exitcodes import ExitCode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

#: what lookup says when it is given nothing to look up (a usage error)
EXAMPLES = (
    "give a code or --search WORDS, for example:\n"
    "  bouncefix lookup 550 5.1.1\n"
    "  bouncefix lookup 4.7.26\n"
    "  bouncefix lookup 5.7              (every security and policy code)\n"
    "  bouncefix lookup TSS04            (a provider's own code)\n"
    "  bouncefix lookup --search mailbox full"
)


def compute(codes: list[str], search_words: str | None) -> list[dict[str, Any]]:
    """Answers for the queries (raises lookup.QueryError on malformed input or when
    there is nothing to look up)."""
    from ..catalogue import codes as catalogue
    from ..catalogue import lookup

    if search_words is not None:
        from ..catalogue import search

        words = search.search_words([search_words, *codes])
        if not words:
            raise lookup.QueryError("--search needs words, e.g. --search mailbox full")
        return [search.search(words, catalogue.load())]
    if not codes:
        raise lookup.QueryError(EXAMPLES)
    queries = lookup.split_queries(codes)
    book = catalogue.load()
    return [lookup.answer(q, book) for q in queries]


def exit_code(answers: list[dict[str, Any]]) -> int:
    """0 when every code is known, 1 otherwise (grep-like)."""
    from ..catalogue.lookup import known

    return ExitCode.OK if all(known(a) for a in answers) else ExitCode.NOTHING


def write_plain(answers: list[dict[str, Any]], stream: TextIO | None = None,
                full: bool = False) -> None:
    """Plain text to `stream` (`full`: everything, as --all asks)."""
    from ..render.lookup_plain import render_answers

    (stream or sys.stdout).write(render_answers(answers, full=full))


def write_json(answers: list[dict[str, Any]], stream: TextIO | None = None) -> None:
    """The JSON array to `stream`."""
    import json

    out = stream or sys.stdout
    json.dump(answers, out, indent=2, ensure_ascii=not unicode_ok(out))
    out.write("\n")
