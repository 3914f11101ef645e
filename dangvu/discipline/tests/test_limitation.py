"""The limitation period (thời hiệu) at its boundaries, on both sides, by form and category, and its restart
by a new violation; the refusal names the rule and the dates (issue 12 item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.discipline import checks, services
from dangvu.discipline.models import Case, Form, Organ
from dangvu.discipline.tests.conftest import decision, open_member_case
from dangvu.lib.errors import DomainError
from dangvu.rules import presentation
from dangvu.rules.registry import rules_on

pytestmark = pytest.mark.django_db
V = dt.date(2016, 3, 10)


@pytest.mark.parametrize(
    "form,last_day",
    [(Form.REPRIMAND, dt.date(2021, 3, 10)), (Form.WARNING, dt.date(2026, 3, 10))],
)
def test_boundary_both_sides(tree, people, cast, form, last_day):
    assert open_member_case(people["binh"], cast.inspector, form, violation=V, opened=last_day)
    with pytest.raises(DomainError) as error:
        open_member_case(people["an"], cast.inspector, form, violation=V, opened=last_day + dt.timedelta(days=1))
    message = error.value.message_dict["proposed_form"][0]
    assert presentation.label("discipline.limitation_years") in message
    assert last_day.strftime("%d/%m/%Y") in message
    assert Case.objects.filter(member=people["an"]).count() == 0


def test_removal_from_post_has_ten_years(tree, people, cast, seat):
    # (refused first: the later case's violation would restart the earlier one's period)
    with pytest.raises(DomainError):
        open_member_case(
            people["duc"], cast.inspector, Form.REMOVAL, violation=dt.date(2016, 6, 30), opened=dt.date(2026, 7, 1)
        )
    assert open_member_case(
        people["duc"], cast.inspector, Form.REMOVAL, violation=dt.date(2016, 7, 1), opened=dt.date(2026, 7, 1)
    )


def test_expulsion_has_no_limitation(tree, people, cast):
    assert open_member_case(people["binh"], cast.inspector, Form.EXPULSION, violation=dt.date(2001, 1, 1))


@pytest.mark.parametrize("category", ["internal_politics", "defence_security_foreign"])
def test_categories_without_limitation(tree, people, cast, category):
    case = open_member_case(
        people["binh"], cast.inspector, Form.REPRIMAND, violation=dt.date(2005, 1, 1), category=category
    )
    assert case.pk


def test_restarted_by_a_new_violation(tree, people, cast):
    """A reprimand for 10/03/2016 expired on 10/03/2021; a new violation on 01/02/2021 (within the period)
    restarts it until 01/02/2026. A new violation after the period has ended restarts nothing."""
    old = open_member_case(people["binh"], cast.inspector, Form.EXPULSION, violation=V, opened=dt.date(2016, 4, 1))
    services.drop(old, "Chưa đủ căn cứ", dt.date(2016, 5, 1), cast.inspector)
    # A dropped case is not a violation: it restarts nothing.
    with pytest.raises(DomainError):
        services.open_case(
            member=people["binh"],
            category="party_duties",
            facts="x",
            violation_date=V,
            proposed_form=Form.REPRIMAND,
            opened_on=dt.date(2025, 1, 1),
            actor=cast.inspector,
        )
    open_member_case(
        people["binh"], cast.inspector, Form.WARNING, violation=dt.date(2021, 2, 1), opened=dt.date(2021, 3, 1)
    )
    case = open_member_case(people["binh"], cast.inspector, Form.REPRIMAND, violation=V, opened=dt.date(2026, 2, 1))
    assert case.pk
    with pytest.raises(DomainError) as error:
        services.decide(
            case, decision(Form.REPRIMAND, tree.c1, Organ.COMMITTEE, day=dt.date(2026, 2, 2)), cast.inspector
        )
    message = error.value.message_dict["form"][0]
    assert "01/02/2021" in message and "01/02/2026" in message


def test_limitation_end_pure():
    values = rules_on(dt.date(2026, 1, 1))
    years = checks.limitation_years(values, Form.REPRIMAND, "party_duties")
    assert checks.limitation_end(dt.date(2016, 2, 29), years, [])[0] == dt.date(2021, 2, 28)
    # two restarts in a chain; a violation past the end breaks the chain
    later = [dt.date(2020, 1, 1), dt.date(2024, 12, 31), dt.date(2031, 1, 1)]
    assert checks.limitation_end(dt.date(2016, 1, 1), years, later) == (dt.date(2029, 12, 31), dt.date(2024, 12, 31))
    assert checks.limitation_years(values, Form.WARNING, "internal_politics") is None
