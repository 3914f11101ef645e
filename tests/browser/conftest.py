"""Browser tests talk to pytest-django's live server over plain HTTP.

Django's SecurityMiddleware reads SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS once, when the live server
builds its handler (the session-scoped `live_server` fixture), so a per-test `settings` override comes too
late. Production defaults turn both on unless DANGVU_HTTPS=0 (test.sh sets it; a plain `pytest` run may
not). This session-scoped autouse fixture is set up before `live_server` (autouse fixtures of a scope come
first) and keeps them off for the browser tests only.
"""

import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server(django_test_environment):
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        yield


@pytest.fixture
def server(request, transactional_db):
    """The live server's URL, safe for pages that poll (tests/browser/live.py)."""
    from tests.browser.live import serve

    yield from serve(request)
