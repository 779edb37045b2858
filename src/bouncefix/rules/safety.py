"""Static checks that a regex cannot backtrack catastrophically.

Python's ``re`` is a backtracking engine: a quantified group that itself contains an
unbounded quantifier (``(a+)+``, ``(\\w+\\s?)*``) or a backreference can take exponential
or polynomial time on hostile input. Rule patterns come from data files, so every one is
checked here by walking the parsed pattern tree (tests call :func:`problems` for every
pattern of every rule file).
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

#: a repeat with a maximum above this counts as "large" when nested in another repeat
NESTED_LIMIT = 10
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", None)} - {None}


def problems(pattern: str, flags: int = re.IGNORECASE) -> list[str]:
    """Reasons why `pattern` may backtrack badly; [] when it is safe."""
    try:
        tree = sre_parse.parse(pattern, flags)
    except re.error as error:
        return [f"does not compile: {error}"]
    found: list[str] = []
    _walk(list(tree.data), found, inside_large_repeat=False)
    return found


def _walk(items: list[Any], found: list[str], inside_large_repeat: bool) -> None:
    for op, value in items:
        if op in _REPEATS:
            low, high, body = value
            large = high is sre_constants.MAXREPEAT or high > NESTED_LIMIT
            if inside_large_repeat and large and low != high:
                found.append("nested quantifier: a repeated group contains a large repeat")
            _walk(list(body), found, inside_large_repeat or (large and _can_vary(list(body))))
        elif op is sre_constants.SUBPATTERN:
            _walk(list(value[-1]), found, inside_large_repeat)
        elif op is sre_constants.BRANCH:
            if inside_large_repeat and _ambiguous([list(b) for b in value[1]]):
                found.append("alternatives inside a repeat can start the same way")
            for branch in value[1]:
                _walk(list(branch), found, inside_large_repeat)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _walk(list(value[1]), found, inside_large_repeat)
        elif op is sre_constants.GROUPREF or op is getattr(sre_constants, "GROUPREF_EXISTS", None):
            found.append("backreference")


def _ambiguous(branches: list[list[Any]]) -> bool:
    """Two alternatives that begin with the same literal or the same character class
    let a surrounding repeat try both at every position."""
    starts = [repr(branch[0]) for branch in branches if branch]
    return len(starts) != len(set(starts))


def _can_vary(items: list[Any]) -> bool:
    """True when the sub-pattern can match strings of different lengths (so a repeat
    of it can split the input in many ways)."""
    for op, value in items:
        if op in _REPEATS:
            low, high, _ = value
            if low != high:
                return True
        elif op is sre_constants.BRANCH or op is sre_constants.SUBPATTERN:
            return True
    return False
