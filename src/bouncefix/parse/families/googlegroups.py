"""Google Groups: a posting refused by a group comes from Google's mailer-daemon, names
the group in X-Failed-Recipients and explains, in the sender's language, that the group
may not exist or does not accept the post::

    Hello jane@example.org,
    We're writing to let you know that the group you tried to contact (team) may not
    exist, or you may not have permission to post messages to the group. ...
    If you have questions related to this or any other Google Group, visit the Help
    Center at https://groups.google.com/support/.
    Google Groups
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "googlegroups"

_FROM = lazy(r"(?i)mailer-daemon@(?:googlemail|google)\.com")
_HELP = lazy(r"(?i)https?://groups\.google\.com/support/?")
_SIGNATURE = lazy(r"(?im)^[ \t]*Google Groups\.?[ \t]*$")
# the group you tried to contact (team) may not exist -- "(team)" in every language
_GROUP = lazy(r"[(\uff08]([A-Za-z0-9][A-Za-z0-9._+-]{0,63})[)\uff09]")


def matches(mail: Mail) -> bool:
    """Google's mailer-daemon, the Google Groups help link and signature."""
    if not mail.has_headers or not _FROM.search(mail.sender):
        return False
    report = text.report_part(mail.text)[:20000]
    return bool(_HELP.search(report) and _SIGNATURE.search(report))


def parse(mail: Mail) -> list[Finding]:
    """One finding per group named in X-Failed-Recipients; the explaining paragraph
    (the one naming the group in parentheses) is the diagnostic."""
    addresses = mail.failed_recipients.addresses
    if not addresses:
        return []
    blocks = text.paragraphs(text.report_part(mail.text)[:50000])
    words = next((b for b in blocks if _GROUP.search(b)), "")
    if not words:
        words = max(blocks[:3], key=len, default="")
    diagnostic = codes.unwrap_reply(words)[:1000] or None
    return [Finding(address=a, diagnostic=diagnostic, parser=NAME) for a in addresses]
