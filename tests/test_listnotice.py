"""Mailing-list software's notices about the reader's own post (parse/listnotice.py):
the list is the failed recipient, a refusal is the list's restriction, a held post is a
delay; an Auto-Submitted header does not make them out-of-office replies. Notices written
for these tests in the layouts of Mailman, Sympa and LISTSERV."""

from __future__ import annotations

from bouncefix import analyze

MAILMAN_REFUSED = b"""From: birders-owner@lists.example.org
To: kim@example.net
Subject: Your message to Birders was rejected
Auto-Submitted: auto-replied
X-Mailman-Version: 3.3.8

Your message to the Birders mailing-list was rejected for the following reasons:

Only subscribers may send to this list; you are not a member.
"""

MAILMAN_HELD = b"""From: quilting-bounces@lists.example.org
To: kim@example.net
Subject: Your message to Quilting awaits moderator approval
Precedence: bulk

Your mail to 'Quilting' with the subject

    Fabric for sale

is being held until the list moderator can review it for approval.
The reason it is being held: post by a non-member to a members-only list.
"""

SYMPA_REFUSED = b"""From: SYMPA <sympa@lists.example.com>
To: kim@example.net
Subject: Message distribution: not allowed

Your message for list astronomy (attached below) was rejected.
You are not allowed to send messages to this list.
"""

LIST_POST = b"""From: quilting-bounces@lists.example.org
To: quilting@lists.example.org
Subject: [Quilting] Meeting on Friday
List-Id: <quilting.lists.example.org>
List-Post: <mailto:quilting@lists.example.org>

Hello all, the meeting moves to Friday. Your message to the group about fabric was
rejected by the venue, so bring your own.
"""


def _one(data: bytes | str) -> tuple[str, str | None, str, bool]:
    [report] = analyze(data)
    [recipient] = report.recipients
    return (report.kind.value, recipient.finding.address, recipient.diagnosis.reason.value,
            recipient.diagnosis.hard_bounce)


def test_a_refused_post_names_the_list_and_its_restriction() -> None:
    assert _one(MAILMAN_REFUSED) == ("bounce", "birders@lists.example.org", "filtered", False)
    assert _one(SYMPA_REFUSED) == ("bounce", "astronomy@lists.example.com", "filtered", False)


def test_a_held_post_is_a_delay() -> None:
    assert _one(MAILMAN_HELD) == ("delay", "quilting@lists.example.org", "onhold", False)


def test_a_post_to_the_list_is_no_notice() -> None:
    [report] = analyze(LIST_POST)
    assert report.kind.value == "not-bounce" and not report.recipients


# Mailman 2's moderator refusal: the reason names another list, which is not the one
# the post went to; Sympa's "sent to the moderators" notice is a held post
MAILMAN_MODERATOR_REFUSED = b"""From: kiln-news-owner@lists.example.org
To: kim@example.net
Subject: Request to mailing list Kiln-news rejected

Your request to the Kiln-news mailing list

    Posting of your message titled "Glaze recipes?"

has been rejected by the list moderator.  The moderator gave the following reason:

"Announcements only here. Please ask on kiln-talk@lists.example.org."
"""

SYMPA_SENT_TO_MODERATORS = b"""From: SYMPA <sympa@lists.example.com>
To: kim@example.net
Subject: Message for list comets submitted to moderation
Auto-Submitted: auto-replied

Your message for list comets@lists.example.com has been passed on to the
list moderators, who will decide whether to distribute it.
"""


def test_a_moderator_refusal_names_the_list_posted_to() -> None:
    assert _one(MAILMAN_MODERATOR_REFUSED) == (
        "bounce", "kiln-news@lists.example.org", "filtered", False)


def test_a_post_sent_on_to_the_moderators_is_held() -> None:
    assert _one(SYMPA_SENT_TO_MODERATORS) == (
        "delay", "comets@lists.example.com", "filtered", False)


