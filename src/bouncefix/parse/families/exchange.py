"""Microsoft Exchange 2007 and later, Exchange Online / Microsoft 365: the NDR opens with
a friendly paragraph per recipient and ends with a block for administrators (often only
in an HTML part, often translated)::

    Delivery has failed to these recipients or groups:
    jane@example.org<mailto:jane@example.org>
    The email address you entered couldn't be found. ...
    Diagnostic information for administrators:
    Generating server: EX1.example.net
    jane@example.org
    Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

Exchange 2007 writes ``#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##`` instead, and
the newer Microsoft 365 layout has "Recipient Address:" and "Reported error:" lines.
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, dsn, text

NAME = "exchange"

_MARKERS = lazy(
    r"(?im)^[ \t]*(?:Delivery (?:has failed to|is delayed to) these recipients or"
    r"|Diagnostic information for administrators|Generating server:"
    r"|Informations de diagnostic pour les administrateurs|Serveur de g[ée]n[ée]ration"
    r"|Diagnoseinformationen f[üu]r Administratoren|Generierender Server"
    r"|Informaci[óo]n de diagn[óo]stico para administradores|Servidor de generaci[óo]n"
    r"|Informazioni di diagnostica per (?:gli amministratori|l'amministratore)"
    r"|Server di generazione|Diagnostische gegevens voor beheerders|Genererende server"
    r"|Informa[çc][õo]es de diagn[óo]stico para administradores"
    r"|管理者向けの診断情報|生成サーバー"
    r"|Diagnostisk information f(?:ö|o)r administrat(?:ö|o)rer|Diagnostisk informasjon for administratorer"
    r"|Diagnosticeringsoplysninger til administratorer|Informacje diagnostyczne dla administrator"
    r"|Serwer generuj(?:ą|a)cy|Diagnostick(?:é|e) informace pro spr(?:á|a)vce"
    r"|Diagnostiikkatiedot j(?:ä|a)rjestelm(?:ä|a)nvalvojille|Диагностические сведения для администраторов"
    r"|管理员诊断信息|관리자용 진단 정보|Y(?:ö|o)neticiler i(?:ç|c)in tan(?:ı|i)lama bilgileri"
    r"|.{1,200} rejected your message to the following e-?mail addresses:"
    r"|More Info for Email Admins)"
)
_ADMIN = lazy(
    r"(?im)^[ \t]*(?:Diagnostic information for administrators|Informations de diagnostic"
    r"|Diagnoseinformationen|Informaci[óo]n de diagn[óo]stico|Informazioni di diagnostica"
    r"|Informa[çc][õo]es de diagn[óo]stico|Diagnostische gegevens voor beheerders"
    r"|管理者向けの診断情報|Diagnostisk informa(?:tion|sjon)|Diagnosticeringsoplysninger"
    r"|Informacje diagnostyczne|Diagnostick(?:é|e) informace|Diagnostiikkatiedot"
    r"|Диагностические сведения|管理员诊断信息|관리자용 진단 정보"
    r"|Y(?:ö|o)neticiler i(?:ç|c)in tan(?:ı|i)lama)"
)
# Where the quoted original headers start, in any language.
_END = lazy(r"(?im)^[ \t]*(?:Received|Return-Path|X-[\w-]{1,60}):[ \t]|^[ \t]*(?=[^\W\d])"
                  r"[^\n:#']{0,60}(?:"
                  r"headers|En-t[êe]tes|Kopfzeilen|Encabezados|Intestazioni|Cabe[çc]alhos|berichtkoppen"
                  r"|meddelandehuvuden|meddelelseshoveder|meldingshoder|nag(?:ł|l)(?:ó|o)wki"
                  r"|ヘッダー)[^\n:]{0,40}:?[ \t]*$")
# (local parts beyond 64 characters: Exchange's encapsulated X.500 addresses,
# "IMCEAEX-_O=EXAMPLE_OU=...@example.org", from a stale autocomplete entry)
_ADDRESS_LINE = lazy(r"^[ \t]*<?([^\s<>@]{1,320}@[^\s<>@]{1,255}?)>?[ \t]*$")
_HOST_LINE = lazy(r"^[ \t]*([A-Za-z0-9][A-Za-z0-9.-]{0,250}\.[A-Za-z0-9-]{1,63})[ \t]*$")
_HOST_HASH = lazy(r"^([A-Za-z0-9][A-Za-z0-9.-]{0,250}\.[A-Za-z0-9-]{1,63}) (#.*)$")
# 6/19/2018 7:32:05 AM - Server at mx.example.org (192.0.2.7) returned '550 5.4.316 ...'
_ATTEMPT = lazy(r"(?i)Server at ([^\s(']{1,255})[^']{0,80}? returned '(.*)'")
_RETURNED = lazy(r"(?i)Remote Server returned '(.*)'")
_SERVER_AT_END = lazy(r"(?i)Server at [^\s(']{1,255}[^']{0,80}$")
_DELAYED = lazy(r"(?im)^[ \t]*Delivery is delayed to these recipients|hasn't been "
                      r"delivered yet|has not been delivered yet"
                      # the heading in the reader's language: "... grupperna är fördröjd",
                      # "... ist verzögert", "... est retardée", "... se ha retrasado"
                      r"|(?:recipients|Empf(?:ä|ae)nger|destinataires|destinatarios|destinatari"
                      r"|ontvangers|destinat(?:á|a)rios|mottagarna)\b[^\n]{0,60}(?:(?:ä|a)r "
                      r"f(?:ö|o)rdr(?:ö|o)jd|ist verz(?:ö|oe)gert|est retard(?:é|e)e|se ha retrasado"
                      r"|(?:è|e) (?:stata )?ritardata|is vertraagd|est(?:á|a) atrasada)"
                      # Central European readers: "Doručení se zpozdilo těmto příjemcům ...",
                      # "Doručenie ... je oneskorené", "Dostarczanie ... jest opóźnione"
                      r"|^[ \t]*(?:Doru(?:č|c)en(?:í|i|ie)|Dostarcz\w{0,6}|Livrarea"
                      r"|A k(?:é|e)zbes(?:í|i)t(?:é|e)s)\b[^\n]{0,80}(?:zpozdil|oneskoren"
                      r"|op(?:ó|o)(?:ź|z)nion|(?:î|i)nt(?:â|a)rziat|k(?:é|e)sik|k(?:é|e)sleltet)")
_SMTP_PREFIX = lazy(r"(?i)^[ \t]*(?:[A-Za-z0-9.-]{1,255}[ \t]+)?#?(?:[245]\.\d{1,3}\.\d{1,3}"
                          r"[ \t]*)?(?:smtp|x-[\w-]{1,20});[ \t]*")
_FIELD = lazy(r"(?im)^[ \t]*(Recipient Address|Reported error|Error|Status code|Remote server"
              r"|Message rejected by|DSN generated by):[ \t]*(.{1,2000})$")


def matches(mail: Mail) -> bool:
    """The fixed headings of an Exchange NDR, or an Exchange NDR whose text is empty."""
    report = text.report_part(mail.text)[:40000]
    if _MARKERS.search(report):
        return True
    return bool("X-MS-Exchange-Message-Is-Ndr" in mail.message and not report.strip()
                and mail.delivery_status)


def parse(mail: Mail) -> list[Finding]:
    """One finding per recipient of the administrators' block (or of the new layout)."""
    report = text.report_part(mail.text)[:200000]
    found = _admin_block(report)
    if len(found) == 1:
        # one diagnostic for the message (a refusal of the sender's account): the other
        # recipients listed at the top failed with it ("Delivery has failed to these
        # recipients or groups:" over three addresses, one block for administrators)
        listed = [a for a in _listed_at_top(report)
                  if a.lower() != (found[0].address or "").lower()]
        found += [found[0].with_changes(address=a) for a in listed]
        headline = _HEADLINE.search(report[:4000])
        written = codes.clean_address(headline.group(1)) if headline else None
        if (not listed and written and found[0].address and not found[0].original_recipient
                and written.lower() != found[0].address.lower()):
            # the message went to one address, and the administrators' block names another:
            # the recipient's mailbox forwards there, and that delivery failed ("Your
            # message to ann@... couldn't be delivered" over ann.home@... and 5.7.520)
            found = [found[0].with_changes(original_recipient=written)]
    standard = dsn.findings_from_blocks(mail.delivery_status)
    found = found or _new_layout(report) or _unnamed_attempts(report, standard)
    if not found:
        found = [f.with_changes(parser=NAME) for f in standard]
    actions = {f.address.lower(): f.action for f in standard if f.address}
    delayed = Action.DELAYED if _DELAYED.search(report) else Action.FAILED
    out: dict[str, Finding] = {}
    for finding in found:
        key = (finding.address or "").lower()
        out.setdefault(key, finding.with_changes(action=actions.get(key, delayed)))
    return list(out.values())


