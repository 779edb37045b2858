"""The data model: what a bounce says (Finding) and what we conclude (Diagnosis).

Everything here is immutable (NamedTuples) or an Enum, so that
closed vocabularies (reasons, message kinds, output formats, exit codes) are checked by
the type system and a typo in a rule file fails loudly at load time instead of silently
never matching. NamedTuples rather than dataclasses where there are many: they cost far
less to define at start-up and to create per message. ``to_dict()`` gives the JSON schema
(defined at the end of this module).
"""

# (no "from __future__ import annotations" here: NamedTuple would compile every field's
# annotation from its string at start-up, 65 compiles; as objects they cost nothing)
import enum
from typing import Any, NamedTuple

from .sanitize import one_line


class Reason(str, enum.Enum):
    """Why delivery failed. The ids follow the vocabulary of sisimai, so that users can
    map results between the two tools."""

    AUTHFAILURE = "authfailure"
    BADREPUTATION = "badreputation"
    BLOCKED = "blocked"
    CONTENTERROR = "contenterror"
    DELIVERED = "delivered"
    EXCEEDLIMIT = "exceedlimit"
    EXPIRED = "expired"
    FAILEDSTARTTLS = "failedstarttls"
    FEEDBACK = "feedback"
    FILTERED = "filtered"
    HASMOVED = "hasmoved"
    HOSTUNKNOWN = "hostunknown"
    MAILBOXFULL = "mailboxfull"
    MAILERERROR = "mailererror"
    MESGTOOBIG = "mesgtoobig"
    NETWORKERROR = "networkerror"
    NORELAYING = "norelaying"
    NOTACCEPT = "notaccept"
    NOTCOMPLIANTRFC = "notcompliantrfc"
    ONHOLD = "onhold"
    POLICYVIOLATION = "policyviolation"
    REJECTED = "rejected"
    REQUIREPTR = "requireptr"
    SECURITYERROR = "securityerror"
    SPAMDETECTED = "spamdetected"
    SPEEDING = "speeding"
    SUPPRESSED = "suppressed"
    SUSPEND = "suspend"
    SYNTAXERROR = "syntaxerror"
    SYSTEMERROR = "systemerror"
    SYSTEMFULL = "systemfull"
    TOOMANYCONN = "toomanyconn"
    UNDEFINED = "undefined"
    USERUNKNOWN = "userunknown"
    VACATION = "vacation"
    VIRUSDETECTED = "virusdetected"


#: Reasons that mean the address itself is bad and should be suppressed.
HARD_REASONS = frozenset(
    {Reason.USERUNKNOWN, Reason.HOSTUNKNOWN, Reason.HASMOVED, Reason.NOTACCEPT}
)


class Kind(str, enum.Enum):
    """What sort of message was read."""

    BOUNCE = "bounce"
    DELAY = "delay"
    DELIVERED = "delivered"
    AUTO_REPLY = "auto-reply"
    FEEDBACK = "feedback"
    NOT_BOUNCE = "not-bounce"


