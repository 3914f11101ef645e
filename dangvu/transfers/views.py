"""Transfer pages: the list (outgoing, incoming, awaiting acknowledgment, overdue), the introduction letter
form of the sending side, a transfer's page with the actions each side may take, and the registration of
a member arriving from outside the system.

Access: transfers come through dangvu.transfers.access (both sides see a transfer, nobody else: 404);
actions need transfers.manage on the right side (403 when the transfer is visible but not theirs to act
on). Writes go through dangvu.transfers.services; a DomainError is shown on the form, nothing written.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangvu.accounts.scope import Scope, get_member_or_404, has_capability, organisations_for, scope_options
from dangvu.documents import records
from dangvu.lib.errors import DomainError
from dangvu.transfers import services
from dangvu.transfers.access import (
    can_acknowledge,
    can_issue,
    can_manage_sending_side,
    get_transfer_or_404,
    transfers_for,
)
from dangvu.transfers.forms import AcknowledgeForm, CancelForm, EndTemporaryForm, IssueForm, ReceiveForm, cell_options
from dangvu.transfers.models import Transfer, TransferKind, TransferState
from dangvu.web import once

TABS = [
    ("", gettext_lazy("All")),
    ("outgoing", gettext_lazy("Outgoing")),
    ("incoming", gettext_lazy("Incoming")),
    ("awaiting", gettext_lazy("Awaiting acknowledgment")),
    ("overdue", gettext_lazy("Overdue")),
]


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _tab_filters(scope: Scope, today) -> dict[str, Q]:
    return {
        "": Q(),
        "outgoing": Q(from_organisation__isnull=False) & scope.q("from_organisation__path"),
        "incoming": Q(to_organisation__isnull=False) & scope.q("to_organisation__path"),
        "awaiting": Q(state=TransferState.IN_TRANSIT),
        "overdue": Q(state=TransferState.IN_TRANSIT, due_on__lt=today),
    }


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@login_required
def transfer_list(request):
    _require(request.user, "members.view")
    today = timezone.localdate()
    tabs = _tab_filters(Scope.of(request.user, "members.view"), today)
    tab = request.GET.get("tab", "")
    tab = tab if tab in tabs else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in TransferKind.values else ""
    org_pk = _int(request.GET.get("organisation"))
    organisation = organisations_for(request.user).filter(pk=org_pk).first() if org_pk else None

    rows = transfers_for(request.user)
    if kind:
        rows = rows.filter(kind=kind)
    if organisation is not None:
        rows = rows.filter(
            Q(from_organisation__path__startswith=organisation.path)
            | Q(to_organisation__path__startswith=organisation.path)
            | Q(member__organisation__path__startswith=organisation.path)
        )
    # One query for the numbers on the tabs (within the kind and organisation filters).
    counts = rows.aggregate(**{name or "all": Count("pk", filter=q) for name, q in tabs.items()})
    rows = rows.filter(tabs[tab]).select_related("member", "from_organisation", "to_organisation")
    page = Paginator(rows.order_by("-letter_date", "-id"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": today,
        "tab": tab or None,  # None: {% querystring %} drops the parameter for "All"
        "tabs": [(value or None, label, counts[value or "all"]) for value, label in TABS],
        "kind": kind,
        "kind_options": TransferKind.choices,
        "organisation": organisation,
        "org_options": scope_options(request.user, "members.view", organisation),
        "can_receive": has_capability(request.user, "transfers.manage"),
    }
    return render(request, "transfers/list.html", context)


@login_required
def cells(request):
    """HTMX: the destination select's options narrowed by a search (any cell of the system in force)."""
    _require(request.user, "transfers.manage")
    q = request.GET.get("q", "")[:100]
    return render(request, "transfers/_cell_options.html", {"options": cell_options(q), "q": q})


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def issue(request, member_pk: int):
    _require(request.user, "transfers.manage")
    member = get_member_or_404(request.user, member_pk, "transfers.manage")
    if not can_issue(request.user, member):
        raise Http404
    form = IssueForm(request.POST or None, initial={"kind": TransferKind.OFFICIAL})
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.issue(member, request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The introduction letter was recorded."))
            return redirect("transfers:detail", pk=transfer.pk)
    return render(request, "transfers/issue.html", {"member": member, "form": form})


def _visible_transfer(user, pk: int) -> Transfer:
    """Staff see transfers of either side in their scope; a plain member sees their own."""
    if has_capability(user, "members.view"):
        return get_transfer_or_404(user, pk)
    transfer = None
    if getattr(user, "member_id", None):
        transfer = (
            Transfer.objects.select_related("member", "from_organisation", "to_organisation", "acknowledged_by")
            .filter(pk=pk, member_id=user.member_id)
            .first()
        )
    if transfer is None:
        raise Http404
    return transfer


def _actions(user, transfer: Transfer) -> dict[str, bool]:
    open_ = transfer.state == TransferState.IN_TRANSIT
    ongoing_temporary = transfer.kind == TransferKind.TEMPORARY and transfer.state in {
        TransferState.IN_TRANSIT,
        TransferState.ACKNOWLEDGED,
    }
    sending = can_manage_sending_side(user, transfer)
    return {
        "acknowledge": open_ and can_acknowledge(user, transfer),
        "cancel": open_ and sending,
        "end": ongoing_temporary and sending,
    }


def _history(transfer: Transfer) -> list[dict]:
    """State changes (simple-history), oldest first: one row per record that changed the state."""
    rows, previous = [], None
    for record in transfer.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.state != previous:
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "state": TransferState(record.state).label,
                    "created": record.history_type == "+",
                }
            )
        previous = record.state
    return rows


