"""Discipline deadlines in the one alerts list (dangvu.alerts.sources), for the inspection committee and the
leaders of the subtree (`discipline.cases`): appeals to be settled (`discipline.appeal_working_days` from
the appeal) and open cases whose limitation period for the proposed form ends soon."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.discipline import checks
from dangvu.discipline.access import cases_for
from dangvu.discipline.models import Case, CaseState, Form, SubjectKind
from dangvu.lib.dates import fmt
from dangvu.rules.registry import rules_on

APPEAL_DUE = "discipline_appeal"
LIMITATION_ENDING = "discipline_limitation"
KIND_LABELS[APPEAL_DUE] = _("Discipline appeal to settle")
KIND_LABELS[LIMITATION_ENDING] = _("Limitation period of a discipline case ending")


def _alert(kind: str, case: Case, detail: str, due: dt.date, today: dt.date) -> Alert:
    return Alert(
        kind=kind,
        subject=case.subject_name,
        detail=detail,
        organisation_id=case.organisation_id,
        organisation_name=case.organisation.name,
        due=due,
        overdue=due < today,
        url=reverse("discipline:case", args=[case.pk]),
        object_id=case.pk,
    )


@source
def appeals(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    rows = (
        cases_for(user)
        .filter(state=CaseState.DECIDED, appeal_lodged_on__isnull=False, appeal_outcome="", appeal_due__lte=horizon)
        .select_related("member", "organisation")
    )
    return [
        _alert(
            APPEAL_DUE,
            case,
            gettext("Appeal of %(day)s against decision %(number)s")
            % {"day": fmt(case.appeal_lodged_on), "number": case.document_number},
            case.appeal_due,
            today,
        )
        for case in rows
    ]


@source
def limitation(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    cases = list(cases_for(user).filter(state=CaseState.OPEN).select_related("member", "organisation"))
    if not cases:
        return []
    values = rules_on(today)
    later: dict[tuple, list[dt.date]] = {}
    for kind, member_id, org_id, day in Case.objects.exclude(state=CaseState.DROPPED).values_list(
        "subject_kind", "member_id", "organisation_id", "violation_date"
    ):
        later.setdefault((member_id,) if kind == SubjectKind.MEMBER else ("org", org_id), []).append(day)
    alerts = []
    for case in cases:
        key = (case.member_id,) if case.member_id else ("org", case.organisation_id)
        years = checks.limitation_years(values, case.proposed_form, case.category)
        end, _start = checks.limitation_end(case.violation_date, years, later.get(key, []))
        if end is not None and end <= horizon:
            detail = gettext("%(form)s may be decided until %(day)s") % {
                "form": Form(case.proposed_form).label,
                "day": fmt(end),
            }
            alerts.append(_alert(LIMITATION_ENDING, case, detail, end, today))
    return alerts
