import unicodedata

from dangvu.lib.dates import add_months, parse_vn_date
from dangvu.lib.text import fold, name_sort_key, nfc


def test_fold_removes_tones_marks_and_d_bar():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG THỊ Ửng") == "dang thi ung"


def test_fold_and_nfc_accept_nfd_input():
    nfd = unicodedata.normalize("NFD", "Nguyễn  Thị   Ánh ")
    assert nfc(nfd) == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", nfc(nfd))
    assert fold(nfd) == "nguyen thi anh"


def test_names_sort_by_given_name_in_vietnamese_order():
    names = [
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
    assert sorted(names, key=name_sort_key) == [
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


def test_sort_key_is_digits_only_and_equal_for_nfd():
    key = name_sort_key("Ngô Bảo Châu")
    assert key.isdigit()
    assert key == name_sort_key(unicodedata.normalize("NFD", "Ngô Bảo Châu"))


def test_tones_order_ngang_huyen_hoi_nga_sac_nang():
    names = ["Lê Mạ", "Lê Má", "Lê Mã", "Lê Mả", "Lê Mà", "Lê Ma"]
    assert sorted(names, key=name_sort_key) == ["Lê Ma", "Lê Mà", "Lê Mả", "Lê Mã", "Lê Má", "Lê Mạ"]


def test_dates():
    assert parse_vn_date("05/03/2024").isoformat() == "2024-03-05"
    assert parse_vn_date("5-3-2024").isoformat() == "2024-03-05"
    assert add_months(parse_vn_date("31/01/2024"), 1).isoformat() == "2024-02-29"


def test_counts_are_grouped_as_each_language_writes_them():
    """Issue 9 item 3: 2.459 in Vietnamese, 2,459 in English, for `grouped` and the templates' |intcomma."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    from dangvu.lib.text import grouped

    with translation.override("vi"):
        assert (grouped(2459), grouped(999), grouped(1234567), intcomma(2459)) == ("2.459", "999", "1.234.567", "2.459")
    with translation.override("en"):
        assert (grouped(2459), grouped(1234567), intcomma(33147)) == ("2,459", "1,234,567", "33,147")
