"""Whether a command may use the network, and its resolver (without click: ``explain``'s
fast start-up path uses this too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .env import Env

NAMESERVER_ENV = "BOUNCEFIX_NAMESERVER"
OFFLINE_ENV = "BOUNCEFIX_OFFLINE"


class UsageError(Exception):
    """A bad option value found after parsing; `option` names the option."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"invalid value for {option}: {message}")
        self.option = option
        self.detail = message


def wanted(env: Env, online: bool | None, by_default: bool = True) -> bool:
    """Whether the network may be used: --online/--offline wins, then
    $BOUNCEFIX_OFFLINE=1 (offline), then the command's default."""
    if online is not None:
        return online
    if env.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes"):
        return False
    return by_default


def make_resolver(
    env: Env, nameservers: Sequence[str], budget: float, max_queries: int = 1000,
    timeout: float = 2.0,
) -> Any:
    """A resolver for the run: the given nameservers, else $BOUNCEFIX_NAMESERVER
    (comma-separated), else the system's. UsageError for a malformed nameserver."""
    from ..dns.resolver import Resolver
    from ..dns.validate import TargetError

    servers = list(nameservers) or [
        part.strip() for part in env.environ.get(NAMESERVER_ENV, "").split(",") if part.strip()
    ]
    try:
        return Resolver(servers, timeout=min(timeout, budget), budget=budget,
                        max_queries=max_queries)
    except TargetError as error:
        raise UsageError("--nameserver", str(error)) from None
