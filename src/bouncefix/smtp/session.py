"""A bounded SMTP client: commands out, replies in, nothing read without a limit.

Replies (RFC 5321 section 4.2) are lines ``CODE-text`` ending in ``CODE text``; each
read stops at a cap on bytes per line, lines per reply and bytes per reply, and at the
step's deadline however slowly the bytes drip in (the deadline is fixed when the read
starts, not renewed by each packet). Lines are scanned once for their end, so reading
is linear in what was received. Replies are raw server text: sanitise before printing
(:class:`bouncefix.dns.model.Check` does).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Literal

from .deadline import Deadline

MAX_LINE = 1000  #: bytes per reply line (RFC 5321 allows 512; servers exceed it a little)
MAX_LINES = 100  #: lines per reply (a long EHLO list has 20)
MAX_REPLY = 16 * 1024  #: bytes per reply
RECEIVE = 4096  #: bytes asked of the socket at a time

ErrorKind = Literal["timeout", "closed", "too-long", "malformed", "network", "tls"]


class SessionError(Exception):
    """The conversation cannot go on: `kind` says why, the message says it to a user.

    For a timeout, `waited` is how long the step waited and `budget_bound` whether the
    run's budget (rather than the per-step limit) ended the wait.
    """

    def __init__(self, kind: ErrorKind, message: str, *, waited: float = 0.0,
                 budget_bound: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.waited = waited
        self.budget_bound = budget_bound


class TlsFailure(SessionError):
    """The TLS handshake failed; `verify` is True when only the certificate check did."""

    def __init__(self, message: str, *, verify: bool) -> None:
        super().__init__("tls", message)
        self.verify = verify


@dataclass(frozen=True)
class Reply:
    """One SMTP reply: its code and the text of each of its lines."""

    code: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The text of every line, joined with spaces."""
        return " ".join(line for line in self.lines if line)

    @property
    def first(self) -> str:
        """The first line as sent: ``220 mx.example.org ESMTP``."""
        return f"{self.code} {self.lines[0]}".rstrip() if self.lines else str(self.code)

    def joined(self) -> str:
        """Every line with its code, on one line, as Postfix quotes a reply in a bounce
        (``550-5.1.1 The email account ... 550 5.1.1 ...``)."""
        last = len(self.lines) - 1
        return " ".join(f"{self.code}{'-' if index < last else ' '}{line}".rstrip()
                        for index, line in enumerate(self.lines)) or str(self.code)

    @property
    def transient(self) -> bool:
        """4yz: try again later."""
        return 400 <= self.code < 500


