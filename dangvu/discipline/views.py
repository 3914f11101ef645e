"""Discipline pages, the inspection committee's section: the list of cases, opening a case, a case with its
decision, closing, appeal and outcome, state bodies' notices, and the statistics.

Access (dangvu.discipline.access): case files need `discipline.cases` over the subject's organisation (else
404); acting needs `discipline.manage` (else 403); the decided discipline and the statistics need
`discipline.view`. Writes go through dangvu.discipline.services only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import Scope, has_capability, home_organisations, members_for, organisations_for
from dangvu.discipline import authority, documents, services, stats
from dangvu.discipline.access import can_manage, cases_for, get_case_or_404, notices_for
from dangvu.discipline.forms import AppealForm, DecideForm, DropForm, NoticeForm, OpenForm, SettleForm, StatsForm
from dangvu.discipline.models import CaseState, Form
from dangvu.documents.views import docx_response
from dangvu.lib.errors import DomainError
from dangvu.members.models import Status
from dangvu.orgs.models import Organisation, Term
from dangvu.rules.registry import rules_on
from dangvu.web import once

VIEW, CASES, MANAGE = "discipline.view", "discipline.cases", "discipline.manage"


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    state = request.GET.get("state", "")
    may_cases = has_capability(request.user, CASES)
    if may_cases:
        cases = cases_for(request.user)
        if state in CaseState.values:
            cases = cases.filter(state=state)
    else:  # the decided discipline only, without the case files
        cases = cases_for(request.user, VIEW).filter(state=CaseState.DECIDED)
    cases = list(cases.select_related("member", "organisation", "decided_by")[:300])
    notices = list(notices_for(request.user).select_related("member", "organisation")[:100])
    return render(
        request,
        "discipline/index.html",
        {
            "cases": cases,
            "notices": notices,
            "may_cases": may_cases,
            "may_manage": has_capability(request.user, MANAGE),
            "states": CaseState.choices,
            "state": state,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def open_case(request: HttpRequest) -> HttpResponse:
    _require(request.user, MANAGE)
    today = timezone.localdate()
    initial = {"subject_kind": "member", "opened_on": today}
    if str(request.GET.get("member", "")).isdigit():
        initial["member"] = int(request.GET["member"])
    form = OpenForm(
        request.POST or None,
        initial=initial,
        members=members_for(request.user, MANAGE).filter(status__in=Status.in_party()).order_by("name_sort"),
        organisations=organisations_for(request.user, MANAGE).filter(valid_to__isnull=True).order_by("path"),
        values=rules_on(today),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        subject = {"member": d["member"]} if d["subject_kind"] == "member" else {"organisation": d["organisation"]}
        try:
            case = services.open_case(
                **subject,
                category=d["category"],
                facts=d["facts"],
                violation_date=d["violation_date"],
                proposed_form=d["proposed_form"],
                opened_on=d["opened_on"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case was opened."))
            return redirect("discipline:case", pk=case.pk)
    return render(request, "discipline/open.html", {"form": form})


def _bodies(case, day) -> tuple:
    """The organisations the authority table may name for this case (the subject's and above), and the
    member's seats in force."""
    if case.member_id:
        cell = services.cell_on(case.member, day)
        orgs = [cell, *authority.ancestors(cell, day)]
        seats = authority.seats_on(case.member, day)
        for seat in seats:
            orgs += [seat.committee.organisation, *authority.ancestors(seat.committee.organisation, day)]
    else:
        orgs, seats = authority.ancestors(case.organisation, day), []
    return Organisation.objects.filter(pk__in={o.pk for o in orgs}).order_by("path"), seats


def _case_forms(request: HttpRequest, case) -> dict:
    today = timezone.localdate()
    bodies, seats = _bodies(case, today)
    values = rules_on(today)
    subject = (
        authority.subject_levels(organisation=case.organisation, day=today)
        if not case.member_id
        else authority.subject_levels(member=case.member, cell=services.cell_on(case.member, today), day=today)
    )
    return {
        "decide_form": DecideForm(
            initial={"form": case.proposed_form, "document_date": today, "effective_date": today},
            bodies=bodies,
            seats=seats,
        ),
        "drop_form": DropForm(initial={"document_date": today}),
        "appeal_form": AppealForm(initial={"appeal_lodged_on": today}),
        "settle_form": SettleForm(initial={"appeal_decided_on": today}),
        "competent": authority.competent(values, subject, case.proposed_form) if case.state == CaseState.OPEN else [],
    }


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_case_or_404(request.user, pk)
    context = {"case": c, "may_manage": can_manage(request.user, c), "category": _category_label(c)}
    if context["may_manage"]:
        context.update(_case_forms(request, c))
    if c.state == CaseState.DECIDED and c.document_date:
        context["appeal_until"] = services.appeal_until(c)
    return render(request, "discipline/case.html", context)


def _category_label(case) -> str:
    return rules_on(case.opened_on)["discipline.categories"].get(case.category, {}).get("label", case.category)


def _act(request: HttpRequest, pk: int, form_class, action, template_key: str, form_kwargs=None):
    c = get_case_or_404(request.user, pk)
    if not can_manage(request.user, c):
        raise PermissionDenied
    form = form_class(request.POST, **form_kwargs(c)) if callable(form_kwargs) else form_class(request.POST)
    if form.is_valid():
        try:
            action(c, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("discipline:case", pk=c.pk)
    context = {"case": c, "may_manage": True, "category": _category_label(c), **_case_forms(request, c)}
    context[template_key] = form
    return render(request, "discipline/case.html", context, status=422)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    def action(c, d):
        services.decide(
            c,
            services.Decision(
                form=d["form"],
                decided_by=d["decided_by"],
                organ=d["organ"],
                document_number=d["document_number"],
                document_date=d["document_date"],
                issuer=d["issuer"],
                effective_date=d["effective_date"],
                seat_id=int(d["seat"]) if d.get("seat") else None,
            ),
            request.user,
        )

    def kwargs(c):
        bodies, seats = _bodies(c, timezone.localdate())
        return {"bodies": Organisation.objects.filter(path__in=[o.path for o in bodies]), "seats": seats}

    return _act(request, pk, DecideForm, action, "decide_form", form_kwargs=kwargs)


@login_required
@require_POST
def drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DropForm,
        lambda c, d: services.drop(c, d["reason"], d["document_date"], request.user),
        "drop_form",
        form_kwargs=None,
    )


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AppealForm,
        lambda c, d: services.lodge_appeal(c, d["appeal_lodged_on"], d["appeal_to"], request.user),
        "appeal_form",
        form_kwargs=None,
    )


