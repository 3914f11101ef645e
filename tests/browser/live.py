"""A live server for browser tests whose pages poll (the meeting room, the projector).

On PostgreSQL: pytest-django's live server, serving requests concurrently. On the SQLite run the test
database is in memory, and the server threads share this thread's one connection: SQLite refuses a write to
a table that a statement still running on the same connection reads ("database table is locked"). Pages that
poll every 2 seconds from several sessions would trip on that, so there a server of our own serves one
request at a time, and the test thread takes the same lock for its own queries (`orm`).
"""

from __future__ import annotations

import threading

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings


class OneRequestAtATime(StaticFilesHandler):
    """The live server's application, serving one request at a time (see `serve`)."""

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return super().__call__(environ, start_response)


def orm(query):
    """Run a database query from the test thread while the browsers are live."""
    with OneRequestAtATime.lock:
        return query()


def serve(request):
    """Generator behind the `server` fixture (tests/browser/conftest.py): yields the server's URL."""
    conn = connections["default"]
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        if not (conn.vendor == "sqlite" and conn.is_in_memory_db()):
            yield request.getfixturevalue("live_server").url
            return
        thread = LiveServerThread("localhost", OneRequestAtATime, connections_override={"default": conn})
        thread.daemon = True
        conn.inc_thread_sharing()
        try:
            thread.start()
            thread.is_ready.wait()
            if thread.error:
                raise thread.error
            yield f"http://localhost:{thread.port}"
        finally:
            thread.terminate()
            conn.dec_thread_sharing()
