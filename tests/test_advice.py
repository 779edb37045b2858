"""Advice agrees with itself: for every rule, every reason's default and every code-model
entry, in every moment (a permanent failure, a temporary one, a delay still being
retried), the fix steps never contradict hard_bounce, retry and confidence."""

from __future__ import annotations

import re

import pytest

from bouncefix.model import Action, Confidence, Finding, Kind, Reason
from bouncefix.rules import codemodel, engine
from bouncefix.rules.engine import Match, Verdict, conclude
from bouncefix.rules.loader import Rule, load_reasons, load_rules

#: a step telling the user to drop this address (list-hygiene advice about other
#: addresses, "remove addresses that bounce", is not)
_REMOVE = re.compile(
    r"(?i)\bremove (?:the|this) (?:e-?mail )?address\b(?! from (?:their|the autocomplete))"
    r"|\bremove it from your (?:lists?|mailing)"
    r"|\bstop (?:sending|mailing) to (?:the|this) address\b|\bstop sending to ann@example\.org"
    r"|treat (?:the|this) address as (?:abandoned|dead|gone)|\bsuppress (?:the|this) address")
#: a removal that waits for evidence ("if it keeps bouncing for weeks, remove ...")
_CONDITIONAL = re.compile(
    r"(?i)\b(?:if|once|when|after)\b[^.]{0,80}\b(?:weeks?|days?|persists?|repeats?|keeps?|"
    r"stays?|continues?|again|gone|no longer|closed|abandoned|confirm\w*|is not in use)\b")
#: a step telling the user to try the same thing again later
_RETRY_LATER = re.compile(r"(?i)\b(?:try again later|resend later|retry later)\b")

_MOMENTS = {
    "permanent": dict(reply_code="550", status="5.0.0", action=Action.FAILED,
                      kind=Kind.BOUNCE),
    "temporary": dict(reply_code="450", status="4.0.0", action=Action.FAILED, kind=Kind.BOUNCE),
    "delay": dict(reply_code="451", status="4.0.0", action=Action.DELAYED, kind=Kind.DELAY),
}


def _verdicts() -> list[object]:
    cases = []
    for rule in load_rules():
        for confidence in (Confidence.HIGH, Confidence.LOW):
            cases.append(pytest.param(
                Verdict(rule.reason, rule.id, confidence, Match(rule, "")),
                id=f"{rule.id}-{confidence.value}"))
    for reason in Reason:
        cases.append(pytest.param(Verdict(reason, f"reason.{reason.value}", Confidence.MEDIUM),
                                  id=f"reason.{reason.value}"))
    return cases


def _finding(moment: str, rule: Rule | None) -> tuple[Finding, Kind]:
    spec = dict(_MOMENTS[moment])
    kind = spec.pop("kind")
    parser = rule.parser[0] if rule and rule.parser else "postfix"
    return Finding(address="ann@example.org", diagnostic="550 refused", parser=parser,
                   **spec), kind  # type: ignore[arg-type]


@pytest.mark.parametrize("moment", sorted(_MOMENTS))
@pytest.mark.parametrize("verdict", _verdicts())
def test_steps_agree_with_the_flags(verdict: Verdict, moment: str) -> None:
    rule = verdict.match.rule if verdict.match else None
    finding, kind = _finding(moment, rule)
    diagnosis = conclude(finding, verdict, kind, "me@example.com")
    text = " | ".join(diagnosis.fix)
    if verdict.confidence is Confidence.LOW:
        assert not diagnosis.hard_bounce
    if moment != "permanent" and not (rule and rule.final):
        assert not diagnosis.hard_bounce, "a temporary failure is never hard"
    if moment == "delay" and not (rule and rule.final):
        assert diagnosis.retry_when == "later", diagnosis.retry
    if not diagnosis.hard_bounce and verdict.reason not in (Reason.FEEDBACK, Reason.SUPPRESSED):
        for step in diagnosis.fix:
            assert not (_REMOVE.search(step) and not _CONDITIONAL.search(step)), (
                f"soft diagnosis tells to drop the address: {step!r}")
    if diagnosis.hard_bounce:
        assert diagnosis.retry_when == "never", diagnosis.retry
        assert not _RETRY_LATER.search(text), text
    assert "{" not in text and "<" not in re.sub(r"`[^`]*`", "", text.replace("<-", "")), text
    assert diagnosis.fix, "every diagnosis says what to do"


