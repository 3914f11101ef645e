"""Actions on review campaigns, the only writers of dangvu.reviews.models. Each runs in one transaction,
checks the review rules in force on the campaign's opening date (dangvu.reviews.forms_rule), and leaves
the audit trail (django-simple-history, with the acting user). Permission checks are the caller's
(dangvu.reviews.access); a DomainError names the field or the rule and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dangvu.discipline.queries import disciplined_in_year
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, Status
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.reviews import grading, moves, orgreviews
from dangvu.reviews.forms_rule import Group, ReviewRules
from dangvu.reviews.models import Campaign, Decision, Exclusion, Grade, Period, Review, ReviewState

MAX_TITLE = 500
MAX_TEXT = 5000


def rules_of(campaign: Campaign) -> ReviewRules:
    return ReviewRules.on(campaign.rules_date)


def _save(obj, actor, reason: str = "", **kwargs) -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save(**kwargs)


# --- Campaigns --------------------------------------------------------------------------------------


@dataclass
class Timetable:
    self_until: dt.date
    cell_until: dt.date
    decide_until: dt.date


@transaction.atomic
def open_campaign(
    organisation: Organisation,
    year: int,
    opened_on: dt.date,
    timetable: Timetable,
    actor,
    *,
    document_number: str = "",
    today: dt.date | None = None,
    period: str = Period.YEAR,
    first_year: int | None = None,
) -> Campaign:
    """Open the review of `year` over `organisation`'s subtree: one review for each member in the Party in
    it now, under the rules in force on `opened_on`. Exempt and suspended members, and those in transit or
    transferred away during the year, are listed, not graded."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not organisation.is_active:
        errors["organisation"] = [_("This organisation is no longer in force.")]
    elif organisation.kind in OrgKind.member_holding() - {OrgKind.GRASSROOTS_CELL}:
        errors["organisation"] = [_("A review is opened by a committee or a grassroots cell, not by a cell.")]
    if opened_on > today:
        errors["opened_on"] = [_("The opening date may not be in the future.")]
    if not 2000 <= year <= opened_on.year:
        errors["year"] = [_("Review a year that has begun, up to the year of the opening date.")]
    if timetable.self_until < opened_on:
        errors["self_until"] = [_("The self-assessments end on or after the opening date.")]
    if timetable.cell_until < timetable.self_until:
        errors["cell_until"] = [_("The cell review meetings end on or after the self-assessments.")]
    if timetable.decide_until < timetable.cell_until:
        errors["decide_until"] = [_("The committee decisions come on or after the cell review meetings.")]
    errors |= _period_errors(period, first_year, year, ReviewRules.on(opened_on))
    if errors:
        raise DomainError(errors)
    overlapping = [
        c
        for c in Campaign.objects.filter(year=year, period=period).select_related("organisation")
        if c.organisation.path.startswith(organisation.path) or organisation.path.startswith(c.organisation.path)
    ]
    if overlapping:
        raise DomainError(
            {
                "organisation": [
                    _("The review of %(year)s is already open over %(org)s, which overlaps this organisation.")
                    % {"year": year, "org": overlapping[0].organisation.name}
                ]
            }
        )
    members = list(
        Member.objects.filter(
            org_path__startswith=organisation.path, status__in=[*Status.in_party(), Status.IN_TRANSIT]
        )
        .select_related("organisation")
        .only("pk", "status", "organisation_id", "organisation__path", "is_exempt", "is_suspended")
    )
    if not members:
        raise DomainError({"organisation": [_("No member of the Party is in this organisation's subtree.")]})
    campaign = Campaign(
        organisation=organisation,
        year=year,
        period=period,
        first_year=first_year if period == Period.TERM else None,
        rules_date=opened_on,
        document_number=(document_number or "").strip()[:64],
        self_until=timetable.self_until,
        cell_until=timetable.cell_until,
        decide_until=timetable.decide_until,
        opened_by=actor,
    )
    _save(campaign, actor)
    reviews = [
        Review(
            campaign=campaign,
            member_id=m.pk,
            organisation_id=m.organisation_id,
            org_path=m.organisation.path,
            exclusion=_exclusion(m),
        )
        for m in members
    ]
    bulk_create_with_history(reviews, Review, batch_size=2000, default_user=actor)
    moves.note_transfers(campaign, actor)
    orgreviews.create_for(campaign, actor)
    return campaign