# the notice's own list: "Delivery has failed to these recipients or groups:", then one
# address (or "Name (address)") per line
_FAILED_TO = lazy(r"(?im)^[ \t]*Delivery has failed to these recipients or groups:[ \t]*$")
_NAMED_LINE = lazy(r"^[ \t]*(?:[^\n()<>@]{1,120}[ \t]*[(<])?([^\s<>()@]{1,64}@[^\s<>()@]{1,255})"
                   r"[)>]?[ \t]*$")


def _listed_at_top(report: str) -> list[str]:
    heading = _FAILED_TO.search(report[:20000])
    if heading is None:
        return []
    found: list[str] = []
    for line in report[heading.end():heading.end() + 8000].split("\n")[1:60]:
        match = _NAMED_LINE.match(line)
        if match is None:
            if line.strip() and found:
                break
            continue
        address = codes.clean_address(match.group(1))
        if address:
            found.append(address)
    return found


def _admin_lines(report: str) -> list[str] | None:
    """The lines of the administrators' block, or None when the report has none."""
    heading = _ADMIN.search(report)
    if heading is None:
        return None
    body = report[heading.end():]
    end = _END.search(body)
    return body[: end.start() if end else len(body)].split("\n")


def _unnamed_attempts(report: str, standard: list[Finding]) -> list[Finding]:
    """A delay notice whose administrators' block lists the attempts ("Server at ...
    returned '...'") under no address line: the one recipient its DSN fields name."""
    lines = _admin_lines(report)
    if not lines or len(standard) != 1 or not standard[0].address or not any(
            "returned" in line for line in lines):
        return []
    taken = [line.strip() for line in lines if line.strip()]
    return [_finding(standard[0].address, taken)] if _best_attempt(taken) else []


