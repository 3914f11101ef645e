"""Issue 16 item 10: text in TCVN3 (ABC) and VNI found and converted to Unicode; Unicode and plain text left
alone. The legacy strings below are written by hand from the encodings' code charts (TCVN 5712:1993 VN3 and
VNI Windows), not produced by the module's own tables."""

from __future__ import annotations

import unicodedata

import pytest

from dangvu.lib import legacy
from dangvu.lib.legacy import TCVN3, VNI, detect, is_syllable

SH = "\u00ad"  # TCVN3 ư: the soft hyphen's code

TCVN3_VALUES = [
    ("NguyÔn V¨n Hïng", "Nguyễn Văn Hùng"),
    (f"TrÇn ThÞ Thu H{SH}¬ng", "Trần Thị Thu Hương"),
    ("Lª ThÞ ¸nh TuyÕt", "Lê Thị ánh Tuyết"),  # a toned capital of the mixed-case font: stored small
    ("Hå ChÝ Minh", "Hồ Chí Minh"),
    ("§¶ng bé x· Yªn ThÕ", "Đảng bộ xã Yên Thế"),
    ("Thµnh phè §µ N½ng", "Thành phố Đà Nẵng"),
    ("Qu¶ng Ng·i", "Quảng Ngãi"),
    ("Thõa Thiªn HuÕ", "Thừa Thiên Huế"),
    ("Tõ S¬n, B¾c Ninh", "Từ Sơn, Bắc Ninh"),
    ("HuyÖn Kr«ng P¾c, §¾k L¾k", "Huyện Krông Pắc, Đắk Lắk"),
    ("Sè 5 ngâ 12 phè HuÕ", "Số 5 ngõ 12 phố Huế"),
    (f"Kü s{SH} x©y dùng", "Kỹ sư xây dựng"),  # "dùng" is Unicode too: converted with its value
    ("NguyÔn Anh Tó", "Nguyễn Anh Tú"),
    ("NGUYÔN V¨N HïNG", "NGUYỄN VĂN HÙNG"),  # a capitals-only font (.VnTimeH)
    (f"Tr{SH}êng THPT Phan Béi Ch©u", "Trường THPT Phan Bội Châu"),
    ("N÷", "Nữ"),
    ("Trung cÊp", "Trung cấp"),
    ("Hä vµ tªn*", "Họ và tên*"),
]

VNI_VALUES = [
    ("Nguyeãn Vaên Huøng", "Nguyễn Văn Hùng"),
    ("Tröôøng", "Trường"),
    ("Ñaûng", "Đảng"),
    ("Traàn Thò Thu Höông", "Trần Thị Thu Hương"),
    ("Leâ Thò AÙnh Tuyeát", "Lê Thị Ánh Tuyết"),
    ("Voõ Vaên Kieät", "Võ Văn Kiệt"),
    ("Phuø Cöø", "Phù Cừ"),
    ("Hoà Thò OÂ", "Hồ Thị Ô"),
    ("Soá 12 ñöôøng Leâ Lôïi", "Số 12 đường Lê Lợi"),
    ("Quaûng Ngaõi", "Quảng Ngãi"),
    ("Thöøa Thieân Hueá", "Thừa Thiên Huế"),
    ("Ñaø Naüng", "Đà Nẵng"),
    ("Kyõ sö xaây döïng", "Kỹ sư xây dựng"),
    ("Höu trí", "Hưu trí"),  # TCVN3 would read "Hửu trớ": VNI alters no word that was Vietnamese already
    ("NGUYEÃN VAÊN HUØNG", "NGUYỄN VĂN HÙNG"),
    ("Huyønh Taán Phaùt", "Huỳnh Tấn Phát"),
    ("Quyønh Löu, Ngheä An", "Quỳnh Lưu, Nghệ An"),
    ("Lyù Töï Troïng", "Lý Tự Trọng"),
    ("Phöôøng Ninh Kieàu, Caàn Thô", "Phường Ninh Kiều, Cần Thơ"),
    ("Tænh Bình Ñònh", "Tỉnh Bình Định"),
    ("Coâng ty ABC", "Công ty ABC"),
    ("Cöû nhaân", "Cử nhân"),
    ("Nöõ", "Nữ"),
]

UNCHANGED = [
    "Công ty ABC®",
    "©2020",
    "Phòng Tổ chức ©",
    "Hồ Thị Ô",
    "Lê Thị Ánh Tuyết",
    "Võ Văn Kiệt",
    "Phù Cừ",
    "Lê Thành Tâm",  # Unicode within Latin-1: every word is Vietnamese as written
    "Tô Thị Hà",
    "Ô",
    "Õ",
    "ì",
    "ó",
    "ù",
    "Nguyen Van Hung",
    "Tiếng Anh B1",
    "12/12",
    "José Müller",
    "Café",
    "Ðào Thành Nam",  # an Icelandic eth for Đ: wrong, but not a legacy encoding
    "Chi bé",  # Unicode, or TCVN3 for "Chi bộ": in doubt, as written
    "",
]


@pytest.mark.parametrize(("written", "unicode"), TCVN3_VALUES)
def test_tcvn3_values_are_converted(written, unicode):
    found = detect(written)
    assert found is not None and (found.encoding, found.text) == (TCVN3, unicode)
    assert found.name == "TCVN3" and unicodedata.is_normalized("NFC", found.text)
    assert detect(found.text) is None  # converting twice changes nothing


