"""/health/, the request id and the structured log lines, and the shared-state settings with REDIS_URL."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.test import override_settings

from dangvu.lib.logs import ContextFilter, JsonFormatter, bind
from dangvu.ops import views
from dangvu.tasks.tests.test_worker import flaky

REDIS_URL = os.environ.get("DANGVU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.django_db
def test_health_answers_without_log_in_with_queue_figures(client):
    flaky.enqueue("waiting", failures=0)
    response = client.get("/health/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["cache"]["ok"]
    assert body["queue"]["waiting"] == 1 and body["queue"]["running"] == 0
    assert body["queue"]["oldest_waiting_seconds"] >= 0 and "workers" in body["queue"]
    assert "name" not in json.dumps(body).lower()  # counts and ages only


@pytest.mark.django_db
def test_health_is_503_when_the_database_fails(client, monkeypatch):
    def down():
        raise OSError("connection refused")

    monkeypatch.setattr(views, "_database", down)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OSError"}


@pytest.mark.django_db
def test_health_refuses_other_methods(client):
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_request_id_is_taken_from_the_proxy_or_generated(client):
    given = client.get("/health/", HTTP_X_REQUEST_ID="proxy-1234-abcd")
    assert given["X-Request-ID"] == "proxy-1234-abcd"
    forged = client.get("/health/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert forged["X-Request-ID"] != "<script>alert(1)</script>" and len(forged["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_each_request_is_logged_with_its_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="dangvu.requests"):
        response = client.get("/health/")
    record = next(r for r in caplog.records if r.name == "dangvu.requests")
    assert record.request_id == response["X-Request-ID"] and record.status == 200 and record.path == "/health/"


def test_json_formatter_writes_one_object_with_the_bound_context():
    record = logging.LogRecord("dangvu.x", logging.WARNING, __file__, 1, "hello %s", ("Hùng",), None)
    record.rows = 5
    with bind(request_id="r-123456789", task="t-1"):
        ContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "hello Hùng" and data["level"] == "WARNING" and data["logger"] == "dangvu.x"
    assert data["request_id"] == "r-123456789" and data["task"] == "t-1" and data["rows"] == 5


def _settings_with(env: dict) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.AXES_HANDLER]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dangvu.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_shared_state_moves_to_redis_when_redis_url_is_set():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    os.environ.pop("REDIS_URL", None)
    try:
        assert _settings_with({}) == [
            "django.core.cache.backends.locmem.LocMemCache",
            "django.contrib.sessions.backends.db",
            "axes.handlers.database.AxesDatabaseHandler",
        ]
    finally:
        os.environ.clear()
        os.environ.update(env)
    assert _settings_with({"REDIS_URL": REDIS_URL}) == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cache",
        "axes.handlers.cache.AxesCacheHandler",
    ]


def test_the_redis_cache_is_one_store_for_every_connection():
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}
    with override_settings(CACHES={"default": redis, "other": redis}):
        caches["default"].set("shared", "from one process", 30)
        assert caches["other"].get("shared") == "from one process"
        caches["default"].delete("shared")