class Confidence(str, enum.Enum):
    """How sure a diagnosis is: ``high`` when words we know name the cause (a provider or
    specific text rule, or a parser's own fixed sentence), ``medium`` when only the codes
    and the SMTP stage (or framing words) do, ``low`` for a class alone or conflicting
    signals: a best guess, never enough to call an address bad."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Action(str, enum.Enum):
    """The RFC 3464 Action field, plus `failed` for free-text reports."""

    FAILED = "failed"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    RELAYED = "relayed"
    EXPANDED = "expanded"


class Finding(NamedTuple):
    """What a bounce says about one recipient, as read by a parser. No judgement here."""

    address: str | None = None
    original_recipient: str | None = None
    action: Action = Action.FAILED
    reply_code: str | None = None
    status: str | None = None
    diagnostic: str | None = None
    remote_mta: str | None = None
    reporting_mta: str | None = None
    smtp_command: str | None = None
    last_attempt: str | None = None
    feedback_type: str | None = None
    #: a reason the parser is sure of from the report's structure (e.g. an ARF report,
    #: an auto-reply, or a family whose fixed sentences map to one reason)
    reason_hint: Reason | None = None
    parser: str = ""
    #: an ESP event's own classification of it (SES "Permanent/General", SendGrid
    #: "blocked", Postmark "HardBounce"), or an MTA log's status word ("bounced")
    esp_type: str | None = None
    #: the sending MTA's queue id of the message (MTA logs)
    queue_id: str | None = None

    def with_changes(self, **changes: Any) -> "Finding":
        """Return a copy with some fields replaced."""
        return self._replace(**changes)


class Diagnosis(NamedTuple):
    """What we conclude about one recipient."""

    reason: Reason
    hard_bounce: bool
    status: str | None
    status_inferred: bool
    rule: str
    evidence: str | None = None
    title: str | None = None
    cause: str | None = None
    fix: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    #: "never", "now" or "later", optionally followed by ": advice"
    retry: str | None = None
    provider: str | None = None
    source: str | None = None
    dns_checks: tuple[Any, ...] = ()
    confidence: Confidence = Confidence.HIGH
    #: why the confidence is not high (shown as "best guess: ..."), or None
    confidence_note: str | None = None
    #: stop mailing this address: a hard bounce we are sure of, or a complaint
    suppress: bool = False
    #: the ``bouncefix check --smtp/--submission`` command that tests the server behind
    #: this diagnosis (TLS, login, connection failures), or None (smtp/suggest.py)
    probe: str | None = None

    @property
    def retry_when(self) -> str | None:
        """never, now or later."""
        return self.retry.split(":", 1)[0] if self.retry else None

    @property
    def retry_advice(self) -> str | None:
        """The advice after the colon of `retry`, if any."""
        if not self.retry or ":" not in self.retry:
            return None
        return self.retry.split(":", 1)[1].strip() or None


class RecipientReport(NamedTuple):
    """One recipient: the finding and the diagnosis together."""

    finding: Finding
    diagnosis: Diagnosis

    def to_dict(self) -> dict[str, Any]:
        """The recipient as the JSON schema gives it (``recipient_dict``)."""
        return recipient_dict(self)


class OriginalMessage(NamedTuple):
    """Headers of the message that was returned, when the bounce includes them."""

    subject: str | None = None
    sender: str | None = None
    to: str | None = None
    message_id: str | None = None
    date: str | None = None


class MessageReport(NamedTuple):
    """Everything bouncefix found in one message."""

    kind: Kind
    recipients: tuple[RecipientReport, ...] = ()
    original: OriginalMessage | None = None
    parser: str | None = None
    subject: str | None = None
    source: str | None = None
    #: the position of the message in `source` (0-based); as a field it hides the
    #: tuple method of that name, which a report has no use for
    index: int | None = None  # type: ignore[assignment]
    notes: tuple[str, ...] = ()
    #: the address the bounce itself was sent to (usually the original sender)
    addressee: str | None = None
    #: when the bounce was sent (its Date header, ISO 8601), if it says
    date: str | None = None
    #: bytes of the message as read (not in the JSON: for progress and statistics)
    size: int | None = None
    #: the line of `source` where an ESP event or an MTA log record starts (1-based)
    line: int | None = None
    #: the ESP whose event this is ("ses", "sendgrid", ...), or None
    esp: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON schema gives it (``report_dict``)."""
        return report_dict(self)


class Record(NamedTuple):
    """One ESP event or one MTA log record as ingest read it: what the analysis gets in
    place of a message's bytes (``bouncefix.events``, ``bouncefix.logs``)."""

    #: "event" (the provider is recognised from the payload) or a log format's name
    format: str
    #: the line of the input where the record starts (1-based)
    line: int
    #: the event as parsed JSON, or the fields a log format read from its lines
    payload: Any
    #: bytes of input it was read from (for progress and the bounds on work in flight)
    size: int


