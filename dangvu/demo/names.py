"""Synthetic but realistic personal data for the demo and the scale worlds (Mekong delta: Cần Thơ,
Sóc Trăng, Hậu Giang). Everything is drawn from a `random.Random` passed in, so a seed gives the same
world every time. No real person is described: names are random combinations and citizen IDs are
synthetic numbers with plausible province prefixes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from dangvu.members import citizen_id


def _weighted(pairs: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    values, weights = zip(*pairs, strict=True)
    total = sum(weights)
    cumulative, running = [], 0.0
    for w in weights:
        running += w / total
        cumulative.append(running)
    return list(values), cumulative


def _pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    values, cumulative = table
    x = rng.random()
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:  # bisect on the cumulative weights
        mid = (lo + hi) // 2
        if cumulative[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return values[lo]


# Family names of the Kinh majority, with frequencies close to published surveys (Nguyễn ~38 %);
# Huỳnh and Võ are the southern forms of Hoàng and Vũ and are more common in the Mekong delta.
KINH_FAMILY = _weighted(
    [
        ("Nguyễn", 38.0),
        ("Trần", 11.0),
        ("Lê", 9.5),
        ("Phạm", 7.0),
        ("Huỳnh", 4.5),
        ("Hoàng", 1.5),
        ("Phan", 4.5),
        ("Võ", 4.0),
        ("Vũ", 1.0),
        ("Đặng", 2.0),
        ("Bùi", 2.0),
        ("Đỗ", 1.4),
        ("Hồ", 1.3),
        ("Ngô", 1.3),
        ("Dương", 1.0),
        ("Lý", 0.8),
        ("Trương", 1.5),
        ("Đoàn", 0.8),
        ("Lâm", 0.8),
        ("Châu", 0.6),
        ("Tô", 0.5),
        ("Lưu", 0.5),
        ("Mai", 0.5),
        ("Cao", 0.5),
        ("Đinh", 0.5),
        ("Thái", 0.4),
        ("Tạ", 0.3),
        ("Quách", 0.3),
        ("La", 0.3),
    ]
)
KHMER_FAMILY = _weighted([("Thạch", 30), ("Sơn", 20), ("Danh", 15), ("Kim", 10), ("Lâm", 10), ("Trà", 5), ("Lý", 10)])
HOA_FAMILY = _weighted(
    [("Lý", 20), ("Trương", 15), ("Quách", 10), ("Lâm", 15), ("Mã", 10), ("Tăng", 10), ("Diệp", 10), ("Huỳnh", 10)]
)

MALE_MIDDLE = _weighted(
    [
        ("Văn", 40),
        ("Hữu", 8),
        ("Minh", 12),
        ("Quốc", 8),
        ("Thanh", 7),
        ("Hoàng", 5),
        ("Đức", 4),
        ("Công", 4),
        ("Tấn", 5),
        ("Trọng", 3),
        ("Ngọc", 2),
        ("Chí", 2),
    ]
)
FEMALE_MIDDLE = _weighted(
    [
        ("Thị", 45),
        ("Ngọc", 12),
        ("Thanh", 8),
        ("Kim", 7),
        ("Thu", 5),
        ("Mỹ", 5),
        ("Hồng", 4),
        ("Bích", 3),
        ("Phương", 3),
        ("Diễm", 2),
        ("Minh", 3),
        ("Tuyết", 2),
    ]
)
MALE_GIVEN = [
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Hải",
    "Hào",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khang",
    "Khoa",
    "Kiệt",
    "Lâm",
    "Lộc",
    "Long",
    "Luân",
    "Minh",
    "Nam",
    "Nghĩa",
    "Nhân",
    "Phát",
    "Phong",
    "Phúc",
    "Quang",
    "Sang",
    "Sơn",
    "Tài",
    "Tâm",
    "Tân",
    "Thái",
    "Thắng",
    "Thành",
    "Thiện",
    "Thịnh",
    "Toàn",
    "Trí",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Khải",
    "Hậu",
    "Lợi",
    "Hiển",
    "Khiêm",
    "Nguyên",
    "Quân",
    "Tín",
    "Triết",
    "Vĩnh",
    "Hưng",
]
FEMALE_GIVEN = [
    "An",
    "Anh",
    "Bích",
    "Châu",
    "Diễm",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hân",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Khánh",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Ly",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhi",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thơ",
    "Thu",
    "Thủy",
    "Thư",
    "Tiên",
    "Trang",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Xuân",
    "Yến",
    "Hậu",
    "Ngọc",
    "Trâm",
    "Thắm",
]
KHMER_MALE_GIVEN = ["Sóc", "Phol", "Sô Phal", "Chanh Đa", "Sa Rươne", "Phách", "Ol", "Sà Rinh", "Mây", "Kha"]
KHMER_FEMALE_GIVEN = ["Sa Phia", "Sô Phi", "Thi Da", "Kim Hoa", "Sà Quay", "Mỹ Linh", "Sa Rin", "Sóc Kha", "Nang"]

ETHNICITY = _weighted([("Kinh", 91.0), ("Khmer", 6.5), ("Hoa", 2.5)])
RELIGION = _weighted(
    [
        ("", 82.0),
        ("Phật giáo", 10.0),
        ("Công giáo", 3.0),
        ("Cao Đài", 2.0),
        ("Phật giáo Hòa Hảo", 2.0),
        ("Tin Lành", 1.0),
    ]
)
THEORY = _weighted([("advanced", 15.0), ("intermediate", 35.0), ("elementary", 40.0), ("bachelor", 2.0), ("", 8.0)])
DEGREE = _weighted(
    [
        ("Cử nhân Luật", 12),
        ("Cử nhân Kinh tế", 12),
        ("Cử nhân Hành chính", 8),
        ("Cử nhân Báo chí", 5),
        ("Cử nhân Ngữ văn", 4),
        ("Cử nhân Xây dựng Đảng và chính quyền nhà nước", 6),
        ("Kỹ sư Công nghệ thông tin", 5),
        ("Kỹ sư Nông nghiệp", 4),
        ("Cử nhân Kế toán", 8),
        ("Thạc sĩ Quản lý công", 7),
        ("Thạc sĩ Kinh tế", 5),
        ("Thạc sĩ Luật", 4),
        ("Tiến sĩ Kinh tế", 1),
        ("Cao đẳng Kế toán", 4),
        ("Trung cấp Văn thư lưu trữ", 3),
        ("", 5),
    ]
)
LANGUAGE = _weighted([("Tiếng Anh B1", 35), ("Tiếng Anh B", 25), ("Tiếng Anh A2", 15), ("", 20), ("Tiếng Khmer", 5)])
OCCUPATION = _weighted(
    [("Công chức", 45), ("Viên chức", 30), ("Người lao động", 10), ("Phóng viên", 5), ("Giảng viên", 5), ("", 5)]
)
POSITION = _weighted(
    [
        ("Chuyên viên", 45),
        ("Chuyên viên chính", 15),
        ("Phó Trưởng phòng", 12),
        ("Trưởng phòng", 8),
        ("Nhân viên", 12),
        ("Chuyên viên cao cấp", 2),
        ("", 6),
    ]
)


@dataclass(frozen=True)
class Province:
    code: str  # CCCD province prefix (Thông tư 07/2016/TT-BCA)
    name: str
    places: tuple[str, ...]


CAN_THO = Province(
    "092",
    "thành phố Cần Thơ",
    ("Ninh Kiều", "Cái Răng", "Bình Thủy", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ", "Vĩnh Thạnh", "Thới Lai"),
)
HAU_GIANG = Province(
    "093", "tỉnh Hậu Giang", ("Vị Thanh", "Ngã Bảy", "Long Mỹ", "Phụng Hiệp", "Châu Thành A", "Vị Thủy")
)
SOC_TRANG = Province(
    "094",
    "tỉnh Sóc Trăng",
    ("Sóc Trăng", "Mỹ Xuyên", "Vĩnh Châu", "Ngã Năm", "Kế Sách", "Long Phú", "Trần Đề", "Mỹ Tú", "Thạnh Trị"),
)
# Other Mekong delta provinces members come from (birth place / home town only).
NEIGHBOURS = (
    Province("086", "tỉnh Vĩnh Long", ("Vĩnh Long", "Trà Ôn", "Bình Minh")),
    Province("089", "tỉnh An Giang", ("Long Xuyên", "Châu Đốc", "Chợ Mới")),
    Province("087", "tỉnh Đồng Tháp", ("Cao Lãnh", "Sa Đéc", "Lai Vung")),
    Province("095", "tỉnh Bạc Liêu", ("Bạc Liêu", "Giá Rai", "Hồng Dân")),
    Province("091", "tỉnh Kiên Giang", ("Rạch Giá", "Tân Hiệp", "Giồng Riềng")),
)


@dataclass
class Person:
    full_name: str
    sex: str
    birth_date: dt.date
    birth_place: str
    home_town: str
    residence: str
    ethnicity: str
    religion: str
    citizen_id: str
    occupation: str
    position: str
    general_education: str
    professional_degree: str
    political_theory: str
    foreign_language: str

    def fields(self) -> dict:
        return dict(self.__dict__)


class CitizenIds:
    """Unique synthetic CCCD numbers of the legal layout (dangvu.members.citizen_id): province (3) + sex/century
    (1) + year (2) + serial (6).
    The serial is a per-(province, sex, year) counter scrambled by a bijection of 0..999999, so numbers
    look random, never repeat, and do not depend on how many other numbers were drawn before."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, str, str], int] = {}

    def make(self, province: str, sex: str, birth: dt.date) -> str:
        key = (province, sex, str(birth.year))
        n = self._next.get(key, 0)
        self._next[key] = n + 1
        serial = (n * 7919 + 104729) % 1_000_000
        return citizen_id.compose(province, sex, birth, serial)  # the legal layout, as the forms check it


