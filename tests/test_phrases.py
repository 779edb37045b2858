"""Searching only the phrases of a rule pattern that can match finds exactly what the
whole alternation finds: the same span, the same named groups (prefilter.py)."""

from __future__ import annotations

import re

import pytest

from bouncefix import ingest
from bouncefix.literals import WORD_START, anchors, at_word_start, branches
from bouncefix.mail import Mail
from bouncefix.mime.textcodec import lower_for_matching
from bouncefix.parse import read_findings
from bouncefix.rules.loader import load_ruleset
from bouncefix.rules.prefilter import LazyPattern, indexable, required
from paths import CORPUS, SAMPLES

CRAFTED = [
    "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual table",
    "452 4.2.2 Mailbox full; mailbox is full and over quota, user unknown too",
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "USER UNKNOWN. Mailbox Full. RELAY ACCESS DENIED. Spam detected. Virus found.",
    "",
]


def _patterns() -> list[LazyPattern]:
    ruleset = load_ruleset()
    found = [p for rule in ruleset.rules for p in (rule.text, rule.not_text, rule.remote)]
    found += [p for provider in ruleset.providers.values()
              for p in (provider.hosts, provider.markers)]
    return [p for p in found if p is not None and (p.phrases or p.needs)]


def _texts() -> list[str]:
    texts = list(CRAFTED)
    texts += [example for rule in load_ruleset().rules for example in rule.examples]
    files = sorted(SAMPLES.rglob("*.eml"))
    if CORPUS.is_dir():
        files += sorted(p for p in (CORPUS / "emails").rglob("*") if p.is_file())
    for path in files:
        mail = Mail(ingest.normalise_newlines(path.read_bytes()))
        texts += [f.diagnostic for f in read_findings(mail).findings if f.diagnostic]
    # pairs of texts: phrases of one pattern matching at different places
    texts += [f"{a} {b}" for a, b in zip(texts[::7], texts[3::7], strict=False)]
    return texts


def _outcome(found: re.Match[str] | None) -> object:
    if found is None:
        return None
    return found.span(), {k: v for k, v in found.groupdict().items() if v}


def test_phrase_search_finds_what_the_whole_pattern_finds() -> None:
    patterns = _patterns()
    assert len(patterns) > 100
    narrowed = 0
    for text in _texts():
        lowered = lower_for_matching(text)
        for pattern in patterns:
            expected = _outcome(pattern.compiled.search(text))
            assert _outcome(pattern.search(text, lowered)) == expected, (pattern.pattern[:80],
                                                                         text[:80])
            # told which indexable anchors occur (as the rule index tells it), the same
            occurring = {a for phrase in pattern.phrase_patterns() for a in phrase.anchors or ()
                         if indexable(a) and a in lowered} if pattern.phrases else None
            assert _outcome(pattern.search(text, lowered, occurring)) == expected
            narrowed += expected is not None
    assert narrowed > 500  # the texts do reach the patterns


@pytest.mark.parametrize(("pattern", "conditions"), [
    (r"recipient address rejected", (("recipient address rejected",),)),
    (r"(?:recipient|user)(?:.s)? (?:mail |spam )?(?:filter|filtering) by",
     (("filter",), (" by",), ("recipient", "user"))),
    (r"mailbox (?:is )?full", (("mailbox ",), ("full",))),
    (r"(?:over )?quota", (("quota",),)),
    (r"(?:x|y)+z", ()),
    (r"a|b", ()),  # an alternation at the top: its anchors say what is known
    (r"(?:denied|refused)+ access", ((" access",), ("denied", "refused"))),
    (r"(?:denied|refused)* access", ((" access",),)),  # may be absent
    (r"(?:denied|x) access", ((" access",),)),  # an alternative without a literal
    (r"\d{3} (?:5\.1\.1|user)", (("5.1.1", "user"),)),
    # a small class of letters goes on in each of its letters: "pieno" or "piena"
    (r"casella piena|mailbox (?:is )?pien[oa]", ()),
    (r"mailbox (?:is )?pien[oa]", (("mailbox ",), ("pieno", "piena"))),
    (r"[üu]berf[üu]llt", (("überfüllt", "überfullt", "uberfüllt", "uberfullt"),)),
    (r"bo[iî]te pleine", (("boite pleine", "boîte pleine"),)),
    (r"ab[c-f]de", ()),  # a range ends the run ("ab", "de": too short)
    (r"[a-e]x[yz]", ()),
])
def test_required_conditions(pattern: str, conditions: tuple[tuple[str, ...], ...]) -> None:
    assert sorted(required(pattern)) == sorted(conditions)


