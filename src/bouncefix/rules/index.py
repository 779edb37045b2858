"""Which rules can apply to a finding, worked out without walking all of them.

The engine must find every rule, in precedence order, whose conditions all hold.
Walking ~400 rules per recipient and testing each one's conditions costs more than
everything else the engine does. Here each cheap condition becomes a bit set over the
rules (bit i = rule i of the precedence order):

- the parser a rule is restricted to, its enhanced-code, reply-code and command
  conditions (one set per distinct value met, remembered);
- the literal anchors of its text pattern (prefilter.py): the anchors that occur in the
  text are found by looking up the text's three-letter slices in a table of anchors by
  their first three letters, so only anchors that can occur are tested at all; the few
  two-character anchors (a pair of kana or ideographs, literals.py) are tested directly,
  and only in a text that is not plain ASCII.

ANDing these gives the only rules worth asking, still in order; the engine then checks
each fully (nothing is decided here that the rule itself does not check again), and
works out a rule's provider only when such a rule is reached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .conditions import command_allows, parser_allows, reply_allows, status_allows
from .loader import Rule
from .prefilter import MIN_ANCHOR, LazyPattern, indexable

_MEMO_LIMIT = 4096  #: distinct code values remembered per condition before starting over


#: the name of the anchor table of the loaded ruleset in the data bundle
BUNDLED = "rule_anchors"


class AnchorTable:
    """Literal anchors with a bit set each; finds the anchors occurring in a text by its
    three-letter slices (exact: an anchor occurs only where its first three letters do)."""

    def __init__(self) -> None:
        self._bits: dict[str, int] = {}
        self._by_head: dict[str, list[str]] = {}
        self._heads: frozenset[str] | None = None
        self._short: dict[str, int] = {}  #: anchors shorter than MIN_ANCHOR (never ASCII)

    def state(self) -> tuple[dict[str, int], dict[str, list[str]], dict[str, int]]:
        """What the table holds, for the data bundle (:func:`anchor_state`)."""
        return self._bits, self._by_head, self._short

    @classmethod
    def from_state(cls, state: Any) -> AnchorTable:
        """The table :meth:`state` described."""
        table = cls()
        table._bits, table._by_head, table._short = state
        return table

    def add(self, anchor: str, bit: int) -> None:
        if len(anchor) < MIN_ANCHOR:
            self._short[anchor] = self._short.get(anchor, 0) | bit
            return
        if anchor not in self._bits:
            self._by_head.setdefault(anchor[:MIN_ANCHOR], []).append(anchor)
            self._heads = None
        self._bits[anchor] = self._bits.get(anchor, 0) | bit

    def bits_in(self, lowered: str, present: set[str] | None = None) -> int:
        """The union of the bit sets of every anchor occurring in `lowered`; each such
        anchor is added to `present` when given."""
        if self._heads is None:
            self._heads = frozenset(self._by_head)
        heads = {lowered[i : i + MIN_ANCHOR] for i in range(len(lowered) - MIN_ANCHOR + 1)}
        found = 0
        bits, by_head = self._bits, self._by_head
        for head in heads & self._heads:  # set & frozenset: C speed
            for anchor in by_head[head]:
                if anchor in lowered:
                    found |= bits[anchor]
                    if present is not None:
                        present.add(anchor)
        if self._short and not lowered.isascii():
            for anchor, anchor_bits in self._short.items():
                if anchor in lowered:
                    found |= anchor_bits
                    if present is not None:
                        present.add(anchor)
        return found


def _anchored(pattern: LazyPattern | None) -> bool:
    return pattern is not None and bool(pattern.anchors) and all(
        indexable(a) for a in pattern.anchors or ())


def anchor_state(rules: tuple[Rule, ...]) -> tuple[Any, int]:
    """The anchor table over `rules` and the bit set of the rules it does not index, as
    plain data: the data bundle holds them for the loaded ruleset, worked out when it is
    built (a test checks them against a fresh computation)."""
    table, text_free = _anchor_table(rules)
    return table.state(), text_free


def _anchor_table(rules: tuple[Rule, ...]) -> tuple[AnchorTable, int]:
    """The anchors of the rules' text conditions with each rule's bit, and the bit set of
    the rules with no text condition or one without anchors."""
    table = AnchorTable()
    text_free = 0
    for i, rule in enumerate(rules):
        bit = 1 << i
        text = rule.text
        if _anchored(text):
            for anchor in text.anchors or ():  # type: ignore[union-attr]
                table.add(anchor, bit)
            continue  # its anchors are those of its phrases (rules/loader.py)
        text_free |= bit
        # a rule not indexed by its words: its phrases' anchors are still looked up
        # (with no rule's bit), as the search of its phrases is told which occur
        for _, phrase_anchors, *_ in (text.phrases or ()) if text else ():
            for anchor in phrase_anchors or ():
                if indexable(anchor):
                    table.add(anchor, 0)
    return table, text_free


class RuleIndex:
    """Bit sets over the rules of one ruleset (see the module text). `anchors` is
    :func:`anchor_state` of the same rules, when it is at hand."""

    def __init__(self, rules: tuple[Rule, ...], anchors: Any = None) -> None:
        self.rules = rules
        # the parser, status, reply and command conditions, in the order candidates() asks
        self._conditions = tuple(
            _Condition(rules, field, allows)
            for field, allows in (("parser", parser_allows), ("status", status_allows),
                                  ("reply_code", reply_allows), ("command", command_allows)))
        if anchors is not None:
            self._text, self._text_free = AnchorTable.from_state(anchors[0]), anchors[1]
        else:
            self._text, self._text_free = _anchor_table(rules)

    # -- rules ---------------------------------------------------------------------------

    def candidates(
        self,
        parser: str | None,
        status: str | None,
        reply: str | None,
        command: str | None,
        lowered: str,
        present: set[str] | None = None,
    ) -> Iterator[Rule]:
        """The rules that may apply, in precedence order; the anchors occurring in
        `lowered` are added to `present` when given (for the search of their phrases)."""
        parsers, statuses, replies, commands = self._conditions
        mask = (parsers.bits(parser) & statuses.bits(status) & replies.bits(reply)
                & commands.bits(command))
        if mask:
            mask &= self._text.bits_in(lowered, present) | self._text_free
        rules = self.rules
        while mask:
            low = mask & -mask
            mask ^= low
            yield rules[low.bit_length() - 1]


class _Condition:
    """One kind of code condition as bit sets: the rules it lets through for a value,
    worked out once per distinct value (and remembered). Rules with the same condition
    are tested together, through the first of them."""

    def __init__(self, rules: tuple[Rule, ...], field: str,
                 allows: Callable[[Rule, Any], bool]) -> None:
        self._everything = (1 << len(rules)) - 1
        self._allows = allows
        self._memo: dict[Any, int] = {}
        groups: dict[Any, tuple[Rule, int]] = {}
        for i, rule in enumerate(rules):
            value = getattr(rule, field)
            if value:  # an empty condition lets everything through
                first, bits = groups.get(value, (rule, 0))
                groups[value] = (first, bits | 1 << i)
        self._groups = list(groups.values())

    def bits(self, key: Any) -> int:
        """The rules whose condition holds for `key`."""
        bits = self._memo.get(key)
        if bits is None:
            bits = self._everything
            for rule, group in self._groups:
                if not self._allows(rule, key):
                    bits &= ~group
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = bits
        return bits
