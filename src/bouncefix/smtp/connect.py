"""The TCP connection: each address in turn (IPv4 first, then IPv6), each within the
step limit and the run's budget, until one answers."""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .deadline import Deadline
from .session import describe


@dataclass(frozen=True)
class Attempt:
    """One address tried: what went wrong ("" when it connected) and how long it took."""

    address: str
    problem: str
    seconds: float


def open_connection(addresses: Sequence[str], port: int, deadline: Deadline
                    ) -> tuple[socket.socket | None, list[Attempt]]:
    """A connected socket to the first address that answers (or None), and every try."""
    attempts: list[Attempt] = []
    for address in addresses:
        if deadline.remaining() <= 0.01:
            attempts.append(Attempt(address, "not tried: the time budget was used up", 0.0))
            continue
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        started = time.monotonic()
        limit = deadline.step_end() - started
        try:
            sock = socket.socket(family, socket.SOCK_STREAM)
        except OSError as error:
            attempts.append(Attempt(address, describe(error), 0.0))
            continue
        try:
            sock.settimeout(max(limit, 0.001))
            sock.connect((address, port))
        except TimeoutError:
            sock.close()
            attempts.append(Attempt(address, f"no answer within {limit:.1f} s",
                                    time.monotonic() - started))
            continue
        except OSError as error:
            sock.close()
            attempts.append(Attempt(address, describe(error), time.monotonic() - started))
            continue
        attempts.append(Attempt(address, "", time.monotonic() - started))
        return sock, attempts
    return None, attempts