@pytest.mark.parametrize(("written", "unicode"), VNI_VALUES)
def test_vni_values_are_converted(written, unicode):
    found = detect(written)
    assert found is not None and (found.encoding, found.text) == (VNI, unicode)
    assert found.name == "VNI" and unicodedata.is_normalized("NFC", found.text)
    assert detect(found.text) is None


@pytest.mark.parametrize("value", UNCHANGED)
def test_unicode_ascii_and_doubtful_values_are_left_as_written(value):
    assert detect(value) is None


def test_a_value_in_decomposed_form_is_judged_once_composed():
    # The importer composes (NFC) before detecting; a VNI value decomposed by a Mac is found the same.
    decomposed = unicodedata.normalize("NFD", "Nguyeãn Vaên Huøng")
    assert detect(unicodedata.normalize("NFC", decomposed)).text == "Nguyễn Văn Hùng"


# The TCVN3 code chart, by code (lowercase letters and the seven capitals of the mixed-case fonts).
TCVN3_CHART = {
    0xB5: "à", 0xB8: "á", 0xB6: "ả", 0xB7: "ã", 0xB9: "ạ",
    0xA8: "ă", 0xBB: "ằ", 0xBE: "ắ", 0xBC: "ẳ", 0xBD: "ẵ", 0xC6: "ặ",
    0xA9: "â", 0xC7: "ầ", 0xCA: "ấ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCB: "ậ",
    0xAE: "đ",
    0xCC: "è", 0xD0: "é", 0xCE: "ẻ", 0xCF: "ẽ", 0xD1: "ẹ",
    0xAA: "ê", 0xD2: "ề", 0xD5: "ế", 0xD3: "ể", 0xD4: "ễ", 0xD6: "ệ",
    0xD7: "ì", 0xDD: "í", 0xD8: "ỉ", 0xDC: "ĩ", 0xDE: "ị",
    0xDF: "ò", 0xE3: "ó", 0xE1: "ỏ", 0xE2: "õ", 0xE4: "ọ",
    0xAB: "ô", 0xE5: "ồ", 0xE8: "ố", 0xE6: "ổ", 0xE7: "ỗ", 0xE9: "ộ",
    0xAC: "ơ", 0xEA: "ờ", 0xED: "ớ", 0xEB: "ở", 0xEC: "ỡ", 0xEE: "ợ",
    0xEF: "ù", 0xF3: "ú", 0xF1: "ủ", 0xF2: "ũ", 0xF4: "ụ",
    0xAD: "ư", 0xF5: "ừ", 0xF8: "ứ", 0xF6: "ử", 0xF7: "ữ", 0xF9: "ự",
    0xFA: "ỳ", 0xFD: "ý", 0xFB: "ỷ", 0xFC: "ỹ", 0xFE: "ỵ",
    0xA1: "Ă", 0xA2: "Â", 0xA7: "Đ", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư",
}  # fmt: skip


def test_tcvn3_table_is_the_code_chart():
    assert {ord(code): letter for code, letter in legacy.TCVN3_TABLE.items()} == TCVN3_CHART
    # Every Vietnamese lowercase letter with a diacritic has a code (67 of them, besides the 7 capitals).
    assert len({v for v in TCVN3_CHART.values() if v.islower()}) == 67


@pytest.mark.parametrize(
    ("vni", "letter"),
    [
        ("aø", "à"), ("aù", "á"), ("aû", "ả"), ("aõ", "ã"), ("aï", "ạ"),
        ("aâ", "â"), ("aà", "ầ"), ("aá", "ấ"), ("aå", "ẩ"), ("aã", "ẫ"), ("aä", "ậ"),
        ("aê", "ă"), ("aè", "ằ"), ("aé", "ắ"), ("aú", "ẳ"), ("aü", "ẵ"), ("aë", "ặ"),
        ("eâ", "ê"), ("eá", "ế"), ("oâ", "ô"), ("oä", "ộ"),
        ("ô", "ơ"), ("ôù", "ớ"), ("ö", "ư"), ("öï", "ự"), ("ñ", "đ"),
        ("ì", "ì"), ("í", "í"), ("æ", "ỉ"), ("ó", "ĩ"), ("ò", "ị"),
        ("yø", "ỳ"), ("yù", "ý"), ("yû", "ỷ"), ("yõ", "ỹ"), ("î", "ỵ"),
        ("AØ", "À"), ("AÂ", "Â"), ("AÁ", "Ấ"), ("AÊ", "Ă"), ("AÉ", "Ắ"), ("EÂ", "Ê"), ("OÂ", "Ô"),
        ("Ô", "Ơ"), ("ÔØ", "Ờ"), ("Ö", "Ư"), ("ÖÙ", "Ứ"), ("Ñ", "Đ"),
        ("Ì", "Ì"), ("Í", "Í"), ("Æ", "Ỉ"), ("Ó", "Ĩ"), ("Ò", "Ị"), ("Î", "Ỵ"),
    ],
)  # fmt: skip
def test_vni_letters(vni, letter):
    assert legacy.vni_word(vni) == letter


@pytest.mark.parametrize(
    "word",
    ["Nguyễn", "nghiêng", "Quảng", "gì", "Giang", "khuya", "Thoại", "Trường", "Yến", "ước", "NGUYỄN", "Đắk", "Ô"],
)
def test_vietnamese_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["NguyÔn", "Nguyeãn", "NguyƠn", "nGuyễn", "Nguyẽễn", "ABC", "Nuỉng", "Lă", "xyz", "ABCđ", "â2020", ""],
)
def test_not_vietnamese_syllables(word):
    assert not is_syllable(word)
