import datetime as dt

import pytest

from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind
from dangvu.members.services import record_event
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(db):
    return Term.objects.create(code="2020-2025", start=dt.date(2020, 1, 1), end=dt.date(2025, 12, 31))


def test_committee_seats_and_assignments(tree, people, term, cast):
    committee = committees.elect_committee(tree.a, term, dt.date(2020, 6, 1), cast.office, "01-NQ/ĐH")
    seat = committees.add_seat(committee, people["an"], Position.SECRETARY, dt.date(2020, 6, 1), cast.office)
    assignment = committees.assign_leadership(seat, tree.a_base, dt.date(2020, 7, 1), cast.office)
    assert assignment.history.first().history_user == cast.office
    assert list(tree.a_base.leadership_assignments.all()) == [assignment]


def test_committee_refusals(tree, people, term, cast):
    committee = committees.elect_committee(tree.a, term, dt.date(2020, 6, 1), cast.office)
    with pytest.raises(DomainError):
        committees.elect_committee(tree.a, term, dt.date(2020, 6, 2), cast.office)  # one per term
    with pytest.raises(DomainError):
        committees.elect_committee(tree.b, term, dt.date(2019, 6, 2), cast.office)  # outside the term
    seat = committees.add_seat(committee, people["an"], Position.SECRETARY, dt.date(2020, 6, 1), cast.office)
    with pytest.raises(DomainError):
        committees.add_seat(committee, people["binh"], Position.SECRETARY, dt.date(2020, 6, 1), cast.office)
    with pytest.raises(DomainError):
        committees.assign_leadership(seat, tree.c3, dt.date(2020, 7, 1), cast.office)  # not under A
    with pytest.raises(DomainError):
        committees.assign_leadership(seat, tree.c1, dt.date(2020, 7, 1), cast.office, valid_to=dt.date(2020, 1, 1))
    record_event(people["duc"], kind=EventKind.DEATH, date=dt.date(2021, 1, 1))
    people["duc"].refresh_from_db()
    with pytest.raises(DomainError):
        committees.add_seat(committee, people["duc"], Position.COMMITTEE_MEMBER, dt.date(2021, 6, 1), cast.office)
