"""Inspection and supervision for the demo world (issue 12 items 1, 5): the yearly programmes 2020–2025 of each
predecessor committee and of its inspection committee, then of the merged committee (2025 from the merger,
and this year); inspections and supervisions in them with conclusions and remediation items (most closed on
time, a few late); an inspection on signs of violation outside the programme; this year's items still
open with deadlines (in the alerts); review suggestions to grassroots organisations with their issues.

Coverage in line with seed 003 (appendix 2: "Hằng năm, Đảng ủy kiểm tra, giám sát 10% tổ chức cơ sở đảng" —
result 11.7%): of the 15 grassroots organisations of the three predecessors, 9 organisation-years are
inspected or supervised themselves in 2020–2024 (≈ 12% a year). Everything goes through
dangvu.inspection.services and .suggestions, recorded by `kiemtra` where the merged committee is theirs
and by the administrator for the predecessors' years (outside kiemtra's subtree)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext

from dangvu.accounts.models import User
from dangvu.inspection import services, suggestions
from dangvu.inspection.access import can_manage
from dangvu.inspection.models import Kind, Mode, Organ
from dangvu.lib.text import grouped as _n
from dangvu.members.models import MemberPeriod, Status
from dangvu.orgs.models import OrgAncestry, Organisation, OrgKind

# Which predecessor covers one of its grassroots organisations in which year (seed 003: ≈ 12 % a year).
COVERED_YEARS = {"CT-KDCD": (2020, 2021, 2022, 2023, 2024), "ST-KCQDN": (2020, 2022), "HG-KCQ": (2021, 2023)}
TOPICS = [
    "Việc thực hiện nguyên tắc tập trung dân chủ, quy chế làm việc của cấp ủy",
    "Việc lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị của cơ quan, đơn vị",
    "Công tác quản lý tài chính, thu, nộp, quản lý và sử dụng đảng phí",
    "Việc thực hiện Quy định về trách nhiệm nêu gương của cán bộ, đảng viên",
    "Công tác phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Việc duy trì sinh hoạt chi bộ và chất lượng sinh hoạt chi bộ",
]
CONCLUSION = (
    "Cấp ủy đã lãnh đạo, chỉ đạo thực hiện cơ bản đầy đủ các nội dung được kiểm tra, giám sát.\nHạn chế: {flaw}"
)
FLAWS = [
    ("Biên bản sinh hoạt chi bộ ghi chưa đầy đủ ý kiến thảo luận.", "Bổ sung, hoàn thiện sổ biên bản sinh hoạt"),
    ("Chậm ban hành quy chế làm việc nhiệm kỳ.", "Ban hành quy chế làm việc của cấp ủy"),
    ("Thu, nộp đảng phí có tháng chưa đúng thời gian quy định.", "Chấn chỉnh việc thu, nộp đảng phí"),
    ("Chưa kịp thời sơ kết việc thực hiện chuyên đề.", "Tổ chức sơ kết chuyên đề và báo cáo cấp trên"),
]
TEAM = "Trưởng đoàn: Ủy viên Ủy ban Kiểm tra\nThành viên: Cán bộ Cơ quan Ủy ban Kiểm tra"


def _grassroots(root: Organisation, day: dt.date) -> list[Organisation]:
    ids = OrgAncestry.objects.filter(
        OrgAncestry.on(day), ancestor=root, depth__gt=0, descendant__kind__in=OrgKind.grassroots()
    ).values("descendant_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("code"))


def _cells(org: Organisation, day: dt.date) -> list[Organisation]:
    ids = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor=org, depth__gt=0).values("descendant_id")
    return list(Organisation.objects.filter(pk__in=ids, kind=OrgKind.CELL).order_by("code"))


def _member_under(org: Organisation, day: dt.date, rng: random.Random):
    ids = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor=org).values("descendant_id")
    rows = list(
        MemberPeriod.objects.filter(MemberPeriod.on(day), organisation_id__in=ids, status=Status.OFFICIAL)
        .order_by("member_id")
        .select_related("member")[:40]
    )
    return rng.choice(rows).member if rows else None


class _Recorder:
    def __init__(self, users: dict[str, User], rng: random.Random, today: dt.date):
        self.users, self.rng, self.today = users, rng, today
        self.serial = 300
        self.programmes: dict[tuple[int, str, int], object] = {}

    def actor(self, org: Organisation) -> User:
        kiemtra = self.users["kiemtra"]
        return kiemtra if can_manage(kiemtra, org) else self.users["admin"]

    def number(self, code: str) -> str:
        self.serial += 1
        return f"{self.serial % 100:02d}-{code}/UBKT"

    def programme(self, org: Organisation, organ: str, year: int, approved: dt.date):
        key = (org.pk, organ, year)
        if key not in self.programmes:
            body = "Ủy ban Kiểm tra" if organ == Organ.INSPECTION else "Đảng ủy"
            self.programmes[key] = services.create_programme(
                organisation=org,
                organ=organ,
                year=year,
                title=f"Chương trình kiểm tra, giám sát năm {year} của {body}",
                approved_on=approved,
                document_number=f"{self.rng.randint(1, 9):02d}-CTr/{'UBKT' if organ == Organ.INSPECTION else 'ĐU'}",
                actor=self.actor(org),
            )
        return self.programmes[key]

    def activity(self, org, start: dt.date, *, kind, mode, organ=Organ.INSPECTION, orgs=(), members=(), days=20):
        programme = None if mode == Mode.SIGNS else self.programme(org, organ, start.year, dt.date(start.year, 1, 15))
        return services.create_activity(
            services.Plan(
                organisation=org,
                organ=organ,
                kind=kind,
                mode=mode,
                title=self.rng.choice(TOPICS),
                start=start,
                end=start + dt.timedelta(days=days),
                team=TEAM,
                programme=programme,
                organisations=list(orgs),
                members=list(members),
                decision_number=self.number("QĐ"),
                decided_on=start - dt.timedelta(days=10),
            ),
            self.actor(org),
        )

    def conclude(self, activity, *, closed: str = "on_time") -> None:
        """Conclude 10 days after the last day with one remediation item: closed on time, late or left
        open (`closed` = "on_time", "late", "open")."""
        actor = self.actor(activity.organisation)
        flaw, fix = self.rng.choice(FLAWS)
        day = activity.end + dt.timedelta(days=10)
        services.conclude(
            activity,
            concluded_on=day,
            conclusion=CONCLUSION.format(flaw=flaw),
            number=self.number("TB"),
            actor=actor,
        )
        deadline = day + dt.timedelta(days=90)
        item = services.add_remediation(
            activity, description=fix, owner=f"Cấp ủy {activity.subjects.first()}", deadline=deadline, actor=actor
        )
        if closed != "open":
            closed_on = deadline - dt.timedelta(days=15) if closed == "on_time" else deadline + dt.timedelta(days=20)
            services.close_remediation(
                item, closed_on=closed_on, evidence="Báo cáo kết quả khắc phục và biên bản kiểm tra lại", actor=actor
            )


def build(b, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    from dangvu.demo.shape import DEMO_SEED, MERGE_DAY, PREDECESSORS

    rng = random.Random(DEMO_SEED + 13)
    today = timezone.localdate()
    r = _Recorder(users, rng, today)
    count = 0
    for spec in PREDECESSORS:
        root = Organisation.objects.get(code=spec.code)
        for year in range(2020, 2026):
            r.programme(root, Organ.COMMITTEE, year, dt.date(year, 1, 10))
            r.programme(root, Organ.INSPECTION, year, dt.date(year, 1, 15))
            if year == 2025:  # before the merger: one regular supervision of a cell
                start = dt.date(2025, 3, 3)
                cells = _cells(root, start)
                if cells:
                    r.conclude(r.activity(root, start, kind=Kind.SUPERVISION, mode=Mode.REGULAR, orgs=[cells[0]]))
                    count += 1
                continue
            start = dt.date(year, 4, 1) + dt.timedelta(days=rng.randint(0, 120))
            grassroots = _grassroots(root, start)
            if year in COVERED_YEARS.get(spec.code, ()) and grassroots:
                subject = grassroots[(year - 2020) % len(grassroots)]
                kind, mode = rng.choice([(Kind.INSPECTION, Mode.THEMATIC), (Kind.SUPERVISION, Mode.THEMATIC)])
                activity = r.activity(root, start, kind=kind, mode=mode, orgs=[subject])
                r.conclude(activity, closed="late" if rng.random() < 0.2 else "on_time")
                count += 1
            # A supervision of a member each year (not coverage: a member, not an organisation).
            member = _member_under(root, start, rng)
            if member is not None:
                day = start + dt.timedelta(days=30)
                r.conclude(r.activity(root, day, kind=Kind.SUPERVISION, mode=Mode.REGULAR, members=[member]))
                count += 1
        # An inspection on signs of violation, outside the programme (2023).
        day = dt.date(2023, 9, 11)
        member = _member_under(root, day, rng)
        if member is not None:
            r.conclude(r.activity(root, day, kind=Kind.INSPECTION, mode=Mode.SIGNS, members=[member]))
            count += 1

    # The merged committee: 2025 from the merger, and this year with items still open.
    start = MERGE_DAY + dt.timedelta(days=62)
    grassroots = _grassroots(merged, start)
    r.programme(merged, Organ.INSPECTION, 2025, MERGE_DAY + dt.timedelta(days=20))
    for subject in grassroots[:2]:
        r.conclude(r.activity(merged, start, kind=Kind.INSPECTION, mode=Mode.THEMATIC, orgs=[subject]))
        start += dt.timedelta(days=30)
        count += 1
    year_start = today - dt.timedelta(days=120)
    if year_start > start:
        now = _grassroots(merged, year_start)
        first = r.activity(merged, year_start, kind=Kind.INSPECTION, mode=Mode.REGULAR, orgs=now[2:4])
        services.conclude(
            first,
            concluded_on=first.end + dt.timedelta(days=7),
            conclusion=CONCLUSION.format(flaw=FLAWS[1][0]),
            number=r.number("TB"),
            actor=r.actor(merged),
        )
        for days, (_flaw, fix) in ((-12, FLAWS[0]), (18, FLAWS[2])):  # one overdue, one due within weeks
            services.add_remediation(
                first,
                description=fix,
                owner=f"Cấp ủy {now[2].name}",
                deadline=today + dt.timedelta(days=days),
                actor=r.actor(merged),
            )
        ongoing_day = today - dt.timedelta(days=5)
        r.activity(merged, ongoing_day, kind=Kind.SUPERVISION, mode=Mode.THEMATIC, orgs=now[4:5], days=25)
        count += 2

    # Review suggestions for the 2025 review, one issue remedied, the other due soon.
    sent_on = max(MERGE_DAY + dt.timedelta(days=1), today - dt.timedelta(days=40))
    for subject in _grassroots(merged, sent_on)[:2]:
        s = suggestions.send(
            sender=merged,
            organisation=subject,
            year=sent_on.year if sent_on.month >= 10 else sent_on.year - 1,
            sent_on=sent_on,
            issues=[
                ("Chậm khắc phục hạn chế, khuyết điểm đã được chỉ ra năm trước.", sent_on + dt.timedelta(days=30)),
                ("Chất lượng sinh hoạt chi bộ chưa cao, nội dung chưa thiết thực.", today + dt.timedelta(days=21)),
            ],
            document_number=f"{rng.randint(10, 99)}-CV/ĐU",
            actor=r.actor(merged),
        )
        first_issue = s.issues.order_by("deadline").first()
        if first_issue.deadline <= today:
            suggestions.close_issue(
                first_issue,
                closed_on=first_issue.deadline - dt.timedelta(days=3),
                evidence="Biên bản kiểm điểm và kế hoạch khắc phục",
                actor=r.actor(merged),
            )
    log(
        gettext("  inspection: %(p)s programmes, %(n)s inspections and supervisions, %(s)s review suggestions")
        % {"p": _n(len(r.programmes)), "n": _n(count), "s": _n(2)}
    )
