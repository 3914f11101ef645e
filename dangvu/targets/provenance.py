"""Provenance of a computed figure (issue 13 item 6): the records behind a target's result for a period — the
numerator's records or the denominator's — per predecessor part or all parts, as the indicator's statistics
function counted them (`Value.records` / `Value.base`, dangvu.targets.indicators), so the list's count is the
figure. Lists are read a page at a time (`Chain` slices each part's queryset).

`period_of(target, label, today)` turns a period label of the resolution page ("2026", or the term's code
"2025-2030") into its dates; `listing(...)` gives the figure and its records; `describe(record)` one row
(what, date, organisation, detail, the record's page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dangvu.discipline.models import Case
from dangvu.inspection.models import Remediation
from dangvu.meetings.models import Invitation, Meeting
from dangvu.members.models import MemberEvent
from dangvu.orgs.models import LeadershipAssignment, Organisation
from dangvu.reviews.models import Review
from dangvu.study.models import Commendation, Enrolment, ExemplaryModel, Participation
from dangvu.targets import indicators
from dangvu.targets.models import Source, Target

RECORDS, BASE = "records", "base"
RELATED = {
    MemberEvent: ["member", "organisation"],
    Case: ["member", "organisation"],
    Review: ["member", "organisation", "campaign"],
    Meeting: ["organisation"],
    Invitation: ["member", "meeting__organisation"],
    LeadershipAssignment: ["seat__member", "organisation"],
    Organisation: [],
    Remediation: ["activity__organisation"],
    Participation: ["member", "campaign__organisation"],
    Enrolment: ["member__organisation", "candidate__organisation", "course"],
    ExemplaryModel: ["organisation", "member"],
    Commendation: ["organisation", "member"],
}


def period_of(target: Target, label: str, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The dates of a period of the target's term up to today: a year ("2026") or the term ("2025-2030")."""
    today = today or timezone.localdate()
    term = target.resolution.term
    last = min(term.end, today)
    if last < term.start:
        return None
    if label == term.code:
        return term.start, last
    if label.isdigit() and term.start.year <= int(label) <= last.year:
        year = int(label)
        return max(term.start, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
    return None


def _ordered(records: Any) -> Any:
    if isinstance(records, QuerySet):
        return records.select_related(*RELATED.get(records.model, [])).order_by("pk")
    return list(records or [])


class Chain:
    """The records of several parts read as one sequence of (part's organisation, record), sliced without
    loading the others: what Django's Paginator pages through."""

    def __init__(self, parts: list[tuple[Organisation, Any]]):
        self.parts = [(org, _ordered(records)) for org, records in parts]
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [seq.count() if isinstance(seq, QuerySet) else len(seq) for _org, seq in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        rows, offset = [], 0
        for (org, seq), n in zip(self.parts, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                rows.extend((org, record) for record in seq[lo:hi])
            offset += n
            if offset >= stop:
                break
        return rows


@dataclass
class Listing:
    target: Target
    label: str
    start: dt.date
    end: dt.date
    result: indicators.Result
    part: indicators.Value | None  # one part, or all
    which: str  # RECORDS (numerator) or BASE (denominator)
    records: Chain

    @property
    def figure(self) -> int | None:
        """The number the list must hold: the numerator, or the denominator when it counts records."""
        values = [self.part] if self.part is not None else self.result.parts
        if self.which == RECORDS:
            return sum(int(v.numerator) for v in values)
        denominators = [v.denominator for v in values]
        if any(d is None or int(d) != d for d in denominators):
            return None  # not a count of records (cell-years)
        return sum(int(d) for d in denominators)


def listing(
    target: Target, label: str, *, part: int | None = None, which: str = RECORDS, today: dt.date | None = None
) -> Listing | None:
    """The records behind the target's computed result for the period `label` (None: no such period, a result
    entered by hand, or no such part)."""
    if target.source != Source.INDICATOR or which not in (RECORDS, BASE):
        return None
    dates = period_of(target, label, today)
    if dates is None:
        return None
    result = indicators.get(target.indicator)(target.scope, *dates)
    return _listing(target, label, dates, result, part, which)


def _listing(target, label, dates, result, part, which) -> Listing | None:
    chosen = result.parts
    if part is not None:
        chosen = [v for v in result.parts if v.organisation.pk == part]
        if not chosen:
            return None
    if which == BASE and all(v.base is None for v in chosen):
        return None
    chain = Chain([(v.organisation, getattr(v, which)) for v in chosen])
    return Listing(target, label, *dates, result, chosen[0] if part is not None else None, which, chain)


def describe(record: Any) -> dict[str, Any]:
    """One row of a provenance list: what, when, where, detail and the record's page when it has one."""
    if isinstance(record, tuple):  # (cell, month) counted as a regular month
        cell, month = record
        return {"what": cell.name, "date": month, "organisation": cell.name, "detail": f"{month:%m/%Y}", "url": ""}
    if isinstance(record, MemberEvent):
        return _row(record.member, record.date, record.organisation, record.get_kind_display())
    if isinstance(record, Case):
        what = record.member.full_name if record.member_id else record.organisation.name
        return {
            "what": what,
            "date": record.effective_date,
            "organisation": record.organisation.name,
            "detail": record.get_final_form_display(),
            "url": _member_url(record.member_id),
        }
    if isinstance(record, Review):
        detail = f"{record.campaign.year} · {record.get_grade_display()}"
        return _row(record.member, None, record.organisation, detail)
    if isinstance(record, Meeting):
        url = reverse("meetings:detail", args=[record.pk])
        return {
            "what": str(record),
            "date": timezone.localtime(record.starts_at).date(),
            "organisation": record.organisation.name,
            "detail": record.get_kind_display(),
            "url": url,
        }
    if isinstance(record, Invitation):
        meeting = record.meeting
        return _row(record.member, timezone.localtime(meeting.starts_at).date(), meeting.organisation, str(meeting))
    if isinstance(record, LeadershipAssignment):
        return _row(record.seat.member, record.valid_from, record.organisation, record.document_number)
    if isinstance(record, Remediation):
        return {
            "what": str(record),
            "date": record.deadline,
            "organisation": record.activity.organisation.name,
            "detail": f"{record.owner} · {record.closed_on:%d/%m/%Y}" if record.closed_on else record.owner,
            "url": reverse("inspection:activity", args=[record.activity_id]),
        }
    if hasattr(record, "provenance_row"):  # a module's own records (dangvu.study) describe themselves
        return record.provenance_row()
    if isinstance(record, Organisation):
        return {"what": record.name, "date": None, "organisation": record.name, "detail": record.get_kind_display()}
    return {"what": str(record), "date": None, "organisation": "", "detail": ""}


def _member_url(member_id: int | None) -> str:
    return reverse("members:detail", args=[member_id]) if member_id else ""


def _row(member, date, organisation, detail) -> dict[str, Any]:
    return {
        "what": member.full_name if member else "",
        "date": date,
        "organisation": organisation.name if organisation else "",
        "detail": detail,
        "url": _member_url(member.pk if member else None),
    }