def _admin_block(report: str) -> list[Finding]:
    lines = _admin_lines(report)
    if lines is None:
        return []
    findings: list[Finding] = []
    address: str | None = None
    taken: list[str] = []
    for line in lines:
        match = _ADDRESS_LINE.match(line)
        if match:
            if address:
                findings.append(_finding(address, taken))
            address, taken = codes.clean_address(match.group(1)), []
        elif address and line.strip():
            taken.append(line.strip())
    if address:
        findings.append(_finding(address, taken))
    return findings


def _finding(address: str, lines: list[str]) -> Finding:
    remote = reporting = None
    if lines and _HOST_LINE.match(lines[0]) and len(lines) > 1:
        remote = lines.pop(0).strip()
    if lines:
        # EX1.example.net #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##  (the host
        # is the server that wrote the verdict)
        hashed = _HOST_HASH.match(lines[0])
        if hashed:
            reporting, lines[0] = hashed.group(1), hashed.group(2)
    attempt = _best_attempt(lines)
    if attempt:
        remote, words = attempt.group(1), attempt.group(2)
    else:
        words = _clean(" ".join(lines))
    status = codes.find_status(words)
    if status is None or codes.is_summary_status(status):
        # a delay notice's summary ("400 4.4.7 Message delayed") over the last attempt's
        # own error: "LastError: '451 4.4.0 ... responded with: "421 4.4.2 ..."'"
        last = next((m for m in map(_LAST_ERROR.search, lines) if m), None)
        if last:
            words = last.group(1)
    return text.finding_from_words(words, address, NAME, remote_mta=remote,
                                   reporting_mta=reporting)


# (Exchange writes the label in the reader's language: "Last error" or "Last attempt",
# "Último error",
# "Letzter Fehler", "Dernière erreur", "Ultimo errore", "Laatste fout", "Último erro")
_LAST_ERROR = lazy(r"(?i)^[ \t]*(?:Last ?Error|Last attempt|(?:Ú|U)ltimo erro[r]?|Letzter Fehler"
                   r"|Derni(?:è|e)re erreur|Ultimo errore|Laatste fout|Senaste fel(?:et)?"
                   r"|Ostatni b(?:łą|la)d)"
                   r"[ \t]*:[ \t]*'?(.{4,2000}?)'?[ \t]*$")


def _unclosed(line: str) -> bool:
    """Whether `line` opens a quoted reply ("returned '...") that it does not close."""
    at = line.rfind("returned '")
    return at >= 0 and "'" not in line[at + len("returned '"):]


