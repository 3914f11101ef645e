"""Background tasks of the targets module: building an official report (dangvu.targets.reports.build).
Idempotent: the build acts only on a report waiting to be built, so a task run again after its worker died
builds it once; after the last attempt the report is marked failed with the reason."""

from __future__ import annotations

from django.utils import translation

from dangvu.tasks.jobs import job


def _give_up(args: list, kwargs: dict, reason: str) -> None:
    from dangvu.targets import reports

    reports.give_up(args[0] if args else kwargs["report_id"], reason)


@job(retries=2, retry_on=(), on_give_up=_give_up)
def build_report(report_id: int, language: str) -> str:
    from dangvu.targets import reports
    from dangvu.targets.models import Report

    found = (
        Report.objects.filter(pk=report_id)
        .select_related("resolution__organisation", "resolution__term", "document")
        .first()
    )
    if found is None:
        return "missing"
    with translation.override(language):
        return reports.build(found).state
