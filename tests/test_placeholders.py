"""Placeholders in causes and fix steps: the report's values, else text that still reads
as a sentence (the engine and lookup share one filling)."""

from __future__ import annotations

import pytest

from bouncefix import analyze
from bouncefix.rules.placeholders import fill


@pytest.mark.parametrize("template,values,expected", [
    ("the sending IP {ip} is not listed", {"ip": "192.0.2.9"},
     "the sending IP 192.0.2.9 is not listed"),
    ("the sending IP {ip} is not listed", {}, "the sending IP is not listed"),
    ("Ask about the address ({ip}) today.", {}, "Ask about the address today."),
    ("{domain} refuses mail.", {}, "The recipient's domain refuses mail."),
    ("Done. {domain} refuses mail.", {}, "Done. The recipient's domain refuses mail."),
    ("Run `bouncefix check {domain}`.", {}, "Run `bouncefix check DOMAIN`."),
    ("Run `bouncefix check {domain}`.", {"domain": "example.org"},
     "Run `bouncefix check example.org`."),
    ("See https://{domain}/help", {}, "See https://DOMAIN/help"),
    ("A {broken placeholder", {}, "A {broken placeholder"),
])
def test_fill(template: str, values: dict[str, str], expected: str) -> None:
    assert fill(template, values) == expected


def test_no_explanation_repeats_a_placeholder_phrase() -> None:
    # a Gmail PTR refusal that names no IP: the cause must not read "the sending IP
    # address the sending IP address"
    [report] = analyze("550-5.7.25 The IP address sending this message does not have a PTR "
                       "record setup, or the corresponding forward DNS entry does not point "
                       "to the sending IP. - gsmtp")
    diagnosis = report.recipients[0].diagnosis
    for text in (diagnosis.cause or "", *diagnosis.fix):
        assert "the sending IP address the" not in text
        assert "IP the sending" not in text
        assert text[:1] == text[:1].upper()
