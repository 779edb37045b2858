"""The cached plain form of the ruleset rebuilds exactly the validated rules."""

from __future__ import annotations

from bouncefix.rules import loader
from bouncefix.rules.prefilter import LazyPattern


def _comparable(value: object) -> object:
    if isinstance(value, LazyPattern):
        return ("pattern", value.pattern, value.anchors, value.phrases)
    return value


def test_plain_round_trip_keeps_every_field() -> None:
    ruleset = loader._load(loader.rule_files())
    rebuilt = loader._from_plain(loader._to_plain(ruleset))
    assert len(rebuilt.rules) == len(ruleset.rules)
    for before, after in zip(ruleset.rules, rebuilt.rules, strict=True):
        for name in loader._RULE_FIELDS:
            assert _comparable(getattr(after, name)) == _comparable(getattr(before, name)), (
                before.id, name)
        assert after.tier == before.tier
    assert list(rebuilt.providers) == list(ruleset.providers)
    for key, provider in ruleset.providers.items():
        other = rebuilt.providers[key]
        assert (provider.id, provider.name) == (other.id, other.name)
        assert _comparable(provider.hosts) == _comparable(other.hosts)
        assert _comparable(provider.markers) == _comparable(other.markers)


def test_a_cache_of_another_layout_is_rebuilt() -> None:
    plain = loader._to_plain(loader._load(loader.rule_files()))
    try:
        loader._from_plain((("id",), plain[1], plain[2]))
    except ValueError:
        return
    raise AssertionError("a cache with other field names must be refused")
