"""The targets dashboard of an organisation for a term (issue 13 item 7): the targets of the resolutions the
organisation issued for the term, each with

- a **progress bar** and its verdict: a term target's result over the term to date, a yearly target's
  latest year (dangvu.targets.projection.progress, the function the resolution page uses);
- its **trend by year** as a server-rendered SVG chart (dangvu.targets.charts) with the target's line (a term
  target on a count shows each year's count, without a line: a year's count is not the term's target);
- the **subordinate organisations lagging behind**: the target's indicator computed for each organisation
  directly under the target's organisation (on the tree of the period's last day, each with its lineage) over
  the same period, those judged "nearly met" or "not met" listed. Only shares (percentages, rates) are
  judged per subordinate: a count's threshold is the whole organisation's and no share of it is allotted to
  a subordinate (docs/decisions.md);
- an **early warning** while the term runs, when the result projected to the end of the term at the pace so
  far stays under the rule value `target.warning_percent` of the target ("at this pace … will reach 82% by
  the end of the term"); the same warnings are an alerts source (dangvu.targets.alerts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dangvu.docregister.models import DocType, Document
from dangvu.orgs.models import OrgAncestry, Organisation, Term
from dangvu.rules.registry import rules_on
from dangvu.targets import charts, indicators, verdicts
from dangvu.targets.evaluation import Evaluation
from dangvu.targets.models import Kind, Period, Source, Target
from dangvu.targets.projection import Progress, additive, progress

SUBORDINATES_MAX = 60  # organisations directly under a target's organisation judged on one page


@dataclass
class Lagging:
    organisation: Organisation
    evaluation: Evaluation


@dataclass
class Row:
    target: Target
    progress: Progress
    current: Evaluation | None
    chart: str
    lagging: list[Lagging] = field(default_factory=list)
    warning: str = ""

    @property
    def bar_percent(self) -> Decimal | None:
        """The progress bar's fill (0–100): the percentage achieved, capped at 100."""
        if self.current is None or self.current.percent is None:
            return None
        return min(self.current.percent, Decimal(100))


def running(term: Term, today: dt.date) -> bool:
    return term.start <= today <= term.end


def warning(target: Target, found: Progress, today: dt.date, values: dict | None = None) -> str:
    """The early warning on a target while its term runs, or "" (pure but for the rule values)."""
    projection = found.projection
    if projection is None or projection.share is None or not running(target.resolution.term, today):
        return ""
    line = (values or rules_on(today))["target.warning_percent"]
    if projection.share * 100 >= line:
        return ""
    return _("At this pace the target “%(target)s” will reach %(percent)s%% by the end of the term.") % {
        "target": Truncator(target.text).chars(90),
        "percent": charts.show(projection.percent),
    }


def _current(target: Target, found: Progress) -> Evaluation | None:
    if target.period == Period.TERM:
        return found.to_date
    return found.years[-1] if found.years else None


def _chart(target: Target, found: Progress) -> str:
    if not found.years:
        return ""
    unit = ""
    if target.source == Source.INDICATOR and indicators.get(target.indicator).unit == indicators.PERCENT:
        unit = "%"
    judged_per_year = not (target.period == Period.TERM and additive(target))
    line = target.threshold if target.threshold is not None and judged_per_year else None
    return charts.bar_chart(
        f"chart-{target.pk}",
        _("(%(position)s) by year") % {"position": target.position} + " — " + Truncator(target.text).chars(60),
        [(e.label, e.shown) for e in found.years],
        line=line,
        unit=unit,
    )


def subordinates(org: Organisation, day: dt.date) -> list[Organisation]:
    """The organisations directly under `org` on `day` (the tree of that day), by name."""
    ids = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor=org, depth=1).values("descendant_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_sort", "id")[:SUBORDINATES_MAX])


def lagging(target: Target, current: Evaluation | None) -> list[Lagging]:
    """The subordinates under the verdict line on the target's share over the current period."""
    if current is None or target.source != Source.INDICATOR or target.kind == Kind.QUALITATIVE:
        return []
    indicator = indicators.get(target.indicator)
    if indicator.unit == indicators.COUNT:
        return []
    threshold = Fraction(str(target.threshold))
    values = rules_on(current.end)
    behind = []
    for child in subordinates(target.scope, current.end):
        result = indicator(child, current.start, current.end)
        if result.value is None:
            continue
        found = Evaluation(target, current.label, current.start, current.end, result.value, result)
        found.share = verdicts.achieved(target.kind, threshold, result.value)
        found.verdict = verdicts.verdict(target.kind, threshold, result.value, values, strict=target.strict)
        if found.verdict not in verdicts.Verdict.met():
            behind.append(Lagging(child, found))
    return behind


def row(target: Target, today: dt.date, values: dict) -> Row:
    found = progress(target, today)
    current = _current(target, found)
    return Row(
        target,
        found,
        current,
        _chart(target, found),
        lagging(target, current),
        warning(target, found, today, values),
    )


def targets_of(org: Organisation, term: Term):
    return (
        Target.objects.filter(
            resolution__organisation=org, resolution__term=term, resolution__doc_type=DocType.RESOLUTION
        )
        .select_related("resolution__term", "resolution__organisation", "scope")
        .order_by("resolution__date", "resolution_id", "position", "id")
    )


def terms_of(org: Organisation) -> list[Term]:
    """The terms the organisation issued resolutions for, newest first."""
    ids = Document.objects.filter(organisation=org, doc_type=DocType.RESOLUTION, term__isnull=False).values("term_id")
    return list(Term.objects.filter(pk__in=ids).order_by("-start"))


def default_term(terms: list[Term], today: dt.date) -> Term | None:
    return next((t for t in terms if running(t, today)), terms[0] if terms else None)


def build(org: Organisation, term: Term, today: dt.date) -> list[Row]:
    values = rules_on(today)
    return [row(target, today, values) for target in targets_of(org, term)]
