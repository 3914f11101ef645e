"""The inspection committee's forms: a programme, an inspection or supervision with subjects and team, the
conclusion and remediation to closure — allowed and denied per role, errors in Vietnamese beside their
fields with nothing written, confirmation before the irreversible steps, and the audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from dangvu.inspection import services
from dangvu.inspection.models import Activity, Programme, Remediation, Subject
from dangvu.inspection.tests.conftest import inspect

pytestmark = pytest.mark.django_db
MANAGERS = {"inspector", "admin"}


def login(client, user):
    client.force_login(user)
    return client


def field_error(page: str, field: str) -> str:
    """The text of the errors shown right after a field's widget (dangvu.web.forms.Renderer)."""
    match = re.search(rf'<ul[^>]*id="id_{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    assert match, f"no error beside {field}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def programme(tree, cast):
    return services.create_programme(
        organisation=tree.a,
        organ="inspection",
        year=2024,
        title="Chương trình kiểm tra, giám sát năm 2024",
        approved_on=dt.date(2024, 1, 10),
        actor=cast.inspector,
    )


@pytest.fixture
def activity(tree, cast):
    return inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector, title="Kiểm tra dấu hiệu A1")


def test_forms_per_role(client, cast, activity):
    for name, user in cast.all().items():
        login(client, user)
        new = client.get(reverse("inspection:new"))
        new_programme = client.get(reverse("inspection:new_programme"))
        page = client.get(reverse("inspection:activity", args=[activity.pk]))
        if name in MANAGERS:
            assert (new.status_code, new_programme.status_code) == (200, 200), name
            assert 'id="conclusion-form"' in page.content.decode(), name
        else:
            assert (new.status_code, new_programme.status_code) == (403, 403), name
            if page.status_code == 200:  # office and leaders see it, without the forms
                assert name in {"office", "leader"} and 'id="conclusion-form"' not in page.content.decode()
        posted = client.post(reverse("inspection:team", args=[activity.pk]), {"team": "Tổ trưởng: Lê Văn Tổ"})
        if name not in MANAGERS:
            assert posted.status_code in (403, 404), name
    assert Activity.objects.get().team == "Tổ trưởng: Lê Văn Tổ"
    # The outsider holds no inspection role; an inspector of B would get 404: B's inspector below.


def test_out_of_scope_inspector_gets_404(client, tree, cast, activity):
    from dangvu import testing
    from dangvu.accounts.models import Role

    other = testing.user("inspector_b", Role.INSPECTION, tree.b)
    login(client, other)
    assert client.get(reverse("inspection:activity", args=[activity.pk])).status_code == 404
    response = client.post(reverse("inspection:team", args=[activity.pk]), {"team": "X"})
    assert response.status_code == 404 and Activity.objects.get().team != "X"
    page = client.get(reverse("inspection:new")).content.decode()
    assert tree.a_base.name not in page  # subjects of A are not offered to B's inspector


