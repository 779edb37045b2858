"""What a probe is asked to do beyond the default conversation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    """A user name and password for AUTH; the password never shows in a repr."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class ProbeOptions:
    """`helo`: the EHLO name (default: the address literal of our end of the
    connection, ``[192.0.2.5]``); `rcpt`: ask whether this recipient is accepted
    (MAIL FROM:<>, RCPT, RSET); `credentials`: try AUTH on submission; `allow_private`:
    connect to loopback, private and link-local addresses; `cafile`: trust this CA file
    besides the system's; `port`: the port of servers named without one."""

    helo: str | None = None
    rcpt: str | None = None
    credentials: Credentials | None = None
    allow_private: bool = False
    cafile: str | None = None
    port: int = 25
