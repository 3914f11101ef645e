"""Party-fee pages: the organisations of the user's scope, an organisation's month sheet (members × due and
paid) with the drawing up of the month's dues, the arrears of a year, a member's fee page (fee data with its
history, exemptions and reductions, payments; forms for those who record them) and the member's own page
(/fees/me/).

Access (dangvu.fees.access): reading needs `fees.view` over the organisation or member (else 404; a member
reads their own); writing `fees.record` (else 403 without it anywhere, 404 out of its scope). Writes go
through dangvu.fees.services only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangvu.accounts.scope import Scope, has_capability
from dangvu.fees import access, calc, months, services, statement, stats
from dangvu.fees.access import IMPORT, RECORD, VIEW
from dangvu.fees.forms import AnnulForm, BasisForm, EndReliefForm, PaymentForm, ReliefForm
from dangvu.fees.models import FeeBasis, Payment, Relief
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import Organisation
from dangvu.web import confirm, once

confirm.declare(
    "annul_fee_payment",
    gettext_lazy("Annul this payment?"),
    gettext_lazy("An annulled payment is kept with its reason but no longer counts; it cannot be restored."),
    gettext_lazy("Annul the payment"),
)


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _month(request: HttpRequest) -> dt.date:
    return months.parse(request.GET.get("month", "")) or months.current()


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1900 < int(value) < 3000 else timezone.localdate().year


def _add_errors(form, error: DomainError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, VIEW):
        if request.user.member_id:
            return redirect("fees:me")
        raise PermissionDenied
    scope = Scope.of(request.user, VIEW)
    orgs = access.organisations(request.user).filter(valid_to__isnull=True)
    if scope.everything:
        orgs = orgs.filter(depth__lte=2)
    else:
        top = min(len(p) for p in scope.prefixes) // Organisation.steplen
        orgs = orgs.filter(depth__lte=top + 1)
    month = months.current()
    return render(
        request,
        "fees/index.html",
        {
            "organisations": list(orgs.order_by("path")[:200]),
            "month": month,
            "may_import": has_capability(request.user, IMPORT),
        },
    )


@login_required
@require_GET
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organisation_or_404(request.user, pk)
    month = _month(request)
    result = stats.sheet(org, month)
    may_record = Scope.of(request.user, RECORD).covers_path(org.path)
    return render(
        request,
        "fees/sheet.html",
        {
            "org": org,
            "month": month,
            "sheet": result,
            "previous": months.shift(month, -1),
            "next": months.shift(month, 1),
            "may_record": may_record,
            "month_text": months.fmt(month),
        },
    )


@login_required
@require_POST
def run(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, RECORD)
    org = access.get_organisation_or_404(request.user, pk, RECORD)
    month = months.parse(request.POST.get("month", "")) or months.current()
    try:
        result = services.run_month(org, month, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The dues of %(month)s were drawn up for %(n)s members.")
            % {"month": months.fmt(month), "n": result.members},
        )
    return redirect(f"{reverse('fees:sheet', args=[org.pk])}?month={months.fmt(month)}")


@login_required
@require_GET
def arrears(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_organisation_or_404(request.user, pk)
    year = _year(request)
    dues = access.dues_for(request.user).filter(organisation__path__startswith=org.path)
    rows = stats.arrears(dues, year)
    threshold = calc.rules_for(months.current()).removal_unpaid_months
    return render(
        request,
        "fees/arrears.html",
        {"org": org, "year": year, "rows": rows, "total": sum(r.owed for r in rows), "threshold": threshold},
    )


def _member_context(request: HttpRequest, member, year: int) -> dict:
    may_record = Scope.of(request.user, RECORD).covers_path(member.org_path) and has_capability(request.user, RECORD)
    today = months.current()
    rules = calc.rules_for(today)
    categories = {code: row["label"] for code, row in rules.categories.items()}
    bases = list(FeeBasis.objects.filter(member=member).order_by("-valid_from"))
    for basis in bases:
        basis.label = categories.get(basis.category, basis.category)
    current_due = calc.compute_member(member, today)
    return {
        "member": member,
        "year": year,
        "status": stats.member_status(member, year),
        "bases": bases,
        "reliefs": list(Relief.objects.filter(member=member).order_by("-first_month")),
        "payments": list(
            Payment.objects.filter(due__member=member, due__month__year=year)
            .select_related("due")
            .order_by("-paid_on", "-id")
        ),
        "current_label": categories.get(current_due.category, ""),
        "may_record": may_record,
        "current_due": current_due,
        "fee_code": statement.fee_code(member),
        "today_month": today,
        "threshold": rules.removal_unpaid_months,
    }


def _forms(member, rules_month: dt.date, data=None, which: str = "") -> dict:
    rules = calc.rules_for(rules_month)
    today = timezone.localdate()
    return {
        "basis_form": BasisForm(
            data if which == "basis" else None, categories=rules.categories, initial={"from_month": months.first(today)}
        ),
        "relief_form": ReliefForm(
            data if which == "relief" else None,
            percents=rules.reduction_percents,
            initial={"first_month": months.first(today)},
        ),
        "payment_form": PaymentForm(
            data if which == "payment" else None,
            initial={"month": months.first(today), "paid_on": today, "amount": calc.dues_for(member, today) or None},
        ),
    }


@login_required
@require_GET
def member(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_member_or_404(request.user, pk)
    context = _member_context(request, person, _year(request))
    if context["may_record"]:
        context.update(_forms(person, months.current()))
    return render(request, "fees/member.html", context)


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    if not request.user.member_id:
        raise PermissionDenied
    person = access.get_member_or_404(request.user, request.user.member_id)
    context = _member_context(request, person, _year(request))
    context["may_record"] = False
    context["own"] = True
    return render(request, "fees/member.html", context)


def _post_member(request: HttpRequest, pk: int, which: str, act) -> HttpResponse:
    _require(request.user, RECORD)
    person = access.get_member_or_404(request.user, pk, RECORD)
    forms_ = _forms(person, months.current(), request.POST, which)
    form = forms_[f"{which}_form"]
    if form.is_valid():
        try:
            message = act(person, form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("fees:member", pk=person.pk)
    context = _member_context(request, person, timezone.localdate().year)
    context.update(forms_)
    return render(request, "fees/member.html", context, status=422)


@login_required
@require_POST
def set_basis(request: HttpRequest, pk: int) -> HttpResponse:
    def act(person, d):
        services.set_basis(
            person,
            category=d["category"],
            base_amount=d["base_amount"] or 0,
            from_month=d["from_month"],
            note=d["note"],
            actor=request.user,
        )
        return _("The fee data was recorded.")

    return _post_member(request, pk, "basis", act)


@login_required
@require_POST
def grant_relief(request: HttpRequest, pk: int) -> HttpResponse:
    def act(person, d):
        services.grant_relief(
            person,
            kind=d["kind"],
            percent=d["percent"],
            reason=d["reason"],
            first_month=d["first_month"],
            last_month=d["last_month"],
            decision=d["decision"],
            actor=request.user,
        )
        return _("The exemption or reduction was recorded.")

    return _post_member(request, pk, "relief", act)


@login_required
@require_POST
@once.creating
def record_payment(request: HttpRequest, pk: int) -> HttpResponse:
    def act(person, d):
        services.record_payment(
            person,
            month=d["month"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            method=d["method"],
            reference=d["reference"],
            actor=request.user,
        )
        return _("The payment was recorded.")

    return _post_member(request, pk, "payment", act)


@login_required
@require_POST
def end_relief(request: HttpRequest, pk: int, relief: int) -> HttpResponse:
    _require(request.user, RECORD)
    person = access.get_member_or_404(request.user, pk, RECORD)
    row = access.get_relief_or_404(request.user, relief)
    if row.member_id != person.pk:
        raise PermissionDenied
    form = EndReliefForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form.errors.get("last_month", [_("Write the month as mm/yyyy.")])[0])
        services.end_relief(row, last_month=form.cleaned_data["last_month"], actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The exemption or reduction was ended."))
    return redirect("fees:member", pk=person.pk)


@login_required
@require_POST
def annul_payment(request: HttpRequest, pk: int, payment: int) -> HttpResponse:
    _require(request.user, RECORD)
    person = access.get_member_or_404(request.user, pk, RECORD)
    row = access.get_payment_or_404(request.user, payment)
    if row.due.member_id != person.pk:
        raise PermissionDenied
    asked = confirm.confirmation_needed(request, "annul_fee_payment")
    if asked is not None:
        return asked
    form = AnnulForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the reason for the annulment."))
        services.annul_payment(row, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment was annulled."))
    return redirect("fees:member", pk=person.pk)
