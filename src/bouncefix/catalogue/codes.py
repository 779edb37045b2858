"""The code catalogue (``data/codes.yaml``): SMTP reply codes and enhanced status codes.

Loaded once per process, validated strictly (unknown keys, missing fields, duplicates and
malformed codes are errors naming the entry). This module is on the start-up path of
``bouncefix lookup``, so it uses plain slotted classes (no dataclasses, which pull in
``inspect``) and the data bundle of an installed copy (datafiles.py).
"""

from __future__ import annotations

from ..datafiles import DataError, read

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WHO = ("sender", "sender-admin", "recipient", "recipient-admin")
KINDS = ("success", "intermediate", "transient", "permanent")
CONTEXTS = ("SMTP", "AUTH", "STARTTLS", "ETRN", "ATRN", "REGISTRY")
CLASS_KIND = {"2": "success", "4": "transient", "5": "permanent"}
#: pseudo reply codes of the registry's pairings: any code at all (X.0.0), any 5yz code
ANY_REPLY = ("Any", "5XX")
#: the notes and labels lookup adds (``lookup_text`` in codes.yaml), with the names each
#: may use; catalogue/notes.py fills them
TEXT_NAMES: dict[str, tuple[str, ...]] = {
    "inconsistent": ("reply", "reply_class", "status", "status_class"),
    "goes_by_reply_permanent": (), "goes_by_reply_transient": (), "goes_by_reply_success": (),
    "operator": (),
    "not_completion": ("reply", "reply_class", "status"),
    "unusual_pair": ("reply", "registry", "codes"),
    "transient_of_permanent": ("registry", "codes", "status"),
    "several_meanings": ("reply", "contexts"),
    "registry_only": ("reply",),
    "unregistered_reply": ("reply",),
    "undefined_second_digit": ("digit",),
    "undefined_subject": ("subject",),
    "unregistered_detail": ("subject", "detail"),
    "unregistered_reply_title": ("digit_title",),
    "unregistered_detail_title": ("subject_title",),
    "undefined_subject_title": ("subject",),
    "no_registry_title": (),
    "any_class_title": (),
    "search_title": (),
}


def _is_reply(code: str) -> bool:
    return len(code) == 3 and code.isascii() and code.isdigit() and code[0] in "2345"


def _status_key(code: str) -> tuple[str, str] | None:
    """('1', '1') for 'X.1.1'; None when malformed. String checks, no regexes: this
    module is on the fast start-up path."""
    parts = code.split(".")
    if len(parts) != 3 or parts[0] != "X" or len(parts[1]) != 1 or parts[1] not in "01234567":
        return None
    detail = parts[2]
    if not (0 < len(detail) <= 3 and detail.isascii() and detail.isdigit()):
        return None
    return parts[1], str(int(detail))


class ReplyCode:
    """One meaning of a basic reply code (a code may have several, one per context)."""

    __slots__ = ("causes", "code", "context", "kind", "meaning", "notes", "source", "title")

    def __init__(self, entry: dict[str, Any], where: str) -> None:
        _keys(entry, where, {"code", "context", "title", "meaning", "kind", "causes", "source"},
              {"notes"})
        self.code = _str(entry, "code", where)
        if not _is_reply(self.code):
            raise DataError(f"{where}: bad reply code {self.code!r}")
        self.context = _choice(entry, "context", CONTEXTS, where)
        self.title = _str(entry, "title", where)
        self.meaning = _str(entry, "meaning", where)
        self.kind = _choice(entry, "kind", KINDS, where)
        self.causes = _str_list(entry, "causes", where)
        if self.kind in ("transient", "permanent") and not self.causes:
            raise DataError(f"{where}: a {self.kind} code needs causes")
        self.source = _str(entry, "source", where)
        self.notes = str(entry["notes"]) if entry.get("notes") else None


