"""The page that reads targets from the text (issue 13 item 9): the office pastes seed 003's section, sees the
proposals with what was not read, corrects one, leaves one out and confirms: the targets are added through
the services; a refused proposal adds none and is shown beside its fields; others may not use the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.targets.models import Target
from dangvu.targets.tests.test_parser import SEED_003

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(tree, cast, terms):  # noqa: F811
    return register.register(entry(tree.a, date=dt.date(2025, 10, 20), title="Nghị quyết Đại hội"), cast.office)


def _read(client, user, resolution, text=SEED_003):
    client.force_login(user)
    return client.post(reverse("targets:read", args=[resolution.pk]), {"text": text})


def _confirm_data(response) -> dict:
    formset = response.context["formset"]
    data = {"text": SEED_003}
    for key, value in formset.management_form.initial.items():
        data[f"p-{key}"] = value
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if value is None or value is False:
                continue
            data[f"p-{i}-{name}"] = "on" if value is True else str(value)
    return data


def test_read_correct_and_confirm(client, cast, resolution):
    page = _read(client, cast.office, resolution)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2. Chỉ tiêu cụ thể" in html  # said not read
    assert len(page.context["formset"].forms) == 12
    data = _confirm_data(page)
    data["p-11-threshold"] = "80"  # (8) corrected: 80% of the masses
    del data["p-5-include"]  # (4) the qualitative one left out
    response = client.post(reverse("targets:confirm", args=[resolution.pk]), data)
    assert response.status_code == 302
    targets = list(Target.objects.filter(resolution=resolution).order_by("position"))
    assert [t.position for t in targets] == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
    admissions = targets[5]
    assert (admissions.kind, admissions.threshold, admissions.indicator) == ("count", 30, "admission.admissions")
    assert targets[-1].threshold == 80 and targets[-1].recorded_by == cast.office
    assert targets[2].history.first().history_user == cast.office  # audited


def test_a_refused_proposal_adds_none(client, cast, resolution):
    data = _confirm_data(_read(client, cast.office, resolution))
    data["p-6-threshold"] = ""  # (5) without its figure
    response = client.post(reverse("targets:confirm", args=[resolution.pk]), data)
    assert response.status_code == 200
    assert not Target.objects.filter(resolution=resolution).exists()
    assert response.context["formset"].forms[6].errors["threshold"] == ["Hãy nhập mức chỉ tiêu."]
    assert 'id="id_p-6-threshold_error"' in response.content.decode()  # beside the field


def test_who_may_read(client, cast, resolution):
    url = reverse("targets:read", args=[resolution.pk])
    client.force_login(cast.office)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("targets:resolution", args=[resolution.pk])).content.decode()
    client.force_login(cast.leader)
    assert client.get(url).status_code == 403
    assert client.post(reverse("targets:confirm", args=[resolution.pk]), {}).status_code == 403
    for name in ("secretary", "outsider"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 404, name