def _best_attempt(lines: list[str]) -> re.Match[str] | None:
    """Of the attempts a delay or expiry notice lists ("Server at ... returned '...'"),
    the first whose reply says more than "delayed" or "expired" (x.4.7) or a bare class
    (x.0.0): the first line is often that summary, and the history below it the cause."""
    joined: list[str] = []
    carried = 0  # lines joined to an unclosed quoted reply so far
    for line in lines:  # "... returned" at a line's end, the quoted reply on the next
        if joined and joined[-1].rstrip().endswith("returned") and line.startswith("'"):
            joined[-1] = f"{joined[-1].rstrip()} {line}"
        elif joined and line.lower().startswith("returned '") and _SERVER_AT_END.search(
                joined[-1]):
            # the line broken before "returned": "... - Remote Server at mx.example.org
            # (192.0.2.7)" / "returned '451 4.7.1 ...'"
            joined[-1] = f"{joined[-1].rstrip()} {line}"
            carried = 0
        elif joined and carried < 3 and line.strip() and "returned '" not in line and (
                _unclosed(joined[-1])):
            # a quoted reply that goes on past its line ("returned '451 4.4.0 DNS query
            # failed." / "The error was: ...'")
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
            carried += 1
        else:
            joined.append(line)
            carried = 0
    attempts = [m for m in map(_ATTEMPT.search, joined) if m]
    for attempt in attempts:
        status = codes.find_status(attempt.group(2))
        if status and not codes.is_summary_status(status):
            return attempt
    # a reply with no enhanced code ("451 Internal resource temporarily unavailable")
    # still says more than the summary over it
    for attempt in attempts:
        if codes.find_status(attempt.group(2)) is None and codes.find_reply_code(
                attempt.group(2)):
            return attempt
    return attempts[0] if attempts else None


_HOST_FIRST = lazy(r"<[A-Za-z0-9.-]{1,255}>[ \t]+(?=#)")


def _clean(words: str) -> str:
    """'#550 5.1.1 RESOLVER... ##rfc822;x' or "Remote Server returned '...'" -> the reply."""
    returned = _RETURNED.search(words)
    if returned:
        words = returned.group(1)
    words = words.strip()
    # "<BY5PR04MB6910.prod.outlook.com> #5.7.1 smtp;550 ...": the generating host first
    host = _HOST_FIRST.match(words)
    if host:
        words = words[host.end():]
    if words.startswith("#"):
        words = words[1:].split("##", 1)[0]
        words = re.sub(r"[ \t]*#SMTP#[ \t]*$", "", words.strip())
    # < #5.0.0 smtp;550 5.1.1 <jane@example.org>: User unknown> (delivery attempts: 0)
    if words.startswith("<") and ">" in words:
        words = words[1:words.rfind(">")].lstrip("# ")
    # "mx.example.org #5.0.0 smtp;550 ..." / "5.0.0 smtp;550 ...": keep the reply itself
    prefix = _SMTP_PREFIX.match(words)
    if prefix:
        words = words[prefix.end():]
    return codes.unwrap_reply(words)


def _new_layout(report: str) -> list[Finding]:
    fields: dict[str, str] = {}
    for match in _FIELD.finditer(report):
        fields.setdefault(match.group(1).lower(), match.group(2).strip())
    addresses = codes.find_addresses(fields.get("recipient address", ""))
    # "Reported error:", in some versions "Error:"; the "Status code:" line under "More
    # Info for Email Admins" gives the code when the error line has none
    words = fields.get("reported error") or fields.get("error", "")
    status = fields.get("status code", "")
    if words and status and not text.has_code(words):
        words = f"{status} {words}".strip()
    if not addresses or not words:
        return []
    remote = fields.get("remote server") or fields.get("message rejected by") or None
    found = [text.finding_from_words(words, a, NAME, remote_mta=remote) for a in addresses]
    headline = _HEADLINE.search(report[:4000])
    target = codes.clean_address(headline.group(1)) if headline else None
    if len(found) == 1 and target and target.lower() != addresses[0].lower():
        # the notice names another address than the one the message was sent to: the
        # recipient's mailbox forwards there, and that delivery failed ("Your message to
        # ann.home@... couldn't be delivered", 5.7.520 external forwarding not allowed)
        found = [found[0].with_changes(address=target, original_recipient=addresses[0])]
    return found


# the notice's first line: "Your message to ann@example.org couldn't be delivered."
_HEADLINE = lazy(r"(?im)^[ \t]*Your message to <?([^\s<>@]{1,64}@[^\s<>]{1,255}?)>? "
                 r"(?:couldn.t|could not|can.t|cannot|wasn.t|was not) be delivered\b")
