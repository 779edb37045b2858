"""A small authoritative DNS server for the tests, on 127.0.0.1 (UDP and TCP).

It answers from the zone files in tests/zones/ (``ORIGIN.zone``, master-file format)
with dnspython's message API: answers (following CNAMEs inside its zones), NXDOMAIN,
empty answers (NODATA, also for empty non-terminals), REFUSED outside its zones.
tests/zones/_behaviour.txt gives special names (and everything below them):

* ``drop``: never answered (the client times out);
* ``servfail``: answered with SERVFAIL;
* ``truncate``: over UDP always answered with TC set, so the client retries over TCP;
* ``spoof``: over UDP, stray datagrams come first, then the real answer: a reply with
  the wrong ID, one with the wrong ID and TC set, one for another name, one for another
  type, and bytes that are no DNS message (what an off-path attacker, or a late answer
  to an earlier query, looks like to the client);
* ``strays``: over UDP, only those stray datagrams, never the answer.

Answers larger than the client's UDP payload size (512 without EDNS) are truncated
with TC set too. Every query is logged as (transport, name, type).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone
import pytest

ZONES = Path(__file__).resolve().parent / "zones"


class DnsServer:
    """Start with ``with DnsServer() as server:``; ``server.address`` is HOST:PORT."""

    def __init__(self, zone_dir: Path = ZONES, host: str = "127.0.0.1") -> None:
        self.host = host
        self.zones = _load_zones(zone_dir)
        self.behaviours = _load_behaviours(zone_dir / "_behaviour.txt")
        self.log: list[tuple[str, str, str]] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.udp, self.tcp = _bind_pair(host)
        self.port: int = self.udp.getsockname()[1]

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def __enter__(self) -> DnsServer:
        for target in (self._serve_udp, self._serve_tcp):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self.udp.close()
        self.tcp.close()

    def queries(self, transport: str | None = None) -> list[tuple[str, str, str]]:
        """The log, optionally only "udp" or "tcp"."""
        return [q for q in list(self.log) if transport in (None, q[0])]

    # -- answering ------------------------------------------------------------------

    def replies(self, wire: bytes, transport: str) -> list[bytes]:
        """Every datagram or TCP message sent back for a query, in order."""
        reply = self.respond(wire, transport)
        if reply is None:
            return []
        query = dns.message.from_wire(wire)
        behaviour = self._behaviour(query.question[0].name)
        if transport == "udp" and behaviour == "spoof":
            return [*_stray_replies(query), reply]
        if transport == "udp" and behaviour == "strays":
            return _stray_replies(query)
        return [reply]

    def respond(self, wire: bytes, transport: str) -> bytes | None:
        """The response to a query in wire format, or None to stay silent."""
        try:
            query = dns.message.from_wire(wire)
        except Exception:
            return None
        if len(query.question) != 1:
            return None
        question = query.question[0]
        self.log.append((transport, question.name.to_text(omit_final_dot=True).lower(),
                         dns.rdatatype.to_text(question.rdtype)))
        behaviour = self._behaviour(question.name)
        if behaviour == "drop":
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if behaviour == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
        else:
            self._fill(response, question.name, question.rdtype)
        if transport == "tcp":
            return response.to_wire(max_size=65535)
        if behaviour == "truncate":
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA | dns.flags.TC
        size = query.payload if query.edns >= 0 else 512
        return response.to_wire(max_size=size, prefer_truncation=True)

    def _behaviour(self, name: dns.name.Name) -> str | None:
        for special, behaviour in self.behaviours.items():
            if name.is_subdomain(special):
                return behaviour
        return None

    def _zone_for(self, name: dns.name.Name) -> dns.zone.Zone | None:
        best: dns.zone.Zone | None = None
        for origin, zone in self.zones.items():
            if name.is_subdomain(origin) and (best is None or len(origin) > len(best.origin)):
                best = zone
        return best

    def _fill(self, response: dns.message.Message, name: dns.name.Name, rdtype: int) -> None:
        zone = self._zone_for(name)
        if zone is None:
            response.set_rcode(dns.rcode.REFUSED)
            return
        for _ in range(8):  # CNAME chain inside our zones
            node = zone.get_node(name)
            if node is None:
                if not _has_children(zone, name):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                _add_soa(response, zone)
                return
            found = node.get_rdataset(dns.rdataclass.IN, rdtype)
            if found is not None:
                response.answer.append(_rrset(name, found))
                return
            cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if cname is None or rdtype == dns.rdatatype.CNAME:
                _add_soa(response, zone)
                return
            response.answer.append(_rrset(name, cname))
            name = cname[0].target
            next_zone = self._zone_for(name)
            if next_zone is None:
                return
            zone = next_zone

    # -- transports -----------------------------------------------------------------

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.udp], [], [], 0.05)
            if not ready:
                continue
            try:
                wire, peer = self.udp.recvfrom(65535)
            except OSError:
                continue
            for reply in self.replies(wire, "udp"):
                self.udp.sendto(reply, peer)

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.tcp], [], [], 0.05)
            if not ready:
                continue
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                continue
            threading.Thread(target=self._tcp_connection, args=(conn,), daemon=True).start()

    def _tcp_connection(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        with conn:
            try:
                while True:
                    head = _recv_exactly(conn, 2)
                    if head is None:
                        return
                    wire = _recv_exactly(conn, int.from_bytes(head, "big"))
                    if wire is None:
                        return
                    reply = self.respond(wire, "tcp")
                    if reply is None:
                        return
                    conn.sendall(len(reply).to_bytes(2, "big") + reply)
            except OSError:
                return


def _stray_replies(query: dns.message.Message) -> list[bytes]:
    """Datagrams that look like answers to `query` but are not (see ``spoof``)."""
    question = query.question[0]
    bogus_address = dns.rrset.from_text(question.name, 300, "IN", "A", "192.0.2.66")
    wrong_id = dns.message.make_response(query)
    wrong_id.id = (query.id + 1) & 0xFFFF
    wrong_id.answer.append(bogus_address)
    truncated = dns.message.make_response(query)
    truncated.id = (query.id + 2) & 0xFFFF
    truncated.flags |= dns.flags.TC
    strays = [wrong_id, truncated]
    for name, rdtype in ((dns.name.from_text("other", question.name), question.rdtype),
                         (question.name, dns.rdatatype.CNAME if question.rdtype
                          != dns.rdatatype.CNAME else dns.rdatatype.A)):
        other = dns.message.make_query(name, rdtype)
        other.id = query.id
        stray = dns.message.make_response(other)
        stray.answer.append(dns.rrset.from_text(name, 300, "IN", "A", "192.0.2.66")
                            if rdtype == dns.rdatatype.A
                            else dns.rrset.from_text(name, 300, "IN", "CNAME", "evil.example."))
        strays.append(stray)
    return [message.to_wire() for message in strays] + [b"\x00\x01not a DNS message"]


def _recv_exactly(conn: socket.socket, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _rrset(name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset))


def _add_soa(response: dns.message.Message, zone: dns.zone.Zone) -> None:
    soa = zone.get_rdataset(zone.origin, dns.rdatatype.SOA)
    if soa is not None:
        response.authority.append(_rrset(zone.origin, soa))


def _has_children(zone: dns.zone.Zone, name: dns.name.Name) -> bool:
    return any(other != name and other.is_subdomain(name) for other in zone.nodes)


def _load_zones(zone_dir: Path) -> dict[dns.name.Name, dns.zone.Zone]:
    zones = {}
    for path in sorted(zone_dir.glob("*.zone")):
        origin = dns.name.from_text(path.name[: -len(".zone")])
        zones[origin] = dns.zone.from_file(str(path), origin=origin, relativize=False)
    return zones


def _load_behaviours(path: Path) -> dict[dns.name.Name, str]:
    behaviours = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split("#", 1)[0].split()
            if len(words) == 2:
                behaviours[dns.name.from_text(words[0])] = words[1]
    return behaviours


def _bind_pair(host: str) -> tuple[socket.socket, socket.socket]:
    """A UDP and a TCP socket on the same ephemeral port."""
    for _ in range(20):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((host, 0))
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            tcp.bind((host, udp.getsockname()[1]))
        except OSError:
            udp.close()
            tcp.close()
            continue
        tcp.listen(16)
        return udp, tcp
    raise RuntimeError("no free port for the test DNS server")


class LocalOnly:
    """Refuse socket connects and sends to anything but the allowed (host, port) pairs.

    Installed with pytest's monkeypatch, it guarantees that a test reaches neither the
    internet nor the system resolver (which may listen on a loopback address too),
    whatever the code under test tries.
    """

    def __init__(self, *allowed: tuple[str, int]) -> None:
        self.allowed = set(allowed)
        self.refused: list[object] = []

    def allow(self, host: str, port: int) -> None:
        self.allowed.add((host, port))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self
        connect, connect_ex, sendto = (
            socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
        )

        def guarded_connect(sock: socket.socket, address: Any) -> None:
            guard.verify(sock, address)
            connect(sock, address)

        def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
            guard.verify(sock, address)
            return connect_ex(sock, address)

        def guarded_sendto(sock: socket.socket, data: bytes, *args: Any) -> int:
            guard.verify(sock, args[-1])
            return int(sendto(sock, data, *args))

        monkeypatch.setattr(socket.socket, "connect", guarded_connect)
        monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
        monkeypatch.setattr(socket.socket, "sendto", guarded_sendto)

    def verify(self, sock: socket.socket, address: Any) -> None:
        """Allowed: sending to an allowed address, or from one (the server's replies)."""
        key = (address[0], address[1]) if isinstance(address, tuple) else address
        if key not in self.allowed and _local(sock) not in self.allowed:
            self.refused.append(address)
            raise OSError(f"test guard: no network access to {address!r}")


def _local(sock: socket.socket) -> Any:
    try:
        name = sock.getsockname()
    except OSError:
        return None
    return (name[0], name[1]) if isinstance(name, tuple) else name


def silent_socket() -> socket.socket:
    """A bound UDP socket that never answers: a nameserver that is down."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def guarded(server: DnsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalOnly]:
    """Only `server` is reachable, and BOUNCEFIX_NAMESERVER points at it."""
    guard = LocalOnly(("127.0.0.1", server.port))
    guard.install(monkeypatch)
    monkeypatch.setenv("BOUNCEFIX_NAMESERVER", server.address)
    monkeypatch.delenv("BOUNCEFIX_FORCE_RICH", raising=False)
    yield guard
    assert not guard.refused, f"a test tried to reach {guard.refused}"