def _period_errors(period: str, first_year: int | None, year: int, rules: ReviewRules) -> dict[str, list[str]]:
    """A campaign per year or per term, as the rules in force on the opening date allow (review.periods); a
    term runs from `first_year` to `year`, at most `review.term_years` years."""
    from dangvu.rules import presentation

    if period not in Period.values or period not in rules.periods:
        label = dict(Period.choices).get(period, period)
        return {
            "period": [
                _("The rules in force on the opening date do not provide for a review per %(period)s (%(rule)s).")
                % {"period": str(label).lower(), "rule": presentation.label("review.periods")}
            ]
        }
    if period == Period.TERM and (first_year is None or not year - rules.term_years < first_year < year):
        return {
            "first_year": [
                _("A term runs from its first year to the year reviewed, at most %(n)s years (%(rule)s).")
                % {"n": rules.term_years, "rule": presentation.label("review.term_years")}
            ]
        }
    return {}


def _exclusion(member: Member) -> str:
    """Why a member listed at the opening is not graded: in transit between cells (the letter issued, not
    yet received: dangvu.reviews.moves), suspended, exempt."""
    if member.status == Status.IN_TRANSIT:
        return Exclusion.TRANSFERRED
    if member.is_suspended:
        return Exclusion.SUSPENDED
    return Exclusion.EXEMPT if member.is_exempt else Exclusion.NONE


# --- Self-assessment --------------------------------------------------------------------------------


@dataclass
class SelfAssessment:
    form: str
    scores: dict[str, str]  # group code → points as typed
    evidence: dict[str, str] = field(default_factory=dict)
    tasks: list[dict] = field(default_factory=list)  # {"title", "on_time", "exceeded"}
    shortcomings: str = ""
    remedy: str = ""


def _points(text, group: Group, errors: dict) -> Decimal | None:
    key = f"score_{group.code}"
    if text in (None, ""):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        errors[key] = [_("Write the points as a number, e.g. 27 or 27.5.")]
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.1")):
        errors[key] = [_("Write the points with at most one decimal place.")]
        return None
    if not 0 <= value <= group.max:
        errors[key] = [_("Between 0 and %(max)s points.") % {"max": group.max}]
        return None
    return value


def _clean_assessment(data: SelfAssessment, rules: ReviewRules, submit: bool) -> tuple[dict, Decimal | None, list]:
    errors: dict[str, list[str]] = {}
    groups = rules.groups(data.form)
    if not groups:
        raise DomainError({"form": [_("Choose the review form of your situation.")]})
    scores: dict[str, str] = {}
    total = Decimal(0)
    for group in groups:
        value = _points(data.scores.get(group.code), group, errors)
        if value is None:
            if submit and f"score_{group.code}" not in errors:
                errors[f"score_{group.code}"] = [_("Give the points of this group before submitting.")]
            continue
        scores[group.code] = str(value)
        total += value
    tasks = []
    for n, task in enumerate(data.tasks, 1):
        title = (task.get("title") or "").strip()
        if not title:
            continue
        if len(title) > MAX_TITLE:
            errors.setdefault("tasks", []).append(
                _("Task %(n)s: at most %(max)s characters.") % {"n": n, "max": MAX_TITLE}
            )
            continue
        tasks.append({"title": title, "on_time": bool(task.get("on_time")), "exceeded": bool(task.get("exceeded"))})
    for name in ("shortcomings", "remedy"):
        if len(getattr(data, name) or "") > MAX_TEXT:
            errors[name] = [_("At most %(max)s characters.") % {"max": MAX_TEXT}]
    if errors:
        raise DomainError(errors)
    complete = len(scores) == len(groups)
    return scores, (total if complete else None), tasks