def _render_detail(request, transfer: Transfer, status: int = 200, **forms):
    actions = _actions(request.user, transfer)
    member = transfer.member
    member_visible = (
        Scope.of(request.user, "members.view").covers_path(member.organisation.path)
        if has_capability(request.user, "members.view")
        else member.pk == request.user.member_id
    )
    today = timezone.localdate()
    context = {
        "transfer": transfer,
        "member": member,
        "member_visible": member_visible,
        "overdue": transfer.state == TransferState.IN_TRANSIT and transfer.due_on and transfer.due_on < today,
        "history": _history(transfer),
        "actions": actions,
        "can_print_letter": records.may_print_letter(request.user, transfer),
        "acknowledge_form": forms.get("acknowledge_form") or (AcknowledgeForm(initial={"date": today})),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "end_form": forms.get("end_form") or EndTemporaryForm(initial={"date": today}),
    }
    return render(request, "transfers/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, _visible_transfer(request.user, pk))


def _action(request, pk: int, action: str, form_class, call, done: str):
    """Shared POST handling: visible transfer (else 404), right side (else 403), service call."""
    transfer = _visible_transfer(request.user, pk)
    if not _actions(request.user, transfer)[action]:
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(transfer, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("transfers:detail", pk=transfer.pk)
    return _render_detail(request, transfer, **{f"{action}_form": form})


@login_required
@require_POST
def acknowledge(request, pk: int):
    def call(transfer, data):
        services.acknowledge(transfer, request.user, date=data["date"], acknowledgment=data["acknowledgment"])

    return _action(request, pk, "acknowledge", AcknowledgeForm, call, _("The transfer was acknowledged."))


@login_required
@require_POST
def cancel(request, pk: int):
    def call(transfer, data):
        services.cancel(transfer, request.user, reason=data["reason"])

    return _action(request, pk, "cancel", CancelForm, call, _("The transfer was cancelled."))


@login_required
@require_POST
def end_temporary(request, pk: int):
    def call(transfer, data):
        services.end_temporary(transfer, request.user, date=data["date"], note=data["note"])

    return _action(request, pk, "end", EndTemporaryForm, call, _("The member is back in the home cell."))


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def receive(request):
    _require(request.user, "transfers.manage")
    form = ReceiveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.receive_from_outside(
                form.member_fields(), form.cleaned_data["cell"], request.user, **form.service_kwargs()
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member record was created and the transfer acknowledged."))
            return redirect("transfers:detail", pk=transfer.pk)
    return render(request, "transfers/receive.html", {"form": form})
