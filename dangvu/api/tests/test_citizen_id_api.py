"""The citizen ID's layout on the API (dangvu.members.citizen_id): PATCH /members/{id} and POST /candidates
refuse a wrong province, sex/century digit or year digits with 422 `refused`, the message on the field
`citizen_id` (Vietnamese by default), and write nothing; a valid ID passes."""

import datetime as dt

import pytest

from dangvu import testing
from dangvu.admission.models import Candidate
from dangvu.lib import versions
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db

# For a man born on 05/05/1985 (the people fixture's An): each wrong ID and the words its message says.
AN_BIRTH = dt.date(1985, 5, 5)
WRONG_FOR_AN = {
    "province": ("003085000777", "không phải mã tỉnh"),
    "sex digit": ("092185000777", "giới tính đã nhập là nam"),
    "century": ("092285000777", "sinh trong các năm 2000–2099"),
    "year digits": ("092086000777", "hai số cuối của năm sinh"),
}


def _refused_on_citizen_id(response, words: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "refused"
    rows = [e for e in body["errors"] if e["field"] == "citizen_id"]
    assert rows and any(words in e["message"] for e in rows), body


@pytest.mark.parametrize("case", WRONG_FOR_AN)
def test_patch_refuses_a_wrong_citizen_id(api, cast, people, case):
    number, words = WRONG_FOR_AN[case]
    an = people["an"]
    response = api(cast.office).patch(
        f"/members/{an.pk}", {"version": versions.current(an), "reason": "x", "citizen_id": number}
    )
    _refused_on_citizen_id(response, words)
    assert Member.objects.get(pk=an.pk).citizen_id == an.citizen_id


def test_patch_accepts_a_valid_id_and_checks_a_changed_sex_or_birth_date(api, cast, people):
    an = people["an"]
    office = api(cast.office)
    good = testing.new_citizen_id("M", AN_BIRTH, province="079")
    response = office.patch(f"/members/{an.pk}", {"version": versions.current(an), "reason": "x", "citizen_id": good})
    assert response.status_code == 200 and response.json()["citizen_id"] == good
    an.refresh_from_db()
    _refused_on_citizen_id(
        office.patch(f"/members/{an.pk}", {"version": versions.current(an), "reason": "x", "sex": "F"}),
        "giới tính đã nhập là nữ",
    )
    _refused_on_citizen_id(
        office.patch(f"/members/{an.pk}", {"version": versions.current(an), "reason": "x", "birth_date": "1984-05-05"}),
        "hai số cuối của năm sinh",
    )
    an.refresh_from_db()
    assert (an.citizen_id, an.sex, an.birth_date) == (good, "M", AN_BIRTH)


def _candidate(cell, **overrides) -> dict:
    data = {
        "organisation_id": cell.pk,
        "full_name": "Võ Thị Ứng Viên",
        "sex": "F",
        "birth_date": "2001-04-12",
        "citizen_id": "092301000555",  # a woman born in 2001
        "date": "2024-05-02",
        "document_number": "3-DS/CB",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("099301000555", "không phải mã tỉnh"),
        ("092201000555", "giới tính đã nhập là nữ"),
        ("092101000555", "sinh trong các năm 1900–1999"),
        ("092300000555", "hai số cuối của năm sinh"),
        ("092302000555", "hai số cuối của năm sinh"),
    ],
)
def test_candidates_post_refuses_a_wrong_citizen_id(api, cast, tree, number, words):
    _refused_on_citizen_id(api(cast.office).post("/candidates", _candidate(tree.c1, citizen_id=number)), words)
    assert not Candidate.objects.exists()


def test_candidates_post_accepts_a_valid_id(api, cast, tree):
    response = api(cast.office).post("/candidates", _candidate(tree.c1))
    assert response.status_code == 201, response.content
    assert Candidate.objects.get().citizen_id == "092301000555"


def test_english_caller_gets_the_message_in_english(api, cast, people, client):
    an = people["an"]
    client.cookies["django_language"] = "en"
    response = api(cast.office).patch(
        f"/members/{an.pk}", {"version": versions.current(an), "reason": "x", "citizen_id": "003085000777"}
    )
    assert response.status_code == 422
    assert "not a province code" in response.json()["errors"][0]["message"]
