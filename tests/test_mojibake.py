"""UTF-8 text shown in the wrong character set and pasted that way (mime/mojibake.py):
each damaged run is put back only where it is a whole UTF-8 sequence. Written for this
file; Python's own codecs are the oracle."""

from __future__ import annotations

import pytest

from bouncefix.analysis import analyze_bytes
from bouncefix.mime import mojibake


@pytest.mark.parametrize("original", [
    "Empfänger unbekannt", "Boîte aux lettres pleine", "dirección rechazada",
    "We’re sorry — no such user", "почтовый ящик переполнен", "Skrzynka odbiorcy jest pełna",
    "宛先不明", "Θυρίδα πλήρης",
])
def test_text_misread_as_windows_1252_is_put_back(original: str) -> None:
    damaged = original.encode("utf-8").decode("cp1252", errors="replace")
    if "\ufffd" in damaged:  # (a byte Windows-1252 has no letter for: Latin-1 shows it)
        damaged = original.encode("utf-8").decode("latin-1")
    assert mojibake.repair(damaged) == original


def test_a_pagers_hex_bytes_are_put_back() -> None:
    assert mojibake.repair("Der Empf<C3><A4>nger ist unbekannt") == "Der Empfänger ist unbekannt"
    assert mojibake.repair("see <FF><00> and <C3>") == "see <FF><00> and <C3>"


@pytest.mark.parametrize("text", [
    "Grüße aus Köln", "plain Ã text", "Ä is a letter", "£5 fee", "naïve café",
])
def test_proper_text_is_left_alone(text: str) -> None:
    assert mojibake.repair(text) == text


def test_a_damaged_paste_is_read_for_its_meaning() -> None:
    damaged = "550 5.1.1 <jan@example.de>: EmpfÃ¤nger unbekannt".encode()
    [report] = analyze_bytes(damaged)
    assert report.recipients[0].diagnosis.reason.value == "userunknown"