@transaction.atomic
def save_self_assessment(review: Review, data: SelfAssessment, actor, *, submit: bool = False) -> Review:
    """Save the member's self-assessment; with `submit` it is signed: the proposed grade is computed from
    the points and the conditions, and the member can no longer change it."""
    review = Review.objects.select_for_update().select_related("campaign").get(pk=review.pk)
    if review.state != ReviewState.DRAFT:
        raise DomainError(_("This self-assessment has been submitted and can no longer be changed."), code="locked")
    rules = rules_of(review.campaign)
    scores, total, tasks = _clean_assessment(data, rules, submit)
    evidence = {
        g.code: (data.evidence.get(g.code) or "").strip()[:MAX_TEXT]
        for g in rules.groups(data.form)
        if (data.evidence.get(g.code) or "").strip()
    }
    review.form, review.scores, review.evidence, review.tasks = data.form, scores, evidence, tasks
    review.shortcomings, review.remedy = data.shortcomings.strip(), data.remedy.strip()
    review.points = total
    review.self_grade = (
        grading.grade_for(total, grading.TaskCounts.of(tasks), review.disciplined, rules).grade
        if total is not None
        else ""
    )
    if submit:
        review.state = ReviewState.SUBMITTED
        review.submitted_at = timezone.now()
    _save(review, actor, "submitted" if submit else "")
    return review


@transaction.atomic
def return_to_member(review: Review, reason: str, actor) -> Review:
    """The cell sends a submitted self-assessment back to the member to be completed (before proposing)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.state != ReviewState.SUBMITTED:
        raise DomainError(_("Only a submitted self-assessment not yet proposed can be sent back."), code="state")
    if not (reason or "").strip():
        raise DomainError({"reason": [_("Say what the member should complete.")]})
    review.state, review.submitted_at = ReviewState.DRAFT, None
    _save(review, actor, reason.strip())
    return review


def verdict(review: Review, rules: ReviewRules | None = None) -> grading.Verdict | None:
    """The grade the review's points and conditions give, with the reasons it is not higher."""
    if review.points is None:
        return None
    rules = rules or rules_of(review.campaign)
    return grading.grade_for(review.points, grading.TaskCounts.of(review.tasks), review.disciplined, rules)


def grassroots_of(org: Organisation) -> Organisation | None:
    """The grassroots organisation at or above `org`: the committee competent to grade its members."""
    paths = [org.path[:n] for n in range(Organisation.steplen, len(org.path) + 1, Organisation.steplen)]
    return Organisation.objects.filter(path__in=paths, kind__in=OrgKind.grassroots()).order_by("-depth").first()


def when(day: dt.date | None) -> str:
    return fmt(day) if day else "—"


# --- The cell's proposals -----------------------------------------------------------------------------


@dataclass
class Proposal:
    review_id: int
    grade: str
    disciplined: bool = False
    comments: str = ""
    vote: object = None  # the closed vote of the cell's review meeting adopting it (propose_at_meeting)


def _check_grades(rows: list[tuple[Review, str]], rules: ReviewRules, where: str) -> None:
    """The discipline cap for each row and the excellent quota over all: each refusal names the rule."""
    for review, grade in rows:
        if grading.over_cap(grade, review.disciplined, rules):
            raise DomainError(
                {"grade": [f"{review.member.full_name}: {grading.cap_message(rules)}"]}, code="discipline_cap"
            )
    refusal = grading.quota_refusal([grade for _review, grade in rows], rules, where)
    if refusal:
        raise DomainError({"grade": [refusal]}, code="excellent_quota")


