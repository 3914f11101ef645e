"""Issue 16 item 3 for the minutes: the cell secretary and the chair write the minutes of the same meeting;
a save based on an older version of the meeting never overwrites a text the other saved meanwhile (page:
409 with the changes listed in Vietnamese and the form on the current version; API: 409 with the changed
fields). A fresh save passes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dangvu.api.tests.conftest import ApiClient
from dangvu.lib import versions
from dangvu.meetings.models import Meeting
from dangvu.meetings.tests import test_views
from dangvu.meetings.tests.test_views import held

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]
world = test_views.world  # the C1 meeting chaired by Bình, who has a user account


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened(client, meeting) -> dict:
    form = client.get(reverse("meetings:detail", args=[meeting.pk])).context["minutes_form"]
    return {form.add_prefix(name): ("" if value is None else value) for name, value in form.initial.items()}


def _save(client, meeting, data):
    return client.post(reverse("meetings:minutes", args=[meeting.pk]), data)


def test_the_second_writer_is_refused_and_nothing_is_overwritten(cast, people, world):
    meeting = held(world["meeting"], [people["an"], people["binh"]])
    secretary, chair = _session(cast.secretary), _session(world["binh"])
    by_secretary, by_chair = _opened(secretary, meeting), _opened(chair, meeting)
    assert by_secretary["minutes-version"] == by_chair["minutes-version"] == versions.current(meeting)

    response = _save(secretary, meeting, {**by_secretary, "minutes-discussion": "Các đồng chí thống nhất."})
    assert response.status_code == 302
    histories = meeting.history.count()

    # The chair, on the older page, writes the conclusions; its form still has the empty discussion.
    response = _save(chair, meeting, {**by_chair, "minutes-conclusions": "Hoàn thành nhiệm vụ."})
    assert response.status_code == 409
    errors = response.context["minutes_form"].non_field_errors()
    assert "Người khác đã thay đổi hồ sơ này sau khi bạn mở nó; chưa có gì được lưu." in errors[0]
    assert "Ý kiến thảo luận: — → Các đồng chí thống nhất." in errors[0]
    assert errors[0] in response.content.decode()
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.discussion, meeting.conclusions) == ("Các đồng chí thống nhất.", "")
    assert meeting.history.count() == histories

    # The form comes back on the current version with the secretary's discussion and the chair's conclusions.
    form = response.context["minutes_form"]
    assert form["version"].value() == str(versions.current(meeting))
    assert form["discussion"].value() == "Các đồng chí thống nhất."
    assert form["conclusions"].value() == "Hoàn thành nhiệm vụ."
    again = {form.add_prefix(name): form[name].value() or "" for name in form.fields}
    assert _save(chair, meeting, again).status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.discussion, meeting.conclusions) == ("Các đồng chí thống nhất.", "Hoàn thành nhiệm vụ.")


def test_a_fresh_save_passes_twice(cast, people, world):
    meeting = held(world["meeting"], [people["an"]])
    secretary = _session(cast.secretary)
    assert _save(secretary, meeting, {**_opened(secretary, meeting), "minutes-discussion": "Một"}).status_code == 302
    assert _save(secretary, meeting, {**_opened(secretary, meeting), "minutes-discussion": "Hai"}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).discussion == "Hai"


def test_the_api_refuses_a_stale_text_with_409(client, cast, people, world):
    meeting = held(world["meeting"], [people["an"], people["binh"]])
    url = f"/meetings/{meeting.pk}"
    secretary, chair = ApiClient(client, cast.secretary), ApiClient(Client(), world["binh"])
    version = secretary.get(url).json()["version"]
    assert chair.get(url).json()["version"] == version == versions.current(meeting)

    first = secretary.post(f"{url}/minutes", {"version": version, "resolution_number": "07-NQ/CB"})
    assert first.status_code == 200 and first.json()["version"] > version
    response = chair.post(f"{url}/minutes", {"version": version, "resolution_number": "08-NQ/CB"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["version"] == versions.current(meeting)
    assert body["changes"] == [
        {"field": "resolution_number", "label": "Số nghị quyết", "based_on": "—", "current": "07-NQ/CB"}
    ]
    assert Meeting.objects.get(pk=meeting.pk).resolution_number == "07-NQ/CB"

    # A text the other did not change goes through on the older version; with the current one, any does.
    assert chair.post(f"{url}/minutes", {"version": version, "conclusions": "Thống nhất"}).status_code == 200
    fresh = chair.get(url).json()["version"]
    assert chair.post(f"{url}/minutes", {"version": fresh, "resolution_number": "08-NQ/CB"}).status_code == 200
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.resolution_number, meeting.conclusions) == ("08-NQ/CB", "Thống nhất")
    missing = chair.post(f"{url}/minutes", {"conclusions": "Không có phiên bản"})
    assert missing.status_code == 422 and Meeting.objects.get(pk=meeting.pk).conclusions == "Thống nhất"
