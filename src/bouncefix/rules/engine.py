"""The rule engine: one Finding in, one Diagnosis out. Precedence lives here only.

Order of evidence, strongest first:
1. the report's structure (a feedback report, an auto-reply, a delivered DSN);
2. rules for the receiving provider (recognised from host names and marker words) or
   for the parser that read the report (tier 0);
3. generic text rules whose words name a cause (role ``cause``). Matches inside hedges
   and advice ("this may be caused by ...", "please check your SPF") do not count. When
   several causes match, the one the codes agree with wins (a specific enhanced code or
   the reply code at its SMTP stage), then the earlier rule;
4. a reason the family parser read from its own fixed sentences (``reason_hint``);
5. framing words ("Recipient address rejected:"), unless a specific enhanced code says
   more; then wrapper words ("retry timeout exceeded"), unless the codes say more;
6. a cause the report only offers as possible (hedged), as a low-confidence guess, unless
   the codes say more; then the code model (codemodel.py): enhanced code detail,
   subject, reply code and class, read at the SMTP stage;
7. ``onhold`` when the report has words but no code, else ``undefined``.

Every diagnosis carries a confidence (high: words we know name the cause; medium: codes
and stage, or framing words; low: a class, conflicting signals or nothing) and its advice
comes from one decision: the reason, the rule, whether the failure is temporary or a
delay, and the confidence. A low-confidence answer is never a hard bounce.
"""

# (no "from __future__ import annotations": NamedTuple would compile each field's
# annotation from its string at start-up)

from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from bouncefix.regex import lazy

from ..datafiles import bundled
from ..mime.textcodec import lower_for_matching
from ..model import Action, Confidence, Diagnosis, Finding, Kind, Reason
from ..sanitize import one_line
from . import codemodel, hedges, placeholders, typos
from .conditions import command_allows, parser_allows, reply_allows, status_allows
from .index import BUNDLED as ANCHOR_TABLE
from .index import RuleIndex
from .loader import Rule, Ruleset, load_reasons, load_ruleset
from .prefilter import Found, LazyPattern

