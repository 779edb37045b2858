"""Literal pre-checks derived from a regular expression: the lower-case strings a text
must contain for the pattern to be able to match it.

Python's ``re`` has no fast literal scan for case-insensitive alternations: a pattern with
twenty phrases tries all twenty at every position of the text. But nearly every phrase
contains a run of plain letters that any match must contain ("unknown", "quota",
"spamhaus"; a small class of letters inside a run gives it one form per letter:
"pien[oa]" is "pieno" or "piena"). :func:`anchors` gives, per top-level alternative, the
longest such run (the text must contain one of them); :func:`required` gives, for a
single phrase, every part it must contain (all of them). A plain substring search on the lower-cased text then
tells, far faster than the regex, when the pattern cannot match. Both are derived with
the regex parser, so they follow the pattern exactly; tests check on every rule pattern
and a large set of texts that they never exclude a match (tests/test_phrases.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

if sys.version_info >= (3, 11):
    from re import _compiler as sre_compile
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_compile
    import sre_constants
    import sre_parse

MIN_ANCHOR = 3
FLAGS = re.IGNORECASE
#: marks a literal that must occur at the start of a word (:func:`required`)
WORD_START = "\x02"


def anchors(pattern: str, expand: bool = True) -> tuple[str, ...] | None:
    """Lower-case literals of which every match of `pattern` contains at least one;
    None when no such set was found or the pattern does not parse. `expand`: a run
    goes on through a small class of letters (:func:`_runs`)."""
    try:
        tree = sre_parse.parse(pattern, FLAGS)
    except re.error:
        return None
    found = _alternatives(_branches(list(tree.data)), 0, expand)
    return tuple(dict.fromkeys(found)) if found is not None else None


def required(pattern: str, expand: bool = True,
             words: bool = False) -> tuple[tuple[str, ...], ...]:
    """Conditions every match of `pattern` meets, all of them: for each part of its one
    sequence, the lower-case literals of which the text must contain at least one. For
    ``(?:recipient|user) (?:is )?(?:filtered|blocked) by`` that is (recipient, user),
    (filtered, blocked), (" by",). Empty for an alternation at the top (its anchors
    say all that is known) or a pattern that does not parse.

    `words`: a run too short to be worth a substring test ("ip") counts when the pattern
    puts it at the start of a word (after ``\\b`` or a look-behind that excludes letters
    and digits), given as WORD_START + the run (:func:`at_word_start` tests it)."""
    try:
        tree = sre_parse.parse(pattern, FLAGS)
    except re.error:
        return ()
    branches = _branches(list(tree.data))
    if len(branches) != 1:
        return ()
    clauses = _clauses(branches[0], 0, expand, words)
    return tuple(dict.fromkeys(tuple(dict.fromkeys(c)) for c in clauses))


def _clauses(items: list[Any], depth: int, expand: bool,
             words: bool = False) -> list[list[str]]:
    """The any-of conditions of one sequence (see :func:`required`)."""
    found: list[list[str]] = [run for run in _runs(items, expand, words)
                              if all(map(_worth, run))]
    if depth >= 6:
        return found
    for op, value in items:
        if op is sre_constants.SUBPATTERN or op is sre_constants.BRANCH:
            inner = list(value[-1].data) if op is sre_constants.SUBPATTERN else [(op, value)]
            if _has_branch(inner):
                options = _alternatives(_branches(inner), depth + 1, expand, words)
                if options:
                    found.append(options)
            elif op is sre_constants.SUBPATTERN:
                found.extend(c for c in _clauses(inner, depth + 1, expand, words)
                             if len(c) > 1)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
            found.extend(_clauses(list(value[2].data), depth + 1, expand, words))
    return found


def _worth(run: str) -> bool:
    if run[:1] == WORD_START:
        return len(run) > 2
    return len(run) >= MIN_ANCHOR or (len(run) == 2 and all(_dense(c) for c in run))


def _alternatives(branches: list[list[Any]], depth: int, expand: bool,
                  words: bool = False) -> list[str] | None:
    """Anchors for a set of alternatives: every alternative must have some."""
    found: list[str] = []
    for branch in branches:
        mine = _sequence_anchors(branch, depth, expand, words)
        if mine is None:
            return None
        found.extend(mine)
    return found


def _sequence_anchors(items: list[Any], depth: int, expand: bool,
                      words: bool = False) -> list[str] | None:
    """Anchors for one sequence: its longest literal run, or failing that the anchors of
    an alternation it must pass through (``(?:virus|malware)``)."""
    best = max(_runs(items, expand, words), key=lambda run: min(map(len, run)), default=[""])
    if all(map(_worth, best)):
        return best
    if depth >= 6:
        return None
    options: list[list[str]] = []
    for op, value in items:
        inner = list(value[-1].data) if op is sre_constants.SUBPATTERN else None
        if op is sre_constants.BRANCH or (inner is not None and _has_branch(inner)):
            found = _alternatives(_branches(inner if inner is not None else [(op, value)]),
                                  depth + 1, expand, words)
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


def plain_fold(char: str) -> bool:
    """Whether ``re.IGNORECASE`` matches `char` exactly where str.lower() of the text
    holds char.lower() (so a lower-case substring test is a sound pre-check): ASCII,
    caseless scripts, and the Latin and Cyrillic letters with a simple one-to-one case
    mapping (not ß, the long s, the dotless i, ...), and Greek but for the sigmas (σ, ς
    and Σ fold into each other, and str.lower() writes a word's last Σ as ς)."""
    if char.isascii() or char.lower() == char.upper():
        return True
    code = ord(char)
    return ((0xC0 <= code <= 0x24F or 0x400 <= code <= 0x4FF or 0x386 <= code <= 0x3CE)
            and char not in "ßſıσςΣΐΰ"
            and len(char.lower()) == 1 and len(char.upper()) == 1
            and char.lower().upper() == char.upper())


def _dense(char: str) -> bool:
    """Kana, ideographs and hangul: two of them make a word worth searching for."""
    code = ord(char)
    return 0x3040 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


#: a run of literals goes on through a class of at most this many letters ("pien[oa]"),
#: in each of them, while it has at most MAX_VARIANTS forms
MAX_CLASS = 4
MAX_VARIANTS = 8


def _runs(items: list[Any], expand: bool = True, words: bool = False) -> list[list[str]]:
    """Runs of consecutive literal characters that every match of `items` contains, each
    as the forms it may take (a small class of letters inside a run gives one form per
    letter: "pien[oa]" -> pieno, piena; every match contains one of them). Only
    characters whose case folding is plain count (:func:`plain_fold`). Without
    `expand`, a class ends a run. With `words`, a run shorter than MIN_ANCHOR that
    starts a word (:func:`_starts_word`) is given as WORD_START + the run."""
    runs: list[list[str]] = []
    current = [""]
    word = False  # the next run starts a word
    for op, value in items:
        if op is sre_constants.LITERAL and plain_fold(chr(value)):
            if word and current == [""]:
                current = [WORD_START]
            current = [form + chr(value).lower() for form in current]
            word = False
            continue
        letters = _small_class(value) if expand and op is sre_constants.IN else None
        if letters is not None and len(current) * len(letters) <= MAX_VARIANTS:
            current = [form + letter for form in current for letter in letters]
            word = False
            continue
        if current != [""]:
            runs.append(_unmarked(current))
            current = [""]
        word = words and _starts_word(op, value)
        if op is sre_constants.SUBPATTERN and not _has_branch(list(value[-1].data)):
            runs.extend(_runs(list(value[-1].data), expand, words))
    if current != [""]:
        runs.append(_unmarked(current))
    return runs


def _unmarked(forms: list[str]) -> list[str]:
    """A run's forms, without the word-start mark where the run is long enough to be
    tested as a substring."""
    if forms[0][:1] == WORD_START and len(forms[0]) > MIN_ANCHOR:
        return [form[1:] for form in forms]
    return forms


#: the lower-case letters and digits: what a word-start look-behind must exclude
_WORD_CHARS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyz0123456789"))


def _starts_word(op: Any, value: Any) -> bool:
    """Whether an item guarantees that what follows it starts a word: ``\\b``, or a
    negative look-behind of one character from a class holding every ASCII letter and
    digit (``(?<![A-Za-z0-9])``, ``(?<![\\w.-])``)."""
    if op is sre_constants.AT:
        return value is sre_constants.AT_BOUNDARY
    if op is not sre_constants.ASSERT_NOT or value[0] != -1:
        return False
    body = value[1]
    if len(body.data) != 1 or body.data[0][0] not in (sre_constants.IN, sre_constants.LITERAL):
        return False
    one_character = sre_compile.compile(body, FLAGS)
    return all(one_character.fullmatch(chr(code)) for code in _WORD_CHARS)


def at_word_start(lowered: str, run: str) -> bool:
    """Whether `run` occurs in `lowered` (a text as lower_for_matching gives it) with no
    ASCII letter or digit just before it. Sound for any text: when `lowered` is not
    ASCII, a character before the run may be one that the text's lowering dropped or
    changed, and the answer is True."""
    if not lowered.isascii():
        return True
    at = lowered.find(run)
    while at >= 0:
        if at == 0 or not lowered[at - 1].isalnum():
            return True
        at = lowered.find(run, at + 1)
    return False


def _small_class(members: list[Any]) -> list[str] | None:
    """The lower-case letters of a class made of a few plain literals ("[oa]", "[üu]"),
    else None."""
    if len(members) > MAX_CLASS:
        return None
    letters: list[str] = []
    for op, value in members:
        if op is not sre_constants.LITERAL or not plain_fold(chr(value)):
            return None
        letters.append(chr(value).lower())
    return list(dict.fromkeys(letters))


def _has_branch(items: list[Any]) -> bool:
    return any(op is sre_constants.BRANCH for op, _ in items)


# -- an alternation's branches --------------------------------------------------------

#: what splitting at "|" cannot keep exact: named groups and references to them,
#: numbered backreferences, inline flags and comments, conditionals
_UNSPLITTABLE = re.compile(r"\(\?(?:P|[aiLmsux-]|#|\()|\\[1-9]")


def branches(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern` as patterns of their own, nested
    alternations flattened (``(?:a|(?:b|c))`` -> a, b, c), in order; ``[pattern]`` when it
    is no alternation, or holds what splitting cannot keep exact (named groups,
    backreferences, inline flags). Searching each and taking the leftmost match, the
    earlier alternative on a tie, finds what the whole pattern finds: a top-level
    alternation tries its alternatives in order at each position."""
    if _UNSPLITTABLE.search(pattern):
        return [pattern]
    return _flatten(pattern, 0)


def _flatten(pattern: str, depth: int) -> list[str]:
    inner = _unwrapped(pattern)
    parts = _top_level_parts(inner)
    if parts is None or len(parts) == 1 or depth >= 8:
        return [pattern]
    out: list[str] = []
    for part in parts:
        out.extend(_flatten(part, depth + 1))
    return out


def _unwrapped(pattern: str) -> str:
    """`pattern` without the non-capturing groups that enclose all of it."""
    while pattern.startswith("(?:") and _group_end(pattern, 0) == len(pattern) - 1:
        pattern = pattern[3:-1]
    return pattern


def _group_end(pattern: str, start: int) -> int | None:
    """Index of the ")" closing the group opened at `start`."""
    for i, char, depth in _syntax(pattern, start):
        if not char:
            return None
        if char == ")" and depth == 0:
            return i
    return None


def _top_level_parts(pattern: str) -> list[str] | None:
    """`pattern` split at the "|" outside groups and classes; None when it is not well
    formed as far as this can tell."""
    parts: list[str] = []
    start, depth = 0, 0
    for i, char, depth in _syntax(pattern, 0):
        if not char or depth < 0:
            return None
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    if depth != 0:
        return None
    parts.append(pattern[start:])
    return parts


def _syntax(pattern: str, start: int) -> Iterator[tuple[int, str, int]]:
    """The group brackets and bars of `pattern` from `start` on, outside escapes and
    classes: their index and the group depth after each; a class that is never closed
    ends them with (-1, "", depth)."""
    i, depth = start, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = _class_end(pattern, i)
            if end is None:
                yield -1, "", depth
                return
            i = end + 1
            continue
        if char in "()|":
            depth += {"(": 1, ")": -1}.get(char, 0)
            yield i, char, depth
        i += 1


# -- the same pattern for lower-cased text ---------------------------------------------

#: group openings copied as they are: (?:  (?=  (?!  (?<=  (?<!  (?P<name>  (?P=name)
_GROUP_OPENINGS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")


def for_lowered(pattern: str) -> str | None:
    """`pattern` rewritten to match, case-sensitively, the lower-cased (ASCII) text
    exactly where the pattern matches the text itself case-insensitively (re.IGNORECASE),
    with the same spans; None when the pattern holds something this cannot rewrite
    exactly (inline flags, named characters, letters whose case folding is not plain).

    Letters outside classes are lower-cased; a class keeps what it holds and gets the
    lower case of its letters as well (``[A-Z]`` -> ``[A-Za-z]``: the ranges' other
    members stay); escapes and group names are copied. Case-sensitive search of
    lower-case text skips Python's per-character case folding: about three times
    faster on the long phrase alternations of the rules (tests/test_phrases.py checks
    spans against the original pattern on every rule and a large set of texts)."""
    out: list[str] = []
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if char == "\\":
            if i + 1 >= size or pattern[i + 1] in "Nx0123456789":
                if i + 1 < size and pattern[i + 1] == "x":  # \xHH: the same value either case
                    out.append(pattern[i:i + 4].lower())
                    i += 4
                    continue
                return None  # named characters, backreferences, octal escapes
            if pattern[i + 1] in "uU":
                return None
            out.append(pattern[i:i + 2])
            i += 2
        elif char == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            body = pattern[i + 1:end]
            negated = body.startswith("^")
            items = body[1:] if negated else body
            lowered = _lower_class(items)
            if lowered is None:
                return None
            out.append("[" + ("^" if negated else "") + items + lowered + "]")
            i = end + 1
        elif char == "(" and pattern.startswith("(?", i):
            if pattern.startswith(("(?P<", "(?P="), i):
                close = pattern.find(">" if pattern[i + 3] == "<" else ")", i)
                if close < 0:
                    return None
                out.append(pattern[i:close + 1])
                i = close + 1
            elif pattern.startswith(_GROUP_OPENINGS, i):
                opening = next(o for o in _GROUP_OPENINGS if pattern.startswith(o, i))
                out.append(opening)
                i += len(opening)
            else:
                return None  # inline flags, comments, conditionals
        elif char == "{":
            close = pattern.find("}", i)
            out.append(pattern[i:close + 1] if close > 0 else char)
            i = close + 1 if close > 0 else i + 1
        else:
            if not plain_fold(char):
                return None
            out.append(char.lower())
            i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int | None:
    """Index of the "]" closing the class opened at `start` (a "]" first is a member)."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        if pattern[i] == "[":
            return None  # nested set syntax: not rewritten
        i += 1
    return None


def _lower_class(items: str) -> str | None:
    """The lower-case forms of a class's letters, to add to it ("" when it has none);
    escapes are left to the copy of the class."""
    extra: list[str] = []
    i = 0
    while i < len(items):
        char = items[i]
        if char == "\\":
            if i + 1 < len(items) and items[i + 1] in "NuUx0123456789":
                return None
            i += 2
            continue
        if not plain_fold(char):
            return None
        if i + 2 < len(items) and items[i + 1] == "-" and items[i + 2] != "\\":
            first, last = char, items[i + 2]
            if not plain_fold(last):
                return None
            if first.lower() != first or last.lower() != last:
                if not (first.isalpha() and last.isalpha() and first.isupper()
                        and last.isupper() and first.isascii() and last.isascii()):
                    return None  # a range across cases or scripts: not rewritten
                extra.append(f"{first.lower()}-{last.lower()}")
            i += 3
            continue
        if char.lower() != char:
            extra.append(char.lower())
        i += 1
    return "".join(extra)
