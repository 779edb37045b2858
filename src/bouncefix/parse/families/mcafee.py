"""McAfee Email Gateway / Email and Web Security appliances, and McAfee SaaS (MXLogic).

The appliance marks its report with ``X-NAI-Header: Modified by McAfee ...`` and lists
each recipient with the reply in parentheses, beside a delivery-status part::

        --- The following addresses had delivery problems ---
    <jane@example.org>   (<jane@example.org>... User unknown)

MXLogic (``X-MXL-NoteHash``, ``Message-Id: <mxl~...>``, ``mxl_mta`` in Received) writes
an Exim-like report::

    A message that you have sent could not be delivered to one or more
    recipients.  This is a permanent error.  The following address failed:
      <jane@example.org>: 550 5.1.1 <jane@example.org>: Recipient address rejected
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "mcafee"

_PROBLEMS = lazy(r"(?im)^[ \t]*-{2,}[ \t]*The following addresses had delivery "
                       r"problems[ \t]*-{2,}[ \t]*$")
# <jane@example.org>   (<jane@example.org>... User unknown)
_PROBLEM_LINE = lazy(r"^[ \t]*<?([^\s<>()@]{1,64}@[^\s<>()@]{1,255})>?[ \t]+\((.{1,2000})\)")
_FAILED = lazy(r"(?im)^[^\n]{0,120}The following address(?:es|\(es\))? failed:[ \t]*$")
_EXIM_ADDRESS = lazy(r"^[ \t]{1,8}<?([^\s<>:@]{1,64}@[^\s<>:@]{1,255})>?:?([^\n]*)$")
_HOST = lazy(r"(?i)\bhost ([A-Za-z0-9][A-Za-z0-9.-]{0,254}) \[")


def matches(mail: Mail) -> bool:
    """McAfee's header or MXLogic's marks, with the report sentence of each."""
    if not mail.has_headers:
        return False
    report = text.report_part(mail.text)[:20000]
    if "mcafee" in mail.header("X-NAI-Header").lower() and _PROBLEMS.search(report):
        return True
    return _is_mxlogic(mail) and bool(_FAILED.search(report))


def _is_mxlogic(mail: Mail) -> bool:
    if "X-MXL-NoteHash" in mail.message or "X-MX-Bounce" in mail.message:
        return True
    stamps = " ".join([mail.header("Message-Id"), *mail.headers("Received")[:3]])
    return "<mxl~" in stamps or "mxl_mta" in stamps


def parse(mail: Mail) -> list[Finding]:
    """Recipients of the McAfee problem list or of the MXLogic failure list."""
    report = text.report_part(mail.text)[:200000]
    found = _problem_list(report, mail) if _PROBLEMS.search(report) else _failure_list(report)
    return found


def _problem_list(report: str, mail: Mail) -> list[Finding]:
    standard = {f.address.lower(): f for f in dsn.findings_from_blocks(mail.delivery_status)
                if f.address}
    findings = []
    for line in report.split("\n")[:2000]:
        match = _PROBLEM_LINE.match(line)
        address = codes.clean_address(match.group(1)) if match else None
        if match is None or address is None:
            continue
        known = standard.get(address.lower())
        if known is not None and known.diagnostic:
            # The delivery-status part carries the reply code the list leaves out.
            findings.append(known.with_changes(parser=NAME))
        else:
            findings.append(text.finding_from_words(match.group(2), address, NAME))
    return findings


def _failure_list(report: str) -> list[Finding]:
    heading = _FAILED.search(report)
    if heading is None:
        return []
    blocks: list[tuple[str, list[str]]] = []
    for line in report[heading.end():].split("\n")[:2000]:
        if not line.strip():
            continue
        if not line[0].isspace():
            break  # the report's next paragraph: the list is over
        match = _EXIM_ADDRESS.match(line)
        address = codes.clean_address(match.group(1)) if match else None
        if match and address and not line.startswith(("     ", "\t")):
            blocks.append((address, [match.group(2)]))
        elif blocks:
            blocks[-1][1].append(line)
    findings = []
    for address, lines in blocks:
        words = codes.unwrap_reply("\n".join(lines).strip(" :"))
        command = codes.find_command(words)
        # SMTP error from remote mail server after RCPT TO:<jane@example.org>:
        # host mx.example.org [192.0.2.4]: 550 5.1.1 ... -> keep the reply itself
        host = _HOST.search(words)
        if host:
            words = words[host.end():].split("]", 1)[-1].lstrip(": ")
        found = text.finding_from_words(words, address, NAME,
                                        remote_mta=host.group(1) if host else None)
        findings.append(found.with_changes(smtp_command=command or found.smtp_command))
    return findings