MAX_MATCH_TEXT = 8000
_STRUCTURAL = {Reason.FEEDBACK, Reason.VACATION, Reason.DELIVERED}
#: the parser of automatic replies (parse/autoreply.py)
_AUTO_REPLY_PARSER = "rfc3834"
#: the verdict on an automatic reply from someone gone for good (fix steps "[departed]")
DEPARTED = "structure.vacation.departed"
_NOT_FAILED = {Action.DELIVERED, Action.RELAYED, Action.EXPANDED}
_IPV4 = lazy(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = lazy(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")


class Match(NamedTuple):
    """A rule whose conditions all hold, with its text match ('' without text)."""

    rule: Rule
    found: Found | str


class Verdict(NamedTuple):
    """What the evidence concludes, before the advice is worked out."""

    reason: Reason
    rule_id: str
    confidence: Confidence
    match: Match | None = None
    note: str | None = None


def diagnose(finding: Finding, kind: Kind = Kind.BOUNCE, sender: str | None = None) -> Diagnosis:
    """Conclude the reason, hardness, status, cause and fix of one finding. `sender`:
    the original sender's address, when the report shows it (for the advice)."""
    return conclude(finding, _doubted(judge(finding, kind), finding), kind, sender)


def _doubted(verdict: Verdict, finding: Finding) -> Verdict:
    """A pasted fragment whose words cannot be taken as the notice's own (a few words
    alone, a text cut off, a person retelling it) is a best guess, never grounds to drop
    an address: the first doubt that applies is the note."""
    if finding.parser not in FRAGMENT_PARSERS or verdict.confidence is Confidence.LOW:
        return verdict
    note = (_thin(finding) or _cut(finding) or _hearsay(finding, verdict)
            or _vouched(finding, verdict))
    return verdict if note is None else verdict._replace(confidence=Confidence.LOW, note=note)


# The person pasting vouches for the address: "The address is correct, I checked", "it
# worked last week", "I've written to her many times before"
_VOUCHED = lazy(
    r"(?i)\b(?:the |this |her |his |their )?(?:e-?mail )?address (?:is|was) (?:definitely |surely |"
    r"100 ?% )?(?:correct|right|valid|fine|\bok)\b|\bi (?:have |'ve )?(?:double[- ]?)?checked (?:the |"
    r"their |her |his )?(?:e-?mail )?address|\b(?:the )?address (?:definitely |does )?exists?\b"
    r"|\bit (?:worked|has worked|was working|used to work) (?:before|last (?:week|month)|yesterday|fine)"
    r"|\bi(?:'ve| have) (?:written|sent|mailed|e-?mailed) (?:to )?(?:them|her|him|this address)"
    r"(?: \S{1,20}){0,3} before"
    # other mail to the same address arrives: "mail from my Gmail to info@ works fine"
    r"|\b(?:mail|e-?mails?|messages?) (?:from (?:my |our |a |an |another |other |the )?\S{1,30}"
    r"(?: account)? )?to (?:it|them|her|him|that address|this address|the same address"
    r"|[\w.+-]{1,64}@[\w.-]{0,255}) (?:works?|arrives?|gets? through|goes? through|gets? delivered"
    r"|is delivered|are delivered)\b"
)


#: a word every alternative of _VOUCHED holds (checked first: most replies hold none, and
#: then the pattern is not even compiled; tests/test_advice.py checks the list)
VOUCH_WORDS = ("correct", "right", "valid", "fine", "ok", "checked", "exist", "work",
               "written", "sent", "mailed", "arriv", "through", "deliver")


def _vouched(finding: Finding, verdict: Verdict) -> str | None:
    """A paste whose writer vouches for the address the server calls unknown: the two
    disagree, so the address is not dropped on the server's word alone."""
    if not load_reasons()[verdict.reason].hard:
        return None
    words = (finding.diagnostic or "")[:4000]
    lowered = words.lower()
    if not any(word in lowered for word in VOUCH_WORDS) or not any(
            not _CONDITIONAL_BEFORE.search(words, max(0, m.start() - 60), m.start())
            for m in _VOUCHED.finditer(words)):
        return None
    return ("you say the address is right, the server says it is not: confirm it with "
            "the recipient by another channel before removing it")


# a condition or a request, not a claim: the server's own "If you are certain the address
# is right, ...", "Please confirm the address is correct and send again"
_CONDITIONAL_BEFORE = lazy(r"(?i)\b(?:if|whether|unless|in case)\b[^.!?\n]{0,50}\Z"
                           r"|\b(?:confirm|check|verify|make sure|ensure|be sure)(?: that)?[ \t]+\Z")


# Someone telling what the notice said, in their own words: "gmail said the address
# wasn't found", "da steht irgendwas von wegen ...", "something like user unknown"
_HEARSAY = lazy(
    r"(?i)\b(?:it|gmail|outlook|yahoo|the (?:message|e-?mail|mail|bounce|error|notice|server|"
    r"system|app|phone)|they|she|he)[ \t]+(?:said|says|told me|tells me)\b"
    r"|\bsomething (?:like|about|along the lines)|\b(?:irgendwas|irgendetwas|so etwas|sowas) "
    r"(?:wie|von wegen|mit)|\bvon wegen\b|\balgo (?:como|así|asi|de que|sobre)\b"
    r"|\bquelque chose comme|\bun truc (?:comme|du genre)|\bqualcosa (?:tipo|come)\b"
    r"|\balguma coisa (?:como|tipo|sobre)|\bi think it said|\bif i remember"
)


#: how far after "it said" the retold words may start (the rest of that sentence)
_RETOLD_REACH = 120


def _hearsay(finding: Finding, verdict: Verdict) -> str | None:
    """Pasted words that retell the notice (no code, a person's "it said something
    like ...") are someone's account of it, not its words. Where the rule's words are
    known, only when they are the retelling: they follow "it said" closely, not a row of
    the report pasted before the question ("...,Non-existent address ... it says
    non-existent, why?")."""
    if finding.status or finding.reply_code:
        return None
    found = verdict.match.found if verdict.match is not None else None
    start = None if found is None or isinstance(found, str) else found.start()
    for told in _HEARSAY.finditer((finding.diagnostic or "")[:4000]):
        if start is None or told.start() <= start <= told.end() + _RETOLD_REACH:
            return "someone's own account of the notice, not its words"
    return None


#: a pasted fragment of at most this many words, with no code, is thin evidence
THIN_WORDS = 3


def _thin(finding: Finding) -> str | None:
    """A few words typed or copied on their own ("user unknown", "no such domain"), with
    no code, no address and no report around them."""
    words = finding.diagnostic or ""
    if (finding.status or finding.reply_code or finding.address
            or len(words) > 40 or not words.isascii() or len(words.split()) > THIN_WORDS):
        return None
    return "only a few words to go by, with no code and no report"


#: a paste cut off mid-word ends in one of these ("Host not fo…")
_CUT_MARKS = ("…", "...")


def _cut(finding: Finding) -> str | None:
    """A pasted text cut off mid-word ("... type=AAAA: Host not fo…", copied from a
    narrow window) may have lost the words that change the answer ("Host not found, try
    again" is temporary)."""
    words = (finding.diagnostic or "").rstrip()
    if not words.endswith(_CUT_MARKS) or not words.rstrip(".…")[-1:].isalnum():
        return None
    return "the text is cut off; what followed may change the answer"


def judge(finding: Finding, kind: Kind = Kind.BOUNCE) -> Verdict:
    """The reason for one finding and how sure it is (see the module text). When no
    words of a rule match, the words are asked again with misspellings read as the
    words meant (spelling.py): a reply retyped by hand."""
    verdict = _judge(finding, kind)
    if not verdict.rule_id.startswith(_NO_WORDS) or not finding.diagnostic:
        return verdict
    from . import spelling

    written = finding.diagnostic[:MAX_MATCH_TEXT]
    completed = _completed(finding, kind, spelling.completions(written))
    if completed is not None:
        return completed
    spans = hedges.hedged_spans(written)
    # (a hedge's words are left out, not retyped: "This can be caused by ..." read with
    # "cause" would no longer say that it only guesses)
    retyped = spelling.corrected(hedges.blank(written, spans) if spans else written)
    if retyped is None:
        return verdict
    words, changes = retyped
    again = _judge(finding.with_changes(diagnostic=words), kind)
    if again.rule_id.startswith(_NO_WORDS) or (
            verdict.rule_id.startswith("code.") and verdict.confidence is not Confidence.LOW
            and again.reason is not verdict.reason):
        return verdict  # (a code that names a cause outweighs a guess at a misspelling)
    read = ", ".join(f'"{written}" as "{meant}"' for written, meant in changes)
    return again._replace(confidence=min(again.confidence, Confidence.MEDIUM, key=_SURE.index),
                          note=f"read with {read}: the words look mistyped")


def _completed(finding: Finding, kind: Kind,
               cut: tuple[tuple[int, int], list[str]] | None) -> Verdict | None:
    """A reply cut off in the middle of a word ("Relay access den…"), read with each rule
    word that word may be the start of: the verdict when every completion a rule's words
    match names the same reason (always low confidence: the rest is not known)."""
    if cut is None:
        return None
    (begin, end), words = cut
    written = finding.diagnostic or ""
    start = written[begin:end].rstrip(" \t.…")
    verdicts = []
    for word in words:
        again = _judge(finding.with_changes(diagnostic=f"{written[:begin]}{word}{written[end:]}"),
                       kind)
        if not again.rule_id.startswith(_NO_WORDS):
            verdicts.append((word, again))
    if not verdicts or len({v.reason for _, v in verdicts}) != 1:
        return None
    word, verdict = verdicts[0]
    return verdict._replace(confidence=Confidence.LOW,
                            note=f'the text is cut off: "{one_line(start)}…" read as "{word}"; '
                                 "what followed may change the answer")


#: verdicts that no rule's words gave
_NO_WORDS = ("code.", "fallback.")
_SURE = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]


def _judge(finding: Finding, kind: Kind = Kind.BOUNCE) -> Verdict:
    structural = finding.reason_hint
    if structural is Reason.HASMOVED and finding.parser == _AUTO_REPLY_PARSER:
        # an automatic reply saying the person is gone for good: delivered, not bounced,
        # but the address reaches no one (whether to drop it is the sender's call)
        return Verdict(Reason.VACATION, DEPARTED, Confidence.HIGH)
    if structural is not None and structural in _STRUCTURAL:
        return Verdict(structural, f"structure.{structural.value}", Confidence.HIGH)
    if finding.action in _NOT_FAILED:
        return Verdict(Reason.DELIVERED, "structure.delivered", Confidence.HIGH)
    words = (finding.diagnostic or "")[:MAX_MATCH_TEXT]
    lowered = lower_for_matching(words)
    stage = codemodel.stage_of(finding.smtp_command, finding.reply_code, lowered)
    final = is_final(finding, kind)
    code = codemodel.judge(finding.status, finding.reply_code, stage, final)
    matched = text_matches(finding, words, lowered, kind)
    found = _unhedged(matched, words, finding, kind)
    quoted = _server_quoted(finding, words, found, kind, code)
    if quoted is not None:
        words, lowered, matched, found = quoted
    specific = [m for m in found if m.rule.tier == 0 and m.rule.role == "cause"]
    if specific:
        rule = specific[0].rule
        verdict = Verdict(rule.reason, rule.id,
                          Confidence.LOW if rule.ambiguous else Confidence.HIGH,
                          specific[0], rule.ambiguous)
        return _against_the_words(verdict, found)
    causes = [m for m in found if m.rule.role == "cause"]
    if causes:
        stated = code if code is not None and finding.status and finding.status in words else None
        verdict = _from_causes(causes, stated, words, stage, finding.status)
        framed = next((m for m in found if m.rule.tier == 0 and m.rule.role == "frame"
                       and m.rule.reason is verdict.reason), None)
        if framed is not None:  # the same conclusion, in the provider's own explanation
            verdict = verdict._replace(rule_id=framed.rule.id, match=framed)
        return _at_stage(verdict, stage, finding.status)
    hint = finding.reason_hint
    if hint is not None and hint is not Reason.EXPIRED:  # "expired" only wraps a cause
        # (a rule whose words reach the same conclusion explains it in its own terms)
        same = next((m for m in found if m.rule.reason is hint), None)
        return _at_stage(Verdict(hint, same.rule.id if same else f"parser.{finding.parser}",
                                 Confidence.HIGH, same), stage, finding.status)
    frames = [m for m in found if m.rule.role == "frame"]
    if frames and frames[0].rule.tier == 0:  # the provider's own general wording
        return Verdict(frames[0].rule.reason, frames[0].rule.id, Confidence.MEDIUM, frames[0],
                       "the provider's general wording; no words name a particular cause")
    if frames:
        # of several framing words, those the code agrees with ("refused to talk to me"
        # and "service not available" with 4.3.2: the service, not a block)
        frame = next((m for m in frames if code is not None and m.rule.reason is code.reason),
                     frames[0])
        if code is None or code.confidence is Confidence.LOW:
            return Verdict(frame.rule.reason, frame.rule.id, Confidence.LOW, frame,
                           "the words say only that the message was refused or not sent, not why")
        if code.reason is frame.rule.reason:
            return Verdict(frame.rule.reason, frame.rule.id, code.confidence, frame,
                           f"framing words and {code.basis.replace('@', ' at ')} agree; "
                           "no words name the cause")
    # wrapper words and an "expired" hint say delivery gave up, not why: codes that
    # name a cause at their stage say more
    codes_say_more = (code is not None and code.confidence is Confidence.MEDIUM
                      and code.reason is not Reason.EXPIRED)
    if hint is Reason.EXPIRED and not codes_say_more:
        return Verdict(hint, f"parser.{finding.parser}", Confidence.HIGH)
    wrappers = [m for m in found if m.rule.role == "wrapper"]
    if wrappers and not codes_say_more:
        return Verdict(wrappers[0].rule.reason, wrappers[0].rule.id, Confidence.MEDIUM,
                       wrappers[0], "the words say only that delivery gave up, not why")
    # (a report's own hedges; in pasted text they are as often a person's question)
    guess = None if finding.parser in FRAGMENT_PARSERS else _hedged_guess(matched, found, code)
    if guess is not None:
        return guess
    if code is not None:
        return _from_code(code, finding)
    if finding.diagnostic or finding.esp_type:
        # words that name no known cause and no code to go by, or a sending service's
        # event with neither ("bounceType": "Undetermined"): the verdict is open
        return Verdict(Reason.ONHOLD, "fallback.onhold", Confidence.LOW,
                       note="the report names no cause we know and carries no code"
                       if finding.diagnostic else
                       "the sending service reports a bounce but no reply and no reason")
    return Verdict(Reason.UNDEFINED, "fallback.undefined", Confidence.LOW,
                   note="the report states no code and no reason")


# a client's own error message quoting the server's reply after its own words: "The
# SMTP server requires a secure connection or the client was not authenticated. The
# server response was: 5.7.3 STARTTLS is required" (.NET), "server replied: 550 ..."
_SERVER_SAID = lazy(r"(?i)\b(?:the )?(?:smtp |mail |remote )?server(?:'s)? (?:response|reply|answer)"
                    r" (?:was|is)[ \t]*:|\b(?:the )?(?:smtp |mail |remote )?server (?:said|replied"
                    r"|responded|answered)[ \t]*:")


_CODED_REPLY = lazy(r"(?<![\w.])[45][0-5]\d[ -][45]\.\d{1,3}\.\d{1,3}\b")


def _server_quoted(finding: Finding, words: str, found: list[Match], kind: Kind,
                   code: codemodel.CodeVerdict | None = None,
                   ) -> tuple[str, str, list[Match], list[Match]] | None:
    """Where a client's message names causes of its own and then quotes the server
    (after "The server response was:", or a reply with its codes), and the server's
    words name a cause, those decide: the client's words are a guess (.NET's "a secure
    connection or ... not authenticated" for any 5.7.x, Outlook's "internal error").
    So does the quoted reply's code where its words name none but the code model reads
    a cause from it (`code`: "The server responded: 535 Incorrect authentication data"
    behind Outlook's "internal error")."""
    if not any(m.rule.role == "cause" for m in found) or any(m.rule.tier == 0 for m in found):
        return None  # (a provider's or a parser's own rule has read the whole already)
    said = _SERVER_SAID.search(words) if "server" in words.lower() else None
    start = said.end() if said is not None and said.start() > 0 else None
    if start is None:  # (the lead may be cut as advice: where the server's reply starts)
        coded = _CODED_REPLY.search(words)
        start = coded.start() if coded is not None and coded.start() > 0 else None
    if start is None:
        return None
    tail = words[start:]
    lowered = lower_for_matching(tail)
    matched = text_matches(finding, tail, lowered, kind)
    found_after = _unhedged(matched, tail, finding, kind)
    if not any(m.rule.role == "cause" for m in found_after):
        # (only after the client's explicit "the server responded:", and only when the
        # quoted reply is the one the code was read from)
        spoken = (said is not None and start == said.end() and code is not None
                  and code.confidence is not Confidence.LOW and bool(finding.reply_code)
                  and tail.lstrip(" \t'\"").startswith(finding.reply_code or ""))
        return (tail, lowered, matched, found_after) if spoken else None
    return tail, lowered, matched, found_after


#: parsers of text pasted on its own (no report around it): never a statement that the
#: sending server gave up
FRAGMENT_PARSERS = frozenset({"pasted"})


def _against_the_words(verdict: Verdict, found: list[Match]) -> Verdict:
    """A provider's or parser's rule that would drop the address, while the words name
    another cause that would not ("OFR_416" beside "content classified as spam"):
    conflicting signals, so not sure enough to drop the address."""
    reasons = load_reasons()
    if not reasons[verdict.reason].hard or any(
            m.rule.tier != 0 and m.rule.role == "cause" and m.rule.reason is verdict.reason
            for m in found):
        return verdict  # (the words themselves also name the provider's cause)
    other = next((m for m in found if m.rule.tier != 0 and m.rule.role == "cause"
                  and not reasons[m.rule.reason].hard), None)
    if other is None:
        return verdict
    return verdict._replace(confidence=Confidence.LOW,
                            note=f"the provider's code names {verdict.reason.value}, but the "
                                 f"words name {other.rule.reason.value}: conflicting")


def is_final(finding: Finding, kind: Kind) -> bool:
    """Whether the report says delivery ended: a failed recipient of a bounce, read from
    a report (a pasted line alone says nothing about retries)."""
    return (finding.action is Action.FAILED and kind is Kind.BOUNCE
            and finding.parser not in FRAGMENT_PARSERS)


def _at_stage(verdict: Verdict, stage: str | None, status: str | None) -> Verdict:
    """Words about an address, read at the stage they answered (codemodel at_stage)."""
    meant = codemodel.at_stage(verdict.reason, stage, status)
    if meant is verdict.reason:
        return verdict
    if stage is None:
        stage = "MAIL"  # a sender code: see codemodel.at_stage
    return verdict._replace(reason=meant, confidence=min(verdict.confidence, Confidence.MEDIUM,
                                                         key=_CONFIDENCE_ORDER.index),
                            note=f"the words name {verdict.reason.value}, but they answered "
                                 f"{stage}, where they mean {meant.value}")


_CONFIDENCE_ORDER = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]


