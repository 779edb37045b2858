"""Parts of a server's words that do not state the cause: hedges, lists of possible
causes, advice, purposes, causes ruled out ("it was not classified as spam"), and
questions (a user's own "why do my emails go to spam?" pasted with them).

Servers often follow the refusal with guesses and advice:

    550 5.7.1 Message rejected. This may be caused by a missing SPF record or a
    blacklisted IP; please check your SPF, HELO and PTR settings.

A rule's words found only inside such a passage ("SPF", "blacklisted", "PTR") say what
*could* be wrong, not what is; the engine ignores those matches. A passage runs from its
marker to the end of its sentence, or, for a list of possible causes, to the end of the
text. References ("see https://...", "for more information") are not hedges: the page
they point to usually names the very cause.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..regex import lazy

_MARKER = lazy(
    r"(?i)\b(?:"
    r"(?P<rest>possible (?:causes?|reasons?)|(?:common|typical|usual|likely) (?:causes?|reasons?)"
    r"|(?:reasons?|causes?|issues|problems) (?:(?:may|might|could) (?:include|be)|can include)"
    r"|one of the following"
    # the same list in other languages: "Causes possibles :", "Mögliche Ursachen:", "Posibles
    # causas:", "Possíveis causas:", "Possibili cause:", "Mogelijke oorzaken:", "Możliwe przyczyny:"
    r"|causes? possibles?|raisons? possibles?|m(?:ö|oe)gliche (?:ursachen|gr(?:ü|ue)nde)"
    r"|posibles causas|causas posibles|poss(?:í|i)veis causas|causas poss(?:í|i)veis"
    r"|possibili cause|cause possibili|mogelijke oorzaken|mo(?:ż|z)liwe przyczyny"
    r"|(?:this|it|that) (?:can|may|might|could) (?:be caused|happen|occur|mean|be due))"
    r"|(?:may|might|could) (?:also |possibly |well |not )?(?:be|have|exist|indicate|mean"
    r"|contain|result|happen|occur|require|need|want|wish|affect|include|point)\b"
    r"(?<!could be)(?<!could not be)(?<!could have)(?<!could not have)(?<!may not be)"
    r"|possibly|perhaps|maybe"
    r"|peut-(?:ê|e)tre|vielleicht|quiz(?:á|a)s?|tal vez|talvez|forse|misschien|mo(?:ż|z)e by(?:ć|c)"
    # a purpose, wherever it stands: "we've stopped sending to it to protect your sending
    # reputation" (the reputation is what is protected, not what failed)
    r"|(?P<purpose>\bto (?:help )?(?:protect|preserve|safeguard) (?:your|our|the|its|their) "
    r"(?:sender |sending |domain.s |e-?mail )?reputation\b)"
    # a person's own guess beside what they paste: "I think she blocked us after ..."
    r"|i (?:think|guess|suspect|assume|believe|reckon)\b|i.m guessing|my guess is"
    r"|if (?:you|your|the|this|that|it|a|an)\b"
    r"|(?:please |kindly )?(?:check|verify|ensure|make sure|confirm|review|consult)"
    r" (?:that|your|the|whether|if|with)\b"
    r"|please (?:check|verify|make sure|ensure|confirm|contact|consult|review"
    r"|try|ask|have|update|fix|correct|add|remove|request)"
    r"|e\.g\.|for (?:example|instance)(?![\w.-])|such as"
    # a cause the server rules out: "It was NOT classified as spam", "not because of"
    r"|(?:was|is|were|are) not (?:classified|considered|treated|flagged|detected|identified"
    r"|marked|seen) as|not (?:because of|due to|caused by)"
    # a cause someone says the notice does not name: "Nothing about spam or anything, just
    # that line", "it doesn't mention anything about a blacklist"
    r"|(?:nothing|no (?:mention|word)s?) (?:at all )?(?:about|of|on|regarding)\b"
    r"|(?:doesn.t|does not|didn.t|did not|don.t|do not) (?:say|mention|tell (?:me|us)) "
    r"(?:anything|a (?:thing|word)) (?:about|of|regarding)\b"
    # a purpose, up to its comma: "To help keep junk mail off our network, we limit ..."
    r"|(?P<clause>(?:^|(?<=[.!;:\n]))[ \t]*to (?:help )?(?:keep|reduce|cut down on|fight|combat"
    r"|prevent|stop|protect|limit|block|avoid)\b)"
    r")"
)
#: a literal of which every _MARKER match holds one (lower case): text with none of them
#: has no hedge, and the pattern is neither searched nor compiled
_MARKER_WORDS = ("possibl", "common", "typical", "usual", "likely", "reason", "following",
                 "can ", "may", "might", "could", "perhaps", "if ", "check", "verify",
                 "i think", "i guess", "i suspect", "i assume", "i believe", "i reckon",
                 "guessing", "my guess", "reputation",
                 "ensure", "make sure", "confirm", "review", "consult", "please", "kindly",
                 "e.g.", "for example", "for instance", "such as", "not ", "keep", "reduce",
                 "cut down", "fight", "combat", "prevent", "stop", "protect", "limit",
                 "block", "avoid", "nothing", "no mention", "no word", "anything", "a thing",
                 "a word", "possib", "posib", "possív", "possiv", "mögl", "moegl", "mogelijk",
                 "możliw", "mozliw", "peut-", "vielleicht", "quiz", "tal vez", "talvez", "forse",
                 "misschien", "może", "moze")
# the reason a server states after listing possible ones: "... or a blocked file type.
# Reason: attachments of type .js are not permitted" (or its technical details: "Détail
# technique : 552 5.2.2 ...")
_STATED_REASON = lazy(r"(?i)(?:^|(?<=[.!?;]\s)|(?<=\n))[ \t]*(?:the )?(?:actual |specific |real )?"
                      r"(?:reason|cause|technical details?|d(?:é|e)tails? techniques?"
                      r"|detalles? t(?:é|e)cnicos?|technische (?:details|angaben)|dettagli tecnici"
                      r"|detalhes t(?:é|e)cnicos)(?: given)?[ \t]*:")
# (a closing quote or bracket may stand between the stop and the space: 'later."')
_SENTENCE_END = lazy(r"[.!?;][\"'\u201d\u2019)\]]?(?=\s|$)|\n\s*\n")
_CLAUSE_END = lazy(r"[,.!?;][\"'\u201d\u2019)\]]?(?=\s|$)|\n\s*\n")
_CAUSAL = lazy(r"(?i)\b(?:since|because|as a result of|due to)\b")
# A question: a sentence that ends in "?" (not a URL's query: the "?" ends a word and is
# followed by a space or the end). "Why do my emails go to spam?" states no cause.
# (a stop inside a word, as in "example.net" or "4.2.0", starts no question)
# (also the full-width "？" of Japanese and Chinese, which needs no space after it; "。"
# ends a sentence there)
# (and where such a script follows Latin text after a space, a bracket or an ASCII "?",
# which may end a question written without a space after it: "... (in reply
# to RCPT TO command) これは受信拒否ですか？")
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"  # kana, ideographs, hangul
_QUESTION = lazy(r"(?:^|(?<=[.!?;][ \t])|(?<=[\u3002\uff1f])|(?<=\n)|(?<=[ \t)\]>?])(?=" + _CJK + "))"
                 r"[^.!?;\n\u3002\uff1f]{0,300}?"
                 r"(?:[\w)\"'\u2019]\?(?=\s|$|" + _CJK + r")|\uff1f)")
# Where a question starts inside a run of words with no stop before it (a pasted line
# followed by the person's question, "retry timeout exceeded anyone know why?"): at a
# question word; the words before it are not part of the question.
_ASKING = lazy(r"(?i)\b(?:why|what|how|who|where|when|which|anyone|anybody|any ?idea"
               r"|is (?:there|it|this|that)|does (?:anyone|anybody|this|that|it)"
               r"|do (?:i|you|we)|can (?:i|you|we|someone|anyone)|should (?:i|we)"
               r"|did (?:i|you|it|they)"
               # the same in the languages people most often ask in beside English
               r"|warum|wieso|weshalb|wei(?:ß|ss) jemand|hat jemand|kann (?:mir )?jemand"
               r"|pourquoi|est-ce que|quelqu.un|por ?qu(?:é|e)|alguien|perch(?:é|e)|qualcuno"
               r"|algu(?:é|e)m|waarom|weet iemand"
               # "must I / can I / what do I do", as people ask it: "Devo fare qualcosa io?",
               # "¿Tengo que hacer algo?", "Dois-je faire quelque chose ?", "Muss ich was tun?"
               r"|devo|dovrei|posso|che cosa|cosa (?:devo|posso|significa)|come (?:faccio|posso|mai)"
               r"|debo|tengo que|puedo|qu(?:é|e) (?:hago|debo|significa)|c(?:ó|o)mo (?:hago|puedo)"
               r"|dois-je|faut-il|puis-je|que (?:faire|dois-je)|qu.est-ce que"
               r"|muss ich|soll ich|kann ich|was (?:muss|soll|kann|bedeutet)"
               r"|preciso|o que (?:fa(?:ç|c)o|significa)|como (?:fa(?:ç|c)o|posso)"
               r"|moet ik|kan ik|wat (?:moet|betekent))\b")


def hedged_spans(words: str) -> list[tuple[int, int]]:
    """(start, end) of every passage of `words` that hedges, advises or asks."""
    spans: list[tuple[int, int]] = []
    if "?" in words or "\uff1f" in words:
        for question in _QUESTION.finditer(words[:20000]):
            begin, finish = question.span()
            asking = _ASKING.search(words, begin, finish)
            spans.append((asking.start() if asking else _own_script_start(words, begin, finish),
                           finish))
    spans.extend((begin, stop) for begin, stop, _ in _passages(words))
    return spans


def causes_listed_from(words: str) -> int | None:
    """Where a list of possible causes begins ("Possible causes: ...", "This can be
    caused by ..."), which runs to the end of the words or to the reason stated after it
    ("Reason: ..."); None when there is none."""
    return next((begin for begin, _, listed in _passages(words) if listed), None)


def _passages(words: str) -> Iterator[tuple[int, int, bool]]:
    """The passages that hedge or advise, in order: (start, end, whether it is a list of
    possible causes, which runs to the end of the words, or to a stated "Reason:")."""
    lowered = words.lower()
    if not any(word in lowered for word in _MARKER_WORDS):
        return
    position = 0
    while True:
        marker = _MARKER.search(words, position)
        if marker is None:
            return
        if marker.group("rest"):
            # (to the end, or to the reason the server then states: "This can happen
            # because of a virus, spam or a blocked file type. Reason: ...")
            stated = _STATED_REASON.search(words, marker.end())
            if stated is None:
                yield marker.start(), len(words), True
                return
            yield marker.start(), stated.start(), True
            position = stated.end()
            continue
        end = (_CLAUSE_END if marker.group("clause") or marker.group("purpose")
               else _SENTENCE_END).search(
            words, marker.end())
        stop = end.start() if end else len(words)
        # advice that goes on to say why ("Please contact your provider since part of
        # their network is on our block list"): the reason after the connective counts
        reason = _CAUSAL.search(words, marker.end(), stop)
        if reason is not None:
            stop = reason.start()
        yield marker.start(), stop, False
        position = max(stop, marker.end())


def _own_script_start(words: str, begin: int, finish: int) -> int:
    """Where a question asked in a script of its own (Japanese, Chinese, Korean) starts
    when it follows a pasted reply with no stop between ("... limit is 2000
    上限の引き上げはどこで申請できますか?"): after the last ASCII letter or digit before
    it. A question in Latin letters starts at `begin`."""
    at = finish - 2  # the character before the "?"
    if at < begin or words[at].isascii():
        return begin
    while at > begin and not (words[at - 1].isascii() and words[at - 1].isalnum()):
        at -= 1
    while words[at].isspace():
        at += 1
    return at


def is_hedged(spans: list[tuple[int, int]], start: int) -> bool:
    """Whether a match starting at `start` lies in one of `spans`."""
    return any(begin <= start < end for begin, end in spans)


def blank(words: str, spans: list[tuple[int, int]]) -> str:
    """`words` with every span replaced by spaces (the other positions unchanged)."""
    chars = list(words)
    for begin, end in spans:
        chars[begin:end] = " " * (end - begin)
    return "".join(chars)
