"""Discipline for the demo world (issue 12 item 2), in seed 003's proportions for the 2020–2025 term: 19
members disciplined — 10 reprimands, 6 warnings (written here, spread over the three predecessor committees
before the merger) and 3 expulsions (decided during the replay of the years, `expel`, so the member's later
history follows from the expulsion event) — then this year's items: a reprimand decided, a warning under
appeal (its deadline in the alerts), open cases (one whose limitation period ends within weeks), one closed
without discipline, a warning to a cell and two state bodies' notices. Everything goes through
dangvu.discipline.services, recorded by the inspection committee's `kiemtra` log-in (the replay's actor for
the expulsions). A member disciplined in a year is chosen among those graded 'not completed' that year
where there is one (the review cap)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext

from dangvu.accounts.models import User
from dangvu.discipline import authority, services
from dangvu.discipline.models import Form
from dangvu.lib.text import grouped as _n
from dangvu.members.models import Member, MemberPeriod, Status
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.reviews.models import Grade, Review
from dangvu.rules.registry import rules_on

TERM_FORMS = [Form.REPRIMAND] * 10 + [Form.WARNING] * 6
CATEGORIES = {
    Form.REPRIMAND: ["party_duties", "ethics_lifestyle", "democratic_centralism", "population_family"],
    Form.WARNING: ["economy_finance", "personnel", "ethics_lifestyle", "corruption"],
    Form.EXPULSION: ["corruption", "ethics_lifestyle"],
}
FACTS = {
    "party_duties": "Không tham gia sinh hoạt chi bộ nhiều kỳ liên tiếp, không đóng đảng phí đúng quy định.",
    "ethics_lifestyle": "Vi phạm quy định về những điều đảng viên không được làm.",
    "democratic_centralism": "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao, để xảy ra sai sót kéo dài.",
    "population_family": "Vi phạm chính sách dân số (sinh con thứ ba) theo quy định.",
    "economy_finance": "Thiếu trách nhiệm trong quản lý tài chính, tài sản công của đơn vị.",
    "personnel": "Vi phạm quy trình trong công tác tổ chức, cán bộ.",
    "corruption": "Lợi dụng chức vụ, nhận tiền của tổ chức, cá nhân để giải quyết công việc.",
}


def _number(serial: list[int], suffix: str) -> str:
    serial[0] += 1
    return f"{serial[0]:02d}-QĐ/{suffix}"


def _decide(case, form, day: dt.date, actor, rng: random.Random, serial: list[int]):
    member = case.member
    if member is not None:
        cell = services.cell_on(member, day)
        subject = authority.subject_levels(member=member, cell=cell, day=day)
    else:
        subject = authority.subject_levels(organisation=case.organisation, day=day)
    org, organ = rng.choice(authority.competent(rules_on(day), subject, form)[:3])
    suffix = {"committee": "CB" if org.holds_members else "ĐU", "standing": "ĐU", "inspection": "UBKT"}[organ]
    decision = services.Decision(
        form=form,
        decided_by=org,
        organ=organ,
        document_number=_number(serial, suffix),
        document_date=day,
        issuer="",
        effective_date=day,
    )
    return services.decide(case, decision, actor)


def _open(member, form, day: dt.date, actor, rng: random.Random, *, months_before: int = 3):
    category = rng.choice(CATEGORIES[form])
    return services.open_case(
        member=member,
        category=category,
        facts=FACTS[category],
        violation_date=day - dt.timedelta(days=30 * months_before + rng.randint(0, 60)),
        proposed_form=form,
        opened_on=day - dt.timedelta(days=rng.randint(10, 40)),
        actor=actor,
    )


def expel(member_id: int, day: dt.date, actor, serial: list[int]) -> None:
    """An expulsion during the replay of the years: the case opened and decided on `day`, which records the
    member's expulsion event. Its own random draws (the replay's sequence is left as it was)."""
    from dangvu.demo.shape import DEMO_SEED

    rng = random.Random(DEMO_SEED * 1000 + day.toordinal())
    member = Member.objects.get(pk=member_id)
    case = _open(member, Form.EXPULSION, day, actor, rng)
    _decide(case, Form.EXPULSION, day, actor, rng, serial)


def _members_under(root: Organisation, day: dt.date, exclude: set[int]) -> list[int]:
    """Members in the Party today who were in the Party under `root` on `day`."""
    orgs = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor=root).values("descendant_id")
    return list(
        MemberPeriod.objects.filter(MemberPeriod.on(day), organisation_id__in=orgs, status=Status.OFFICIAL)
        .filter(member__status=Status.OFFICIAL)
        .exclude(member_id__in=exclude)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )


def _pick(pool: list[int], year: int, rng: random.Random) -> int:
    capped = set(
        Review.objects.filter(campaign__year=year, grade=Grade.NOT_COMPLETED, member_id__in=pool).values_list(
            "member_id", flat=True
        )
    )
    return rng.choice(sorted(capped) if capped else pool)


def build(b, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    from dangvu.demo.shape import DEMO_SEED, MERGE_DAY, PREDECESSORS

    rng = random.Random(DEMO_SEED + 12)
    actor = users["kiemtra"]
    serial = [200]
    today = timezone.localdate()
    protected = {pk for ids in b.protected.values() for pk in ids}
    predecessors = [Organisation.objects.get(code=p.code) for p in PREDECESSORS]
    used = set(protected)
    forms = list(TERM_FORMS)
    rng.shuffle(forms)
    for n, form in enumerate(forms):
        root = predecessors[n % len(predecessors)]
        day = dt.date(2020, 10, 1) + dt.timedelta(days=rng.randint(0, (MERGE_DAY - dt.date(2020, 10, 2)).days))
        pool = _members_under(root, day, used)
        member_id = _pick(pool, day.year, rng)
        used.add(member_id)
        member = Member.objects.get(pk=member_id)
        _decide(_open(member, form, day, actor, rng), form, day, actor, rng, serial)
    # This year, in the merged committee.
    pool = _members_under(merged, today - dt.timedelta(days=160), used)
    rng.shuffle(pool)
    members = [Member.objects.get(pk=pk) for pk in pool[:8]]
    day = today - dt.timedelta(days=100)
    _decide(_open(members[0], Form.REPRIMAND, day, actor, rng), Form.REPRIMAND, day, actor, rng, serial)
    # A warning appealed long enough ago for its settling deadline (working days) to be near or past.
    day = today - dt.timedelta(days=150)
    appealed = _decide(_open(members[1], Form.WARNING, day, actor, rng), Form.WARNING, day, actor, rng, serial)
    services.lodge_appeal(appealed, day + dt.timedelta(days=12), f"Ủy ban Kiểm tra {merged.name}", actor)
    for member, form in ((members[2], Form.WARNING), (members[3], Form.REPRIMAND), (members[4], Form.EXPULSION)):
        _open(member, form, today - dt.timedelta(days=5), actor, rng)
    # A reprimand whose limitation period ends within weeks: an open case in the alerts.
    services.open_case(
        member=members[5],
        category="party_duties",
        facts=FACTS["party_duties"],
        violation_date=today.replace(year=today.year - 5) + dt.timedelta(days=20),
        proposed_form=Form.REPRIMAND,
        opened_on=today - dt.timedelta(days=3),
        actor=actor,
    )
    dropped = _open(members[6], Form.REPRIMAND, today - dt.timedelta(days=30), actor, rng)
    services.drop(dropped, "Qua xác minh, nội dung phản ánh không có cơ sở.", today - dt.timedelta(days=7), actor)
    cell = Organisation.objects.get(pk=members[7].organisation_id)
    org_case = services.open_case(
        organisation=cell,
        category="democratic_centralism",
        facts="Không duy trì sinh hoạt chi bộ định kỳ trong sáu tháng; buông lỏng quản lý đảng viên.",
        violation_date=today - dt.timedelta(days=200),
        proposed_form=Form.WARNING,
        opened_on=today - dt.timedelta(days=60),
        actor=actor,
    )
    _decide(org_case, Form.WARNING, today - dt.timedelta(days=30), actor, rng, serial)
    for member, body, form in (
        (members[2], "Sở Tài chính thành phố Cần Thơ", "Khiển trách"),
        (members[5], "Ủy ban nhân dân phường Ninh Kiều", "Cảnh cáo"),
    ):
        services.record_state_notice(
            member,
            body=body,
            form=form,
            document_number=f"{rng.randint(10, 99)}/QĐ-UBND",
            document_date=today - dt.timedelta(days=40),
            notified_on=today - dt.timedelta(days=36),
            actor=actor,
        )
    log(
        gettext("  discipline: %(n)s decided in the %(term)s term, open and current cases this year")
        % {"n": _n(len(forms) + 3), "term": "2020–2025"}
    )
