"""The live meeting room and the projector (issue 4 item 4): who may enter and do what, live panels that
poll cheaply (204 when unchanged, a query budget that does not grow with the invitees), votes from creation
to verdict for each threshold, HTMX and plain POSTs, and the secret vote that never links a person to a
choice on any page or fragment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings import services
from dangvu.meetings.models import (
    Attendance,
    Ballot,
    Meeting,
    MeetingKind,
    MeetingState,
    SecretCount,
    SecretReceipt,
    SpeakerRequest,
    SpeakerState,
    Vote,
    VoteMethod,
    VoteRule,
    VoteState,
)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
CLOSE_VOTE = {"confirmed": "close_vote"}  # irreversible actions are confirmed (dangvu/web/confirm.py)


@pytest.fixture
def room(tree, people, cast):
    """A regular meeting of cell C1 starting now. Invited: An (cast.member, a plain member), Bình (chair,
    with a user), Cường (minutes secretary, with a user), Dũng (probationary: attends, does not vote).
    The cell secretary (cast.secretary) and the office of A run it by role."""
    cuong = testing.member(tree.c1, "Võ Văn Cường")
    dung = testing.member(tree.c1, "Đỗ Văn Dũng", admitted=timezone.localdate() - dt.timedelta(days=90), official=False)
    users = {
        "an": cast.member,
        "binh": testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"]),
        "cuong": testing.user("cuong", Role.MEMBER, tree.c1, member_record=cuong),
        "dung": testing.user("dung", Role.MEMBER, tree.c1, member_record=dung),
        "duc": testing.user("duc", Role.MEMBER, tree.c2, member_record=people["duc"]),  # another cell
    }
    meeting = services.create_meeting(
        tree.c1,
        cast.secretary,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now(),
        place="Phòng họp tầng 2",
        chair=people["binh"],
        secretary=cuong,
        agenda=[services.AgendaSpec("Kiểm điểm công tác tháng"), services.AgendaSpec("Kết nạp đảng viên")],
    )
    inv = {key: meeting.invitations.get(member=u.member) for key, u in users.items() if key != "duc"}
    assert not inv["dung"].may_vote and all(inv[k].may_vote for k in ("an", "binh", "cuong"))
    return meeting, users, inv


def url(name: str, meeting: Meeting, *args) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def login(client, user, english: bool = False):
    client.force_login(user)
    if english:
        client.cookies["django_language"] = "en"
    return client


def panel_of(client, meeting: Meeting, name: str) -> str:
    """One panel as the signed-in user gets it from the page's poll (asked without versions: all panels)."""
    response = client.get(url("room_live", meeting))
    assert response.status_code == 200
    found = re.search(rf'<section id="room-{name}".*?</section>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def running(meeting: Meeting, *present) -> Meeting:
    services.open_meeting(meeting, None)
    for invitation in present:
        services.check_in(invitation, None)
    return Meeting.objects.get(pk=meeting.pk)


# --- Access ---------------------------------------------------------------------------------------------


def test_room_and_projector_for_the_invited_and_those_who_run(client, room, cast):
    meeting, users, _inv = room
    pages = [url("room", meeting), url("projector", meeting), url("projector_live", meeting)]
    pages.append(url("room_live", meeting))
    allowed = [cast.secretary, cast.office, cast.admin, cast.member, users["binh"], users["dung"]]
    for user in allowed:
        login(client, user)
        for page in pages:
            assert client.get(page).status_code == 200, (user.username, page)
    # Sees the meeting (staff of committee A) but neither invited nor running it: forbidden.
    login(client, cast.inspector)
    assert all(client.get(page).status_code == 403 for page in pages)
    # Outside the subtree, not invited, or a member of another cell: the meeting does not exist for them.
    for user in (cast.outsider, cast.nobody, users["duc"]):
        login(client, user)
        assert all(client.get(page).status_code == 404 for page in pages), user.username
    client.logout()
    assert client.get(pages[0]).status_code == 302


def test_attendance_panel_and_running_forms_for_runners_only(client, room, cast):
    meeting, users, inv = room
    login(client, cast.member)
    assert panel_of(client, meeting, "attendance") == "" and panel_of(client, meeting, "votes")
    page = client.get(url("room", meeting)).content.decode()
    assert 'id="attendance"' not in page and 'id="vote-create-form"' not in page and 'id="open-meeting"' not in page
    login(client, users["cuong"])  # the minutes secretary runs the meeting without a staff role
    page = client.get(url("room", meeting)).content.decode()
    assert 'id="attendance"' in page and 'id="vote-create-form"' in page and 'id="open-meeting"' in page
    assert f'data-invitation="{inv["an"].pk}"' in page
    assert f'data-invitation="{inv["an"].pk}"' in panel_of(client, meeting, "attendance")


def test_member_cannot_run_the_meeting(client, room, cast):
    meeting, users, inv = room
    login(client, cast.member)
    assert client.post(url("room_open", meeting)).status_code == 403
    running(meeting, inv["an"])
    vote = services.create_vote(meeting, None, question="Thông qua nghị quyết", method="named", rule="majority_present")
    denied = [
        url("room_close", meeting),
        url("room_mark", meeting, inv["binh"].pk),
        url("room_absence", meeting),
        url("room_next_speaker", meeting),
        url("room_vote_create", meeting),
        url("room_vote_open", meeting, vote.pk),
        url("room_vote_close", meeting, vote.pk),
    ]
    for target in denied:
        assert client.post(target, {"attendance": "present"}).status_code == 403, target
    meeting.refresh_from_db()
    vote.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS and vote.state == VoteState.DRAFT
    assert meeting.invitations.get(pk=inv["binh"].pk).attendance == ""


def test_documents_link_to_the_reading_view(client, room, cast, settings, tmp_path):
    meeting, users, inv = room
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 draft", content_type="application/pdf")
    document = services.add_document(meeting, None, title="Dự thảo nghị quyết", upload=upload)
    login(client, cast.member)
    page = client.get(url("room", meeting)).content.decode()
    assert "Dự thảo nghị quyết" in page
    assert f'href="{reverse("meetings:document_preview", args=[document.pk])}"' in page


# --- Check-in and attendance ------------------------------------------------------------------------------


def test_member_checks_in_self_only(client, room, cast):
    meeting, users, inv = room
    login(client, cast.member)
    # Before the meeting opens the service refuses; nothing is written.
    response = client.post(url("room_check_in", meeting))
    assert response.status_code == 302 and not meeting.invitations.get(pk=inv["an"].pk).checked_in_at
    running(meeting)
    response = client.post(url("room_check_in", meeting), {"invitation": inv["binh"].pk})  # ignored: own only
    assert response.status_code == 302 and response["Location"] == url("room", meeting)
    assert meeting.invitations.get(pk=inv["an"].pk).attendance == Attendance.PRESENT
    assert meeting.invitations.get(pk=inv["binh"].pk).attendance == ""
    assert client.post(url("room_mark", meeting, inv["binh"].pk), {"attendance": "present"}).status_code == 403
    assert meeting.invitations.get(pk=inv["binh"].pk).attendance == ""
    # Someone running the meeting without an invitation cannot check in (there is no own invitation).
    login(client, cast.office)
    assert client.post(url("room_check_in", meeting)).status_code == 403


def test_member_check_in_with_htmx_swaps_the_panels(client, room, cast):
    meeting, users, inv = room
    running(meeting)
    login(client, cast.member, english=True)
    html = client.post(url("room_check_in", meeting), **HX).content.decode()
    assert 'id="room-status"' in html and 'id="room-votes"' in html and 'id="room-speakers"' in html
    assert 'id="room-attendance"' not in html  # a plain member gets no attendance panel
    assert html.count('hx-swap-oob="true"') == 5  # three panels, the poller and the notice
    assert "You are checked in." in html
    assert 'data-present="1" data-expected="4"' in html
    assert meeting.invitations.get(pk=inv["an"].pk).attendance == Attendance.PRESENT


def test_secretary_records_attendance(client, room, cast):
    meeting, users, inv = room
    services.answer(inv["dung"], None, rsvp="excused", reason="Đi công tác")
    running(meeting)
    login(client, users["cuong"], english=True)
    client.post(url("room_mark", meeting, inv["an"].pk), {"attendance": "late"}, **HX)
    client.post(url("room_mark", meeting, inv["binh"].pk), {"attendance": "present"})
    client.post(url("room_mark", meeting, inv["dung"].pk), {"attendance": "excused"}, **HX)  # reason from the RSVP
    # Absent with leave needs a reason: refused without one, nothing written.
    html = client.post(url("room_absence", meeting), {"absence-invitation": inv["cuong"].pk}, **HX).content.decode()
    assert 'data-level="error"' in html and meeting.invitations.get(pk=inv["cuong"].pk).attendance == ""
    client.post(url("room_absence", meeting), {"absence-invitation": inv["cuong"].pk, "absence-reason": "Ốm"}, **HX)
    rows = {i.pk: i for i in meeting.invitations.all()}
    assert (rows[inv["an"].pk].attendance, rows[inv["an"].pk].late) == (Attendance.PRESENT, True)
    assert (rows[inv["binh"].pk].attendance, rows[inv["binh"].pk].late) == (Attendance.PRESENT, False)
    assert (rows[inv["dung"].pk].attendance, rows[inv["dung"].pk].absence_reason) == (Attendance.EXCUSED, "Đi công tác")
    assert (rows[inv["cuong"].pk].attendance, rows[inv["cuong"].pk].absence_reason) == (Attendance.EXCUSED, "Ốm")
    status = panel_of(client, meeting, "status")
    assert 'data-present="2" data-expected="4"' in status
    # 2 of the 3 voters present: the quorum (2/3 of 3 = 2) is reached.
    assert 'data-quorate="1" data-needed="2" data-voters-present="2" data-eligible="3"' in status
    assert client.post(url("room_mark", meeting, 999999), {"attendance": "present"}).status_code == 404


def test_open_and_close_the_meeting(client, room, cast):
    meeting, users, inv = room
    login(client, cast.secretary)
    assert client.post(url("room_open", meeting)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS
    # Closing is irreversible: without the confirmation it is refused (409) with the question.
    refused = client.post(url("room_close", meeting), **HX)
    assert refused.status_code == 409 and 'data-level="error"' in refused.content.decode()
    refused = client.post(url("room_close", meeting))  # without JavaScript: a page asks
    assert refused.status_code == 409 and 'name="confirmed" value="close_meeting"' in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS
    html = client.post(url("room_close", meeting), {"confirmed": "close_meeting"}, **HX).content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and 'data-state="held"' in html
    # A closed meeting no longer polls.
    assert 'id="room-poll"' in html and "hx-trigger" not in html


# --- Speakers ---------------------------------------------------------------------------------------------


def test_speakers_list(client, room, cast):
    meeting, users, inv = room
    running(meeting, inv["an"], inv["binh"])
    login(client, cast.member, english=True)
    client.post(url("room_speak", meeting))
    html = client.post(url("room_speak", meeting), **HX).content.decode()  # a second request is refused
    assert "already on the speakers" in html
    login(client, users["binh"])
    client.post(url("room_speak", meeting), **HX)
    assert SpeakerRequest.objects.filter(meeting=meeting, state=SpeakerState.WAITING).count() == 2
    client.post(url("room_withdraw", meeting))
    login(client, users["cuong"])
    client.post(url("room_next_speaker", meeting), **HX)
    panel = panel_of(client, meeting, "speakers")
    assert f'id="speaking" data-speaker="{inv["an"].pk}"' in panel and 'id="waiting-empty"' in panel
    states = dict(SpeakerRequest.objects.filter(meeting=meeting).values_list("invitation_id", "state"))
    assert states == {inv["an"].pk: SpeakerState.SPEAKING, inv["binh"].pk: SpeakerState.WITHDRAWN}


# --- Votes ------------------------------------------------------------------------------------------------


def create_vote_via_page(client, meeting, *, method: str, rule: str, htmx: bool = True, question: str = "Q") -> Vote:
    data = {"vote-question": question, "vote-method": method, "vote-rule": rule, "vote-agenda_item": ""}
    response = client.post(url("room_vote_create", meeting), data, **(HX if htmx else {}))
    assert response.status_code == (200 if htmx else 302)
    return meeting.votes.latest("id")


def test_named_vote_from_creation_to_verdict(client, room, cast):
    meeting, users, inv = room
    running(meeting, inv["an"], inv["binh"], inv["cuong"], inv["dung"])
    item = meeting.agenda.get(position=2)
    login(client, users["cuong"], english=True)
    data = {"vote-question": "Đề nghị kết nạp", "vote-method": "named", "vote-rule": "two_thirds_members"}
    html = client.post(url("room_vote_create", meeting), {**data, "vote-agenda_item": item.pk}, **HX).content.decode()
    vote = meeting.votes.get()
    assert (vote.state, vote.agenda_item_id) == (VoteState.DRAFT, item.pk)
    assert 'id="vote-create"' in html and 'hx-swap-oob="true"' in html  # a fresh form comes back
    bad = client.post(url("room_vote_create", meeting), {"vote-method": "named"}, **HX).content.decode()
    assert 'data-level="error"' in bad and meeting.votes.count() == 1
    client.post(url("room_vote_open", meeting, vote.pk))
    vote.refresh_from_db()
    assert (vote.state, vote.eligible, vote.present, vote.quorate) == (VoteState.OPEN, 3, 4 - 1, True)

    for key, choice in (("an", "yes"), ("binh", "yes")):
        login(client, users[key], english=True)
        html = client.post(url("room_cast", meeting, vote.pk), {"choice": choice}, **HX).content.decode()
        assert "Your vote is recorded." in html
    # A second ballot is refused with a clear message; the count is unchanged.
    html = client.post(url("room_cast", meeting, vote.pk), {"choice": "no"}, **HX).content.decode()
    assert "You have already voted." in html and 'data-level="error"' in html
    assert Ballot.objects.filter(vote=vote).count() == 2
    assert Ballot.objects.get(vote=vote, invitation=inv["binh"]).choice == "yes"
    response = client.post(url("room_cast", meeting, vote.pk), {"choice": "no"})  # without HTMX: message
    assert response.status_code == 302
    assert "You have already voted." in client.get(url("room", meeting)).content.decode()
    # A probationary member attends but may not vote: no buttons, and a forged POST is refused.
    login(client, users["dung"], english=True)
    panel = panel_of(client, meeting, "votes")
    assert "not entitled to vote" in panel and "data-choice" not in panel
    html = client.post(url("room_cast", meeting, vote.pk), {"choice": "yes"}, **HX).content.decode()
    assert "not entitled to vote" in html and Ballot.objects.filter(vote=vote).count() == 2
    # While open, the runner sees how many have voted, not what.
    login(client, users["cuong"], english=True)
    panel = panel_of(client, meeting, "votes")
    assert 'data-cast="2" data-present="3"' in panel and "data-verdict" not in panel
    assert client.post(url("room_vote_close", meeting, vote.pk), **HX).status_code == 409
    assert Vote.objects.get(pk=vote.pk).state == VoteState.OPEN
    html = client.post(url("room_vote_close", meeting, vote.pk), CLOSE_VOTE, **HX).content.decode()
    assert "The vote is closed: Passed." in html
    vote.refresh_from_db()
    assert (vote.yes, vote.no, vote.abstain, vote.needed, vote.passed) == (2, 0, 0, 2, True)
    assert 'data-verdict="passed"' in html and 'data-needed="2"' in html
    # An open vote by name shows the names once closed.
    assert "Bình: In favour" in panel_of(client, meeting, "votes")


def test_vote_by_count_needs_the_numbers(client, room, cast):
    meeting, users, inv = room
    running(meeting, inv["an"], inv["binh"])
    login(client, cast.secretary, english=True)
    vote = create_vote_via_page(client, meeting, method="count", rule="majority_present", htmx=False)
    client.post(url("room_vote_open", meeting, vote.pk), **HX)
    field = f"count{vote.pk}"
    panel = panel_of(client, meeting, "votes")
    assert f'name="{field}-yes"' in panel
    html = client.post(
        url("room_vote_close", meeting, vote.pk), {f"{field}-yes": "3", f"{field}-no": "0", **CLOSE_VOTE}, **HX
    )
    assert "only 2 voters are present" in html.content.decode()
    assert Vote.objects.get(pk=vote.pk).state == VoteState.OPEN
    client.post(url("room_vote_close", meeting, vote.pk), {f"{field}-yes": "1", f"{field}-no": "1", **CLOSE_VOTE})
    vote.refresh_from_db()
    assert (vote.state, vote.yes, vote.no, vote.abstain) == (VoteState.CLOSED, 1, 1, 0)
    assert (vote.needed, vote.passed) == (2, False)
    # Members cannot vote on a show of hands.
    login(client, cast.member)
    assert "data-choice" not in panel_of(client, meeting, "votes")


@pytest.mark.parametrize(
    ("rule", "present", "yes", "needed", "verdict"),
    [
        # 3 entitled to vote (An, Bình, Cường); quorum 2/3 → 2 present.
        (VoteRule.MAJORITY_OF_MEMBERS, 3, 2, 2, "passed"),
        (VoteRule.MAJORITY_OF_MEMBERS, 3, 1, 2, "failed"),
        (VoteRule.MAJORITY_OF_PRESENT, 2, 2, 2, "passed"),
        (VoteRule.MAJORITY_OF_PRESENT, 2, 1, 2, "failed"),
        (VoteRule.TWO_THIRDS_OF_MEMBERS, 3, 2, 2, "passed"),
        (VoteRule.TWO_THIRDS_OF_MEMBERS, 2, 1, 2, "failed"),
        (VoteRule.MAJORITY_OF_PRESENT, 1, 1, 1, "no_quorum"),
    ],
)
def test_verdict_display_for_each_rule(client, room, cast, rule, present, yes, needed, verdict):
    meeting, users, inv = room
    running(meeting, *[inv[k] for k in ("an", "binh", "cuong")[:present]])
    login(client, cast.office, english=True)
    vote = create_vote_via_page(client, meeting, method="count", rule=rule)
    client.post(url("room_vote_open", meeting, vote.pk), {"confirmed": "open_vote_without_quorum"}, **HX)
    field = f"count{vote.pk}"
    data = {f"{field}-yes": yes, f"{field}-no": 0, **CLOSE_VOTE}
    html = client.post(url("room_vote_close", meeting, vote.pk), data, **HX)
    label = {"passed": "Passed", "failed": "Not passed", "no_quorum": "No quorum: not passed"}[verdict]
    assert f"The vote is closed: {label}." in html.content.decode()
    for page in (url("room_live", meeting), url("projector_live", meeting)):
        content = client.get(page).content.decode()
        assert f'data-verdict="{verdict}"' in content and f'data-needed="{needed}"' in content
        assert f'data-yes="{yes}"' in content and f"<strong>{label}</strong>" in content


# --- Live panels --------------------------------------------------------------------------------------------


def test_poll_answers_204_when_nothing_changed(client, room, cast):
    meeting, users, inv = room
    running(meeting)
    login(client, cast.secretary)
    page = client.get(url("room", meeting)).content.decode()
    poll = re.search(r'id="room-poll" hidden data-url="([^"]+)" hx-get="[^"]+" hx-trigger="every 2s"', page).group(1)
    poll = poll.replace("&amp;", "&")
    assert client.get(poll).status_code == 204
    services.check_in(inv["an"], None)
    changed = client.get(poll).content.decode()
    # Only the panels that changed come back (status and attendance), with a poller carrying the new versions.
    assert re.findall(r'<section id="room-(\w+)"', changed) == ["status", "attendance"]
    assert 'data-present="1"' in changed
    fresh = re.search(r'id="room-poll" hidden data-url="([^"]+)"', changed).group(1).replace("&amp;", "&")
    assert fresh != poll and client.get(fresh).status_code == 204
    projector = client.get(url("projector_live", meeting)).content.decode()
    poll = re.search(r'hx-get="([^"]+)"', projector).group(1)
    assert client.get(poll).status_code == 204


def _queries(client, page: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(page).status_code == 200
    return len(context.captured_queries)


def test_polls_cost_few_queries_whatever_the_size(client, room, cast, django_assert_max_num_queries):
    meeting, users, inv = room
    running(meeting, *inv.values())
    vote = services.create_vote(meeting, None, question="Thông qua", method=VoteMethod.NAMED, rule="majority_present")
    services.open_vote(vote, None)
    services.cast(vote, inv["an"], "yes")
    services.request_to_speak(inv["an"], None)
    closed = services.create_vote(meeting, None, question="Trước", method=VoteMethod.NAMED, rule="majority_present")
    Vote.objects.filter(pk=closed.pk).update(state=VoteState.CLOSED, yes=1, no=0, abstain=0, quorate=True)
    Ballot.objects.create(vote=closed, invitation=inv["binh"], choice="yes")
    viewers = {"runner": users["cuong"], "member": cast.member}
    pages = [url("room_live", meeting), url("projector_live", meeting)]
    small = {(name, page): _queries(login(client, user), page) for name, user in viewers.items() for page in pages}
    # 40 more people present, speaking and voting: the same number of queries.
    for i in range(40):
        guest = services.invite_guest(meeting, None, name=f"Khách mời {i:02d}", title="Đại biểu")
        services.check_in(guest, None)
        services.request_to_speak(guest, None)
        Ballot.objects.create(vote=closed, invitation=guest, choice="no")
    large = {(name, page): _queries(login(client, user), page) for name, user in viewers.items() for page in pages}
    assert large == small
    # One poll renders every panel of the page. The budgets include the session and the user, and a write
    # of the session (now at most every SESSION_REFRESH_SECONDS, dangvu.accounts.middleware): 5 queries.
    for user in viewers.values():
        login(client, user)
        with django_assert_max_num_queries(16):
            client.get(url("room_live", meeting))
        with django_assert_max_num_queries(14):
            client.get(url("projector_live", meeting))


# --- Secret votes ---------------------------------------------------------------------------------------------


def _normalise(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    html = re.sub(r'name="once_token" value="[^"]*"', "", html)  # a one-time form token (dangvu.web.once)
    html = re.sub(r"\?v=[0-9a-f]+", "", html)  # the version of a panel follows its content
    return re.sub(r"\b\d{2}:\d{2}\b", "HH:MM", html)


def _everything(client, meeting, viewers) -> dict:
    """Every room and projector page and fragment, as each viewer (plus the meeting's record page)."""
    pages = [url("room", meeting), url("projector", meeting), url("projector_live", meeting)]
    pages.append(url("room_live", meeting))
    with contextlib.suppress(NoReverseMatch):  # the meeting's record page, once it exists
        pages.append(reverse("meetings:detail", args=[meeting.pk]))
    seen = {}
    for name, user in viewers.items():
        login(client, user)
        for page in pages:
            response = client.get(page)
            if response.status_code == 200:
                seen[(name, page)] = _normalise(response.content.decode())
    return seen


def test_secret_vote_never_links_a_person_to_a_choice(client, room, cast):
    """The same people cast the same choices, assigned differently between two runs (undone with a savepoint):
    every page and fragment, as every viewer, during and after the vote, is identical in both runs, so no page
    can tell who chose what. A voter is told that their ballot counts, never which choice it was."""
    meeting, users, inv = room
    running(meeting, inv["an"], inv["binh"], inv["cuong"], inv["dung"])
    vote = services.create_vote(meeting, None, question="Bầu bí thư", method=VoteMethod.SECRET, rule="majority_members")
    services.open_vote(vote, None)
    viewers = {"runner": cast.secretary, "an": users["an"], "binh": users["binh"], "cuong": users["cuong"]}
    viewers["dung"] = users["dung"]
    runs = {}
    for run, choices in {"first": ("no", "yes"), "second": ("yes", "no")}.items():
        with transaction.atomic():
            services.cast(vote, inv["an"], choices[0])
            services.cast(vote, inv["binh"], choices[1])
            services.cast(vote, inv["cuong"], "abstain")
            during = _everything(client, meeting, viewers)
            services.close_vote(vote, cast.secretary)
            after = _everything(client, meeting, viewers)
            transaction.set_rollback(True)
        runs[run] = (during, after)
        assert Vote.objects.get(pk=vote.pk).state == VoteState.OPEN and not SecretReceipt.objects.filter(vote=vote)
        assert set(SecretCount.objects.filter(vote=vote).values_list("n", flat=True)) == {0}
    assert runs["first"][0].keys() == runs["second"][0].keys() and len(runs["first"][0]) >= 20
    for phase in (0, 1):
        for key, html in runs["first"][phase].items():
            assert html == runs["second"][phase][key], key
    during, after = runs["first"]
    # The voter is told their ballot is recorded, without any choice, and the results wait for the close.
    an_votes = during[("an", url("room_live", meeting))]
    assert 'id="vote-recorded"' in an_votes and "data-choice" not in an_votes and "data-verdict" not in an_votes
    assert 'data-cast="3" data-present="3"' in an_votes
    for html in after.values():
        assert "vote-names" not in html  # no list of ballots by name for a secret vote
    assert 'data-yes="1" data-no="1" data-abstain="1"' in after[("runner", url("room_live", meeting))]
    assert SecretReceipt.objects.filter(vote=vote).count() == 0  # undone


def test_members_devices_poll_less_often_than_the_runners(client, room, cast):
    """200 tablets polling every 2 s overload a small server (bench/meeting_load.py): members poll every
    5 s, the secretary's page every 2 s."""
    meeting, users, inv = room
    running(meeting)
    login(client, cast.member)
    assert 'hx-trigger="every 5s"' in client.get(url("room", meeting)).content.decode()
    login(client, cast.secretary)
    assert 'hx-trigger="every 2s"' in client.get(url("room", meeting)).content.decode()
