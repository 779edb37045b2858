"""Every pattern of every rule file is linear-time: checked statically and run against
1 MB adversarial inputs under a time bound."""

from __future__ import annotations

import multiprocessing
import re
import time

import pytest

from bouncefix.rules.loader import load_ruleset
from bouncefix.rules.safety import problems

MEGABYTE = 1 << 20
PER_SEARCH_SECONDS = 10.0  # linear patterns take well under this; catastrophic ones never end


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    ruleset = load_ruleset()
    found = []
    for rule in ruleset.rules:
        for label, pattern in (("text", rule.text), ("not_text", rule.not_text),
                               ("remote", rule.remote)):
            if pattern is not None:
                found.append((f"{rule.id}:{label}", pattern))
    for provider in ruleset.providers.values():
        for label, pattern in (("hosts", provider.hosts), ("markers", provider.markers)):
            if pattern is not None:
                found.append((f"provider {provider.id}:{label}", pattern))
    return found


PATTERNS = _patterns()


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_pattern_has_no_backtracking_construct(name: str, pattern: re.Pattern[str]) -> None:
    assert problems(pattern.pattern) == []


def test_checker_catches_known_bad_patterns() -> None:
    for bad in (r"(a+)+$", r"(\w+\s?)*x", r"(\d)\1", r"(?:[a-z]+\.)+com"):
        assert problems(bad), bad
    for good in (r"user unknown", r"(?:\w{1,5}\.){1,8}com", r".{0,80}banned", r"(?:x|y)+z"):
        assert problems(good) == [], good


def adversarial() -> str:
    """1 MB that mixes the shapes that hurt backtracking engines: long runs of one
    letter and of spaces, bounce-like text full of near matches, non-ASCII."""
    chunk = MEGABYTE // 5
    pieces = ["a" * chunk, " " * chunk,
              "550-5.1.1 user@example.org <x> [192.0.2.1]; mailbox unknown rejected ",
              "mailbox over quota user unknown blocked using listed ",
              "\u00e9\u3042-.\u00fc "]
    return "".join(p * (chunk // len(p) + 1) for p in pieces)[:MEGABYTE]


def _time_search(pattern: str) -> float:
    text = adversarial()
    compiled = re.compile(pattern, re.IGNORECASE)
    start = time.perf_counter()
    compiled.search(text)
    return time.perf_counter() - start


def _searched() -> list[tuple[str, str]]:
    """What the engine runs: a rule's phrases each on its own (rules/prefilter.py), other
    patterns whole."""
    out = []
    for name, pattern in PATTERNS:
        phrases = getattr(pattern, "phrases", None)
        if phrases:
            out += [(f"{name}#{i}", phrase[0]) for i, phrase in enumerate(phrases)]
        else:
            out.append((name, pattern.pattern))
    return out


def test_all_patterns_run_in_bounded_time_on_1mb_input() -> None:
    searched = _searched()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        times = pool.map(_time_search, [pattern for _, pattern in searched])
    slow = [f"{name}: {t:.2f}s" for (name, _), t in zip(searched, times, strict=True)
            if t > PER_SEARCH_SECONDS]
    assert slow == []


def test_no_pattern_or_phrase_family_matches_empty_text() -> None:
    """An empty alternative (a stray "|" in a rule or a phrase family) would make a
    pattern match every text, or a family drop the words it stands for."""
    from bouncefix.rules.loader import load_terms

    empty = [name for name, pattern in PATTERNS
             if re.compile(pattern.pattern, re.IGNORECASE).fullmatch("") is not None]
    empty += [f"%{name}%" for name, alternation in load_terms().items()
              if re.fullmatch(alternation, "", re.IGNORECASE) is not None]
    assert not empty, f"patterns that match empty text: {empty}"
