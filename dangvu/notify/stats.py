"""The two figures of the module, each one function for pages, API and targets:

- `questions(org, start, end)`: questions and opinions sent to the organisations of the subtree, per
  organisation: received in the period, answered in the period, closed in the period, and still waiting
  for an answer at the end of the period;
- `adoption(org, start, end)`: digital adoption — of the party members of the subtree (in the Party today),
  those whose account used the platform on at least one day of the period (ActiveDay); and per role held in
  the subtree (office, secretaries, …), the users holding it and those active. The records counted are
  returned as querysets (the targets' provenance lists them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.members.models import Member, Status
from dangvu.notify.models import ActiveDay, Question, QuestionState
from dangvu.orgs.models import Organisation


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


@dataclass
class QuestionCounts:
    organisation: Organisation | None
    received: int = 0
    answered: int = 0
    closed: int = 0
    waiting: int = 0

    def add(self, other: QuestionCounts) -> None:
        self.received += other.received
        self.answered += other.answered
        self.closed += other.closed
        self.waiting += other.waiting


@dataclass
class QuestionReport:
    organisation: Organisation
    start: dt.date
    end: dt.date
    total: QuestionCounts
    rows: list[QuestionCounts] = field(default_factory=list)  # organisations with at least one question


def questions(org: Organisation, start: dt.date, end: dt.date) -> QuestionReport:
    first, after = _bounds(start, end)
    waiting = Q(created_at__lt=after) & (Q(answered_at__isnull=True) | Q(answered_at__gte=after))
    waiting &= Q(closed_at__isnull=True) | Q(closed_at__gte=after)
    grouped = (
        Question.objects.filter(organisation__path__startswith=org.path)
        .values("organisation")
        .annotate(
            received=Count("pk", filter=Q(created_at__gte=first, created_at__lt=after)),
            answered=Count("pk", filter=Q(answered_at__gte=first, answered_at__lt=after)),
            closed=Count("pk", filter=Q(closed_at__gte=first, closed_at__lt=after)),
            waiting=Count("pk", filter=waiting),
        )
    )
    by_id = {row["organisation"]: row for row in grouped}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=by_id).order_by("path")}
    total = QuestionCounts(None)
    rows = []
    for pk, o in orgs.items():
        row = by_id[pk]
        counts = QuestionCounts(o, row["received"], row["answered"], row["closed"], row["waiting"])
        if counts.received or counts.answered or counts.closed or counts.waiting:
            rows.append(counts)
            total.add(counts)
    return QuestionReport(org, start, end, total, rows)


def open_questions(org: Organisation) -> int:
    return Question.objects.filter(organisation__path__startswith=org.path, state=QuestionState.OPEN).count()


@dataclass
class RoleUse:
    role: str
    label: str
    users: int
    active: int


@dataclass
class Adoption:
    organisation: Organisation
    start: dt.date
    end: dt.date
    members: QuerySet  # party members of the subtree today (the denominator's records)
    active_members: QuerySet  # those whose account was active in the period (the numerator's records)
    member_count: int
    active_count: int
    roles: list[RoleUse]

    @property
    def percent(self) -> float | None:
        return round(100 * self.active_count / self.member_count, 2) if self.member_count else None


def active_users(start: dt.date, end: dt.date) -> QuerySet:
    return ActiveDay.objects.filter(day__gte=start, day__lte=end).values("user_id")


def adoption(org: Organisation, start: dt.date, end: dt.date) -> Adoption:
    members = Member.objects.filter(org_path__startswith=org.path, status__in=Status.in_party())
    active_members = members.filter(user__in=active_users(start, end))
    on_end = Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    roles = (
        RoleAssignment.objects.filter(on_end, organisation__path__startswith=org.path, user__is_active=True)
        .values("role")
        .annotate(
            users=Count("user", distinct=True),
            active=Count("user", distinct=True, filter=Q(user__in=active_users(start, end))),
        )
        .order_by("role")
    )
    labels = dict(Role.choices)
    uses = [RoleUse(r["role"], str(labels.get(r["role"], r["role"])), r["users"], r["active"]) for r in roles]
    return Adoption(org, start, end, members, active_members, members.count(), active_members.count(), uses)
