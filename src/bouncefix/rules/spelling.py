"""Replies retyped by hand: a misspelt word read as the word the rules know.

People retype what a phone or a screenshot showed them: "Relay acess denied", "conection
timed out", "very low reputaton", and OCR reads "m" as "rn" ("too rnany connections").
When no rule's words match a reply, the engine asks again (engine.judge) with each word
the rules do not know replaced by the one rule word it is a single edit away from (a
letter wrong, missing or extra, or two letters swapped), or that it becomes with "rn"
read as "m"; the answer then says which words were read so and is never more than
medium confidence.

The words the rules know are the letters of their literal runs, as the anchors of their
patterns and phrases find them (literals.py, without reading a run on through a class),
so a new phrase in the rule files is known here too; the data bundle holds them ready.
Short words (under five letters) are neither corrected nor read as meant, and words with
several equally near rule words are left alone: a guess must be unambiguous. Short forms
people type for a word ("usr", "msg", "conn": data/vocabulary.yaml, abbreviations) are
read as the word meant, whatever their length.
"""

from __future__ import annotations

from functools import lru_cache

from bouncefix.datafiles import DataError, bundled, read
from bouncefix.literals import anchors, required
from bouncefix.regex import lazy

from .loader import load_ruleset
from .typos import within_one_edit

#: words shorter than this are never corrected (too many near neighbours)
MIN_WORD = 5
#: at most this many words are corrected in one reply
MAX_CORRECTIONS = 4
_ANY_WORD = lazy(r"(?<![A-Za-z])[A-Za-z]{2,30}(?![A-Za-z])")
_LETTERS = lazy(r"[a-z]{4,30}")


def corrected(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """`text` with its misspelt words replaced, and the (written, read) pairs; None when
    no word needed it."""
    short = abbreviations()
    words = list(_ANY_WORD.finditer(text[:4000]))
    # (the rule words are loaded only for a text with a word long enough or a short form)
    if not any(len(w.group(0)) >= MIN_WORD or w.group(0).lower() in short for w in words):
        return None
    known, by_start = _vocabulary()
    changes: list[tuple[str, str]] = []
    pieces: list[str] = []
    last = 0
    for found in words:
        word = found.group(0).lower()
        # (a short form first, even one the rules hold as a run of letters: the words as
        # written were asked already)
        meant = short.get(word)
        if meant is None and word not in known and len(word) >= MIN_WORD:
            meant = _meant(word, known, by_start)
        if meant is None:
            continue
        changes.append((found.group(0), meant))
        pieces += [text[last:found.start()], meant]
        last = found.end()
        if len(changes) >= MAX_CORRECTIONS:
            break
    if not changes:
        return None
    return "".join([*pieces, text[last:]]), changes


#: a line cut off in the middle of a word: "... Relay access den…" (the ellipsis sign a
#: narrow window puts there wherever it stands, three dots at a line's end)
_CUT_WORD = lazy(r"(?<![A-Za-z])([A-Za-z]{3,30})(?:…|\.\.\.[ \t]*(?=\n|\Z))")
#: at most this many rule words are tried as the end of a cut word
MAX_COMPLETIONS = 8


def completions(text: str) -> tuple[tuple[int, int], list[str]] | None:
    """Where `text` is first cut off in the middle of a word (the span of that word and
    its mark), and the rule words it may be the start of (at most MAX_COMPLETIONS); None
    when no word is cut so, or no rule word or too many begin so."""
    cut = _CUT_WORD.search(text[:4000])
    if cut is None:
        return None
    start = cut.group(1).lower()
    known, by_start = _vocabulary()
    if start in known:
        return None  # a whole word and an ellipsis ("tried again..."), not a cut one
    found = [w for w in by_start.get(start[0], ()) if w.startswith(start)]
    if not found or len(found) > MAX_COMPLETIONS:
        return None
    return cut.span(), found


def _meant(word: str, known: frozenset[str], by_start: dict[str, tuple[str, ...]]) -> str | None:
    """The one known word `word` is a single edit (or an OCR "rn") away from, or None
    (the first letter is taken as written: typos rarely fall there)."""
    ocr = word.replace("rn", "m")
    if ocr != word and ocr in known:
        return ocr
    # (a known word is as short as a corrected one at least: "danke" is no "dane")
    near = [w for w in by_start.get(word[0], ())
            if len(w) >= MIN_WORD and abs(len(w) - len(word)) <= 1
            and within_one_edit(word, w)]
    return near[0] if len(near) == 1 else None


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Short forms and the words they stand for (data/vocabulary.yaml, abbreviations)."""
    data = read("vocabulary.yaml")
    table = data.get("abbreviations", {}) if isinstance(data, dict) else None
    if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.isalpha() and k == k.lower()
            for k, v in table.items()):
        raise DataError("vocabulary.yaml: abbreviations must map lower-case words to words")
    return dict(table)


#: the name of the words in the data bundle (datafiles.build_bundle)
BUNDLED = "spelling_words"


def rule_words() -> list[str]:
    """The words of the rules' text patterns: of each phrase's anchors and required
    literals (of a pattern of one phrase, its anchors), runs not read on through a
    class ("pien[oa]" gives "pien"), sorted."""
    words: set[str] = set()
    for rule in load_ruleset().rules:
        pattern = rule.text
        if pattern is None:
            continue
        literals: list[str] = []
        if pattern.phrases:
            # the phrases as written (one searched as its alternatives counts once)
            for written in dict.fromkeys(phrase[4] or phrase[0] for phrase in pattern.phrases):
                literals += anchors(written, expand=False) or ()
                literals += [one for clause in required(written, expand=False)
                             for one in clause]
        else:
            literals += anchors(pattern.pattern, expand=False) or ()
        for literal in literals:
            words.update(_LETTERS.findall(literal))
    return sorted(words)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The rules' words (:func:`rule_words`), and those words by their first letter."""
    words = bundled(BUNDLED)
    if words is None:
        words = rule_words()
    by_start: dict[str, list[str]] = {}
    for word in sorted(words):
        by_start.setdefault(word[0], []).append(word)
    return frozenset(words), {start: tuple(group) for start, group in by_start.items()}
