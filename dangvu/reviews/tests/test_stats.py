"""The grade distribution (issue 11 item 6) across a merger: per predecessor and combined, with the members
not graded and not reviewed shown, and in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.members.models import Member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.reviews import services, stats
from dangvu.reviews.models import Exclusion, Grade

pytestmark = pytest.mark.django_db
D = dt.date
OPEN_2025 = D(2025, 12, 1)
PLAN = services.Timetable(D(2025, 12, 10), D(2025, 12, 20), D(2025, 12, 31))


def run_2025(tree, office, grades: dict) -> None:
    """The 2025 review of A1: every self-assessment submitted, the cells propose `grades`, A1 decides."""
    campaign = services.open_campaign(tree.a_base, 2025, OPEN_2025, PLAN, office)
    for review in campaign.reviews.exclude(exclusion__gt=""):
        data = services.SelfAssessment("2B", {"general": "25", "tasks": "55"})
        services.save_self_assessment(review, data, office, submit=True)
    for cell in (tree.c1, tree.c2):
        rows = [
            services.Proposal(r.pk, grades[r.member_id])
            for r in campaign.reviews.filter(organisation=cell).exclude(exclusion__gt="")
        ]
        services.propose(campaign, cell, rows, D(2025, 12, 15), office)
    services.decide(campaign, tree.a_base, "30-QĐ/ĐU", D(2025, 12, 28), office)


def test_distribution_per_predecessor_and_combined_across_a_merger(tree, cast, people, django_assert_max_num_queries):
    c1 = [people["an"], people["binh"], *(testing.member(tree.c1) for _ in range(4))]
    c2 = [people["duc"], *(testing.member(tree.c2) for _ in range(2))]
    Member.objects.filter(pk=c2[2].pk).update(is_exempt=True)
    grades = {c1[0].pk: Grade.EXCELLENT, **{m.pk: Grade.GOOD for m in c1[1:5]}, c1[5].pk: Grade.NOT_COMPLETED}
    grades |= {c2[0].pk: Grade.GOOD, c2[1].pk: Grade.COMPLETED}  # 1 excellent of 5 good or better: the quota
    run_2025(tree, cast.office, grades)
    late = testing.member(tree.c2, admitted=D(2025, 12, 5), official=False)  # after the opening: not reviewed
    merged = org_services.merge(
        [tree.c1, tree.c2],
        D(2026, 1, 15),
        org_services.Document("2-QĐ/ĐU", D(2026, 1, 10)),
        None,
        new=org_services.OrgSpec("A1-C12", "Chi bộ Phòng Một - Hai", OrgKind.CELL),
        parent=tree.a_base,
    ).created[0]
    with django_assert_max_num_queries(12):
        result = stats.distribution(merged, 2025)
    parts = {p.organisation.pk: p for p in result.parts}
    assert set(parts) == {merged.pk, tree.c1.pk, tree.c2.pk}
    assert parts[tree.c1.pk].grades == {Grade.EXCELLENT: 1, Grade.GOOD: 4, Grade.NOT_COMPLETED: 1}
    assert parts[tree.c2.pk].grades == {Grade.GOOD: 1, Grade.COMPLETED: 1}
    assert parts[tree.c2.pk].excluded == {Exclusion.EXEMPT: 1}
    assert parts[tree.c2.pk].not_reviewed == 1 and late.pk  # admitted after the opening
    assert parts[merged.pk].total == 0  # the new cell did not exist in 2025
    combined = result.combined
    assert (combined.decided, combined.pending, combined.not_reviewed, combined.total) == (8, 0, 1, 10)
    assert combined.good_or_better == pytest.approx(6 / 8)
    assert combined.share(Grade.NOT_COMPLETED) == pytest.approx(1 / 8)
    alone = stats.distribution(merged, 2025, lineage=False)
    assert alone.combined.total == 0 and len(alone.parts) == 1
    # The grassroots committee above counts the same members, whatever the merger.
    assert stats.distribution(tree.a_base, 2025).combined.grades == combined.grades


def test_a_year_not_yet_decided_counts_pending_and_members_without_review(tree, cast, people, campaign):
    result = stats.distribution(tree.a, 2026)
    assert (result.combined.decided, result.combined.pending) == (0, 3)
    assert result.combined.good_or_better is None
    assert stats.distribution(tree.b, 2026).combined.not_reviewed == 1  # C3's member: B opened no review


def test_grades_on_the_member_and_organisation_pages(client, tree, cast, people):
    run_2025(
        tree, cast.office, {people["an"].pk: Grade.GOOD, people["binh"].pk: Grade.GOOD, people["duc"].pk: Grade.GOOD}
    )
    member_url = f"/members/{people['an'].pk}/"
    client.force_login(cast.member)  # their own record
    page = client.get(member_url).content.decode()
    assert 'id="grades"' in page and "30-QĐ/ĐU" in page
    client.force_login(cast.office)
    page = client.get(f"/orgs/{tree.a_base.pk}/").content.decode()
    assert 'data-year="2025"' in page and 'data-grade="good">3<' in page
    client.force_login(cast.outsider)
    assert client.get(member_url).status_code == 404
