"""Review pages: the list of campaigns (and a member's own reviews), opening a campaign, the campaign's
progress per cell, the member's self-assessment (phone-sized), a review as the cell and the committee see
it with the cell's proposal, the committee's decision for a grassroots organisation and its correction.

Access: dangvu.reviews.access (a review or campaign outside scope is a 404; a member reaches only their
own self-assessment); acting needs `reviews.propose` (the cell) or `reviews.manage` (the committee office)
over the organisation concerned, else 403. Writes go through dangvu.reviews.services only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangvu.accounts.scope import Scope, get_organisation_or_404, has_capability, organisations_for
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.reviews import services
from dangvu.reviews.access import (
    campaigns_for,
    can,
    get_campaign_or_404,
    get_own_review_or_404,
    get_review_or_404,
    own_reviews,
)
from dangvu.reviews.forms import (
    CampaignForm,
    CorrectionForm,
    DecisionForm,
    ProposalForm,
    ReturnForm,
    SelfAssessmentForm,
    TaskFormSet,
)
from dangvu.reviews.models import Campaign, Decision, Grade, OrgReview, Period, Review, ReviewState
from dangvu.web import once

VIEW, PROPOSE, MANAGE = "reviews.view", "reviews.propose", "reviews.manage"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaigns_for(request.user).select_related("organisation")[:200])
    mine = list(own_reviews(request.user).select_related("campaign", "organisation").order_by("-campaign__year"))
    if not has_capability(request.user, VIEW) and not getattr(request.user, "member_id", None):
        raise PermissionDenied
    return render(
        request,
        "reviews/index.html",
        {"campaigns": campaigns, "mine": mine, "may_open": has_capability(request.user, MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def open_campaign(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, MANAGE):
        raise PermissionDenied
    today = timezone.localdate()
    orgs = (
        organisations_for(request.user, MANAGE)
        .filter(valid_to__isnull=True)
        .exclude(kind__in=OrgKind.member_holding() - {OrgKind.GRASSROOTS_CELL})
        .order_by("path")
    )
    form = CampaignForm(request.POST or None, organisations=orgs, initial={"year": today.year, "opened_on": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.open_campaign(
                d["organisation"],
                d["year"],
                d["opened_on"],
                services.Timetable(d["self_until"], d["cell_until"], d["decide_until"]),
                request.user,
                document_number=d["document_number"],
                period=d["period"] or "year",
                first_year=d["first_year"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The review was opened."))
            return redirect("reviews:campaign", pk=campaign.pk)
    return render(request, "reviews/open.html", {"form": form})


# --- Campaign progress ----------------------------------------------------------------------------


@dataclass
class CellProgress:
    organisation: Organisation
    counts: Counter = field(default_factory=Counter)
    grades: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class GrassrootsRow:
    organisation: Organisation
    cells: list[CellProgress] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    may_decide: bool = False

    @property
    def ready(self) -> bool:
        """Every graded review proposed and some not yet decided."""
        states = Counter()
        for cell in self.cells:
            states.update(cell.counts)
        return bool(states[ReviewState.PROPOSED]) and not (states[ReviewState.DRAFT] or states[ReviewState.SUBMITTED])


def progress(campaign: Campaign, user) -> list[GrassrootsRow]:
    """The campaign's reviews in the user's scope, counted per cell by state (excluded members apart), the
    cells grouped under their grassroots organisation with its decisions. Four queries."""
    scope = Scope.of(user, VIEW)
    rows = (
        Review.objects.filter(scope.q("org_path"), campaign=campaign)
        .values_list("organisation_id", "state", "exclusion", "grade")
        .order_by()
    )
    cells: dict[int, CellProgress] = {}
    for org_id, state, exclusion, grade in rows:
        cell = cells.setdefault(org_id, CellProgress(None))  # type: ignore[arg-type]
        cell.counts["excluded" if exclusion else state] += 1
        if grade:
            cell.grades[grade] += 1
    orgs = Organisation.objects.in_bulk(list(cells))
    step = Organisation.steplen
    paths = {o.path[:n] for o in orgs.values() for n in range(step, len(o.path) + 1, step)}
    roots = {
        o.path: o for o in Organisation.objects.filter(path__in=paths, kind__in=OrgKind.grassroots()).order_by("path")
    }
    decisions = defaultdict(list)
    for d in Decision.objects.filter(campaign=campaign, organisation__path__in=list(roots)).order_by("document_date"):
        decisions[d.organisation_id].append(d)
    groups: dict[int, GrassrootsRow] = {}
    for org_id, cell in sorted(cells.items(), key=lambda kv: orgs[kv[0]].path):
        cell.organisation = orgs[org_id]
        root = next((r for p, r in roots.items() if cell.organisation.path.startswith(p)), cell.organisation)
        row = groups.setdefault(root.pk, GrassrootsRow(root, decisions=decisions[root.pk]))
        row.may_decide = can(user, MANAGE, root.path)
        row.cells.append(cell)
    return list(groups.values())


def _review_meetings(campaign: Campaign, user) -> list:
    """Meetings held since the opening by the cells whose proposals the user records (the review meeting)."""
    from dangvu.meetings.access import meetings_for
    from dangvu.meetings.models import MeetingState

    scope = Scope.of(user, PROPOSE)
    if scope.empty:
        return []
    return list(
        meetings_for(user)
        .filter(
            scope.q("organisation__path"),
            organisation__path__startswith=campaign.organisation.path,
            organisation__kind__in=OrgKind.member_holding(),
            starts_at__date__gte=campaign.rules_date,
            state__in=[MeetingState.IN_PROGRESS, MeetingState.HELD, MeetingState.APPROVED],
        )
        .select_related("organisation")
        .order_by("-starts_at")[:20]
    )


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_campaign_or_404(request.user, pk)
    scope = Scope.of(request.user, VIEW)
    reviews = []
    if len(scope.prefixes) == 1 and not scope.everything:  # a cell's staff see its members' reviews by name
        reviews = list(
            Review.objects.filter(scope.q("org_path"), campaign=c)
            .select_related("member", "organisation")
            .order_by("organisation__path", "member__name_sort")[:500]
        )
    return render(
        request,
        "reviews/campaign.html",
        {
            "meetings": _review_meetings(c, request.user),
            "org_reviews": list(
                OrgReview.objects.filter(scope.q("org_path"), campaign=c).select_related("organisation")[:300]
            ),
            "may_report": can(request.user, VIEW, c.organisation.path),
            "campaign": c,
            "groups": progress(c, request.user),
            "reviews": reviews,
            "today": timezone.localdate(),
            "states": ReviewState,
        },
    )


# --- The member's self-assessment ------------------------------------------------------------------


def _groups(review: Review, rules) -> list[tuple]:
    """Each criteria group of the review's form with the points and evidence given."""
    return [(g, review.scores.get(g.code), review.evidence.get(g.code, "")) for g in rules.groups(review.form)]


