"""Issue 9 item 17: the small things of every page: an icon (no 404 in the console), the menu's current
section marked, the admission section named the same in the menu and on its page."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_links_an_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/accounts/login/").content.decode()
    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', page)
    assert icon and icon.group(1).endswith("dangvu/favicon.svg")
    assert finders.find("dangvu/favicon.svg")
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy["Location"] == icon.group(1)


def _current(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', page)


@pytest.mark.parametrize(
    ("url", "menu"),
    [("/", "/"), ("/members/", "/members/"), ("/admission/", "/admission/"), ("/alerts/", "/alerts/")],
)
def test_the_menu_marks_the_section_of_the_page_and_only_it(client, cast, url, menu):
    client.force_login(cast.office)
    page = client.get(url, follow=True).content.decode()
    assert _current(page) == [menu]


def test_the_admission_section_has_one_name(client, cast):
    client.force_login(cast.office)
    page = client.get("/admission/", follow=True).content.decode()
    assert re.search(r'aria-current="page">Phát triển đảng viên</a>', page)
    assert "<h1>Phát triển đảng viên</h1>" in page


@pytest.mark.parametrize(
    ("url", "menu"),
    [
        ("/inspection/", "/inspection/"),
        ("/inspection/coverage/", "/inspection/"),
        ("/inspection/suggestions/", "/inspection/"),
        ("/discipline/", "/discipline/"),
        ("/letters/", "/letters/"),
    ],
)
def test_the_inspection_committee_has_its_own_sections(client, cast, url, menu):
    """Issue 12 item 8: inspection and supervision (with its statistics and the review suggestions),
    discipline and letters are the inspection committee's own sections of the menu."""
    client.force_login(cast.inspector)
    page = client.get(url)
    assert page.status_code == 200
    assert _current(page.content.decode()) == [menu]
