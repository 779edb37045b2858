"""Regular expressions compiled when first used.

bouncefix carries several hundred patterns (one module per MTA family, the rule files).
Python compiles a regex in pure Python, and compiling them all costs more than a short
run does otherwise, while any one input needs only a few of them (a family parser's
patterns run only when its signature words occur). ``lazy()`` returns a stand-in that
compiles on first use and then behaves as the compiled pattern; nothing is stored
outside the process.

A pattern may also carry a guard: lower-case words of which every match contains one.
Where none of them occurs in the text (lowered as ``lower_for_matching`` does), the
pattern cannot match, and it is neither run nor compiled. A test checks every guard
against the literals the regex parser finds in its pattern (tests/test_phrases.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic


class LazyPattern(Generic[AnyStr]):
    """A ``re.Pattern`` compiled on first use (the methods bouncefix uses)."""

    __slots__ = ("_compiled", "flags_given", "guard", "pattern")

    def __init__(self, pattern: AnyStr, flags: int = 0,
                 guard: tuple[str, ...] | None = None) -> None:
        self.pattern: AnyStr = pattern
        self.flags_given = flags
        #: lower-case words of which every match contains one (None: no guard)
        self.guard = guard
        self._compiled: re.Pattern[AnyStr] | None = None

    def _absent(self, string: AnyStr) -> bool:
        """Whether the guard (set: the callers check) shows that `string` holds no match."""
        if not isinstance(string, str):
            return False
        lowered = _lowering()(string)
        return not any(word in lowered for word in self.guard or ())

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        """The compiled pattern."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags_given)
        return compiled

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    @property
    def groups(self) -> int:
        return self.compiled.groups

    def search(self, string: AnyStr, pos: int = 0, endpos: int = 2**62) -> re.Match[AnyStr] | None:
        if self.guard is not None and self._absent(string):
            return None
        return self.compiled.search(string, pos, endpos)

    def match(self, string: AnyStr, pos: int = 0, endpos: int = 2**62) -> re.Match[AnyStr] | None:
        if self.guard is not None and self._absent(string):
            return None
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: AnyStr, pos: int = 0,
                  endpos: int = 2**62) -> re.Match[AnyStr] | None:
        if self.guard is not None and self._absent(string):
            return None
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: AnyStr, pos: int = 0,
                 endpos: int = 2**62) -> Iterator[re.Match[AnyStr]]:
        if self.guard is not None and self._absent(string):
            return iter(())
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int = 2**62) -> list[Any]:
        if self.guard is not None and self._absent(string):
            return []
        return self.compiled.findall(string, pos, endpos)

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        if self.guard is not None and self._absent(string):
            return [string]
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr,
            count: int = 0) -> AnyStr:
        if self.guard is not None and self._absent(string):
            return string
        return self.compiled.sub(repl, string, count)

    def subn(self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr,
             count: int = 0) -> tuple[AnyStr, int]:
        if self.guard is not None and self._absent(string):
            return string, 0
        return self.compiled.subn(repl, string, count)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


_LOWER: list[Callable[[str], str]] = []


def _lowering() -> Callable[[str], str]:
    """mime.textcodec.lower_for_matching, imported on first use (that module imports this
    one, so it cannot be imported at the top)."""
    if not _LOWER:
        from .mime.textcodec import lower_for_matching

        _LOWER.append(lower_for_matching)
    return _LOWER[0]


#: every guarded pattern made, for the test that checks the guards
GUARDED: list[LazyPattern[str]] = []


def lazy(pattern: AnyStr, flags: int = 0,
         guard: tuple[str, ...] | None = None) -> LazyPattern[AnyStr]:
    """``re.compile(pattern, flags)``, compiled when first used; with `guard` (see the
    module text), skipped on a text that holds none of its words."""
    made = LazyPattern(pattern, flags, guard)
    if guard is not None and isinstance(pattern, str):
        GUARDED.append(made)
    return made
