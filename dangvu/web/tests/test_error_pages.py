"""Error pages (403, 404, 500, CSRF failure, 400) in the site's layout, in Vietnamese by default and in English
on request, each with a way back; never Django's bare English pages."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse

from dangvu.urls import handler400, handler403, handler404, handler500  # noqa: F401  (this test's urlconf)

pytestmark = pytest.mark.django_db


def crash(request):
    raise RuntimeError("boom")


def forbidden(request):
    raise PermissionDenied("developer text, never shown")


def suspicious(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("crash/", crash),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("", include("dangvu.urls")),
]

TEXTS = {
    "vi": {
        403: ("Bạn không có quyền truy cập trang này", "Trang chủ"),
        404: ("Không tìm thấy trang", "Trang chủ"),
        500: ("Đã xảy ra lỗi", "Trang chủ"),
        "csrf": ("Biểu mẫu đã hết hạn", "Trang chủ"),
        400: ("Không đọc được yêu cầu", "Trang chủ"),
    },
    "en": {
        403: ("You do not have access to this page", "Home"),
        404: ("Page not found", "Home"),
        500: ("Something went wrong", "Home"),
        "csrf": ("The form has expired", "Home"),
        400: ("The request could not be read", "Home"),
    },
}


def client_in(language: str, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    if language != "vi":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_site_page(response, status: int, language: str, key) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    title, way_back = TEXTS[language][key]
    assert title in page and way_back in page
    assert f'<html lang="{language}">' in page and 'class="topbar"' in page  # the site's layout
    assert 'href="/"' in page  # a way back
    for django_bare in ("Not Found</h1>", "Forbidden <span>(403)", "Server Error (500)", "CSRF verification failed"):
        assert django_bare not in page
    return page


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_error_page_in_both_languages(language, cast):
    client = client_in(language)
    client.force_login(cast.office)
    page = assert_site_page(client.get("/forbidden/"), 403, language, 403)
    assert "developer text" not in page
    assert 'aria-label="' in page  # signed in: the menu is there
    assert_site_page(client.get("/no/such/page/"), 404, language, 404)
    assert_site_page(client.get("/suspicious/"), 400, language, 400)
    server = assert_site_page(client.get("/crash/"), 500, language, 500)
    assert "boom" not in server and "Traceback" not in server
    strict = client_in(language, enforce_csrf_checks=True)
    strict.force_login(cast.office)
    csrf = assert_site_page(strict.post(reverse("accounts:logout")), 403, language, "csrf")
    assert "cookie" in csrf


def test_real_pages_use_them(client, cast, tree):
    """A role without access and a record outside the user's scope get the site's pages."""
    client.force_login(cast.member)
    denied = client.get(reverse("rules:list"))
    assert denied.status_code == 403 and "Bạn không có quyền truy cập trang này" in denied.content.decode()
    client.force_login(cast.outsider)
    hidden = client.get(reverse("orgs:detail", args=[tree.c1.pk]))
    assert hidden.status_code == 404 and "Không tìm thấy trang" in hidden.content.decode()


def test_way_back_is_the_previous_page_on_this_site_only(client, cast):
    client.force_login(cast.office)
    came_from = "http://testserver/members/"
    page = client.get("/no/such/page/", HTTP_REFERER=came_from).content.decode()
    assert f'href="{came_from}"' in page and "Quay lại trang trước" in page
    outside = client.get("/no/such/page/", HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in outside and "Quay lại trang trước" not in outside


def test_anonymous_403_offers_to_sign_in(rf):
    from django.contrib.auth.models import AnonymousUser

    from dangvu.web.errors import permission_denied

    request = rf.get("/rules/")
    request.user = AnonymousUser()
    page = permission_denied(request).content.decode()
    assert "Hãy đăng nhập để tiếp tục." in page and "/accounts/login/?next=/rules/" in page
