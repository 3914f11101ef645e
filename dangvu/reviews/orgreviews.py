"""Reviews of collectives and party organisations (issue 11 item 4; Mẫu 01 of Hướng dẫn 43-HD/BTCTW): the
only writer of dangvu.reviews.models.OrgReview, and the distribution of the organisations' grades.

A campaign lists every party organisation in force strictly under its organisation (the campaign's own
organisation is reviewed by the committee above it, in that committee's campaign). The organisation's staff
(`reviews.propose` over it) fill its assessment: points per criteria group of `review.org_forms`, the tasks
of the year, whether a unit under it or a member of its leadership was disciplined in the year and whether
the shortcomings pointed out earlier were all remedied; submitting computes the grade those give (Điều 11:
`org_grade_for`). The committee directly above (`reviews.manage` over the parent; checked by the caller)
decides the grade from the organisation's assessment, its units' grades and its members' grades (shown on
the page); it may not grade better than the points and conditions allow. A decided grade changes only by a
correction with a new decision number and a reason, kept in the history. Every value comes from the rule
set in force on the campaign's opening date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.orgs.queries import lineage_roots
from dangvu.reviews import grading
from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import Campaign, Grade, OrgDecision, OrgReview, ReviewState


def create_for(campaign: Campaign, actor) -> int:
    """One review for each organisation in force strictly under the campaign's organisation."""
    root = campaign.organisation
    orgs = Organisation.objects.filter(path__startswith=root.path, depth__gt=root.depth, valid_to__isnull=True)
    rows = [OrgReview(campaign=campaign, organisation_id=o.pk, org_path=o.path) for o in orgs.only("pk", "path")]
    bulk_create_with_history(rows, OrgReview, batch_size=2000, default_user=actor)
    return len(rows)


# --- The grade of a collective (Điều 11) ----------------------------------------------------------------


def org_grade_for(points: Decimal, tasks: grading.TaskCounts, blemished: bool, remedied: bool, rules: ReviewRules):
    """The grade a collective's points and conditions give: excellent also needs no unit or leader
    disciplined and every earlier shortcoming remedied; completed allows `review.org_late_threshold` late."""
    reasons: list[str] = []
    on_time = tasks.on_time_share >= rules.on_time
    if points >= rules.excellent_points:
        if not on_time:
            reasons.append(_("Tasks on time under the share needed for 'excellent' and 'good'."))
        elif tasks.exceeded_share < rules.exceeded:
            reasons.append(_("Tasks exceeded under the share needed for 'excellent'."))
        elif blemished:
            reasons.append(_("A unit under it or a member of its leadership was disciplined in the year."))
        elif not remedied:
            reasons.append(_("Shortcomings pointed out earlier are not all remedied."))
        else:
            return grading.Verdict(Grade.EXCELLENT)
    if points >= rules.good_points and on_time:
        return grading.Verdict(Grade.GOOD, reasons)
    if points >= rules.good_points:
        reasons.append(_("Tasks on time under the share needed for 'good'."))
    if points >= rules.completed_points:
        if 1 - tasks.on_time_share <= rules.org_late:
            return grading.Verdict(Grade.COMPLETED, reasons)
        reasons.append(_("More tasks late than a collective graded 'completed' may have."))
    return grading.Verdict(Grade.NOT_COMPLETED, reasons)


def verdict(review: OrgReview, rules: ReviewRules | None = None):
    if review.points is None:
        return None
    rules = rules or ReviewRules.on(review.campaign.rules_date)
    tasks = grading.TaskCounts.of(review.tasks)
    return org_grade_for(review.points, tasks, review.leadership_disciplined, review.shortcomings_remedied, rules)


# --- The organisation's assessment --------------------------------------------------------------------


@dataclass
class OrgAssessment:
    scores: dict[str, str]
    tasks: list[dict] = field(default_factory=list)
    disciplined: bool = False
    remedied: bool = True
    shortcomings: str = ""


@transaction.atomic
def save_assessment(review: OrgReview, data: OrgAssessment, actor, *, submit: bool = False) -> OrgReview:
    from dangvu.reviews.services import MAX_TEXT, SelfAssessment, _clean_assessment

    review = OrgReview.objects.select_for_update().select_related("campaign").get(pk=review.pk)
    if review.state != ReviewState.DRAFT:
        raise DomainError(_("This assessment has been submitted and can no longer be changed."), code="locked")
    rules = ReviewRules.on(review.campaign.rules_date)
    code = next(iter(rules.org_forms))
    as_form = replace(rules, forms={code: rules.org_forms[code]})  # the collective's form, checked as a member's
    scores, total, tasks = _clean_assessment(
        SelfAssessment(code, data.scores, tasks=data.tasks, shortcomings=data.shortcomings[:MAX_TEXT]), as_form, submit
    )
    review.scores, review.tasks, review.points = scores, tasks, total
    review.leadership_disciplined, review.shortcomings_remedied = data.disciplined, data.remedied
    review.shortcomings = data.shortcomings.strip()[:MAX_TEXT]
    found = verdict(review, rules)
    review.self_grade = found.grade if found else ""
    if submit:
        review.state = ReviewState.SUBMITTED
    review._history_user = actor
    review._change_reason = "submitted" if submit else ""
    review.save()
    return review


# --- The committee above decides --------------------------------------------------------------------


def _dates(review: OrgReview, number: str, day: dt.date | None) -> str:
    number = (number or "").strip()
    errors: dict[str, list[str]] = {}
    if not number or len(number) > 64:
        errors["document_number"] = [_("Give the decision's number.")]
    if day is None or not review.campaign.rules_date <= day <= timezone.localdate():
        errors["document_date"] = [
            _("The decision is dated between the opening (%(day)s) and today.")
            % {"day": fmt(review.campaign.rules_date)}
        ]
    if errors:
        raise DomainError(errors)
    return number