def test_a_run_goes_on_through_a_small_class_only_when_asked() -> None:
    # the rule index and the pre-checks get "pieno"/"piena", which "recipient" does not
    # hold; the spelling correction's words stay the plain runs
    assert anchors(r"(?:quota|casella) pien[oa]") == (" pieno", " piena")
    assert anchors(r"(?:quota|casella) pien[oa]", expand=False) == (" pien",)
    assert required(r"casella pien[oa]") == (("casella pieno", "casella piena"),)
    assert required(r"casella pien[oa]", expand=False) == (("casella pien",),)


@pytest.mark.parametrize(("pattern", "conditions"), [
    # a two-letter word after a look-behind that excludes letters and digits, or \b
    (r"(?<![A-Za-z0-9])IP(?:v[46])? (?:is )?blocked", ((WORD_START + "ip",), ("blocked",))),
    (r"\bip\b listed", ((WORD_START + "ip",), (" listed",))),
    (r"(?<![\w.-])IP(?:v[46])? (?:is )?blocked", ((WORD_START + "ip",), ("blocked",))),
    (r"(?<![\w.-])IP (?:is )?blocked", (("ip ",), ("blocked",))),  # long enough as it is
    # a look-behind that lets a digit through starts no word: "ip" stays too short
    (r"(?<![A-Za-z])ip(?:v[46])? (?:is )?blocked", (("blocked",),)),
    # a long run needs no mark
    (r"\bhost (?:is )?blocked", (("host ",), ("blocked",))),
])
def test_required_marks_short_words_that_start_a_word(
        pattern: str, conditions: tuple[tuple[str, ...], ...]) -> None:
    assert sorted(required(pattern, words=True)) == sorted(conditions)
    assert all(WORD_START not in literal for clause in required(pattern)
               for literal in clause)  # only when asked (the spelling words never are)


@pytest.mark.parametrize(("text", "expected"), [
    ("your ip is blocked", True),
    ("IP blocked", True),
    ("(ip) blocked", True),
    ("recipient address rejected", False),  # "ip" inside a word
    ("zip file blocked; vip", False),
    ("recipient; then IP", True),
    ("x\u0307ip blocked", True),  # a combining dot stays: not ASCII, no claim
    ("\u212aip", False),  # the Kelvin sign is a letter to the look-behind as well
])
def test_a_word_start_check_agrees_with_the_look_behind(text: str, expected: bool) -> None:
    pattern = re.compile(r"(?<![A-Za-z0-9])ip", re.IGNORECASE)
    assert at_word_start(lower_for_matching(text), "ip") is expected
    if not expected:  # never excludes what the regex finds
        assert pattern.search(text) is None


def test_required_conditions_never_exclude_a_match() -> None:
    """Every text a pattern matches meets every one of its conditions."""
    texts = _texts()
    for pattern in _patterns():
        for phrase in pattern.phrase_patterns() or (pattern,):
            for text in texts:
                if phrase.compiled.search(text):
                    assert phrase.may_match(lower_for_matching(text)), (phrase.pattern, text)


# -- the pattern rewritten for lower-cased text (literals.for_lowered) ------------------

