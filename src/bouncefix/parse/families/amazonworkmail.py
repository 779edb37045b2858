"""Amazon WorkMail (X-Mailer: Amazon WorkMail, sent through SES): the recipients, then
the RFC 3464 fields as plain text under "Technical report:"::

    An error occurred while trying to deliver the mail to the following recipients:
    jane@example.org

    Technical report:

    Reporting-MTA: dsn; a1-23.smtp-out.us-west-2.amazonses.com

    Action: failed
    Final-Recipient: rfc822; jane@example.org
    Diagnostic-Code: smtp; 550 5.1.1 <jane@example.org>... User Unknown
    Status: 5.1.1
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from . import amazonses

NAME = "amazonworkmail"

_MAILER = lazy(r"(?i)^Amazon WorkMail\b")
_OPENING = lazy(
    r"(?im)^[ \t]*An error occurred while trying to deliver the mail to the following recipients:"
)


def matches(mail: Mail) -> bool:
    """The X-Mailer header and SES's opening sentence."""
    return (mail.has_headers and bool(_MAILER.match(mail.header("X-Mailer")))
            and bool(_OPENING.search(mail.text[:20000])))


def parse(mail: Mail) -> list[Finding]:
    """The technical report's fields, as for SES."""
    return amazonses.from_report(mail, NAME)
