"""Italian certified mail (PEC, Posta Elettronica Certificata): the notices a PEC provider
sends when a certified message could not be accepted or delivered. They are not DSNs: the
kind of notice is the ``X-Ricevuta`` header, the facts are in an XML attachment
(``daticert.xml``) and a short Italian text::

    Subject: AVVISO DI MANCATA CONSEGNA: Fattura 12/2026
    X-Ricevuta: errore-consegna

    Il giorno 03/12/2026 alle ore 09:12:01 (+0100) il messaggio "Fattura 12/2026"
    proveniente da "ufficio@pec.example.com" e destinato all'utente
    "clienti@pec.example.org" non e' stato consegnato.
    ...
    <postacert tipo="errore-consegna" errore="no-dest">
      <intestazione> ... <destinatari tipo="certificato">clienti@pec.example.org</destinatari>
      <dati> ... <consegna>clienti@pec.example.org</consegna>
                 <errore-esteso>5.1.1 - indirizzo sconosciuto</errore-esteso>

``X-Ricevuta`` says which notice it is: ``errore-consegna`` (not delivered),
``non-accettazione`` (the sender's own provider refused the message),
``preavviso-errore-consegna`` (not delivered yet, still being tried) and
``rilevazione-virus``. The ``errore`` attribute names the failure in one word (``no-dest``
unknown recipient, ``no-dominio`` unknown domain, ``virus``, ``altro`` other), and
``errore-esteso`` the server's own words, often with a status code.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail, part_text
from ...model import Action, Finding, Reason
from .. import codes, text

NAME = "pec"

#: X-Ricevuta values of a notice about a message that did not get through
_NOTICES = {
    "errore-consegna": Action.FAILED,
    "non-accettazione": Action.FAILED,
    "rilevazione-virus": Action.FAILED,
    "preavviso-errore-consegna": Action.DELAYED,
}
_SUBJECT = lazy(r"(?i)^(?:(PRE)?AVVISO DI (?:MANCATA CONSEGNA|NON ACCETTAZIONE)|"
                r"AVVISO DI RILEVAZIONE VIRUS)\b")
#: daticert's one-word failure, when its errore-esteso gives no words
_ERRORS = {"no-dest": Reason.USERUNKNOWN, "no-dominio": Reason.HOSTUNKNOWN,
           "virus": Reason.VIRUSDETECTED}

_ADDRESS = r"([^<>\"\s]{1,320}@[^<>\"\s]{1,255})"
_DELIVERY = lazy(rf"<consegna>\s*{_ADDRESS}\s*</consegna>")
_RECIPIENTS = lazy(rf"<destinatari\b[^>]{{0,100}}>\s*{_ADDRESS}\s*</destinatari>")
_EXTENDED = lazy(r"<errore-esteso>([^<]{1,1000})</errore-esteso>")
_ERROR = lazy(r"<postacert\b[^>]{0,300}\berrore=\"([a-z-]{1,20})\"")
# e destinato all'utente "clienti@pec.example.org"
_NAMED = lazy(rf"(?i)destinat[oa] all.utente\s+[\"'\u201c]?{_ADDRESS}")
_ERROR_LINE = lazy(r"(?im)^[ \t]*errore[ \t]*:[ \t]*(\S[^\n]{0,500})$")


def _notice(mail: Mail) -> Action | None:
    kind = mail.header("X-Ricevuta").strip().lower()
    if kind in _NOTICES:
        return _NOTICES[kind]
    found = _SUBJECT.match(mail.subject.strip())
    if found is None:
        return None
    return Action.DELAYED if found.group(1) else Action.FAILED


def matches(mail: Mail) -> bool:
    """A PEC notice of non-delivery, non-acceptance or a virus."""
    return _notice(mail) is not None


def parse(mail: Mail) -> list[Finding]:
    """One finding per recipient the notice is about."""
    action = _notice(mail) or Action.FAILED
    certificate = "".join(part_text(p)[:100000] for p in mail.parts_of_type(
        "application/xml", "text/xml"))
    body = mail.text[:100000]
    addresses = text.unique([m.group(1) for m in _DELIVERY.finditer(certificate)]
                            or [m.group(1) for m in _NAMED.finditer(body)])
    if not addresses:
        listed = text.unique(m.group(1) for m in _RECIPIENTS.finditer(certificate))
        addresses = listed if len(listed) == 1 else []
    addresses = [a for a in (codes.clean_address(a) for a in addresses) if a]
    if not addresses:
        return []
    stated = _EXTENDED.search(certificate) or _ERROR_LINE.search(body)
    words = " ".join(stated.group(1).split()) if stated else ""
    if not words:
        words = text.explanation(text.paragraphs(body)) or ""
    error = _ERROR.search(certificate)
    hint = _ERRORS.get(error.group(1)) if error else None
    found = []
    for address in addresses:
        finding = text.finding_from_words(words, address, NAME) if words else Finding(
            address=address, parser=NAME)
        # the one word only when the server's words carry no code of their own: "no-dest"
        # also stands over "5.4.7 - tempo massimo di consegna superato"
        coded = finding.status or finding.reply_code
        found.append(finding.with_changes(action=action, reason_hint=None if coded else hint))
    return found
