"""RFC 3464 delivery status notifications (and RFC 6533 global ones).

A DSN carries a machine-readable part::

    Reporting-MTA: dns; mail.example.net

    Final-Recipient: rfc822; jane@example.org
    Action: failed
    Status: 5.1.1
    Remote-MTA: dns; mx.example.org
    Diagnostic-Code: smtp; 550 5.1.1 <jane@example.org>: Recipient address rejected

Many MTAs also print the same field blocks inside a text/plain part, so the fields are
looked for there too when no delivery-status part exists.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Fields, Mail, field, parse_field_blocks
from ..model import Action, Finding
from . import codes

NAME = "rfc3464"


_ACTIONS = {a.value: a for a in Action}
_TEXT_DSN = lazy(r"(?im)^(?:Final|Original)-Recipient[ \t]*:")


def matches(mail: Mail) -> bool:
    """A delivery-status part, or DSN recipient fields in the text."""
    if mail.delivery_status:
        return True
    # the field names, lower-cased, are in signature_text whenever _TEXT_DSN matches
    return ("-recipient" in mail.signature_text and bool(_TEXT_DSN.search(mail.text))
            and not _read_receipt(_blocks_from_text(mail.text)))


def _read_receipt(blocks: list[Fields]) -> bool:
    """Fields of a read receipt (RFC 8098: "Final-Recipient" with "Disposition:
    ...; displayed"), pasted as text: the message arrived, nothing failed."""
    return any(field(b, "Disposition") for b in blocks) and not any(
        field(b, "Action") or field(b, "Status") or field(b, "Diagnostic-Code") for b in blocks)


def parse(mail: Mail) -> list[Finding]:
    """One finding per recipient block."""
    blocks = mail.delivery_status or _blocks_from_text(mail.text)
    return findings_from_blocks(blocks)


def _blocks_from_text(text: str) -> list[Fields]:
    match = _TEXT_DSN.search(text)
    if not match:
        return []
    start = text.rfind("\n\n", 0, match.start())
    return parse_field_blocks(text[start + 1 if start >= 0 else 0:])


def findings_from_blocks(blocks: list[Fields]) -> list[Finding]:
    """Turn field blocks into findings; per-message fields apply to every recipient."""
    reporting_mta = next((_strip_type(field(b, "Reporting-MTA")) for b in blocks
                          if field(b, "Reporting-MTA")), None)
    findings: list[Finding] = []
    for block in _split_recipients(blocks):
        recipient = field(block, "Final-Recipient") or field(block, "Original-Recipient")
        if recipient is None:
            reporting_mta = reporting_mta or _strip_type(field(block, "Reporting-MTA"))
            continue
        findings.append(_finding(block, reporting_mta))
    return findings


def _split_recipients(blocks: list[Fields]) -> list[Fields]:
    """Some MTAs run the per-message fields and several recipients' fields together
    with no blank line between them: start a new block when a Final-Recipient (or an
    Original-Recipient) appears that the current block already has."""
    out: list[Fields] = []
    for block in blocks:
        current: Fields = []
        for name, value in block:
            lower = name.lower()
            if lower in ("final-recipient", "original-recipient") and any(
                key.lower() == lower for key, _ in current
            ):
                out.append(current)
                current = []
            current.append((name, value))
        if current:
            out.append(current)
    return out


def _finding(block: Fields, reporting_mta: str | None) -> Finding:
    fields: dict[str, str] = {}
    for name, value in block:  # the first of each name, as field() would give
        fields.setdefault(name.lower(), value)
    get = fields.get
    final = codes.recipient_address(get("final-recipient"))
    original = codes.recipient_address(get("original-recipient"))
    # Sendmail's own field for the address an alias expanded to: the Final-Recipient is
    # then the alias written to, the actual recipient the one that failed
    actual = codes.recipient_address(get("x-actual-recipient"))
    if actual and final and actual.lower() != final.lower():
        final, original = actual, original or final
    diagnostic = _diagnostic(get("diagnostic-code"))
    status_field = get("status") or ""
    if not diagnostic and "(" in status_field:
        # "Status: 5.1.2 (host name lookup failure)": the comment is all the report says
        diagnostic = status_field[status_field.index("(") :].strip("() \t") or None
    status = codes.find_status(status_field)
    diag_status = codes.find_status(diagnostic)
    # A generic Status (5.0.0, 4.0.0) says less than the one the server gave.
    if diag_status and (status is None or status.endswith(".0.0")) and diag_status[0] == (
        status or diag_status
    )[0]:
        status = diag_status
    action_text = (get("action") or "").strip().lower().split(" ")[0]
    action = _ACTIONS.get(action_text)
    if action is None:
        # no Action field (or a word RFC 3464 does not know): a block that says until when
        # it will be retried is a delay, any other a failure
        action = Action.DELAYED if get("will-retry-until") else Action.FAILED
    return Finding(
        address=final or original,
        original_recipient=original if original and original != final else None,
        action=action,
        reply_code=codes.find_reply_code(diagnostic),
        status=status,
        diagnostic=diagnostic,
        remote_mta=_strip_type(get("remote-mta")),
        reporting_mta=_strip_type(get("reporting-mta")) or reporting_mta,
        smtp_command=codes.find_command(diagnostic),
        last_attempt=get("last-attempt-date"),
        parser=NAME,
    )


def _diagnostic(value: str | None) -> str | None:
    """The Diagnostic-Code text. 'smtp;' is dropped; other types ('X-Unix;' from a local
    mailer, 'X-Postfix;') are kept, since they say who failed."""
    if not value:
        return None
    head = value.split(";", 1)[0].strip().lower()
    text = codes.strip_dsn_type(value) if head == "smtp" else value.strip()
    return codes.unwrap_reply(text) or None


def _strip_type(value: str | None) -> str | None:
    """'dns; mx.example.org' -> 'mx.example.org'."""
    if not value:
        return None
    stripped = codes.strip_dsn_type(value).strip("[] ")
    return stripped or None
