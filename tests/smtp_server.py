"""A small SMTP server for the tests, on a loopback address, and the certificates it shows.

Each connection is served by a thread that follows a :class:`Behaviour`: the greeting
(or none: it stalls), what EHLO offers before and after STARTTLS, STARTTLS itself, TLS
at once (port 465 style), AUTH (which users and passwords it accepts, and its refusal),
which recipients it knows, a stall after EHLO, and a greeting dripped a byte at a time
that never ends. Every command received is logged with whether it came over TLS.

Certificates are made in the test with the ``cryptography`` package (:class:`Pki`): a
CA, and certificates it signs (valid, expired, for another name), plus a self-signed one.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

UNKNOWN_USER = "550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual " \
               "mailbox table"
AUTH_FAILED = "535 5.7.8 Error: authentication failed: authentication failure"


@dataclass
class Behaviour:
    """What the server does; the defaults are a well-behaved MX with STARTTLS."""

    greeting: str | None = "220 mail.probe.example ESMTP ready"
    extensions: tuple[str, ...] = ("SIZE 10485760", "PIPELINING", "8BITMIME", "SMTPUTF8",
                                   "ENHANCEDSTATUSCODES")
    starttls: bool = True
    implicit_tls: bool = False
    auth_before_tls: str | None = None  #: e.g. "PLAIN LOGIN"
    auth_after_tls: str | None = None
    users: dict[str, str] = field(default_factory=dict)
    auth_failure: str = AUTH_FAILED
    stall_after_ehlo: bool = False
    drip: bool = False  #: the greeting comes a byte at a time, forever
    ehlo_reply: str | None = None  #: replaces the EHLO reply (e.g. "502 5.5.1 no")
    known: frozenset[str] = frozenset({"postmaster@probe.example", "ann@probe.example"})
    unknown_reply: str = UNKNOWN_USER


class SmtpServer:
    """``with SmtpServer(Behaviour(), context) as server:``; ``server.port``."""

    def __init__(self, behaviour: Behaviour, context: ssl.SSLContext | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.behaviour = behaviour
        self.context = context
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, port))
        self.listener.listen(16)
        self.listener.settimeout(0.05)
        self.port: int = self.listener.getsockname()[1]
        self.log: list[tuple[bool, str]] = []  #: (over TLS, command line)
        self.connections = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def commands(self) -> list[str]:
        """The verbs received, upper case (``EHLO``, ``STARTTLS`` ...)."""
        return [line.split(" ", 1)[0].upper() for _, line in self.log]

    def __enter__(self) -> SmtpServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            _Connection(self, conn).run()
        except (OSError, ValueError):
            pass
        finally:
            conn.close()

    def wait(self) -> None:
        """Block until the server stops (a stall)."""
        self._stop.wait(10)


class _Connection:
    def __init__(self, server: SmtpServer, conn: socket.socket) -> None:
        self.server = server
        self.behaviour = server.behaviour
        self.conn: socket.socket = conn
        self.tls = False
        self.buffer = b""

    def send(self, *lines: str) -> None:
        self.conn.sendall("".join(line + "\r\n" for line in lines).encode("utf-8"))

    def readline(self) -> str | None:
        while b"\n" not in self.buffer:
            chunk = self.conn.recv(4096)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def start_tls(self) -> None:
        assert self.server.context is not None
        self.buffer = b""
        self.conn = self.server.context.wrap_socket(self.conn, server_side=True)
        self.tls = True

    def run(self) -> None:
        behaviour = self.behaviour
        if behaviour.implicit_tls:
            self.start_tls()
        if behaviour.drip:
            while not self.server._stop.wait(0.2):
                self.conn.sendall(b"2")
            return
        if behaviour.greeting is None:
            self.server.wait()
            return
        self.send(*behaviour.greeting.split("\n"))
        if not behaviour.greeting.startswith("2"):
            self._after_refusal()
            return
        while (line := self.readline()) is not None:
            self.server.log.append((self.tls, line))
            if not self.answer(line):
                return

    def _after_refusal(self) -> None:
        while (line := self.readline()) is not None:
            self.server.log.append((self.tls, line))
            if line.upper().startswith("QUIT"):
                self.send("221 2.0.0 Bye")
                return
            self.send("503 5.5.1 Error: refused at greeting")

    def answer(self, line: str) -> bool:
        verb, _, argument = line.partition(" ")
        verb = verb.upper()
        if verb == "EHLO":
            return self.ehlo()
        if verb == "STARTTLS" and self.offers_tls():
            self.send("220 2.0.0 Ready to start TLS")
            self.start_tls()
        elif verb == "AUTH":
            self.auth(argument)
        elif verb == "RCPT":
            address = argument.partition("<")[2].partition(">")[0]
            self.send("250 2.1.5 Ok" if address.lower() in self.behaviour.known
                      else self.behaviour.unknown_reply.format(address=address))
        elif verb in ("HELO", "MAIL", "RSET", "NOOP"):
            self.send("250 2.0.0 Ok")
        elif verb == "QUIT":
            self.send("221 2.0.0 Bye")
            return False
        else:
            self.send("502 5.5.2 Error: command not recognized")
        return True

    def offers_tls(self) -> bool:
        return self.behaviour.starttls and self.server.context is not None and not self.tls

    def ehlo(self) -> bool:
        behaviour = self.behaviour
        if behaviour.stall_after_ehlo:
            self.server.wait()
            return False
        if behaviour.ehlo_reply:
            self.send(behaviour.ehlo_reply)
            return True
        offered = list(behaviour.extensions)
        if self.offers_tls():
            offered.append("STARTTLS")
        auth = behaviour.auth_after_tls if self.tls else behaviour.auth_before_tls
        if auth:
            offered.append(f"AUTH {auth}")
        lines = ["mail.probe.example", *offered]
        self.send(*[f"250{'-' if i < len(lines) - 1 else ' '}{text}"
                    for i, text in enumerate(lines)])
        return True

    def auth(self, argument: str) -> None:
        mechanism, _, initial = argument.partition(" ")
        if mechanism.upper() == "PLAIN":
            decoded = base64.b64decode(initial or "").decode("utf-8", "replace")
            _, user, password = [*decoded.split("\0"), "", ""][:3]
        elif mechanism.upper() == "LOGIN":
            self.send("334 VXNlcm5hbWU6")
            user = base64.b64decode(self.readline() or "").decode("utf-8", "replace")
            self.send("334 UGFzc3dvcmQ6")
            password = base64.b64decode(self.readline() or "").decode("utf-8", "replace")
        else:
            self.send("504 5.5.4 Unrecognized authentication type")
            return
        if self.behaviour.users.get(user) == password:
            self.send("235 2.7.0 Authentication successful")
        else:
            self.send(self.behaviour.auth_failure)


#: The ``start`` fixture of tests/smtp: start a server, let the guard allow it.
StartServer = Callable[..., SmtpServer]


# -- certificates ----------------------------------------------------------------------

class Pki:
    """A CA and the certificates the tests need, as PEM files in `folder`."""

    def __init__(self, folder: Path) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self.folder = folder
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca_cert = self._certificate("bouncefix test CA", self.ca_key, None, ca=True)
        self.ca_file = self._write("ca.pem", self.ca_cert, None)

    def issue(self, name: str, dns: tuple[str, ...], ips: tuple[str, ...] = (), *,
              days: tuple[int, int] = (-1, 90), self_signed: bool = False) -> tuple[str, str]:
        """(certificate file, key file) for a certificate valid from `days[0]` to
        `days[1]` days from now."""
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._certificate(dns[0] if dns else name, key,
                                 None if self_signed else (self.ca_cert, self.ca_key),
                                 dns=dns, ips=ips, days=days)
        return self._write(f"{name}.pem", cert, None), self._write(f"{name}.key", None, key)

    def context(self, cert_file: str, key_file: str) -> ssl.SSLContext:
        """A server-side TLS context showing that certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        return context

    def _certificate(self, common_name: str, key: object, issuer: object, *, ca: bool = False,
                     dns: tuple[str, ...] = (), ips: tuple[str, ...] = (),
                     days: tuple[int, int] = (-1, 3650)) -> object:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.x509.oid import NameOID

        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bouncefix tests")])
        issuer_cert, issuer_key = issuer if isinstance(issuer, tuple) else (None, key)
        now = datetime.datetime.now(datetime.timezone.utc)
        builder = (x509.CertificateBuilder()
                   .subject_name(subject)
                   .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
                   .public_key(key.public_key())  # type: ignore[attr-defined]
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now + datetime.timedelta(days=days[0]))
                   .not_valid_after(now + datetime.timedelta(days=days[1]))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
        names += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        if ca:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        return builder.sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]

    def _write(self, name: str, cert: object, key: object) -> str:
        from cryptography.hazmat.primitives import serialization

        path = self.folder / name
        if cert is not None:
            path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))  # type: ignore[attr-defined]
        else:
            path.write_bytes(key.private_bytes(  # type: ignore[attr-defined]
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
        return str(path)


@dataclass(frozen=True)
class Certificates:
    """Server contexts showing each kind of certificate; the test CA is trusted."""

    pki: Pki
    good: ssl.SSLContext
    expired: ssl.SSLContext
    wrong_name: ssl.SSLContext
    self_signed: ssl.SSLContext
    expiring: ssl.SSLContext
