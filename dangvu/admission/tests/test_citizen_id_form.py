"""The admission file's citizen ID (dangvu.members.citizen_id): the create form refuses a wrong province,
sex/century digit or year digits beside the field and writes nothing; the member record made at the
ceremony copies the ID checked when the file was opened. An impossible date gets "no such date"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.admission import services
from dangvu.admission.models import Candidate, CandidateStep, Stage
from dangvu.admission.tests.test_pipeline import open_candidate, spaced, walk
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db

CREATE = reverse("admission:create")


def _post(cell, **overrides) -> dict:
    data = {
        "full_name": "Trương Thị Mới",
        "sex": "F",
        "birth_date": "12/04/1999",
        "ethnicity": "Kinh",
        "citizen_id": "092199000111",  # a woman born in 1999
        "cell": cell.pk,
        "date": (timezone.localdate() - dt.timedelta(days=3)).strftime("%d/%m/%Y"),
        "document_number": "02-DS/CB",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("000199000111", "không phải mã tỉnh"),
        ("097199000111", "không phải mã tỉnh"),
        ("092099000111", "giới tính đã nhập là nữ"),
        ("092399000111", "sinh trong các năm 2000–2099"),
        ("092198000111", "hai số cuối của năm sinh"),
        ("092100000111", "hai số cuối của năm sinh"),
    ],
)
def test_create_form_refuses_a_wrong_id_beside_the_field(client, cast, tree, number, words):
    client.force_login(cast.office)
    response = client.post(CREATE, _post(tree.c1, citizen_id=number))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["citizen_id"] and any(words in m for m in errors["citizen_id"])
    assert not Candidate.objects.exists() and not CandidateStep.objects.exists()


def test_create_form_accepts_the_valid_id(client, cast, tree):
    client.force_login(cast.office)
    assert client.post(CREATE, _post(tree.c1)).status_code == 302
    assert Candidate.objects.get().citizen_id == "092199000111"


def test_create_form_says_no_such_date(client, cast, tree):
    client.force_login(cast.office)
    response = client.post(CREATE, _post(tree.c1, birth_date="30/02/1999"))
    assert response.context["form"].errors["birth_date"] == ["Không có ngày này: tháng 2/1999 chỉ có 28 ngày."]
    assert not Candidate.objects.exists()


def test_service_checks_a_changed_sex_but_not_an_unchanged_old_id(tree, cast):
    fields = {"full_name": "Võ Thị Ứng Viên", "sex": "F", "birth_date": dt.date(1998, 4, 12)}
    fields["citizen_id"] = testing.new_citizen_id("F", fields["birth_date"])
    candidate = services.create_candidate(fields, tree.c1, cast.office, date=dt.date(2023, 2, 1))
    with pytest.raises(DomainError) as refused:
        services.update_candidate(candidate, {"sex": "M"}, cast.office)
    assert list(refused.value.error_dict) == ["citizen_id"]
    Candidate.objects.filter(pk=candidate.pk).update(citizen_id="000000000002")  # kept from before the check
    candidate.refresh_from_db()
    services.update_candidate(candidate, {"occupation": "Giáo viên"}, cast.office)
    assert Candidate.objects.get(pk=candidate.pk).occupation == "Giáo viên"


def test_the_ceremony_copies_an_id_kept_from_before_the_check(tree, cast):
    """A file opened before the layout was checked still becomes a member record: the ceremony copies the
    identity and does not judge it again (as for the age, judged at the cell resolution)."""
    candidate = open_candidate(tree.c1, cast.office)
    Candidate.objects.filter(pk=candidate.pk).update(citizen_id="000000000003")
    candidate.refresh_from_db()
    dates = spaced(dt.date(2023, 2, 1), Stage.CEREMONY)
    walk(candidate, cast.office, dates)
    candidate.refresh_from_db()
    assert candidate.member is not None and candidate.member.citizen_id == "000000000003"
