"""Parser signatures are sound: a parser's signature in the registry (the words the
driver looks for before asking its ``matches``) never hides a message that ``matches`` accepts.

Checked on every sample message, every message of the shared corpus (when present),
the messages attached inside them (the driver reads those too) and the rule examples
as pasted fragments: whenever ``matches`` is true, one signature word occurs in the
message's ``signature_text``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bouncefix import ingest
from bouncefix.mail import Mail
from bouncefix.parse.registry import GATED, PARSERS
from bouncefix.rules.loader import load_rules
from paths import CORPUS, SAMPLES


def _files() -> list[Path]:
    found = [p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".yaml"]
    if CORPUS.is_dir():
        found += [p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".json"]
    return sorted(found)


def _mails() -> Iterator[tuple[str, Mail]]:
    for path in _files():
        data = ingest.normalise_newlines(path.read_bytes())
        for index, raw in enumerate(ingest.split_messages(data)):
            mail = Mail(raw)
            yield f"{path.name}#{index}", mail
            for inner_index, inner in enumerate(mail.attached_messages()):
                yield f"{path.name}#{index}/{inner_index}", inner
                yield from ((f"{path.name}#{index}/{inner_index}/{n}", m)
                            for n, m in enumerate(inner.attached_messages()))
    for rule in load_rules():
        for index, example in enumerate(rule.examples):
            yield f"{rule.id}#{index}", Mail(example.encode("utf-8", "surrogateescape"))


@pytest.fixture(scope="module")
def mails() -> list[tuple[str, Mail]]:
    return list(_mails())


def test_every_parser_is_in_the_registry_once_with_a_signature() -> None:
    names = [p.NAME for p, _ in GATED]
    assert len(names) == len(set(names)) == len(PARSERS)
    assert all(isinstance(signature, tuple) for _, signature in GATED)


@pytest.mark.parametrize(("parser", "signature"), GATED, ids=[p.NAME for p, _ in GATED])
def test_signature_words_are_lower_case(parser: object, signature: tuple[str, ...]) -> None:
    assert isinstance(signature, tuple)
    for word in signature:
        assert word and word == word.lower(), f"{word!r} must be lower-case and not empty"


@pytest.mark.parametrize(("parser", "signature"), GATED, ids=[p.NAME for p, _ in GATED])
def test_signature_never_hides_a_match(
    parser: object, signature: tuple[str, ...], mails: list[tuple[str, Mail]]
) -> None:
    if not signature:
        pytest.skip("no signature: always asked")
    hidden = [
        name
        for name, mail in mails
        if parser.matches(mail)  # type: ignore[attr-defined]
        and not any(word in mail.signature_text for word in signature)
    ]
    assert not hidden, f"matches() is true but no signature word occurs: {hidden[:10]}"


def test_signatures_are_exercised(mails: list[tuple[str, Mail]]) -> None:
    """Each gated family matches at least one message here (or the check above proves
    nothing about it)."""
    idle = [
        parser.NAME
        for parser, signature in GATED
        if signature and not any(parser.matches(mail) for _, mail in mails)
    ]
    assert not idle, f"no message exercises these signatures: {idle}"


@pytest.mark.parametrize("text", ["Delıvery failed", "DELİVERY FAILED", "meſſage", "\u212aELVIN"])
def test_lowering_agrees_with_case_insensitive_regexes(text: str) -> None:
    """Letters that re.IGNORECASE takes for ASCII i, s and k fold to them here too."""
    import re

    from bouncefix.mime.textcodec import lower_for_matching

    for word in ("delivery", "message", "kelvin"):
        if re.search(word, text, re.IGNORECASE):
            assert word in lower_for_matching(text)


#: gated parsers that look at every header name; their signatures come from the text
#: (checked by hand: surfcontrol's report sentences, trendmicro's product names)
_ITERATE_HEADERS_OK = {"surfcontrol", "trendmicro"}


def _header_reads(source: str) -> tuple[set[str], list[str]]:
    """Header names a parser module reads from its Mail, and reads it cannot name."""
    import ast

    tree = ast.parse(source)
    constants: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple | ast.List):
            values = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
            if all(isinstance(v, str) for v in values):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = values
    names: set[str] = set()
    unknown: list[str] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("header", "headers", "get", "get_all")
                and ast.unparse(node.func.value).startswith("mail") and node.args):
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                names.add(argument.value.lower())
            elif isinstance(argument, ast.Name) and any(
                    isinstance(loop, ast.comprehension) and ast.unparse(loop.target) == argument.id
                    and ast.unparse(loop.iter) in constants for loop in ast.walk(tree)):
                iterated = next(ast.unparse(loop.iter) for loop in ast.walk(tree)
                                if isinstance(loop, ast.comprehension)
                                and ast.unparse(loop.target) == argument.id)
                names.update(v.lower() for v in constants[iterated])
            else:
                unknown.append(ast.unparse(node))
        if (isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In)
                and ast.unparse(node.comparators[0]).endswith("mail.message")
                and isinstance(node.left, ast.Constant)):
            names.add(str(node.left.value).lower())
        if (isinstance(node, ast.comprehension | ast.For)
                and ast.unparse(node.iter).endswith("mail.message")):
            unknown.append(f"iterates {ast.unparse(node.iter)}")
    return names, unknown


@pytest.mark.parametrize(("parser", "signature"), GATED, ids=[p.NAME for p, _ in GATED])
def test_signature_text_holds_the_headers_matches_reads(
    parser: object, signature: tuple[str, ...]
) -> None:
    """signature_text keeps only SIGNATURE_HEADERS: a gated parser that reads another
    header field (or names it in a way this check cannot follow) must be looked at."""
    import inspect

    from bouncefix.mail import SIGNATURE_HEADERS

    if not signature:
        pytest.skip("no signature: always asked")
    module = getattr(parser, "module", parser)  # a family: the module it imports
    names, unknown = _header_reads(inspect.getsource(module))  # type: ignore[arg-type]
    name = parser.NAME  # type: ignore[attr-defined]
    assert names <= SIGNATURE_HEADERS, f"add to mail.SIGNATURE_HEADERS: {names - SIGNATURE_HEADERS}"
    if name in _ITERATE_HEADERS_OK:
        unknown = [u for u in unknown if not u.startswith("iterates")]
    assert not unknown, f"header reads this check cannot follow: {unknown}"
