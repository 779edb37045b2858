"""Cheap pre-checks that let the engine skip most rule regexes.

Python's ``re`` has no fast literal scan for case-insensitive alternations: a rule with
twenty phrases tries all twenty at every position of the text. But nearly every phrase
contains a run of plain letters that any match must contain ("unknown", "quota",
"spamhaus"). For each pattern we compute, per top-level alternative, the longest such
run; if none of a pattern's runs occurs in the lower-cased text (a fast substring
search), the pattern cannot match and is neither run nor even compiled.

A rule's pattern is the alternation of its phrases, and the anchors are kept per phrase
too: the phrases that can match are searched on their own (a phrase without anchors
always can), and the leftmost match wins, the earlier phrase on a tie: exactly what the
whole alternation finds, at a fraction of the cost, since the whole one tries every phrase
at every position. The whole alternation is not compiled for such a search, so no phrase
is compiled twice (on its own and again inside the whole). A phrase written as
alternatives of its own ("a|b|c", often a phrase family's words) is searched the same way,
alternative by alternative (literals.branches): each is compiled only when its own words
occur, which roughly halves what a scan of varied bounces compiles.

Compiling is deferred too (:class:`LazyPattern`): a scan that never meets a rule's words
never pays for its regex. Anchors are derived with the regex parser (literals.py) when
the rules are loaded, and kept in the data bundle with them.

Text whose letters fold plainly (nearly every server reply, in most languages) is searched
lower-cased with the pattern rewritten for lower-case text (literals.for_lowered), without
re.IGNORECASE: Python folds case character by character, which costs about twice the
search itself, and the pattern's IGNORECASE form need not be compiled at all. The match
found there has the same spans as the pattern's own on the text (tests/test_phrases.py
checks every rule pattern), and is given back as a :class:`TextMatch` over the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..datafiles import DataError
from ..literals import (
    FLAGS,
    MIN_ANCHOR,
    WORD_START,
    anchors,
    at_word_start,
    for_lowered,
    plain_fold,
    required,
)

__all__ = ["FLAGS", "MIN_ANCHOR", "Found", "LazyPattern", "PatternError", "TextMatch",
           "anchors", "for_lowered", "required"]

#: a phrase: its pattern, its anchors (None: it may match any text), the conditions
#: every match of it meets (:func:`required`), its form for lower-cased text
#: (:func:`for_lowered`; None when it has none), and when it is one alternative of a
#: phrase written as several (literals.branches), that phrase (else None)
Phrase = tuple[str, tuple[str, ...] | None, tuple[tuple[str, ...], ...], str | None,
               str | None]


class PatternError(DataError):
    """A pattern that does not compile."""


class TextMatch:
    """A match found in the lower-cased copy of a text, read back from the text itself:
    the spans are the same, the strings are the text's own (re.Match's methods that
    the engine uses)."""

    __slots__ = ("_match", "_text")

    def __init__(self, match: re.Match[str], text: str) -> None:
        self._match, self._text = match, text

    def start(self, group: int | str = 0) -> int:
        return self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._match.end(group)

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._match.span(group)

    def group(self, group: int | str = 0) -> str | Any:
        start, end = self._match.span(group)
        return None if start < 0 else self._text[start:end]

    def groupdict(self) -> dict[str, str | Any]:
        return {name: self.group(name) for name in self._match.re.groupindex}


#: what a search finds: the pattern's own match, or one read back from lower-cased text
Found = re.Match[str] | TextMatch


class LazyPattern:
    """A case-insensitive regex compiled on first use, with its literal anchors, and
    for an alternation of phrases, the phrases with theirs."""

    __slots__ = ("_by_anchor", "_compiled", "_lower", "_phrases", "anchors", "lowered_pattern",
                 "needs", "pattern", "phrases")

    def __init__(self, pattern: str, anchors: tuple[str, ...] | None,
                 phrases: tuple[Phrase, ...] | None = None,
                 needs: tuple[tuple[str, ...], ...] = (),
                 lowered_pattern: str | None = None) -> None:
        self.pattern = pattern
        #: the pattern for lower-cased text (literals.for_lowered); None: none exists
        self.lowered_pattern = lowered_pattern
        #: lower-case literals, one of which every match contains; None: no such set
        self.anchors = anchors
        #: the alternatives `pattern` is made of (None: searched whole, always)
        self.phrases = phrases
        #: conditions every match meets, all of them, each a set of lower-case literals
        #: of which the text holds one (:func:`required`)
        self.needs = needs
        self._compiled: re.Pattern[str] | None = None
        self._lower: re.Pattern[str] | None = None
        self._phrases: tuple[LazyPattern, ...] | None = None
        self._by_anchor: tuple[dict[str, int], int, frozenset[str]] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled regex (PatternError if it does not compile)."""
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern, FLAGS)
            except re.error as error:
                raise PatternError(f"bad pattern {self.pattern[:80]!r}: {error}") from None
        return self._compiled

    def _search(self, text: str, low: str | None) -> Found | None:
        """Search `text`; `low`: text.lower() when the text is plain ASCII, else None."""
        if low is None or self.lowered_pattern is None:
            return self.compiled.search(text)
        compiled = self._lower
        if compiled is None:
            try:
                compiled = self._lower = re.compile(self.lowered_pattern)
            except re.error as error:
                raise PatternError(f"bad pattern {self.pattern[:80]!r}: {error}") from None
        found = compiled.search(low)
        return None if found is None else TextMatch(found, text)

    def may_match(self, lowered: str, anchor_found: bool = False) -> bool:
        """False only when no match is possible in `lowered` (the text, lower-cased);
        `anchor_found`: one of the anchors is known to occur."""
        if self.anchors is not None and not anchor_found:
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
                if not any(literal[0] == WORD_START and at_word_start(lowered, literal[1:])
                           for literal in clause):
                    return False
        return True

    def phrase_patterns(self) -> tuple[LazyPattern, ...]:
        """The phrases as patterns of their own (built on first use)."""
        if self._phrases is None:
            self._phrases = tuple(LazyPattern(text, found, None, needs, low)
                                  for text, found, needs, low, _ in self.phrases or ())
        return self._phrases

    def phrases_by_anchor(self) -> tuple[dict[str, int], int, frozenset[str]]:
        """For each anchor of a phrase, the phrases (bit i: phrase i) it anchors; and the
        phrases to look at whatever anchors occur (those without anchors, or with one too
        short to be looked up: rules/index.py); and the anchors as a set (a set
        intersection walks the smaller side)."""
        if self._by_anchor is None:
            by_anchor: dict[str, int] = {}
            always = 0
            for i, phrase in enumerate(self.phrase_patterns()):
                if phrase.anchors is None or not all(map(indexable, phrase.anchors)):
                    always |= 1 << i
                    continue
                for anchor in phrase.anchors:
                    by_anchor[anchor] = by_anchor.get(anchor, 0) | 1 << i
            self._by_anchor = (by_anchor, always, frozenset(by_anchor))
        return self._by_anchor

    def search(self, text: str, lowered: str | None = None,
               present: set[str] | None = None) -> Found | None:
        """Like ``re.search``; pass `lowered` (lower_for_matching(text)) to use the
        pre-checks (and, for plain ASCII text, the search of the lower-cased text), and
        `present`, the indexable anchors occurring in `lowered` (rules/index.py), to
        look only at the phrases those anchor."""
        if lowered is None:
            return self.compiled.search(text)
        if self.phrases is None:
            return self._search(text, _plain_lower(text)) if self.may_match(lowered) else None
        phrases = self._phrases or self.phrase_patterns()
        if present is None:
            chosen = [phrase for phrase in phrases if phrase.may_match(lowered)]
        else:
            by_anchor, always, keys = self._by_anchor or self.phrases_by_anchor()
            anchored = 0
            for anchor in present & keys:
                anchored |= by_anchor[anchor]
            bits = anchored | always
            chosen = []
            while bits:
                lowest = bits & -bits
                bits ^= lowest
                phrase = phrases[lowest.bit_length() - 1]
                if phrase.may_match(lowered, bool(anchored & lowest)):
                    chosen.append(phrase)
        if not chosen:
            return None
        low = _plain_lower(text)
        best: Found | None = None
        for phrase in chosen:
            found = phrase._search(text, low)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex


def indexable(anchor: str) -> bool:
    """Whether the rule index looks an anchor up (and so reports whether it occurs):
    MIN_ANCHOR letters or more, or two non-ASCII characters (a pair of kana or ideographs)."""
    return len(anchor) >= MIN_ANCHOR or (len(anchor) == 2 and not anchor.isascii())


@lru_cache(maxsize=32)  # the engine searches the same few texts with many patterns
def _plain_lower(text: str) -> str | None:
    """`text` lower-cased, to be searched without case folding, when every character of
    it folds plainly (literals.plain_fold: ASCII, caseless scripts, most Latin, Greek and
    Cyrillic letters). The pattern's for_lowered form then finds in it exactly what the
    pattern finds in `text` with re.IGNORECASE, at the same places: each such character
    lowers to one character, and re.IGNORECASE takes two of them as equal exactly when
    they lower to the same one. Else None (the text has a long s, a dotless i, a final
    sigma, ...): searched with the pattern itself."""
    if text.isascii() or all(map(plain_fold, set(text))):
        return text.lower()
    return None