def _check_grade(review: OrgReview, grade: str, rules: ReviewRules) -> None:
    if grade not in Grade.values:
        raise DomainError({"grade": [_("Choose a grade.")]})
    found = verdict(review, rules)
    if found and Grade.rank(grade) < Grade.rank(found.grade):
        raise DomainError(
            {
                "grade": [
                    _("The points and conditions allow at most '%(grade)s': %(why)s")
                    % {"grade": Grade(found.grade).label, "why": " ".join(found.reasons) or "—"}
                ]
            },
            code="conditions",
        )


def deciding_committee(review: OrgReview) -> Organisation | None:
    """The committee directly above the organisation: it decides the organisation's grade."""
    return Organisation.objects.get_parent(review.organisation)


def in_force(review: OrgReview) -> OrgDecision | None:
    """The decision in force: the last one (a correction comes on or after the decision it corrects)."""
    return review.decisions.order_by("-document_date", "-id").first()


def _record(review: OrgReview, grade: str, number: str, day: dt.date, actor, *, corrects=None, reason=""):
    decision = OrgDecision(
        review=review,
        organisation=deciding_committee(review),
        grade=grade,
        document_number=number,
        document_date=day,
        corrects=corrects,
        reason=reason,
        decided_by=actor,
    )
    decision._history_user = actor
    decision.save()
    return decision


@transaction.atomic
def decide(review: OrgReview, grade: str, number: str, day: dt.date, actor) -> OrgDecision:
    """The committee above grades the organisation by a decision (number and date); the grade is locked."""
    review = OrgReview.objects.select_for_update().select_related("campaign", "organisation").get(pk=review.pk)
    if review.state != ReviewState.SUBMITTED:
        raise DomainError(_("The organisation's assessment is not submitted, or already decided."), code="state")
    number = _dates(review, number, day)
    _check_grade(review, grade, ReviewRules.on(review.campaign.rules_date))
    decision = _record(review, grade, number, day, actor)
    review.grade, review.document_number, review.document_date = grade, number, day
    review.state, review.decided_by = ReviewState.DECIDED, actor
    review._history_user, review._change_reason = actor, f"decided {number}"
    review.save()
    return decision


@transaction.atomic
def correct(review: OrgReview, grade: str, number: str, day: dt.date, reason: str, actor) -> OrgDecision:
    """A decided grade changed by a later decision of the committee above, never by an edit: the new
    decision names the one it corrects and the reason; the review's history keeps the earlier grade."""
    review = OrgReview.objects.select_for_update().select_related("campaign", "organisation").get(pk=review.pk)
    if review.state != ReviewState.DECIDED:
        raise DomainError(_("Only a decided grade is corrected by a decision."), code="state")
    number = _dates(review, number, day)
    errors: dict[str, list[str]] = {}
    if grade == review.grade:
        errors["grade"] = [_("Choose a grade other than the one decided.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the correction.")]
    if review.document_date and day < review.document_date:
        errors["document_date"] = [_("A correction is dated on or after the decision it corrects.")]
    if errors:
        raise DomainError(errors)
    _check_grade(review, grade, ReviewRules.on(review.campaign.rules_date))
    corrected = in_force(review)
    decision = _record(review, grade, number, day, actor, corrects=corrected, reason=reason.strip())
    previous = f"{review.document_number} ({fmt(review.document_date)})"
    review.grade, review.document_number, review.document_date = grade, number, day
    review._history_user = actor
    review._change_reason = f"corrected by {number}, correcting {previous}: {reason.strip()}"
    review.save()
    return decision


# --- The distribution of the organisations' grades ----------------------------------------------------


@dataclass
class OrgCounts:
    organisation: Organisation | None
    grades: Counter = field(default_factory=Counter)
    pending: int = 0

    @property
    def decided(self) -> int:
        return sum(self.grades.values())

    @property
    def total(self) -> int:
        return self.decided + self.pending

    def rows(self) -> list[tuple[str, str, int]]:
        return [(g.value, str(g.label), self.grades[g.value]) for g in Grade]

    def add(self, other: OrgCounts) -> None:
        self.grades.update(other.grades)
        self.pending += other.pending


@dataclass
class OrgDistribution:
    organisation: Organisation
    year: int
    combined: OrgCounts
    parts: list[OrgCounts]


def distribution(org: Organisation, year: int, *, lineage: bool = True, period: str = "year") -> OrgDistribution:
    """The grades of `year` of the organisations under `org` on each campaign's opening day (not `org`
    itself), per predecessor with `lineage` and combined."""
    roots = lineage_roots(org) if lineage else [org]
    openings: dict[dt.date, list[int]] = {}
    for pk, opening in Campaign.objects.filter(year=year, period=period).order_by().values_list("pk", "rules_date"):
        openings.setdefault(opening, []).append(pk)
    parts = []
    for root in roots:
        counts = OrgCounts(root)
        for opening, ids in openings.items():
            under = OrgAncestry.objects.filter(OrgAncestry.on(opening), ancestor_id=root.pk, depth__gt=0).values(
                "descendant_id"
            )
            rows = (
                OrgReview.objects.filter(campaign_id__in=ids, organisation_id__in=under)
                .values_list("grade")
                .order_by()
                .annotate(n=Count("id"))
            )
            for grade, n in rows:
                if grade:
                    counts.grades[grade] += n
                else:
                    counts.pending += n
        parts.append(counts)
    combined = OrgCounts(None)
    for part in parts:
        combined.add(part)
    return OrgDistribution(org, year, combined, parts)
