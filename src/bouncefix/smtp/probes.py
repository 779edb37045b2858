"""The two probes: a mail server as a sending server meets it (``smtp``), and a
submission server as a mail client meets it (``submission``: 587 with STARTTLS, 465
with TLS at once).

SMTP: connect, greeting, EHLO, STARTTLS, certificate, EHLO again; with a recipient,
MAIL FROM:<> and RCPT, then RSET; QUIT. Submission: the same up to the second EHLO,
then whether AUTH is offered (and only after TLS), and with credentials one login.
No message is ever sent.
"""

from __future__ import annotations

from collections.abc import Callable

from ..dns.model import TargetReport
from ..dns.resolver import Resolver
from .deadline import Deadline
from .options import ProbeOptions
from .steps import Conversation
from .targets import SUBMISSION_PORT, SUBMISSIONS_PORT, Server
from .tls_steps import auth_offer, handshake, start_tls


def probe_server(server: Server, options: ProbeOptions, deadline: Deadline,
                 resolver: Resolver, *, login: bool = True) -> tuple[TargetReport, bool]:
    """Every check of one server, and whether a password was sent (so that a second
    port of the same host is not tried with it again)."""
    talk = Conversation(server, options, deadline, resolver)
    try:
        _converse(talk, login)
    finally:
        talk.close()
    return TargetReport(server.label, server.mode, tuple(talk.checks)), talk.login_sent


def _converse(talk: Conversation, login: bool) -> None:
    server, options = talk.server, talk.options
    if not talk.connect():
        return
    if server.implicit_tls and not handshake(talk, "tls"):
        return
    if not talk.greeting() or not talk.ehlo():
        return
    tls = server.implicit_tls
    if not tls:
        state = start_tls(talk)
        if state == "dead":
            return
        tls = state == "tls"
        if tls and not talk.ehlo(after_tls=True):
            return
    if server.mode == "submission":
        auth_offer(talk, tls)
        if login and options.credentials is not None and "AUTH" in talk.offered:
            talk.login()
    elif options.rcpt:
        talk.recipient(options.rcpt)
    talk.quit()


def probe_submission(host: str, ports: tuple[int, ...], options: ProbeOptions,
                     deadline: Deadline, resolver: Resolver, *,
                     implicit_ports: tuple[int, ...] = (SUBMISSIONS_PORT,)
                     ) -> list[TargetReport]:
    """The submission ports of `host` one after the other (587, then 465 by default;
    those in `implicit_ports` speak TLS at once); with credentials, one login on the
    first port where one can be tried."""
    reports = []
    login = True
    for port in ports:
        server = Server(host, port, "submission", implicit_tls=port in implicit_ports)
        report, sent = probe_server(server, options, deadline, resolver, login=login)
        login = login and not sent
        reports.append(report)
    return reports


DEFAULT_SUBMISSION_PORTS = (SUBMISSION_PORT, SUBMISSIONS_PORT)

#: A probe the runner can call: the deadline in, the reports out.
ProbeCall = Callable[[Deadline], list[TargetReport]]
