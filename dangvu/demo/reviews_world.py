"""Five years of yearly reviews for the demo world (issue 11): 2020–2024 opened by each predecessor khối
committee over its subtree, 2025 by the merged committee, each decided by the grassroots organisations in
December; then this year's review opened by the merged committee through dangvu.reviews.services, with
the demo cell's members partly submitted and the `dangvien` log-in's self-assessment left to fill.

History is written in bulk (`bulk_create_with_history`: each row has its history row, the actor is the
merged committee's office). Proportions like seed 003's appendix: a little over 90 % "good" or better,
under 1 % "not completed"; the excellent kept within the quota of each grassroots organisation. Members
exempt or suspended on the opening day are listed, not graded; members admitted after it are not in the
review (the statistics show them as not reviewed). The party organisations under each campaign's committee
are reviewed too (Mẫu 01), ≈ 95 % "good" or better.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from dangvu.accounts.models import User
from dangvu.lib.text import grouped as _n
from dangvu.members.models import MemberPeriod, Status
from dangvu.orgs.models import OrgAncestry, Organisation, OrgKind
from dangvu.reviews import services
from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import Campaign, Decision, Exclusion, Grade, OrgDecision, OrgReview, Review, ReviewState

FIRST_YEAR = 2020
# Cumulative shares: excellent, good, completed, the rest not completed (≈ 92.5 % good or better, 0.6 % not).
SHARES = ((Grade.EXCELLENT, 0.14), (Grade.GOOD, 0.925), (Grade.COMPLETED, 0.994))
POINTS = {
    Grade.EXCELLENT: (90, 98),
    Grade.GOOD: (72, 89),
    Grade.COMPLETED: (52, 69),
    Grade.NOT_COMPLETED: (38, 49),
}
MERGE_YEAR = 2025


def _grade(rng: random.Random) -> str:
    draw = rng.random()
    return next((g for g, share in SHARES if draw < share), Grade.NOT_COMPLETED)


def _review(campaign: Campaign, row: dict, path: str, grade: str, rng: random.Random) -> Review:
    low, high = POINTS[grade]
    points = Decimal(rng.randint(low * 2, high * 2)) / 2
    general = min(Decimal(30), (points * Decimal("0.3")).quantize(Decimal("0.5")))
    tasks = [
        {"title": "Thực hiện nhiệm vụ chuyên môn được giao", "on_time": grade != Grade.COMPLETED, "exceeded": False},
        {"title": "Nhiệm vụ chi bộ phân công", "on_time": True, "exceeded": grade == Grade.EXCELLENT},
    ]
    return Review(
        campaign=campaign,
        member_id=row["member_id"],
        organisation_id=row["organisation_id"],
        org_path=path,
        state=ReviewState.DECIDED,
        form="2B",
        scores={"general": str(general), "tasks": str(points - general)},
        tasks=tasks,
        points=points,
        self_grade=grade,
        proposed_grade=grade,
        proposed_on=campaign.cell_until,
        submitted_at=timezone.make_aware(dt.datetime.combine(campaign.self_until, dt.time(9))),
        grade=grade,
    )


def _history(root: Organisation, year: int, office: User, rng: random.Random, serial: list[int]) -> int:
    opened = dt.date(year, 11, 25)
    campaign = Campaign(
        organisation=root,
        year=year,
        rules_date=opened,
        document_number=f"{serial[0]}-KH/ĐU",
        self_until=dt.date(year, 12, 5),
        cell_until=dt.date(year, 12, 12),
        decide_until=dt.date(year, 12, 25),
        opened_by=office,
    )
    campaign._history_user = office
    campaign.save()
    under = OrgAncestry.objects.filter(OrgAncestry.on(opened), ancestor=root).values("descendant_id")
    rows = list(
        MemberPeriod.objects.filter(
            MemberPeriod.on(opened), organisation_id__in=under, status__in=list(Status.in_party())
        ).values("member_id", "organisation_id", "is_exempt", "is_suspended")
    )
    cells = {r["organisation_id"] for r in rows}
    paths = dict(Organisation.objects.filter(pk__in=cells).values_list("pk", "path"))
    grassroots_of = dict(
        OrgAncestry.objects.filter(
            OrgAncestry.on(opened), descendant_id__in=cells, ancestor__kind__in=OrgKind.grassroots()
        ).values_list("descendant_id", "ancestor_id")
    )
    rules = ReviewRules.on(opened)
    by_grassroots: dict[int, list[Review]] = defaultdict(list)
    reviews = []
    for row in sorted(rows, key=lambda r: r["member_id"]):
        path = paths[row["organisation_id"]]
        if row["is_exempt"] or row["is_suspended"]:
            exclusion = Exclusion.SUSPENDED if row["is_suspended"] else Exclusion.EXEMPT
            reviews.append(
                Review(
                    campaign=campaign,
                    member_id=row["member_id"],
                    organisation_id=row["organisation_id"],
                    org_path=path,
                    exclusion=exclusion,
                )
            )
            continue
        review = _review(campaign, row, path, _grade(rng), rng)
        by_grassroots[grassroots_of[row["organisation_id"]]].append(review)
        reviews.append(review)
    for group in by_grassroots.values():  # the excellent within the quota of the grassroots organisation
        excellent = [r for r in group if r.grade == Grade.EXCELLENT]
        good_or_better = len(excellent) + sum(1 for r in group if r.grade == Grade.GOOD)
        for review in excellent[math.floor(rules.excellent_quota * good_or_better) :]:
            review.grade = review.self_grade = review.proposed_grade = Grade.GOOD
            review.tasks[1]["exceeded"] = False
            review.points = min(review.points, Decimal(89))
    decisions = {}
    for grassroots_id in by_grassroots:
        serial[0] += 1
        decision = Decision(
            campaign=campaign,
            organisation_id=grassroots_id,
            document_number=f"{serial[0]}-QĐ/ĐU",
            document_date=dt.date(year, 12, 20),
            decided_by=office,
        )
        decision._history_user = office
        decision.save()
        decisions[grassroots_id] = decision
    for grassroots_id, group in by_grassroots.items():
        for review in group:
            review.decision = decisions[grassroots_id]
    bulk_create_with_history(reviews, Review, batch_size=2000, default_user=office)
    _org_history(campaign, root, opened, office, rng, serial)
    return len(reviews)


# Organisations (Mẫu 01): ≈ 95 % "good" or better (seed 003's target: more than 90 % of grassroots ones).
ORG_SHARES = ((Grade.EXCELLENT, 0.15), (Grade.GOOD, 0.95), (Grade.COMPLETED, 1.0))


def _org_history(campaign: Campaign, root: Organisation, opened: dt.date, office: User, rng, serial) -> None:
    """The organisations under `root` on the opening day, each assessed and decided by the committee above."""
    under = OrgAncestry.objects.filter(OrgAncestry.on(opened), ancestor=root, depth__gt=0).values("descendant_id")
    serial[0] += 1
    rows = []
    for pk, path in Organisation.objects.filter(pk__in=under).order_by("path").values_list("pk", "path"):
        draw = rng.random()
        grade = next((g for g, share in ORG_SHARES if draw < share), Grade.COMPLETED)
        low, high = POINTS[grade]
        points = Decimal(rng.randint(low, high))
        part = (points / 4).quantize(Decimal("1"))
        scores = {"leadership": str(points - 3 * part), "building": str(part), "inspection": str(part)}
        scores["unity"] = str(part)
        tasks = [{"title": "Lãnh đạo thực hiện nhiệm vụ chính trị năm", "on_time": grade != Grade.COMPLETED}]
        tasks[0]["exceeded"] = grade == Grade.EXCELLENT
        rows.append(
            OrgReview(
                campaign=campaign,
                organisation_id=pk,
                org_path=path,
                state=ReviewState.DECIDED,
                scores=scores,
                tasks=tasks,
                points=points,
                self_grade=grade,
                grade=grade,
                document_number=f"{serial[0]}-QĐ/ĐU",
                document_date=dt.date(campaign.year, 12, 28),
                decided_by=office,
            )
        )
    bulk_create_with_history(rows, OrgReview, batch_size=2000, default_user=office)
    parents = dict(
        Organisation.objects.filter(path__in={r.org_path[: -Organisation.steplen] for r in rows}).values_list(
            "path", "pk"
        )
    )
    decisions = [
        OrgDecision(
            review_id=r.pk,
            organisation_id=parents[r.org_path[: -Organisation.steplen]],
            grade=r.grade,
            document_number=r.document_number,
            document_date=r.document_date,
            decided_by=office,
        )
        for r in OrgReview.objects.filter(campaign=campaign, decisions__isnull=True).only(
            "pk", "org_path", "grade", "document_number", "document_date"
        )
        if r.org_path[: -Organisation.steplen] in parents
    ]
    bulk_create_with_history(decisions, OrgDecision, batch_size=2000, default_user=office)


def build(_b, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    """The review history and this year's open review (after the members and meetings are built)."""
    from dangvu.demo.shape import DEMO_SEED, PREDECESSORS

    rng = random.Random(DEMO_SEED + 11)
    office = users["vanphong"]
    today = timezone.localdate()
    serial = [100]
    written = 0
    predecessors = [Organisation.objects.get(code=p.code) for p in PREDECESSORS]
    for year in range(FIRST_YEAR, today.year):
        roots = predecessors if year < MERGE_YEAR else [merged]
        for root in roots:
            written += _history(root, year, office, rng, serial)
    opened = max(today - dt.timedelta(days=10), dt.date(today.year, 1, 1))
    timetable = services.Timetable(
        today + dt.timedelta(days=10), today + dt.timedelta(days=20), today + dt.timedelta(days=30)
    )
    campaign = services.open_campaign(merged, today.year, opened, timetable, office, document_number="25-KH/ĐU")
    plain = users["dangvien"].member_id
    demo_cell = Review.objects.get(campaign=campaign, member_id=plain).organisation
    submitted = 0
    for review in campaign.reviews.filter(organisation=demo_cell, exclusion="").exclude(member_id=plain):
        if submitted >= 3:
            break
        data = services.SelfAssessment(
            "2B",
            {"general": str(rng.randint(25, 29)), "tasks": str(rng.randint(55, 66))},
            {"tasks": "Hoàn thành các nhiệm vụ chuyên môn trong năm"},
            [{"title": "Nhiệm vụ chuyên môn", "on_time": True, "exceeded": rng.random() < 0.4}],
            "Có lúc chưa chủ động nắm bắt tình hình",
            "Chủ động hơn trong công việc",
        )
        services.save_self_assessment(review, data, office, submit=True)
        submitted += 1
    log(
        gettext(
            "Reviews: %(written)s in the history %(first)s–%(last)s, the %(year)s review open (%(members)s "
            "members, %(submitted)s submitted in the demo cell)"
        )
        % {
            "written": _n(written),
            "first": str(FIRST_YEAR),
            "last": str(today.year - 1),
            "year": str(today.year),
            "members": _n(campaign.reviews.count()),
            "submitted": _n(submitted),
        }
    )
