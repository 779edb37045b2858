"""A bounded, caching DNS client on dnspython's message and query API.

* nameservers: a list of ``HOST[:PORT]`` or, when empty, the system's resolvers
  (resolv.conf), asked in turn, twice each, sharing the query's time, over UDP with
  EDNS and over TCP when the answer is truncated;
* over UDP, a datagram that is not the answer to our question (another source, a
  wrong ID, another name or type, or not a DNS message at all) is ignored and the wait
  goes on for the real answer within the query's time, as resolvers do: a stray or
  forged packet costs nothing but the packet;
* a timeout per query and a total time budget per run, which starts with the first
  query: once it is used up every further query answers "timeout" at once;
* an in-run cache, shared between threads: concurrent asks for the same (name, type)
  wait for the one query in flight;
* validation first: a refused name or address is never sent (status ``invalid``);
* at most ``max_queries`` queries sent per run (names deduplicated by the cache); past
  that every new question answers ``error`` with the reason, at once.

Answers are plain strings: addresses for A/AAAA, ``"PREF HOST"`` for MX, host names
for PTR/CNAME, and the joined character-strings of each TXT record (decoded as UTF-8
with replacement, capped). They are raw DNS data: sanitise before printing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Literal

from .validate import TargetError, check_ip, check_name, parse_nameserver

AnswerStatus = Literal["ok", "nxdomain", "nodata", "timeout", "servfail", "invalid", "error"]

DEFAULT_TIMEOUT = 2.0
DEFAULT_BUDGET = 4.0
DEFAULT_MAX_QUERIES = 1000  #: queries sent per run (distinct name and type pairs)
MAX_RECORDS = 50  #: records kept per answer
MAX_TXT = 8192  #: characters kept per TXT record
EDNS_PAYLOAD = 1232  #: the DNS Flag Day 2020 size; bigger answers come over TCP
ROUNDS = 2  #: each nameserver is asked at most twice per query (a lost UDP packet)


@dataclass(frozen=True)
class Answer:
    """The outcome of one query."""

    status: AnswerStatus
    values: tuple[str, ...] = ()
    problem: str = ""

    @property
    def ok(self) -> bool:
        """Records were found."""
        return self.status == "ok"

    @property
    def empty(self) -> bool:
        """The name does not exist, or has no records of the type asked for."""
        return self.status in ("nxdomain", "nodata")

    @property
    def failed(self) -> bool:
        """No usable answer: timeout, server failure, refused name or other error."""
        return not self.ok and not self.empty

    @property
    def reason(self) -> str:
        """A short reason for a failed answer, e.g. ``timeout``."""
        return self.problem or self.status


class Resolver:
    """Queries with validation, a per-query timeout, a total budget and a cache."""

    def __init__(
        self,
        nameservers: Sequence[str] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        budget: float = DEFAULT_BUDGET,
        max_queries: int = DEFAULT_MAX_QUERIES,
    ) -> None:
        """`nameservers` are ``HOST[:PORT]`` strings (TargetError if malformed)."""
        self.servers = [parse_nameserver(spec) for spec in nameservers or ()]
        self.timeout = max(timeout, 0.01)
        self.budget = max(budget, 0.01)
        self.max_queries = max(max_queries, 0)
        self._deadline: float | None = None
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Future[Answer]] = {}
        self._config_problem = ""
        self.sent = 0  #: queries actually sent (for tests and diagnostics)

    def start(self) -> None:
        """Start the budget clock (the first query does this too)."""
        with self._lock:
            if self._deadline is None:
                self._deadline = time.monotonic() + self.budget

    def remaining(self) -> float:
        """Seconds left of the budget."""
        self.start()
        assert self._deadline is not None
        return max(self._deadline - time.monotonic(), 0.0)

    def query(self, name: str, rdtype: str) -> Answer:
        """Records of `rdtype` (A, AAAA, MX, TXT, PTR, CNAME) at `name`."""
        try:
            qname = check_name(name)
        except TargetError as error:
            return Answer("invalid", problem=str(error))
        return self._cached(qname, rdtype.upper())

    def reverse(self, ip: str) -> Answer:
        """The PTR records of an IP address."""
        import dns.reversename

        try:
            address = check_ip(ip)
        except TargetError as error:
            return Answer("invalid", problem=str(error))
        name = dns.reversename.from_address(str(address)).to_text(omit_final_dot=True)
        return self._cached(name, "PTR")

    def addresses(self, name: str) -> Answer:
        """A and AAAA records together."""
        a = self.query(name, "A")
        if a.status in ("timeout", "invalid"):
            return a  # the AAAA query would fare no better; save the budget
        aaaa = self.query(name, "AAAA")
        if a.ok or aaaa.ok:
            return Answer("ok", a.values + aaaa.values)
        if a.failed:
            return a
        if aaaa.failed:
            return aaaa
        return a if a.status == "nxdomain" else Answer("nodata")

    def _cached(self, name: str, rdtype: str) -> Answer:
        key = (name, rdtype)
        with self._lock:
            future = self._cache.get(key)
            owner = future is None
            if future is None:
                future = self._cache[key] = Future()
        if owner:
            try:
                answer = self._send(name, rdtype)
            except Exception as error:  # never leave waiters hanging
                answer = Answer("error", problem=f"{type(error).__name__}")
            future.set_result(answer)
            return answer
        try:
            return future.result(timeout=self.remaining() + 0.2)
        except FutureTimeout:
            return Answer("timeout", problem="timeout")

    def _send(self, name: str, rdtype: str) -> Answer:
        remaining = self.remaining()
        if remaining < 0.01:
            return Answer("timeout", problem="timeout (time budget used up)")
        servers = self._nameservers()
        if not servers:
            return Answer("error", problem=self._config_problem)
        with self._lock:
            if self.sent >= self.max_queries:
                return Answer("error", problem=f"not asked: the limit of {self.max_queries} "
                                               "DNS queries per run was reached")
            self.sent += 1
        return exchange(name, rdtype, servers, min(self.timeout, remaining))

    def _nameservers(self) -> list[tuple[str, int]]:
        with self._lock:
            if not self.servers and not self._config_problem:
                try:
                    self.servers = system_nameservers()
                except Exception as error:  # no resolv.conf, unreadable config ...
                    self._config_problem = f"no usable system DNS configuration ({error})"
                if not self.servers and not self._config_problem:
                    self._config_problem = "no nameserver configured; use --nameserver"
            return self.servers


def system_nameservers() -> list[tuple[str, int]]:
    """The plain-DNS nameservers of the system configuration (resolv.conf)."""
    import dns.nameserver
    import dns.resolver

    config = dns.resolver.Resolver(configure=True)
    servers: list[tuple[str, int]] = []
    for server in config.nameservers:
        if isinstance(server, str):
            servers.append((server, config.port))
        elif isinstance(server, dns.nameserver.Do53Nameserver):
            servers.append((server.address, server.port))
    return servers


def exchange(name: str, rdtype: str, servers: list[tuple[str, int]], lifetime: float) -> Answer:
    """Ask `servers` in turn (two rounds) within `lifetime` seconds; TCP when truncated."""
    import dns.exception
    import dns.message

    request = dns.message.make_query(name, rdtype, use_edns=0, payload=EDNS_PAYLOAD)
    deadline = time.monotonic() + lifetime
    attempts = [server for _ in range(ROUNDS) for server in servers]
    problem = "timeout"
    for index, (host, port) in enumerate(attempts):
        left = deadline - time.monotonic()
        if left <= 0.005:
            break
        try:
            response = _ask(request, host, port, left / (len(attempts) - index), deadline)
        except dns.exception.Timeout:
            continue
        except (dns.exception.DNSException, OSError, ValueError) as error:
            problem = f"no answer from {host} ({type(error).__name__})"
            continue
        answer = _interpret(response, rdtype)
        if answer is not None:
            return answer
        problem = _rcode_problem(response)
    if problem == "timeout":
        return Answer("timeout", problem="timeout")
    return Answer("servfail", problem=problem)


def _ask(request: Any, host: str, port: int, timeout: float, deadline: float) -> Any:
    """One exchange with one server: UDP, then TCP if the answer is truncated.

    ``ignore_unexpected`` drops datagrams from another address; ``ignore_errors`` drops
    unparsable ones and those that are not a response to `request` (ID, question name,
    type and class, opcode: :meth:`dns.message.Message.is_response`), and keeps
    receiving until `timeout`. TCP stays strict: a mismatch there is a broken server.
    """
    import dns.message
    import dns.query

    try:
        return dns.query.udp(request, host, timeout=timeout, port=port,
                             ignore_unexpected=True, ignore_errors=True,
                             raise_on_truncation=True)
    except dns.message.Truncated:
        left = max(deadline - time.monotonic(), 0.001)
        return dns.query.tcp(request, host, timeout=left, port=port)


def _interpret(response: Any, rdtype: str) -> Answer | None:
    """NXDOMAIN, NODATA or records; None for an rcode worth asking another server."""
    import dns.exception
    import dns.rcode

    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        return Answer("nxdomain")
    if rcode != dns.rcode.NOERROR:
        return None
    try:
        chain = response.resolve_chaining()
    except dns.exception.DNSException as error:
        return Answer("error", problem=f"malformed answer ({type(error).__name__})")
    if chain.answer is None:
        return Answer("nodata")
    return Answer("ok", _values(chain.answer, rdtype))


def _rcode_problem(response: Any) -> str:
    import dns.rcode

    rcode = response.rcode()
    if rcode == dns.rcode.REFUSED:
        return "the nameserver refused the query"
    if rcode == dns.rcode.SERVFAIL:
        return "server failure (SERVFAIL)"
    return f"the nameserver answered {dns.rcode.to_text(rcode)}"


def _values(rrset: Any, rdtype: str) -> tuple[str, ...]:
    values: list[str] = []
    for rdata in list(rrset)[:MAX_RECORDS]:
        if rdtype in ("A", "AAAA"):
            values.append(str(rdata.address))
        elif rdtype == "MX":
            values.append(f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True)}")
        elif rdtype == "TXT":
            values.append(b"".join(rdata.strings).decode("utf-8", "replace")[:MAX_TXT])
        elif rdtype in ("PTR", "CNAME"):
            values.append(rdata.target.to_text(omit_final_dot=True))
        else:
            values.append(rdata.to_text()[:MAX_TXT])
    return tuple(values)
