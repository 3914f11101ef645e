"""The search box (issue 9 item 5): words match word starts, the closest matches first, party card numbers
and citizen IDs (the latter only where the user may read them). Runs on SQLite and PostgreSQL."""

import unicodedata

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.scope import members_for
from dangvu.members.filters import MemberFilter
from dangvu.members.models import Member
from dangvu.members.search import SearchQuery

pytestmark = pytest.mark.django_db

# name -> expected place in the results of "le van an" sorted by name (None: must not match)
NAMES = {
    "Lê Văn An": 0,  # exact full name
    "Lê Thị Vân An": 1,  # given name An, then in name order (Lê Thị Vân, Lê Văn Thành, Trần Lê Văn)
    "Lê Văn Thành An": 2,
    "Trần Lê Văn An": 3,  # "le" starts a word in the middle
    "Lê Văn Anh": 4,  # "an" starts "Anh": matches, ranked after the given names
    "Lê Văn Ánh": 5,
    "Lê Văn Toàn": None,  # "an" only inside words
    "Lê Văn Bình": None,
    "Nguyễn Văn An": None,  # no word starting with "le"
}


def names(query: str, sort: str = "name", qs=None, user=None) -> list[str]:
    found = MemberFilter(q=query, sort=sort).apply(qs if qs is not None else Member.objects.all(), user=user)
    return list(found.values_list("full_name", flat=True))


@pytest.fixture
def crowd(tree):
    return {name: testing.member(tree.c1, name) for name in NAMES}


def test_words_match_word_starts_not_inside_words(crowd):
    found = names("le van an")
    assert set(found) == {n for n, place in NAMES.items() if place is not None}
    assert "Lê Văn Toàn" not in found and "Nguyễn Văn An" not in found
    # the case: the last word narrows the search ("an" is not matched inside "văn")
    assert len(names("le van an")) < len(names("le van"))
    # "an": no exact name; given name An first (in name order), then the names with a word starting "an"
    assert names("an") == [
        "Lê Thị Vân An",
        "Lê Văn An",
        "Lê Văn Thành An",
        "Nguyễn Văn An",
        "Trần Lê Văn An",
        "Lê Văn Anh",
        "Lê Văn Ánh",
    ]
    assert "Lê Văn Bình" not in names("an")
    assert names("toan") == ["Lê Văn Toàn"]
    assert names("oan") == []  # inside a word only


def test_closest_matches_first_exact_then_given_name_then_the_rest(crowd):
    expected = sorted((n for n, place in NAMES.items() if place is not None), key=NAMES.get)
    assert names("le van an") == expected
    # accents, case and a decomposed (NFD) query give the same ranking
    assert names("LÊ VĂN ÂN") == expected == names("Le  Van   An") == names(unicodedata.normalize("NFD", "Lê Văn An"))
    # reverse name order keeps the ranking groups, each reversed
    assert names("le van an", sort="-name") == [
        "Lê Văn An",
        "Trần Lê Văn An",
        "Lê Văn Thành An",
        "Lê Thị Vân An",
        "Lê Văn Ánh",
        "Lê Văn Anh",
    ]
    # another sort chosen by the user is kept as chosen (no ranking)
    assert set(names("le van an", sort="birth")) == set(expected)


def test_exact_full_name_with_other_names_is_exact(tree, crowd):
    ba = testing.member(tree.c1, "Lê Văn An", other_names="Ba")
    assert names("le van an")[:2] == ["Lê Văn An", "Lê Văn An"]
    assert names("ba") == ["Lê Văn An"]  # other names are searched too
    assert set(MemberFilter(q="le van an").apply(Member.objects.all())[:2].values_list("pk", flat=True)) == {
        crowd["Lê Văn An"].pk,
        ba.pk,
    }


def test_parse_reads_identifiers_and_words():
    assert SearchQuery.parse("090 123-456").identifier == "090123456"
    assert SearchQuery.parse("092.085.000.123").identifier == "092085000123"
    assert SearchQuery.parse("12345").identifier == ""  # too short for a card number
    assert SearchQuery.parse("Nguyễn, Văn  An!").words == ("nguyen", "van", "an")
    assert SearchQuery.parse("an an").words == ("an",)
    assert SearchQuery.parse("  ").empty


@pytest.fixture
def numbered(tree, cast):
    return {
        "card": testing.member(tree.c2, "Phan Thị Thẻ", card_number="090123456", citizen_id="092185000111", sex="F"),
        "other": testing.member(tree.c3, "Võ Văn Ngoài", card_number="090123457", citizen_id="092085000222"),
    }


def test_card_number_finds_the_member_in_scope(cast, numbered):
    for user in (cast.office, cast.inspector, cast.leader):
        scoped = MemberFilter(q="090 123 456").apply(members_for(user), user=user)
        assert list(scoped) == [numbered["card"]], user.username
    # outside the scope: nothing, even with the right number
    assert list(MemberFilter(q="090123456").apply(members_for(cast.outsider), user=cast.outsider)) == []
    assert names("09012345") == []  # a card number is matched whole


def test_citizen_id_only_for_roles_that_may_read_it(cast, numbered):
    number = numbered["card"].citizen_id
    for user in (cast.office, cast.admin):  # members.edit: they read citizen IDs on the record and in the API
        assert list(MemberFilter(q=number).apply(members_for(user), user=user)) == [numbered["card"]]
    for user in (cast.inspector, cast.leader):  # they see the member, not the citizen ID
        assert list(MemberFilter(q=number).apply(members_for(user), user=user)) == [], user.username
        assert list(MemberFilter(q=numbered["card"].card_number).apply(members_for(user), user=user))
    # without a user (no one to check), citizen IDs are never searched
    assert list(MemberFilter(q=number).apply(Member.objects.all())) == []
    # the outsider office may read citizen IDs, but only in its own subtree
    outsider = cast.outsider
    assert list(MemberFilter(q=number).apply(members_for(outsider), user=outsider)) == []
    theirs = numbered["other"].citizen_id
    assert list(MemberFilter(q=theirs).apply(members_for(outsider), user=outsider)) == [numbered["other"]]


def test_member_finds_own_record_by_own_citizen_id(cast, people):
    own = people["an"]
    assert list(MemberFilter(q=own.citizen_id).apply(members_for(cast.member), user=cast.member)) == [own]


def test_list_page_search_and_its_label(client, cast, numbered, people):
    client.force_login(cast.office)
    page = client.get(reverse("members:list"), {"q": numbered["card"].citizen_id})
    assert page.status_code == 200
    assert "Phan Thị Thẻ" in page.content.decode() and "Nguyễn Văn An" not in page.content.decode()
    assert "Họ tên, số thẻ đảng viên hoặc số CCCD" in page.content.decode()
    client.force_login(cast.leader)
    page = client.get(reverse("members:list"), {"q": numbered["card"].citizen_id})
    assert "Phan Thị Thẻ" not in page.content.decode()
    assert "Họ tên hoặc số thẻ đảng viên" in page.content.decode()
    page = client.get(reverse("members:list"), {"q": "090123456"})
    assert "Phan Thị Thẻ" in page.content.decode()