@pytest.mark.parametrize(("pattern", "rewritten"), [
    (r"User Unknown", "user unknown"),
    (r"[A-Z]{2}\d", r"[A-Za-z]{2}\d"),
    (r"[^A-Z\s]", r"[^A-Z\sa-z]"),
    (r"\S{1,80} \bDNS\B", r"\S{1,80} \bdns\B"),  # escapes keep their case
    (r"(?P<Code>S\d{4})", r"(?P<Code>s\d{4})"),  # group names too
    (r"\x41B", r"\x41b"),
    (r"(?i)x", None),  # inline flags
    (r"\N{LATIN CAPITAL LETTER A}", None),
    (r"gro[ßs]", None),  # a letter whose case folding is not one to one
    (r"[A-z]", None),  # a range across cases
])
def test_for_lowered_rewrites(pattern: str, rewritten: str | None) -> None:
    from bouncefix.literals import for_lowered

    assert for_lowered(pattern) == rewritten


def test_lower_case_search_has_the_spans_of_the_pattern_itself() -> None:
    """Every rule phrase (or pattern without phrases), on every text in three casings:
    the rewritten pattern on the lower-cased text finds the same spans, groups included. The texts are
    those searched so (prefilter._plain_lower): every letter folds plainly, in any script."""
    import sys

    from bouncefix.literals import FLAGS, for_lowered, plain_fold

    def plain(text: str) -> bool:
        return all(map(plain_fold, set(text)))

    sys.path.insert(0, str(SAMPLES.parent / "generalisation"))
    from suite import load, suite_names

    texts = _texts() + [case.text for name in suite_names() for case in load(name)]
    texts = [t for t in texts if plain(t)][::2]  # half: the other half adds no shapes
    assert sum(not t.isascii() for t in texts) > 300  # other scripts are among them
    texts += [t for t in [t.upper() for t in texts[::8]] + [t.title() for t in texts[3::8]]
              if plain(t)]
    # (a text that holds none of a phrase's anchors cannot match it, on either side: the
    # pre-check says so, and test_required_conditions_never_exclude_a_match holds it to
    # that; such pairs are skipped, the rest compared)
    pairs = [(text, text.lower(), lower_for_matching(text)) for text in texts]
    checked = rewritten = 0
    for pattern in _patterns():
        # (a pattern made of phrases is searched phrase by phrase, never whole)
        for phrase in pattern.phrase_patterns() if pattern.phrases else (pattern,):
            lower = for_lowered(phrase.pattern)
            assert lower == phrase.lowered_pattern
            if lower is None:
                continue
            rewritten += 1
            own, fast = re.compile(phrase.pattern, FLAGS), re.compile(lower)
            for text, lowered, folded in pairs:
                if not phrase.may_match(folded):
                    continue
                a, b = own.search(text), fast.search(lowered)
                assert (a is None) == (b is None), (phrase.pattern[:80], text[:80])
                if a is not None and b is not None:
                    assert [a.span(g) for g in range(own.groups + 1)] == [
                        b.span(g) for g in range(fast.groups + 1)], (phrase.pattern[:80], text)
                    checked += 1
    assert rewritten > 1000 and checked > 5000


def test_hedge_markers_are_only_skipped_where_none_can_match() -> None:
    """hedges.py skips its marker pattern when none of its literals occurs: on every text
    of the suites and samples, each marker found holds one of them."""
    import sys

    from bouncefix.rules import hedges

    sys.path.insert(0, str(SAMPLES.parent / "generalisation"))
    from suite import load, suite_names

    texts = _texts() + [case.text for name in suite_names() for case in load(name)]
    found = 0
    for text in texts:
        for marker in hedges._MARKER.compiled.finditer(text):
            found += 1
            assert any(w in marker.group(0).lower() for w in hedges._MARKER_WORDS), marker.group(0)
    assert found > 500


def test_plainly_folding_letters_match_case_insensitively_exactly_when_they_lower_alike() -> None:
    """What prefilter._plain_lower rests on, over the whole BMP: among the characters
    literals.plain_fold accepts, each lowers to one character, and re.IGNORECASE takes
    two cased ones as equal exactly when they lower to the same character."""
    from bouncefix.literals import plain_fold

    plain = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and plain_fold(chr(c))]
    assert all(len(c.lower()) == 1 for c in plain)
    cased = [c for c in plain if c.lower() != c.upper()]
    assert len(cased) > 500
    every = "".join(plain)  # (a caseless character matches only itself, never a cased one)
    for char in cased:
        found = set(re.findall(re.escape(char), every, re.IGNORECASE))
        assert found == {d for d in cased if d.lower() == char.lower()}, char