@transaction.atomic
def propose(
    campaign: Campaign, cell: Organisation, proposals: list[Proposal], proposed_on: dt.date, actor, *, meeting=None
) -> list[Review]:
    """The cell's proposed grades (its review meeting), for submitted self-assessments of its members. The
    cell's proposals together keep the excellent quota; a disciplined member keeps the cap."""
    reviews = {
        r.pk: r
        for r in Review.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, organisation=cell)
        .select_related("member")
    }
    if proposed_on < campaign.rules_date or proposed_on > timezone.localdate():
        raise DomainError({"proposed_on": [_("The meeting date lies between the opening and today.")]})
    changed = []
    # Discipline in force in the year from the discipline cases (dangvu.discipline); the cell's tick adds to it.
    recorded = disciplined_in_year([r.member_id for r in reviews.values()], campaign.year)
    for proposal in proposals:
        review = reviews.get(proposal.review_id)
        if review is None:
            raise DomainError(_("This review is not one of the cell's."), code="scope")
        if proposal.grade not in Grade.values:
            raise DomainError({"grade": [_("Choose a grade.")]})
        if review.exclusion:
            raise DomainError(
                {"grade": [_("%(name)s is not graded this year.") % {"name": review.member.full_name}]}, code="excluded"
            )
        if review.state not in (ReviewState.SUBMITTED, ReviewState.PROPOSED):
            raise DomainError(
                {
                    "grade": [
                        _("%(name)s: the self-assessment has not been submitted, or the grade is already decided.")
                        % {"name": review.member.full_name}
                    ]
                },
                code="state",
            )
        review.disciplined = proposal.disciplined or review.member_id in recorded
        review.comments = (proposal.comments or "").strip()[:MAX_TEXT]
        review.proposed_grade = proposal.grade
        review.vote = proposal.vote if meeting is not None else None
        changed.append(review)
    rules = rules_of(campaign)
    proposed = {r.pk: r.proposed_grade for r in reviews.values() if r.proposed_grade and r.graded}
    _check_grades(
        [(reviews[pk], grade) for pk, grade in proposed.items()], rules, _("Cell %(org)s") % {"org": cell.name}
    )
    for review in changed:
        review.state, review.proposed_on, review.meeting = ReviewState.PROPOSED, proposed_on, meeting
        _save(review, actor, "proposed")
    return changed


# --- The committee's decision and its corrections -------------------------------------------------


def _decision_dates(campaign: Campaign, number: str, date: dt.date | None) -> str:
    errors: dict[str, list[str]] = {}
    number = (number or "").strip()
    if not number:
        errors["document_number"] = [_("Give the decision's number.")]
    elif len(number) > 64:
        errors["document_number"] = [_("At most %(max)s characters.") % {"max": 64}]
    if date is None:
        errors["document_date"] = [_("Give the decision's date.")]
    elif not campaign.rules_date <= date <= timezone.localdate():
        errors["document_date"] = [
            _("The decision is dated between the opening (%(day)s) and today.") % {"day": fmt(campaign.rules_date)}
        ]
    if errors:
        raise DomainError(errors)
    return number


@transaction.atomic
def decide(
    campaign: Campaign,
    grassroots: Organisation,
    document_number: str,
    document_date: dt.date,
    actor,
    *,
    changes: dict[int, str] | None = None,
) -> Decision:
    """The grassroots committee's decision grading its members: every graded review under it takes the
    cell's proposal (or the committee's own grade in `changes`) and is locked."""
    changes = changes or {}
    number = _decision_dates(campaign, document_number, document_date)
    if grassroots.kind not in OrgKind.grassroots():
        raise DomainError({"organisation": [_("Members are graded by their grassroots organisation.")]})
    moves.note_transfers(campaign, actor)
    reviews = list(
        Review.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, org_path__startswith=grassroots.path)
        .exclude(exclusion__gt="")
        .select_related("member", "organisation")
    )
    pending = [r for r in reviews if r.state != ReviewState.DECIDED]
    if not pending:
        raise DomainError(_("Every member of this organisation is already graded in this review."), code="state")
    waiting = sorted({r.organisation.name for r in pending if r.state != ReviewState.PROPOSED})
    if waiting:
        raise DomainError(
            _("Waiting for the proposals of: %(cells)s.") % {"cells": ", ".join(waiting)}, code="not_proposed"
        )
    if set(changes) - {r.pk for r in pending} or set(changes.values()) - set(Grade.values):
        raise DomainError({"grade": [_("Choose a grade for members of this decision only.")]})
    rules = rules_of(campaign)
    recorded = disciplined_in_year([r.member_id for r in pending], campaign.year)
    for review in pending:  # a discipline decided since the cell's proposal also caps the grade
        review.disciplined = review.disciplined or review.member_id in recorded
    final = {r.pk: changes.get(r.pk, r.proposed_grade or r.grade) for r in reviews}
    _check_grades([(r, final[r.pk]) for r in reviews], rules, grassroots.name)
    decision = Decision(
        campaign=campaign,
        organisation=grassroots,
        document_number=number,
        document_date=document_date,
        decided_by=actor,
    )
    _save(decision, actor)
    for review in pending:
        review.grade, review.decision, review.state = final[review.pk], decision, ReviewState.DECIDED
        _save(review, actor, f"decided {number}")
    return decision


