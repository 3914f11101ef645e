"""Vietnamese sort and diacritic-free search in the database (run on SQLite and PostgreSQL)."""

import unicodedata

import pytest

from dangvu import testing
from dangvu.members.filters import MemberFilter
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db

NAMES = [
    "Võ Văn Bé",
    "Trần Thị Ánh",
    "Nguyễn Văn An",
    "Lê Thị Ân",
    "Phạm Ăn",
    "Hồ Anh",
    "Bùi Văn Đức",
    "Nguyễn Dũng",
    "Lê Anh",
]


@pytest.fixture
def named(tree):
    for name in NAMES:
        testing.member(tree.c1, name)


def test_database_sorts_by_given_name_in_vietnamese_order(named):
    rows = MemberFilter(sort="name").apply(Member.objects.all()).values_list("full_name", flat=True)
    assert list(rows) == [
        "Nguyễn Văn An",
        "Hồ Anh",
        "Lê Anh",
        "Trần Thị Ánh",
        "Phạm Ăn",
        "Lê Thị Ân",
        "Võ Văn Bé",
        "Nguyễn Dũng",
        "Bùi Văn Đức",
    ]
    reverse = MemberFilter(sort="-name").apply(Member.objects.all()).values_list("full_name", flat=True)
    assert list(reverse)[0] == "Bùi Văn Đức"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", ["Nguyễn Văn An"]),
        ("NGUYEN", ["Nguyễn Văn An", "Nguyễn Dũng"]),
        ("duc", ["Bùi Văn Đức"]),
        ("Đức", ["Bùi Văn Đức"]),
        (unicodedata.normalize("NFD", "Trần Thị Ánh"), ["Trần Thị Ánh"]),
        ("anh le", ["Lê Anh"]),
        ("zzz", []),
    ],
)
def test_search_ignores_diacritics_case_and_word_order(named, query, expected):
    rows = MemberFilter(q=query).apply(Member.objects.all()).values_list("full_name", flat=True)
    assert sorted(rows) == sorted(expected)


def test_nfd_input_is_stored_as_nfc(tree):
    m = testing.member(tree.c1, unicodedata.normalize("NFD", "Đặng Thị Hường"))
    m.refresh_from_db()
    assert m.full_name == "Đặng Thị Hường" and unicodedata.is_normalized("NFC", m.full_name)
    assert Member.objects.filter(full_name="Đặng Thị Hường").exists()


def test_filter_params_are_validated(tree, people):
    f = MemberFilter.from_params({"status": "nonsense", "sort": "drop table", "organisation": "x", "sex": "Q"})
    assert (f.status, f.sort, f.organisation_id, f.sex) == ("in_party", "name", None, "")
    by_org = MemberFilter.from_params({"organisation": str(tree.a_base.pk), "status": ""}).apply(Member.objects.all())
    assert sorted(by_org.values_list("full_name", flat=True)) == ["Lê Minh Đức", "Nguyễn Văn An", "Trần Thị Bình"]
