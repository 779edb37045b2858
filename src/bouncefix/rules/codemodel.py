"""What the codes alone say: a reason and a confidence from the enhanced status code, the
reply code and the SMTP stage (``data/codemodel.yaml``), used when no text rule names the
cause.

Precedence inside the model: the enhanced code's detail (X.1.1); then the more confident
of its subject (X.1) and the reply code (550), the subject on a tie; then the class digit.
An enhanced code of X.0.0 states no detail, so the reply code and the stage decide. Within
an entry, the most specific key wins: "<class> <stage>", "<stage>", "<class>", "any".
"""

# (no "from __future__ import annotations": NamedTuple would compile each field's
# annotation from its string at start-up)

from functools import lru_cache
from typing import Any, NamedTuple

from ..datafiles import DataError, read
from ..model import Confidence, Reason

STAGES = ("CONNECT", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA")
#: smtp_command values of a Finding, as stages
_COMMAND_STAGES = {"EHLO": "HELO", "HELO": "HELO", "XFORWARD": "MAIL", "BDAT": "DATA"}
_CONFIDENCES = {"low": Confidence.LOW, "medium": Confidence.MEDIUM}


class CodeVerdict(NamedTuple):
    """The code model's answer for one finding."""

    reason: Reason
    confidence: Confidence
    #: an enhanced code with a detail of its own decided (not X.y.0, not a vague detail
    #: such as X.7.1, not only the class or the reply code)
    specific: bool
    #: what decided, for the rule id: "X.7.1@RCPT", "550@RCPT", "5"
    basis: str

    @property
    def provider_detail(self) -> bool:
        """A three-digit detail (X.7.134): one provider's code for one condition."""
        detail = self.basis.split("@")[0].split(".")
        return len(detail) == 3 and len(detail[2]) == 3

Entry = dict[str, tuple[Reason, Confidence]]


class CodeModel(NamedTuple):
    details: dict[str, Entry]
    subjects: dict[str, Entry]
    replies: dict[str, Entry]
    classes: dict[str, Entry]
    stage_words: tuple[tuple[str, str], ...]
    reply_stages: dict[str, str]
    #: details that name no particular cause (X.7.1 "delivery not authorized")
    vague: frozenset[str]
    #: reply codes that name their own cause (530): they outrank a detail naming none
    specific_replies: frozenset[str]
    #: stage -> {reason the words name: reason they mean at that stage}
    at_stage: dict[str, dict[Reason, Reason]]
    #: enhanced codes about the sender's address (X.1.7): read as the MAIL stage
    sender_codes: frozenset[str]
    #: enhanced codes that name the recipient's mailbox as bad (X.1.1): words agreeing
    #: with them keep their meaning after DATA (an LMTP store refuses recipients there)
    mailbox_codes: frozenset[str]
    #: fix steps put first when only a vague code is to go by: transient, permanent
    thin_advice: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def load_model() -> CodeModel:
    """The validated code model."""
    data: Any = read("codemodel.yaml")
    if not isinstance(data, dict):
        raise DataError("codemodel.yaml: expected a mapping")
    words: list[tuple[str, str]] = []
    for stage, phrases in (data.get("stage_words") or {}).items():
        _stage(stage, "codemodel.yaml: stage_words")
        words.extend((str(p).lower(), stage) for p in phrases)
    reply_stages = {}
    for key, stage in (data.get("reply_stages") or {}).items():
        reply_stages[str(key)] = _stage(stage, f"codemodel.yaml: reply_stages {key}")
    return CodeModel(
        details=_table(data, "details"),
        subjects=_table(data, "subjects"),
        replies=_table(data, "replies"),
        classes=_table(data, "classes"),
        stage_words=tuple(words),
        reply_stages=reply_stages,
        vague=frozenset(str(code) for code in data.get("vague") or ()),
        specific_replies=frozenset(str(code) for code in data.get("specific_replies") or ()),
        at_stage={_stage(stage, "codemodel.yaml: at_stage"): {
            Reason(said): Reason(meant) for said, meant in remap.items()}
            for stage, remap in (data.get("at_stage") or {}).items()},
        sender_codes=frozenset(str(code) for code in data.get("sender_codes") or ()),
        mailbox_codes=frozenset(str(code) for code in data.get("mailbox_codes") or ()),
        thin_advice={str(key): tuple(str(step) for step in steps)
                     for key, steps in (data.get("thin_advice") or {}).items()},
    )


def at_stage(reason: Reason, stage: str | None, status: str | None = None) -> Reason:
    """What words naming `reason` mean at `stage` (at_stage in codemodel.yaml); an
    enhanced code about the sender's address (sender_codes) counts as the MAIL stage."""
    model = load_model()
    detail = f"X.{status.partition('.')[2]}" if status else ""
    if detail in model.sender_codes:
        stage = "MAIL"
    if stage is None or (stage == "DATA" and detail in model.mailbox_codes):
        return reason
    return model.at_stage.get(stage, {}).get(reason, reason)


def _stage(value: Any, where: str) -> str:
    if value not in STAGES:
        raise DataError(f"{where}: unknown stage {value!r} (one of {', '.join(STAGES)})")
    return str(value)


def _table(data: dict[str, Any], name: str) -> dict[str, Entry]:
    table = {}
    for code, entry in (data.get(name) or {}).items():
        where = f"codemodel.yaml: {name} {code}"
        if not isinstance(entry, dict) or "any" not in entry:
            raise DataError(f"{where}: needs an 'any' key")
        parsed: Entry = {}
        for key, value in entry.items():
            key = str(key)
            digit, _, stage = key.partition(" ") if key[0].isdigit() else ("", "", key)
            if (digit and digit not in "245") or (stage and stage not in ("any", "final")
                                                and stage not in STAGES):
                raise DataError(f"{where}: bad key {key!r}")
            reason, _, confidence = str(value).partition(" ")
            try:
                parsed[key] = (Reason(reason), _CONFIDENCES[confidence])
            except (ValueError, KeyError):
                raise DataError(f"{where}: {key}: expected 'reason low|medium', got {value!r}"
                                ) from None
        table[str(code)] = parsed
    return table


def stage_of(command: str | None, reply_code: str | None, lowered: str) -> str | None:
    """The SMTP stage a reply answered: the stated command, else what the reply code or
    fixed words imply. `lowered` is the server's words in lower case."""
    if command:
        stage = _COMMAND_STAGES.get(command, command)
        return stage if stage in STAGES else None
    model = load_model()
    implied = model.reply_stages.get(reply_code) if reply_code else None
    if implied:
        return implied
    for phrase, named in model.stage_words:
        if phrase in lowered:
            return named
    return None


def judge(status: str | None, reply_code: str | None, stage: str | None,
          final: bool = False) -> CodeVerdict | None:
    """The code model's reason, or None when the finding carries no code at all. `final`:
    the report is a final failure (not a delay, not a pasted line), where an entry's
    "final" key applies: a temporary condition (no answer from the host) that only ended
    delivery because the sender's queue expired."""
    model = load_model()
    klass = (status or reply_code or "")[:1]
    if klass not in ("2", "4", "5"):
        return None
    final = final and not (reply_code or "").startswith("5")  # a 5xx reply is no time-out
    if status:
        _, subject, detail = status.split(".")
        if reply_code in model.specific_replies and (
                detail == "0" or f"X.{subject}.{detail}" in model.vague):
            found = _pick(model.replies.get(reply_code), klass, stage, final)
            if found is not None:  # the reply code names the cause, the detail does not
                return CodeVerdict(*found, specific=False, basis=_basis(reply_code, stage))
        if detail != "0" or subject != "0":
            code = f"X.{subject}.{detail}"
            found = _pick(model.details.get(code), klass, stage, final)
            if found is not None:
                return CodeVerdict(*found, specific=detail != "0" and code not in model.vague,
                                   basis=_basis(f"X.{subject}.{detail}", stage))
        by_subject = _pick(model.subjects.get(f"X.{subject}"), klass, stage, final)
    else:
        by_subject = None
    by_reply = _pick(model.replies.get(reply_code or ""), klass, stage, final)
    if by_subject and (by_reply is None or _rank(by_subject) >= _rank(by_reply)):
        return CodeVerdict(*by_subject, specific=False,
                           basis=_basis(f"X.{status.split('.')[1]}" if status else "", stage))
    if by_reply:
        return CodeVerdict(*by_reply, specific=False, basis=_basis(reply_code or "", stage))
    found = _pick(model.classes.get(klass), klass, stage, final)
    if found is None:  # pragma: no cover - every class has an 'any' entry
        return None
    return CodeVerdict(*found, specific=False, basis=_basis(klass, stage))


def _pick(entry: Entry | None, klass: str, stage: str | None,
          final: bool) -> tuple[Reason, Confidence] | None:
    if entry is None:
        return None
    if stage:
        found = entry.get(f"{klass} {stage}") or entry.get(stage)
        if found:
            return found
    if final and "final" in entry:
        return entry["final"]
    return entry.get(klass) or entry["any"]


def _rank(found: tuple[Reason, Confidence]) -> int:
    return 1 if found[1] is Confidence.MEDIUM else 0


def _basis(code: str, stage: str | None) -> str:
    return f"{code}@{stage}" if stage else code
