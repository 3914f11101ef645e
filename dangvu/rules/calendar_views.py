"""The working-day calendar pages (issue 8 item 5): a year's days off and make-up working days with where
each comes from (every staff role, rules.view), and the administrator's form recording or correcting a
government letter's days (rules.edit) through dangvu.rules.services. A save that moves stored due dates
lists them and asks first (dangvu.rules.dues, dangvu.web.confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.scope import has_capability
from dangvu.lib.errors import DomainError
from dangvu.rules import services
from dangvu.rules.calendar import OFF, WORKING, YEARS, is_calendar_only, year_days
from dangvu.rules.forms import CalendarForm, YearForm
from dangvu.rules.models import RuleSet
from dangvu.rules.views import _require, ask_before_saving, saved_message
from dangvu.web import once


def _calendar_url(year: int) -> str:
    return f"{reverse('rules:calendar')}?year={year}"


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    _require(request.user, "rules.view")
    today = timezone.localdate()
    form = YearForm(request.GET if request.GET.get("year") else None, initial={"year": today.year})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else today.year
    rule_sets = list(RuleSet.objects.order_by("effective_from", "pk"))
    days = year_days(year, rule_sets)
    can_edit = has_capability(request.user, "rules.edit")
    context = {
        "form": form,
        "year": year,
        "days": days,
        "off": sum(1 for d in days if not d.working and not d.is_weekend),
        "previous": year - 1 if year > YEARS[0] else None,
        "next": year + 1 if year < YEARS[1] else None,
        "can_edit": can_edit,
        "letters": [r for r in rule_sets if is_calendar_only(r)],
    }
    return render(request, "rules/calendar.html", context)


def _save(request: HttpRequest, form: CalendarForm, rule_set: RuleSet | None) -> HttpResponse | None:
    """Check, ask when due dates move, save; None when the form shows errors."""
    data = form.cleaned
    args = (data["effective_from"], data["name"], data["source"], data[OFF], data[WORKING])
    try:
        values = services.check_calendar(*args, rule_set=rule_set)
        if asked := ask_before_saving(request, data["effective_from"], values, replacing=rule_set, today=False):
            return asked
        if rule_set is None:
            saved = services.record_calendar(request.user, *args)
            text = _("The days were recorded.")
        else:
            saved = services.correct_calendar(rule_set, request.user, *args)
            text = _("The days were corrected.")
    except DomainError as error:
        form.add_service_error(error)
        return None
    messages.success(request, saved_message(text, saved))
    years = sorted({day[:4] for key in (OFF, WORKING) for day in saved.values.get(key, [])})
    return redirect(_calendar_url(int(years[0]) if years else timezone.localdate().year))


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def calendar_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, "rules.edit")
    form = CalendarForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and (done := _save(request, form, None)):
        return done
    return render(request, "rules/calendar_form.html", {"form": form, "rule_set": None})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "rules.edit")
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if not is_calendar_only(rule_set):
        messages.error(request, _("This rule set holds other rules: correct it on the rule set's own page."))
        return redirect("rules:detail", pk=rule_set.pk)
    form = CalendarForm(request.POST or None, rule_set=rule_set)
    if request.method == "POST" and form.is_valid() and (done := _save(request, form, rule_set)):
        return done
    return render(request, "rules/calendar_form.html", {"form": form, "rule_set": rule_set})