class StatusCode:
    """One detail entry of the enhanced status code registry (X.subject.detail).

    `title` is the registry's, None where the registry gives none (X.6.10). Optional:
    `common_reply_codes` (correct pairs the registry does not list), `success` (the
    meaning as 2.x.x where `meaning` describes a failure), `as_transient` (a 4.x.x form
    that waiting cannot clear), `as_permanent` (what a 5.x.x form of a transient code
    usually means), `notes` and `deprecated` (said with every answer)."""

    __slots__ = ("as_permanent", "as_transient", "causes", "code", "common_reply_codes",
                 "deprecated", "detail", "meaning", "notes", "reply_codes", "source",
                 "subject", "success", "title", "who")

    def __init__(self, entry: dict[str, Any], where: str) -> None:
        _keys(entry, where, {"code", "meaning", "causes", "who", "reply_codes", "source"},
              {"title", "deprecated", "notes", "success", "as_transient", "as_permanent",
               "common_reply_codes"})
        self.code = _str(entry, "code", where)
        key = _status_key(self.code)
        if key is None:
            raise DataError(f"{where}: bad status code {self.code!r} (want X.s.d)")
        self.subject, self.detail = key
        self.deprecated = _optional(entry, "deprecated", where)
        self.title = _optional(entry, "title", where)
        if self.title is None and self.deprecated is None:
            raise DataError(f"{where}: only a deprecated code may lack a title")
        self.meaning = _str(entry, "meaning", where)
        self.causes = _str_list(entry, "causes", where)
        self.who = _str_list(entry, "who", where)
        if not self.who or set(self.who) - set(WHO):
            raise DataError(f"{where}: who must be a non-empty list from {', '.join(WHO)}")
        self.reply_codes = _reply_list(entry, "reply_codes", where)
        self.common_reply_codes = _reply_list(entry, "common_reply_codes", where)
        if set(self.common_reply_codes) & set(self.reply_codes):
            raise DataError(f"{where}: common_reply_codes repeats a registry pairing")
        self.source = _str(entry, "source", where)
        self.notes = _optional(entry, "notes", where)
        self.success = _optional(entry, "success", where)
        self.as_transient = _optional(entry, "as_transient", where)
        self.as_permanent = _optional(entry, "as_permanent", where)


class Catalogue:
    """The whole catalogue, indexed for lookups."""

    __slots__ = ("classes", "reply", "reply_digits", "status", "subjects", "text")

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise DataError("codes.yaml: expected a mapping at the top level")
        _keys(data, "codes.yaml",
              {"version", "reply_digits", "reply_codes", "status_classes", "status_subjects",
               "status_codes", "lookup_text"}, set())
        self.reply: dict[str, list[ReplyCode]] = {}
        for index, entry in enumerate(_list(data, "reply_codes", "codes.yaml")):
            code = ReplyCode(entry, f"codes.yaml: reply_codes #{index + 1} ({_name(entry)})")
            same = self.reply.setdefault(code.code, [])
            if any(other.context == code.context for other in same):
                raise DataError(f"codes.yaml: duplicate reply code {code.code} ({code.context})")
            same.append(code)
        self.status: dict[str, StatusCode] = {}
        for index, entry in enumerate(_list(data, "status_codes", "codes.yaml")):
            status = StatusCode(entry, f"codes.yaml: status_codes #{index + 1} ({_name(entry)})")
            key = f"{status.subject}.{status.detail}"
            if key in self.status:
                raise DataError(f"codes.yaml: duplicate status code {status.code}")
            self.status[key] = status
        self.classes = _titled(data, "status_classes", {"2", "4", "5"}, {"retry"}, {"detail"})
        detail = self.classes["2"].get("detail")
        if detail is None or "{subject}" not in detail:
            raise DataError("codes.yaml: status_classes.2 needs detail, the success wording "
                            "of a failure detail, naming its {subject}")
        _fills(detail, ("subject",), "codes.yaml: status_classes.2.detail")
        self.text = _texts(data.get("lookup_text"))
        self.subjects = _titled(data, "status_subjects", {str(n) for n in range(8)})
        digits = data.get("reply_digits")
        if not isinstance(digits, dict) or set(digits) != {"first", "second", "third"}:
            raise DataError("codes.yaml: reply_digits needs first, second and third")
        self.reply_digits: dict[str, Any] = {
            "first": _titled(digits, "first", {"1", "2", "3", "4", "5"}),
            "second": _titled(digits, "second", {str(n) for n in range(6)}),
            "third": digits["third"],
        }
        _keys(self.reply_digits["third"], "codes.yaml: reply_digits.third",
              {"title", "meaning"}, set())

    def reply_code(self, code: str) -> list[ReplyCode]:
        """Every meaning of a reply code (SMTP first), or []."""
        return self.reply.get(code, [])

    def status_code(self, subject: str, detail: str) -> StatusCode | None:
        """The registry entry for X.subject.detail, or None."""
        return self.status.get(f"{int(subject)}.{int(detail)}")