# "or" between two causes, in the languages of the phrase families
_EITHER = lazy(r"(?i)[ \t]*,?[ \t]*(?:(?:or|and/or|/|o|ou|oder|ó|или|lub|albo|nebo|eller|vagy)"
               r"[ \t]+(?:an?[ \t]+|the[ \t]+)?"
               # the second cause as a clause of its own: "or you aren't allowed to post"
               r"(?:(?:you|we|it|they|the sender|your (?:address|server))[ \t]+"
               r"(?:are|is|were|was|may|might|do|does|did|have|has|can|could)(?:n.t)?"
               r"(?:[ \t]+not)?(?:[ \t]+(?:be|have))?[ \t]+)?"
               r"|(?:或者?|或是|または|또는)[ \t]*)\Z")


def _alternatives(causes: list[Match], words: str) -> bool:
    """Whether the words name two causes as alternatives of each other ("unknown domain
    or unknown recipient"): the reply itself is not sure which one it is."""
    spans = sorted((m.found.start(), m.found.end(), m.rule.reason) for m in causes
                   if not isinstance(m.found, str))
    return any(b[2] is not a[2] and a[1] <= b[0] and b[0] - a[1] <= 40
               and _EITHER.match(words, a[1], b[0]) for a, b in pairwise(spans))


