"""Every discipline form allowed or refused by the subject's status and post (issue 12 item 2): official
members (removal from post only with a post), probationary members, party organisations; refusals name the
rule, nothing is written, and a later rule set changes the table."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.discipline import services
from dangvu.discipline.models import Case, Form, Organ
from dangvu.discipline.tests.conftest import OPENED, decision, open_member_case
from dangvu.lib.errors import DomainError
from dangvu.rules import presentation
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db

OFFICIAL_NO_POST = {
    Form.REPRIMAND: True,
    Form.WARNING: True,
    Form.REMOVAL: False,
    Form.EXPULSION: True,
    Form.DISSOLUTION: False,
}


@pytest.mark.parametrize("form,allowed", OFFICIAL_NO_POST.items())
def test_official_member_without_a_post(tree, people, cast, form, allowed):
    if allowed:
        assert open_member_case(people["binh"], cast.inspector, form).proposed_form == form
        return
    with pytest.raises(DomainError) as error:
        open_member_case(people["binh"], cast.inspector, form)
    message = error.value.message_dict["proposed_form"][0]
    assert presentation.label("discipline.forms") in message
    if form == Form.REMOVAL:
        assert "chức vụ" in message or "post" in message
    assert not Case.objects.exists()


@pytest.mark.parametrize("form", list(Form))
def test_official_member_holding_a_post(tree, people, cast, seat, form):
    if form == Form.DISSOLUTION:
        with pytest.raises(DomainError):
            open_member_case(people["duc"], cast.inspector, form)
    else:
        assert open_member_case(people["duc"], cast.inspector, form).proposed_form == form


@pytest.mark.parametrize(
    "form,allowed",
    {
        Form.REPRIMAND: True,
        Form.WARNING: True,
        Form.REMOVAL: False,
        Form.EXPULSION: False,
        Form.DISSOLUTION: False,
    }.items(),
)
def test_probationary_member(tree, cast, form, allowed):
    probationary = testing.member(tree.c1, "Võ Thị Dự Bị", admitted=dt.date(2026, 3, 1), official=False)
    if allowed:
        assert open_member_case(probationary, cast.inspector, form, violation=dt.date(2026, 5, 1))
        return
    with pytest.raises(DomainError) as error:
        open_member_case(probationary, cast.inspector, form, violation=dt.date(2026, 5, 1))
    assert presentation.label("discipline.forms") in error.value.message_dict["proposed_form"][0]


@pytest.mark.parametrize(
    "form,allowed",
    {
        Form.REPRIMAND: True,
        Form.WARNING: True,
        Form.REMOVAL: False,
        Form.EXPULSION: False,
        Form.DISSOLUTION: True,
    }.items(),
)
def test_organisation(tree, cast, form, allowed):
    kwargs = dict(
        organisation=tree.c2,
        category="democratic_centralism",
        facts="Không duy trì sinh hoạt định kỳ.",
        violation_date=dt.date(2026, 1, 5),
        proposed_form=form,
        opened_on=OPENED,
        actor=cast.inspector,
    )
    if allowed:
        assert services.open_case(**kwargs).subject_kind == "organisation"
        return
    with pytest.raises(DomainError):
        services.open_case(**kwargs)


def test_decided_form_is_checked_again_at_the_decision(tree, people, cast):
    case = open_member_case(people["binh"], cast.inspector, Form.WARNING)
    with pytest.raises(DomainError) as error:
        services.decide(case, decision(Form.REMOVAL, tree.a, Organ.STANDING), cast.inspector)
    assert "form" in error.value.message_dict
    case.refresh_from_db()
    assert case.state == "open" and case.form == ""


def test_a_later_rule_set_changes_the_forms(tree, cast):
    probationary = testing.member(tree.c1, "Võ Thị Dự Bị", admitted=dt.date(2026, 3, 1), official=False)
    RuleSet.objects.create(
        effective_from=dt.date(2026, 5, 20),
        name="Thử",
        values={
            "discipline.forms": {
                "official": ["reprimand", "warning", "removal_from_post", "expulsion"],
                "probationary": ["reprimand", "warning", "expulsion"],
                "organisation": ["reprimand", "warning", "dissolution"],
            }
        },
    )
    case = open_member_case(probationary, cast.inspector, Form.EXPULSION, violation=dt.date(2026, 5, 1))
    assert case.proposed_form == Form.EXPULSION
    with pytest.raises(DomainError):  # the rule set in force on an earlier opening date did not allow it
        open_member_case(
            probationary, cast.inspector, Form.EXPULSION, violation=dt.date(2026, 4, 1), opened=dt.date(2026, 5, 2)
        )


def test_bad_input_writes_nothing(tree, people, cast):
    with pytest.raises(DomainError) as error:
        services.open_case(
            member=people["an"],
            category="nope",
            facts=" ",
            violation_date=dt.date(2030, 1, 1),
            proposed_form=Form.REPRIMAND,
            opened_on=OPENED,
            actor=cast.inspector,
        )
    assert {"facts", "violation_date"} <= set(error.value.message_dict)
    assert not Case.objects.exists()
