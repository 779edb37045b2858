"""``lookup --search WORDS``: catalogue entries whose text holds every word, best first.

An entry matches when each word occurs in its title, meaning or causes. It ranks by where
the words occur together: all of them in the title counts most, then in the meaning,
then in one cause; the words as one phrase count double. Words scattered over unrelated
causes ("mailbox" in one, "full" in another) still match, but rank last. String methods
only: this is on the fast start-up path.
"""

from __future__ import annotations

from .codes import Catalogue, ReplyCode, StatusCode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_TERMS = 20
MAX_LENGTH = 200
#: weight of a field when every search word occurs in it
_TITLE, _MEANING, _CAUSE = 8.0, 3.0, 1.0


def search_words(parts: list[str]) -> str:
    """The search text of several command-line words, cleaned (:func:`clean_words`)."""
    return clean_words(" ".join(parts))


def clean_words(words: str) -> str:
    """The search text as printable words: control, format and other invisible characters
    (terminal escapes, bidi overrides) become spaces; at most MAX_LENGTH characters."""
    printable = "".join(c if c.isprintable() else " " for c in words[:MAX_LENGTH])
    return " ".join(printable.split())


def search(words: str, book: Catalogue) -> dict[str, Any]:
    """Entries whose title, meaning or causes contain every word of `words`, best first."""
    query = clean_words(words)
    terms = [w.lower() for w in query.split()][:MAX_TERMS]
    scored: list[tuple[float, int, dict[str, Any]]] = []
    if terms:
        for status in book.status.values():
            score = _score(terms, _fields_of_status(status, book))
            if score:
                scored.append((score, len(scored), _status_row(status, book)))
        for meanings in book.reply.values():
            for meaning in meanings:
                score = _score(terms, _fields_of_reply(meaning))
                if score:
                    scored.append((score, len(scored), _reply_row(meaning)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {"query": query, "type": "search", "title": book.text["search_title"],
            "entries": [row for _, _, row in scored], "notes": []}


def _score(terms: list[str], fields: list[tuple[float, str]]) -> float:
    """0 when some term is missing from every field; else the rank."""
    if not all(any(t in text for _, text in fields) for t in terms):
        return 0.0
    phrase = " ".join(terms)
    score = 0.0
    for weight, text in fields:
        found = sum(t in text for t in terms)
        if found == len(terms):
            score += weight * (2 if len(terms) > 1 and phrase in text else 1)
        else:
            score += weight * found / len(terms) / 4
    return score


def _fields_of_status(status: StatusCode, book: Catalogue) -> list[tuple[float, str]]:
    title = status.title or book.text["no_registry_title"]
    return [(_TITLE, title.lower()), (_MEANING, status.meaning.lower()),
            *((_CAUSE, c.lower()) for c in status.causes)]


def _fields_of_reply(meaning: ReplyCode) -> list[tuple[float, str]]:
    return [(_TITLE, meaning.title.lower()), (_MEANING, meaning.meaning.lower()),
            *((_CAUSE, c.lower()) for c in meaning.causes)]


def _status_row(status: StatusCode, book: Catalogue) -> dict[str, Any]:
    return {"code": f"X.{status.subject}.{status.detail}", "kind": "status",
            "title": status.title or book.text["no_registry_title"], "meaning": status.meaning,
            "context": None}


def _reply_row(meaning: ReplyCode) -> dict[str, Any]:
    return {"code": meaning.code, "kind": "reply_code", "title": meaning.title,
            "meaning": meaning.meaning, "context": meaning.context}
