"""The notes of a lookup answer: what the catalogue adds beyond the two codes' meanings.

The sentences are data (``lookup_text`` in codes.yaml); this module decides which apply.
The decisions, in one place, so that no two notes contradict each other:

- a pair whose reply and status classes differ is inconsistent; sending servers go by the
  reply code, so the status side then promises no retry;
- a status code sent with a 1yz or 3yz reply is out of place (enhanced codes go with
  completion replies only);
- a consistent pair outside the registry's listed pairings is noted, unless it is a
  correct pair the registry simply does not list (``common_reply_codes``), the registry
  lists no reply code of that class for the detail (452 4.2.2, when only 552 is listed),
  or a success;
- a 4.x.x form of a detail the registry pairs only with permanent codes is temporary,
  and a retry can succeed, unless the condition cannot clear by waiting
  (``as_transient``, which replaces the promise).
"""

from __future__ import annotations

from .codes import ANY_REPLY, Catalogue, ReplyCode, StatusCode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_COMPLETION = ("success", "transient", "permanent")


def say(book: Catalogue, name: str, **values: str) -> str:
    """The lookup_text sentence `name` with its {names} filled."""
    return book.text[name].format(**values)


def reply_notes(code: str, meanings: list[ReplyCode], book: Catalogue) -> list[str]:
    """Notes about a reply code alone."""
    if not meanings:
        notes = []
        if code[1] not in book.reply_digits["second"]:
            notes.append(say(book, "undefined_second_digit", digit=code[1]))
        notes.append(say(book, "unregistered_reply", reply=code))
        return notes
    main = meanings[0]
    notes = []
    if len(meanings) > 1:
        contexts = ", ".join(m.context for m in meanings)
        notes.append(say(book, "several_meanings", reply=code, contexts=contexts))
    if main.context == "REGISTRY":
        notes.append(say(book, "registry_only", reply=code))
    if main.notes:
        notes.append(main.notes)
    return notes


def status_notes(klass: str, subject: str, detail: str, entry: StatusCode | None,
                 book: Catalogue) -> list[str]:
    """Notes about a status code alone, whatever reply came with it."""
    if entry is None:
        notes = []
        if subject not in book.subjects:
            notes.append(say(book, "undefined_subject", subject=subject))
        notes.append(say(book, "unregistered_detail", subject=subject, detail=detail))
        return notes
    notes = [n for n in (entry.deprecated, entry.notes) if n]
    if klass == "4" and entry.as_transient:
        notes.append(entry.as_transient)
    elif klass == "5" and entry.as_permanent:
        notes.append(entry.as_permanent)
    return notes


def retry_note(status: dict[str, Any], entry: StatusCode | None, book: Catalogue) -> str | None:
    """For a 4.x.x form of a detail the registry pairs only with permanent reply codes:
    the condition is declared temporary and a retry can succeed (None when the detail
    cannot clear by waiting; status_notes says so)."""
    usual = status["usual_reply_codes"]
    if (entry is None or entry.as_transient or not status["code"].startswith("4.") or not usual
            or not all(c.startswith("5") for c in usual)):
        return None
    return say(book, "transient_of_permanent", registry=entry.code, codes=", ".join(usual),
               status=status["code"])


def pair_notes(reply: dict[str, Any], status: dict[str, Any], entry: StatusCode | None,
               book: Catalogue) -> tuple[bool, list[str]]:
    """(consistent, notes) for a reply code and a status code given together."""
    if reply["class"] not in _COMPLETION:
        return False, [say(book, "not_completion", reply=reply["code"],
                           reply_class=reply["class"], status=status["code"])]
    if reply["code"][0] != status["code"][0]:
        return False, [" ".join([
            say(book, "inconsistent", reply=reply["code"], reply_class=reply["class"],
                status=status["code"], status_class=status["class"]),
            say(book, f"goes_by_reply_{reply['class']}"),
            say(book, "operator"),
        ])]
    if entry is None or reply["class"] == "success" or _listed(reply["code"], entry):
        return True, []
    return True, [say(book, "unusual_pair", reply=reply["code"], registry=entry.code,
                      codes=", ".join(entry.reply_codes))]


def _listed(code: str, entry: StatusCode) -> bool:
    """The registry lists the pair or a common correct one, or it lists no reply code of
    this class at all (4.2.2 is the transient form of a detail listed only with 552, and
    retry_note says what that means)."""
    if any(c in ANY_REPLY for c in entry.reply_codes):
        return True
    same_class = [c for c in entry.reply_codes if c[0] == code[0]]
    return not same_class or code in same_class or code in entry.common_reply_codes
