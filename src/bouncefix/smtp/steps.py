"""The steps of a probe, each adding one check: connect, greeting, EHLO, STARTTLS (or
TLS at once on port 465), the certificate, AUTH as offered, a login, a recipient.

A step returns whether the conversation can go on. Every reply is read within the
step limit and the run's budget (``deadline``); a server that stalls, closes, floods or
answers nonsense ends the conversation with a check that says so.
"""

from __future__ import annotations

import base64
from typing import Literal

from ..dns.model import Check, Status
from ..dns.resolver import Resolver
from ..dns.validate import TargetError, check_name
from .connect import open_connection
from .deadline import Deadline
from .extensions import changes, detail_lines, parse_extensions, short_list
from .options import ProbeOptions
from .replies import explain
from .session import Reply, Session, SessionError
from .targets import Server, addresses_of

TlsState = Literal["tls", "plain", "dead"]

HINT_SLOW_GREETING = ("some servers wait on purpose before greeting (e.g. Postfix "
                      "postscreen): try a longer --timeout and --budget")
HINT_PORT_25 = ("many home, office and cloud networks block outgoing port 25: probe "
                "from the mail server itself, or ask the network's operator")
NOTE_OUR_SIDE = ("this is how the server treats the machine running bouncefix, which "
                 "may not be your mail server")


