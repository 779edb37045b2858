"""What codes mean: query parsing and answers as plain data (the JSON schema of lookup).

Queries: a reply code (``550``), an enhanced status code (``5.1.1``, ``X.1.1``), a pair
written any common way (``550 5.1.1``, ``550-5.1.1``, ``550 #5.1.1``), a subject or class
table (``5.7``, ``5.7.x``, ``X.7.*``, ``x.7.*``, ``4.x.x``), or a provider's own code
(``TSS04``); ``--search WORDS`` is search.py. Answers are dicts so that the JSON output
and both text renderers share one source of truth; notes.py decides the notes.
"""

from __future__ import annotations

from . import notes
from .codes import CLASS_KIND, Catalogue, ReplyCode, StatusCode
from .providers import is_provider_token, provider_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["QueryError", "answer", "known", "reply_info", "split_queries", "status_info",
           "table"]

MAX_ARGUMENT = 200
MAX_QUERIES = 100

_CLASSES = ("2", "4", "5", "X")
_WILD = ("x", "X", "*")
_REPLY_KIND = {"1": "preliminary", "2": "success", "3": "intermediate", "4": "transient",
               "5": "permanent"}

# Query syntax is checked with string methods, not regexes: this module is on the fast
# start-up path, and importing `re` alone costs about half of Python's own start-up.


def _digits(text: str, most: int) -> bool:
    return 0 < len(text) <= most and text.isascii() and text.isdigit()


def is_reply(token: str) -> bool:
    """550, 421, 199 ... (three ASCII digits, the first 1 to 5)."""
    return _digits(token, 3) and len(token) == 3 and token[0] in "12345"


def is_status(token: str) -> bool:
    """5.1.1, 4.7.26, X.7.26."""
    parts = token.split(".")
    return (len(parts) == 3 and parts[0] in _CLASSES and _digits(parts[1], 3)
            and _digits(parts[2], 3))


def is_subject(token: str) -> bool:
    """5.7, 5.7.x, X.7.*."""
    parts = token.split(".")
    return (len(parts) in (2, 3) and parts[0] in _CLASSES and _digits(parts[1], 3)
            and (len(parts) == 2 or parts[2] in _WILD))


def is_class(token: str) -> bool:
    """4.x.x, 5.*.*, X.x.x."""
    parts = token.split(".")
    return (len(parts) == 3 and parts[0] in _CLASSES and parts[1] in _WILD
            and parts[2] in _WILD)


def _is_query(token: str) -> bool:
    return (is_reply(token) or is_status(token) or is_subject(token) or is_class(token)
            or is_provider_token(token))


def _normal(word: str) -> str:
    """x.7.* is X.7.*: the class letter in capitals."""
    return "X" + word[1:] if word[:2] == "x." else word


class QueryError(ValueError):
    """A malformed query; the message is one line for the user."""


