"""Cheap pre-checks that let the engine skip most rule regexes.

Python's ``re`` has no fast literal scan for case-insensitive alternations: a rule with
twenty phrases tries all twenty at every position of the text. But nearly every phrase
contains a run of plain letters that any match must contain ("unknown", "quota",
"spamhaus"). For each pattern we compute, per top-level alternative, the longest such
run; if none of a pattern's runs occurs in the lower-cased text (a fast substring
search), the pattern cannot match and is neither run nor even compiled.

A rule's pattern is the alternation of its phrases, and the anchors are kept per phrase
too: when only a few phrases can match, those few are searched on their own (a phrase
without anchors always can), and the leftmost match wins, the earlier phrase on a tie:
exactly what the whole alternation finds, at a fraction of the cost, since the whole one
tries every phrase at every position.

Compiling is deferred too (:class:`LazyPattern`): a scan that never meets a rule's words
never pays for its regex. Anchors are derived with the regex parser, so they are cached
alongside the parsed rule files.
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

from ..datafiles import DataError

MIN_ANCHOR = 3
FLAGS = re.IGNORECASE
#: when more phrases than this may match, the whole alternation is searched once
MAX_PHRASES = 6

#: a phrase: its pattern, its anchors (None: it may match any text), and the conditions
#: every match of it meets (:func:`required`)
Phrase = tuple[str, tuple[str, ...] | None, tuple[tuple[str, ...], ...]]


class PatternError(DataError):
    """A pattern that does not compile."""


class LazyPattern:
    """A case-insensitive regex compiled on first use, with its literal anchors, and
    for an alternation of phrases, the phrases with theirs."""

    __slots__ = ("_compiled", "_phrases", "anchors", "needs", "pattern", "phrases")

    def __init__(self, pattern: str, anchors: tuple[str, ...] | None,
                 phrases: tuple[Phrase, ...] | None = None,
                 needs: tuple[tuple[str, ...], ...] = ()) -> None:
        self.pattern = pattern
        #: lower-case literals, one of which every match contains; None: no such set
        self.anchors = anchors
        #: the alternatives `pattern` is made of (None: searched whole, always)
        self.phrases = phrases
        #: conditions every match meets, all of them, each a set of lower-case literals
        #: of which the text holds one (:func:`required`)
        self.needs = needs
        self._compiled: re.Pattern[str] | None = None
        self._phrases: tuple[LazyPattern, ...] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled regex (PatternError if it does not compile)."""
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern, FLAGS)
            except re.error as error:
                raise PatternError(f"bad pattern {self.pattern[:80]!r}: {error}") from None
        return self._compiled

    def may_match(self, lowered: str) -> bool:
        """False only when no match is possible in `lowered` (the text, lower-cased)."""
        if self.anchors is not None:
            for anchor in self.anchors:
                if anchor in lowered:
                    break
            else:
                return False
        for clause in self.needs:
            for literal in clause:
                if literal in lowered:
                    break
            else:
                return False
        return True

    def phrase_patterns(self) -> tuple[LazyPattern, ...]:
        """The phrases as patterns of their own (built on first use)."""
        if self._phrases is None:
            self._phrases = tuple(LazyPattern(text, found, None, needs)
                                  for text, found, needs in self.phrases or ())
        return self._phrases

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """Like ``re.search``; pass `lowered` (lower_for_matching(text)) to use the
        pre-checks."""
        if lowered is None:
            return self.compiled.search(text)
        if self.phrases is None:
            return self.compiled.search(text) if self.may_match(lowered) else None
        chosen = [phrase for phrase in self.phrase_patterns() if phrase.may_match(lowered)]
        if len(chosen) > MAX_PHRASES:
            return self.compiled.search(text)
        best = None
        for phrase in chosen:
            found = phrase.compiled.search(text)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex


def anchors(pattern: str) -> tuple[str, ...] | None:
    """Lower-case literals of which every match of `pattern` contains at least one;
    None when no such set was found or the pattern does not parse."""
    try:
        tree = sre_parse.parse(pattern, FLAGS)
    except re.error:
        return None
    found = _alternatives(_branches(list(tree.data)), 0)
    return tuple(dict.fromkeys(found)) if found is not None else None


