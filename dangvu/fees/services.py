"""Actions on party fees: the only code that writes them. Each runs in one transaction, checks the fee rules in
force on the month concerned (dangvu.fees.rules, read from dangvu.rules), leaves the audit trail (django-simple-
history with the acting user and a reason) and writes nothing when refused (DomainError, by field).

Stored dues (`Due`) are derived: `run_month` computes a month's dues for an organisation's subtree and stores
them (creating or updating, never deleting); a change of a member's fee data or relief recomputes that member's
stored dues from the month it takes effect, in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.fees import calc, months
from dangvu.fees.models import Due, FeeBasis, Method, Payment, Relief, ReliefKind, ReliefReason
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, MemberPeriod, Status
from dangvu.orgs.models import Organisation
from dangvu.rules.registry import RuleBook

MAX_AMOUNT = 10_000_000_000  # đồng: a base or payment above this is a typing mistake
ADVANCE_MONTHS = 12  # a payment may be made this many months ahead (đóng trước)
UPDATED = ["organisation", "amount", "category", "base_amount", "percent_off", "reason"]


def _save(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()


def _raise(errors: dict) -> None:
    if errors:
        raise DomainError(errors)


def _month(errors: dict, field: str, value) -> dt.date | None:
    if value is None or value == "":
        errors.setdefault(field, []).append(_("Enter the month."))
        return None
    month = value if isinstance(value, dt.date) else months.parse(value)
    if month is None:
        errors.setdefault(field, []).append(_("Write the month as mm/yyyy."))
        return None
    return months.first(month)


def _amount(errors: dict, field: str, value, *, positive: bool) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if positive else 0) or value > MAX_AMOUNT:
        errors.setdefault(field, []).append(
            _("Enter a whole number of đồng greater than 0.") if positive else _("Enter a whole number of đồng.")
        )
        return 0
    return value


# --- Who is due where --------------------------------------------------------------------------------------


def cells_in_month(month: dt.date, *, member_ids: Iterable[int] | None = None, under: Organisation | None = None):
    """{member id: cell id} for the members in the Party on at least one day of `month`, each in the cell of
    their last period of the month (the cell that collects that month's fee): all of them, those of
    `member_ids`, or those whose cell that month lies in `under`'s current subtree. Two queries."""
    start, end = month, months.shift(month, 1)
    overlapping = MemberPeriod.objects.filter(status__in=Status.in_party(), valid_from__lt=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    if member_ids is not None:
        overlapping = overlapping.filter(member_id__in=list(member_ids))
    elif under is not None:
        ids = overlapping.filter(organisation__path__startswith=under.path).values("member_id")
        overlapping = overlapping.filter(member_id__in=ids)
    cells: dict[int, tuple[dt.date, int, str]] = {}
    for member_id, org_id, path, valid_from in overlapping.values_list(
        "member_id", "organisation_id", "organisation__path", "valid_from"
    ).order_by("valid_from", "id"):
        cells[member_id] = (valid_from, org_id, path)
    return {
        member_id: org_id
        for member_id, (_from, org_id, path) in cells.items()
        if under is None or path.startswith(under.path)
    }


@dataclass(frozen=True)
class Run:
    month: dt.date
    members: int
    total: int
    created: int
    updated: int


def _store(month: dt.date, cells: dict[int, int], book: RuleBook) -> Run:
    rules = calc.rules_for(month, book)
    admitted = dict(Member.objects.filter(pk__in=list(cells)).values_list("pk", "admission_date"))
    bases, reliefs = calc.load(cells)
    existing = {d.member_id: d for d in Due.objects.filter(month=month, member_id__in=list(cells))}
    new, changed, total = [], [], 0
    for member_id, cell_id in cells.items():
        c = calc.compute(
            month,
            admission_date=admitted.get(member_id),
            bases=bases[member_id],
            reliefs=reliefs[member_id],
            rules=rules,
        )
        total += c.amount
        values = {
            "organisation_id": cell_id,
            "amount": c.amount,
            "category": c.category,
            "base_amount": c.base_amount,
            "percent_off": c.percent_off,
            "reason": c.reason,
        }
        due = existing.get(member_id)
        if due is None:
            new.append(Due(member_id=member_id, month=month, **values))
        elif any(getattr(due, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(due, k, v)
            due.computed_at = timezone.now()
            changed.append(due)
    Due.objects.bulk_create(new, batch_size=2000)
    Due.objects.bulk_update(changed, [*UPDATED, "computed_at"], batch_size=2000)
    return Run(month, len(cells), total, len(new), len(changed))


@transaction.atomic
def run_month(organisation: Organisation, month: dt.date, *, actor=None) -> Run:
    """Compute and store the dues of `month` for every member of `organisation`'s subtree in the Party that
    month (the month's sheet). Idempotent: a second run updates what changed (new fee data, a late transfer)."""
    errors: dict = {}
    month = _month(errors, "month", month)
    _raise(errors)
    if month > months.shift(months.current(), ADVANCE_MONTHS):
        raise DomainError({"month": [_("This month is too far ahead.")]})
    return _store(month, cells_in_month(month, under=organisation), RuleBook.load())


def _refresh_member(member: Member, from_month: dt.date) -> None:
    """Recompute the member's stored dues from `from_month` on (after a change of fee data or relief)."""
    stored = list(Due.objects.filter(member=member, month__gte=from_month).values_list("month", "organisation_id"))
    book = RuleBook.load()
    for month, cell_id in stored:
        _store(month, {member.pk: cell_id}, book)


def due_row(member: Member, month: dt.date) -> Due:
    """The stored due of the member's month, computed now when the month was not run yet. Refused when the
    member was not in the Party that month (no cell collects it)."""
    due = Due.objects.filter(member=member, month=month).first()
    if due is not None:
        return due
    cells = cells_in_month(month, member_ids=[member.pk])
    if member.pk not in cells:
        raise DomainError(
            {"month": [_("The member was not in the Party in %(month)s.") % {"month": months.fmt(month)}]}
        )
    _store(month, cells, RuleBook.load())
    return Due.objects.get(member=member, month=month)


# --- Fee data and reliefs ------------------------------------------------------------------------------------


@transaction.atomic
def set_basis(member: Member, *, category: str, base_amount: int, from_month, note: str = "", actor=None) -> FeeBasis:
    """The member's category and monthly base amount from `from_month`: closes the data in force then (kept in
    the history); an entry for the same month corrects it. Earlier months keep their data."""
    errors: dict = {}
    month = _month(errors, "from_month", from_month)
    base_amount = _amount(errors, "base_amount", base_amount, positive=False)
    if month is not None:
        rules = calc.rules_for(month)
        row = rules.categories.get(category)
        if row is None:
            errors.setdefault("category", []).append(_("Choose a category of the rules in force."))
        elif "rate" in row and base_amount <= 0:
            errors.setdefault("base_amount", []).append(_("Enter the base amount of this category."))
        if month > months.shift(months.current(), ADVANCE_MONTHS):
            errors.setdefault("from_month", []).append(_("This month is too far ahead."))
    _raise(errors)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    rows = list(FeeBasis.objects.filter(member=member).order_by("valid_from"))
    later = [r for r in rows if r.valid_from > month]
    if later:
        raise DomainError(
            {
                "from_month": [
                    _("Fee data from %(month)s is already recorded: enter a later month.")
                    % {"month": months.fmt(later[-1].valid_from)}
                ]
            }
        )
    same = next((r for r in rows if r.valid_from == month), None)
    if same is not None:
        same.category, same.base_amount, same.note = category, base_amount, note
        _save(same, actor, _("Fee data corrected"))
        basis = same
    else:
        current = rows[-1] if rows else None
        if current is not None and current.valid_to is None:
            current.valid_to = month
            _save(current, actor, _("Replaced by newer fee data"))
        basis = FeeBasis(
            member=member, category=category, base_amount=base_amount, valid_from=month, note=note, recorded_by=actor
        )
        _save(basis, actor, _("Fee data recorded"))
    _refresh_member(member, month)  # this month on: the month after reads this month's salary
    return basis


def _overlapping(member: Member, first: dt.date, last: dt.date, exclude: int | None = None):
    qs = Relief.objects.filter(member=member, annulled_at__isnull=True, first_month__lte=last, last_month__gte=first)
    return qs.exclude(pk=exclude) if exclude else qs


@transaction.atomic
def grant_relief(
    member: Member,
    *,
    kind: str,
    percent: int | None,
    reason: str,
    first_month,
    last_month,
    decision: str = "",
    note: str = "",
    actor=None,
) -> Relief:
    """An exemption or a reduction granted by the cell on the member's application, for at most
    `fees.relief_max_months` months at a time, at a percent of `fees.reduction_percents`."""
    errors: dict = {}
    first = _month(errors, "first_month", first_month)
    last = _month(errors, "last_month", last_month)
    if kind not in ReliefKind.values:
        errors.setdefault("kind", []).append(_("Choose exemption or reduction."))
    if reason not in ReliefReason.values:
        errors.setdefault("reason", []).append(_("Choose the reason."))
    if first and last:
        rules = calc.rules_for(first)
        if last < first:
            errors.setdefault("last_month", []).append(_("The last month cannot be before the first."))
        elif months.count(first, last) > rules.relief_max_months:
            errors.setdefault("last_month", []).append(
                _("At most %(n)s months at a time.") % {"n": rules.relief_max_months}
            )
        if kind == ReliefKind.REDUCTION and percent not in rules.reduction_percents:
            allowed = ", ".join(f"{p}%" for p in rules.reduction_percents)
            errors.setdefault("percent", []).append(_("Choose a reduction of %(allowed)s.") % {"allowed": allowed})
    _raise(errors)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if _overlapping(member, first, last).exists():
        raise DomainError({"first_month": [_("Another exemption or reduction covers some of these months.")]})
    relief = Relief(
        member=member,
        kind=kind,
        percent=100 if kind == ReliefKind.EXEMPTION else percent,
        reason=reason,
        first_month=first,
        last_month=last,
        decision=decision,
        note=note,
        recorded_by=actor,
    )
    _save(relief, actor, _("Exemption or reduction granted"))
    _refresh_member(member, first)
    return relief


@transaction.atomic
def end_relief(relief: Relief, *, last_month, actor=None) -> Relief:
    """End a relief early: its last month becomes `last_month` (not before its first, not after its end)."""
    errors: dict = {}
    last = _month(errors, "last_month", last_month)
    _raise(errors)
    relief = Relief.objects.select_for_update().get(pk=relief.pk)
    if relief.annulled_at is not None:
        raise DomainError(_("This exemption or reduction was annulled."))
    if last < relief.first_month or last >= relief.last_month:
        raise DomainError(
            {
                "last_month": [
                    _("Choose a month from %(first)s to before %(last)s.")
                    % {"first": months.fmt(relief.first_month), "last": months.fmt(relief.last_month)}
                ]
            }
        )
    old_last = relief.last_month
    relief.last_month = last
    _save(relief, actor, _("Ended early"))
    _refresh_member(relief.member, min(months.shift(last, 1), old_last))
    return relief


# --- Payments ------------------------------------------------------------------------------------------------


def _check_payment(errors: dict, *, amount, paid_on: dt.date | None, month: dt.date | None) -> None:
    _amount(errors, "amount", amount, positive=True)
    if paid_on is None:
        errors.setdefault("paid_on", []).append(_("Enter the date of payment."))
    elif paid_on > timezone.localdate():
        errors.setdefault("paid_on", []).append(_("The date cannot be in the future."))
    if month is not None and month > months.shift(months.current(), ADVANCE_MONTHS):
        errors.setdefault("month", []).append(_("A fee may be paid at most 12 months ahead."))


@transaction.atomic
def record_payment(
    member: Member,
    *,
    month,
    amount: int,
    paid_on: dt.date | None,
    method: str = Method.CASH,
    reference: str = "",
    actor=None,
    statement=None,
) -> Payment:
    """A payment for the member's month (several payments may make up a month's due)."""
    errors: dict = {}
    month = _month(errors, "month", month)
    _check_payment(errors, amount=amount, paid_on=paid_on, month=month)
    if method not in Method.values:
        errors.setdefault("method", []).append(_("Choose how it was paid."))
    reference = (reference or "").strip()[:64]
    if (
        method == Method.PORTAL
        and reference
        and Payment.objects.filter(method=Method.PORTAL, reference=reference, annulled_at__isnull=True).exists()
    ):
        errors.setdefault("reference", []).append(_("A payment with this reference is already recorded."))
    _raise(errors)
    due = due_row(member, month)
    payment = Payment(
        due=due,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        statement=statement,
        recorded_by=actor,
    )
    _save(payment, actor, _("Payment recorded"))
    return payment


@transaction.atomic
def annul_payment(payment: Payment, *, reason: str, actor=None) -> Payment:
    """A payment recorded by mistake is annulled with its reason (kept, no longer counted)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Give the reason for the annulment.")]})
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.annulled_at is not None:
        raise DomainError(_("This payment was already annulled."))
    payment.annulled_at, payment.annul_reason = timezone.now(), reason[:255]
    _save(payment, actor, reason)
    return payment