def test_feedback_is_flagged_for_suppression() -> None:
    finding = Finding(address="ann@example.org", reason_hint=Reason.FEEDBACK,
                      feedback_type="abuse", parser="arf")
    diagnosis = engine.diagnose(finding, Kind.FEEDBACK)
    assert diagnosis.suppress and not diagnosis.hard_bounce
    assert any(_REMOVE.search(step) for step in diagnosis.fix)


def test_null_mx_is_hard_and_never_retried_under_a_temporary_code() -> None:
    finding = Finding(address="ann@example.org", reply_code="450", status="4.1.10",
                      diagnostic="450 4.1.10 Recipient domain has a null MX (RFC 7505)",
                      parser="postfix")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.NOTACCEPT
    assert diagnosis.hard_bounce and diagnosis.retry_when == "never"


@pytest.mark.parametrize("words", [
    "550 5.4.4 <ann@example.org>: the MX records of example.org point to non-existent hosts",
    "Host or domain name not found. Name service error for name=mx9.example.org type=AAAA:"
    " Host not found",
])
def test_a_domain_whose_mx_names_missing_hosts_is_told_apart_from_a_missing_one(
        words: str) -> None:
    finding = Finding(address="ann@example.org", diagnostic=words, parser="postfix")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.HOSTUNKNOWN and diagnosis.hard_bounce
    assert diagnosis.rule == "generic.hostunknown.broken-mx"
    assert any("MX record" in step for step in diagnosis.fix)
    # the domain itself missing: Postfix then names the domain, not a host of it
    missing = Finding(address="ann@example.org", parser="postfix", diagnostic=(
        "Host or domain name not found. Name service error for name=example.org type=A:"
        " Host not found"))
    assert engine.diagnose(missing).rule == "generic.hostunknown.text"


def test_every_code_model_entry_has_a_reason_at_every_stage() -> None:
    model = codemodel.load_model()
    registered = [code for code in model.details if code.count(".") == 2]
    count = 0
    for code in registered:
        for klass in ("4", "5"):
            for stage in (None, *codemodel.STAGES):
                status = f"{klass}{code[1:]}"
                verdict = codemodel.judge(status, None, stage)
                assert verdict is not None and verdict.reason is not Reason.UNDEFINED
                info = load_reasons()[verdict.reason]
                if klass == "4":  # a temporary failure is never a hard bounce
                    finding = Finding(address="a@example.org", status=status, parser="postfix")
                    diagnosis = conclude(finding, engine._from_code(verdict, finding))
                    assert not diagnosis.hard_bounce, (status, stage)
                count += 1
                assert info.title
    assert count >= 2 * 8 * 100


def test_a_sending_service_that_did_not_send_outranks_the_status_it_echoes() -> None:
    # the 5.1.1 is the service's memory of an earlier bounce, not a server's answer now
    finding = Finding(address="ann@example.org", reply_code="550", status="5.1.1",
                      diagnostic="550 5.1.1 not sent: the address is on the suppression list "
                                 "because it bounced earlier as an unknown user",
                      parser="pasted")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.SUPPRESSED and not diagnosis.hard_bounce


def test_of_two_framing_phrases_the_one_the_code_agrees_with_decides() -> None:
    # "refused to talk to me" frames a block, "service not available" the service; a
    # 4.3.2 (the system takes no mail now) sides with the second
    finding = Finding(address="ann@example.org", reply_code="421", status="4.3.2",
                      diagnostic="host mx.example.org[192.0.2.25] refused to talk to me: "
                                 "421 4.3.2 Service not available, closing transmission "
                                 "channel", parser="postfix")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.SYSTEMERROR and not diagnosis.hard_bounce
    # with nothing else to go by, the first framing words still speak (only a guess)
    finding = finding.with_changes(status=None, reply_code="554",
                                   diagnostic="host mx.example.org[192.0.2.25] refused "
                                              "to talk to me: 554 go away")
    assert engine.diagnose(finding).reason is Reason.BLOCKED