def test_programme_through_the_page(client, tree, cast):
    login(client, cast.inspector)
    url = reverse("inspection:new_programme")
    data = {"organisation": tree.a.pk, "organ": "inspection", "year": "2025", "title": "", "approved_on": "31/02/2025"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 422 and not Programme.objects.exists()
    assert field_error(page, "title") and field_error(page, "approved_on")
    data.update(title="Chương trình kiểm tra, giám sát năm 2025", approved_on="10/01/2025")
    response = client.post(url, data)
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection:programme", args=[programme.pk])
    assert programme.history.get().history_user == cast.inspector
    again = client.post(url, data)  # the same body and year twice: refused beside the year
    assert again.status_code == 422 and "chương trình" in field_error(again.content.decode(), "year").lower()
    assert Programme.objects.count() == 1
    assert "Chương trình kiểm tra, giám sát năm 2025" in client.get(response["Location"]).content.decode()


def test_activity_through_the_page(client, tree, people, cast, programme):
    login(client, cast.inspector)
    url = reverse("inspection:new")
    data = {
        "organisation": tree.a.pk,
        "organ": "inspection",
        "kind": "supervision",
        "mode": "signs",
        "programme": "",
        "title": "Giám sát việc thực hiện quy chế làm việc",
        "decision_number": "15-QĐ/UBKT",
        "decided_on": "20/02/2024",
        "start": "01/03/2024",
        "end": "20/03/2024",
        "team": "Trưởng đoàn: Nguyễn Văn Kiểm",
        "organisations": [tree.a_base.pk],
        "members": [people["duc"].pk],
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 422 and not Activity.objects.exists()
    assert "giám sát" in field_error(page, "mode").lower()  # a supervision is regular or thematic
    data.update(mode="thematic", programme=programme.pk, end="20/02/2024")
    response = client.post(url, data)
    assert response.status_code == 422 and field_error(response.content.decode(), "end")
    data.update(end="20/03/2024", organisations=[tree.b_base.pk])  # outside the inspector's scope: not offered
    response = client.post(url, data)
    assert response.status_code == 422 and field_error(response.content.decode(), "organisations")
    assert not Activity.objects.exists()
    data.update(organisations=[tree.a_base.pk])
    response = client.post(url, data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection:activity", args=[activity.pk])
    assert (activity.kind, activity.mode, activity.programme, activity.decision_number) == (
        "supervision",
        "thematic",
        programme,
        "15-QĐ/UBKT",
    )
    assert {(s.organisation.code, s.member_id) for s in activity.subjects.all()} == {
        ("A1", None),
        ("A1-C2", people["duc"].pk),
    }
    # The form opened from a programme names it.
    page = client.get(url + f"?programme={programme.pk}").content.decode()
    assert re.search(rf'<option value="{programme.pk}" selected', page)


def test_subjects_and_team(client, tree, people, cast, activity):
    login(client, cast.inspector)
    url = reverse("inspection:subjects", args=[activity.pk])
    response = client.post(url, {"organisations": [tree.a_base.pk]})
    assert response.status_code == 422 and "đã là" in field_error(response.content.decode(), "organisations")
    response = client.post(url, {"organisations": [tree.a_cell_base.pk], "members": [people["binh"].pk]})
    assert response.status_code == 302
    assert Subject.objects.filter(activity=activity).count() == 3
    response = client.post(reverse("inspection:team", args=[activity.pk]), {"team": "Thành viên: Hồ Văn Tổ"})
    assert response.status_code == 302 and Activity.objects.get().team == "Thành viên: Hồ Văn Tổ"


def test_conclusion_asks_for_confirmation_and_is_final(client, cast, activity):
    login(client, cast.inspector)
    url = reverse("inspection:conclude", args=[activity.pk])
    data = {
        "concluded_on": "25/03/2024",
        "conclusion_number": "10-KL/UBKT",
        "conclusion": "Có vi phạm nhưng chưa đến mức xử lý kỷ luật.",
    }
    asked = client.post(url, data)
    assert asked.status_code == 409 and 'name="confirmed" value="conclude_inspection"' in asked.content.decode()
    assert Activity.objects.get().concluded_on is None
    early = client.post(url, {**data, "concluded_on": "05/03/2024", "confirmed": "conclude_inspection"})
    assert early.status_code == 422 and field_error(early.content.decode(), "concluded_on")
    assert Activity.objects.get().concluded_on is None
    done = client.post(url, {**data, "confirmed": "conclude_inspection"})
    concluded = Activity.objects.get()
    assert done.status_code == 302 and concluded.concluded_on == dt.date(2024, 3, 25)
    assert concluded.history.first().history_change_reason == "concluded"
    page = client.get(reverse("inspection:activity", args=[activity.pk])).content.decode()
    assert 'id="conclusion-form"' not in page and 'id="team-form"' not in page and "10-KL/UBKT" in page
    again = client.post(url, {**data, "confirmed": "conclude_inspection"})
    assert again.status_code == 422 and Activity.objects.get().conclusion_number == "10-KL/UBKT"


def test_remediation_added_and_closed_with_evidence(client, cast, activity):
    login(client, cast.inspector)
    add = reverse("inspection:add_remediation", args=[activity.pk])
    response = client.post(add, {"description": "Khắc phục thu chi quỹ", "owner": "", "deadline": "01/01/2020"})
    page = response.content.decode()
    assert response.status_code == 422 and field_error(page, "owner")
    response = client.post(
        add, {"description": "Khắc phục thu chi quỹ", "owner": "Đảng ủy A1", "deadline": "01/01/2020"}
    )
    assert response.status_code == 422 and "trước" in field_error(response.content.decode(), "deadline")
    assert not Remediation.objects.exists()
    response = client.post(
        add, {"description": "Khắc phục thu chi quỹ", "owner": "Đảng ủy A1", "deadline": "30/06/2024"}
    )
    item = Remediation.objects.get()
    assert response.status_code == 302 and item.deadline == dt.date(2024, 6, 30)
    close = reverse("inspection:close_remediation", args=[activity.pk, item.pk])
    prefix = f"close{item.pk}"
    asked = client.post(close, {f"{prefix}-closed_on": "20/06/2024", f"{prefix}-evidence": "Biên bản kiểm tra lại"})
    assert asked.status_code == 409 and Remediation.objects.get().closed_on is None
    missing = client.post(close, {f"{prefix}-closed_on": "20/06/2024", "confirmed": "close_remediation"})
    assert missing.status_code == 422 and field_error(missing.content.decode(), f"{prefix}-evidence")
    done = client.post(
        close,
        {
            f"{prefix}-closed_on": "20/06/2024",
            f"{prefix}-evidence": "Biên bản kiểm tra lại",
            "confirmed": "close_remediation",
        },
    )
    item.refresh_from_db()
    assert done.status_code == 302 and (item.closed_on, item.evidence) == (
        dt.date(2024, 6, 20),
        "Biên bản kiểm tra lại",
    )
    assert item.history.first().history_user == cast.inspector
    page = client.get(reverse("inspection:activity", args=[activity.pk])).content.decode()
    assert "Biên bản kiểm tra lại" in page and f'id="close-form-{item.pk}"' not in page
    # Another activity's item is not reachable through this one.
    other = inspect(activity.organisation, [activity.subjects.get().organisation], dt.date(2024, 5, 1), cast.inspector)
    response = client.post(
        reverse("inspection:close_remediation", args=[other.pk, item.pk]), {"confirmed": "close_remediation"}
    )
    assert response.status_code == 404
