"""Mistyped recipient domains: ``jane@gmial.com`` was meant for ``jane@gmail.com``.

A domain that is not one of the common mailbox providers' (data/domains.yaml) but within
one edit of one (a letter wrong, missing, extra, or two swapped: gmial, gmai, gmaill,
hotmial) or two edits for longer names, is reported as a likely typo. No DNS is asked:
the suggestion rests on spelling alone, and says so.
"""

from __future__ import annotations

from functools import lru_cache

from ..datafiles import DataError, read

MAX_DOMAIN = 253


@lru_cache(maxsize=1)
def mailbox_domains() -> frozenset[str]:
    """The common mailbox providers' domains (data/domains.yaml)."""
    data = read("domains.yaml")
    values = data.get("mailbox_domains") if isinstance(data, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataError("domains.yaml: mailbox_domains must be a list of domains")
    return frozenset(v.lower() for v in values)


def likely_meant(domain: str | None) -> str | None:
    """The common domain `domain` is probably a typo of, or None."""
    if not domain or len(domain) > MAX_DOMAIN:
        return None
    return _likely_meant(domain.lower().rstrip("."))


@lru_cache(maxsize=4096)  # a scan meets the same domains again and again
def _likely_meant(domain: str) -> str | None:
    known = mailbox_domains()
    if domain in known:
        return None
    letters = set(domain)
    best: tuple[int, str] | None = None
    for candidate in sorted(known):
        allowed = 1 if len(candidate) <= 9 else 2
        if abs(len(candidate) - len(domain)) > allowed:
            continue
        if len(letters.symmetric_difference(candidate)) > 2 * allowed:
            continue  # each edit changes at most two letters of the set
        distance = edit_distance(domain, candidate, allowed)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def within_one_edit(a: str, b: str) -> bool:
    """``edit_distance(a, b, 1) <= 1`` in one pass: the strings agree around a single
    letter wrong, missing or extra, or two neighbours swapped (or they are equal)."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > 1:
        return False
    i = 0
    shorter = len(b)
    while i < shorter and a[i] == b[i]:
        i += 1
    if i == shorter:
        return True  # equal, or one letter extra at the end
    if len(a) != len(b):
        return a[i + 1:] == b[i:]
    return a[i + 1:] == b[i + 1:] or (a[i] == b[i + 1] and a[i + 1] == b[i]
                                      and a[i + 2:] == b[i + 2:])


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (edits, with adjacent swaps), stopping early
    once it exceeds `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
