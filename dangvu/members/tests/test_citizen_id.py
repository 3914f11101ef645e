"""The citizen ID's layout (Thông tư 07/2016/TT-BCA, amended by 59/2021/TT-BCA; dangvu.members.citizen_id):
the province code, the sex/century digit and the year digits, checked against the sex and date of birth
entered, on the member forms (beside the field); the synthetic IDs of the tests and the demo follow it; and
an impossible date typed in a date field is called so, not a format error."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import translation

from dangvu import testing
from dangvu.demo import names
from dangvu.members import citizen_id
from dangvu.members.models import Member, MemberEvent

pytestmark = pytest.mark.django_db

CREATE = reverse("members:create")
WOMAN_1995 = ("F", dt.date(1995, 9, 12))
VALID = "092195000123"  # Cần Thơ, a woman born in the 1900s, 95, serial

# Each wrong ID for a woman born on 12/09/1995, with the Vietnamese words its message must say.
WRONG = {
    "province": ("003195000123", "không phải mã tỉnh"),
    "province past the last code": ("097195000123", "không phải mã tỉnh"),
    "sex digit": ("092095000123", "giới tính đã nhập là nữ"),
    "century": ("092395000123", "sinh trong các năm 2000–2099"),
    "year digits below": ("092194000123", "hai số cuối của năm sinh"),
    "year digits above": ("092196000123", "hai số cuối của năm sinh"),
}


def problems(value, sex="F", birth=WOMAN_1995[1]):
    with translation.override("en"):
        return citizen_id.problems(value, sex=sex, birth_date=birth)


# --- the layout --------------------------------------------------------------------------------------


def test_the_63_province_codes_and_nothing_else():
    assert len(citizen_id.PROVINCES) == 63
    for number in range(1000):
        code = f"{number:03d}"
        found = problems(f"{code}195000123")
        assert (found == []) == (code in citizen_id.PROVINCES), code
    assert citizen_id.PROVINCES["001"] == "Hà Nội" and citizen_id.PROVINCES["096"] == "Cà Mau"


def test_sex_digit_agrees_with_the_sex():
    assert problems("092195000123", sex="F") == []
    assert problems("092095000123", sex="M", birth=dt.date(1995, 1, 1)) == []
    [woman_as_man] = problems("092195000123", sex="M")
    assert "is for a woman" in woman_as_man and "(1)" in woman_as_man and "male" in woman_as_man
    [man_as_woman] = problems("092095000123", sex="F")
    assert "is for a man" in man_as_woman and "female" in man_as_woman


@pytest.mark.parametrize(
    ("birth", "good", "bad"),
    [
        (dt.date(1999, 12, 31), "0921", "0923"),  # last day of the 1900s: 0/1, not 2/3
        (dt.date(2000, 1, 1), "0923", "0921"),  # first day of the 2000s: 2/3, not 0/1
        (dt.date(1900, 1, 1), "0921", "0923"),
    ],
)
def test_century_digit_on_both_sides_of_2000(birth, good, bad):
    yy = f"{birth.year % 100:02d}"
    assert problems(f"{good}{yy}000001", birth=birth) == []
    [wrong] = problems(f"{bad}{yy}000001", birth=birth)
    assert "is for someone born in" in wrong and str(birth.year) in wrong


def test_year_digits_agree_with_the_year_of_birth():
    birth = dt.date(1995, 9, 12)
    assert problems("092195000123", birth=birth) == []
    for other in (birth.year - 1, birth.year + 1):
        [wrong] = problems(f"0921{other % 100:02d}000123", birth=birth)
        assert "Digits 5–6" in wrong and f"({other % 100:02d})" in wrong and "1995" in wrong


def test_everything_wrong_is_said_at_once_and_a_short_id_only_once():
    assert len(problems("003395000123", sex="M", birth=dt.date(1994, 1, 1))) == 4  # province, sex, century, year
    assert problems("09219500012") == ["Citizen ID must have exactly 12 digits."]
    assert problems("09219500012a") == ["Citizen ID must have exactly 12 digits."]


def test_without_sex_or_date_only_the_province_is_checked():
    assert citizen_id.problems("092395000123", sex=None, birth_date=None) == []
    assert len(citizen_id.problems("003395000123", sex=None, birth_date=None)) == 1


def test_compose_and_the_test_helper_give_valid_unique_ids():
    assert citizen_id.compose("092", "F", dt.date(1995, 9, 12), 123) == VALID
    assert citizen_id.compose("001", "M", dt.date(2003, 1, 1), 7) == "001203000007"
    with pytest.raises(ValueError):
        citizen_id.compose("003", "M", dt.date(2003, 1, 1), 7)
    made = set()
    for sex in ("M", "F"):
        for birth in (dt.date(1950, 1, 1), dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2010, 6, 6)):
            for province in ("001", "079", "092", "096"):
                number = testing.new_citizen_id(sex, birth, province=province)
                assert problems(number, sex=sex, birth=birth) == [] and number.startswith(province)
                made.add(number)
    assert len(made) == 2 * 4 * 4


def test_demo_people_have_valid_citizen_ids():
    rng, ids = random.Random(7), names.CitizenIds()
    people = [names.person(rng, ids, names.CAN_THO, birth_from=1940, birth_to=2007) for _ in range(2000)]
    assert all(problems(p.citizen_id, sex=p.sex, birth=p.birth_date) == [] for p in people)
    assert len({p.citizen_id for p in people}) == len(people)


# --- the member forms --------------------------------------------------------------------------------


def _create_data(tree, **extra):
    data = {
        "full_name": "Huỳnh Thị Mới",
        "sex": "F",
        "birth_date": "12/09/1995",
        "ethnicity": "Kinh",
        "citizen_id": VALID,
        "admission_date": "03/02/2023",
        "admission_document_number": "88-QĐ/ĐU",
        "cell": tree.c2.pk,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("case", WRONG)
def test_create_form_refuses_a_wrong_id_beside_the_field(client, cast, tree, case):
    number, words = WRONG[case]
    client.force_login(cast.office)
    before = (Member.objects.count(), MemberEvent.objects.count())
    response = client.post(CREATE, _create_data(tree, citizen_id=number))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["citizen_id"] and any(words in m for m in form.errors["citizen_id"])
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_create_form_accepts_the_valid_id(client, cast, tree):
    client.force_login(cast.office)
    response = client.post(CREATE, _create_data(tree))
    assert response.status_code == 302 and Member.objects.filter(citizen_id=VALID).exists()


def test_create_form_shows_the_id_problem_with_the_other_errors(client, cast, tree):
    client.force_login(cast.office)
    response = client.post(CREATE, _create_data(tree, citizen_id=WRONG["sex digit"][0], admission_date="x"))
    assert {"citizen_id", "admission_date"} <= set(response.context["form"].errors)


def _edit_data(client, member, **changes):
    form = client.get(reverse("members:edit", args=[member.pk])).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["birth_date"] = member.birth_date.strftime("%d/%m/%Y")
    data.update(reason="Quyết định 12-QĐ/ĐU", **changes)
    return data


def test_edit_form_checks_the_id_when_the_id_sex_or_birth_date_changes(client, cast, people):
    an = people["an"]  # a man born on 05/05/1985, with a valid ID
    client.force_login(cast.office)
    url = reverse("members:edit", args=[an.pk])
    good = testing.new_citizen_id("M", an.birth_date, province="001")
    for changes, words in (
        ({"citizen_id": f"003{good[3:]}"}, "không phải mã tỉnh"),
        ({"sex": "F"}, "giới tính đã nhập là nữ"),
        ({"birth_date": "05/05/1986"}, "hai số cuối của năm sinh"),
    ):
        response = client.post(url, _edit_data(client, an, **changes))
        assert response.status_code == 200, changes
        assert any(words in m for m in response.context["form"].errors["citizen_id"]), changes
    stored = Member.objects.get(pk=an.pk)
    assert (stored.citizen_id, stored.sex, stored.birth_date) == (an.citizen_id, an.sex, an.birth_date)
    assert client.post(url, _edit_data(client, an, citizen_id=good)).status_code == 302
    assert Member.objects.get(pk=an.pk).citizen_id == good


def test_an_id_stored_before_the_check_does_not_block_another_correction(client, cast, people):
    an = people["an"]
    Member.objects.filter(pk=an.pk).update(citizen_id="000000000001")  # a record kept from before
    an.refresh_from_db()
    client.force_login(cast.office)
    response = client.post(reverse("members:edit", args=[an.pk]), _edit_data(client, an, residence="Ninh Kiều"))
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.residence == "Ninh Kiều" and an.citizen_id == "000000000001"


# --- an impossible date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/1990", "Không có ngày này: tháng 2/1990 chỉ có 28 ngày."),
        ("29/02/1991", "Không có ngày này: tháng 2/1991 chỉ có 28 ngày."),
        ("31/04/1990", "Không có ngày này: tháng 4/1990 chỉ có 30 ngày."),
        ("12/13/1990", "Không có ngày này: một năm chỉ có 12 tháng."),
    ],
)
def test_an_impossible_date_is_called_so(client, cast, tree, typed, words):
    client.force_login(cast.office)
    response = client.post(CREATE, _create_data(tree, birth_date=typed))
    assert response.context["form"].errors["birth_date"] == [words]


def test_a_real_leap_day_and_a_shapeless_date(client, cast, tree):
    client.force_login(cast.office)
    leap = "29/02/1992"
    number = testing.new_citizen_id("F", dt.date(1992, 2, 29))
    assert client.post(CREATE, _create_data(tree, birth_date=leap, citizen_id=number)).status_code == 302
    response = client.post(CREATE, _create_data(tree, birth_date="1990"))
    assert response.context["form"].errors["birth_date"] == ["Ghi ngày theo dạng dd/mm/yyyy."]
