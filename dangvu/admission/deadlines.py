"""The order of an admission file's steps and its next legal deadline: pure reads (the rule sets, the
member's probation), no writes; dangvu.admission.services stores the result on the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangvu.admission.models import Candidate, CandidateStep, Outcome, Stage
from dangvu.lib.dates import add_months
from dangvu.lib.workdays import Calendar
from dangvu.members.models import Member
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules.registry import RuleBook


def needs_committee_resolution(cell: Organisation) -> bool:
    """A cell under a grassroots committee passes through that committee; a grassroots cell (chi bộ cơ sở)
    proposes directly to the committee above."""
    return cell.kind != OrgKind.GRASSROOTS_CELL


def applicable_stages(candidate: Candidate) -> list[str]:
    stages = Stage.order()
    if not needs_committee_resolution(candidate.organisation):
        stages.remove(Stage.COMMITTEE_RESOLUTION)
    return stages


def live_steps(candidate: Candidate) -> dict[str, CandidateStep]:
    return {s.stage: s for s in candidate.steps.filter(annulled_at__isnull=True)}


@dataclass(frozen=True)
class Due:
    stage: str
    on: dt.date


def next_stage(candidate: Candidate, steps: dict[str, CandidateStep]) -> str | None:
    for stage in applicable_stages(candidate):
        if stage not in steps:
            return stage
    return None


_LOOK_UP = object()


def due_for(
    candidate: Candidate,
    steps: dict[str, CandidateStep],
    *,
    book: RuleBook | None = None,
    probation_end: dt.date | None | object = _LOOK_UP,
) -> Due | None:
    """The next legal deadline of an open file, from the rules in force on the date it starts from
    (`book`: the rule sets, read here when not given; `probation_end`: the member's, read when not given)."""
    if candidate.outcome != Outcome.OPEN:
        return None
    upcoming = next_stage(candidate, steps)
    if upcoming is None:
        return None
    book = book or RuleBook.load()

    def working(start: dt.date, key: str) -> dt.date:
        values = book.on(start)
        return Calendar.from_rules(values).add_working_days(start, values[key])

    if upcoming == Stage.CEREMONY:
        return Due(upcoming, working(steps[Stage.DECISION].date, "admission.ceremony_working_days"))
    if upcoming in {Stage.COMMITTEE_RESOLUTION, Stage.DECISION}:
        before = steps.get(Stage.COMMITTEE_RESOLUTION) or steps[Stage.CELL_RESOLUTION]
        return Due(upcoming, working(before.date, "admission.committee_working_days"))
    if upcoming == Stage.OFFICIAL_DECISION:
        return Due(upcoming, working(steps[Stage.OFFICIAL_RESOLUTION].date, "admission.committee_working_days"))
    if upcoming in {Stage.TRAINING, Stage.OFFICIAL_RESOLUTION} and candidate.member_id:
        end = probation_end
        if end is _LOOK_UP:
            end = Member.objects.values_list("probation_end", flat=True).get(pk=candidate.member_id)
        if end:
            return Due(Stage.OFFICIAL_RESOLUTION, working(end, "admission.official_working_days"))
        return None
    course = steps.get(Stage.COURSE)
    if course is not None and not course.waived and Stage.index(upcoming) <= Stage.index(Stage.CELL_RESOLUTION):
        # The cell must vote while the awareness-course certificate is valid.
        years = book.on(course.date)["admission.certificate_valid_years"]
        return Due(Stage.CELL_RESOLUTION, add_months(course.date, 12 * years))
    return None
