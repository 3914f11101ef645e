"""State of the task framework that is not a task result (those are django-tasks-db's DBTaskResult rows).

- `ScheduleEntry`: when each periodic job (dangvu.tasks.jobs.periodic) runs next. Workers advance it with a
  compare-and-set in the same transaction as they enqueue the run, so however many workers tick, each
  scheduled run is enqueued once.
- `SideValue`: small values written OUTSIDE the caller's transaction and visible at once to every process
  (import progress, worker heartbeats): see dangvu.tasks.side. On SQLite the same table lives in a
  sibling file, because the database's single write lock is held by a running import.
"""

from __future__ import annotations

from django.db import models


class ScheduleEntry(models.Model):
    name = models.CharField(max_length=200, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class SideValue(models.Model):
    key = models.CharField(max_length=200, primary_key=True)
    value = models.TextField()  # JSON
    updated_at = models.FloatField()  # seconds since the epoch, by the database's clock

    class Meta:
        db_table = "dangvu_side_value"

    def __str__(self) -> str:
        return self.key


class SentMail(models.Model):
    """One e-mail handed to the mail server by a task (dangvu.tasks.mail.send_once), by its key: a retry of
    the task after the server accepted it (the worker died before the task was marked done) finds the row
    and does not send it again. Forgotten after DANGVU_SENT_MAIL_DAYS (dangvu.tasks.jobs)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "dangvu_sent_mail"

    def __str__(self) -> str:
        return self.key
