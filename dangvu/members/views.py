"""Member pages: the list (filters, diacritic-free search, Vietnamese sort, XLSX export), the record with
its events, periods and audit history, and the forms that call dangvu.members.services.

Access: every object comes through dangvu.accounts.scope. A missing capability is a 403; an object
outside the user's scope is a 404 (its existence is not revealed).
"""

from __future__ import annotations

import datetime as dt
from tempfile import TemporaryFile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.forms.utils import flatatt
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dangvu.accounts import privacy
from dangvu.accounts.scope import (
    Scope,
    get_member_or_404,
    has_capability,
    members_for,
    organisation_url,
    scope_options,
)
from dangvu.lib import versions
from dangvu.lib.errors import DomainError
from dangvu.members import listing, services
from dangvu.members.exports import write_members_xlsx
from dangvu.members.filters import IN_PARTY, MemberFilter
from dangvu.members.forms import AnnulForm, EventForm, MemberCreateForm, MemberEditForm
from dangvu.members.models import EventKind, Member, MemberEvent, Status
from dangvu.orgs.labels import attach_to
from dangvu.orgs.models import Organisation
from dangvu.rules import presentation
from dangvu.transfers.access import can_issue
from dangvu.transfers.models import TransferState
from dangvu.web import once
from dangvu.web.choosers import chooser_attrs

SORT_CHOICES = [
    ("name", gettext_lazy("Name")),
    ("-name", gettext_lazy("Name (Z–A)")),
    ("birth", gettext_lazy("Date of birth")),
    ("-birth", gettext_lazy("Date of birth (newest first)")),
    ("admission", gettext_lazy("Admission date")),
    ("-admission", gettext_lazy("Admission date (newest first)")),
]


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _filter_context(request, member_filter: MemberFilter) -> dict:
    """Organisation choices (accounts.scope.scope_options), plus the selected organisation. Deeper ones are
    reached from the organisation pages, which link here with ?organisation=<pk>."""
    return {
        "filter": member_filter,
        "org_options": scope_options(request.user, "members.view", member_filter.organisation_id),
        # Deeper organisations are found by typing (issue 9 item 4): the chooser adds them to the select.
        "org_chooser": flatatt({**chooser_attrs("organisations", "members.view"), "data-chooser-add": "1"}),
        "status_options": [(IN_PARTY, _("In the Party")), ("", _("All statuses")), *Status.choices],
        "sort_options": [(value, str(label)) for value, label in SORT_CHOICES],
    }


@login_required
def member_list(request):
    _require(request.user, "members.view")
    member_filter = MemberFilter.from_params(request.GET)
    members = member_filter.apply(members_for(request.user), user=request.user).select_related("organisation")
    counted = listing.total(request.user, member_filter, members)  # exact, or estimated past a threshold
    page = listing.CountedPaginator(member_filter.rows(members, counted), settings.PAGE_SIZE, counted).get_page(
        request.GET.get("page")
    )
    page.object_list = attach_to(page.object_list)
    for row in page.object_list:  # personal data the user may not see is never in the page
        privacy.blank(row, privacy.hidden_fields(request.user, row))
    page.object_list = listing.prepare_rows(page.object_list)  # display texts made once, after the blanking
    context = {
        "page": page,
        "filter": member_filter,
        "can_export": has_capability(request.user, "members.export"),
        "can_create": has_capability(request.user, "members.edit"),
        "can_find_citizen_id": privacy.sees_anywhere(request.user, "citizen_id"),
    }
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        response = render(request, "members/_results.html", context)
    else:
        context.update(_filter_context(request, member_filter))
        response = render(request, "members/list.html", context)
    # The same URL answers with a fragment or a page: caches (and the back button) must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def export(request):
    """The whole filtered list (not only the page) as XLSX, limited to the user's export scope."""
    _require(request.user, "members.export")
    members = MemberFilter.from_params(request.GET).apply(
        members_for(request.user, "members.export"), user=request.user
    )
    # A temporary file rather than memory: rows are streamed into it and then streamed to the client.
    # FileResponse closes the file once sent, so no context manager here.
    out = TemporaryFile()  # noqa: SIM115
    try:
        write_members_xlsx(members, out, user=request.user)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    filename = f"dang-vien-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _display(member_field, value, org_names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if member_field.name == "organisation":
        return org_names.get(value, f"#{value}")
    if member_field.choices:
        return str(dict(member_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _audit_rows(member: Member, hidden: frozenset[str]) -> list[dict]:
    """Who changed what and when (django-simple-history), newest first. For a field in `hidden` (personal
    data the user may not see) the change is listed without its values."""
    records = list(member.history.select_related("history_user").order_by("history_date", "history_id"))
    deltas = []
    org_ids: set[int] = set()
    previous = None
    for record in records:
        changes = record.diff_against(previous).changes if previous is not None else []
        for change in changes:
            if change.field == "organisation":
                org_ids.update(v for v in (change.old, change.new) if v)
        deltas.append((record, changes))
        previous = record
    org_names = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name")) if org_ids else {}
    rows = []
    for record, changes in reversed(deltas):
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing shown here (e.g. the replay after creation)
        rows.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "reason": record.history_change_reason,
                "changes": [
                    {
                        "field": Member._meta.get_field(c.field).verbose_name,
                        "hidden": c.field in hidden,
                        "old": "" if c.field in hidden else _display(Member._meta.get_field(c.field), c.old, org_names),
                        "new": "" if c.field in hidden else _display(Member._meta.get_field(c.field), c.new, org_names),
                    }
                    for c in changes
                ],
            }
        )
    return rows


