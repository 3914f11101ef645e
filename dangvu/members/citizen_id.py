"""The citizen ID (số căn cước công dân, CCCD): its layout, checked on every input surface (member forms,
admission files, the import, the API) through dangvu.members.validators.

The layout is set by the Ministry of Public Security, Thông tư 07/2016/TT-BCA, Điều 7 (amended by Thông tư
59/2021/TT-BCA): 12 digits,
- digits 1–3: the code of the province where the birth was registered (the 63 provinces of the circular's
  annex; IDs issued before the 2025 merger of provinces keep their codes);
- digit 4: sex and century of birth: 0 male / 1 female born 1900–1999, 2 / 3 born 2000–2099, 4 / 5 born
  2100–2199, 6 / 7 born 2200–2299, 8 / 9 born 2300–2399;
- digits 5–6: the last two digits of the year of birth;
- digits 7–12: a serial.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

DIGITS = re.compile(r"^\d{12}$")

# Annex of Thông tư 07/2016/TT-BCA (codes of the provinces, as amended by 59/2021/TT-BCA).
PROVINCES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

FIRST_YEAR, LAST_YEAR = 1900, 2399  # the centuries digit 4 can express


def sex_century_digit(sex: str, year: int) -> int:
    """Digit 4: even for men, odd for women; 0/1 for 1900–1999, 2/3 for 2000–2099, and so on."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year)
    return (year // 100 - 19) * 2 + (1 if sex == "F" else 0)


def compose(province: str, sex: str, birth_date: dt.date, serial: int) -> str:
    """The ID of that layout; `serial` 0..999999. Raises ValueError for an unknown province."""
    if province not in PROVINCES or not 0 <= serial <= 999_999:
        raise ValueError((province, serial))
    return f"{province}{sex_century_digit(sex, birth_date.year)}{birth_date.year % 100:02d}{serial:06d}"


def _years(digit: int) -> tuple[int, int]:
    start = FIRST_YEAR + (digit // 2) * 100
    return start, start + 99


def problems(value: str, *, sex: str | None, birth_date: dt.date | None) -> list[str]:
    """What is wrong with `value` (empty: nothing), each message saying what disagrees. The sex and century
    digit and the year digits are compared with `sex` and `birth_date` when they are given."""
    if not DIGITS.match(value or ""):
        return [_("Citizen ID must have exactly 12 digits.")]
    found: list[str] = []
    province, digit, year_digits = value[:3], int(value[3]), value[4:6]
    if province not in PROVINCES:
        found.append(
            _(
                "The citizen ID starts with %(code)s, which is not a province code: the first three digits are the "
                "code of the province where the birth was registered (001 Hà Nội … 096 Cà Mau)."
            )
            % {"code": province}
        )
    if sex in ("M", "F") and digit % 2 != (1 if sex == "F" else 0):
        if sex == "F":
            message = _("The 4th digit of the citizen ID (%(digit)s) is for a man, but the sex entered is female.")
        else:
            message = _("The 4th digit of the citizen ID (%(digit)s) is for a woman, but the sex entered is male.")
        found.append(message % {"digit": digit})
    if birth_date is not None and FIRST_YEAR <= birth_date.year <= LAST_YEAR:
        first, last = _years(digit)
        if not first <= birth_date.year <= last:
            found.append(
                _(
                    "The 4th digit of the citizen ID (%(digit)s) is for someone born in %(first)s–%(last)s, but the "
                    "date of birth entered is in %(year)s."
                )
                % {"digit": digit, "first": first, "last": last, "year": birth_date.year}
            )
        if year_digits != f"{birth_date.year % 100:02d}":
            found.append(
                _(
                    "Digits 5–6 of the citizen ID (%(digits)s) are the last two digits of the year of birth, but the "
                    "date of birth entered is in %(year)s."
                )
                % {"digits": year_digits, "year": birth_date.year}
            )
    return found
