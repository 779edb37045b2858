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
never pays for its regex. Anchors are derived with the regex parser (literals.py) when
the rules are loaded, and kept in the data bundle with them.
"""

from __future__ import annotations

import re
from typing import Any

from ..datafiles import DataError
from ..literals import FLAGS, MIN_ANCHOR, anchors, required

__all__ = ["FLAGS", "MIN_ANCHOR", "LazyPattern", "PatternError", "anchors", "required"]

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
        chosen = []
        # may_match, inlined: this loop runs for every phrase of every rule tried
        for phrase in self._phrases or self.phrase_patterns():
            anchors = phrase.anchors
            if anchors is not None:
                for anchor in anchors:
                    if anchor in lowered:
                        break
                else:
                    continue
            for clause in phrase.needs:
                for literal in clause:
                    if literal in lowered:
                        break
                else:
                    break
            else:
                chosen.append(phrase)
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
