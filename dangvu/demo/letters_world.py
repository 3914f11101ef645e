"""Letters for the demo world (issue 12 items 3 and 4), in seed 003's footnote 3 for the 2020–2025 term: 15
letters — Cần Thơ 8 (5 forwarded to grassroots committees, 1 anonymous and 2 under a false name, not
handled), Sóc Trăng 4 (1 handled, 3 transferred to the competent body), Hậu Giang 3 (handled) — the letters
handled ending in one discipline (linked to a discipline case of the term) and reviews with lessons drawn;
then this year's open letters in the merged committee: one to screen, one to route, one being handled with its
deadline near, one extended. Senders are synthetic people, stored encrypted like any other. Everything goes
through dangvu.letters.services, recorded by the inspection committee's `kiemtra` log-in, who is also
designated head of the merged committee's inspection committee (reads the log of who saw the senders)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext

from dangvu.accounts.models import User
from dangvu.demo import names
from dangvu.demo.discipline_world import _members_under
from dangvu.discipline.models import Case, CaseState
from dangvu.letters import services
from dangvu.letters.models import Channel, Kind, Route, Signed
from dangvu.lib.text import grouped as _n
from dangvu.members.models import Member
from dangvu.orgs.models import OrgAncestry, Organisation, OrgKind

# (predecessor index, signed, route, outcome) per letter of the term, seed 003 footnote 3.
TERM = (
    [(0, Signed.NAMED, Route.FORWARD, "")] * 5
    + [(0, Signed.ANONYMOUS, "", ""), (0, Signed.FALSE_NAME, "", ""), (0, Signed.FALSE_NAME, "", "")]
    + [(1, Signed.NAMED, Route.HANDLE, "discipline")]
    + [(1, Signed.NAMED, Route.TRANSFER, "")] * 3
    + [(2, Signed.NAMED, Route.HANDLE, "lessons")] * 3
)
CONTENT = [
    "Phản ánh đảng viên sử dụng xe công vào việc riêng.",
    "Tố cáo đảng viên vay mượn tiền của nhiều người nhưng không trả.",
    "Phản ánh việc bình xét thi đua cuối năm thiếu khách quan.",
    "Tố cáo đảng viên có thái độ hách dịch khi giải quyết hồ sơ của người dân.",
    "Phản ánh đảng viên vi phạm quy định về xây dựng nhà ở.",
]
TRANSFER_TO = ["Thanh tra tỉnh Sóc Trăng", "Công an tỉnh Sóc Trăng", "Sở Nội vụ tỉnh Sóc Trăng"]


def _sender(rng: random.Random) -> services.Sender:
    female = rng.random() < 0.46
    full_name = " ".join(
        (
            names._pick(rng, names.KINH_FAMILY),
            names._pick(rng, names.FEMALE_MIDDLE if female else names.MALE_MIDDLE),
            rng.choice(names.FEMALE_GIVEN if female else names.MALE_GIVEN),
        )
    )
    address = f"Số {rng.randint(1, 199)}, khu vực {rng.randint(1, 9)}"
    return services.Sender(full_name, address, f"09{rng.randint(10**7, 10**8 - 1)}")


def _receive(committee, day, signed, about, rng, serial, actor, *, channel=Channel.POST):
    serial[0] += 1
    senders = [] if signed == Signed.ANONYMOUS else [_sender(rng)]
    return services.receive(
        committee,
        number=f"{serial[0]:02d}/ĐT-UBKT",
        received_on=day,
        channel=channel,
        kind=Kind.DENUNCIATION if rng.random() < 0.6 else Kind.FEEDBACK,
        signed=signed,
        senders=senders,
        content=rng.choice(CONTENT),
        about_member=about,
        actor=actor,
    )


def _grassroots(root: Organisation, day: dt.date) -> list[Organisation]:
    ids = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor=root).values("descendant_id")
    return [
        o
        for o in Organisation.objects.filter(pk__in=ids, kind__in=OrgKind.grassroots()).order_by("path")
        if o.pk != root.pk and o.in_force_on(day)
    ]


def _handlers(root, day, about, rng) -> list[Member]:
    pool = [pk for pk in _members_under(root, day, {about.pk}) if pk != about.pk]
    return list(Member.objects.filter(pk__in=rng.sample(pool, min(2, len(pool)))))


def build(b, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    from dangvu.demo.shape import DEMO_SEED, MERGE_DAY, PREDECESSORS

    rng = random.Random(DEMO_SEED + 13)
    actor = users["kiemtra"]
    serial = [0]
    predecessors = [Organisation.objects.get(code=p.code) for p in PREDECESSORS]
    for index, signed, route, outcome in TERM:
        root = predecessors[index]
        case = None
        if outcome == "discipline":  # the letter that led to a discipline case of the term
            candidates = Case.objects.filter(
                state=CaseState.DECIDED,
                member__isnull=False,
                opened_on__lt=MERGE_DAY,
                opened_on__gt=dt.date(2021, 3, 1),
            ).order_by("opened_on")
            case = next(  # a case of a cell then under this predecessor (the tree of the opening day)
                (
                    c
                    for c in candidates
                    if OrgAncestry.objects.filter(
                        OrgAncestry.on(c.opened_on), ancestor=root, descendant_id=c.organisation_id
                    ).exists()
                ),
                None,
            )
        if case is not None:
            day = case.opened_on - dt.timedelta(days=40)
            about = case.member
        else:
            day = dt.date(2020, 11, 1) + dt.timedelta(days=rng.randint(0, (MERGE_DAY - dt.date(2020, 12, 15)).days))
            about = Member.objects.get(pk=rng.choice(_members_under(root, day, set())))
        letter = _receive(root, day, signed, about, rng, serial, actor)
        screened = day + dt.timedelta(days=3)
        letter = services.screen(letter, screened_on=screened, actor=actor)
        if not route:
            continue
        routed = screened + dt.timedelta(days=4)
        if route == Route.FORWARD:
            options = _grassroots(root, routed) or [root]
            services.route(letter, route=route, routed_on=routed, forwarded_to=rng.choice(options), actor=actor)
        elif route == Route.TRANSFER:
            services.route(letter, route=route, routed_on=routed, transferred_to=rng.choice(TRANSFER_TO), actor=actor)
        else:
            letter = services.route(
                letter, route=route, routed_on=routed, handlers=_handlers(root, routed, about, rng), actor=actor
            )
            concluded = case.opened_on if case is not None else routed + dt.timedelta(days=rng.randint(30, 70))
            services.conclude(
                letter,
                outcome="discipline" if case is not None else "lessons",
                concluded_on=concluded,
                conclusion=(
                    "Nội dung tố cáo có cơ sở; đề nghị xem xét kỷ luật."
                    if case is not None
                    else "Nội dung đơn đúng một phần; đảng viên đã kiểm điểm rút kinh nghiệm trước chi bộ."
                ),
                existing_case=case,
                result_notice_on=concluded + dt.timedelta(days=5),
                actor=actor,
            )
    # This year, in the merged committee: letters open at each step, one near its deadline.
    today = timezone.localdate()
    pool = _members_under(merged, today - dt.timedelta(days=200), set())
    rng.shuffle(pool)
    about = [Member.objects.get(pk=pk) for pk in pool[:4]]
    _receive(merged, today - dt.timedelta(days=2), Signed.NAMED, about[0], rng, serial, actor, channel=Channel.EMAIL)
    accepted = _receive(merged, today - dt.timedelta(days=10), Signed.NAMED, about[1], rng, serial, actor)
    services.screen(accepted, screened_on=today - dt.timedelta(days=8), actor=actor)
    for n, days_ago in enumerate((118, 150)):
        letter = _receive(merged, today - dt.timedelta(days=days_ago), Signed.NAMED, about[2 + n], rng, serial, actor)
        accepted_on = today - dt.timedelta(days=days_ago - 3)
        services.screen(letter, screened_on=accepted_on, actor=actor)
        letter = services.route(
            letter,
            route=Route.HANDLE,
            routed_on=accepted_on,
            handlers=_handlers(merged, accepted_on, about[2 + n], rng),
            actor=actor,
        )
        if n == 1:
            services.extend(
                letter,
                days=20,
                reason="Cần xác minh thêm tại cơ quan, đơn vị nơi đảng viên công tác.",
                notice_on=min(letter.due_on, today),
                actor=actor,
            )
    services.designate_head(merged, actor, valid_from=MERGE_DAY, actor=users.get("admin") or actor)
    log(
        gettext("  letters: %(n)s in the %(term)s term, %(open)s open this year")
        % {"n": _n(len(TERM)), "term": "2020–2025", "open": _n(4)}
    )
