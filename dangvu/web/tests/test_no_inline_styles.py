"""The content security policy allows styles and scripts from the site's files only (settings:
`style-src 'self'`, `script-src 'self'`), so a page with an inline `style` attribute, a `<style>` block, an
inline script or an `on…=` handler shows a CSP error in the browser console (issue 9 item 17: "a CSP error
for an inline style in the room"). Every page in the navigation, the meeting room with a vote in progress,
the projector and their live fragments are rendered for the roles that see them and checked for all four."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings import ballots, services
from dangvu.meetings.models import MeetingKind, VoteMethod, VoteRule

pytestmark = pytest.mark.django_db


def inline_code(content: str) -> list[str]:
    """What the CSP would block in this HTML: style attributes, style blocks, inline scripts, handlers."""
    doc = html.fromstring(content) if "<html" in content else html.fragment_fromstring(content, create_parent="div")
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "style":
            found.append("<style> block")
        if el.tag == "script" and not el.get("src") and (el.text or "").strip():
            found.append(f"inline script: {(el.text or '').strip()[:60]}")
        for name, value in el.attrib.items():
            if name == "style":
                found.append(f'<{el.tag} style="{value}">')
            elif name.startswith("on"):
                found.append(f"<{el.tag} {name}=…>")
            elif name in {"href", "src", "action"} and value.strip().lower().startswith("javascript:"):
                found.append(f"<{el.tag} {name}=javascript:…>")
    return found


def test_the_policy_allows_no_inline_code(client, cast):
    client.force_login(cast.office)
    policy = client.get(reverse("web:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["style-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_the_checker_finds_inline_code():
    page = '<html><body><div style="width: 40%">x</div><style>p{}</style><script>a()</script><a onclick="b()">'
    assert len(inline_code(page)) == 4
    assert inline_code('<html><body><script src="/static/x.js"></script><div class="bar"></div>') == []


@pytest.fixture
def vote_in_progress(tree, people, cast):
    """A regular meeting of C1 running now, two members present, a vote open with one ballot, another
    closed."""
    chair = testing.user("chu-toa", Role.MEMBER, tree.c1, member_record=people["binh"])
    meeting = services.create_meeting(
        tree.c1,
        cast.secretary,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now(),
        place="Phòng họp tầng 2",
        chair=people["binh"],
        agenda=[services.AgendaSpec("Kiểm điểm công tác tháng")],
    )
    services.open_meeting(meeting, cast.secretary)
    invitations = {i.member_id: i for i in meeting.invitations.all()}
    for member in (people["an"], people["binh"]):
        services.check_in(invitations[member.pk], None)
    done = ballots.create_vote(
        meeting,
        cast.secretary,
        question="Thông qua nghị quyết",
        method=VoteMethod.COUNT,
        rule=VoteRule.MAJORITY_OF_PRESENT,
    )
    ballots.open_vote(done, cast.secretary)
    ballots.close_vote(done, cast.secretary, counts={"yes": 2, "no": 0, "abstain": 0})
    vote = ballots.create_vote(
        meeting, cast.secretary, question="Đề nghị kết nạp", method=VoteMethod.NAMED, rule=VoteRule.MAJORITY_OF_PRESENT
    )
    ballots.open_vote(vote, cast.secretary)
    ballots.cast(vote, invitations[people["an"].pk], "yes")
    return meeting, chair


def test_room_projector_and_their_fragments_have_no_inline_code(client, cast, vote_in_progress):
    meeting, chair = vote_in_progress
    pages = ["room", "room_live", "projector", "projector_live"]
    for user in (cast.secretary, cast.member, chair):
        client.force_login(user)
        for name in pages:
            response = client.get(reverse(f"meetings:{name}", args=[meeting.pk]))
            assert response.status_code == 200, (user.username, name)
            assert inline_code(response.content.decode()) == [], (user.username, name)
    # Once closed, the projector shows the verdict and the result bars.
    ballots.close_vote(meeting.votes.get(state="open"), cast.secretary)
    client.force_login(cast.secretary)
    for name in pages:
        content = client.get(reverse(f"meetings:{name}", args=[meeting.pk])).content.decode()
        assert inline_code(content) == [], name
    assert "data-verdict" in client.get(reverse("meetings:projector", args=[meeting.pk])).content.decode()


def test_pages_of_the_navigation_have_no_inline_code(client, cast, people):
    an = people["an"]
    pages = [
        reverse("web:home"),
        reverse("orgs:tree"),
        reverse("members:list"),
        reverse("members:detail", args=[an.pk]),
        reverse("members:create"),
        reverse("members:edit", args=[an.pk]),
        reverse("admission:board"),
        reverse("admission:create"),
        reverse("meetings:list"),
        reverse("meetings:regularity"),
        reverse("transfers:list"),
        reverse("transfers:issue", args=[an.pk]),
        reverse("alerts:list"),
        reverse("imports:index"),
        reverse("rules:list"),
        reverse("rules:calendar"),
    ]
    client.force_login(cast.admin)
    assert inline_code(client.get(reverse("rules:create")).content.decode()) == []
    for user in (cast.admin, cast.office):
        client.force_login(user)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (user.username, page)
            assert inline_code(response.content.decode()) == [], (user.username, page)
    # A form with errors (the error summary and the marked fields) and the pages of other roles.
    client.force_login(cast.office)
    response = client.post(reverse("members:create"), {"full_name": "", "birth_date": "31/02/1990"})
    assert 'id="form-errors"' in response.content.decode()
    assert inline_code(response.content.decode()) == []
    for user in (cast.secretary, cast.member, cast.leader, cast.inspector):
        client.force_login(user)
        for page in (reverse("web:home"), reverse("meetings:list"), reverse("alerts:list")):
            response = client.get(page)
            assert response.status_code == 200, (user.username, page)
            assert inline_code(response.content.decode()) == [], (user.username, page)
    client.force_login(cast.office)
    assert inline_code(client.get(reverse("accounts:password_requests")).content.decode()) == []
    client.force_login(cast.member)
    cast.member.must_change_password = True
    cast.member.save(update_fields=["must_change_password"])
    assert inline_code(client.get(reverse("accounts:password_change")).content.decode()) == []
    client.logout()
    for page in (reverse("accounts:login"), reverse("accounts:password_forgot"), "/no-such-page/"):
        assert inline_code(client.get(page).content.decode()) == [], page


def test_days_are_not_a_reason_for_inline_code(client, cast, tree):
    """A meeting planned for later: the room's waiting state is checked too."""
    meeting = services.create_meeting(
        tree.c1,
        cast.secretary,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now() + dt.timedelta(days=2),
        place="Hội trường",
    )
    client.force_login(cast.secretary)
    for name in ("room", "projector", "detail"):
        response = client.get(reverse(f"meetings:{name}", args=[meeting.pk]))
        assert response.status_code == 200 and inline_code(response.content.decode()) == [], name