def test_a_bare_451_at_rcpt_is_read_as_greylisting_and_only_a_guess() -> None:
    finding = Finding(address="ann@example.org", reply_code="451", smtp_command="RCPT",
                      diagnostic="451 Try again later", parser="postfix")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.SPEEDING and diagnosis.confidence is Confidence.LOW
    assert not diagnosis.hard_bounce
    # elsewhere 451 keeps its registry meaning, a local error at the receiver
    finding = finding.with_changes(smtp_command="DATA")
    assert engine.diagnose(finding).reason is Reason.SYSTEMERROR


@pytest.mark.parametrize("words", [
    'Got "550 5.1.1 <ann@example.org>: user unknown" back, but the address is correct.',
    "550 5.1.1 <ann@example.org>: no such user -- strange, it worked last week",
    # other mail to the same address arrives
    "550 5.1.1 <ann@example.org>: no such user, but mail from my Outlook account to ann@ "
    "gets through",
])
def test_a_paste_that_vouches_for_the_address_never_drops_it(words: str) -> None:
    finding = Finding(address="ann@example.org", reply_code="550", status="5.1.1",
                      diagnostic=words, parser="pasted")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.USERUNKNOWN and not diagnosis.hard_bounce
    assert "confirm it with the recipient" in (diagnosis.confidence_note or "")


def test_a_temporary_reply_is_never_hard_whatever_status_it_carries() -> None:
    finding = Finding(address="ann@example.org", reply_code="451", status="5.1.1",
                      diagnostic="451 5.1.1 <ann@example.org>: no such user here (try later)",
                      parser="pasted")
    assert not engine.diagnose(finding).hard_bounce


def test_a_full_mailbox_code_beside_unknown_user_words_is_only_a_guess() -> None:
    finding = Finding(address="ann@example.org", reply_code="552", status="5.2.2",
                      diagnostic="552 5.2.2 <ann@example.org>: no such user", parser="postfix")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.confidence is Confidence.LOW and not diagnosis.hard_bounce


@pytest.mark.parametrize("words", [
    "550 unknown domain or unknown recipient",
    # the second cause as a clause of its own
    "550 Either there is no group with this name, or you aren't allowed to post to it.",
    "550 There is no list with that name, or you may not be allowed to post to it.",
])
def test_two_causes_offered_as_alternatives_are_only_a_guess(words: str) -> None:
    finding = Finding(address="team@example.org", diagnostic=words, parser="generic",
                      action=Action.FAILED)
    diagnosis = engine.diagnose(finding)
    assert diagnosis.confidence is Confidence.LOW and not diagnosis.hard_bounce


def test_a_provider_reply_documented_for_two_causes_is_only_a_guess() -> None:
    # every rule that says so is a best guess that never drops the address
    ambiguous = [rule for rule in load_rules() if rule.ambiguous]
    assert ambiguous
    finding = Finding(address="mika@docomo.ne.jp", reply_code="550", smtp_command="RCPT",
                      diagnostic="550 Unknown user mika@docomo.ne.jp", parser="sendmail",
                      remote_mta="mfsmax.docomo.ne.jp", action=Action.FAILED)
    diagnosis = engine.diagnose(finding)
    assert diagnosis.rule == "docomo.userunknown.or-reception-settings"
    assert diagnosis.confidence is Confidence.LOW and not diagnosis.hard_bounce
    assert not diagnosis.suppress


