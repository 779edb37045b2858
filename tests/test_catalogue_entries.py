"""Catalogue entries that said the wrong thing or misled (issue 14, items 14 and 15).

Each test names the standard the entry must agree with. They check what the entries
say about the point that was wrong, not their exact wording."""

from __future__ import annotations

import pytest

from bouncefix.catalogue import codes as catalogue
from bouncefix.catalogue import lookup


@pytest.fixture(scope="module")
def book() -> catalogue.Catalogue:
    return catalogue.load()


def _status_text(book: catalogue.Catalogue, subject: str, detail: str) -> str:
    entry = book.status_code(subject, detail)
    assert entry is not None
    return " ".join([entry.title or "", entry.meaning, *entry.causes, entry.notes or "",
                     entry.deprecated or "", entry.as_transient or "",
                     entry.as_permanent or ""]).lower()


def _reply_text(book: catalogue.Catalogue, code: str) -> str:
    return " ".join(" ".join([m.title, m.meaning, *m.causes, m.notes or ""])
                    for m in book.reply_code(code)).lower()


def _answer_text(query: str) -> str:
    book = catalogue.load()
    [parsed] = lookup.split_queries([query])
    answer = lookup.answer(parsed, book)
    sides = [answer[s] for s in ("reply_code", "status") if answer[s]]
    return " ".join([*(s["meaning"] for s in sides), *answer["notes"]]).lower()


# --- item 14: wrong entries ---------------------------------------------------------


def test_x_7_10_is_about_the_login_mechanism(book: catalogue.Catalogue) -> None:
    """RFC 5248 registered X.7.10 (523) for a login mechanism that needs encryption
    first; it is not a receiver requiring TLS for transport."""
    text = _status_text(book, "7", "10")
    assert "login" in text or "authentication mechanism" in text
    assert "receiver's policy requires tls" not in text
    assert "could not agree on tls" not in text
    assert "login" in _reply_text(book, "523")


@pytest.mark.parametrize("code", ["432", "422"])
def test_x_7_12_means_switch_to_the_selected_mechanism(book: catalogue.Catalogue,
                                                       code: str) -> None:
    """RFC 4954: 432 4.7.12 asks the user to move to the mechanism the client chose,
    usually by logging in once with PLAIN; nothing has expired."""
    for text in (_status_text(book, "7", "12"), _reply_text(book, code)):
        assert "expire" not in text
        assert "plain" in text
    assert "change its password" not in _status_text(book, "7", "12")
    assert "change the password" not in _reply_text(book, code)


# --- item 15: misleading entries ------------------------------------------------------


def test_x_2_2_is_a_persistent_transient_failure(book: catalogue.Catalogue) -> None:
    text = _status_text(book, "2", "2")
    assert "rfc 3463" in text
    assert "temporary" in text or "transient" in text
    assert "soft" in text


def test_x_4_1_is_a_transient_code_and_5_4_1_a_provider_meaning(
        book: catalogue.Catalogue) -> None:
    text = _status_text(book, "4", "1")
    assert "4.4.1" in text
    assert "microsoft" in text or "exchange" in text
    assert "microsoft" in _answer_text("5.4.1") or "exchange" in _answer_text("5.4.1")


def test_x_5_3_is_a_per_transaction_limit(book: catalogue.Catalogue) -> None:
    text = _status_text(book, "5", "3")
    assert "daily" not in text and "per day" not in text
    assert "transaction" in text
    assert "rest" in text or "remaining" in text


def test_x_3_3_is_a_gateway_feature_mapping(book: catalogue.Catalogue) -> None:
    entry = book.status_code("3", "3")
    assert entry is not None
    text = " ".join([entry.meaning, *entry.causes]).lower()
    assert "gateway" in text
    for other in ("8-bit", "delivery report", "dsn", "smtputf8"):
        assert other not in text, other  # these have codes of their own


def test_x_6_10_has_no_invented_title(book: catalogue.Catalogue) -> None:
    entry = book.status_code("6", "10")
    assert entry is not None and entry.title is None
    info = lookup.status_info("5.6.10", book)
    assert "deprecated" not in info["title"].lower()
    assert "duplicate" not in info["title"].lower()
    assert "no title" in info["title"].lower()
    row = next(e for e in lookup.table("X.6.*", book)["entries"] if e["code"] == "X.6.10")
    assert row["title"] == info["title"]


@pytest.mark.parametrize("reply", ["250", "421", "451", "550", "554", "221"])
def test_x_0_0_pairs_with_any_reply_code(reply: str) -> None:
    book = catalogue.load()
    klass = {"2": "2", "4": "4", "5": "5"}[reply[0]]
    answer = lookup.answer((reply, f"{klass}.0.0"), book)
    assert answer["status"]["usual_reply_codes"] == ["Any"]
    assert not [n for n in answer["notes"] if "pairing" in n]


def test_the_first_digit_1_is_smtps(book: catalogue.Catalogue) -> None:
    meaning = book.reply_digits["first"]["1"]["meaning"].lower()
    assert "ftp" not in meaning
    assert "smtp" in meaning
    assert "ftp" not in _answer_text("199")


def test_x_7_11_is_historical() -> None:
    text = _answer_text("5.7.11")
    assert "historical" in text or "historic" in text


def test_x_7_23_blames_the_unlisted_host_not_minus_all(book: catalogue.Catalogue) -> None:
    entry = book.status_code("7", "23")
    assert entry is not None
    assert not [c for c in entry.causes if "-all" in c or "strict" in c]
    assert "not authorise" in _status_text(book, "7", "23") or \
        "not listed" in _status_text(book, "7", "23")


def test_x_7_30_is_no_next_hop_with_requiretls(book: catalogue.Catalogue) -> None:
    text = _status_text(book, "7", "30")
    assert "requiretls" in text
    assert "certificate" not in text
    assert "none of" in text or "no server" in text or "no next" in text


def test_521_is_a_host_that_takes_no_mail_not_null_mx(book: catalogue.Catalogue) -> None:
    [meaning] = book.reply_code("521")
    assert meaning.context != "NULLMX"
    assert "null mx" not in _reply_text(book, "521")
    assert meaning.source == "RFC 7504"
