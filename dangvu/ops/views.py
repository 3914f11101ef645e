"""`/health/`: is this process able to serve, and how is the background work doing.

For load balancers and monitoring; no log-in (it shows counts and ages only, nothing about people).
503 when the database or the cache cannot be used; the queue figures are information (a growing
`oldest_waiting_seconds` with no `workers` alive means the workers are down).
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu.tasks.worker import alive_workers


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        extra = check() or {}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **extra}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> dict:
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _queue() -> dict:
    now = timezone.now()
    waiting = DBTaskResult.objects.ready()
    oldest = waiting.aggregate(oldest=Min("enqueued_at"))["oldest"]
    return {
        "waiting": waiting.count(),
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "failed_last_day": DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timezone.timedelta(days=1))
        .count(),
        "oldest_waiting_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
        "workers": len(alive_workers(settings.DANGVU_WORKER_DEAD_AFTER_SECONDS)),
    }


@never_cache
@require_GET
def health(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache), "queue": _timed(_queue)}
    ok = checks["database"]["ok"] and checks["cache"]["ok"]
    return JsonResponse({"status": "ok" if ok else "failing", **checks}, status=200 if ok else 503)