@login_required
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    def action(c, d):
        services.settle_appeal(
            c,
            d["appeal_outcome"],
            d["appeal_decided_on"],
            d["appeal_document_number"],
            request.user,
            new_form=d.get("new_form") or "",
            note=d.get("note") or "",
        )

    return _act(request, pk, SettleForm, action, "settle_form", form_kwargs=None)


@login_required
@require_GET
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision in the Party format, for those who see the case file (`discipline.cases`)."""
    c = get_case_or_404(request.user, pk)
    if not c.form:
        raise Http404
    generated = documents.decision(c)
    return docx_response(generated.filename, generated.content)


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def notice(request: HttpRequest) -> HttpResponse:
    _require(request.user, MANAGE)
    form = NoticeForm(
        request.POST or None,
        initial={"notified_on": timezone.localdate()},
        members=members_for(request.user, MANAGE).filter(status__in=Status.in_party()).order_by("name_sort"),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_state_notice(
                d["member"],
                body=d["body"],
                form=d["form"],
                document_number=d["document_number"],
                document_date=d["document_date"],
                notified_on=d["notified_on"],
                note=d["note"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notice was recorded."))
            return redirect("discipline:index")
    return render(request, "discipline/notice.html", {"form": form})


def _statistics(request: HttpRequest):
    """The form and the report asked for (None outside the scope): shared by the page and the XLSX."""
    orgs = organisations_for(request.user, VIEW).order_by("path")
    homes = home_organisations(request.user)
    data = request.GET if request.GET.get("organisation") else None
    form = StatsForm(
        data,
        initial={"organisation": homes[0].pk if homes else None, "year": timezone.localdate().year},
        organisations=orgs,
        terms=Term.objects.all(),
    )
    org, start, end = (homes[0] if homes else None), None, None
    if form.is_bound and form.is_valid():
        org = form.cleaned_data["organisation"]
        term, year = form.cleaned_data.get("term"), form.cleaned_data.get("year")
        start, end = stats.period(term=term) if term else stats.period(year=year or timezone.localdate().year)
    elif org is not None:
        start, end = stats.period(year=timezone.localdate().year)
    if org is not None and not Scope.of(request.user, VIEW).covers_path(org.path):
        org = None
    report = stats.discipline(org, start, end) if org is not None else None
    return form, report, end


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    form, report, end = _statistics(request)
    labels = rules_on(end)["discipline.categories"] if end else {}
    rows = (
        [(labels.get(code, {}).get("label", code), n) for code, n in report.combined.categories.items()]
        if report
        else []
    )
    return render(
        request,
        "discipline/stats.html",
        {"form": form, "report": report, "forms": Form.choices, "category_rows": sorted(rows)},
    )


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    """The statistics shown by the page for the same query, as XLSX (404 without an organisation of the
    scope)."""
    from dangvu.discipline.exports import statistics_xlsx as build

    _require(request.user, VIEW)
    _form, report, _end = _statistics(request)
    if report is None:
        raise Http404
    response = HttpResponse(
        build(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"thong-ke-ky-luat-{report.organisation.pk}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
