"""Background jobs and schedules on Django's tasks API (the `django-tasks` backport today, `django.tasks`
on Django 6), stored by the database backend of `django-tasks-db`: the task rows live in the project's own
database, are written in the same transaction as the data they are about (a job enqueued by a rolled-back
write never runs) and are shared by every worker on every machine.

What dangvu adds (the worker in dangvu.tasks.worker applies it):

    @job(retries=4, retry_on=(OSError, smtplib.SMTPException), on_give_up=mark_failed)
    def deliver(notice_id: int) -> None: ...

    deliver.enqueue(notice_id)          # Django's tasks API

- retries with exponential back-off (`backoff` seconds, doubling, at most an hour) for the exceptions in
  `retry_on`; afterwards the task is FAILED with its traceback and `on_give_up(args, kwargs, reason)` runs;
- a task whose worker stopped answering (heartbeats, dangvu.tasks.worker) is run again by another worker,
  and counts as an attempt: after the last one it is FAILED with the reason, never "running" forever;
- `@periodic(every=…)` / `(daily_at=…)` / `(monthly_on=(day, time))`: a schedule that any worker ticks; each
  run is enqueued exactly once (compare-and-set on ScheduleEntry) and receives `scheduled_for` (ISO), so a
  run can be made idempotent per slot.

Jobs must be idempotent: a job may run again after a worker died in the middle of it (its transaction was
rolled back, but e.g. a mail may have left). Each app declares its jobs in `<app>/jobs.py` (autodiscovered).
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django_tasks import task

MAX_BACKOFF = 3600.0


@dataclass(frozen=True)
class Policy:
    retries: int  # attempts after the first one
    backoff: float | None  # seconds before the first retry (None: settings.DANGVU_TASK_BACKOFF_SECONDS)
    retry_on: tuple[type[BaseException], ...]
    on_give_up: Callable[[list, dict, str], None] | None

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def delay(self, attempt: int) -> float:
        """Seconds to wait before the attempt after `attempt` (1 = the first one)."""
        base = self.backoff if self.backoff is not None else float(settings.DANGVU_TASK_BACKOFF_SECONDS)
        return min(base * 2 ** max(attempt - 1, 0), MAX_BACKOFF)


DEFAULT_POLICY = Policy(retries=0, backoff=None, retry_on=(), on_give_up=None)
POLICIES: dict[str, Policy] = {}


def job(
    *,
    retries: int = 3,
    backoff: float | None = None,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    on_give_up: Callable[[list, dict, str], None] | None = None,
    priority: int = 0,
    queue: str = "default",
):
    """A module-level function → a django-tasks Task with dangvu's retry policy."""

    def decorate(fn):
        created = task(priority=priority, queue_name=queue)(fn)
        POLICIES[created.module_path] = Policy(retries, backoff, tuple(retry_on), on_give_up)
        return created

    return decorate


def policy_for(task_path: str) -> Policy:
    return POLICIES.get(task_path, DEFAULT_POLICY)


# -- schedules ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    name: str
    task: Any
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None
    monthly_on: tuple[int, dt.time] | None = None

    def first_run(self, now: dt.datetime) -> dt.datetime:
        return now if self.every is not None else self.next_after(now)

    def next_after(self, now: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return now + self.every
        local = timezone.localtime(now)
        if self.daily_at is not None:
            candidate = timezone.make_aware(dt.datetime.combine(local.date(), self.daily_at))
            return candidate if candidate > now else candidate + dt.timedelta(days=1)
        day, at = self.monthly_on
        year, month = local.year, local.month
        for _ in range(2):
            last = calendar.monthrange(year, month)[1]
            candidate = timezone.make_aware(dt.datetime.combine(dt.date(year, month, min(day, last)), at))
            if candidate > now:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return candidate


SCHEDULES: dict[str, Schedule] = {}


def periodic(
    *,
    every: dt.timedelta | None = None,
    daily_at: dt.time | None = None,
    monthly_on: tuple[int, dt.time] | None = None,
    **job_options: Any,
):
    """A job that the workers run on a schedule: every interval, daily at a local time, or monthly on a day
    (clipped to the month's last day) at a local time. The function receives `scheduled_for` (ISO)."""
    if sum(x is not None for x in (every, daily_at, monthly_on)) != 1:
        raise ValueError("give exactly one of every, daily_at, monthly_on")

    def decorate(fn):
        created = job(**job_options)(fn)
        SCHEDULES[created.module_path] = Schedule(created.module_path, created, every, daily_at, monthly_on)
        return created

    return decorate


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every scheduled run that is due; returns the names enqueued. Safe to call from any number
    of workers at once: the run is enqueued in the transaction that advances its entry, and only the
    worker whose compare-and-set succeeds does it."""
    from dangvu.tasks.models import ScheduleEntry

    now = now or timezone.now()
    enqueued = []
    for schedule in SCHEDULES.values():
        entry, _created = ScheduleEntry.objects.get_or_create(
            name=schedule.name, defaults={"next_run_at": schedule.first_run(now)}
        )
        if entry.next_run_at > now:
            continue
        with transaction.atomic():
            moved = ScheduleEntry.objects.filter(name=entry.name, next_run_at=entry.next_run_at).update(
                next_run_at=schedule.next_after(now), last_run_at=now
            )
            if moved:
                schedule.task.enqueue(scheduled_for=entry.next_run_at.isoformat())
                enqueued.append(schedule.name)
    return enqueued


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("dangvu.") and module_has_submodule(config.module, "jobs"):
            importlib.import_module(f"{config.name}.jobs")


@periodic(every=dt.timedelta(days=1), retries=0)
def forget_sent_mail(scheduled_for: str) -> int:
    """Daily: forget the ledger rows of e-mails sent by tasks older than DANGVU_SENT_MAIL_DAYS."""
    from django.conf import settings

    from dangvu.tasks import mail

    return mail.forget(settings.DANGVU_SENT_MAIL_DAYS)
