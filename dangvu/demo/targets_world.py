"""Resolutions and their targets for the demo world (issue 13), so that the targets dashboard and the official
reports are meaningful out of the box:

- each predecessor committee's congress resolution for 2020–2025 ("01-NQ/ĐH", 20/08/2020) with the targets of
  seed 003's appendices 1–3 (Cần Thơ, Sóc Trăng, Hậu Giang: appendix 1, 2, 3), ten each — an item with
  several figures is one target per figure, each keeping the item's text as written (as the parser does);
- the merged committee's political report ("01-BC/ĐH", 18/09/2025) reporting on the three resolutions, and
  its resolution for 2025–2030 ("02-NQ/ĐH", same day: a congress's documents are one series) with the twelve
  targets that dangvu.targets.parser reads from seed 003 part II §III.2, confirmed as proposed.

A predecessor's target is computed from an indicator where one measures it and the demo holds the records
that reproduce the seed's figure for that predecessor (admissions; members' grades against appendix 2's lines);
otherwise its result is entered by hand for the term with the seed's result as evidence ("Theo báo cáo chính
trị, phụ lục …"). The admissions targets are scaled to the demo's size (docs/decisions.md, issue 13 demo):
the demo threshold is the seed's target × the demo predecessor's admissions in the term ÷ the seed's
result, so the demo keeps each predecessor's percentage achieved (135 %, 115 %, 207 %) and its verdict.

Everything is written through dangvu.docregister.services and dangvu.targets.services by the merged
committee's office (`vanphong`, whose subtree holds the predecessors since the merger)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

from dangvu.accounts.models import User
from dangvu.docregister import services as register
from dangvu.docregister.models import Body, DocType, Document, LinkKind
from dangvu.lib.text import grouped as _n
from dangvu.orgs.models import Organisation, Term
from dangvu.targets import indicators, parser
from dangvu.targets import services as targets
from dangvu.targets.models import Kind, Period, Source, Subject, Target

CONGRESS_2020 = dt.date(2020, 8, 20)
CONGRESS_2025 = dt.date(2025, 9, 18)
ADMISSIONS = "admission.admissions"
MEMBERS_GOOD = "reviews.members_good"
NOT_COMPLETED = "reviews.members_not_completed"
EVIDENCE = "Theo báo cáo chính trị, phụ lục {appendix}: {result}"


@dataclass(frozen=True)
class Seeded:
    """One target of a predecessor's 2020–2025 resolution as seed 003's appendix writes it.

    `seed_target`/`seed_result`: for a scaled count, the seed's figures (the demo threshold is derived from
    them); `value`: the result entered by hand (None: the seed gives none); `result`: the seed's result text;
    `verdict`: the seed's verdict when this target is the appendix's whole item (None for a part of an item
    the seed judges as a whole, or no verdict)."""

    item: int
    text: str
    kind: str
    threshold: str | None
    period: str
    subject: str
    indicator: str = ""
    strict: bool = False
    value: str | None = None
    result: str = ""
    verdict: str | None = None
    seed_target: int | None = None
    seed_result: int | None = None


S = Seeded
F, C, N, R, Q = Kind.FLOOR, Kind.CEILING, Kind.COUNT, Kind.RATE, Kind.QUALITATIVE
TERM, YEAR = Period.TERM, Period.YEAR
M, G, CELLS, STAFF, OTHER = Subject.MEMBERS, Subject.GRASSROOTS, Subject.CELLS, Subject.STAFF, Subject.OTHER

CT_1 = (
    "Phấn đấu hàng năm có 100% đảng viên và có trên 98% công chức, viên chức và người lao động học tập, quán "
    "triệt các chủ trương, nghị quyết của Đảng có hiệu quả, chính sách pháp luật của Nhà nước."
)
ST_1 = (
    "Hằng năm, có 99% đảng viên, quần chúng tham gia học tập, quán triệt các nghị quyết của Đảng; 100% tổ chức "
    "cơ sở đảng xây dựng chương trình (kế hoạch) thực hiện nghị quyết có liên quan."
)
ST_2 = (
    "Bình quân hằng năm, có từ 85% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên; có 90% đảng viên hoàn "
    "thành tốt nhiệm vụ; có dưới 01% đảng viên không hoàn thành nhiệm vụ."
)
ST_2_RESULT = (
    "100% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ; 98,21% đảng viên hoàn thành tốt nhiệm vụ; 0,28% đảng viên "
    "không hoàn thành nhiệm vụ."
)
ST_6 = (
    "Hằng năm, có 90% tổ chức đoàn thể cơ sở hoàn thành tốt nhiệm vụ trở lên; có dưới 1,5% tổ chức đoàn thể "
    "không hoàn thành nhiệm vụ."
)
ST_6_RESULT = (
    "Trên 100% tổ chức đoàn thể cơ sở hoàn thành tốt nhiệm vụ trở lên. Không có tổ chức đoàn thể không hoàn "
    "thành nhiệm vụ."
)
HG_2 = (
    "100% đảng viên, 95% công chức, viên chức và người lao động tham gia học tập, quán triệt các chủ trương, "
    "nghị quyết, chỉ thị của Đảng và chính sách, pháp luật của Nhà nước."
)
HG_4 = (
    "Phối hợp với Ban Tổ chức Tỉnh ủy, Trường Chính trị tỉnh mở 05 lớp Trung cấp lý luận chính trị. Mở 10 lớp "
    "bồi dưỡng kết nạp đảng và 10 lớp đảng viên mới."
)
HG_4_RESULT = (
    "Mở 11/05 lớp Trung cấp lý luận chính trị (đạt 220%). Mở 18/10 lớp bồi dưỡng kết nạp đảng và 18/10 lớp "
    "đảng viên mới (đạt 180%)."
)
HG_6 = (
    "Đoàn Khối các cơ quan và doanh nghiệp tỉnh đạt xuất sắc cả nhiệm kỳ; có 90% các tổ chức đoàn thể trực "
    "thuộc đạt xuất sắc hàng năm."
)
NO_RESULT = "(Không có chỉ tiêu tương ứng rõ ràng trong kết quả được cung cấp)"

# Appendix 1: Đảng bộ Khối cơ quan Dân Chính Đảng thành phố Cần Thơ.
CAN_THO = (
    S(1, CT_1, F, "100", TERM, M, value="100", result="Hầu hết các tổ chức cơ sở đảng đạt tỷ lệ 100%."),
    S(1, CT_1, F, "98", TERM, STAFF, strict=True),
    S(
        2,
        "100% đảng viên đăng ký làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh và xây dựng cam kết thực hiện "
        "các nghị quyết, quy định của Đảng.",
        F,
        "100",
        TERM,
        M,
        value="95",
        result="Trên 95% tổ chức cơ sở đảng và đảng viên xây dựng và thực hiện kế hoạch.",
        verdict="nearly",
    ),
    S(
        3,
        "Hàng năm có từ 95% đảng viên trở lên hoàn thành tốt nhiệm vụ.",
        F,
        "95",
        TERM,
        M,
        value="95",
        result="Trên 95% đảng viên hoàn thành tốt nhiệm vụ; nhiều chi bộ, đảng bộ hoàn thành xuất sắc nhiệm vụ "
        "liên tục 5 năm.",
        verdict="met_and_exceeded",
    ),
    S(
        4,
        "100% tổ chức cơ sở đảng lãnh đạo thực hiện tốt quy chế làm việc của cấp ủy và chi bộ.",
        F,
        "100",
        TERM,
        G,
        result=NO_RESULT,
    ),
    S(
        5,
        "100% tổ chức cơ sở đảng lãnh đạo thực hiện việc duy trì sinh hoạt theo Hướng dẫn số 09-HD/ĐUK về một số "
        "vấn đề về nâng cao chất lượng sinh hoạt chi bộ.",
        F,
        "100",
        TERM,
        G,
        result=NO_RESULT,
    ),
    S(
        6,
        "Trong nhiệm kỳ kết nạp 1.000 đảng viên trở lên (từ các cơ sở Đảng trực thuộc Đảng ủy Khối cơ quan Dân "
        "Chính Đảng thành phố).",
        N,
        None,
        TERM,
        M,
        indicator=ADMISSIONS,
        result="Kết nạp 1346/1000 đảng viên (đạt 135%).",
        verdict="exceeded",
        seed_target=1000,
        seed_result=1346,
    ),
    S(7, "Tổ chức kiểm tra nhận thức lý luận chính trị đối với cấp ủy viên cơ sở hàng năm.", Q, None, YEAR, OTHER),
    S(
        8,
        "Hàng năm Hội Cựu chiến binh Khối, Đoàn Khối đạt vững mạnh.",
        Q,
        None,
        YEAR,
        OTHER,
        result="Hàng năm Hội Cựu chiến binh Khối, Đoàn Khối đều đạt vững mạnh.",
    ),
    S(
        9,
        '100% tổ chức cơ sở đảng trực thuộc Đảng bộ Khối "Hoàn thành nhiệm vụ" trở lên hàng năm.',
        F,
        "100",
        TERM,
        G,
        value="100",
        result="Trên 95% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ hàng năm (Đạt chỉ tiêu).",
        verdict="met",
    ),
)

# Appendix 2: Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Sóc Trăng.
SOC_TRANG = (
    S(1, ST_1, F, "99", TERM, M, value="99", result="Hằng năm, có 99% đảng viên, quần chúng tham gia học tập."),
    S(1, ST_1, F, "100", TERM, G, value="100", result="100% tổ chức cơ sở đảng xây dựng chương trình (kế hoạch)."),
    S(2, ST_2, F, "85", TERM, G, value="100", result=ST_2_RESULT),
    S(2, ST_2, F, "90", TERM, M, indicator=MEMBERS_GOOD, result=ST_2_RESULT),
    S(2, ST_2, C, "1", TERM, M, indicator=NOT_COMPLETED, strict=True, result=ST_2_RESULT),
    S(
        3,
        "Hằng năm, mỗi chi bộ, đảng ủy tổ chức sinh hoạt 02 chuyên đề.",
        R,
        "2",
        TERM,
        CELLS,
        value="2",
        result="Mỗi chi bộ, đảng ủy trực thuộc tổ chức sinh hoạt 02 chuyên đề/năm.",
        verdict="met",
    ),
    S(
        4,
        "Trong nhiệm kỳ, kết nạp 300 đảng viên mới (từ các cơ sở Đảng trực thuộc Đảng ủy Khối các cơ quan và "
        "doanh nghiệp tỉnh).",
        N,
        None,
        TERM,
        M,
        indicator=ADMISSIONS,
        result="Kết nạp 346/300 đảng viên (đạt 115%).",
        verdict="met_and_exceeded",
        seed_target=300,
        seed_result=346,
    ),
    S(
        5,
        "Hằng năm, Đảng ủy kiểm tra, giám sát 10% tổ chức cơ sở đảng.",
        F,
        "10",
        TERM,
        G,
        value="11.7",
        result="11,7% tổ chức cơ sở đảng được kiểm tra, giám sát.",
    ),
    S(6, ST_6, F, "90", TERM, OTHER, value="100", result=ST_6_RESULT),
    S(6, ST_6, C, "1.5", TERM, OTHER, strict=True, value="0", result=ST_6_RESULT),
)

# Appendix 3: Đảng bộ Khối các cơ quan tỉnh Hậu Giang.
HAU_GIANG = (
    S(
        1,
        "Các cấp ủy tăng cường lãnh đạo, phối hợp chặt chẽ với lãnh đạo cơ quan, đơn vị tham mưu tốt cho Tỉnh ủy "
        "và UBND tỉnh trong lãnh đạo, điều hành nhiệm vụ phát triển kinh tế - xã hội của tỉnh.",
        Q,
        None,
        TERM,
        OTHER,
    ),
    S(2, HG_2, F, "100", TERM, M, value="100", result="100% đảng viên và 98,56% quần chúng tham gia học tập."),
    S(2, HG_2, F, "95", TERM, STAFF, value="98.56", result="100% đảng viên và 98,56% quần chúng tham gia học tập."),
    S(
        3,
        "Tỷ lệ tổ chức cơ sở đảng và đảng viên được đánh giá, xếp loại hoàn thành và hoàn thành tốt nhiệm vụ hàng "
        "năm đúng theo quy định, hướng dẫn của cấp trên; hạn chế thấp nhất tỷ lệ đảng viên không hoàn thành "
        "nhiệm vụ và bị xử lý kỷ luật.",
        Q,
        None,
        YEAR,
        M,
    ),
    S(4, HG_4, N, "5", TERM, OTHER, value="11", result=HG_4_RESULT),
    S(4, HG_4, N, "10", TERM, OTHER, value="18", result=HG_4_RESULT),
    S(4, HG_4, N, "10", TERM, OTHER, value="18", result=HG_4_RESULT),
    S(
        5,
        "Kết nạp 300 đảng viên.",
        N,
        None,
        TERM,
        M,
        indicator=ADMISSIONS,
        result="Kết nạp 621/300 đảng viên (đạt 207%).",
        verdict="exceeded",
        seed_target=300,
        seed_result=621,
    ),
    S(6, HG_6, Q, None, TERM, OTHER),
    S(6, HG_6, F, "90", TERM, OTHER, value="90", result="Có 90% các tổ chức đoàn thể trực thuộc đạt xuất sắc."),
)

# (predecessor code, appendix, targets)
APPENDICES = (("CT-KDCD", 1, CAN_THO), ("ST-KCQDN", 2, SOC_TRANG), ("HG-KCQ", 3, HAU_GIANG))

# Seed 003, part II §III.2, as pasted (its line breaks kept): the text the office gives the parser.
TARGETS_2025_2030 = """2. Chỉ tiêu cụ thể

