"""A vote's threshold is named with the shares of the rule set of the meeting's day (issue 8 item 8), the
day `services.votes_needed` counts with: the meeting page, the room, the projector, the vote form, the API's
`rule_label` and the minutes (DOCX) say "more than 3/5" and "at least three quarters" under a rule set that
says so, and "more than half" and "at least two thirds" the day before it takes effect.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangvu.api.tests.conftest import ApiClient
from dangvu.documents.meetings import Record, vote_lines
from dangvu.meetings import services, thresholds
from dangvu.meetings.models import MeetingKind, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import inv, members, plan
from dangvu.meetings.tests.test_votes import by_count
from dangvu.rules.models import RuleSet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]

M, P, Q = VoteRule.MAJORITY_OF_MEMBERS, VoteRule.MAJORITY_OF_PRESENT, VoteRule.TWO_THIRDS_OF_MEMBERS
NEW_SHARES = {"meeting.majority": "3/5", "meeting.qualified": "0.75"}
EFFECTIVE = dt.date(2026, 3, 10)

DEFAULT_VI = {
    M: "Quá nửa tổng số người có quyền biểu quyết",
    P: "Quá nửa số người có quyền biểu quyết có mặt",
    Q: "Ít nhất hai phần ba tổng số người có quyền biểu quyết",
}
NEW_VI = {
    M: "Quá 3/5 tổng số người có quyền biểu quyết",
    P: "Quá 3/5 số người có quyền biểu quyết có mặt",
    Q: "Ít nhất ba phần tư tổng số người có quyền biểu quyết",
}


def new_rules(effective: dt.date = EFFECTIVE) -> RuleSet:
    return RuleSet.objects.create(effective_from=effective, name="Quy định biểu quyết mới", values=NEW_SHARES)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_labels_on_both_sides_of_the_effective_date(tree):
    new_rules()
    with translation.override("vi"):
        assert thresholds.labels_on(EFFECTIVE - dt.timedelta(days=1)) == DEFAULT_VI
        assert thresholds.labels_on(EFFECTIVE) == NEW_VI
    with translation.override("en"):
        assert thresholds.labels_on(EFFECTIVE - dt.timedelta(days=1)) == {
            M: "More than half of the members entitled to vote",
            P: "More than half of the voters present",
            Q: "At least two thirds of the members entitled to vote",
        }
        assert thresholds.labels_on(EFFECTIVE)[Q] == "At least three quarters of the members entitled to vote"
        assert thresholds.labels_on(EFFECTIVE)[M] == "More than 3/5 of the members entitled to vote"


def test_a_share_without_a_name_is_written_as_a_fraction(tree):
    RuleSet.objects.create(effective_from=EFFECTIVE, name="Thử", values={"meeting.qualified": "4/5"})
    with translation.override("vi"):
        assert thresholds.labels_on(EFFECTIVE)[Q] == "Ít nhất 4/5 tổng số người có quyền biểu quyết"


@pytest.fixture
def held(tree):
    """Meetings of cell C3 (10 entitled, all present) the day before and on the effective date, each with a
    closed vote of each threshold (everyone in favour)."""
    new_rules()
    members(tree.c3, 9)  # and Phạm Thị Em (the cast's people)
    out = {}
    for day in (EFFECTIVE - dt.timedelta(days=1), EFFECTIVE):
        meeting = plan(tree.c3, day=day)
        services.open_meeting(meeting, None)
        for invitation in meeting.invitations.filter(may_vote=True):
            services.check_in(invitation, None, at=meeting.starts_at)
        out[day] = (meeting, {rule: by_count(meeting, rule, 10) for rule in (M, P, Q)})
    return out


def test_the_meeting_page_the_api_and_the_minutes_name_the_shares_of_the_meeting_day(client, cast, held):
    before, on = EFFECTIVE - dt.timedelta(days=1), EFFECTIVE
    # The service counts with the same shares: of 10, more than half is 6, two thirds 7, more than 3/5 is 7,
    # three quarters 8.
    assert {r: v.needed for r, v in held[before][1].items()} == {M: 6, P: 6, Q: 7}
    assert {r: v.needed for r, v in held[on][1].items()} == {M: 7, P: 7, Q: 8}
    api = ApiClient(client, cast.outsider)  # committee B's office (cell C3)
    client.force_login(cast.outsider)
    for day, expected in ((before, DEFAULT_VI), (on, NEW_VI)):
        meeting, votes = held[day]
        page = text(client.get(reverse("meetings:detail", args=[meeting.pk])))
        shown = dict(re.findall(r'data-vote="(\d+)".*?<span class="mtg-rule">(.*?)</span>', page))
        assert shown == {str(votes[r].pk): expected[r] for r in (M, P, Q)}, day
        body = api.get(f"/meetings/{meeting.pk}").json()
        assert {v["rule"]: v["rule_label"] for v in body["votes"]} == expected, day
        assert api.get(f"/votes/{votes[Q].pk}").json()["rule_label"] == expected[Q]
        # The minutes (DOCX) quote the same shares, with the votes needed.
        record = Record.of(meeting)
        lines = {r: vote_lines(record, votes[r])[1].text for r in (M, P, Q)}
        if day == on:
            assert "quá 3/5 tổng số đảng viên có quyền biểu quyết (7 phiếu tán thành)" in lines[M]
            assert "ít nhất 3/4 tổng số đảng viên có quyền biểu quyết (8 phiếu tán thành)" in lines[Q]
        else:
            assert "quá 1/2 tổng số đảng viên có quyền biểu quyết (6 phiếu tán thành)" in lines[M]
            assert "ít nhất 2/3 tổng số đảng viên có quyền biểu quyết (7 phiếu tán thành)" in lines[Q]


@pytest.mark.parametrize(("offset", "expected"), [(0, NEW_VI), (1, DEFAULT_VI)], ids=["in-force", "day-before"])
def test_the_room_the_projector_and_the_vote_form_name_the_shares_of_the_meeting_day(
    client, tree, people, cast, offset, expected
):
    """A meeting of cell C1 now; the rule set takes effect today (in force) or tomorrow (not yet)."""
    meeting = services.create_meeting(
        tree.c1, cast.secretary, kind=MeetingKind.REGULAR, starts_at=timezone.now(), place="Phòng họp"
    )
    new_rules(services.meeting_day(meeting) + dt.timedelta(days=offset))
    services.open_meeting(meeting, None)
    for key in ("an", "binh"):
        services.check_in(inv(meeting, people[key]), None)
    vote = services.create_vote(meeting, None, question="Thông qua nghị quyết", method=VoteMethod.NAMED, rule=Q)
    services.open_vote(vote, None)
    services.create_vote(meeting, None, question="Bầu tổ trưởng", method=VoteMethod.COUNT, rule=P)
    client.force_login(cast.secretary)  # runs the meetings of cell C1 by role

    room = text(client.get(reverse("meetings:room", args=[meeting.pk])))
    assert re.findall(r'<span class="room-rule">(.*?)</span>', room) == [expected[Q], expected[P]]
    options = dict(
        re.findall(r'<option value="(majority_members|majority_present|two_thirds_members)"[^>]*>(.*?)<', room)
    )
    assert options == expected
    projector = text(client.get(reverse("meetings:projector", args=[meeting.pk])))
    assert re.findall(r'<span class="projector-rule">(.*?)</span>', projector) == [expected[Q]]
    other = NEW_VI if expected is DEFAULT_VI else DEFAULT_VI
    assert other[Q] not in room + projector
