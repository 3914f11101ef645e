"""Meeting planning and the room as a secretary meets them (issue 9 item 12): a date too far back is refused
beside the date field (rule `meeting.record_past_days`, both sides of the boundary), the chair and the minutes
secretary are proposed, the quorum forecast does not call a meeting safe before anyone has confirmed, the
open vote's "of N present" follows the check-ins, and a vote opened without a quorum is warned and asked."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.lib.errors import DomainError
from dangvu.meetings import services
from dangvu.meetings.models import Meeting, MeetingKind, Rsvp, VoteState
from dangvu.meetings.tests.test_lifecycle import members, plan
from dangvu.meetings.tests.test_room import HX, login, panel_of, room, running, url  # noqa: F401 (fixture)
from dangvu.meetings.tests.test_views import _create_data
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def _plan(client, tree, people, day: dt.date):
    return client.post(
        f"{reverse('meetings:create')}?organisation={tree.c1.pk}", _create_data(people, date=f"{day:%d/%m/%Y}")
    )


def test_a_date_further_back_than_the_rule_allows_is_refused_beside_the_date(client, cast, tree, people):
    client.force_login(cast.secretary)
    today = timezone.localdate()
    limit = 30  # meeting.record_past_days by default
    response = _plan(client, tree, people, today - dt.timedelta(days=limit + 1))
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert response.context["form"].errors["date"]  # beside the field, not a banner
    assert _plan(client, tree, people, today - dt.timedelta(days=limit)).status_code == 302  # the boundary
    assert _plan(client, tree, people, today + dt.timedelta(days=7)).status_code == 302
    assert Meeting.objects.count() == 2
    # The service refuses as well (the API and any other caller), and a later rule set moves the limit.
    with pytest.raises(DomainError):
        services.create_meeting(
            tree.c1,
            None,
            kind=MeetingKind.REGULAR,
            starts_at=timezone.now() - dt.timedelta(days=limit + 2),
            place="P",
        )
    RuleSet.objects.create(effective_from=today, name="Ghi nhận 90 ngày", values={"meeting.record_past_days": 90})
    assert _plan(client, tree, people, today - dt.timedelta(days=90)).status_code == 302
    assert _plan(client, tree, people, today - dt.timedelta(days=91)).status_code == 200


def test_the_chair_and_minutes_secretary_are_proposed(client, cast, tree, people):
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 1, 1), end=dt.date(2030, 12, 31))
    committee = committees.elect_committee(tree.c1, term, dt.date(2025, 1, 1), None)
    committees.add_seat(committee, people["an"], Position.DEPUTY_SECRETARY, dt.date(2025, 1, 1), None)
    committees.add_seat(committee, people["binh"], Position.SECRETARY, dt.date(2025, 1, 1), None)
    client.force_login(cast.secretary)
    form = client.get(f"{reverse('meetings:create')}?organisation={tree.c1.pk}").context["form"]
    assert form["chair"].value() == people["binh"].pk  # the cell's secretary chairs
    assert form["secretary"].value() == people["an"].pk  # the deputy takes the minutes
    # A cell without a committee: nothing is guessed.
    client.force_login(cast.office)
    form = client.get(f"{reverse('meetings:create')}?organisation={tree.c2.pk}").context["form"]
    assert form["chair"].value() is None and form["secretary"].value() is None


def test_the_forecast_says_enough_only_when_enough_have_confirmed(client, cast, tree, people):
    """20 entitled to vote in C2 (Lê Minh Đức and 19 more): 2/3 × 20 = 13.33, so 14 needed. 0 and 13
    confirmed are "not yet", 14 is "enough" — on the planning page the secretary reads."""
    others = members(tree.c2, 19)
    meeting = plan(tree.c2, day=timezone.localdate() + dt.timedelta(days=7))
    invitations = {i.member_id: i for i in meeting.invitations.all()}
    voters = [people["duc"], *others]
    client.force_login(cast.office)
    page = reverse("meetings:detail", args=[meeting.pk])
    enough = "Đã đủ đảng viên xác nhận dự họp"

    def shown() -> str:
        html = client.get(page).content.decode()
        return re.search(r'<section class="card" aria-labelledby="h-forecast".*?</section>', html, re.S).group(0)

    section = shown()
    assert 'data-eligible="20"' in section and 'data-needed="14"' in section and 'data-attending="0"' in section
    assert 'data-likely="0"' in section and enough not in section and "14" in section
    for m in voters[:13]:
        services.answer(invitations[m.pk], None, rsvp=Rsvp.ATTENDING)
    section = shown()  # needed - 1 confirmed: not enough
    assert 'data-attending="13"' in section and 'data-likely="0"' in section and 'data-outlook="open"' in section
    assert enough not in section
    services.answer(invitations[voters[13].pk], None, rsvp=Rsvp.ATTENDING)
    section = shown()  # needed confirmed: enough
    assert 'data-attending="14"' in section and 'data-likely="1"' in section and 'data-outlook="likely"' in section
    assert enough in section


def test_open_goes_to_the_room(client, room, cast):  # noqa: F811
    meeting, users, inv = room
    client.force_login(cast.secretary)
    response = client.post(reverse("meetings:open", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:room", args=[meeting.pk])


def test_the_open_vote_counts_the_voters_present_now(client, room, cast):  # noqa: F811
    meeting, users, inv = room
    running(meeting, inv["an"], inv["binh"])
    vote = services.create_vote(meeting, None, question="Thông qua", method="named", rule="majority_present")
    services.open_vote(vote, None)
    login(client, cast.secretary)
    assert 'data-cast="0" data-present="2"' in panel_of(client, meeting, "votes")
    services.check_in(inv["cuong"], None)  # a third voter arrives while the vote is open
    assert 'data-cast="0" data-present="3"' in panel_of(client, meeting, "votes")
    projector = client.get(url("projector_live", meeting)).content.decode()
    assert re.search(r"0\D+3", projector)


def test_a_vote_opened_without_a_quorum_is_warned_and_asked(client, room, cast):  # noqa: F811
    meeting, users, inv = room
    running(meeting, inv["an"])  # 1 of 3 voters: no quorum (2 needed)
    vote = services.create_vote(meeting, None, question="Thông qua", method="named", rule="majority_present")
    login(client, cast.secretary, english=True)
    panel = panel_of(client, meeting, "votes")
    assert f'data-no-quorum="{vote.pk}"' in panel and 'data-confirm="open_vote_without_quorum"' in panel
    refused = client.post(url("room_vote_open", meeting, vote.pk), **HX)
    assert refused.status_code == 409 and "Open the vote without a quorum?" in refused.content.decode()
    vote.refresh_from_db()
    assert vote.state == VoteState.DRAFT
    client.post(url("room_vote_open", meeting, vote.pk), {"confirmed": "open_vote_without_quorum"}, **HX)
    vote.refresh_from_db()
    assert vote.state == VoteState.OPEN and not vote.quorate
    # With the quorum, opening is one click.
    services.close_vote(vote, None)
    services.check_in(inv["binh"], None)
    second = services.create_vote(meeting, None, question="Lần hai", method="named", rule="majority_present")
    panel = panel_of(client, meeting, "votes")
    assert "data-no-quorum" not in panel and 'data-confirm="open_vote_without_quorum"' not in panel
    client.post(url("room_vote_open", meeting, second.pk), **HX)
    second.refresh_from_db()
    assert second.state == VoteState.OPEN and second.quorate