def _task_initial(review: Review) -> list[dict]:
    return [dict(t) for t in review.tasks]


def _all_valid(form, tasks) -> bool:
    """Both the form and the task rows checked; the rows' errors are also named in the form's summary."""
    valid = form.is_valid()
    if tasks.is_valid():
        return valid
    for error in tasks.non_form_errors():
        form.add_error(None, error)
    for n, errors in enumerate(tasks.errors, 1):
        for messages_ in errors.values():
            for message in messages_:
                form.add_error(None, _("Task %(n)s: %(error)s") % {"n": n, "error": message})
    return False


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_own_review_or_404(request.user, pk)
    rules = services.rules_of(review.campaign)
    form_code = request.POST.get("form") or review.form or next(iter(rules.forms))
    initial = {"form": form_code, "shortcomings": review.shortcomings, "remedy": review.remedy}
    for code, value in review.scores.items():
        initial[f"score_{code}"] = value
    for code, value in review.evidence.items():
        initial[f"evidence_{code}"] = value
    posted = request.POST if request.method == "POST" and review.member_may_edit else None
    form = SelfAssessmentForm(posted, rules=rules, form_code=form_code, initial=initial)
    # Every row is read, also one left as it was shown (a row equal to its initial value is still a task).
    tasks = TaskFormSet(posted, initial=_task_initial(review), prefix="task", form_kwargs={"empty_permitted": False})
    valid = posted is not None and "change_form" not in request.POST and _all_valid(form, tasks)
    if valid:
        d = form.cleaned_data
        data = services.SelfAssessment(
            d["form"],
            {g.code: d[f"score_{g.code}"] for g in form.groups},
            {g.code: d[f"evidence_{g.code}"] for g in form.groups},
            [t for t in tasks.cleaned_data if t.get("title")],
            d["shortcomings"],
            d["remedy"],
        )
        submit = "submit" in request.POST
        try:
            services.save_self_assessment(review, data, request.user, submit=submit)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Submitted: the cell will review it.") if submit else _("Saved."))
            return redirect("reviews:self", pk=review.pk)
    return render(
        request,
        "reviews/self.html",
        {
            "review": review,
            "form": form,
            "tasks": tasks,
            "verdict": services.verdict(review, rules),
            "groups": _groups(review, rules),
            "form_label": rules.forms.get(review.form, {}).get("label", ""),
        },
    )