def _candidate_url(user, member: Member) -> str | None:
    """The member's admission file, when there is one and the user may open it (None otherwise, also while
    the admission pages are not mounted)."""
    from dangvu.admission.models import Candidate

    candidate = Candidate.objects.filter(member=member).select_related("organisation").first()
    if candidate is None or not Scope.of(user, "admission.view").covers_path(candidate.organisation.path):
        return None
    try:
        return reverse("admission:candidate", args=[candidate.pk])
    except NoReverseMatch:
        return None


def _probation_length(member: Member) -> str:
    """The probation length of a probationary member as the page names it ("12 tháng"): the rule set in force
    on the admission date, the one the end of probation is derived with (members.lifecycle)."""
    if member.status != Status.PROBATIONARY or member.admission_date is None:
        return ""
    return presentation.show("admission.probation_months", services.limits_for(member.admission_date).probation_months)


@login_required
def detail(request, pk: int):
    member = get_member_or_404(request.user, pk)
    events = list(
        member.events.select_related("organisation", "annuls", "annulled_by", "recorded_by").order_by("date", "id")
    )
    periods = list(member.periods.select_related("organisation").order_by("valid_from", "id"))
    path = member.organisation.path
    can_audit = Scope.of(request.user, "audit.view").covers_path(path)
    can_edit = Scope.of(request.user, "members.edit").covers_path(path)
    transfers = list(
        member.transfers.select_related("from_organisation", "to_organisation").order_by("-letter_date", "-id")
    )
    # Personal data the user may not see (dangvu.accounts.privacy) is left out of the page, and blanked on
    # the objects rendered so that nothing forgotten in the template can show it.
    hidden = privacy.hidden_fields(request.user, member)
    can_transfer = (
        member.status in Status.in_party()
        and member.organisation.holds_members
        and member.organisation.is_active
        and can_issue(request.user, member)
    )
    probation_length = _probation_length(member)  # before the blanking: the length is no personal data
    privacy.blank(member, hidden)
    if "event_notes" in hidden:
        for event in events:
            event.note = ""
            for linked in ("annuls", "annulled_by"):
                if getattr(event, linked, None) is not None:
                    getattr(event, linked).note = ""
    context = {
        "member": member,
        "org_url": organisation_url(request.user, member.organisation),
        "transfers": transfers,
        "open_transfer": next((t for t in transfers if t.state == TransferState.IN_TRANSIT), None),
        "can_transfer": can_transfer,
        "hidden": {field: True for field in hidden},
        "candidate_url": _candidate_url(request.user, member),
        "events": events,
        "periods": periods,
        "party_age": member.party_age(timezone.localdate()),
        "probation_length": probation_length,
        "can_edit": can_edit,
        "can_audit": can_audit,
        "audit": _audit_rows(member, hidden) if can_audit else None,
    }
    return render(request, "members/detail.html", context)


def _editable_member(request, pk: int) -> Member:
    """403 without the capability anywhere, 404 when the member is outside the user's editing scope."""
    _require(request.user, "members.edit")
    return get_member_or_404(request.user, pk, "members.edit")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    member = _editable_member(request, pk)
    initial = {**model_to_dict(member, fields=services.EDITABLE_FIELDS), "version": versions.current(member)}
    form = MemberEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            form.add_error(None, _("Nothing was changed."))
        else:
            try:
                services.update_member(
                    member,
                    changes,
                    request.user,
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
            except versions.StaleEdit as error:
                # Nothing was written: the form shows what changed meanwhile, with the current version.
                versions.refresh_form(form, error)
                form.add_error(None, error)
                form.add_error(None, versions.AGAIN)
                status = 409
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The record was corrected."))
                return redirect("members:detail", pk=member.pk)
    return render(request, "members/edit.html", {"member": member, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def record_event(request, pk: int):
    member = _editable_member(request, pk)
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_event(
                member,
                actor=request.user,
                confirmed_official_date=form.confirmed_official_date(),
                **form.event_data(),
            )
        except services.OfficialDateDiffers as error:
            form.ask(error)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/event_form.html", {"member": member, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def annul_event(request, pk: int, event_pk: int):
    member = _editable_member(request, pk)
    event = (
        MemberEvent.objects.select_related("organisation")
        .filter(member=member, pk=event_pk)
        .exclude(kind=EventKind.ANNULMENT)
        .first()
    )
    if event is None:
        raise Http404
    form = AnnulForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annul_event(event, request.user, form.cleaned_data["reason"], form.cleaned_data["document_number"])
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry was annulled."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/annul_form.html", {"member": member, "event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create(request):
    _require(request.user, "members.edit")
    form = MemberCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(
                form.member_fields(),
                form.events(),
                actor=request.user,
                confirmed_official_date=form.confirmed_official_date(),
            )
        except services.OfficialDateDiffers as error:
            form.ask(error)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member record was created."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/create.html", {"form": form})
