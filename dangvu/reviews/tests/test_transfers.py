"""Members transferred during the year (issue 11 item 6), read from the transfer records: listed but not
graded when in transit at the opening or moved out of the campaign's subtree, the review following the member
to a receiving cell inside it, the committee's decision not held up by them, and the statistics splitting
the members not reviewed (received by transfer, admitted during the year, other) — shown on the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.reviews import moves, services, stats
from dangvu.reviews.models import Exclusion, Grade, ReviewState
from dangvu.reviews.tests.conftest import OPENED, TIMETABLE
from dangvu.transfers import services as transfers
from dangvu.transfers.models import TransferKind

pytestmark = pytest.mark.django_db
D = dt.date


def letter(member, actor, to, day: dt.date):
    return transfers.issue(
        member, actor, kind=TransferKind.OFFICIAL, letter_number="9-GT/ĐU", letter_date=day, to_organisation=to
    )


def test_in_transit_at_the_opening_is_listed_transferred_and_shown(client, tree, cast, people):
    letter(people["binh"], cast.office, tree.c3, D(2026, 11, 10))
    campaign = services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)
    binh = campaign.reviews.get(member=people["binh"])
    assert (binh.exclusion, binh.organisation) == (Exclusion.TRANSFERRED, tree.c1)
    counts = stats.distribution(tree.a, 2026).combined
    assert (counts.excluded[Exclusion.TRANSFERRED], counts.transferred, counts.pending) == (1, 1, 2)
    client.force_login(cast.office)
    page = client.get(f"/orgs/{tree.a.pk}/").content.decode()
    assert 'data-reason="Chuyển sinh hoạt trong năm"' in page


def test_the_review_follows_a_member_received_inside_the_subtree(tree, cast, people, campaign):
    t = letter(people["binh"], cast.office, tree.c2, D(2026, 11, 25))
    assert moves.note_transfers(campaign, cast.office) == 1
    review = campaign.reviews.get(member=people["binh"])
    assert (review.exclusion, review.organisation) == (Exclusion.TRANSFERRED, tree.c1)  # in transit
    transfers.acknowledge(t, cast.office, date=D(2026, 11, 28))
    assert moves.note_transfers(campaign, cast.office) == 1
    review.refresh_from_db()
    assert (review.exclusion, review.organisation, review.org_path) == (Exclusion.NONE, tree.c2, tree.c2.path)
    assert review.history.first().history_change_reason.startswith("transfer 9-GT/ĐU")
    assert moves.note_transfers(campaign, cast.office) == 0  # nothing left to change


def test_a_member_gone_to_another_committee_does_not_hold_up_the_decision(tree, cast, people, campaign):
    t = letter(people["binh"], cast.office, tree.c3, D(2026, 11, 25))
    transfers.acknowledge(t, cast.outsider, date=D(2026, 11, 27))
    for key, cell in (("an", tree.c1), ("duc", tree.c2)):
        review = campaign.reviews.get(member=people[key])
        services.save_self_assessment(
            review, services.SelfAssessment("2B", {"general": "25", "tasks": "55"}), cast.office, submit=True
        )
        services.propose(campaign, cell, [services.Proposal(review.pk, Grade.GOOD)], D(2026, 12, 2), cast.office)
    services.decide(campaign, tree.a_base, "31-QĐ/ĐU", D(2026, 12, 5), cast.office)
    binh = campaign.reviews.get(member=people["binh"])
    assert (binh.exclusion, binh.state) == (Exclusion.TRANSFERRED, ReviewState.DRAFT)
    counts = stats.distribution(tree.a_base, 2026).combined
    assert (counts.grades[Grade.GOOD], counts.transferred, counts.pending) == (2, 1, 0)


def test_members_without_a_review_are_split_by_why(tree, cast, people, campaign):
    transfers.receive_from_outside(
        {"full_name": "Lâm Văn Đến", "sex": "M", "birth_date": D(1990, 2, 3)},
        tree.c2,
        cast.office,
        date=D(2026, 11, 30),
        from_external="Đảng bộ tỉnh Hậu Giang",
        letter_number="7-GT/TU",
        letter_date=D(2026, 11, 26),
        admission_date=D(2015, 6, 1),
        official_date=D(2016, 6, 1),
    )
    testing.member(tree.c1, admitted=D(2026, 11, 25), official=False)
    counts = stats.distribution(tree.a, 2026).combined
    assert counts.unreviewed == {stats.TRANSFERRED_IN: 1, stats.NEW: 1}
    assert (counts.not_reviewed, counts.transferred) == (2, 1)
    assert dict(counts.unreviewed_rows()) == {"Chuyển sinh hoạt trong năm": 1, "Kết nạp trong năm": 1}
    other = stats.distribution(tree.b, 2026).combined  # committee B opened no review
    assert other.unreviewed == {stats.OTHER: 1}


def test_the_daily_job_notes_the_transfers_of_open_reviews(tree, cast, people, campaign):
    from dangvu.reviews import jobs
    from dangvu.tasks.jobs import SCHEDULES

    letter(people["duc"], cast.office, tree.c3, D(2026, 11, 26))
    assert jobs.note_transfers.call(scheduled_for="2026-12-06T02:30:00+07:00") == 1
    assert campaign.reviews.get(member=people["duc"]).exclusion == Exclusion.TRANSFERRED
    assert any(s.task is jobs.note_transfers and s.daily_at for s in SCHEDULES.values())
