"""PATCH /members/{id} (issue 16 item 3): an update carries the `version` it was based on; one based on an
older version that would write a field changed since is refused with 409 and the changed fields, and
nothing is written."""

import pytest

from dangvu.lib import versions
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


def test_detail_gives_the_version_and_a_fresh_update_passes(api, cast, people):
    an = people["an"]
    office = api(cast.office)
    record = office.get(f"/members/{an.pk}").json()
    assert record["version"] == versions.current(an)
    response = office.patch(
        f"/members/{an.pk}", {"version": record["version"], "reason": "Đơn ngày 02/01/2025", "residence": "Cái Răng"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["residence"] == "Cái Răng" and body["version"] > record["version"]
    an.refresh_from_db()
    latest = an.history.latest()
    assert an.residence == "Cái Răng" and latest.history_user == cast.office
    assert latest.history_change_reason == "Đơn ngày 02/01/2025"


def test_two_clients_the_second_is_refused_with_409_and_nothing_is_overwritten(api, cast, people):
    an = people["an"]
    first, second = api(cast.office), api(cast.admin)
    version = first.get(f"/members/{an.pk}").json()["version"]
    assert second.get(f"/members/{an.pk}").json()["version"] == version

    response = first.patch(f"/members/{an.pk}", {"version": version, "reason": "a", "residence": "Ninh Kiều"})
    assert response.status_code == 200
    histories = Member.history.count()
    response = second.patch(
        f"/members/{an.pk}", {"version": version, "reason": "b", "residence": "Bình Thủy", "religion": "Phật giáo"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["version"] == versions.current(an)
    assert body["changes"] == [
        {"field": "residence", "label": "Nơi ở hiện nay", "based_on": "—", "current": "Ninh Kiều"}
    ]
    assert body["errors"] == [{"field": "residence", "message": "Nơi ở hiện nay: — → Ninh Kiều", "code": "changed"}]
    assert body["detail"].startswith("Người khác đã thay đổi hồ sơ này")
    an.refresh_from_db()
    assert (an.residence, an.religion) == ("Ninh Kiều", "") and Member.history.count() == histories

    # With the version read again, the second client's change goes through.
    fresh = second.get(f"/members/{an.pk}").json()["version"]
    response = second.patch(f"/members/{an.pk}", {"version": fresh, "reason": "b", "residence": "Bình Thủy"})
    assert response.status_code == 200
    an.refresh_from_db()
    assert an.residence == "Bình Thủy"


def test_a_stale_update_of_other_fields_overwrites_nothing_and_passes(api, cast, people):
    """Only the fields sent are written: when none of them changed since the version, nothing is undone."""
    an = people["an"]
    first, second = api(cast.office), api(cast.admin)
    version = first.get(f"/members/{an.pk}").json()["version"]
    response = first.patch(f"/members/{an.pk}", {"version": version, "reason": "a", "residence": "Ninh Kiều"})
    assert response.status_code == 200
    response = second.patch(f"/members/{an.pk}", {"version": version, "reason": "b", "religion": "Phật giáo"})
    assert response.status_code == 200
    an.refresh_from_db()
    assert (an.residence, an.religion) == ("Ninh Kiều", "Phật giáo")


def test_refusals(api, cast, people):
    an, binh = people["an"], people["binh"]
    version = versions.current(an)
    change = {"version": version, "reason": "x", "residence": "Y"}
    assert api(cast.secretary).patch(f"/members/{an.pk}", change).status_code == 403
    assert api(cast.member).patch(f"/members/{an.pk}", change).status_code == 403
    assert api(cast.outsider).patch(f"/members/{an.pk}", change).status_code == 404
    office = api(cast.office)
    missing = office.patch(f"/members/{an.pk}", {"reason": "x", "residence": "Y"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "version"
    other = office.patch(f"/members/{an.pk}", {**change, "version": versions.current(binh)})
    assert other.status_code == 409 and other.json()["changes"] == []
    used = office.patch(f"/members/{an.pk}", {"version": version, "reason": "x", "citizen_id": binh.citizen_id})
    assert used.status_code == 422 and used.json()["code"] == "refused"
    nothing = office.patch(f"/members/{an.pk}", {"version": version, "reason": "x"})
    assert nothing.status_code == 422
    an.refresh_from_db()
    assert an.residence == "" and an.citizen_id != binh.citizen_id


def test_the_409_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/members/{member_id}"]["patch"]["responses"]
    assert responses["409"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ConflictOut"
    conflict = schema["components"]["schemas"]["ConflictOut"]["properties"]
    assert {"detail", "code", "errors", "version", "changes"} <= set(conflict)