# --- A review as the cell and the committee see it -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_review_or_404(request.user, pk)
    if r.member_id == getattr(request.user, "member_id", None) and not has_capability(request.user, VIEW):
        return redirect("reviews:self", pk=r.pk)
    rules = services.rules_of(r.campaign)
    may_propose = can(request.user, PROPOSE, r.org_path) and r.state in (ReviewState.SUBMITTED, ReviewState.PROPOSED)
    initial = {
        "grade": r.proposed_grade or r.self_grade,
        "disciplined": r.disciplined,
        "comments": r.comments,
        "proposed_on": r.proposed_on or timezone.localdate(),
    }
    proposal = ProposalForm(request.POST if request.method == "POST" and may_propose else None, initial=initial)
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied
        if proposal.is_valid():
            d = proposal.cleaned_data
            try:
                services.propose(
                    r.campaign,
                    r.organisation,
                    [services.Proposal(r.pk, d["grade"], d["disciplined"], d["comments"])],
                    d["proposed_on"],
                    request.user,
                )
            except DomainError as error:
                proposal.add_error(None, error)
            else:
                messages.success(request, _("The cell's proposal was recorded."))
                return redirect("reviews:review", pk=r.pk)
    return render(
        request,
        "reviews/review.html",
        {
            "review": r,
            "groups": _groups(r, rules),
            "form_label": rules.forms.get(r.form, {}).get("label", ""),
            "verdict": services.verdict(r, rules),
            "proposal": proposal if may_propose else None,
            "return_form": ReturnForm() if may_propose and r.state == ReviewState.SUBMITTED else None,
            "may_correct": r.state == ReviewState.DECIDED and can(request.user, MANAGE, r.org_path),
            "history": r.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_review_or_404(request.user, pk)
    if not can(request.user, PROPOSE, r.org_path):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_to_member(r, form.cleaned_data["reason"], request.user)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The self-assessment was sent back to the member."))
    else:
        messages.error(request, _("Say what the member should complete."))
    return redirect("reviews:review", pk=r.pk)


# --- The committee's decision ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def decide(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    c = get_campaign_or_404(request.user, pk)
    grassroots = get_organisation_or_404(request.user, org, MANAGE)
    reviews = list(
        Review.objects.filter(campaign=c, org_path__startswith=grassroots.path)
        .select_related("member", "organisation")
        .order_by("organisation__path", "member__name_sort")
    )
    form = DecisionForm(request.POST or None, initial={"document_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        changes = {
            r.pk: request.POST[f"grade_{r.pk}"]
            for r in reviews
            if request.POST.get(f"grade_{r.pk}") and request.POST[f"grade_{r.pk}"] != r.proposed_grade
        }
        try:
            services.decide(
                c,
                grassroots,
                form.cleaned_data["document_number"],
                form.cleaned_data["document_date"],
                request.user,
                changes=changes,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision was recorded; the grades are locked."))
            return redirect("reviews:campaign", pk=c.pk)
    return render(
        request,
        "reviews/decide.html",
        {"campaign": c, "organisation": grassroots, "reviews": reviews, "form": form, "grades": Grade.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_review_or_404(request.user, pk)
    if r.state != ReviewState.DECIDED or not can(request.user, MANAGE, r.org_path):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None, initial={"document_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.correct(r, d["grade"], d["document_number"], d["document_date"], d["reason"], request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correcting decision was recorded."))
            return redirect("reviews:review", pk=r.pk)
    return render(request, "reviews/correct.html", {"review": r, "form": form})


# --- Documents ---------------------------------------------------------------------------------------


@login_required
def report(request: HttpRequest, org: int, year: int) -> HttpResponse:
    """The classification report (DOCX) of an organisation of the user's scope for a year, or with
    `?period=term` for the term ending that year."""
    from dangvu.documents.views import docx_response
    from dangvu.reviews.exports import classification_report

    organisation = get_organisation_or_404(request.user, org, VIEW)
    period = Period.TERM if request.GET.get("period") == Period.TERM else Period.YEAR
    name = f"bao-cao-xep-loai-{'nhiem-ky-' if period == Period.TERM else ''}{year}-{organisation.pk}.docx"
    return docx_response(name, classification_report(organisation, year, period))


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's results the user may see (XLSX)."""
    from dangvu.reviews.exports import results_xlsx

    c = get_campaign_or_404(request.user, pk)
    response = HttpResponse(
        results_xlsx(c, request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="xep-loai-{c.year}-{c.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's review form (bản kiểm điểm, DOCX) filled from the self-assessment: for the member
    themself and for staff who see the review."""
    from dangvu.documents.views import docx_response
    from dangvu.reviews.documents import review_form as build

    r = get_review_or_404(request.user, pk)
    document = build(r)
    return docx_response(document.filename, document.content)