#: codes that say a mailbox or system is out of room: the address itself is fine
_CAPACITY = frozenset({Reason.MAILBOXFULL, Reason.EXCEEDLIMIT, Reason.SYSTEMFULL})


def _from_causes(causes: list[Match], code: codemodel.CodeVerdict | None,
                 words: str = "", stage: str | None = None,
                 status: str | None = None) -> Verdict:
    """Among matching cause rules, the one the codes agree with, else the first; at
    best a guess when the words offer two causes as alternatives. A sending service
    that says it did not send (its suppression list) is decisive: no server answered,
    so its codes only echo an earlier failure."""
    suppressed = next((m for m in causes if m.rule.reason is Reason.SUPPRESSED), None)
    if suppressed is not None:
        return Verdict(Reason.SUPPRESSED, suppressed.rule.id, Confidence.HIGH, suppressed)
    if words and _alternatives(causes, words):
        chosen = next((m for m in causes if code is not None and m.rule.reason is code.reason),
                      causes[0])
        return Verdict(chosen.rule.reason, chosen.rule.id, Confidence.LOW, chosen,
                       "the reply names two possible causes and does not say which one")
    chosen = _stated_cause(causes, words) or causes[0]
    if code is not None and code.specific:
        chosen = next((m for m in causes if m.rule.reason is code.reason), chosen)
    reason = chosen.rule.reason
    if code is not None and code.specific and code.reason is not reason:
        reasons = load_reasons()
        if code.reason in _CAPACITY and reasons[reason].hard:
            # "554 5.2.2 ... user unknown": the code says the mailbox is full, the words
            # that it does not exist: not sure enough to drop the address
            return Verdict(reason, chosen.rule.id, Confidence.LOW, chosen,
                           f"the words name {reason.value}, the code "
                           f"{code.basis.split('@')[0]} {code.reason.value}: conflicting")
        if reasons[code.reason].side != reasons[reason].side:
            if code.provider_detail:  # a code one provider gave one meaning outweighs words
                return Verdict(code.reason, f"code.{code.basis}", Confidence.MEDIUM, None,
                               f"the provider's code {code.basis.split('@')[0]} names this "
                               "cause; the words alone would suggest another")
            # words that would drop the address, against a code that names another
            # side's cause ("Invalid Addresses ... 501 5.5.4 Syntax"): not sure enough
            drops = reasons[codemodel.at_stage(reason, stage, status)].hard
            sure = Confidence.LOW if drops else Confidence.MEDIUM
            return Verdict(reason, chosen.rule.id, sure, chosen,
                           f"the words and the code {code.basis.split('@')[0]} point to "
                           f"different causes")
    return Verdict(reason, chosen.rule.id, Confidence.HIGH, chosen)


