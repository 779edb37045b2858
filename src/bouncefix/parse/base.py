"""The interface every parser module implements."""

from __future__ import annotations

from typing import Protocol

from ..mail import Mail
from ..model import Finding


class Parser(Protocol):
    """A parser module: ``NAME``, ``matches`` (cheap) and ``parse`` (may return [])."""

    NAME: str

    def matches(self, mail: Mail) -> bool: ...

    def parse(self, mail: Mail) -> list[Finding]: ...