def test_a_refusal_in_french_or_german_names_the_list() -> None:
    french = """From: SYMPA <sympa@listes.example.net>
To: luc@example.org
Subject: Message refuse
Auto-Submitted: auto-replied

Votre message pour la liste randonnee@listes.example.net a ete rejete : seuls les
abonnes peuvent ecrire a cette liste.
"""
    german = """From: chor-owner@listen.example.net
To: eva@example.org
Subject: Ihre Nachricht wurde abgelehnt
Auto-Submitted: auto-replied

Ihre Nachricht an die Mailingliste Chor wurde abgelehnt: nur Mitglieder duerfen schreiben.
"""
    for notice, address in ((french, "randonnee@listes.example.net"),
                            (german, "chor@listen.example.net")):
        assert _one(notice) == ("bounce", address, "filtered", False)


# Notices whose layout the reader did not know: Mailman 2's automatic refusal keeps the
# post's own subject and never says "your message to"; a forum's refusal of a reply by
# mail (Discourse) comes from the forum's address; groups.io writes "+owner"; Sympa puts
# the reason in the paragraph after "was not distributed"; LISTSERV asks for an OK
MAILMAN_AUTO_REJECT = b"""From: knitting-owner@lists.example.org
To: kim@example.net
Subject: Wool swap on Sunday
X-List-Administrivia: yes

You may not post to this mailing list, so your message was rejected
automatically. Write to the list owner if you think this is a mistake.
"""

FORUM_REJECT = b"""From: Garden Forum <forum@garden.example.com>
To: kim@example.net
Subject: [Garden Forum] Email issue -- unknown sender
Message-ID: <email_reject/0a1b2c@garden.example.com>
Auto-Submitted: auto-generated

Sorry, your email to forum+reply-0a1b2c@garden.example.com could not be
posted: the address it came from belongs to no account here.
"""

GROUPS_PENDING = b"""From: "birders Moderators" <main+owner@birders.groups.example.org>
To: kim@example.net
Subject: Your message is awaiting approval: Owls at dusk
Auto-Submitted: auto-replied

Thanks for your message to main@birders.groups.example.org. It is waiting for a
moderator to approve it; we will write again once it has been approved or rejected.
"""

SYMPA_TOO_BIG = b"""From: SYMPA <sympa@lists.example.com>
To: kim@example.net
Subject: Message distribution: too large

Your message for the list photos@lists.example.com was not distributed.

It is 22 MB, over the maximum message size of this list (10 MB).
"""

LISTSERV_CONFIRM = b"""From: "L-Soft list server" <LISTSERV@LISTS.EXAMPLE.COM>
To: kim@example.net
Subject: BIRDS-L: confirm your posting (1A2B3C)

Your message has been received. This list asks every poster to confirm each message
before it is distributed: reply with OK. If you did not send it, it will be discarded.
"""


def test_notices_in_less_common_layouts_name_the_list_and_what_happened() -> None:
    assert _one(MAILMAN_AUTO_REJECT) == ("bounce", "knitting@lists.example.org", "filtered", False)
    assert _one(FORUM_REJECT) == (
        "bounce", "forum+reply-0a1b2c@garden.example.com", "filtered", False)
    assert _one(GROUPS_PENDING) == ("delay", "main@birders.groups.example.org", "onhold", False)
    assert _one(SYMPA_TOO_BIG)[1:3] in (("photos@lists.example.com", "exceedlimit"),
                                        ("photos@lists.example.com", "mesgtoobig"))
    assert _one(LISTSERV_CONFIRM)[0] == "delay" and _one(LISTSERV_CONFIRM)[2] == "onhold"


