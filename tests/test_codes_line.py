"""The codes row of a diagnosis: a provider's own use of a status code, and the meaning of
a reply code that RFCs use twice chosen by the step it answered."""

from __future__ import annotations

import pytest

from bouncefix import analyze
from bouncefix.render.codeinfo import codes_line


def line(text: str) -> str:
    item = analyze(text)[0].recipients[0]
    return codes_line(item.finding, item.diagnosis)


def test_a_providers_own_use_of_a_status_replaces_the_registry_title() -> None:
    text = line("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP "
                "address lookup")
    assert "5.1.10 (Microsoft 365 / Exchange Online:" in text
    assert "null MX" not in text


def test_a_generic_diagnosis_keeps_the_registry_title() -> None:
    assert line("550 5.1.1 <ann@example.org>: Recipient address rejected: no mailbox by "
                "that name here") == ("550 (Mailbox unavailable), 5.1.1 (Bad destination "
                                      "mailbox address)")


@pytest.mark.parametrize("text,title", [
    ("host mx.example.org[192.0.2.1] said: 454 4.7.0 TLS not available (in reply to "
     "STARTTLS command)", "454 (TLS not available right now)"),
    ("454 4.7.0 Temporary authentication failure, try again", "454 (Temporary authentication "
                                                               "failure)"),
    ("530 5.7.0 Must issue a STARTTLS command first", "530 (Must issue STARTTLS first)"),
    ("530 5.7.0 Authentication required", "530 (Authentication required)"),
])
def test_reply_codes_used_twice_take_the_meaning_of_their_step(text: str, title: str) -> None:
    assert line(text).startswith(title)


def test_a_permanent_5_4_1_at_microsoft_is_not_no_answer_from_host() -> None:
    text = line("550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
                "[DB5EUR01FT.eop.example]")
    assert "No answer from host" not in text and "Microsoft" in text


def test_a_providers_use_that_matches_the_registry_keeps_the_registry_title() -> None:
    assert line("535 5.7.8 Username and Password not accepted. - gsmtp").endswith(
        "5.7.8 (Authentication credentials invalid)")


def test_an_exchange_report_layout_names_microsoft_whatever_its_host_names() -> None:
    # an on-premises Exchange server's report: Microsoft's own meaning of 5.7.12 applies
    ndr = """Your message to desk@example.org couldn't be delivered.

Diagnostic information for administrators:
Generating server: EX02.corp.example.org
desk@example.org
Remote Server returned '550 5.7.12 Sender was not authenticated by organization'
"""
    [report] = analyze(ndr)
    assert report.recipients[0].diagnosis.reason.value == "filtered"
