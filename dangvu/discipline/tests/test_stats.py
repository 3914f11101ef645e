"""Discipline statistics by form, category and subject with lineage: across a merger, per predecessor and
combined, adding up; the yearly review reads 'disciplined in the year' from the cases."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.discipline import services, stats
from dangvu.discipline.models import AppealOutcome, Form, Organ
from dangvu.discipline.queries import disciplined_in_year
from dangvu.discipline.tests.conftest import decision, open_member_case
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind

pytestmark = pytest.mark.django_db


def _discipline(member, form, day, by, organ=Organ.COMMITTEE, actor=None, category="party_duties"):
    case = open_member_case(
        member,
        actor,
        form,
        violation=day - dt.timedelta(days=60),
        opened=day - dt.timedelta(days=30),
        category=category,
    )
    return services.decide(case, decision(form, by, organ, day=day), actor)


def test_across_a_merger_per_predecessor_and_combined(tree, cast):
    # Two predecessors under the city: A (A1 → C1, C2) and B (B1 → C3); merged into a new S on 01/10/2025.
    p1 = [testing.member(tree.c1) for _ in range(3)]
    p2 = [testing.member(tree.c3) for _ in range(2)]
    _discipline(p1[0], Form.REPRIMAND, dt.date(2021, 5, 1), tree.c1, actor=cast.inspector)
    _discipline(p1[1], Form.WARNING, dt.date(2023, 5, 1), tree.a_base, actor=cast.inspector, category="corruption")
    _discipline(p1[2], Form.EXPULSION, dt.date(2024, 5, 1), tree.a_base, actor=cast.inspector)
    _discipline(p2[0], Form.REPRIMAND, dt.date(2022, 5, 1), tree.c3, actor=cast.inspector)
    org_case = services.open_case(
        organisation=tree.c3,
        category="democratic_centralism",
        facts="x",
        violation_date=dt.date(2024, 1, 1),
        proposed_form=Form.WARNING,
        opened_on=dt.date(2024, 2, 1),
        actor=cast.inspector,
    )
    services.decide(org_case, decision(Form.WARNING, tree.b_base, day=dt.date(2024, 3, 1)), cast.inspector)
    effects = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    )
    s = effects.created[0]
    _discipline(p2[1], Form.WARNING, dt.date(2026, 2, 1), tree.b_base, actor=cast.inspector)
    # An annulled discipline does not count.
    annulled = _discipline(p1[0], Form.WARNING, dt.date(2026, 3, 1), tree.c1, actor=cast.inspector)
    annulled = services.lodge_appeal(annulled, dt.date(2026, 3, 10), "UBKT", cast.inspector)
    services.settle_appeal(annulled, AppealOutcome.ANNULLED, dt.date(2026, 4, 1), "9-QĐ", cast.inspector)

    start, end = dt.date(2020, 10, 1), dt.date(2026, 12, 31)
    report = stats.discipline(s, start, end)
    by_root = {part.organisation.code: part for part in report.parts}
    assert set(by_root) == {"S", "A", "B"}
    assert by_root["A"].by_subject[stats.MEMBERS] == {"reprimand": 1, "warning": 1, "expulsion": 1}
    assert by_root["B"].by_subject[stats.MEMBERS] == {"reprimand": 1}
    assert by_root["B"].by_subject[stats.ORGANISATIONS] == {"warning": 1}
    assert by_root["S"].by_subject[stats.MEMBERS] == {"warning": 1}
    assert report.combined.members == 5 == sum(p.members for p in report.parts)
    assert report.combined.organisations == 1
    assert report.combined.total == sum(report.combined.categories.values()) == 6
    assert report.combined.categories["corruption"] == 1
    # Without lineage only the successor's own; a year; a predecessor on its own.
    assert stats.discipline(s, start, end, lineage=False).combined.total == 1
    assert stats.discipline(s, *stats.period(year=2024)).combined.total == 2
    assert stats.discipline(tree.b, start, end).combined.total == 2


def test_committee_members_are_counted_among_members(tree, people, cast, seat):
    services.decide(
        open_member_case(people["duc"], cast.inspector, Form.WARNING),
        decision(Form.WARNING, tree.a_base),
        cast.inspector,
    )
    counts = stats.discipline(tree.a, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).combined
    assert counts.by_subject[stats.COMMITTEE_MEMBERS] == {"warning": 1} and counts.members == 1


def test_disciplined_in_the_year_feeds_the_review(tree, people, cast):
    services.decide(open_member_case(people["an"], cast.inspector), decision(Form.REPRIMAND, tree.c1), cast.inspector)
    ids = [people["an"].pk, people["binh"].pk]
    assert disciplined_in_year(ids, 2026) == {people["an"].pk}
    assert disciplined_in_year(ids, 2025) == set()


def test_review_cap_reads_the_discipline_cases(tree, people, cast):
    """The cell does not tick 'disciplined': the case decided in the year still caps the grade."""
    from dangvu.lib.errors import DomainError
    from dangvu.reviews import services as reviews
    from dangvu.reviews.models import Grade
    from dangvu.reviews.tests.conftest import OPENED, TIMETABLE
    from dangvu.reviews.tests.test_decision import MEETING, submit_all

    services.decide(open_member_case(people["an"], cast.inspector), decision(Form.REPRIMAND, tree.c1), cast.inspector)
    campaign = reviews.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)
    submit_all(campaign, cast.member)
    review = campaign.reviews.get(member=people["an"])
    with pytest.raises(DomainError) as error:
        reviews.propose(campaign, tree.c1, [reviews.Proposal(review.pk, Grade.GOOD)], MEETING, cast.secretary)
    from dangvu.rules import presentation

    assert presentation.label("review.disciplined_grade") in error.value.message_dict["grade"][0]
    reviews.propose(campaign, tree.c1, [reviews.Proposal(review.pk, Grade.NOT_COMPLETED)], MEETING, cast.secretary)
    review.refresh_from_db()
    assert review.disciplined
