"""The interface every parser module implements."""

from __future__ import annotations

from typing import Protocol

from ..mail import Mail
from ..model import Finding


class Parser(Protocol):
    """A parser module: ``NAME``, ``SIGNATURE``, ``matches`` and ``parse`` (may return []).

    ``SIGNATURE`` is a tuple of lower-case words of which at least one occurs in
    ``Mail.signature_text`` whenever ``matches`` can be true: the driver looks for them
    (plain substring tests) before it runs ``matches`` (regular expressions). It must
    follow from ``matches`` itself (tests/test_signatures.py checks it on every sample);
    ``()`` means the parser is always asked.
    """

    NAME: str
    SIGNATURE: tuple[str, ...]

    def matches(self, mail: Mail) -> bool: ...

    def parse(self, mail: Mail) -> list[Finding]: ...
