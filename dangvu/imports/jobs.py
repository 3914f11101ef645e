"""The import's background tasks: the dry run and the apply of an uploaded file (issue 10 item 1, issue 16
item 12: every import is background work, whatever the file declares).

Both are idempotent: they act only on a job in the state that asked for them (a check on an UPLOADED job,
an apply on an APPLYING one), so a task run again after its worker died does the work once. The apply
writes everything in one transaction, so a worker killed in the middle leaves nothing half-written; the
task is run again by another worker, and after the last attempt the job is refused with the reason.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation

from dangvu.tasks.jobs import job


def _give_up(args: list, kwargs: dict, reason: str) -> None:
    from dangvu.imports import services

    services.give_up(args[0] if args else kwargs["job_id"], reason)


@job(retries=2, retry_on=(), on_give_up=_give_up)
def check(job_id: int, user_id: int, language: str) -> str:
    from dangvu.imports import services
    from dangvu.imports.models import ImportJob, JobStatus

    found = ImportJob.objects.filter(pk=job_id, status=JobStatus.UPLOADED).first()
    if found is None:
        return "skipped"
    with translation.override(language):
        services.validate_job(found, get_user_model().objects.get(pk=user_id))
    return found.status


@job(retries=2, retry_on=(), on_give_up=_give_up)
def apply(job_id: int, user_id: int, language: str) -> str:
    from dangvu.imports import services
    from dangvu.imports.models import ImportJob, JobStatus

    found = ImportJob.objects.filter(pk=job_id, status=JobStatus.APPLYING).first()
    if found is None:
        return "skipped"
    with translation.override(language):
        services.apply_job(found, get_user_model().objects.get(pk=user_id))
    return found.status
