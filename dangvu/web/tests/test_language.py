"""Vietnamese by default whatever the browser asks; English when the user chooses it."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_vietnamese_by_default_even_for_an_english_browser(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
    assert "Đăng nhập" in page.content.decode()


def test_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode()


def test_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "vi"
