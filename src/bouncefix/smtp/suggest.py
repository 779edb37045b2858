"""The probe worth running for a diagnosis: ``bouncefix check --smtp HOST`` when a
receiving server could not be reached or TLS with it failed, ``bouncefix check
--submission HOST`` when a mail client's login or TLS was refused.

The host comes from the bounce: the remote server it names, else the recipient's
domain (whose MX hosts the probe then finds). It is validated as a target before it
is written into a command, so that nothing from the bounce reaches a command line the
user may paste but a well-formed public name or address.
"""

from __future__ import annotations

from ..model import Confidence, Diagnosis, Finding, Reason

#: Reply codes a submission server gives a mail client's login (RFC 4954, RFC 3207).
SUBMISSION_CODES = frozenset({"530", "534", "535", "538"})
#: Enhanced codes of connections that failed (RFC 3463: no answer, bad connection).
CONNECTION_STATUSES = frozenset({"4.4.1", "4.4.2"})
SMTP_REASONS = frozenset({Reason.FAILEDSTARTTLS, Reason.NETWORKERROR, Reason.TOOMANYCONN})
#: The submission servers of providers whose login errors the rules name.
PROVIDER_SUBMISSION = {
    "Gmail / Google Workspace": "smtp.gmail.com",
    "Microsoft 365 / Exchange Online": "smtp.office365.com",
    "Outlook.com / Hotmail": "smtp-mail.outlook.com",
    "Apple iCloud Mail": "smtp.mail.me.com",
    "Zoho Mail": "smtp.zoho.com",
}
OWN_SERVER = "YOUR-SMTP-SERVER"
OWN_LOGIN = "YOUR-LOGIN"


def probe_command(finding: Finding, diagnosis: Diagnosis) -> str | None:
    """The ``bouncefix check`` command that probes the server behind `diagnosis`, or
    None when a probe would not help.

    >>> from bouncefix import analyze
    >>> item = analyze("host mx.example.org[192.0.2.1] said: 454 4.7.0 TLS not "
    ...                "available (in reply to STARTTLS command)")[0].recipients[0]
    >>> probe_command(item.finding, item.diagnosis)
    'bouncefix check --smtp mx.example.org'
    """
    kind = _kind(finding, diagnosis)
    if kind == "submission":
        server = _valid_host(finding.remote_mta) or PROVIDER_SUBMISSION.get(
            diagnosis.provider or "") or OWN_SERVER
        login = diagnosis.reason is Reason.SECURITYERROR or finding.reply_code in ("534", "535")
        return f"bouncefix check --submission {server}" + (f" --user {OWN_LOGIN}" if login else "")
    if kind == "smtp":
        host = _valid_host(finding.remote_mta)
        if host:
            return f"bouncefix check --smtp {host}"
        domain = _recipient_domain(finding.address)
        return f"bouncefix check {domain} --smtp" if domain else None
    return None


def _kind(finding: Finding, diagnosis: Diagnosis) -> str | None:
    code = finding.reply_code or ""
    from_client = not finding.address  # a mail client's error names no recipient
    if finding.smtp_command == "AUTH" or code in ("534", "535", "538") or (
            from_client and (code in SUBMISSION_CODES
                             or diagnosis.reason is Reason.SECURITYERROR)):
        return "submission"
    status = diagnosis.status or finding.status or ""
    if (diagnosis.reason in SMTP_REASONS or finding.smtp_command == "CONNECT"
            or status in CONNECTION_STATUSES):
        return "smtp"
    # a 421 whose words name a cause (reputation, rate limits, policy) is not about the
    # server working: only an unexplained one is worth a probe
    if code == "421" and (diagnosis.confidence is Confidence.LOW
                          or diagnosis.reason in (Reason.SYSTEMERROR, Reason.UNDEFINED)):
        return "smtp"
    return None


def _valid_host(text: str | None) -> str | None:
    """`text` as a public host name or address, or None."""
    if not text:
        return None
    from ..dns.validate import TargetError
    from .targets import check_host  # only for the few diagnoses a probe helps

    value = text.strip().split()[0] if text.strip() else ""
    if value.endswith("]") and "[" in value and not value.startswith("["):
        value = value.partition("[")[0]  # "mx.example.org[192.0.2.1]"
    try:
        return check_host(value, allow_private=False)
    except TargetError:
        return None


def _recipient_domain(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    from ..dns.validate import TargetError, check_name

    try:
        return check_name(address.rpartition("@")[2].strip().rstrip(">"))
    except TargetError:
        return None
