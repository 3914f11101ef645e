"""The base of a congress's elections for each kind with each excused category (Quyết định 190-QĐ/TW), and the
eligibility of delegates read from the member records (issue 15 items 1 and 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.congress import rules, services
from dangvu.congress.models import CongressKind, Delegate, DelegateRole, ElectionKind
from dangvu.congress.tests.conftest import CLOSES, OPENS
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind
from dangvu.members.services import record_event
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
BEFORE = dt.date(2025, 6, 1)


@pytest.fixture
def records(tree, people):
    """A1's members with each category the member records show, and a probationary member."""
    away = testing.member(tree.c1, "Võ Văn Xa")
    record_event(away, kind=EventKind.TEMP_TRANSFER_OUT, date=BEFORE, external_organisation="Đảng bộ X")
    suspended = testing.member(tree.c1, "Đỗ Văn Đình")
    record_event(suspended, kind=EventKind.SUSPENSION, date=BEFORE)
    exempt = testing.member(tree.c2, "Hồ Thị Miễn", sex="F")
    record_event(exempt, kind=EventKind.EXEMPTION, date=BEFORE)
    probationary = testing.member(tree.c2, "Lý Văn Dự", admitted=dt.date(2025, 3, 1), official=False)
    return {"away": away, "suspended": suspended, "exempt": exempt, "probationary": probationary, **people}


def reasons(congress) -> dict[str, str]:
    return {p.name: p.excused for p in services.base(congress).excluded}


def test_members_congress_base_with_each_category(tree, term, records, cast):
    congress = services.create_congress(tree.a_base, term, CongressKind.MEMBERS, OPENS, CLOSES, cast.office)
    assert services.convene_members(congress, cast.office) == 6  # an, binh, duc and the three with categories
    assert services.convene_members(congress, cast.office) == 0  # kept, not convened twice
    assert not congress.delegates.filter(member=records["probationary"]).exists()  # attends, does not vote
    assert reasons(congress) == {
        "Võ Văn Xa": rules.AWAY,
        "Đỗ Văn Đình": rules.SUSPENDED,
        "Hồ Thị Miễn": rules.EXEMPT_ABSENT,
    }
    assert services.base(congress).size == 3
    an, binh, exempt = (congress.delegates.get(member=records[k]) for k in ("an", "binh", "exempt"))
    services.record_excused(an, rules.PROSECUTED, cast.office, "Tạm giam")
    services.record_excused(binh, rules.ABSENT_APPROVED, cast.office, "Ốm, có đơn")
    assert services.base(congress).size == 1 and services.base(congress).convened == 6
    assert services.base(congress).by_reason() == {
        rules.AWAY: 1,
        rules.SUSPENDED: 1,
        rules.EXEMPT_ABSENT: 1,
        rules.PROSECUTED: 1,
        rules.ABSENT_APPROVED: 1,
    }
    services.record_excused(exempt, "", cast.office)  # the exempt member attends and votes: counts
    assert services.base(congress).size == 2
    with pytest.raises(DomainError) as refused:
        services.record_excused(an, rules.ABSENT_NO_ALTERNATE, cast.office)  # a delegates' congress category
    assert "excused" in refused.value.message_dict
    with pytest.raises(DomainError):
        services.record_excused(congress.delegates.get(member=records["away"]), "", cast.office)  # from the record
    assert Delegate.history.filter(id=an.pk).first().history_user == cast.office


def test_members_congress_base_follows_the_rule_set_of_its_date(tree, term, records, cast):
    RuleSet.objects.create(
        effective_from=dt.date(2025, 9, 1),
        name="Thử: vắng có lý do vẫn tính",
        values={"congress.excused_members": ["away", "exempt_absent", "suspended", "prosecuted"]},
    )
    congress = services.create_congress(tree.a_base, term, CongressKind.MEMBERS, OPENS, CLOSES, cast.office)
    services.convene_members(congress, cast.office)
    with pytest.raises(DomainError):  # not a category of this rule set
        services.record_excused(congress.delegates.get(member=records["an"]), rules.ABSENT_APPROVED, cast.office)
    assert services.base(congress).size == 3


