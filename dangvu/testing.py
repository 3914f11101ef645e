"""Test helpers shared by every app's tests: a small tree and a named cast of users.

The cast (see `Cast`) lets each test prove both *allowed* and *denied*:
- admin: system administrator;
- office: committee office of committee A (whole subtree of A);
- inspector, leader: inspection committee / leader of committee A;
- secretary: cell secretary of cell C1 (under A);
- member: a plain party member in C1 (own record only);
- outsider: committee office of committee B (a sibling of A: sees nothing of A).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dangvu.accounts.models import Role, RoleAssignment, User
from dangvu.members import citizen_id
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organisation, OrgKind

PASSWORD = "Test-password-2025"
D0 = dt.date(2015, 1, 1)
_ids = itertools.count(1)
# Serials of synthetic citizen IDs: high, so that they do not meet the low serials tests write by hand.
_serials = itertools.count(900_001)


def new_citizen_id(sex: str, birth_date: dt.date, province: str = "092") -> str:
    """A citizen ID of the legal layout (dangvu.members.citizen_id) that agrees with `sex` and `birth_date`,
    unique within the test run."""
    return citizen_id.compose(province, sex, birth_date, 900_000 + next(_serials) % 100_000)


def org(parent: Organisation | None, code: str, name: str, kind: str, day: dt.date = D0) -> Organisation:
    effects = org_services.establish(parent, org_services.OrgSpec(code, name, kind), day, org_services.Document(), None)
    return effects.created[0]


def member(
    cell: Organisation,
    full_name: str = "",
    *,
    birth: dt.date = dt.date(1985, 5, 5),
    admitted: dt.date = dt.date(2016, 3, 1),
    official: bool = True,
    citizen_id: str | None = None,
    card_number: str | None = None,
    sex: str = "M",
    **fields,
) -> Member:
    n = next(_ids)
    events = [{"kind": EventKind.ADMISSION, "date": admitted, "organisation": cell, "document_number": f"{n}-QĐ/ĐU"}]
    if official:
        events.append(
            {"kind": EventKind.OFFICIAL, "date": admitted.replace(year=admitted.year + 1), "organisation": cell}
        )
    return member_services.create_member(
        {
            "full_name": full_name or f"Nguyễn Văn Thử {n}",
            "sex": sex,
            "birth_date": birth,
            "citizen_id": citizen_id or new_citizen_id(sex, birth),
            "card_number": card_number,
            **fields,
        },
        events,
    )


@dataclass
class Tree:
    city: Organisation
    a: Organisation
    a_base: Organisation
    c1: Organisation
    c2: Organisation
    a_cell_base: Organisation
    b: Organisation
    b_base: Organisation
    c3: Organisation


def make_tree() -> Tree:
    city = org(None, "TP", "Đảng bộ thành phố Thử", OrgKind.PROVINCIAL)
    a = org(city, "A", "Đảng bộ các cơ quan A", OrgKind.DIRECT)
    a_base = org(a, "A1", "Đảng bộ Sở Một", OrgKind.GRASSROOTS_COMMITTEE)
    c1 = org(a_base, "A1-C1", "Chi bộ Phòng Một", OrgKind.CELL)
    c2 = org(a_base, "A1-C2", "Chi bộ Phòng Hai", OrgKind.CELL)
    a_cell_base = org(a, "A2", "Chi bộ Ban Hai", OrgKind.GRASSROOTS_CELL)
    b = org(city, "B", "Đảng bộ khối B", OrgKind.DIRECT)
    b_base = org(b, "B1", "Đảng bộ Công ty Ba", OrgKind.GRASSROOTS_COMMITTEE)
    c3 = org(b_base, "B1-C3", "Chi bộ Phân xưởng Ba", OrgKind.CELL)
    return Tree(city, a, a_base, c1, c2, a_cell_base, b, b_base, c3)


@dataclass
class Cast:
    admin: User
    office: User
    inspector: User
    leader: User
    secretary: User
    member: User
    outsider: User
    nobody: User

    def all(self) -> dict[str, User]:
        return dict(self.__dict__)


def user(
    username: str,
    role: str | None = None,
    organisation: Organisation | None = None,
    member_record: Member | None = None,
) -> User:
    u = User.objects.create_user(username=username, password=PASSWORD, first_name=username, member=member_record)
    if role:
        RoleAssignment.objects.create(user=u, role=role, organisation=organisation, valid_from=D0)
    return u


def make_cast(tree: Tree, own_member: Member) -> Cast:
    return Cast(
        admin=user("admin", Role.ADMIN),
        office=user("office", Role.OFFICE, tree.a),
        inspector=user("inspector", Role.INSPECTION, tree.a),
        leader=user("leader", Role.LEADER, tree.a),
        secretary=user("secretary", Role.CELL_SECRETARY, tree.c1),
        member=user("member", Role.MEMBER, tree.c1, member_record=own_member),
        outsider=user("outsider", Role.OFFICE, tree.b),
        nobody=user("nobody"),
    )


def keep_alert_sources(monkeypatch, *modules: str) -> None:
    """Limit the alerts list to the sources of `modules` (tests about one module's deadlines are not
    about the items other modules add, e.g. every cell's missing monthly meeting in a bare test tree)."""
    from dangvu.alerts import sources

    monkeypatch.setattr(sources, "SOURCES", [fn for fn in sources.SOURCES if fn.__module__ in modules])


RECORDED_LATE_SINCE = dt.date(2001, 1, 1)


def allow_recording_old_meetings(days: int = 365 * 30) -> None:
    """For tests that build a history of meetings long before today: a rule set (in force since 2001) that
    lets a meeting be recorded `days` after it was held (`meeting.record_past_days`, 30 by default)."""
    from dangvu.rules.models import RuleSet

    RuleSet.objects.create(
        effective_from=RECORDED_LATE_SINCE,
        name="Ghi nhận muộn (kiểm thử)",
        values={"meeting.record_past_days": days},
    )
