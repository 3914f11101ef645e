"""Guard for new pages and endpoints: nothing is reachable without signing in, whatever module adds it."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {
    "accounts/login/",
    "accounts/logout/",
    "accounts/password/forgot/",
    "i18n/setlang/",
    "health/",
    "favicon.ico",
    "manifest.webmanifest",
    "sw.js",
    "offline/",
}  # health: counts only; the manifest, service worker and offline page hold no one's data (dangvu/web/pwa.py)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    route = re.sub(r"<(?:int:)?\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def test_every_page_redirects_anonymous_users_to_log_in(client):
    routes = [r for r in _walk(get_resolver().url_patterns) if not r.startswith("api/v1/") and r not in PUBLIC]
    assert len(routes) > 20  # the walk found the page modules
    for route in routes:
        response = client.get(_concrete(route))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route


def test_every_api_operation_needs_a_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        for method in operations:
            if path == "/api/v1/auth/token":
                continue
            url = re.sub(r"\{\w+\}", "1", path)
            response = getattr(client, method)(url, content_type="application/json")
            assert response.status_code == 401, (method, path, response.status_code)
            checked += 1
    assert checked >= 10
