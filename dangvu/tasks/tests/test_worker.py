"""The task framework: retries with back-off, giving up with a reason, recovery of a dead worker's task,
the schedule enqueuing each run once, side values. Jobs are run by `drain()`, the worker's own code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu.tasks import jobs, side
from dangvu.tasks.models import ScheduleEntry
from dangvu.tasks.worker import BEAT_PREFIX, LOST, alive_workers, drain, recover_lost

CALLS: list[str] = []
GIVEN_UP: list[tuple] = []


def _record_give_up(args, kwargs, reason):
    GIVEN_UP.append((args, reason))


@jobs.job(retries=2, retry_on=(OSError,), on_give_up=_record_give_up)
def flaky(name: str, failures: int) -> str:
    CALLS.append(name)
    if CALLS.count(name) <= failures:
        raise ConnectionRefusedError("mail server refuses")
    return f"done {name}"


@jobs.job(retries=3, retry_on=(OSError,), on_give_up=_record_give_up)
def broken(name: str) -> None:
    CALLS.append(name)
    raise ValueError("a bug is not retried")


@pytest.fixture(autouse=True)
def clean(settings):
    settings.DANGVU_TASK_BACKOFF_SECONDS = 10
    CALLS.clear()
    GIVEN_UP.clear()


def _due_now(row: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))


@pytest.mark.django_db
def test_a_retryable_failure_is_retried_with_doubling_back_off_then_succeeds():
    result = flaky.enqueue("a", failures=2)
    row = DBTaskResult.objects.get(pk=result.id)
    assert drain() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and row.exception_class_path == "builtins.ConnectionRefusedError"
    wait = (row.run_after - timezone.now()).total_seconds()
    assert 8 < wait <= 10  # the first back-off
    assert drain() == 0  # not before its time
    _due_now(row)
    assert drain() == 1
    row.refresh_from_db()
    wait = (row.run_after - timezone.now()).total_seconds()
    assert row.status == TaskResultStatus.READY and 18 < wait <= 20  # doubled
    _due_now(row)
    assert drain() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "done a"
    assert CALLS == ["a", "a", "a"] and len(row.worker_ids) == 3 and GIVEN_UP == []


@pytest.mark.django_db
def test_after_the_last_attempt_the_task_fails_and_the_job_is_told_why():
    result = flaky.enqueue("b", failures=5)
    for _ in range(3):
        _due_now(DBTaskResult.objects.get(pk=result.id))
        assert drain() == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and "mail server refuses" in row.traceback
    assert CALLS == ["b"] * 3
    assert GIVEN_UP == [(["b"], "ConnectionRefusedError: mail server refuses")]
    assert drain() == 0


@pytest.mark.django_db
def test_an_exception_not_listed_is_not_retried():
    result = broken.enqueue("c")
    assert drain() == 1
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    assert CALLS == ["c"] and GIVEN_UP[0][1] == "ValueError: a bug is not retried"


def _claimed_by(result, worker: str, minutes_ago: int = 60) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return row


@pytest.mark.django_db
def test_a_task_of_a_dead_worker_is_requeued_and_a_live_workers_is_left_alone():
    alive = f"alive-{timezone.now().timestamp()}"
    side.put(BEAT_PREFIX + alive, {"pid": 1})
    running = _claimed_by(flaky.enqueue("live", failures=0), alive)
    lost = _claimed_by(flaky.enqueue("lost", failures=0), "dead-worker-never-beat")
    fresh = _claimed_by(flaky.enqueue("fresh", failures=0), "starting-worker", minutes_ago=0)

    assert recover_lost(dead_after=30) == 1
    states = {r.pk: r.status for r in DBTaskResult.objects.filter(pk__in=[running.pk, lost.pk, fresh.pk])}
    assert states == {
        running.pk: TaskResultStatus.RUNNING,
        lost.pk: TaskResultStatus.READY,  # run again (after its back-off) by any worker
        fresh.pk: TaskResultStatus.RUNNING,  # claimed a moment ago: its worker has not beaten yet
    }
    assert alive in alive_workers(30)
    _due_now(lost)
    assert drain() == 1 and CALLS == ["lost"]
    assert DBTaskResult.objects.get(pk=lost.pk).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_a_task_whose_worker_died_on_its_last_attempt_fails_with_the_reason(django_capture_on_commit_callbacks):
    result = flaky.enqueue("doomed", failures=0)
    for n in range(3):
        _claimed_by(result, f"dead-{n}")
        with django_capture_on_commit_callbacks(execute=True):
            recover_lost(dead_after=30)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == LOST
    assert row.traceback == "worker dead-2 stopped answering during attempt 3 of 3"
    assert GIVEN_UP == [(["doomed"], "worker dead-2 stopped answering during attempt 3 of 3")]
    assert CALLS == []


@pytest.mark.django_db
def test_a_stopped_worker_is_not_alive():
    worker = f"stopping-{timezone.now().timestamp()}"
    side.put(BEAT_PREFIX + worker, {"stopped": True})
    assert worker not in alive_workers(30)


ran_at: list[str] = []


@jobs.periodic(every=dt.timedelta(minutes=5), retries=0)
def every_five(scheduled_for: str) -> None:
    ran_at.append(scheduled_for)


@pytest.mark.django_db
def test_each_scheduled_run_is_enqueued_once_however_many_workers_tick():
    ran_at.clear()
    now = timezone.now()
    name = every_five.module_path
    assert name in jobs.tick(now)
    assert name not in jobs.tick(now)  # a second worker at the same moment
    assert name not in jobs.tick(now + dt.timedelta(minutes=4))
    entry = ScheduleEntry.objects.get(name=name)
    assert entry.next_run_at == now + dt.timedelta(minutes=5)
    assert name in jobs.tick(now + dt.timedelta(minutes=5))
    drain()
    assert ran_at == [now.isoformat(), (now + dt.timedelta(minutes=5)).isoformat()]


def test_daily_and_monthly_schedules_in_local_time():
    local = timezone.get_current_timezone()
    daily = jobs.Schedule("d", None, daily_at=dt.time(6, 30))
    before = dt.datetime(2026, 12, 5, 6, 0, tzinfo=local)
    assert daily.next_after(before) == dt.datetime(2026, 12, 5, 6, 30, tzinfo=local)
    assert daily.next_after(dt.datetime(2026, 12, 5, 6, 30, tzinfo=local)) == dt.datetime(
        2026, 12, 6, 6, 30, tzinfo=local
    )
    monthly = jobs.Schedule("m", None, monthly_on=(31, dt.time(2, 0)))
    assert monthly.next_after(dt.datetime(2027, 2, 10, tzinfo=local)) == dt.datetime(2027, 2, 28, 2, 0, tzinfo=local)
    assert monthly.next_after(dt.datetime(2026, 12, 31, 3, 0, tzinfo=local)) == dt.datetime(
        2027, 1, 31, 2, 0, tzinfo=local
    )
    with pytest.raises(ValueError):
        jobs.periodic(every=dt.timedelta(1), daily_at=dt.time(1))


@pytest.mark.django_db
def test_side_values_are_visible_outside_the_writers_transaction():
    key = f"test:{timezone.now().timestamp()}"
    side.put(key, {"done": 3})
    side.put(key, {"done": 4})
    assert side.get(key) == {"done": 4}
    value, age = side.scan("test:")[key]
    assert value == {"done": 4} and 0 <= age < 5
    side.delete(key)
    assert side.get(key, "gone") == "gone"
    assert side.scan("te_t:") == {}  # LIKE wildcards in a prefix are literal
