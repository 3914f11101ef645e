"""The dangvu worker: django-tasks-db's database worker with heartbeats, retries with back-off, recovery of
tasks whose worker died, and the schedule.

A maintenance thread beside the worker loop, every `heartbeat` seconds:
1. writes the worker's heartbeat (a side value, dangvu.tasks.side: visible at once even while the worker
   holds a long transaction);
2. looks for RUNNING tasks whose worker has not beaten for `dead_after` seconds (killed, machine lost) and
   puts them back in the queue after a back-off, or marks them FAILED with the reason when that was their
   last attempt (and tells the job through its `on_give_up`);
3. enqueues the scheduled runs that are due (dangvu.tasks.jobs.tick).

A task that raises one of its job's `retry_on` exceptions is put back in the queue with its back-off
instead of being marked failed, until its attempts are used up. Attempts are the task row's worker ids.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from traceback import format_exception

from django.core.exceptions import SuspiciousOperation
from django.db import close_old_connections, connections, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from dangvu.lib.logs import bind
from dangvu.tasks import jobs, side

log = logging.getLogger("dangvu.tasks")

BEAT_PREFIX = "worker:"
LOST = "dangvu.tasks.WorkerLost"


def alive_workers(dead_after: float) -> dict[str, dict]:
    return {
        key[len(BEAT_PREFIX) :]: value
        for key, (value, age) in side.scan(BEAT_PREFIX).items()
        if age <= dead_after and not value.get("stopped")
    }


def _give_up(row: DBTaskResult, reason: str) -> None:
    policy = jobs.policy_for(row.task_path)
    if policy.on_give_up is not None:
        try:
            policy.on_give_up(row.args_kwargs["args"], row.args_kwargs["kwargs"], reason)
        except Exception:
            log.exception("on_give_up of task %s failed", row.id)


def recover_lost(dead_after: float) -> int:
    """Requeue (or fail, after the last attempt) RUNNING tasks whose worker stopped beating. Returns how
    many were handled. Several workers may do this at once: each task is changed under its row lock."""
    beats = side.scan(BEAT_PREFIX)
    now = timezone.now()
    handled = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        value, age = beats.get(BEAT_PREFIX + worker, ({}, None))
        if age is None:  # never beat: give it time to start
            if row.started_at and (now - row.started_at).total_seconds() <= dead_after:
                continue
        elif age <= dead_after and not value.get("stopped"):
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(pk=row.pk, status=TaskResultStatus.RUNNING)
            current = locked.first()
            if current is None or current.worker_ids != row.worker_ids:
                continue
            policy = jobs.policy_for(current.task_path)
            attempts = len(current.worker_ids)
            reason = f"worker {worker} stopped answering during attempt {attempts} of {policy.attempts}"
            if attempts < policy.attempts:
                current.status = TaskResultStatus.READY
                current.run_after = now + timezone.timedelta(seconds=policy.delay(attempts))
                current.save(update_fields=["status", "run_after"])
                log.warning("task %s requeued: %s", current.id, reason)
            else:
                current.status = TaskResultStatus.FAILED
                current.finished_at = now
                current.exception_class_path = LOST
                current.traceback = reason
                current.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                log.error("task %s failed: %s", current.id, reason)
                transaction.on_commit(lambda row=current, reason=reason: _give_up(row, reason))
            handled += 1
    return handled


class Worker(DatabaseWorker):
    def __init__(self, *, heartbeat: float, dead_after: float, schedule: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat = heartbeat
        self.dead_after = dead_after
        self.schedule = schedule
        self.current: str | None = None
        self._stop = threading.Event()

    # -- maintenance thread ---------------------------------------------------------------------------

    def beat(self, stopped: bool = False) -> None:
        side.put(
            BEAT_PREFIX + self.worker_id,
            {"host": socket.gethostname(), "pid": os.getpid(), "task": self.current, "stopped": stopped},
        )

    def maintain_once(self) -> None:
        self.beat()
        try:
            recover_lost(self.dead_after)
            if self.schedule:
                jobs.tick()
        except OperationalError as exc:  # SQLite: the database is locked by a long import; next time
            log.info("maintenance postponed: %s", exc)

    def _maintain(self) -> None:
        while not self._stop.is_set():
            try:
                close_old_connections()
                self.maintain_once()
            except Exception:
                log.exception("worker maintenance failed")
            self._stop.wait(self.heartbeat)
        connections.close_all()
        side.close()

    def run(self) -> None:
        log.info("worker %s started (queues %s)", self.worker_id, ",".join(self.queue_names))
        self.beat()
        thread = threading.Thread(target=self._maintain, name="dangvu-worker-maintenance", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(self.heartbeat + 5)
            self.beat(stopped=True)

    # -- running a task -------------------------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        self.current = str(db_task_result.id)
        self.beat()
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            with bind(task=self.current, task_name=task.name, attempt=task_result.attempts):
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                db_task_result.set_successful(value)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            self._failed(db_task_result, exc)
        finally:
            self.running_task = False
            self.current = None
            self._run_tasks += 1

    def _failed(self, row: DBTaskResult, exc: BaseException) -> None:
        policy = jobs.policy_for(row.task_path)
        attempts = len(row.worker_ids)
        if attempts < policy.attempts and isinstance(exc, policy.retry_on):
            delay = policy.delay(attempts)
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY,
                run_after=timezone.now() + timezone.timedelta(seconds=delay),
                exception_class_path=f"{type(exc).__module__}.{type(exc).__qualname__}",
                traceback="".join(format_exception(exc)),
            )
            log.warning(
                "task %s attempt %s of %s failed (%s); retry in %ss", row.id, attempts, policy.attempts, exc, delay
            )
            return
        row.set_failed(exc)
        log.error("task %s failed after %s attempt(s): %s", row.id, attempts, exc)
        _give_up(row, f"{type(exc).__name__}: {exc}")
        try:
            task_finished.send(sender=type(row.task.get_backend()), task_result=row.task_result)
        except (ImportError, SuspiciousOperation):
            log.exception("Task id=%s failed unexpectedly", row.id)


def drain(max_tasks: int = 1000) -> int:
    """Run every task that is ready now, in this thread, and return how many ran (tests; the command's
    `--batch`). Unlike the worker loop it never closes the connection, so it works inside a test's
    transaction."""
    worker = Worker(
        heartbeat=5,
        dead_after=60,
        schedule=False,
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"drain-{os.getpid()}-{time.monotonic_ns()}"[:64],
        excluded_queue_names=[],
    )
    ran = 0
    while ran < max_tasks:
        ready = DBTaskResult.objects.ready()
        with exclusive_transaction(ready.db):
            row = ready.get_locked()
            if row is not None:
                row.claim(worker.worker_id)
        if row is None:
            break
        worker.run_task(row)
        ran += 1
    return ran