class Session:
    """One SMTP conversation over a connected socket, within `deadline`."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock = sock
        self.deadline = deadline
        self.tls = False
        self.discarded = 0  #: bytes the server sent after its STARTTLS reply, dropped
        self._buffer = bytearray()

    # -- replies ------------------------------------------------------------------

    def read_reply(self, step: float | None = None) -> Reply:
        """The next reply, read within the step limit (or `step` seconds)."""
        started = time.monotonic()
        end = self.deadline.step_end(step)
        budget_bound = self.deadline.cut_short(step)
        lines: list[str] = []
        size = 0
        while True:
            raw = self._read_line(end, started, budget_bound)
            size += len(raw) + 2
            if size > MAX_REPLY or len(lines) >= MAX_LINES:
                raise SessionError("too-long", f"sent a reply longer than {MAX_REPLY} bytes "
                                               f"or {MAX_LINES} lines")
            code, more, text = _parse_line(raw)
            lines.append(text)
            if not more:
                return Reply(code, tuple(lines))

    def command(self, line: str, step: float | None = None) -> Reply:
        """Send one command line and read its reply."""
        self.send(line)
        return self.read_reply(step)

    def send(self, line: str) -> None:
        """Send one command line (CRLF added)."""
        left = self.deadline.step_end() - time.monotonic()
        if left <= 0:
            raise SessionError("timeout", "the time budget was used up", budget_bound=True)
        try:
            self.sock.settimeout(left)
            self.sock.sendall(line.encode("utf-8") + b"\r\n")
        except TimeoutError:
            raise SessionError("timeout", "could not send within the time limit",
                               waited=left) from None
        except OSError as error:
            raise SessionError("network", f"the connection failed ({describe(error)})") from None

    # -- TLS ----------------------------------------------------------------------

    def start_tls(self, context: ssl.SSLContext, server_hostname: str | None) -> None:
        """Do the TLS handshake on the connection (after STARTTLS, or at once on 465).

        Whatever the server sent before the handshake and we have not read is dropped
        (RFC 3207 section 6: it may be an attacker's injection), and counted.
        """
        self.discarded = len(self._buffer)
        self._buffer.clear()
        started = time.monotonic()
        left = self.deadline.step_end() - started
        if left <= 0:
            raise SessionError("timeout", "the time budget was used up", budget_bound=True)
        self.sock.settimeout(left)
        try:
            wrapped = context.wrap_socket(self.sock, server_hostname=server_hostname,
                                          do_handshake_on_connect=False)
            self.sock = wrapped
            wrapped.do_handshake()
        except ssl.SSLCertVerificationError as error:
            raise TlsFailure(str(error.verify_message or error.reason or error),
                             verify=True) from None
        except ssl.SSLError as error:
            raise TlsFailure(str(error.reason or error), verify=False) from None
        except TimeoutError:
            raise SessionError("timeout", "the TLS handshake did not finish",
                               waited=time.monotonic() - started,
                               budget_bound=self.deadline.cut_short()) from None
        except OSError as error:
            raise SessionError("network", f"the connection failed during the TLS handshake "
                                          f"({describe(error)})") from None
        self.tls = True

    # -- closing ------------------------------------------------------------------

    def quit(self) -> None:
        """Say QUIT and close, without waiting long for the answer."""
        try:
            if self.deadline.remaining() > 0.05:
                self.command("QUIT", step=min(self.deadline.step, 1.0))
        except SessionError:
            pass
        self.close()

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(OSError):
            self.sock.close()

    # -- reading lines ------------------------------------------------------------

    def _read_line(self, end: float, started: float, budget_bound: bool) -> bytes:
        scanned = 0
        while True:
            index = self._buffer.find(b"\n", scanned, MAX_LINE + 2)
            if index >= 0:
                line = bytes(self._buffer[:index])
                del self._buffer[: index + 1]
                return line[:-1] if line.endswith(b"\r") else line
            scanned = len(self._buffer)
            if scanned > MAX_LINE + 1:
                raise SessionError("too-long", f"sent a reply line longer than {MAX_LINE} bytes")
            self._receive(end, started, budget_bound)

    def _receive(self, end: float, started: float, budget_bound: bool) -> None:
        left = end - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            self.sock.settimeout(left)
            chunk = self.sock.recv(RECEIVE)
        except TimeoutError:
            raise SessionError("timeout", "no answer", waited=time.monotonic() - started,
                               budget_bound=budget_bound) from None
        except ssl.SSLError as error:
            raise SessionError("tls", f"the TLS connection failed ({error.reason or error})"
                               ) from None
        except OSError as error:
            raise SessionError("network", f"the connection failed ({describe(error)})") from None
        if not chunk:
            raise SessionError("closed", "closed the connection")
        self._buffer += chunk


def _parse_line(raw: bytes) -> tuple[int, bool, str]:
    """``250-SIZE 1000`` to (250, True, "SIZE 1000"); SessionError if not a reply line."""
    head, separator = raw[:3], raw[3:4]
    if len(head) < 3 or not head.isdigit() or head[:1] not in b"2345" or \
            separator not in (b"", b" ", b"-"):
        shown = raw[:80].decode("utf-8", "replace")
        raise SessionError("malformed", f"sent something that is not an SMTP reply: {shown!r}")
    return int(head), separator == b"-", raw[4:].decode("utf-8", "replace")


def describe(error: OSError) -> str:
    """A short reason for a socket error: ``connection refused``, ``network unreachable``."""
    import errno

    names = {
        errno.ECONNREFUSED: "connection refused",
        errno.ECONNRESET: "connection reset",
        errno.ENETUNREACH: "network unreachable",
        errno.EHOSTUNREACH: "host unreachable",
        errno.EADDRNOTAVAIL: "address not available",
        errno.EPIPE: "connection closed",
    }
    if error.errno in names:
        return names[error.errno]
    return str(error.strerror or error or type(error).__name__).lower()