(1) Ít nhất 98% cán bộ, đảng viên được học tập, quán triệt các nghị
quyết, chỉ thị của Đảng và pháp luật của Nhà nước gắn với sinh hoạt chuyên
đề về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.

(2) 100% tổ chức cơ sở đảng và đảng viên xây dựng kế hoạch thực hiện
tốt các nội dung chuyên đề học tập và làm theo tư tưởng, đạo đức, phong
cách Hồ Chí Minh;

(3) Hàng năm có ít nhất 95% đảng viên và trên 90% tổ chức cơ sở đảng
được đánh giá, xếp loại “Hoàn thành tốt nhiệm vụ”; phấn đấu không quá 1%
đảng viên vi phạm tư cách.

(4) Phấn đấu xây dựng Đảng bộ các cơ quan Đảng thành phố hằng năm
xếp loại “Hoàn thành tốt nhiệm vụ” trở lên.

(5) Trong nhiệm kỳ phấn đấu kết nạp từ 30 đảng viên trở lên.

(6) 100% tổ chức đảng thực hiện cải cách hành chính trong Đảng. Ít nhất
90% cấp ủy viên và tổ chức đảng, đảng viên sử dụng công nghệ và ứng dụng
chuyển đổi số trong lãnh đạo, quản lý, điều hành.

