"""The interface every parser module implements."""

from __future__ import annotations

from typing import Protocol

from ..mail import Mail
from ..model import Finding


class Parser(Protocol):
    """A parser module: ``NAME``, ``matches`` and ``parse`` (may return []). Its signature,
    the words the driver looks for before it asks ``matches``, is in registry.py."""

    NAME: str

    def matches(self, mail: Mail) -> bool: ...

    def parse(self, mail: Mail) -> list[Finding]: ...
