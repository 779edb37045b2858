"""What codes mean: query parsing and answers as plain data (the JSON schema of lookup).

Queries: a reply code (``550``), an enhanced status code (``5.1.1``), a pair written any
common way (``550 5.1.1``, ``550-5.1.1``, ``550 #5.1.1``), a subject or class table
(``5.7``, ``5.7.x``, ``X.7.*``, ``4.x.x``), or ``--search WORDS``. Answers are dicts so
that the JSON output and both text renderers share one source of truth.
"""

from __future__ import annotations

from .codes import CLASS_KIND, Catalogue, ReplyCode, StatusCode
from .providers import is_provider_token, provider_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_ARGUMENT = 200
MAX_QUERIES = 100

_WILD = ("x", "X", "*")

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
    return (len(parts) == 3 and parts[0] in ("2", "4", "5", "X") and _digits(parts[1], 3)
            and _digits(parts[2], 3))


def is_subject(token: str) -> bool:
    """5.7, 5.7.x, X.7.*."""
    parts = token.split(".")
    return (len(parts) in (2, 3) and parts[0] in ("2", "4", "5", "X") and _digits(parts[1], 3)
            and (len(parts) == 2 or parts[2] in _WILD))


def is_class(token: str) -> bool:
    """4.x.x, 5.*.*."""
    parts = token.split(".")
    return (len(parts) == 3 and parts[0] in ("2", "4", "5", "X") and parts[1] in _WILD
            and parts[2] in _WILD)


def _is_query(token: str) -> bool:
    return (is_reply(token) or is_status(token) or is_subject(token) or is_class(token)
            or is_provider_token(token))


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
            word = word.lstrip("#")
            if len(word) > 4 and word[3] == "-" and is_reply(word[:3]):  # 550-5.1.1
                tokens.extend([word[:3], word[4:].lstrip("#")])
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
    if len(query) == 1 and (is_class(query[0]) or is_subject(query[0])):
        return table(query[0], catalogue)
    if len(query) == 1 and is_provider_token(query[0]):
        return {"query": query[0], "type": "provider", "reply_code": None, "status": None,
                "consistent": True, "provider_codes": provider_entries(query[0]), "notes": []}
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
    _check_pair(result, catalogue)
    for side in ("reply_code", "status"):
        if result[side]:
            result["notes"].extend(result[side].pop("_notes"))
    return result


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
    """Everything the catalogue says about a reply code."""
    meanings = catalogue.reply_code(code)
    kind = _reply_kind(code, catalogue)
    notes: list[str] = []
    if not meanings:
        first = catalogue.reply_digits["first"].get(code[0], {})
        second = catalogue.reply_digits["second"].get(code[1])
        meaning = f"{first.get('meaning', '')}"
        if second:
            meaning += f" Category: {second['title']} ({second['meaning']})"
        else:
            notes.append(f"the second digit {code[1]} has no defined category in RFC 5321")
        notes.append(f"{code} is not a registered reply code; its meaning comes from its digits")
        return {
            "code": code, "title": f"{first.get('title', 'Unknown')} (unregistered code)",
            "meaning": meaning.strip(), "class": kind, "registered": False, "causes": [],
            "source": None, "context": None, "other_meanings": [], "_notes": notes,
        }
    main = meanings[0]
    others = [_meaning_dict(m) for m in meanings[1:]]
    if others:
        contexts = ", ".join(m.context for m in meanings)
        notes.append(f"{code} means different things depending on the exchange ({contexts}); "
                     "the server's text or the enhanced code tells which")
    if main.context == "REGISTRY":
        notes.append(
            f"{code} appears only in the IANA registry's pairings; no RFC defines its text"
        )
    if main.notes:
        notes.append(main.notes)
    return {
        "code": code, "title": main.title, "meaning": main.meaning, "class": kind,
        "registered": True, "causes": list(main.causes), "source": main.source,
        "context": main.context, "other_meanings": others, "_notes": notes,
    }


