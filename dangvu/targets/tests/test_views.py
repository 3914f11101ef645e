"""The targets pages: who sees a resolution's targets and who records them (allowed and denied), a target
added through the page with its computed result and verdict shown, errors beside their fields with nothing
written, a result entered by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.targets.models import ManualValue, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(tree, cast, terms):  # noqa: F811
    return register.register(entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội"), cast.office)


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


TARGET = {
    "text": "Trong nhiệm kỳ, kết nạp 300 đảng viên mới.",
    "kind": "count",
    "threshold": "2",
    "period": "term",
    "subject": "members",
    "source": "indicator",
    "indicator": "admission.admissions",
}


def test_pages_per_role(client, cast, resolution):
    index, page = reverse("targets:index"), reverse("targets:resolution", args=[resolution.pk])
    for name in ("office", "leader", "inspector", "admin"):
        assert resolution.number in get(client, getattr(cast, name), index).content.decode(), name
        assert get(client, getattr(cast, name), page).status_code == 200, name
    assert 'id="target-form"' in get(client, cast.office, page).content.decode()
    assert 'id="target-form"' not in get(client, cast.leader, page).content.decode()
    for name in ("secretary", "outsider"):
        assert get(client, getattr(cast, name), page).status_code == 404, name
    for name in ("member", "nobody"):
        assert get(client, getattr(cast, name), index).status_code == 403, name
        assert get(client, getattr(cast, name), page).status_code == 404, name
    # The register's page of a resolution links to its targets.
    detail = get(client, cast.leader, reverse("docregister:detail", args=[resolution.pk])).content.decode()
    assert page in detail


def test_add_a_target_and_see_its_verdict(client, cast, tree, resolution):
    for year in (2021, 2022, 2023):
        testing.member(tree.c1, admitted=dt.date(year, 3, 1), official=False)
    url = reverse("targets:add", args=[resolution.pk])
    client.force_login(cast.leader)
    assert client.post(url, TARGET).status_code == 403
    client.force_login(cast.office)
    refused = client.post(url, {**TARGET, "threshold": ""})
    assert refused.status_code == 200 and refused.context["target_form"].errors["threshold"]
    assert not Target.objects.exists()
    response = client.post(url, TARGET)
    assert response.status_code == 302
    page = client.get(reverse("targets:resolution", args=[resolution.pk])).content.decode()
    assert "Trong nhiệm kỳ, kết nạp 300" in page and "150,0%" in page and "Vượt" in page
    records = reverse("targets:records", args=[Target.objects.get().pk, "2020-2025"])
    assert f'Đảng bộ các cơ quan A: <a href="{records}?part={tree.a.pk}">3</a>' in page  # to its records


def test_record_a_result_by_hand(client, cast, resolution):
    client.force_login(cast.office)
    client.post(
        reverse("targets:add", args=[resolution.pk]),
        {
            **TARGET,
            "kind": "floor",
            "threshold": "99",
            "period": "year",
            "subject": "staff",
            "source": "manual",
            "indicator": "",
        },
    )
    target = Target.objects.get()
    url = reverse("targets:value", args=[target.pk])
    prefix = f"t{target.pk}-"
    refused = client.post(url, {prefix + "year": "2022", prefix + "value": "98.6", prefix + "evidence": " "})
    assert refused.status_code == 200 and not ManualValue.objects.exists()
    data = {prefix + "year": "2022", prefix + "value": "98.6", prefix + "evidence": "Báo cáo 15-BC/ĐU"}
    client.force_login(cast.leader)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.office)
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("targets:resolution", args=[resolution.pk])).content.decode()
    assert "Báo cáo 15-BC/ĐU" in page and "Gần đạt" in page
