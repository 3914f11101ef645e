"""Actions on resolution targets. Each runs in one transaction, is refused (DomainError with the message
beside the field, nothing written) on bad input or PermissionDenied when the actor may not manage the
resolution's targets, and writes the audit trail (django-simple-history, with the acting user and a reason)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dangvu.docregister.models import DocType, Document
from dangvu.lib import cacheversion
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import Organisation
from dangvu.targets import indicators
from dangvu.targets.access import can_manage
from dangvu.targets.models import Kind, ManualValue, Period, Source, Subject, Target

# Which indicator units fit which kinds of target.
UNITS = {
    Kind.FLOOR: {indicators.PERCENT, indicators.COUNT, indicators.RATE},
    Kind.CEILING: {indicators.PERCENT, indicators.COUNT, indicators.RATE},
    Kind.COUNT: {indicators.COUNT},
    Kind.RATE: {indicators.RATE},
}
MAX_THRESHOLD = Decimal("999999999")
CACHE_VERSION = "targets"  # dangvu.targets.alerts.VERSION


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()
    cacheversion.bump(CACHE_VERSION)  # the cached early warnings (dangvu.targets.alerts) are computed afresh


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


@dataclass
class TargetSpec:
    text: str
    kind: str
    period: str
    subject: str
    source: str
    threshold: Decimal | None = None
    strict: bool = False
    indicator: str = ""
    scope: Organisation | None = None  # the resolution's organisation when empty
    position: int | None = None  # the next number when empty


def _check(resolution: Document, spec: TargetSpec) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _text(spec.text):
        errors["text"] = [_("Write the target as the resolution words it.")]
    if spec.kind not in Kind.values:
        errors["kind"] = [_("Choose the kind of target.")]
    if spec.period not in Period.values:
        errors["period"] = [_("Choose the period.")]
    if spec.subject not in Subject.values:
        errors["subject"] = [_("Choose what the target counts.")]
    if spec.source not in Source.values:
        errors["source"] = [_("Choose where the result comes from.")]
    if spec.kind == Kind.QUALITATIVE:
        if spec.source == Source.INDICATOR:
            errors["source"] = [_("A qualitative target is judged on evidence entered by hand.")]
    elif spec.threshold is None:
        errors["threshold"] = [_("Give the target's figure.")]
    elif not Decimal(0) <= spec.threshold <= MAX_THRESHOLD:
        errors["threshold"] = [_("The figure must be a number from 0.")]
    if spec.source == Source.INDICATOR:
        indicator = indicators.REGISTRY.get(spec.indicator)
        if indicator is None:
            errors["indicator"] = [_("Choose the indicator that measures the target.")]
        elif spec.kind in UNITS and indicator.unit not in UNITS[spec.kind]:
            errors["indicator"] = [_("This indicator does not measure a target of this kind.")]
        elif indicator.unit == indicators.PERCENT and spec.threshold is not None and spec.threshold > 100:
            errors["threshold"] = [_("A percentage is at most 100.")]
    scope = spec.scope or resolution.organisation
    if not scope.path.startswith(resolution.organisation.path):
        errors["scope"] = [_("The organisation covered must be the resolution's organisation or one under it.")]
    if spec.position is not None and not 1 <= spec.position <= 999:
        errors["position"] = [_("The number is from 1 to 999.")]
    return errors


@transaction.atomic
def add_target(resolution: Document, spec: TargetSpec, actor) -> Target:
    """Add a numbered target to a registered resolution."""
    if not can_manage(actor, resolution):
        raise PermissionDenied
    if resolution.doc_type != DocType.RESOLUTION:
        raise DomainError(_("Targets belong to a resolution."))
    Document.objects.select_for_update().filter(pk=resolution.pk).first()  # numbers given one at a time
    errors = _check(resolution, spec)
    position = spec.position
    if position is None:
        position = (resolution.targets.aggregate(n=Max("position"))["n"] or 0) + 1
    elif resolution.targets.filter(position=position).exists():
        errors.setdefault("position", []).append(_("The resolution already has a target with this number."))
    if errors:
        raise DomainError(errors)
    target = Target(
        resolution=resolution,
        position=position,
        text=_text(spec.text),
        kind=spec.kind,
        threshold=None if spec.kind == Kind.QUALITATIVE else spec.threshold,
        strict=spec.strict and spec.kind in (Kind.FLOOR, Kind.CEILING),
        period=spec.period,
        subject=spec.subject,
        scope=spec.scope or resolution.organisation,
        source=spec.source,
        indicator=spec.indicator if spec.source == Source.INDICATOR else "",
        recorded_by=actor,
    )
    _save(target, actor, "add target")
    return target


@transaction.atomic
def record_value(
    target: Target, year: int | None, value: Decimal | None, evidence: str, actor, *, document: Document | None = None
) -> ManualValue:
    """Enter the result of a target judged by hand, for a year of the term (yearly targets) or the term."""
    if not can_manage(actor, target.resolution):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    term = target.resolution.term
    if target.source != Source.MANUAL:
        raise DomainError(_("This target's result is computed from the records."))
    if target.period == Period.YEAR:
        if year is None or not term.start.year <= year <= term.end.year:
            errors["year"] = [_("Give a year of the term.")]
    elif year is not None:
        errors["year"] = [_("This target is judged over the term: leave the year empty.")]
    if value is None or value < 0 or value > MAX_THRESHOLD:
        errors["value"] = [_("Give the result as a number from 0.")]
    if not _text(evidence):
        errors["evidence"] = [_("Say where the figure comes from.")]
    if errors:
        raise DomainError(errors)
    row = ManualValue(
        target=target, year=year, value=value, evidence=_text(evidence), document=document, recorded_by=actor
    )
    _save(row, actor, "manual value")
    return row


class TargetsRefused(DomainError):
    """Some of the targets confirmed together were refused: `by_index` holds each one's errors; none was
    added (one transaction)."""

    def __init__(self, by_index: dict[int, DomainError]):
        super().__init__(_("Some targets could not be added: nothing was added."))
        self.by_index = by_index


@transaction.atomic
def add_targets(resolution: Document, specs: list[TargetSpec], actor) -> list[Target]:
    """Add several targets at once (the proposals read from the text, confirmed by a person): all of them or,
    when any is refused, none."""
    created, refused = [], {}
    for index, spec in enumerate(specs):
        try:
            with transaction.atomic():
                created.append(add_target(resolution, spec, actor))
        except DomainError as error:
            refused[index] = error
    if refused:
        raise TargetsRefused(refused)
    return created