def test_delegates_congress_base_and_eligibility(tree, term, records, cast):
    congress = services.create_congress(tree.a, term, CongressKind.DELEGATES, OPENS, CLOSES, cast.office)
    with pytest.raises(DomainError):
        services.convene_members(congress, cast.office)
    official = [
        services.add_delegate(congress, records[k], DelegateRole.OFFICIAL, cast.office) for k in ("an", "binh", "duc")
    ]
    services.add_delegate(congress, records["exempt"], DelegateRole.ALTERNATE, cast.office)
    services.add_delegate(congress, records["em"], DelegateRole.INVITED, cast.office)  # a guest from B
    for key, words in (("suspended", "đình chỉ"), ("probationary", "chính thức"), ("em", "Không phải đảng viên")):
        with pytest.raises(DomainError) as refused:
            services.add_delegate(congress, records[key], DelegateRole.OFFICIAL, cast.office)
        assert words in " ".join(refused.value.message_dict["member"])
    with pytest.raises(DomainError):
        services.add_delegate(congress, records["an"], DelegateRole.OFFICIAL, cast.office)  # already on the list
    assert services.base(congress).size == 3  # only official delegates: not the alternate nor the guest
    services.record_excused(official[2], rules.ABSENT_NO_ALTERNATE, cast.office)
    base = services.base(congress)
    assert (base.convened, base.size, reasons(congress)) == (3, 2, {"Lê Minh Đức": rules.ABSENT_NO_ALTERNATE})
    for category in (rules.PROSECUTED, rules.ABSENT_APPROVED):  # members' congress categories
        with pytest.raises(DomainError):
            services.record_excused(official[0], category, cast.office)


def test_the_base_is_taken_when_voting_begins(tree, term, records, cast):
    congress = services.create_congress(tree.a_base, term, CongressKind.MEMBERS, OPENS, CLOSES, cast.office)
    services.convene_members(congress, cast.office)
    election = services.create_election(congress, ElectionKind.SECRETARY, 1, cast.office)
    services.propose(election, records["an"], cast.office)
    round_ = services.open_first_round(election, cast.office)
    assert (round_.convened, round_.base) == (6, 3)
    assert sorted(row["excused"] for row in round_.excluded) == sorted(
        [rules.AWAY, rules.SUSPENDED, rules.EXEMPT_ABSENT]
    )
    with pytest.raises(DomainError):
        services.record_excused(congress.delegates.get(member=records["binh"]), rules.PROSECUTED, cast.office)


def test_congress_input_is_checked(tree, term, cast):
    with pytest.raises(DomainError) as refused:
        services.create_congress(
            tree.a_base, term, CongressKind.MEMBERS, OPENS, OPENS - dt.timedelta(days=1), cast.office
        )
    assert "ends_on" in refused.value.message_dict
    services.create_congress(tree.a_base, term, CongressKind.MEMBERS, OPENS, CLOSES, cast.office)
    with pytest.raises(DomainError) as refused:
        services.create_congress(tree.a_base, term, CongressKind.DELEGATES, OPENS, CLOSES, cast.office)
    assert "term" in refused.value.message_dict


def test_candidates_must_be_eligible(tree, term, records, cast):
    congress = services.create_congress(tree.a_base, term, CongressKind.MEMBERS, OPENS, CLOSES, cast.office)
    election = services.create_election(congress, ElectionKind.COMMITTEE, 3, cast.office)
    for key in ("suspended", "probationary", "em"):
        with pytest.raises(DomainError):
            services.propose(election, records[key], cast.office)
    with pytest.raises(DomainError) as refused:
        services.create_election(congress, ElectionKind.SECRETARY, 2, cast.office)
    assert "seats" in refused.value.message_dict