class Conversation:
    """One probe of one server: its checks, and the session while it lasts."""

    def __init__(self, server: Server, options: ProbeOptions, deadline: Deadline,
                 resolver: Resolver) -> None:
        self.server = server
        self.options = options
        self.deadline = deadline
        self.resolver = resolver
        self.checks: list[Check] = []
        self.session: Session | None = None
        self.address = ""
        self.offered: dict[str, str] = {}  #: what the last EHLO offered
        self.offered_before_tls: dict[str, str] = {}
        self.login_sent = False
        self.verified = False  #: TLS with a trusted certificate that names the host

    @property
    def host(self) -> str:
        """The server's name (or address) as given."""
        return self.server.host

    def add(self, name: str, status: Status, summary: str, details: tuple[str, ...] | list[str]
            = ()) -> None:
        """Record a check of this server."""
        self.checks.append(Check(name, status, summary, tuple(details), self.server.label))

    @property
    def live(self) -> Session:
        """The open session (a step only runs while there is one)."""
        assert self.session is not None
        return self.session

    # -- connecting ---------------------------------------------------------------

    def connect(self) -> bool:
        """Look the host up, then connect to its addresses in turn."""
        found = addresses_of(self.host, self.resolver, self.options.allow_private)
        via = [f"reached as {self.server.via}"] if self.server.via else []
        if found.problem:
            hint = [] if self.server.is_address or self.server.via else [
                f"for the mail servers of a domain: bouncefix check {self.host} --smtp"]
            self.add("connect", "error" if found.lookup_failed else "fail", found.problem,
                     [*found.refused, *via, *hint])
            return False
        sock, attempts = open_connection(found.usable, self.server.port, self.deadline)
        details = [f"{a.address}: {a.problem or f'connected in {a.seconds * 1000:.0f} ms'}"
                   for a in attempts] if len(found.usable) > 1 or sock is None else []
        details += [f"{address}: not tried" for address in found.usable[len(attempts):]]
        details += [*found.refused, *via]
        if sock is None:
            budget = all(a.problem.startswith("not tried") for a in attempts[-1:])
            problems = list(dict.fromkeys(a.problem for a in attempts))
            summary = (f"could not connect to {self.server.label}: "
                       + (problems[0] if len(problems) == 1 else "no address answered"))
            if self.server.port == 25 and any(p.startswith("no answer") for p in problems):
                details.append(HINT_PORT_25)
            self.add("connect", "error" if budget else "fail", summary, details)
            return False
        self.session = Session(sock, self.deadline)
        self.address = attempts[-1].address
        self.add("connect", "pass", f"connected to {self.server.label} ({self.address}) in "
                 f"{attempts[-1].seconds * 1000:.0f} ms", details)
        return True

    # -- greeting and EHLO --------------------------------------------------------

    def greeting(self) -> bool:
        """Read the greeting: 220 goes on; 4xx, 5xx, silence or nonsense end here."""
        try:
            reply = self.live.read_reply()
        except SessionError as error:
            self.failed("greeting", error, "no greeting", HINT_SLOW_GREETING)
            return False
        if reply.code == 220:
            self._judge_banner(reply)
            return True
        explanation = explain(reply, self.host, self.address, "CONNECT")
        if reply.transient:
            summary = f"{self.host} refuses connections for now: {reply.first}"
        elif reply.code >= 500:
            summary = f"{self.host} refuses this client: {reply.first}"
        else:
            summary = f"{self.host} greets with {reply.code}, not 220: {reply.first}"
        self.add("greeting", "fail", summary, [*explanation.lines, NOTE_OUR_SIDE])
        self.live.quit()
        return False

    def _judge_banner(self, reply: Reply) -> None:
        words = reply.lines[0].split() if reply.lines else []
        name = words[0].rstrip(".").lower() if words else ""
        shown = f"greeting: {reply.joined()}"
        if "***" in reply.text:
            self.add("greeting", "warn", f"{self.host} greets with a masked banner: "
                     f"{reply.first}", [shown, "a firewall rewrites the conversation (e.g. "
                     "Cisco SMTP inspection); it often breaks EHLO and STARTTLS"])
            return
        try:
            check_name(name)
        except TargetError:
            self.add("greeting", "warn", f"{self.host} greets without naming itself: "
                     f"{reply.first}", [shown, "RFC 5321 section 4.3.1: the greeting "
                     "starts with the server's own host name"])
            return
        if self.server.is_address or name == self.host:
            self.add("greeting", "pass", f"{self.host} greets as {name}", [shown])
            return
        self.add("greeting", "warn", f"{self.host} greets as {name}, not as {self.host}",
                 [shown, "a different name is common behind load balancers and harmless "
                  "by itself; a name the operator does not own can mean that a proxy, "
                  "firewall or scanner answers in between"])

    def ehlo(self, after_tls: bool = False) -> bool:
        """Say EHLO and record what is offered; fall back to HELO if EHLO is refused."""
        name = "ehlo-tls" if after_tls else "ehlo"
        where = "after TLS, " if after_tls else ""
        try:
            reply = self.live.command(f"EHLO {self._helo_name()}")
        except SessionError as error:
            self.failed(name, error, "no answer to EHLO")
            return False
        if reply.code == 250:
            self.offered = parse_extensions(reply)
            if not after_tls:
                self.offered_before_tls = dict(self.offered)
            details = [f"EHLO reply: {reply.first}"]
            details += (changes(self.offered_before_tls, self.offered) if after_tls
                        else detail_lines(self.offered))
            self.add(name, "pass", f"{where}{self.host} offers {short_list(self.offered)}",
                     details)
            return True
        explanation = explain(reply, self.host, self.address, "EHLO")
        if reply.code >= 500 and not after_tls and self._helo():
            self.add(name, "warn", f"{self.host} refuses EHLO but accepts HELO: no STARTTLS, "
                     "no extensions", explanation.lines)
            return True
        self.add(name, "fail", f"{self.host} refuses EHLO: {reply.first}", explanation.lines)
        return False

    def _helo(self) -> bool:
        self.offered = {}
        try:
            return self.live.command(f"HELO {self._helo_name()}").code == 250
        except SessionError:
            return False

    def _helo_name(self) -> str:
        if self.options.helo:
            return self.options.helo
        try:
            local = str(self.live.sock.getsockname()[0])
        except OSError:
            local = "127.0.0.1"
        return f"[IPv6:{local}]" if ":" in local else f"[{local}]"

    # -- errors -------------------------------------------------------------------

    def failed(self, name: str, error: SessionError, waiting_for: str, hint: str = "") -> None:
        """Record a step that ended the conversation, and close it."""
        details: list[str] = []
        if error.kind == "timeout" and error.budget_bound:
            status: Status = "error"
            summary = f"could not check: the time budget ran out ({waiting_for} yet)"
        elif error.kind == "timeout":
            status = "fail"
            summary = f"{self.host} stalls: {waiting_for} within {error.waited:.1f} s"
            details = [hint] if hint else []
        elif error.kind == "closed":
            status = "fail"
            summary = f"{self.host} closed the connection ({waiting_for})"
        elif error.kind in ("network", "tls"):
            status = "fail"
            summary = f"{self.host}: {error}"
        else:  # too-long, malformed: "sent ..."
            status = "fail"
            summary = f"{self.host} {error}"
        self.add(name, status, summary, details)
        self.close()

    def close(self) -> None:
        """Drop the connection without a word."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def quit(self) -> None:
        """Say QUIT and close."""
        if self.session is not None:
            self.session.quit()
            self.session = None

    # -- asking about a recipient, logging in ---------------------------------------

    def recipient(self, address: str) -> None:
        """MAIL FROM:<>, RCPT TO:<address>, RSET: is `address` accepted?"""
        try:
            mail = self.live.command("MAIL FROM:<>")
            if mail.code != 250:
                explanation = explain(mail, self.host, self.address, "MAIL")
                self.add("rcpt", "fail", f"{self.host} refuses the null sender "
                         f"(MAIL FROM:<>): {mail.first}", [*explanation.lines,
                         "RFC 5321 section 4.5.5: servers must accept it, bounces use it"])
                return
            reply = self.live.command(f"RCPT TO:<{address}>")
            self._judge_recipient(address, reply)
            self.live.command("RSET")
        except SessionError as error:
            if not any(check.name == "rcpt" for check in self.checks):
                self.failed("rcpt", error, f"no answer about {address}")
            else:
                self.close()

    def _judge_recipient(self, address: str, reply: Reply) -> None:
        if reply.code in (250, 251, 252):
            self.add("rcpt", "pass", f"{self.host} accepts {address} at RCPT: {reply.first}",
                     [f"server said: {reply.joined()}", "accepting at RCPT does not prove "
                      "that the mailbox exists: some servers accept every address and "
                      "bounce later"])
            return
        explanation = explain(reply, self.host, self.address, "RCPT")
        if reply.transient:
            self.add("rcpt", "warn", f"{self.host} defers {address} for now: {reply.first}",
                     explanation.lines)
        else:
            self.add("rcpt", "fail", f"{self.host} refuses {address}: {reply.first}",
                     explanation.lines)

    def login(self) -> None:
        """AUTH PLAIN (or LOGIN) with the given credentials, only over TLS."""
        credentials = self.options.credentials
        assert credentials is not None
        user = credentials.user
        if not self.live.tls:
            self.add("login", "error", f"login of {user} not tried: the connection to "
                     f"{self.host} is not encrypted", ["bouncefix never sends a password "
                     "over an unencrypted connection"])
            return
        if not self.verified:
            self.add("login", "error", f"login of {user} not tried: the certificate of "
                     f"{self.host} could not be verified (see cert)", ["bouncefix sends a "
                     "password only to a server whose certificate is trusted and names it "
                     "(SSL_CERT_FILE chooses the trusted CAs)"])
            return
        mechanisms = self.offered.get("AUTH", "").upper().split()
        try:
            if "PLAIN" in mechanisms:
                used = "PLAIN"
                token = _b64(f"\0{user}\0{credentials.password}")
                self.login_sent = True
                reply = self.live.command(f"AUTH PLAIN {token}")
            elif "LOGIN" in mechanisms:
                used = "LOGIN"
                reply = self._auth_login(user, credentials.password)
            else:
                self.add("login", "error", f"login of {user} not tried: {self.host} offers "
                         f"AUTH {' '.join(mechanisms) or '(nothing)'}; bouncefix logs in with "
                         "PLAIN or LOGIN")
                return
        except SessionError as error:
            self.failed("login", error, "no answer to AUTH")
            return
        self._judge_login(user, used, reply)

    def _auth_login(self, user: str, password: str) -> Reply:
        reply = self.live.command("AUTH LOGIN")
        if reply.code == 334:
            self.login_sent = True
            reply = self.live.command(_b64(user))
            if reply.code == 334:
                reply = self.live.command(_b64(password))
        return reply

    def _judge_login(self, user: str, used: str, reply: Reply) -> None:
        if reply.code == 235:
            self.add("login", "pass", f"{user} logged in to {self.host} (AUTH {used})",
                     [f"server said: {reply.joined()}"])
            return
        explanation = explain(reply, self.host, self.address, "AUTH")
        self.add("login", "fail", f"{self.host} refused the login of {user}: {reply.first}",
                 explanation.lines)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