# a causal connective just before a cause's words: "rejected because it looks like bulk
# mail", "abgelehnt, weil ...", "rechazado debido a ..."
_BECAUSE = lazy(r"(?i)(?:\bbecause(?: of)?|\bdue to|\bowing to|\bas a result of|\bon account of"
                r"|\bweil|\bwegen|\baufgrund|\bparce que?|\bcar|\ben raison d|\bà cause d"
                r"|\bporque|\bdebido a|\bdevido a|\bperché|\ba causa d|\bпотому что|\bиз-за"
                r"|因为|由于|由於|因為)[^.;:\n]{0,30}\Z")


def _stated_cause(causes: list[Match], words: str) -> Match | None:
    """The cause a reply gives as the reason for another ("Mail from this sender
    rejected because it looks like bulk mail"): the words after "because" say why."""
    if len({m.rule.reason for m in causes}) < 2:
        return None
    spans = [(m.found.start(), m.found.end(), m) for m in causes
             if not isinstance(m.found, str)]
    for start, _end, m in sorted(spans, key=lambda s: s[0]):
        because = _BECAUSE.search(words, max(0, start - 40), start)
        if because is not None and any(
                other_end <= because.start() and other.rule.reason is not m.rule.reason
                for _start, other_end, other in spans):
            # (a block of the sender's own account stays the diagnosis, whatever it was
            # imposed for: "restricted sending from your account because ... spam")
            if any(other_end <= because.start() and other.rule.reason is Reason.SECURITYERROR
                   for _start, other_end, other in spans):
                return None
            return m
    return None