def _covered(literals: tuple[str, ...] | None, guard: tuple[str, ...]) -> bool:
    """Whether each of `literals` holds one of the `guard` words."""
    return bool(literals) and all(any(w in lit for w in guard) for lit in literals or ())


def test_every_guard_holds_a_word_of_each_literal_its_pattern_requires() -> None:
    """regex.lazy(..., guard=...) skips a pattern on text without its guard words: sound
    only if every match holds one. The regex parser's anchors (literals.anchors: every
    match holds one of them) each contain a guard word, so it does."""
    import importlib
    import pkgutil

    import bouncefix
    from bouncefix import regex

    for module in pkgutil.walk_packages(bouncefix.__path__, "bouncefix."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    assert len(regex.GUARDED) >= 10
    for pattern in regex.GUARDED:
        guard = pattern.guard or ()
        assert all(w == w.lower() for w in guard), guard

        # either the anchors, or one of the conditions every match meets, each hold a
        # guard word (literals.required: each condition a set of which the text has one)
        assert _covered(anchors(pattern.pattern), guard) or any(
            _covered(clause, guard) for clause in required(pattern.pattern)), pattern.pattern[:80]


def test_a_guarded_pattern_finds_what_the_pattern_finds() -> None:
    from bouncefix import regex

    guarded = regex.lazy(r"(?i)\bhost \S+ said:", guard=("said:",))
    plain = re.compile(r"(?i)\bhost \S+ said:")
    for text in ("Host mx.example.org SAID: 550 no", "host mx.example.org replied: 550 no",
                 "HOST mx SAİD: x", ""):
        assert bool(guarded.search(text)) == bool(plain.search(text)), text
        assert guarded.sub("", text) == plain.sub("", text)
        assert list(m.span() for m in guarded.finditer(text)) == [
            m.span() for m in plain.finditer(text)]
    # on text without the guard's words it is not even compiled
    untouched = regex.lazy(r"(?i)\bhost \S+ said:", guard=("said:",))
    assert untouched.search("550 5.1.1 user unknown") is None and untouched._compiled is None


@pytest.mark.parametrize(("pattern", "parts"), [
    (r"(?:a|(?:b|c))", ["a", "b", "c"]),  # nested alternations flattened, in order
    (r"a|b", ["a", "b"]),
    (r"(?:[|]|\||x)|y", ["[|]", r"\|", "x", "y"]),  # a "|" in a class or escaped stays
    (r"x(?:a|b)", [r"x(?:a|b)"]),  # no alternation at the top
    (r"(?:a)(?:b|c)", [r"(?:a)(?:b|c)"]),  # the first group does not enclose it all
    (r"(?P<n>a)|b", [r"(?P<n>a)|b"]),  # a named group: kept whole
    (r"(a)|\1", [r"(a)|\1"]),  # a backreference: kept whole
    (r"(?i:a|b)", [r"(?i:a|b)"]),  # inline flags: kept whole
    (r"((?:a|b))", [r"((?:a|b))"]),  # a capturing group around it: kept whole
])
def test_branches_split_only_what_searching_apart_keeps_exact(pattern: str,
                                                              parts: list[str]) -> None:
    assert branches(pattern) == parts


def test_branches_searched_apart_find_what_the_alternation_finds() -> None:
    # the leftmost match of any branch, the earlier branch on a tie
    pattern = r"(?:mailbox (?:is )?full|(?:quota|box) (?:exceeded|full)|full)"
    parts = [re.compile(p, re.IGNORECASE) for p in branches(pattern)]
    assert len(parts) == 3
    for text in ("the box full and mailbox is full", "QUOTA EXCEEDED", "full", "nothing"):
        found = [m for m in (p.search(text) for p in parts) if m is not None]
        best = min(found, key=lambda m: m.start()) if found else None
        whole = re.search(pattern, text, re.IGNORECASE)
        assert (best.span() if best else None) == (whole.span() if whole else None)
