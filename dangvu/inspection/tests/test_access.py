"""Who sees inspections and supervisions (pages, alerts): allowed and denied per role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.inspection import alerts, services
from dangvu.inspection.access import activities_for, programmes_for
from dangvu.inspection.tests.conftest import inspect

pytestmark = pytest.mark.django_db
SEE = {"admin", "office", "inspector", "leader"}


@pytest.fixture
def activity(tree, cast):
    activity = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector, title="Kiểm tra dấu hiệu A1")
    services.add_remediation(
        activity,
        description="Khắc phục thu chi quỹ",
        owner="Đảng ủy A1",
        deadline=dt.date(2024, 6, 1),
        actor=cast.inspector,
    )
    services.create_programme(
        organisation=tree.a,
        organ="inspection",
        year=2024,
        title="Chương trình 2024",
        approved_on=dt.date(2024, 1, 5),
        actor=cast.inspector,
    )
    return activity


def test_scope_per_role(cast, activity):
    for name, user in cast.all().items():
        expected = name in SEE
        assert activities_for(user).filter(pk=activity.pk).exists() is expected, name
        assert programmes_for(user).exists() is expected, name


def test_pages_per_role(client, cast, activity):
    for name, user in cast.all().items():
        client.force_login(user)
        index = client.get(reverse("inspection:index"))
        detail = client.get(reverse("inspection:activity", args=[activity.pk]))
        if name in SEE:
            assert index.status_code == 200 and "Kiểm tra dấu hiệu A1" in index.content.decode(), name
            assert detail.status_code == 200 and "Khắc phục thu chi quỹ" in detail.content.decode(), name
        elif name == "outsider":  # office of B: has the capability, not over A
            assert index.status_code == 200 and "Kiểm tra dấu hiệu A1" not in index.content.decode()
            assert detail.status_code == 404
        else:
            assert (index.status_code, detail.status_code) == (403, 403), name


def test_open_remediation_is_an_alert_until_closed(cast, activity):
    today = dt.date(2024, 5, 20)
    found = alerts.remediation(cast.inspector, today, today + dt.timedelta(days=30))
    assert [(a.subject, a.due, a.overdue) for a in found] == [("Đảng ủy A1", dt.date(2024, 6, 1), False)]
    assert alerts.remediation(cast.outsider, today, today + dt.timedelta(days=30)) == []
    assert alerts.remediation(cast.secretary, today, today + dt.timedelta(days=30)) == []
    item = activity.remediations.get()
    services.close_remediation(item, closed_on=dt.date(2024, 5, 30), evidence="Báo cáo khắc phục", actor=cast.inspector)
    assert alerts.remediation(cast.inspector, today, today + dt.timedelta(days=30)) == []