def _hedged_guess(matched: list[Match], found: list[Match],
                  code: codemodel.CodeVerdict | None) -> Verdict | None:
    """A cause a report only offers as possible ("the group may not exist, or you may
    not have permission to post"), when nothing surer is known: a best guess."""
    if code is not None and code.confidence is not Confidence.LOW:
        return None
    kept = {id(m.rule) for m in found}
    hedged = [m for m in matched if m.rule.role == "cause" and id(m.rule) not in kept]
    if not hedged:
        return None
    return Verdict(hedged[0].rule.reason, hedged[0].rule.id, Confidence.LOW, hedged[0],
                   "the report only names possible causes")


def _from_code(code: codemodel.CodeVerdict, finding: Finding) -> Verdict:
    what = code.basis.replace("@", " at ")
    if code.confidence is Confidence.LOW:
        note = f"only {what} to go by, and it has several usual causes"
    elif finding.diagnostic:
        note = f"from {what}; the server's words name no cause we know"
    else:
        note = f"from {what} alone; the report gives no words"
    return Verdict(code.reason, f"code.{code.basis}", code.confidence, note=note)


def text_matches(finding: Finding, words: str, lowered: str, kind: Kind) -> list[Match]:
    """Every rule whose conditions hold for `finding`, in precedence order."""
    occurring: set[str] = set()  # the anchors occurring in `lowered`, filled by candidates()
    candidates = rule_index().candidates(
        finding.parser, finding.status, finding.reply_code, finding.smtp_command, lowered,
        occurring)
    providers: dict[str, bool] = {}  # worked out when a rule first asks
    out = []
    matched: set[str] = set()
    for rule in candidates:
        if rule.id.endswith(LANGUAGES) and rule.id[:-len(LANGUAGES)] in matched:
            continue  # the same cause in other languages: already found in these words
        if rule.provider:
            present = providers.get(rule.provider)
            if present is None:
                present = providers[rule.provider] = provider_present(
                    rule.provider, finding, words, lowered)
            if not present:
                continue
        found = _other_conditions(rule, finding, words, kind, lowered, occurring)
        if found is not None:
            out.append(Match(rule, found))
            matched.add(rule.id)
    return out


#: the suffix of a rule that holds another rule's cause in more languages (its id plus
#: this), kept apart so that text its first rule already matched never pays for it
LANGUAGES = ".languages"


def _unhedged(found: list[Match], words: str, finding: Finding, kind: Kind) -> list[Match]:
    """The matches that do not lie in a hedge, in advice or in a question (see
    hedges.py). A rule whose first match lies in one is asked again of the words with
    those passages blanked out: "Is this a spam thing? 550 Message rejected as spam" still
    says spam, outside the question."""
    if not any(not isinstance(m.found, str) for m in found):
        return found
    spans = hedges.hedged_spans(words)
    if not spans:
        return found
    out: list[Match] = []
    blanked: tuple[str, str] | None = None
    for m in found:
        if (m.rule.tier == 0  # provider and parser rules are written for whole replies
                or isinstance(m.found, str) or not hedges.is_hedged(spans, m.found.start())):
            out.append(m)
            continue
        if blanked is None:
            text = hedges.blank(words, spans)
            blanked = (text, lower_for_matching(text))
        again = _other_conditions(m.rule, finding, blanked[0], kind, blanked[1])
        if again is not None and not isinstance(again, str):
            out.append(Match(m.rule, again))
    return out


def _codes_fit(rule: Rule, finding: Finding) -> bool:
    """The cheap conditions first: enhanced code, reply code, SMTP command."""
    return (status_allows(rule, finding.status) and reply_allows(rule, finding.reply_code)
            and command_allows(rule, finding.smtp_command))


_INDEX: list[tuple[Ruleset, RuleIndex]] = []


def rule_index() -> RuleIndex:
    """The bit-set index over the loaded ruleset (built once per ruleset)."""
    ruleset = load_ruleset()
    if not _INDEX or _INDEX[0][0] is not ruleset:
        # (the bundle's anchor table belongs to the bundle's ruleset: only with it)
        anchors = bundled(ANCHOR_TABLE) if ruleset.bundled else None
        _INDEX[:] = [(ruleset, RuleIndex(ruleset.rules, anchors))]
    return _INDEX[0][1]


def provider_present(provider_id: str, finding: Finding, words: str, lowered: str) -> bool:
    """Whether the finding comes from this provider: its host names in the remote or
    reporting MTA or the server's words, or its marker words in the server's words.
    `lowered` is lower_for_matching(words)."""
    provider = load_ruleset().providers[provider_id]
    hosts = f"{finding.remote_mta or ''} {finding.reporting_mta or ''}"
    lowered_both = f"{lower_for_matching(hosts)} {lowered}"
    if provider.hosts is not None and provider.hosts.search(f"{hosts} {words}", lowered_both):
        return True
    return provider.markers is not None and provider.markers.search(words, lowered_both) is not None


def matches(
    rule: Rule, finding: Finding, words: str, kind: Kind, lowered: str | None = None
) -> Found | str | None:
    """The text match if every condition of `rule` holds ('' when the rule has no text
    condition), else None. `lowered` (words.lower()) enables the literal pre-check."""
    if not _codes_fit(rule, finding):
        return None
    if not parser_allows(rule, finding.parser):
        return None
    return _other_conditions(rule, finding, words, kind, lowered)