def card_number(index: int) -> str:
    """Synthetic party card number, unique for index < 10**9 (7919 is coprime with 10**9)."""
    return f"{(index * 7919 + 1_234_567) % 1_000_000_000:09d}"


def _place(rng: random.Random, province: Province) -> str:
    kind = rng.choice(("phường", "xã"))
    return f"{kind} {rng.choice(province.places)}, {province.name}"


def person(
    rng: random.Random,
    ids: CitizenIds,
    province: Province,
    *,
    birth_from: int = 1965,
    birth_to: int = 2002,
    sex: str | None = None,
) -> Person:
    """One synthetic party member identity living in `province`."""
    sex = sex or ("F" if rng.random() < 0.46 else "M")
    ethnicity = _pick(rng, ETHNICITY)
    if province is SOC_TRANG and ethnicity == "Kinh" and rng.random() < 0.12:
        ethnicity = "Khmer"  # Sóc Trăng has the largest Khmer community of the delta
    if ethnicity == "Khmer":
        family = _pick(rng, KHMER_FAMILY)
        given = rng.choice(KHMER_FEMALE_GIVEN if sex == "F" else KHMER_MALE_GIVEN)
        middle = ("Thị" if sex == "F" else "Văn") if rng.random() < 0.5 else ""
        religion = "Phật giáo" if rng.random() < 0.8 else ""
    else:
        family = _pick(rng, HOA_FAMILY if ethnicity == "Hoa" else KINH_FAMILY)
        given = rng.choice(FEMALE_GIVEN if sex == "F" else MALE_GIVEN)
        middle = _pick(rng, FEMALE_MIDDLE if sex == "F" else MALE_MIDDLE)
        if sex == "F" and middle == "Thị" and rng.random() < 0.25:
            middle = f"Thị {_pick(rng, FEMALE_MIDDLE)}".replace("Thị Thị", "Thị Ngọc")
        religion = _pick(rng, RELIGION)
    full_name = " ".join(part for part in (family, middle, given) if part)
    year = rng.randint(birth_from, birth_to)
    birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    origin = province if rng.random() < 0.8 else rng.choice(NEIGHBOURS)
    return Person(
        full_name=full_name,
        sex=sex,
        birth_date=birth,
        birth_place=_place(rng, origin),
        home_town=_place(rng, origin),
        residence=_place(rng, province),
        ethnicity=ethnicity,
        religion=religion,
        citizen_id=ids.make(origin.code, sex, birth),
        occupation=_pick(rng, OCCUPATION),
        position=_pick(rng, POSITION),
        general_education="12/12",
        professional_degree=_pick(rng, DEGREE),
        political_theory=_pick(rng, THEORY),
        foreign_language=_pick(rng, LANGUAGE),
    )