class Reading(NamedTuple):
    """What one ESP event or log record says, before any judgement: its findings and
    the facts about the message around them."""

    findings: tuple[Finding, ...] = ()
    #: the kind of report, when the record says it; None: from the findings' actions
    kind: Kind | None = None
    #: which reader read it ("ses", "postfix-log", ...)
    parser: str | None = None
    esp: str | None = None
    #: the original sender (for the advice)
    sender: str | None = None
    original: OriginalMessage | None = None
    #: when it happened, ISO 8601, when the record says (with the year)
    date: str | None = None
    notes: tuple[str, ...] = ()


# -- the JSON schema ---------------------------------------------------------------------
# Reports as plain data (dicts): the single source of the JSON the CLI prints. Every string
# that came from input is passed through the sanitiser, so the JSON output carries no
# terminal escapes either.

SCHEMA_VERSION = 1


def _text(value: str | None, limit: int = 4000) -> str | None:
    return one_line(value, limit) if value else None


def recipient_dict(item: RecipientReport) -> dict[str, Any]:
    """One recipient: what the bounce said and what we conclude."""
    finding, diagnosis = item.finding, item.diagnosis
    out: dict[str, Any] = {
        "address": _text(finding.address, 320),
        "original_recipient": _text(finding.original_recipient, 320),
        "action": finding.action.value,
        "reply_code": finding.reply_code,
        "status": diagnosis.status,
        "status_inferred": diagnosis.status_inferred,
        "diagnostic": _text(finding.diagnostic),
        "remote_mta": _text(finding.remote_mta, 300),
        "reporting_mta": _text(finding.reporting_mta, 300),
        "smtp_command": finding.smtp_command,
        "last_attempt": _text(finding.last_attempt, 100),
        "feedback_type": _text(finding.feedback_type, 60),
        "reason": diagnosis.reason.value,
        "hard_bounce": diagnosis.hard_bounce,
        "confidence": diagnosis.confidence.value,
        "confidence_note": diagnosis.confidence_note,
        "suppress": diagnosis.suppress,
        "title": diagnosis.title,
        "cause": diagnosis.cause,
        "fix": list(diagnosis.fix),
        "probe": diagnosis.probe,
        "who": list(diagnosis.who),
        "retry": diagnosis.retry_when,
        "retry_advice": diagnosis.retry_advice,
        "provider": diagnosis.provider,
        "source": diagnosis.source,
        "rule": diagnosis.rule,
        "dns_checks": [check.to_dict() for check in diagnosis.dns_checks],
        "evidence": _text(diagnosis.evidence, 500),
        "parser": finding.parser or None,
    }
    if finding.esp_type is not None or finding.queue_id is not None:  # events and logs
        out["esp_type"] = _text(finding.esp_type, 200)
        out["queue_id"] = _text(finding.queue_id, 100)
    return out


def report_dict(report: MessageReport) -> dict[str, Any]:
    """One message."""
    original = report.original
    out: dict[str, Any] = {}
    if report.source is not None:
        out["source"] = report.source  # exact: JSON escaping makes any name safe
        out["index"] = report.index
    out.update(
        {
            "kind": report.kind.value,
            "subject": _text(report.subject, 500),
            "date": report.date,
            "parser": report.parser,
            "recipients": [recipient_dict(r) for r in report.recipients],
            "original": None
            if original is None
            else {
                "subject": _text(original.subject, 500),
                "from": _text(original.sender, 320),
                "to": _text(original.to, 1000),
                "message_id": _text(original.message_id, 500),
                "date": _text(original.date, 100),
            },
            "notes": list(report.notes),
        }
    )
    if report.line is not None or report.esp is not None:  # ESP events and MTA logs
        out["line"] = report.line
        out["esp"] = report.esp
    return out