def required(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Conditions every match of `pattern` meets, all of them: for each part of its one
    sequence, the lower-case literals of which the text must contain at least one. For
    ``(?:recipient|user) (?:is )?(?:filtered|blocked) by`` that is (recipient, user),
    (filtered, blocked), (" by",). Empty for an alternation at the top (its anchors
    say all that is known) or a pattern that does not parse."""
    try:
        tree = sre_parse.parse(pattern, FLAGS)
    except re.error:
        return ()
    branches = _branches(list(tree.data))
    if len(branches) != 1:
        return ()
    clauses = _clauses(branches[0], 0)
    return tuple(dict.fromkeys(tuple(dict.fromkeys(c)) for c in clauses))


def _clauses(items: list[Any], depth: int) -> list[list[str]]:
    """The any-of conditions of one sequence (see :func:`required`)."""
    found: list[list[str]] = [[run] for run in _runs(items) if _worth(run)]
    if depth >= 6:
        return found
    for op, value in items:
        if op is sre_constants.SUBPATTERN or op is sre_constants.BRANCH:
            inner = list(value[-1].data) if op is sre_constants.SUBPATTERN else [(op, value)]
            if _has_branch(inner):
                options = _alternatives(_branches(inner), depth + 1)
                if options:
                    found.append(options)
            elif op is sre_constants.SUBPATTERN:
                found.extend(c for c in _clauses(inner, depth + 1) if len(c) > 1)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
            found.extend(_clauses(list(value[2].data), depth + 1))
    return found


def _worth(run: str) -> bool:
    return len(run) >= MIN_ANCHOR or (len(run) == 2 and all(_dense(c) for c in run))


def _alternatives(branches: list[list[Any]], depth: int) -> list[str] | None:
    """Anchors for a set of alternatives: every alternative must have some."""
    found: list[str] = []
    for branch in branches:
        mine = _sequence_anchors(branch, depth)
        if mine is None:
            return None
        found.extend(mine)
    return found


def _sequence_anchors(items: list[Any], depth: int) -> list[str] | None:
    """Anchors for one sequence: its longest literal run, or failing that the anchors of
    an alternation it must pass through (``(?:virus|malware)``)."""
    best = max(_runs(items), key=len, default="")
    if len(best) >= MIN_ANCHOR or (len(best) == 2 and all(_dense(c) for c in best)):
        return [best]
    if depth >= 6:
        return None
    options: list[list[str]] = []
    for op, value in items:
        inner = list(value[-1].data) if op is sre_constants.SUBPATTERN else None
        if op is sre_constants.BRANCH or (inner is not None and _has_branch(inner)):
            found = _alternatives(_branches(inner if inner is not None else [(op, value)]),
                                  depth + 1)
            if found is not None:
                options.append(found)
    return min(options, key=len) if options else None


def _branches(items: list[Any], depth: int = 0) -> list[list[Any]]:
    """The top-level alternatives; lone groups around alternations are unwrapped and
    nested alternations flattened."""
    while len(items) == 1 and items[0][0] is sre_constants.SUBPATTERN:
        items = list(items[0][1][-1].data)
    if len(items) == 1 and items[0][0] is sre_constants.BRANCH and depth < 8:
        out: list[list[Any]] = []
        for branch in items[0][1][1]:
            out.extend(_branches(list(branch.data), depth + 1))
        return out
    return [items]


def _plain_fold(char: str) -> bool:
    """Whether ``re.IGNORECASE`` matches `char` exactly where str.lower() of the text
    holds char.lower() (so a lower-case substring test is a sound pre-check): ASCII,
    caseless scripts, and the Latin and Cyrillic letters with a simple one-to-one case
    mapping (not ß, the long s, the dotless i, ...)."""
    if char.isascii() or char.lower() == char.upper():
        return True
    code = ord(char)
    return ((0xC0 <= code <= 0x24F or 0x400 <= code <= 0x4FF) and char not in "ßſı"
            and len(char.lower()) == 1 and len(char.upper()) == 1
            and char.lower().upper() == char.upper())


def _dense(char: str) -> bool:
    """Kana, ideographs and hangul: two of them make a word worth searching for."""
    code = ord(char)
    return 0x3040 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def _runs(items: list[Any]) -> list[str]:
    """Runs of consecutive literal characters that every match of `items` contains.
    Only characters whose case folding is plain count (:func:`_plain_fold`)."""
    runs: list[str] = []
    current: list[str] = []
    for op, value in items:
        char = chr(value) if op is sre_constants.LITERAL else None
        if char is not None and _plain_fold(char):
            current.append(char.lower())
            continue
        if current:
            runs.append("".join(current))
            current = []
        if op is sre_constants.SUBPATTERN and not _has_branch(list(value[-1].data)):
            runs.extend(_runs(list(value[-1].data)))
    if current:
        runs.append("".join(current))
    return runs


def _has_branch(items: list[Any]) -> bool:
    return any(op is sre_constants.BRANCH for op, _ in items)