def test_a_few_typed_words_with_no_code_or_address_are_a_best_guess() -> None:
    for words, reason in (("no such user", Reason.USERUNKNOWN),
                          ("domain not found", Reason.HOSTUNKNOWN)):
        finding = Finding(diagnostic=words, parser="pasted")
        diagnosis = engine.diagnose(finding)
        assert diagnosis.reason is reason and diagnosis.confidence is Confidence.LOW
        assert not diagnosis.hard_bounce
    # the same words naming the address are about that address
    named = Finding(address="ann@example.org", diagnostic="no such user", parser="pasted")
    assert engine.diagnose(named).hard_bounce


def test_a_single_typed_word_is_a_best_guess_and_decides_nothing_in_a_longer_reply() -> None:
    # typed alone, the word names the cause as the user remembers it
    for words, reason in (("time-out", Reason.NETWORKERROR), ("storage full", Reason.MAILBOXFULL),
                          ("message too large", Reason.MESGTOOBIG),
                          ("DKIM/DMARC failure", Reason.AUTHFAILURE),
                          ("SSL handshake failed", Reason.FAILEDSTARTTLS),
                          ("invalid mailbox", Reason.USERUNKNOWN)):
        diagnosis = engine.diagnose(Finding(diagnostic=words, parser="pasted"))
        assert diagnosis.reason is reason and diagnosis.confidence is Confidence.LOW, words
        assert not diagnosis.hard_bounce
    # inside a reply the same word is no cause of its own ("quota" of a sending account)
    finding = Finding(reply_code="550", status="5.7.1", parser="pasted",
                      diagnostic="550 5.7.1 Message refused: your daily sending quota ran out")
    assert engine.diagnose(finding).reason is not Reason.MAILBOXFULL


def test_unknown_user_after_data_with_a_mailbox_code_is_an_unknown_user() -> None:
    from bouncefix.rules import codemodel

    assert codemodel.at_stage(Reason.USERUNKNOWN, "DATA", "5.1.1") is Reason.USERUNKNOWN
    assert codemodel.at_stage(Reason.USERUNKNOWN, "DATA", "5.7.1") is Reason.FILTERED
    assert codemodel.at_stage(Reason.USERUNKNOWN, "DATA", None) is Reason.FILTERED


@pytest.mark.parametrize(("words", "reason"), [
    # the account block stays the diagnosis whatever it was imposed for
    ("We've temporarily restricted sending from your account because we noticed unusual "
     "activity that looks like spam.", Reason.SECURITYERROR),
    ("Sending from your account is suspended because your messages look like spam.",
     Reason.SECURITYERROR),
    # a counted rate makes it a rate limit, not an account block
    ("4.7.1 You have sent too many messages in the last hour; sending from this account is "
     "paused for a while.", Reason.SPEEDING),
])
def test_the_senders_own_account_held_back(words: str, reason: Reason) -> None:
    diagnosis = engine.diagnose(Finding(diagnostic=words, parser="pasted"))
    assert diagnosis.reason is reason and not diagnosis.hard_bounce


def test_ip_inside_another_word_is_no_ip_address() -> None:
    # ".zip" and "VoIP" hold the letters IP, but no refused address
    finding = Finding(address="ann@example.org", reply_code="550", status="5.7.1",
                      diagnostic="550 5.7.1 Message rejected: .zip attachments are not "
                                 "permitted here", parser="pasted")
    assert engine.diagnose(finding).reason is Reason.POLICYVIOLATION
    finding = finding.with_changes(diagnostic="550 5.7.1 your IP 192.0.2.7 is not permitted")
    assert engine.diagnose(finding).reason is Reason.BLOCKED


def test_a_reply_code_that_names_its_cause_outranks_a_detail_that_names_none() -> None:
    # "530 5.7.0" from a receiving server at MAIL FROM: TLS required first (RFC 3207);
    # X.7.0 ("other security status") would only have said the sender was refused
    assert codemodel.judge("5.7.0", "530", "MAIL") == codemodel.CodeVerdict(
        Reason.FAILEDSTARTTLS, Confidence.LOW, specific=False, basis="530@MAIL")
    finding = Finding(address="ann@example.org", reply_code="530", status="5.7.0",
                      smtp_command="MAIL", diagnostic="530 5.7.0", parser="postfix")
    diagnosis = engine.diagnose(finding)
    assert diagnosis.reason is Reason.FAILEDSTARTTLS and not diagnosis.hard_bounce
    # a detail of its own still decides: 5.7.8 is a refused login
    assert codemodel.judge("5.7.8", "535", "AUTH").reason is Reason.SECURITYERROR


