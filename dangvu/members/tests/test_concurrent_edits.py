"""Issue 16 item 3: two offices open the same member record; the second save must not undo the first.

The edit form carries the version it was opened on (dangvu.lib.versions); a save that would write a field
changed since is refused (409, nothing written) with the changes listed in Vietnamese (field: value when
opened → value now), and the form comes back with the current version and the other office's values in
the fields this user had left alone."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dangvu.lib import versions
from dangvu.members import services
from dangvu.members.models import EventKind, Member

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened(client, member) -> dict:
    """The form as the page gives it, ready to post (what the browser would send back)."""
    form = client.get(reverse("members:edit", args=[member.pk])).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["birth_date"] = form.initial["birth_date"].strftime("%d/%m/%Y")
    return data


def _save(client, member, data):
    return client.post(reverse("members:edit", args=[member.pk]), data)


def test_the_second_of_two_offices_is_refused_and_nothing_is_overwritten(cast, people):
    an = people["an"]
    first, second = _session(cast.office), _session(cast.admin)
    opened_first, opened_second = _opened(first, an), _opened(second, an)
    assert opened_first["version"] == opened_second["version"] == versions.current(an)

    response = _save(first, an, {**opened_first, "residence": "Phường Ninh Kiều, Cần Thơ", "reason": "Đơn 1"})
    assert response.status_code == 302
    an.refresh_from_db()
    histories = an.history.count()

    # The second office changes the religion on its (older) form, which still shows the old residence.
    response = _save(second, an, {**opened_second, "religion": "Phật giáo", "reason": "Đơn 2"})
    assert response.status_code == 409
    errors = response.context["form"].non_field_errors()
    assert "Người khác đã thay đổi hồ sơ này sau khi bạn mở nó; chưa có gì được lưu." in errors[0]
    assert "Nơi ở hiện nay: — → Phường Ninh Kiều, Cần Thơ" in errors[0]  # field: then → now
    assert errors[0] in response.content.decode()
    an.refresh_from_db()
    assert an.residence == "Phường Ninh Kiều, Cần Thơ" and an.religion == ""  # nothing overwritten or added
    assert an.history.count() == histories

    # The form comes back on the current version with the first office's residence and this one's religion:
    # saving it again keeps both.
    form = response.context["form"]
    assert form["version"].value() == str(versions.current(an))
    assert form["residence"].value() == "Phường Ninh Kiều, Cần Thơ" and form["religion"].value() == "Phật giáo"
    again = {name: form[name].value() or "" for name in form.fields}
    response = _save(second, an, again)
    assert response.status_code == 302
    an.refresh_from_db()
    assert (an.residence, an.religion) == ("Phường Ninh Kiều, Cần Thơ", "Phật giáo")
    assert an.history.latest().history_user == cast.admin


def test_both_changing_the_same_field_keeps_the_second_entry_for_review(cast, people):
    an = people["an"]
    first, second = _session(cast.office), _session(cast.admin)
    opened_first, opened_second = _opened(first, an), _opened(second, an)
    assert _save(first, an, {**opened_first, "occupation": "Kỹ sư", "reason": "x"}).status_code == 302
    response = _save(second, an, {**opened_second, "occupation": "Giáo viên", "reason": "y"})
    assert response.status_code == 409
    assert "Nghề nghiệp: — → Kỹ sư" in response.context["form"].non_field_errors()[0]
    assert response.context["form"]["occupation"].value() == "Giáo viên"  # their entry, to decide on
    an.refresh_from_db()
    assert an.occupation == "Kỹ sư"


def test_a_fresh_save_passes(cast, people):
    an = people["an"]
    office = _session(cast.office)
    response = _save(office, an, {**_opened(office, an), "residence": "Cái Răng", "reason": "x"})
    assert response.status_code == 302
    # A second edit opened after the first save is fresh too.
    response = _save(office, an, {**_opened(office, an), "residence": "Bình Thủy", "reason": "y"})
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.residence == "Bình Thủy"


def test_a_change_outside_the_form_meanwhile_does_not_block(cast, people):
    """An event recorded meanwhile makes a new version (the derived status), but the save writes none of
    the fields it changed: nothing can be undone, so it passes."""
    binh = people["binh"]
    office = _session(cast.office)
    opened = _opened(office, binh)
    services.record_event(binh, cast.admin, kind=EventKind.EXEMPTION, date=dt.date(2024, 3, 1))
    assert versions.current(binh) != opened["version"]
    assert _save(office, binh, {**opened, "home_town": "Vĩnh Long", "reason": "x"}).status_code == 302
    binh.refresh_from_db()
    assert binh.home_town == "Vĩnh Long" and binh.is_exempt


def test_a_version_of_another_record_or_none_is_refused(cast, people):
    an, binh = people["an"], people["binh"]
    office = _session(cast.office)
    opened = _opened(office, an)
    before = Member.history.count()
    response = _save(office, an, {**opened, "residence": "X", "reason": "x", "version": versions.current(binh)})
    assert response.status_code == 409
    assert "không còn là phiên bản bạn đã mở" in response.context["form"].non_field_errors()[0]
    response = _save(office, an, {**opened, "residence": "X", "reason": "x", "version": ""})
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert Member.history.count() == before
    an.refresh_from_db()
    assert an.residence == ""