_CATALOGUE: Catalogue | None = None


def load() -> Catalogue:
    """The catalogue, loaded and validated once per process."""
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = Catalogue(read("codes.yaml"))
    return _CATALOGUE


def _texts(value: Any) -> dict[str, str]:
    """lookup_text: exactly the known names, each using only its own {names}."""
    where = "codes.yaml: lookup_text"
    if not isinstance(value, dict) or set(value) != set(TEXT_NAMES):
        raise DataError(f"{where} needs exactly the keys {', '.join(sorted(TEXT_NAMES))}")
    out = {}
    for name, names in TEXT_NAMES.items():
        out[name] = _fills(_str(value, name, where), names, f"{where}.{name}")
    return out


def _fills(text: str, names: tuple[str, ...], where: str) -> str:
    """`text`, checked to use no {name} but `names`."""
    try:
        text.format(**{n: n for n in names})
    except (KeyError, IndexError, ValueError) as error:
        raise DataError(f"{where}: unknown or malformed {{name}}: {error}") from None
    return text


def _optional(entry: dict[str, Any], key: str, where: str) -> str | None:
    return _str(entry, key, where) if key in entry else None


def _reply_list(entry: dict[str, Any], key: str, where: str) -> list[str]:
    codes = _str_list(entry, key, where) if key in entry else []
    for code in codes:
        if not (_is_reply(code) or code in ANY_REPLY):
            raise DataError(f"{where}: bad reply code {code!r} in {key}")
    return codes


def _name(entry: Any) -> str:
    return str(entry.get("code", "?")) if isinstance(entry, dict) else "?"


def _keys(entry: Any, where: str, required: set[str], optional: set[str]) -> None:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: expected a mapping")
    missing = required - set(entry)
    if missing:
        raise DataError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = set(entry) - required - optional
    if unknown:
        raise DataError(f"{where}: unknown keys {', '.join(sorted(map(str, unknown)))}")


def _str(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _choice(entry: dict[str, Any], key: str, choices: tuple[str, ...], where: str) -> str:
    value = _str(entry, key, where)
    if value not in choices:
        raise DataError(f"{where}: {key} must be one of {', '.join(choices)}")
    return value


def _str_list(entry: dict[str, Any], key: str, where: str, allow_empty: bool = True) -> list[str]:
    value = entry.get(key)
    if not isinstance(value, list) or any(type(v) not in (str, int) for v in value):
        raise DataError(f"{where}: {key} must be a list of strings")
    if not value and not allow_empty:
        raise DataError(f"{where}: {key} must not be empty")
    return [str(v) for v in value]


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: {key} must be a non-empty list")
    return value


def _titled(
    data: dict[str, Any], key: str, keys: set[str], required: frozenset[str] | set[str] = frozenset(),
    optional: frozenset[str] | set[str] = frozenset(),
) -> dict[str, dict[str, str]]:
    value = data.get(key)
    if not isinstance(value, dict) or {str(k) for k in value} != keys:
        raise DataError(f"codes.yaml: {key} needs exactly the keys {', '.join(sorted(keys))}")
    out = {}
    for name, entry in value.items():
        where = f"codes.yaml: {key}.{name}"
        _keys(entry, where, {"title", "meaning", *required}, set(optional))
        out[str(name)] = {k: _str(entry, k, where) for k in entry}
    return out