def _other_conditions(
    rule: Rule, finding: Finding, words: str, kind: Kind, lowered: str | None,
    present: set[str] | None = None,
) -> Found | str | None:
    """matches() past the code and parser conditions (which the index has applied to
    the candidates diagnose() tries); `present`: the indexed anchors occurring in
    `lowered` (RuleIndex.candidates)."""
    if rule.kind and kind.value not in rule.kind:
        return None
    if rule.remote is not None:
        hosts = f"{finding.remote_mta or ''} {finding.reporting_mta or ''}"
        if not rule.remote.search(hosts):
            return None
    if rule.text is None:
        return "" if rule.not_text is None or not rule.not_text.search(words, lowered) else None
    found = rule.text.search(words, lowered, present)
    if found is None or (rule.not_text is not None and _vetoed(rule.not_text, words, lowered)):
        return None
    if OTHER_HOST in rule.text.pattern and not _about_another_host(found, finding):
        return None
    return found


def _vetoed(not_text: LazyPattern, words: str, lowered: str | None) -> bool:
    """Whether a rule's not_text words occur before any list of possible causes
    (hedges.causes_listed_from): "This can be caused by ... too many recipients" only
    guesses, and rules nothing out. (Advice still vetoes: a rule may be written to step
    back where the server asks to check a setting.)"""
    veto = not_text.search(words, lowered)
    if veto is None:
        return False
    listed = _listed_from(words)
    if listed is None or veto.start() < listed:
        return True
    head = words[:listed]
    return not_text.search(head, lower_for_matching(head)) is not None


@lru_cache(maxsize=8)  # the same words, asked for each vetoed rule
def _listed_from(words: str) -> int | None:
    return hedges.causes_listed_from(words)


#: a pattern's group naming the host its words are about, when they count only for a host
#: other than the recipient's domain: Postfix's "Name service error for name=..." names
#: the domain when it does not exist, and one of its MX hosts when that host does not
OTHER_HOST = "(?P<other_host>"


def _about_another_host(found: Found, finding: Finding) -> bool:
    """Whether the host `found` names is known not to be the recipient's domain (true
    when the phrase that matched names none)."""
    try:
        named = found.group("other_host")
    except IndexError:  # another phrase of the rule
        return True
    domain = (finding.address or "").rpartition("@")[2].rstrip(".>").lower()
    host = (named or "").rstrip(".").lower()
    return bool(domain and host) and host != domain


# -- the advice ------------------------------------------------------------------------


def conclude(finding: Finding, verdict: Verdict, kind: Kind = Kind.BOUNCE,
             sender: str | None = None) -> Diagnosis:
    """The full diagnosis for a verdict: hardness, retry advice, cause and fix steps,
    worked out together so that they never contradict each other."""
    reason = verdict.reason
    rule = verdict.match.rule if verdict.match else None
    found = verdict.match.found if verdict.match else None
    info = load_reasons()[reason]
    status, inferred = finding.status, False
    if status is None:
        status, inferred = infer_status(finding, reason), True
    delayed = finding.action is Action.DELAYED or kind is Kind.DELAY
    final = bool(rule and rule.final)
    # a 4xx reply is temporary whatever status it carries ("450 5.1.1 User unknown")
    transient = not final and (delayed or (status or finding.reply_code or "").startswith("4")
                               or (finding.reply_code or "").startswith("4"))
    hard = (info.hard and not transient and verdict.confidence is not Confidence.LOW
            and not (rule and rule.ambiguous))
    cause = rule.cause if rule and rule.cause else info.cause
    ongoing = transient and not is_final(finding, kind)  # presumably still being retried
    departed = verdict.rule_id == DEPARTED
    steps = _steps_for(rule.fix if rule and rule.fix else info.fix, hard, ongoing, departed)
    guessed = verdict.confidence is Confidence.LOW and verdict.rule_id.startswith("code.")
    if guessed:
        # only a code with several usual causes: what to check first, then the likeliest
        thin = codemodel.load_model().thin_advice.get("transient" if transient else "permanent")
        steps = (*(thin or ()), *steps[:1])
        cause = f"The reply names no cause; its code most often means this: {cause[:1].lower()}{cause[1:]}"
    steps = _typo_first(finding, reason, steps)
    templates = (cause, *steps)
    values = _values(finding, rule, found, any("{ip}" in t for t in templates), sender) if any(
        "{" in t for t in templates) else {}
    provider = load_ruleset().providers.get(rule.provider) if rule and rule.provider else None
    evidence = found.group(0) if found is not None and not isinstance(found, str) else None
    if evidence is None and (rule or verdict.rule_id.startswith("code.")):
        evidence = " ".join(c for c in (finding.reply_code, finding.status) if c) or None
    if evidence is None:  # structure, parser hint or fallback: the report's own words
        evidence = one_line(finding.diagnostic, 200) or "the report states no code and no reason"
    retry = rule.retry if rule and rule.retry else info.retry
    return Diagnosis(
        reason=reason,
        hard_bounce=hard,
        status=status,
        status_inferred=inferred and status is not None,
        rule=verdict.rule_id,
        evidence=evidence,
        title=(rule.title if rule and rule.title else info.title),
        cause=fill(cause, values) if values else cause,
        fix=tuple(fill(step, values) for step in steps) if values else steps,
        # (the sender acts on a notice that the person is gone: the address is stale)
        who=rule.who if rule and rule.who else ("sender",) if departed else info.who,
        retry="never" if final else (
            "not as it is: find out why first (the same message would be refused again)"
            if guessed and not transient else _retry(retry, transient, reason, delayed)),
        provider=provider.name if provider else None,
        source=rule.source if rule else None,
        confidence=verdict.confidence,
        confidence_note=verdict.note if verdict.confidence is not Confidence.HIGH else None,
        suppress=(hard and verdict.confidence is Confidence.HIGH) or (
            reason is Reason.FEEDBACK and finding.feedback_type in (None, "abuse", "fraud")),
    )