def split_queries(args: list[str]) -> list[tuple[str, ...]]:
    """Turn command-line words into queries: tuples of one code, or (reply, status)."""
    tokens: list[str] = []
    for arg in args:
        if len(arg) > MAX_ARGUMENT:
            raise QueryError(
                f"argument too long ({len(arg)} characters); give codes like 550 5.1.1"
            )
        for word in arg.replace(",", " ").split():
            word = _normal(word.lstrip("#"))
            if len(word) > 4 and word[3] == "-" and is_reply(word[:3]):  # 550-5.1.1
                tokens.extend([word[:3], _normal(word[4:].lstrip("#"))])
            else:
                tokens.append(word)
    if not tokens:
        raise QueryError("give at least one code, e.g. 550, 5.1.1 or '550 5.1.1'")
    if len(tokens) > MAX_QUERIES:
        raise QueryError(f"too many codes ({len(tokens)}); at most {MAX_QUERIES}")
    for token in tokens:
        if not _is_query(token):
            shown = token if len(token) <= 40 else token[:40] + "..."
            raise QueryError(
                f"not a code: {shown!r} (expected a reply code like 550, a status like 5.1.1, "
                "a subject like 5.7 / X.7.*, or a provider code like S3150)"
            )
    queries: list[tuple[str, ...]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if is_reply(token) and is_status(following) and not following.startswith("X"):
            queries.append((token, following))
            index += 2
        else:
            queries.append((token,))
            index += 1
    return queries


def answer(query: tuple[str, ...], catalogue: Catalogue) -> dict[str, Any]:
    """The answer to one query."""
    first = query[0]
    if len(query) == 1 and (is_class(first) or is_subject(first)):
        return table(first, catalogue)
    if len(query) == 1 and not (is_reply(first) or is_status(first)):
        return {"query": first, "type": "provider", "reply_code": None, "status": None,
                "consistent": True, "provider_codes": provider_entries(first, code=first),
                "notes": []}
    reply = next((q for q in query if is_reply(q)), None)
    status = next((q for q in query if is_status(q)), None)
    result: dict[str, Any] = {
        "query": " ".join(query),
        "type": "code",
        "reply_code": reply_info(reply, catalogue) if reply else None,
        "status": status_info(status, catalogue) if status else None,
        "consistent": True,
        "provider_codes": provider_entries(status) if status else [],
        "notes": [],
    }
    _add_notes(result, catalogue)
    return result


def _add_notes(result: dict[str, Any], catalogue: Catalogue) -> None:
    """The notes of a code answer, in order: the pair, the reply code, the status code."""
    reply, status = result["reply_code"], result["status"]
    entry = _entry(status["registry_code"], catalogue) if status else None
    pair: list[str] = []
    if reply and status:
        result["consistent"], pair = notes.pair_notes(reply, status, entry, catalogue)
    retry = notes.retry_note(status, entry, catalogue) if status else None
    if retry and result["consistent"]:
        pair.append(retry)
    sides = [note for side in (reply, status) if side for note in side.pop("_notes")]
    result["notes"] = [*pair, *sides]


def _entry(registry_code: str, catalogue: Catalogue) -> StatusCode | None:
    _, subject, detail = registry_code.split(".")
    return catalogue.status_code(subject, detail) if subject.isdigit() else None


def known(result: dict[str, Any]) -> bool:
    """True when every code in the answer is registered (tables and searches: non-empty)."""
    if result["type"] == "provider":
        return bool(result["provider_codes"])
    if result["type"] != "code":
        return bool(result["entries"])
    if result["status"] and not result["status"]["registered"] and result["provider_codes"]:
        return not result["reply_code"] or result["reply_code"]["registered"]
    return all(result[s]["registered"] for s in ("reply_code", "status") if result[s])


def reply_info(code: str, catalogue: Catalogue) -> dict[str, Any]:
    """Everything the catalogue says about a reply code (its notes under ``_notes``)."""
    meanings = catalogue.reply_code(code)
    kind = _REPLY_KIND[code[0]]
    found = notes.reply_notes(code, meanings, catalogue)
    if not meanings:
        first = catalogue.reply_digits["first"].get(code[0], {})
        second = catalogue.reply_digits["second"].get(code[1])
        meaning = first.get("meaning", "")
        if second:
            meaning += f" Category: {second['title']} ({second['meaning']})"
        title = notes.say(catalogue, "unregistered_reply_title",
                          digit_title=first.get("title", code[0] + "yz"))
        return {
            "code": code, "title": title, "meaning": meaning.strip(), "class": kind,
            "registered": False, "causes": [], "source": None, "context": None,
            "other_meanings": [], "_notes": found,
        }
    main = meanings[0]
    return {
        "code": code, "title": main.title, "meaning": main.meaning, "class": kind,
        "registered": True, "causes": list(main.causes), "source": main.source,
        "context": main.context, "other_meanings": [_meaning_dict(m) for m in meanings[1:]],
        "_notes": found,
    }


def status_info(code: str, catalogue: Catalogue) -> dict[str, Any]:
    """Everything the catalogue says about an enhanced status code (its notes under
    ``_notes``)."""
    klass, subject_text, detail_text = _normal(code).split(".")
    subject, detail = str(int(subject_text)), str(int(detail_text))
    entry = catalogue.status_code(subject, detail)
    class_info = catalogue.classes.get(klass)
    subject_info = catalogue.subjects.get(subject)
    base: dict[str, Any] = {
        "code": f"{klass}.{subject}.{detail}",
        "class": CLASS_KIND.get(klass, "any"),
        "class_title": (class_info["title"] if class_info
                        else notes.say(catalogue, "any_class_title")),
        "subject": subject_info["title"] if subject_info else None,
        "_notes": notes.status_notes(klass, subject, detail, entry, catalogue),
    }
    if entry is None:
        parts = [class_info["meaning"] if class_info else "",
                 subject_info["meaning"] if subject_info else ""]
        subject_title = (subject_info["title"] if subject_info
                         else notes.say(catalogue, "undefined_subject_title", subject=subject))
        base.update(
            registry_code=f"X.{subject}.{detail}",
            title=notes.say(catalogue, "unregistered_detail_title", subject_title=subject_title),
            meaning=" ".join(p for p in parts if p), registered=False, causes=[], who=[],
            usual_reply_codes=[], source=None,
        )
        return base
    meaning, causes, who = entry.meaning, list(entry.causes), list(entry.who)
    if klass == "2" and not all(c.startswith("2") for c in entry.reply_codes or ["-"]):
        # a failure detail sent as a success: say so neutrally, with no failure causes
        meaning = entry.success or catalogue.classes["2"]["detail"].format(
            subject=subject_info["title"] if subject_info else subject)
        causes, who = [], []
    base.update(
        registry_code=entry.code, title=_title(entry, catalogue), meaning=meaning,
        registered=True, causes=causes, who=who, usual_reply_codes=list(entry.reply_codes),
        source=entry.source,
    )
    return base


def _title(entry: StatusCode, catalogue: Catalogue) -> str:
    return entry.title or notes.say(catalogue, "no_registry_title")


def table(query: str, catalogue: Catalogue) -> dict[str, Any]:
    """Every registered detail of a subject (``5.7``) or class (``4.x.x``)."""
    query = _normal(query)
    klass = query.split(".")[0]
    subject = None if is_class(query) else str(int(query.split(".")[1]))
    entries = [
        {"code": f"{klass}.{status.subject}.{status.detail}", "kind": "status",
         "title": _title(status, catalogue), "meaning": status.meaning, "context": None}
        for status in catalogue.status.values()
        if subject is None or status.subject == subject
    ]
    if subject is not None:
        info = catalogue.subjects.get(subject)
        title = (info["title"] if info
                 else notes.say(catalogue, "undefined_subject_title", subject=subject))
    elif klass in catalogue.classes:
        title = catalogue.classes[klass]["title"]
    else:
        title = notes.say(catalogue, "any_class_title")
    return {"query": query, "type": "table", "title": title, "entries": entries, "notes": []}


def _meaning_dict(meaning: ReplyCode) -> dict[str, Any]:
    return {"context": meaning.context, "title": meaning.title, "meaning": meaning.meaning,
            "source": meaning.source}