@pytest.mark.parametrize(("words", "status", "reply", "reason"), [
    # a server that answered with a policy code refused the connecting server
    ("host mx.example.net[192.0.2.40] refused to talk to me: 550 5.7.1 Connection refused",
     "5.7.1", "550", Reason.BLOCKED),
    # no reply at all: the network failed
    ("connect to mx.example.net[192.0.2.40]:25: Connection refused", None, None,
     Reason.NETWORKERROR),
    # a reply the sending server wrote about the transport (X.4.x): still the network
    ("451 4.4.1 Connection refused by the remote host, will retry", "4.4.1", "451",
     Reason.NETWORKERROR),
])
def test_a_refused_connection_is_the_network_only_when_no_policy_code_says_otherwise(
        words: str, status: str | None, reply: str | None, reason: Reason) -> None:
    finding = Finding(address="ann@example.org", reply_code=reply, status=status,
                      diagnostic=words, parser="pasted")
    assert engine.diagnose(finding).reason is reason


@pytest.mark.parametrize("words", [
    "The form says the message could not be sent. Nothing in the error log, nothing in spam.",
    "Mail to ann@example.org never arrives. She checked her inbox and checked the spam too.",
])
def test_a_spam_folder_someone_searched_is_no_spam_verdict(words: str) -> None:
    diagnosis = engine.diagnose(Finding(diagnostic=words, parser="pasted"))
    assert diagnosis.reason is not Reason.SPAMDETECTED


@pytest.mark.parametrize(("command", "reason"), [
    ("DATA", Reason.NOTCOMPLIANTRFC),  # a line of the message over the limit
    ("RCPT", Reason.SYNTAXERROR),  # a command line over the limit
])
def test_a_line_too_long_is_the_message_after_data_and_the_command_before(
        command: str, reason: Reason) -> None:
    finding = Finding(address="ann@example.org", reply_code="500", smtp_command=command,
                      diagnostic="500 Line too long", parser="postfix")
    assert engine.diagnose(finding).reason is reason


def test_every_way_of_vouching_holds_a_word_checked_before_the_pattern() -> None:
    """_vouched looks for VOUCH_WORDS before it runs _VOUCHED: sound only if every match
    of every alternative holds one, which the regex parser's conditions show."""
    import re as _re

    from bouncefix import literals

    tree = literals.sre_parse.parse(engine._VOUCHED.pattern, _re.IGNORECASE)
    # (the parser moves the "\b" every alternative starts with in front of them)
    items = [item for item in tree.data if item[0] is not literals.sre_constants.AT]
    branches = literals._branches(items)
    assert len(branches) >= 6
    for branch in branches:
        clauses = literals._clauses(branch, 0, True, True)
        assert any(all(any(word in literal for word in engine.VOUCH_WORDS) for literal in clause)
                   for clause in clauses), branch[:3]


def test_a_ptr_field_in_an_antispam_report_is_no_reverse_dns_refusal() -> None:
    words = ("Message was quarantined. Reason: High confidence spam. X-Forefront-Antispam-Report: "
             "CIP:192.0.2.3;SFV:SPM;H:mailer.example.net;PTR:mailer.example.net;CAT:HSPM;")
    diagnosis = engine.diagnose(Finding(diagnostic=words, parser="pasted"))
    assert diagnosis.reason is not Reason.REQUIREPTR
    assert engine.diagnose(Finding(diagnostic="550 5.7.25 No PTR record for 192.0.2.3",
                                   parser="pasted")).reason is Reason.REQUIREPTR