def _steps_for(steps: tuple[str, ...], hard: bool, ongoing: bool,
               departed: bool = False) -> tuple[str, ...]:
    """The fix steps that apply: a "[tag] " prefix keeps a step only when its condition
    holds: hard / soft (the diagnosis is / is not a hard bounce), delay (a temporary
    failure presumably still being retried) / final (delivery has ended), away / departed
    (an automatic reply from someone away / from a mailbox no one reads any more)."""
    if not any(step.startswith("[") for step in steps):
        return steps
    holds = {"hard": hard, "soft": not hard, "delay": ongoing, "final": not ongoing,
             "away": not departed, "departed": departed}
    out = []
    for step in steps:
        if step.startswith("["):
            tag, _, rest = step[1:].partition("] ")
            if not holds.get(tag, True):
                continue
            step = rest
        out.append(step)
    return tuple(out)


def _retry(retry: str, transient: bool, reason: Reason, delayed: bool) -> str:
    """A temporary failure is always worth a later retry, whatever the reason says; a
    delay is being retried already."""
    if delayed:
        return "later: the sending server is still retrying on its own; wait for its report"
    if transient and retry.startswith("never") and reason not in _STRUCTURAL:
        return "later: the server called the failure temporary"
    return retry


def _values(
    finding: Finding, rule: Rule | None, found: Found | str | None, with_ip: bool,
    sender: str | None = None,
) -> dict[str, str]:
    """The placeholder values for a rule's templates (the sending IP only when asked:
    finding it costs a search of the server's words)."""
    words = finding.diagnostic or ""
    address = finding.address or ""
    values = {
        "address": address,
        "domain": address.rpartition("@")[2],
        "remote_mta": finding.remote_mta or "",
        "ip": sending_ip(words, finding.remote_mta) if with_ip else "",
        "status": finding.status or "",
        "reply_code": finding.reply_code or "",
        "provider_name": "",
        "sender_domain": (sender or "").rpartition("@")[2],
    }
    if rule is not None and rule.provider:
        provider = load_ruleset().providers.get(rule.provider)
        values["provider_name"] = provider.name if provider else ""
    if found is not None and not isinstance(found, str):
        values.update({k: v for k, v in found.groupdict().items() if v})
    return {k: one_line(v, 200) for k, v in values.items()}


_REMOTE_HOST_IP = lazy(r"(?i)\bhost\s+\S{1,255}\[([0-9a-f.:]{3,45})\]")


def sending_ip(words: str, remote_mta: str | None) -> str:
    """The IP address a refusal is about: the first one in the server's words that is
    not the receiving server itself ('host mx.example.org[203.0.113.10] said: ...')."""
    skip = {m.group(1) for m in _REMOTE_HOST_IP.finditer(words)}
    if remote_mta:
        skip.add(remote_mta.strip("[]"))
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(words):
            if match.group(0) not in skip:
                return match.group(0)
    return ""


_ADDRESS_REASONS = frozenset({Reason.HOSTUNKNOWN, Reason.USERUNKNOWN, Reason.NOTACCEPT,
                              Reason.NORELAYING})


def _typo_first(finding: Finding, reason: Reason, steps: tuple[str, ...]) -> tuple[str, ...]:
    """For an address-level failure at a domain that looks like a typo of a common
    mailbox provider's (gmial.com), the suggestion first; then the domain, not the part
    before the @, is what to correct."""
    if reason not in _ADDRESS_REASONS or not finding.address or "@" not in finding.address:
        return steps
    local, _, domain = finding.address.rpartition("@")
    meant = typos.likely_meant(domain)
    if meant is None or (reason is not Reason.HOSTUNKNOWN and len(meant) < 8):
        return steps
    suggestion = (f"The domain {domain.lower()} looks like a typo of {meant}: did you mean "
                  f"{local}@{meant}? If so, correct the address (this rests on the spelling "
                  "alone; nothing was checked).")
    return (suggestion, *(s for s in steps if "before the @" not in s))


def fill(template: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders with sanitised values (see placeholders.fill)."""
    return placeholders.fill(template, values) or template


def infer_status(finding: Finding, reason: Reason) -> str | None:
    """An enhanced code for a report that states none: the reason's usual detail in the
    class given by the reply code (or by the action)."""
    if reason in (Reason.FEEDBACK, Reason.VACATION):
        return None
    if reason is Reason.DELIVERED:
        return "2.0.0"
    klass = "5"
    if finding.reply_code and finding.reply_code[0] in "245":
        klass = finding.reply_code[0]
    elif finding.action is Action.DELAYED:
        klass = "4"
    detail = load_reasons()[reason].status
    return f"{klass}{detail[1:]}" if detail.startswith("X") else detail
