"""The TLS steps of a probe: STARTTLS (or TLS at once on port 465), the certificate,
and what AUTH is offered before and after TLS.

The first handshake verifies the chain, as a careful sender or a mail client does. If
it fails, the probe connects once more and shakes hands without verification, as most
servers sending to an MX do, to report what the server offers and the certificate it
shows (:mod:`bouncefix.smtp.tls`).
"""

from __future__ import annotations

import ssl

from .session import SessionError, TlsFailure
from .steps import Conversation, TlsState
from .tls import (
    TlsInfo,
    certificate_check,
    lenient_context,
    names_host,
    session_info,
    verifying_context,
)
from .x509 import CertificateError, parse_certificate


def start_tls(talk: Conversation) -> TlsState:
    """STARTTLS when offered: ``tls`` when encrypted, ``plain`` when the conversation
    goes on unencrypted, ``dead`` when it cannot go on."""
    strict = talk.server.mode == "submission"
    if "STARTTLS" not in talk.offered:
        if strict:
            talk.add("starttls", "fail", f"{talk.host} does not offer STARTTLS: mail clients "
                     "will not send a password over it", [])
        else:
            talk.add("starttls", "warn", f"{talk.host} does not offer STARTTLS: mail to it "
                     "travels unencrypted", ["senders that require TLS (MTA-STS in enforce "
                                             "mode, REQUIRETLS, some providers) will not deliver"])
        return "plain"
    try:
        reply = talk.live.command("STARTTLS")
    except SessionError as error:
        talk.failed("starttls", error, "no answer to STARTTLS")
        return "dead"
    if reply.code != 220:
        from .replies import explain

        explanation = explain(reply, talk.host, talk.address, "STARTTLS")
        talk.add("starttls", "fail", f"{talk.host} offers STARTTLS but refuses it: "
                 f"{reply.first}", explanation.lines)
        return "plain"
    return "tls" if handshake(talk, "starttls") else "dead"


def handshake(talk: Conversation, name: str) -> bool:
    """The TLS handshake on the open connection, then the ``name`` and ``cert`` checks."""
    try:
        talk.live.start_tls(verifying_context(talk.options.cafile), _sni(talk))
        info = session_info(_ssl(talk))
    except TlsFailure as first:
        talk.close()
        retried = _lenient_retry(talk, first)
        if retried is None:
            return False
        info = retried
    except SessionError as error:
        talk.failed(name, error, "the TLS handshake did not finish")
        return False
    _report(talk, name, info)
    return True


def _report(talk: Conversation, name: str, info: TlsInfo) -> None:
    strict = talk.server.mode == "submission"
    details = [f"version: {info.version}", f"cipher: {info.cipher} ({info.bits} bits)"]
    if talk.live.discarded:
        details.append(f"dropped {talk.live.discarded} bytes the server sent before the "
                       "handshake (a broken server, or an injection attempt)")
    if info.old:
        talk.add(name, "fail" if strict else "warn", f"{talk.host} offers only "
                 f"{info.describe()}: current senders and mail clients refuse TLS before 1.2",
                 details)
    else:
        talk.add(name, "pass", f"{talk.host} speaks {info.describe()}", details)
    cert = certificate_check(info, talk.host, strict)
    talk.checks.append(cert)
    talk.verified = not info.verify_error and _names(info, talk.host)


def _names(info: TlsInfo, host: str) -> bool:
    try:
        return names_host(parse_certificate(info.der), host)
    except CertificateError:
        return False


def _lenient_retry(talk: Conversation, first: TlsFailure) -> TlsInfo | None:
    """Connect again and shake hands without verification; the new session replaces
    the old one. None (with a failed check) when that fails too."""
    name = "tls" if talk.server.implicit_tls else "starttls"
    again = Conversation(talk.server, talk.options, talk.deadline, talk.resolver)
    reached = again.connect() and (talk.server.implicit_tls or (
        again.greeting() and again.ehlo() and "STARTTLS" in again.offered
        and _command_ok(again, "STARTTLS")))
    if reached:
        try:
            again.live.start_tls(lenient_context(), _sni(again))
            info = session_info(_ssl(again))
        except SessionError as error:
            again.close()
            reached = False
            if not first.verify:
                first = TlsFailure(f"{first}; without verification: {error}", verify=False)
    if not reached:
        again.close()
        if first.verify:
            talk.add(name, "fail", f"{talk.host}: TLS handshake failed: the certificate "
                     f"could not be verified ({first})", [])
        else:
            talk.add(name, "fail", f"{talk.host}: TLS handshake failed ({first})", [])
        return None
    talk.session, talk.address = again.session, again.address
    return TlsInfo(info.version, info.cipher, info.bits, info.der,
                   verify_error=str(first) if first.verify else "")


def _command_ok(talk: Conversation, command: str) -> bool:
    try:
        return talk.live.command(command).code == 220
    except SessionError:
        return False


def _sni(talk: Conversation) -> str | None:
    return None if talk.server.is_address else talk.host


def _ssl(talk: Conversation) -> ssl.SSLSocket:
    sock = talk.live.sock
    assert isinstance(sock, ssl.SSLSocket)
    return sock


def auth_offer(talk: Conversation, tls: bool) -> None:
    """The ``auth`` check of a submission server: AUTH offered, and only after TLS."""
    before = talk.offered_before_tls.get("AUTH") if not talk.server.implicit_tls else None
    after = talk.offered.get("AUTH") if tls else None
    if not tls:
        if before is not None:
            talk.add("auth", "fail", f"{talk.host} offers AUTH {before} without TLS: "
                     "passwords would travel unencrypted")
        else:
            talk.add("auth", "fail", f"{talk.host} offers neither TLS nor AUTH: mail clients "
                     "cannot log in")
        return
    if after is None:
        talk.add("auth", "fail", f"{talk.host} offers no AUTH after TLS: mail clients cannot "
                 "log in", ["a server for mail clients offers AUTH after STARTTLS (or on 465)"])
    elif before is not None:
        talk.add("auth", "warn", f"{talk.host} offers AUTH {before} before TLS too: a client "
                 "set up without encryption would send its password unencrypted",
                 [f"after TLS: AUTH {after}"])
    else:
        where = "on the TLS connection" if talk.server.implicit_tls else "only after TLS"
        talk.add("auth", "pass", f"{talk.host} offers AUTH {after} {where}")
