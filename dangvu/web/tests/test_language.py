"""Vietnamese by default whatever the browser asks; English when the user chooses it."""

import unicodedata

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


def test_the_language_switch_names_each_language_in_itself(client):
    """Issue 9 item 3: "English" and "Tiếng Việt", not "Tiếng Anh" in the Vietnamese UI."""
    page = client.get("/accounts/login/").content.decode()
    assert '<option value="vi" lang="vi" selected>Tiếng Việt</option>' in page
    assert '<option value="en" lang="en">English</option>' in page
    assert "Tiếng Anh" not in page
    assert unicodedata.is_normalized("NFC", page)
