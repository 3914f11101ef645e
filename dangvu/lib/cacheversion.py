"""Version keys for computations kept in Django's cache (Redis with REDIS_URL, else the process's memory):
a cached value's key carries the version of what it was computed from, and the services that change that
data bump the version, so the next read misses and computes afresh — no list of keys to delete.

    key = f"targets:alerts:{cacheversion.current('targets')}:…"
    cacheversion.bump("targets")          # in the service, inside its transaction

`bump` moves the version at once (the writer's own reads in its transaction see the change) and again when the
transaction commits (a reader that computed from the data as it was before the commit, and stored its result
under the first new version, is left behind). A version that is missing (never set, evicted, the cache
emptied) starts from the clock in microseconds, so it never falls back to a number used before.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction


def _key(name: str) -> str:
    return f"version:{name}"


def _start(name: str) -> None:
    cache.add(_key(name), time.time_ns() // 1000, timeout=None)


def current(name: str) -> int:
    value = cache.get(_key(name))
    if value is None:
        _start(name)
        value = cache.get(_key(name), 0)
    return value


def _bump(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # missing: a new start is a new version
        _start(name)


def bump(name: str) -> None:
    """Invalidate what was cached under `name`: now, and again when the current transaction commits."""
    _bump(name)
    transaction.on_commit(lambda: _bump(name))