def test_a_notice_naming_the_list_only_by_name_or_not_at_all_finds_its_address() -> None:
    # the list's name in French quotes, and a notice that names no list: the post returned
    # with the notice was addressed to the list
    by_name = """From: SYMPA <sympa@listes.example.net>
To: luc@example.org
Subject: Message non diffuse
Auto-Submitted: auto-replied

Votre message pour la liste \u00ab chorale-l \u00bb n'a pas ete diffuse : seuls les
membres du bureau peuvent y ecrire.
"""
    unnamed = b"""From: SYMPA <sympa@listes.example.net>
To: luc@example.org
Subject: Message not distributed
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain

Your message (attached below) was not distributed: only board members may post.

--b1
Content-Type: message/rfc822

From: Luc <luc@example.org>
To: Board <board-l@listes.example.net>
Subject: agenda

hello
--b1--
"""
    for notice, address in ((by_name, "chorale-l@listes.example.net"),
                            (unnamed, "board-l@listes.example.net")):
        assert _one(notice)[:2] == ("bounce", address)


def test_a_post_set_aside_for_a_moderator_has_no_verdict_yet() -> None:
    notice = """From: rowing-bounces@lists.example.org
To: kim@example.net
Subject: Your message to Rowing awaits moderator approval

Your post to 'Rowing', titled "Boat rota", has been set aside until a moderator
of the list has had a look at it.

Why it is held:

    Post to moderated list
"""
    assert _one(notice) == ("delay", "rowing@lists.example.org", "onhold", False)


def test_a_moderator_declining_to_distribute_a_post_is_a_refusal() -> None:
    notice = """From: pottery-owner@lists.example.org
To: kim@example.net
Subject: Request to mailing list Pottery rejected

A moderator of the Pottery list declined to distribute your message titled

    Kiln for sale

with this note: "Sales belong on the market list."
"""
    assert _one(notice) == ("bounce", "pottery@lists.example.org", "filtered", False)


def test_a_refusal_names_its_cause_in_the_subject_or_the_next_paragraph() -> None:
    too_long = """From: LISTSERV list server <LISTSERV@LISTS.EXAMPLE.ORG>
To: kim@example.net
Subject: Message ("Trip photos") rejected: too large

Your message to CAVING-L@LISTS.EXAMPLE.ORG has 9,200 lines, so it has not been
distributed. Please post a link instead.
"""
    virus = """From: SYMPA <sympa@lists.example.com>
To: kim@example.net
Subject: Your message for list finance was not distributed

Your message to finance@lists.example.com will not go out to the list.

Our scanner found a trojan in the attached spreadsheet.
"""
    assert _one(too_long)[1:3] == ("caving-l@lists.example.org", "mesgtoobig")
    assert _one(virus)[1:3] == ("finance@lists.example.com", "virusdetected")


def test_the_returned_posts_received_ids_are_not_the_list() -> None:
    notice = """From: "LISTSERV at LISTS.EXAMPLE.ORG" <LISTSERV@LISTS.EXAMPLE.ORG>
To: kim@example.net
Subject: Message ("Field notes") rejected

The list server did not distribute your message to the ORNITH-L list: only
subscribers may post.

------------------------ Rejected message (12 lines) --------------------------
Received: from mail.example.net by LISTS.EXAMPLE.ORG with SMTP id <7.0B12EF@LISTS.EXAMPLE.ORG>;
          Wed, 7 Feb 2024 10:02:09 -0500
From: Kim <kim@example.net>
To: ORNITH-L@LISTS.EXAMPLE.ORG
Subject: Field notes
"""
    assert _one(notice)[1:3] == ("ornith-l@lists.example.org", "filtered")


def test_a_lists_acknowledgement_of_a_post_is_no_auto_reply() -> None:
    notice = """From: knitters-owner@lists.example.net
To: kim@example.net
Subject: Knitters post acknowledgement
Auto-Submitted: auto-replied
X-Mailman-Version: 3.3.9

Your message titled "Pattern swap" reached the Knitters list and went out to
its members.
"""
    [report] = analyze(notice)
    assert report.kind.value == "not-bounce"