@transaction.atomic
def correct(review: Review, grade: str, document_number: str, document_date: dt.date, reason: str, actor) -> Decision:
    """A decided grade changed by a later decision of the committee, never by an edit: the new decision
    names the one it corrects and the reason; the review's history keeps the earlier grade."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("campaign", "decision", "member")
        .get(pk=review.pk)
    )
    if review.state != ReviewState.DECIDED:
        raise DomainError(_("Only a decided grade is corrected by a decision."), code="state")
    number = _decision_dates(review.campaign, document_number, document_date)
    errors: dict[str, list[str]] = {}
    if grade not in Grade.values or grade == review.grade:
        errors["grade"] = [_("Choose a grade other than the one decided.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the correction.")]
    if errors:
        raise DomainError(errors)
    if document_date < review.decision.document_date:
        raise DomainError({"document_date": [_("A correction is dated on or after the decision it corrects.")]})
    grassroots = review.decision.organisation
    others = list(
        Review.objects.filter(campaign=review.campaign, org_path__startswith=grassroots.path, state=ReviewState.DECIDED)
        .exclude(pk=review.pk)
        .exclude(exclusion__gt="")
        .select_related("member")
    )
    _check_grades([*((r, r.grade) for r in others), (review, grade)], rules_of(review.campaign), grassroots.name)
    decision = Decision(
        campaign=review.campaign,
        organisation=grassroots,
        document_number=number,
        document_date=document_date,
        corrects=review.decision,
        reason=reason.strip(),
        decided_by=actor,
    )
    _save(decision, actor)
    review.grade, review.decision = grade, decision
    _save(review, actor, f"corrected by {number}: {reason.strip()}")
    return decision


# --- The cell's review meeting (dangvu.meetings) ----------------------------------------------------


@transaction.atomic
def propose_at_meeting(campaign: Campaign, meeting, proposals: list[tuple[Proposal, object]], actor) -> list[Review]:
    """The proposals adopted at the cell's review meeting: each by a closed vote of that meeting (one vote
    per member, or one vote for all) taken by the threshold the rules require and passed. The proposals
    are then checked and recorded as by `propose`, dated the meeting's day and linked to the meeting."""
    from dangvu.meetings.models import MeetingState, VoteRule, VoteState
    from dangvu.meetings.services import meeting_day
    from dangvu.rules import presentation

    if meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.HELD, MeetingState.APPROVED):
        raise DomainError(_("Record the proposals of a meeting that has been held."), code="meeting")
    rules = rules_of(campaign)
    for _proposal, vote in proposals:
        if vote is None or vote.meeting_id != meeting.pk or vote.state != VoteState.CLOSED:
            raise DomainError({"vote": [_("Choose a closed vote of this meeting.")]}, code="vote")
        if vote.rule != rules.vote_rule:
            raise DomainError(
                {
                    "vote": [
                        _("The vote must be taken by %(rule)s (%(label)s).")
                        % {
                            "rule": VoteRule(rules.vote_rule).label,
                            "label": presentation.label("review.vote_rule"),
                        }
                    ]
                },
                code="vote_rule",
            )
        if not vote.passed:
            raise DomainError(
                {"vote": [_("The vote “%(question)s” did not pass.") % {"question": vote.question}]}, code="vote"
            )
    for proposal, vote in proposals:
        proposal.vote = vote
    return propose(
        campaign, meeting.organisation, [p for p, _vote in proposals], meeting_day(meeting), actor, meeting=meeting
    )
