"""Rule set pages: the rules in force (today or on a chosen date) with the rule set each value comes
from, each rule set with its change history, and the administrator's forms that call
dangvu.rules.services.

Access: rule sets are national data, not tied to an organisation: every staff role may read them
(rules.view), only the administrator records or corrects them (rules.edit). No capability is a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.scope import has_capability
from dangvu.lib import versions
from dangvu.lib.errors import DomainError
from dangvu.rules import dues, presentation, services
from dangvu.rules.calendar import is_calendar_only
from dangvu.rules.forms import RuleSetForm, RulesOnForm
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import KEYS, rules_on
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed, is_confirmed, refusal

_ORDER = {name: i for i, name in enumerate(KEYS)}  # rules listed in the order they are declared
MOVED_SHOWN = 20  # due dates listed on the confirmation page (then "… and N more")


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _in_force_rows(rule_sets: list[RuleSet], day: dt.date) -> list[dict[str, Any]]:
    """Every declared key on `day`: its value and the rule set it comes from (None: the built-in default).
    Same precedence as registry.rules_on, computed from the already loaded rule sets."""
    origin: dict[str, RuleSet | None] = dict.fromkeys(KEYS)
    values = {name: key.default for name, key in KEYS.items()}
    for rule_set in sorted(rule_sets, key=lambda r: r.effective_from):
        for name, value in rule_set.values.items():
            if name not in KEYS:
                continue
            if KEYS[name].cumulative:  # dated facts: every rule set adds to them, whatever its date
                values[name] = sorted({*values[name], *value}, key=str)
                origin[name] = origin[name] or rule_set
            elif rule_set.effective_from <= day:
                values[name], origin[name] = value, rule_set
    return [
        {
            "name": name,
            "label": presentation.label(name),
            "help": presentation.help_text(name),
            "value": presentation.show(name, values[name]),
            "rule_set": origin[name],
        }
        for name in KEYS
    ]


def _annotate(rule_sets: list[RuleSet], today: dt.date) -> None:
    """state: "calendar" (a government letter's days: they count whatever the date), "future", "current"
    (the newest in force) or "earlier"; rule_labels: the rules it sets."""
    rules = [r for r in rule_sets if not is_calendar_only(r)]
    current = max((r.effective_from for r in rules if r.effective_from <= today), default=None)
    for rule_set in rule_sets:
        if is_calendar_only(rule_set):
            rule_set.state = "calendar"
        elif rule_set.effective_from > today:
            rule_set.state = "future"
        elif rule_set.effective_from == current:
            rule_set.state = "current"
        else:
            rule_set.state = "earlier"
        names = sorted(rule_set.values, key=lambda name: (_ORDER.get(name, len(_ORDER)), name))
        rule_set.rule_labels = [presentation.label(name) for name in names]


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "rules.view")
    today = timezone.localdate()
    on_form = RulesOnForm(request.GET if request.GET.get("on") else None, initial={"on": today})
    day = on_form.cleaned_data["on"] if on_form.is_bound and on_form.is_valid() else today
    rule_sets = list(RuleSet.objects.order_by("-effective_from"))
    context = {
        "on_form": on_form,
        "day": day,
        "today": today,
        "rows": _in_force_rows(rule_sets, day),
    }
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        response = render(request, "rules/_in_force.html", context)
    else:
        _annotate(rule_sets, today)
        context.update({"rule_sets": rule_sets, "can_edit": has_capability(request.user, "rules.edit")})
        response = render(request, "rules/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _history(rule_set: RuleSet) -> list[dict[str, Any]]:
    """Who changed what and when (django-simple-history), newest first, values compared key by key."""
    records = list(rule_set.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for field in ("effective_from", "name", "source"):
                old, new = getattr(previous, field), getattr(record, field)
                if old != new:
                    label = capfirst(RuleSet._meta.get_field(field).verbose_name)
                    if field == "effective_from":
                        old, new = f"{old:%d/%m/%Y}", f"{new:%d/%m/%Y}"
                    changes.append({"field": label, "old": old or "—", "new": new or "—", "is_key": False})
            old_values, new_values = previous.values or {}, record.values or {}
            for name in sorted(set(old_values) | set(new_values)):
                if old_values.get(name) != new_values.get(name):
                    changes.append(
                        {
                            "field": presentation.label(name),
                            "old": presentation.show(name, old_values.get(name)),
                            "new": presentation.show(name, new_values.get(name)),
                            "is_key": True,
                        }
                    )
        rows.append({"record": record, "changes": changes})
        previous = record
    rows.reverse()
    return rows


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "rules.view")
    rule_set = get_object_or_404(RuleSet, pk=pk)  # national data: no organisation scope applies
    values = [
        {
            "name": name,
            "label": presentation.label(name) if name in KEYS else None,
            "value": presentation.show(name, value),
        }
        for name, value in sorted(rule_set.values.items(), key=lambda item: (_ORDER.get(item[0], len(_ORDER)), item[0]))
    ]
    context = {
        "rule_set": rule_set,
        "values": values,
        "in_force": services.is_in_force(rule_set),
        "can_edit": has_capability(request.user, "rules.edit") and not services.is_in_force(rule_set),
        "calendar_only": is_calendar_only(rule_set),
        "can_correct_days": has_capability(request.user, "rules.edit") and is_calendar_only(rule_set),
        "history": _history(rule_set),
    }
    return render(request, "rules/detail.html", context)


def ask_before_saving(
    request: HttpRequest,
    effective_from: dt.date,
    values: dict[str, Any],
    *,
    replacing: RuleSet | None = None,
    today: bool = True,
) -> HttpResponse | None:
    """The confirmations a save needs, or None. A rule set taking effect today cannot be corrected once
    saved (`today`: ask it; not for a calendar letter, which can be corrected); a rule set that moves the
    stored due dates of open files and transfers (dangvu.rules.dues) lists them first. Confirming the due
    dates (the second question) covers the first."""
    dues_confirmed = is_confirmed(request, "rule_set_moves_dues")
    asks_today = today and effective_from == timezone.localdate()
    if asks_today and not (dues_confirmed or is_confirmed(request, "rule_set_today")):
        return confirmation_needed(request, "rule_set_today")
    if dues_confirmed:
        return None
    moved = dues.preview(effective_from, values, replacing=replacing.pk if replacing else None)
    if not moved:
        return None
    lines = [dues.describe(m) for m in moved[:MOVED_SHOWN]]
    if len(moved) > MOVED_SHOWN:
        lines.append(_("… and %(count)s more.") % {"count": len(moved) - MOVED_SHOWN})
    return refusal(request, "rule_set_moves_dues", details=lines)


def saved_message(text: str, rule_set: RuleSet) -> str:
    moved = len(getattr(rule_set, "moved_dues", []))
    if not moved:
        return text
    return "{} {}".format(
        text,
        ngettext(
            "%(count)s due date of an open file or transfer was recomputed.",
            "%(count)s due dates of open files and transfers were recomputed.",
            moved,
        )
        % {"count": moved},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create(request: HttpRequest) -> HttpResponse:
    _require(request.user, "rules.edit")
    form = RuleSetForm(request.POST or None, in_force=rules_on())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_rule_set(data["effective_from"], data["name"], data["source"], form.rule_values())
            if asked := ask_before_saving(request, data["effective_from"], form.rule_values()):
                return asked
            rule_set = services.create_rule_set(
                request.user, data["effective_from"], data["name"], data["source"], form.rule_values()
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, saved_message(_("The rule set was recorded."), rule_set))
            return redirect("rules:detail", pk=rule_set.pk)
    return render(request, "rules/form.html", {"form": form, "rule_set": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "rules.edit")
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if services.is_in_force(rule_set):
        messages.error(
            request,
            _("This rule set is in force and cannot be changed: record a new rule set with a later date instead."),
        )
        return redirect("rules:detail", pk=rule_set.pk)
    form = RuleSetForm(request.POST or None, in_force=rules_on(), rule_set=rule_set)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_rule_set(
                data["effective_from"], data["name"], data["source"], form.rule_values(), rule_set=rule_set
            )
            if asked := ask_before_saving(request, data["effective_from"], form.rule_values(), replacing=rule_set):
                return asked
            saved = services.update_rule_set(
                rule_set,
                request.user,
                data["effective_from"],
                data["name"],
                data["source"],
                form.rule_values(),
                version=data["version"],
            )
        except versions.StaleEdit as error:
            versions.refresh_form(form, error)
            form.add_error(None, error)
            form.add_error(None, versions.AGAIN)
            return render(request, "rules/form.html", {"form": form, "rule_set": rule_set}, status=409)
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, saved_message(_("The rule set was corrected."), saved))
            return redirect("rules:detail", pk=rule_set.pk)
    return render(request, "rules/form.html", {"form": form, "rule_set": rule_set})
