"""The catalogue: complete against the reference registry, strict when loading."""

from __future__ import annotations

import copy
import csv
from typing import Any

import pytest

from bouncefix.catalogue import codes as catalogue
from bouncefix.datafiles import DataError, read
from paths import REFERENCE


@pytest.fixture(scope="module")
def raw() -> Any:
    return read("codes.yaml")


def _reference(name: str) -> list[dict[str, str]]:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip("../shared/reference is not available")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_registry_row_is_covered() -> None:
    book = catalogue.load()
    rows = _reference("enhanced-status-codes.csv")
    details = [r for r in rows if r["row_type"] == "detail"]
    assert len(details) == 81
    for row in details:
        _, subject, detail = row["code"].split(".")
        entry = book.status_code(subject, detail)
        assert entry is not None, row["code"]
        if row["summary"]:
            assert entry.title == row["summary"], row["code"]
    for row in rows:
        if row["row_type"] == "class":
            assert book.classes[row["code"][0]]["title"] == row["summary"]
        elif row["row_type"] == "subject":
            assert book.subjects[row["code"].split(".")[1]]["title"] == row["summary"]


def test_every_reply_code_row_is_covered() -> None:
    book = catalogue.load()
    rows = _reference("reply-codes.csv")
    contexts = {"RFC 5321": "SMTP", "RFC 4954": "AUTH", "RFC 3207": "STARTTLS",
                "RFC 1985": "ETRN", "RFC 2645": "ATRN", "RFC 7504": "SMTP"}
    for row in rows:
        if row["row_type"] == "reply_code":
            have = {m.context for m in book.reply_code(row["code"])}
            assert contexts[row["rfc"]] in have, (row["code"], row["rfc"])
        elif row["row_type"] == "registry_association_only":
            assert book.reply_code(row["code"]), row["code"]
        elif row["row_type"] == "first_digit":
            assert row["code"][0] in book.reply_digits["first"]
        elif row["row_type"] == "second_digit":
            assert row["code"][1] in book.reply_digits["second"]


def test_every_registered_code_answers_as_registered() -> None:
    from bouncefix.catalogue import lookup

    book = catalogue.load()
    for status in book.status.values():
        for klass in "245":
            info = lookup.status_info(f"{klass}.{status.subject}.{status.detail}", book)
            assert info["registered"]
    for code in book.reply:
        assert lookup.reply_info(code, book)["registered"]


def _broken(raw: Any, change: Any) -> str:
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(DataError) as error:
        catalogue.Catalogue(data)
    return str(error.value)


def test_unknown_key_is_named(raw: Any) -> None:
    def change(data: Any) -> None:
        entry = next(e for e in data["status_codes"] if e["code"] == "X.1.3")
        entry["colour"] = "blue"

    message = _broken(raw, change)
    assert "unknown keys" in message and "colour" in message and "X.1.3" in message


def test_missing_field_is_named(raw: Any) -> None:
    message = _broken(raw, lambda d: d["reply_codes"][0].pop("meaning"))
    assert "missing meaning" in message


def test_duplicate_code_is_refused(raw: Any) -> None:
    message = _broken(raw, lambda d: d["status_codes"].append(d["status_codes"][1]))
    assert "duplicate status code" in message


def test_duplicate_reply_context_is_refused(raw: Any) -> None:
    message = _broken(raw, lambda d: d["reply_codes"].append(d["reply_codes"][0]))
    assert "duplicate reply code" in message


@pytest.mark.parametrize("bad", ["5.1.1", "X.9.1", "X.1", "X.1.1234"])
def test_bad_status_syntax_is_refused(raw: Any, bad: str) -> None:
    message = _broken(raw, lambda d: d["status_codes"][0].update(code=bad))
    assert "bad status code" in message


def test_bad_reply_syntax_is_refused(raw: Any) -> None:
    message = _broken(raw, lambda d: d["reply_codes"][0].update(code="55x"))
    assert "bad reply code" in message


def test_bad_who_is_refused(raw: Any) -> None:
    message = _broken(raw, lambda d: d["status_codes"][0].update(who=["nobody"]))
    assert "who must be" in message


def test_lookup_text_with_an_unknown_name_is_refused(raw: Any) -> None:
    message = _broken(raw, lambda d: d["lookup_text"].update(operator="Ask {whom}."))
    assert "lookup_text.operator" in message and "whom" in message


def test_lookup_text_must_be_complete(raw: Any) -> None:
    message = _broken(raw, lambda d: d["lookup_text"].pop("unusual_pair"))
    assert "lookup_text" in message


def test_only_a_deprecated_code_may_lack_a_title(raw: Any) -> None:
    def change(data: Any) -> None:
        next(e for e in data["status_codes"] if e["code"] == "X.1.3").pop("title")

    assert "lack a title" in _broken(raw, change)


def test_common_reply_codes_must_not_repeat_the_registry(raw: Any) -> None:
    def change(data: Any) -> None:
        next(e for e in data["status_codes"] if e["code"] == "X.1.1")["common_reply_codes"] = [
            "550"]

    assert "repeats a registry pairing" in _broken(raw, change)
