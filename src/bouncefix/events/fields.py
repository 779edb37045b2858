"""What every ESP reader shares: safe access to untrusted JSON (any field may be
missing, null or of the wrong type), dates, and one way to turn an event's words into a
:class:`~bouncefix.model.Finding`, the same way a bounce's words are read."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bouncefix.regex import lazy

from ..model import Action, Finding, Kind, Reading, Reason
from ..parse import codes

#: characters kept of any one text field of an event
MAX_TEXT = 4000
#: recipients read from one event (as for one bounce message)
MAX_RECIPIENTS = 1000

_STATUS = lazy(r"[245]\.\d{1,3}\.\d{1,3}")
_REPLY = lazy(r"[245][0-5]\d")
# 2026-03-05T14:30:00Z, 2026-03-05 14:30:00.1234567+01:00, 2026-03-05T14:30:00-0500
_ISO = lazy(
    r"\s*(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d{1,9})?)?"
    r"[ ]?(Z|[+-]\d\d:?\d\d)?\s*\Z"
)


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def listing(value: Any) -> list[Any]:
    """`value` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A string field, stripped and cut to `limit`; None for anything else or blank."""
    if isinstance(value, str):
        value = value.strip()[:limit]
        return value or None
    return None


def code_text(value: Any) -> str | None:
    """A code given as a number or a string (550, "550", "5.1.1"), as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return text(value, 40)


def is_reply_code(value: str | None) -> bool:
    """Whether `value` is an SMTP reply code (not a provider's own number, such as
    Mailgun's 605 or 498)."""
    return bool(value) and _REPLY.fullmatch(value or "") is not None


def address(value: Any) -> str | None:
    """A recipient address field, validated as a whole (never picked out of a longer
    string)."""
    if isinstance(value, list) and value:
        value = value[0]
    return codes.recipient_address(text(value, 640))


def epoch_date(value: Any) -> str | None:
    """Seconds (or milliseconds) since 1970 as ISO 8601 in UTC."""
    if isinstance(value, str):
        try:
            value = float(value.strip()[:20])
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    if value > 1e11:  # milliseconds
        value /= 1000
    if not 0 < value < 1e10:
        return None
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(value))
    return moment.isoformat()


def iso_date(value: Any) -> str | None:
    """An ISO 8601 date and time as ISO 8601 with its offset (seconds resolution); a
    time without a zone is taken as UTC. None when it is not one."""
    raw = text(value, 64)
    match = _ISO.match(raw) if raw else None
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = timezone.utc
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute),
                          int(second or 0), tzinfo=offset)
    except ValueError:
        return None
    return moment.isoformat()


def any_date(value: Any) -> str | None:
    """An ISO 8601 string or an epoch number, as ISO 8601."""
    return iso_date(value) if isinstance(value, str) and "-" in value else epoch_date(value)


def finding(
    recipient: str | None,
    words: str | None,
    *,
    parser: str,
    esp_type: str | None,
    action: Action = Action.FAILED,
    status: str | None = None,
    reply_code: str | None = None,
    remote_mta: str | None = None,
    reporting_mta: str | None = None,
    reason_hint: Reason | None = None,
    feedback_type: str | None = None,
    last_attempt: str | None = None,
    queue_id: str | None = None,
) -> Finding:
    """A Finding for `recipient` from the server's words an event carries: codes and
    the SMTP command read from the words as from a bounce's (the relay's wrapper taken
    off); the event's own status and reply code fill what the words do not say."""
    from ..parse import reply
    from ..parse.text import finding_from_words

    said = codes.strip_dsn_type(words) if words else ""
    # a multi-line reply: one line of prose, as a bounce's is read (or one a log wrote on
    # one line, each line's prefix kept)
    said = codes.unwrap_reply(said) if "\n" in said else codes.drop_inline_prefixes(said)
    found = (reply.tidy(finding_from_words(said, recipient, parser)) if said
             else Finding(address=recipient, parser=parser))
    stated = status if status and _STATUS.fullmatch(status) else None
    if stated and (found.status is None or (codes.is_vague_status(found.status)
                                            and not codes.is_vague_status(stated))):
        found = found._replace(status=stated)
    if found.reply_code is None and is_reply_code(reply_code):
        found = found._replace(reply_code=reply_code)
    return found._replace(
        action=action,
        remote_mta=found.remote_mta or _host(remote_mta),
        reporting_mta=_host(reporting_mta),
        reason_hint=reason_hint,
        feedback_type=feedback_type,
        last_attempt=last_attempt,
        esp_type=esp_type,
        queue_id=queue_id,
    )


def complaint(base: Reading, recipient: str | None, esp_type: str, when: str | None,
              feedback_type: str = "abuse") -> Reading:
    """`base` as a spam complaint (feedback) by `recipient`."""
    found = finding(recipient, None, parser=base.parser or "", esp_type=esp_type,
                    reason_hint=Reason.FEEDBACK, feedback_type=feedback_type,
                    last_attempt=when)
    return base._replace(findings=(found,), kind=Kind.FEEDBACK)


def delivered(base: Reading, recipient: str | None, esp_type: str, when: str | None,
              words: str | None = None, remote_mta: str | None = None) -> Reading:
    """`base` as a delivery (or an open or click, which imply one) to `recipient`;
    `words`: the receiving server's reply, when the event quotes it."""
    found = finding(recipient, words, parser=base.parser or "", esp_type=esp_type,
                    action=Action.DELIVERED, remote_mta=remote_mta, last_attempt=when)
    return base._replace(findings=(found,), kind=Kind.DELIVERED)


def _host(value: str | None) -> str | None:
    """A host name or address field ("dsn; mta.example.net" -> "mta.example.net")."""
    if not value:
        return None
    return codes.strip_dsn_type(value)[:255] or None
