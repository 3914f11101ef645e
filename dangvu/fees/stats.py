"""Party-fee figures, one function per figure, for the pages, the API, the reports and the handbook:
the month's sheet of an organisation, a member's status, arrears, the months unpaid in a year (the removal
alert) and the remittance to the higher levels (dangvu.fees.remittance). Queries do not grow with rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dangvu.fees import months
from dangvu.fees.models import Due, Payment
from dangvu.members.models import Member, Status
from dangvu.orgs.models import Organisation


def paid_subquery() -> Subquery:
    """The total of the live payments of a due (0 when none)."""
    payments = (
        Payment.objects.filter(due=OuterRef("pk"), annulled_at__isnull=True)
        .order_by()
        .values("due")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(payments, output_field=IntegerField()), Value(0))


def with_paid(dues: QuerySet[Due]) -> QuerySet[Due]:
    return dues.annotate(paid=paid_subquery())


@dataclass
class SheetRow:
    member_id: int
    name: str
    cell: str
    due: int
    paid: int
    reason: str
    reason_label: str
    category: str
    percent_off: int

    @property
    def owed(self) -> int:
        return max(self.due - self.paid, 0)


@dataclass
class Sheet:
    organisation: Organisation
    month: dt.date
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(r.due for r in self.rows)

    @property
    def paid(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def owed(self) -> int:
        return sum(r.owed for r in self.rows)

    @property
    def no_data(self) -> int:
        return sum(1 for r in self.rows if r.reason == "no_data")


def sheet(organisation: Organisation, month: dt.date, dues: QuerySet[Due] | None = None) -> Sheet:
    """The month's stored dues of `organisation`'s subtree, member by member, with what was paid (one query)."""
    from dangvu.fees.models import DueReason

    labels = dict(DueReason.choices)
    qs = (dues if dues is not None else Due.objects.all()).filter(
        month=month, organisation__path__startswith=organisation.path
    )
    rows = with_paid(qs).select_related("member", "organisation").order_by("organisation__path", "member__name_sort")
    result = Sheet(organisation, month)
    for d in rows:
        result.rows.append(
            SheetRow(
                d.member_id,
                d.member.full_name,
                d.organisation.name,
                d.amount,
                d.paid,
                d.reason,
                str(labels.get(d.reason, d.reason)),
                d.category,
                d.percent_off,
            )
        )
    return result


@dataclass
class MemberMonth:
    month: dt.date
    due: int
    paid: int
    reason: str

    @property
    def owed(self) -> int:
        return max(self.due - self.paid, 0)


@dataclass
class MemberStatus:
    member: Member
    year: int
    months: list[MemberMonth]
    unpaid_months: int  # months ended in the year with a due and nothing paid

    @property
    def due(self) -> int:
        return sum(m.due for m in self.months)

    @property
    def paid(self) -> int:
        return sum(m.paid for m in self.months)

    @property
    def owed(self) -> int:
        """Arrears: what is owed for the months already ended."""
        current = months.current()
        return sum(m.owed for m in self.months if m.month < current)


def member_status(member: Member, year: int) -> MemberStatus:
    """A member's dues and payments month by month in `year` (for their own page and the handbook)."""
    current = months.current()
    rows = with_paid(Due.objects.filter(member=member, month__year=year)).order_by("month")
    items = [MemberMonth(d.month, d.amount, d.paid, d.reason) for d in rows]
    unpaid = sum(1 for m in items if m.month < current and m.due > 0 and m.paid == 0)
    return MemberStatus(member, year, items, unpaid)


@dataclass(frozen=True)
class Arrears:
    member_id: int
    name: str
    cell: str
    owed: int
    months: int  # months with something owed
    unpaid_months: int  # of which nothing paid


def arrears(dues: QuerySet[Due], year: int, *, before: dt.date | None = None) -> list[Arrears]:
    """Members owing for months of `year` already ended (before `before`, the current month by default), most
    owed first: one aggregate query, then one for the names."""
    before = before or months.current()
    owed = (
        with_paid(dues.filter(month__year=year, month__lt=before, amount__gt=0))
        .annotate(owed=F("amount") - F("paid"))
        .filter(owed__gt=0)
    )
    totals = defaultdict(lambda: [0, 0, 0])
    for member_id, amount, paid in owed.values_list("member_id", "amount", "paid"):
        row = totals[member_id]
        row[0] += amount - paid
        row[1] += 1
        row[2] += 1 if paid == 0 else 0
    names = {
        m.pk: (m.full_name, m.organisation.name if m.organisation_id else "")
        for m in Member.objects.filter(pk__in=list(totals))
        .select_related("organisation")
        .only("full_name", "organisation__name")
    }
    result = [Arrears(pk, *names.get(pk, ("", "")), *values) for pk, values in totals.items()]
    return sorted(result, key=lambda a: (-a.owed, a.name))


@dataclass(frozen=True)
class Unpaid:
    member_id: int
    name: str
    organisation_id: int
    organisation_name: str
    months: int
    last_month: dt.date


def unpaid_in_year(dues: QuerySet[Due], year: int, threshold: int, *, before: dt.date | None = None) -> list[Unpaid]:
    """Members still in the Party with at least `threshold` months of `year` ended, due and without any payment
    (the "3 months unpaid in a year" of Quy định 01-QĐ/TW: the cell considers proposing removal). One query."""
    before = before or months.current()
    rows = (
        with_paid(dues.filter(month__year=year, month__lt=before, amount__gt=0))
        .filter(paid=0, member__status__in=Status.in_party())
        .values("member_id", "member__full_name", "member__organisation_id", "member__organisation__name")
        .annotate(n=Count("id"), last=Max("month"))
        .filter(n__gte=threshold)
        .order_by("member__organisation__name", "member__full_name")
    )
    return [
        Unpaid(
            r["member_id"],
            r["member__full_name"],
            r["member__organisation_id"],
            r["member__organisation__name"],
            r["n"],
            r["last"],
        )
        for r in rows
    ]


def totals_by_cell(dues: QuerySet[Due], month: dt.date) -> dict[int, tuple[int, int, int]]:
    """{cell id: (members, due, paid)} for the month (one query)."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for org_id, amount, paid in with_paid(dues.filter(month=month)).values_list("organisation_id", "amount", "paid"):
        row = out[org_id]
        row[0] += 1
        row[1] += amount
        row[2] += paid
    return {k: tuple(v) for k, v in out.items()}
