"""Letters pages, in the inspection committee's section: the list, intake, a letter with its screening,
routing, extension and outcome, the senders on request (`?show=sender`: the inspection role of the handling
committee only, each showing logged), the log of those showings (the committee's head of inspection), the
designation of the heads (administrator) and the statistics (counts only).

Access (dangvu.letters.access): letters need `letters.view` over the handling committee (else 404); acting
needs `letters.manage` (else 403). Writes go through dangvu.letters.services only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import Scope, has_capability, home_organisations, members_for, organisations_for
from dangvu.discipline.forms import StatsForm
from dangvu.documents.views import docx_response
from dangvu.letters import documents, services, stats
from dangvu.letters.access import (
    MANAGE,
    STATS,
    VIEW,
    can_manage,
    get_letter_or_404,
    is_head,
    letters_for,
    may_see_senders,
)
from dangvu.letters.forms import ConcludeForm, ExtendForm, HeadForm, ReceiveForm, RouteForm, ScreenForm
from dangvu.letters.models import InspectionHead, Letter, SenderView, State
from dangvu.lib.errors import DomainError
from dangvu.members.models import Status
from dangvu.orgs.models import Organisation, OrgKind, Term
from dangvu.rules.registry import rules_on
from dangvu.web import once

HEADS = "letters.heads"
COMMITTEE_KINDS = [k for k in OrgKind.values if k not in (OrgKind.CELL,)]


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    state = request.GET.get("state", "")
    rows = letters_for(request.user)
    if state in State.values:
        rows = rows.filter(state=state)
    rows = list(rows.select_related("committee", "about_member", "about_organisation")[:300])
    return render(
        request,
        "letters/index.html",
        {
            "letters": rows,
            "states": State.choices,
            "state": state,
            "may_manage": has_capability(request.user, MANAGE),
            "may_stats": has_capability(request.user, STATS),
            "may_heads": has_capability(request.user, HEADS),
        },
    )


def _committees(user):
    return organisations_for(user, MANAGE).filter(valid_to__isnull=True).exclude(kind=OrgKind.CELL).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def receive(request: HttpRequest) -> HttpResponse:
    _require(request.user, MANAGE)
    committees = _committees(request.user)
    initial = {"received_on": timezone.localdate(), "about_kind": "member", "committee": committees.first()}
    if str(request.GET.get("member", "")).isdigit():  # "a letter about this member" from elsewhere
        initial["about_member"] = int(request.GET["member"])
    form = ReceiveForm(
        request.POST or None,
        initial=initial,
        committees=committees,
        members=members_for(request.user, MANAGE).filter(status__in=Status.in_party()).order_by("name_sort"),
        organisations=organisations_for(request.user, MANAGE).filter(valid_to__isnull=True).order_by("path"),
        letters=letters_for(request.user, MANAGE).order_by("-received_on")[:200],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            letter = services.receive(
                d["committee"],
                number=d["number"],
                received_on=d["received_on"],
                channel=d["channel"],
                kind=d["kind"],
                signed=d["signed"],
                senders=form.senders(),
                content=d["content"],
                about_member=d["about_member"] if d["about_kind"] == "member" else None,
                about_organisation=d["about_organisation"] if d["about_kind"] == "organisation" else None,
                repeat_of=d["repeat_of"],
                new_evidence=d["new_evidence"],
                actor=request.user,
            )
        except DomainError as error:
            _add_errors(form, error, senders="sender_1_name")
        else:
            messages.success(request, _("The letter was recorded."))
            return redirect("letters:detail", pk=letter.pk)
    return render(request, "letters/receive.html", {"form": form})


def _add_errors(form, error: DomainError, **renamed) -> None:
    """Put the service's messages beside the form's fields (a service field the form names otherwise is
    renamed; one the form lacks goes to the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = renamed.get(field, field)
        form.add_error(target if target in form.fields else None, errors)


def _forms(request: HttpRequest, letter: Letter) -> dict:
    today = timezone.localdate()
    members = members_for(request.user, MANAGE).filter(status__in=Status.in_party())
    if letter.about_member_id:
        members = members.exclude(pk=letter.about_member_id)
    return {
        "screen_form": ScreenForm(initial={"screened_on": today}),
        "route_form": RouteForm(
            initial={"routed_on": today},
            members=members.order_by("name_sort"),
            subordinates=_subordinates(letter),
        ),
        "extend_form": ExtendForm(initial={"notice_on": today}),
        "conclude_form": ConcludeForm(initial={"concluded_on": today}, values=rules_on(today)),
    }


def _subordinates(letter: Letter):
    return (
        Organisation.objects.filter(path__startswith=letter.committee.path, valid_to__isnull=True)
        .exclude(pk=letter.committee_id)
        .exclude(kind=OrgKind.CELL)
        .order_by("path")
    )


def _context(request: HttpRequest, letter: Letter) -> dict:
    may_manage = can_manage(request.user, letter)
    context = {
        "letter": letter,
        "may_manage": may_manage,
        "may_see": may_see_senders(request.user, letter),
        "is_head": is_head(request.user, letter.committee_id),
        "reason": services.reason_label(letter) if letter.not_handled_reason else "",
        "handlers": list(letter.handlers.all()) if letter.route == "handle" else [],
    }
    if may_manage:
        context.update(_forms(request, letter))
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_letter_or_404(request.user, pk)
    context = _context(request, letter)
    if request.GET.get("show") == "sender":
        if not context["may_see"]:
            raise PermissionDenied
        context["senders"] = services.read_senders(letter, request.user, "page")
    response = render(request, "letters/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _act(request: HttpRequest, pk: int, form_class, action, key: str, form_kwargs=None) -> HttpResponse:
    letter = get_letter_or_404(request.user, pk)
    if not can_manage(request.user, letter):
        raise PermissionDenied
    form = form_class(request.POST, **(form_kwargs(letter) if form_kwargs else {}))
    if form.is_valid():
        try:
            action(letter, form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("letters:detail", pk=letter.pk)
    context = _context(request, letter)
    context[key] = form
    return render(request, "letters/detail.html", context, status=422)


@login_required
@require_POST
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ScreenForm,
        lambda c, d: services.screen(c, screened_on=d["screened_on"], note=d["note"], actor=request.user),
        "screen_form",
    )


@login_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    def kwargs(letter):
        return {
            "members": members_for(request.user, MANAGE).filter(status__in=Status.in_party()),
            "subordinates": _subordinates(letter),
        }

    return _act(
        request,
        pk,
        RouteForm,
        lambda c, d: services.route(
            c,
            route=d["route"],
            routed_on=d["routed_on"],
            handlers=d["handlers"] or [],
            forwarded_to=d["forwarded_to"],
            transferred_to=d["transferred_to"],
            note=d["note"],
            actor=request.user,
        ),
        "route_form",
        kwargs,
    )


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ExtendForm,
        lambda c, d: services.extend(
            c, days=d["days"], reason=d["reason"], notice_on=d["notice_on"], actor=request.user
        ),
        "extend_form",
    )


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    def action(letter, d):
        spec = None
        if d["outcome"] == "discipline":
            spec = services.CaseSpec(d["category"], d["facts"], d["violation_date"], d["proposed_form"])
        services.conclude(
            letter,
            outcome=d["outcome"],
            concluded_on=d["concluded_on"],
            conclusion=d["conclusion"],
            case=spec,
            result_notice_on=d["result_notice_on"],
            actor=request.user,
        )

    return _act(
        request,
        pk,
        ConcludeForm,
        action,
        "conclude_form",
        lambda letter: {"values": rules_on(timezone.localdate())},
    )


@login_required
def sender_views(request: HttpRequest, pk: int) -> HttpResponse:
    """Who saw the senders of the letter and when: for the committee's head of inspection only."""
    letter = Letter.objects.select_related("committee").filter(pk=pk).first()
    if letter is None or not is_head(request.user, letter.committee_id):
        raise Http404
    views = SenderView.objects.filter(letter=letter).select_related("viewer")
    return render(request, "letters/sender_views.html", {"letter": letter, "views": views})


@login_required
@require_http_methods(["GET", "POST"])
def heads(request: HttpRequest) -> HttpResponse:
    _require(request.user, HEADS)
    form = HeadForm(
        request.POST or None,
        initial={"valid_from": timezone.localdate()},
        committees=Organisation.objects.filter(valid_to__isnull=True).exclude(kind=OrgKind.CELL).order_by("path"),
        users=get_user_model().objects.filter(is_active=True).order_by("username"),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.designate_head(d["committee"], d["user"], valid_from=d["valid_from"], actor=request.user)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("letters:heads")
    rows = InspectionHead.objects.select_related("committee", "user").all()[:300]
    return render(request, "letters/heads.html", {"form": form, "heads": rows})


def _statistics(request: HttpRequest):
    """The form and the report asked for (None outside the scope): shared by the page and the XLSX."""
    homes = home_organisations(request.user)
    data = request.GET if request.GET.get("organisation") else None
    form = StatsForm(
        data,
        initial={"organisation": homes[0].pk if homes else None, "year": timezone.localdate().year},
        organisations=organisations_for(request.user, STATS).order_by("path"),
        terms=Term.objects.all(),
    )
    org, start, end = (homes[0] if homes else None), None, None
    if form.is_bound and form.is_valid():
        org = form.cleaned_data["organisation"]
        term, year = form.cleaned_data.get("term"), form.cleaned_data.get("year")
        start, end = stats.period(term=term) if term else stats.period(year=year or timezone.localdate().year)
    elif org is not None:
        start, end = stats.period(year=timezone.localdate().year)
    if org is not None and not Scope.of(request.user, STATS).covers_path(org.path):
        org = None
    return form, (stats.letters(org, start, end) if org is not None else None)


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request.user, STATS)
    form, report = _statistics(request)
    rows = stats.table(report) if report is not None else []
    return render(request, "letters/stats.html", {"form": form, "report": report, "rows": rows})


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    """The statistics shown by the page for the same query, as XLSX (counts only; 404 without an organisation
    of the scope)."""
    from dangvu.letters.exports import statistics_xlsx as build

    _require(request.user, STATS)
    _form, report = _statistics(request)
    if report is None:
        raise Http404
    response = HttpResponse(
        build(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"thong-ke-don-thu-{report.organisation.pk}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _notice_docx(request: HttpRequest, pk: int, build, ready) -> HttpResponse:
    """A notice to the sender: names the senders, so only for the inspection role of the handling committee,
    and logged as a showing of the senders."""
    letter = get_letter_or_404(request.user, pk)
    if not may_see_senders(request.user, letter):
        raise PermissionDenied
    if not ready(letter):
        raise Http404
    generated = build(letter, services.read_senders(letter, request.user, "docx"))
    return docx_response(generated.filename, generated.content)


@login_required
@require_GET
def receipt_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_docx(request, pk, documents.receipt, lambda letter: True)


@login_required
@require_GET
def extension_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_docx(request, pk, documents.extension, lambda letter: bool(letter.extension_days))


@login_required
@require_GET
def result_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_docx(request, pk, documents.result, lambda letter: bool(letter.outcome))