(7) Đảng ủy các cơ quan Đảng thành phố tiến hành kiểm tra, giám sát ít
nhất 15% tổ chức cơ sở đảng; Ủy ban Kiểm tra Đảng ủy kiểm tra, giám sát ít
nhất 15% tổ chức cơ sở đảng hằng năm.

(8) Hàng năm, 75% quần chúng tham gia vào các tổ chức chính trị,
chính trị - xã hội trong độ tuổi.
"""


def scaled(seed_target: int, seed_result: int, demo_result: int) -> int:
    """The demo's threshold for a seed count target: the seed's target × the demo's result ÷ the seed's
    result, rounded half up, at least 1 (the demo keeps the seed's percentage achieved)."""
    exact = Decimal(seed_target) * Decimal(demo_result) / Decimal(seed_result)
    return max(1, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def _scaled_text(spec: Seeded, threshold: int) -> str:
    seed = f"{spec.seed_target:,}".replace(",", ".")  # as the resolution writes it: 1.000
    return (
        f"{spec.text} (Dữ liệu minh họa: chỉ tiêu {threshold} đảng viên, quy đổi từ chỉ tiêu {seed} của nghị quyết "
        "theo quy mô dữ liệu minh họa.)"
    )


def _resolution_2020(org: Organisation, term: Term, actor: User) -> Document:
    return register.register(
        register.Entry(
            organisation=org,
            doc_type=DocType.RESOLUTION,
            body=Body.CONGRESS,
            date=CONGRESS_2020,
            term=term,
            serial=1,
            title=f"Nghị quyết Đại hội đại biểu {org.name} nhiệm kỳ 2020 - 2025",
            signed_by="T/M Đoàn Chủ tịch Đại hội",
        ),
        actor,
    )


def predecessor_targets(resolution: Document, specs: tuple[Seeded, ...], appendix: int, report: Document, actor):
    """Add a predecessor's targets (scaled where a seed count is computed) and the results entered by hand."""
    term = resolution.term
    manual = 0
    for position, spec in enumerate(specs, start=1):
        text, threshold = spec.text, None if spec.threshold is None else Decimal(spec.threshold)
        if spec.seed_target is not None:
            found = indicators.get(spec.indicator)(resolution.organisation, term.start, term.end)
            demo_result = int(found.combined.numerator)
            threshold = Decimal(scaled(spec.seed_target, spec.seed_result, demo_result))
            text = _scaled_text(spec, int(threshold))
        target = targets.add_target(
            resolution,
            targets.TargetSpec(
                text=text,
                kind=spec.kind,
                period=spec.period,
                subject=spec.subject,
                source=Source.INDICATOR if spec.indicator else Source.MANUAL,
                threshold=threshold,
                strict=spec.strict,
                indicator=spec.indicator,
                position=position,
            ),
            actor,
        )
        if spec.value is not None:
            evidence = EVIDENCE.format(appendix=appendix, result=spec.result)
            targets.record_value(target, None, Decimal(spec.value), evidence, actor, document=report)
            manual += 1
    return manual


def merged_targets(resolution: Document, actor) -> list[Target]:
    """The 2025–2030 targets read from seed 003's text and confirmed as proposed (the reading page's path)."""
    reading = parser.read(TARGETS_2025_2030)
    specs = [
        targets.TargetSpec(
            text=p.text,
            kind=p.kind,
            period=p.period,
            subject=p.subject,
            source=p.source,
            threshold=p.threshold,
            strict=p.strict,
            indicator=p.indicator,
            position=p.position,
        )
        for p in reading.proposals
    ]
    return targets.add_targets(resolution, specs, actor)


def build(_b, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    actor = users["vanphong"]
    term_2020 = Term.objects.get(code="2020-2025")
    term_2025 = Term.objects.get(code="2025-2030")
    report = register.register(
        register.Entry(
            organisation=merged,
            doc_type=DocType.REPORT,
            body=Body.CONGRESS,
            date=CONGRESS_2025,
            term=term_2025,
            serial=1,
            title=f"Báo cáo chính trị trình Đại hội đại biểu {merged.name} lần thứ I, nhiệm kỳ 2025 - 2030",
            summary="Tăng cường xây dựng Đảng bộ các cơ quan Đảng thành phố trong sạch, vững mạnh; phát huy dân "
            "chủ, đoàn kết, gương mẫu, chủ động, sáng tạo; đề cao trách nhiệm nêu gương của cán bộ, đảng viên.",
            signed_by="T/M Ban Chấp hành",
        ),
        actor,
    )
    count, manual = 0, 0
    for code, appendix, specs in APPENDICES:
        resolution = _resolution_2020(Organisation.objects.get(code=code), term_2020, actor)
        register.link(report, LinkKind.REPORTS_ON, actor, target=resolution)
        manual += predecessor_targets(resolution, specs, appendix, report, actor)
        count += len(specs)
    resolution = register.register(
        register.Entry(
            organisation=merged,
            doc_type=DocType.RESOLUTION,
            body=Body.CONGRESS,
            date=CONGRESS_2025,
            term=term_2025,
            serial=2,
            title=f"Nghị quyết Đại hội đại biểu {merged.name} lần thứ I, nhiệm kỳ 2025 - 2030",
            signed_by="T/M Đoàn Chủ tịch Đại hội",
        ),
        actor,
    )
    count += len(merged_targets(resolution, actor))
    log(
        gettext("  resolutions: %(r)s congress resolutions with %(t)s targets, %(m)s results entered by hand")
        % {"r": _n(len(APPENDICES) + 1), "t": _n(count), "m": _n(manual)}
    )
