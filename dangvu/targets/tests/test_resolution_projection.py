"""The resolution page shows, for each target over the term, its projection to the end of the term at the pace
so far (issue 13 item 4 on the page): the projected value, the percentage achieved and the projected verdict,
hand-computed as in test_projection.py; a yearly target has none, a count entered by hand is not projected."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.targets import services, views

pytestmark = pytest.mark.django_db

# Term 2020-2025: 01/10/2020 – 30/09/2025 = 1826 days. To 30/09/2022: 730 days.
MID = dt.date(2022, 9, 30)


@pytest.fixture
def resolution(tree, cast, terms, monkeypatch):  # noqa: F811
    # Admissions in A: 01/03/2021, 01/06/2021, 01/03/2022 (3 by MID), and 01/03/2023 (after MID).
    for day in (dt.date(2021, 3, 1), dt.date(2021, 6, 1), dt.date(2022, 3, 1), dt.date(2023, 3, 1)):
        testing.member(tree.c1, admitted=day, official=False)
    monkeypatch.setattr(views, "today", lambda: MID)
    return register.register(entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội"), cast.office)


def add(resolution, cast, **kw):
    values = {
        "text": "Kết nạp đảng viên mới.",
        "kind": "count",
        "period": "term",
        "subject": "members",
        "source": "indicator",
        "indicator": "admission.admissions",
        "threshold": Decimal(6),
    }
    return services.add_target(resolution, services.TargetSpec(**(values | kw)), cast.office)


def projection(html: str, target) -> str | None:
    found = re.search(rf'<p class="projection" id="projection-{target.pk}">(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_each_term_target_shows_its_projection(client, cast, resolution):
    count = add(resolution, cast)  # 3 so far: 3 × 1826 / 730 = 7.504…, 125.1% of 6: exceeded at this pace
    ceiling = add(resolution, cast, kind="ceiling", threshold=Decimal(5))  # 5 / 7.504 = 66.6%: not met
    yearly = add(resolution, cast, kind="floor", period="year", threshold=Decimal(2))
    by_hand = add(resolution, cast, source="manual", indicator="")
    services.record_value(by_hand, None, Decimal(3), "Báo cáo của Ban Tổ chức", cast.office)
    client.force_login(cast.leader)
    html = client.get(reverse("targets:resolution", args=[resolution.pk])).content.decode()
    lead = "Ước đến cuối nhiệm kỳ (30/09/2025) theo nhịp độ hiện nay:"
    assert projection(html, count) == f"{lead} 7,50 · 125,1% · Vượt"
    assert projection(html, ceiling) == f"{lead} 7,50 · 66,6% · Chưa đạt"
    assert projection(html, yearly) is None  # judged each year: no projection to the end of the term
    unprojected = "chưa ước được (chưa có kết quả, hoặc số đếm nhập tay không có nhịp độ)"
    assert projection(html, by_hand) == f"{lead} {unprojected}"
    # The term to date beside it: 3 of 6 so far, not met yet.
    assert "50,0%" in html and "Chưa đạt" in html


def test_before_the_term_nothing_is_projected(client, cast, resolution, monkeypatch):
    count = add(resolution, cast)
    monkeypatch.setattr(views, "today", lambda: dt.date(2020, 9, 30))
    client.force_login(cast.leader)
    html = client.get(reverse("targets:resolution", args=[resolution.pk])).content.decode()
    assert projection(html, count) is None and count.text in html