# Unit names for cells (chi bộ) in party, state and mass-organisation agencies.
UNITS = (
    "Phòng Tổng hợp",
    "Phòng Hành chính - Tổ chức",
    "Phòng Quản trị - Tài vụ",
    "Phòng Văn thư - Lưu trữ",
    "Phòng Công nghệ thông tin",
    "Phòng Tổ chức đảng, đảng viên",
    "Phòng Cán bộ",
    "Phòng Bảo vệ chính trị nội bộ",
    "Phòng Nghiên cứu",
    "Phòng Kiểm tra",
    "Phòng Tuyên truyền",
    "Phòng Lý luận chính trị",
    "Phòng Dân vận",
    "Phòng Đào tạo",
    "Phòng Quản lý khoa học",
    "Phòng Thời sự",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
    "Phòng Biên tập",
    "Phòng Phóng viên",
    "Phòng Trị sự",
    "Phòng Điện tử",
    "Phòng Kỹ thuật",
    "Khoa Xây dựng Đảng",
    "Khoa Lý luận cơ sở",
    "Khoa Dân vận",
    "Khoa Nhà nước và pháp luật",
    "Ban Phong trào",
    "Ban Tổ chức - Kiểm tra",
    "Ban Tuyên giáo",
    "Ban Kinh tế - Xã hội",
    "Ban Chính sách - Pháp luật",
    "Văn phòng",
    "Nhà khách",
    "Đội xe",
    "Trung tâm Lưu trữ",
    "Trung tâm Thông tin",
    "Tạp chí",
    "Bảo vệ",
    "Hưu trí",
)

WARDS = (
    "Ninh Kiều",
    "Cái Khế",
    "Tân An",
    "An Bình",
    "Thới An Đông",
    "Bình Thủy",
    "Long Tuyền",
    "Cái Răng",
    "Hưng Phú",
    "Ô Môn",
    "Phước Thới",
    "Thới Long",
    "Trung Nhứt",
    "Thuận Hưng",
    "Thốt Nốt",
    "Vĩnh Thạnh",
    "Thạnh An",
    "Thới Lai",
    "Cờ Đỏ",
    "Phong Điền",
    "Nhơn Ái",
    "Vị Thanh",
    "Vị Tân",
    "Ngã Bảy",
    "Long Mỹ",
    "Phụng Hiệp",
    "Châu Thành",
    "Sóc Trăng",
    "Phú Lợi",
    "Mỹ Xuyên",
    "Vĩnh Châu",
    "Khánh Hòa",
    "Ngã Năm",
    "Kế Sách",
    "Long Phú",
    "Trần Đề",
    "Mỹ Tú",
    "Thạnh Trị",
    "Cù Lao Dung",
)