def status_info(code: str, catalogue: Catalogue) -> dict[str, Any]:
    """Everything the catalogue says about an enhanced status code."""
    klass, subject_text, detail_text = code.split(".")
    subject, detail = str(int(subject_text)), str(int(detail_text))
    code = f"{klass}.{subject}.{detail}"
    entry = catalogue.status_code(subject, detail)
    class_info = catalogue.classes.get(klass)
    subject_info = catalogue.subjects.get(subject)
    notes: list[str] = []
    base: dict[str, Any] = {
        "code": code,
        "class": CLASS_KIND.get(klass, "any"),
        "class_title": class_info["title"] if class_info else None,
        "subject": subject_info["title"] if subject_info else None,
    }
    if entry is None:
        parts = [class_info["meaning"] if class_info else "", subject_info["meaning"] if
                 subject_info else ""]
        if subject_info is None:
            notes.append(f"subject {subject} is not defined by RFC 3463 (only 0 to 7 are)")
        notes.append(f"detail {subject}.{detail} is not registered with IANA; only the class "
                     "and subject carry meaning")
        base.update(
            registry_code=f"X.{subject}.{detail}",
            title=f"{subject_info['title'] if subject_info else 'Unknown subject'} "
                  "(unregistered detail)",
            meaning=" ".join(p for p in parts if p), registered=False, causes=[], who=[],
            usual_reply_codes=[], source=None, _notes=notes,
        )
        return base
    if entry.deprecated:
        notes.append(entry.deprecated)
    usual = entry.reply_codes
    if klass == "4" and usual and all(c.startswith("5") for c in usual):
        notes.append(f"the registry pairs X.{subject}.{detail} with permanent reply codes "
                     f"({', '.join(usual)}); sent as 4.{subject}.{detail} it marks the condition "
                     "as temporary, so a later retry can succeed")
    base.update(
        registry_code=entry.code, title=entry.title, meaning=entry.meaning, registered=True,
        causes=list(entry.causes), who=list(entry.who), usual_reply_codes=list(usual),
        source=entry.source, _notes=notes,
    )
    return base


def table(query: str, catalogue: Catalogue) -> dict[str, Any]:
    """Every registered detail of a subject (``5.7``) or class (``4.x.x``)."""
    klass = query.split(".")[0]
    subject = None if is_class(query) else str(int(query.split(".")[1]))
    entries = [
        _table_row(klass, status)
        for status in catalogue.status.values()
        if subject is None or status.subject == subject
    ]
    title = None
    if subject is not None:
        info = catalogue.subjects.get(subject)
        title = info["title"] if info else None
    elif klass in catalogue.classes:
        title = catalogue.classes[klass]["title"]
    return {"query": query, "type": "table", "title": title, "entries": entries, "notes": []}


def search(words: str, catalogue: Catalogue) -> dict[str, Any]:
    """Entries whose title, meaning or causes contain every word of `words`."""
    terms = [w.lower() for w in words.split() if w][:20]
    entries = []
    for status in catalogue.status.values():
        haystack = " ".join([status.title, status.meaning, *status.causes]).lower()
        if terms and all(t in haystack for t in terms):
            entries.append(_table_row("X", status))
    for meanings in catalogue.reply.values():
        for meaning in meanings:
            haystack = " ".join([meaning.title, meaning.meaning, *meaning.causes]).lower()
            if terms and all(t in haystack for t in terms):
                entries.append({"code": meaning.code, "kind": "reply_code", "title": meaning.title,
                                "meaning": meaning.meaning, "context": meaning.context})
    return {"query": words, "type": "search", "title": None, "entries": entries, "notes": []}


def _table_row(klass: str, status: StatusCode) -> dict[str, Any]:
    return {"code": f"{klass}.{status.subject}.{status.detail}", "kind": "status",
            "title": status.title, "meaning": status.meaning, "context": None}


def _meaning_dict(meaning: ReplyCode) -> dict[str, Any]:
    return {"context": meaning.context, "title": meaning.title, "meaning": meaning.meaning,
            "source": meaning.source}


def _reply_kind(code: str, catalogue: Catalogue) -> str:
    return {"1": "preliminary", "2": "success", "3": "intermediate", "4": "transient",
            "5": "permanent"}[code[0]]


def _check_pair(result: dict[str, Any], catalogue: Catalogue) -> None:
    reply, status = result["reply_code"], result["status"]
    if not reply or not status:
        return
    if reply["code"][0] != status["code"][0]:
        result["consistent"] = False
        result["notes"].append(
            f"inconsistent: reply {reply['code']} is {reply['class']} but status "
            f"{status['code']} is {status['class']}; trust the reply code for retrying, and "
            "report the mismatch to the server's operator if it is yours"
        )
        return
    usual = status.get("usual_reply_codes") or []
    if usual and reply["code"] not in usual and "5XX" not in usual and "Any" not in usual:
        result["notes"].append(
            f"{reply['code']} is not among the reply codes usually paired with "
            f"{status['registry_code']} ({', '.join(usual)}); servers often differ"
        )
