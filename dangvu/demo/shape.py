"""The shape of the demo world: its seed, dates, predecessor committees and grassroots organisations, life-event
rates and demo log-ins (read by dangvu.demo.world and dangvu.demo.committees)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangvu.accounts.models import Role
from dangvu.demo import names
from dangvu.orgs import services as org_services
from dangvu.orgs.models import (
    OrgKind,
)

DEMO_SEED = 2025
DEMO_PASSWORD = "Demo-dangvu-2025"
FOUNDED = dt.date(2005, 1, 1)
TERM_2020_START = dt.date(2020, 8, 20)  # grassroots congresses 2020 (mid-year), khối congresses in August
MERGE_DAY = dt.date(2025, 7, 1)
HORIZON = dt.date(2025, 12, 31)
MERGED_CODE = "CT-CQD"
MERGED_NAME = "Đảng bộ các cơ quan Đảng thành phố Cần Thơ"
MERGE_DOC = org_services.Document(
    number="1234-QĐ/TU",
    date=dt.date(2025, 6, 27),
    issuer="Ban Thường vụ Thành ủy Cần Thơ",
    note="Hợp nhất các Đảng bộ khối tiền thân (dữ liệu minh họa)",
)


@dataclass(frozen=True)
class GrassrootsSpec:
    key: str
    name: str
    cells: int  # chi bộ directly under it (0 for a chi bộ cơ sở)
    subs: tuple[tuple[str, int], ...] = ()  # đảng bộ bộ phận: (name, cells)

    @property
    def kind(self) -> str:
        return OrgKind.GRASSROOTS_COMMITTEE if self.cells or self.subs else OrgKind.GRASSROOTS_CELL


@dataclass(frozen=True)
class PredecessorSpec:
    root_code: str
    root_name: str
    code: str
    name: str
    province: names.Province
    grassroots: tuple[GrassrootsSpec, ...]


G = GrassrootsSpec
PREDECESSORS = (
    PredecessorSpec(
        "CT",
        "Đảng bộ thành phố Cần Thơ",
        "CT-KDCD",
        "Đảng bộ Khối cơ quan Dân Chính Đảng thành phố Cần Thơ",
        names.CAN_THO,
        (
            G("01", "Đảng bộ Văn phòng Thành ủy Cần Thơ", 8, (("Đảng bộ bộ phận Nhà khách Thành ủy", 4),)),
            G("02", "Đảng bộ Báo Cần Thơ", 12),
            G("03", "Đảng bộ Trường Chính trị thành phố Cần Thơ", 9, (("Đảng bộ bộ phận các Khoa", 5),)),
            G("04", "Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc và các đoàn thể thành phố", 14),
            G("05", "Chi bộ Ban Tổ chức Thành ủy Cần Thơ", 0),
            G("06", "Chi bộ Ủy ban Kiểm tra Thành ủy Cần Thơ", 0),
        ),
    ),
    PredecessorSpec(
        "ST",
        "Đảng bộ tỉnh Sóc Trăng",
        "ST-KCQDN",
        "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Sóc Trăng",
        names.SOC_TRANG,
        (
            G("01", "Đảng bộ Văn phòng Tỉnh ủy Sóc Trăng", 8, (("Đảng bộ bộ phận Nhà khách Tỉnh ủy", 4),)),
            G("02", "Đảng bộ Báo Sóc Trăng", 6),
            G("03", "Đảng bộ Trường Chính trị tỉnh Sóc Trăng", 12),
            G("04", "Chi bộ Ban Tổ chức Tỉnh ủy Sóc Trăng", 0),
            G("05", "Chi bộ Ủy ban Kiểm tra Tỉnh ủy Sóc Trăng", 0),
        ),
    ),
    PredecessorSpec(
        "HG",
        "Đảng bộ tỉnh Hậu Giang",
        "HG-KCQ",
        "Đảng bộ Khối các cơ quan tỉnh Hậu Giang",
        names.HAU_GIANG,
        (
            G(
                "01",
                "Đảng bộ Văn phòng Tỉnh ủy Hậu Giang",
                5,
                (("Đảng bộ bộ phận Nhà khách Tỉnh ủy", 2), ("Đảng bộ bộ phận Trung tâm Thông tin", 3)),
            ),
            G("02", "Đảng bộ Báo Hậu Giang", 6),
            G("03", "Chi bộ Ban Tuyên giáo Tỉnh ủy Hậu Giang", 0),
            G("04", "Chi bộ Ủy ban Kiểm tra Tỉnh ủy Hậu Giang", 0),
        ),
    ),
)
# Grassroots mergers on MERGE_DAY (codes): (predecessors, successor) — a new successor is a hợp nhất,
# an existing one a sáp nhập (the chi bộ cơ sở's members move with a reorganisation event).
PAIR_NEW = (("ST-KCQDN-02", "HG-KCQ-02"), ("CT-CQD-BAO", "Đảng bộ Báo Sóc Trăng - Hậu Giang"))
PAIR_INTO = (("ST-KCQDN-04",), "CT-KDCD-05")

# Share of the yearly life events (the world has ~2,400 members; seed 003 reports 621 admissions in the
# term of the three predecessors together, 19 disciplined members of whom 3 expelled).
ADMISSIONS_PER_YEAR = 90
YEARLY = {
    "transfer": 8,
    "transfer_out": 12,
    "transfer_in": 6,
    "exemption": 3,
    "exemption_end": 1,
    "temp_out": 2,
    "temp_return": 1,
    "removal": 2,
    "death": 2,
}
EXPULSIONS = {2021: 1, 2023: 1, 2024: 1}
PROTECTED_PER_CELL = 5  # the first members of each cell hold seats and the demo log-ins: no life events
EXTERNAL_ORGS = (
    "Đảng bộ Khối cơ quan tỉnh Vĩnh Long",
    "Đảng bộ Công an tỉnh An Giang",
    "Đảng bộ Quân sự tỉnh Bạc Liêu",
    "Đảng bộ phường Rạch Giá, tỉnh Kiên Giang",
    "Đảng bộ Đại học Cần Thơ",
    "Đảng bộ Khối doanh nghiệp Thành phố Hồ Chí Minh",
)

DEMO_USERS = (
    # username, role, label of the organisation in the world, member record (None / "secretary" / "member")
    ("admin", Role.ADMIN),
    ("vanphong.thanhuy", Role.OFFICE),
    ("vanphong", Role.OFFICE),
    ("kiemtra", Role.INSPECTION),
    ("lanhdao", Role.LEADER),
    ("vanphong.coso", Role.OFFICE),
    ("bithu.chibo", Role.CELL_SECRETARY),
    ("dangvien", Role.MEMBER),
)
