"""The authority table (rule data): which body may decide each form for a member, a committee member and
an organisation; a body it does not name is refused with the competent ones listed; a later rule set
changes it."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.discipline import authority, services
from dangvu.discipline.models import Form, Organ
from dangvu.discipline.tests.conftest import DECIDED, decision, open_member_case
from dangvu.lib.errors import DomainError
from dangvu.rules import presentation
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import rules_on

pytestmark = pytest.mark.django_db


def _refused(case, d, actor):
    with pytest.raises(DomainError) as error:
        services.decide(case, d, actor)
    return error.value.message_dict["decided_by"][0]


def test_member_reprimand_by_the_cell_and_expulsion_not(tree, people, cast):
    case = open_member_case(people["binh"], cast.inspector, Form.REPRIMAND)
    assert services.decide(case, decision(Form.REPRIMAND, tree.c1, Organ.COMMITTEE), cast.inspector).state == "decided"
    case = open_member_case(people["an"], cast.inspector, Form.EXPULSION)
    message = _refused(case, decision(Form.EXPULSION, tree.c1, Organ.COMMITTEE), cast.inspector)
    assert presentation.label("discipline.authority") in message and tree.a_base.name in message
    case.refresh_from_db()
    assert case.state == "open"
    # The grassroots committee may; so may the inspection committee above it.
    assert (
        services.decide(case, decision(Form.EXPULSION, tree.a_base, Organ.COMMITTEE), cast.inspector).form
        == Form.EXPULSION
    )


def test_a_sibling_or_lower_body_is_refused(tree, people, cast):
    case = open_member_case(people["binh"], cast.inspector, Form.WARNING)
    _refused(case, decision(Form.WARNING, tree.c2, Organ.COMMITTEE), cast.inspector)
    _refused(case, decision(Form.WARNING, tree.b, Organ.STANDING), cast.inspector)
    _refused(case, decision(Form.WARNING, tree.a, Organ.COMMITTEE), cast.inspector)  # not in the table
    assert services.decide(case, decision(Form.WARNING, tree.a, Organ.INSPECTION), cast.inspector).organ == "inspection"


def test_committee_member_goes_to_the_level_above_their_committee(tree, people, cast, seat):
    values = rules_on(DECIDED)
    subject = authority.subject_levels(member=people["duc"], cell=tree.c2, day=DECIDED)
    assert subject.authority_class == "committee_member"
    bodies = {(o.pk, organ) for o, organ in authority.competent(values, subject, Form.REMOVAL)}
    assert (tree.a.pk, Organ.STANDING) in bodies and (tree.a_base.pk, Organ.COMMITTEE) not in bodies
    case = open_member_case(people["duc"], cast.inspector, Form.WARNING)
    _refused(case, decision(Form.WARNING, tree.c2, Organ.COMMITTEE), cast.inspector)  # the cell may not
    assert services.decide(case, decision(Form.WARNING, tree.a_base, Organ.COMMITTEE), cast.inspector)


def test_organisation_by_the_level_above(tree, cast):
    case = services.open_case(
        organisation=tree.c2,
        category="democratic_centralism",
        facts="Vi phạm quy chế.",
        violation_date=dt.date(2026, 1, 5),
        proposed_form=Form.WARNING,
        opened_on=dt.date(2026, 6, 1),
        actor=cast.inspector,
    )
    _refused(case, decision(Form.WARNING, tree.c2, Organ.COMMITTEE), cast.inspector)
    assert services.decide(case, decision(Form.WARNING, tree.a_base, Organ.COMMITTEE), cast.inspector).form == "warning"


def test_a_later_rule_set_changes_the_table(tree, people, cast):
    table = rules_on(DECIDED)["discipline.authority"]
    table["member"]["reprimand"] = ["grassroots:committee"]
    RuleSet.objects.create(effective_from=dt.date(2026, 6, 15), name="Thử", values={"discipline.authority": table})
    case = open_member_case(people["binh"], cast.inspector, Form.REPRIMAND)
    _refused(case, decision(Form.REPRIMAND, tree.c1, Organ.COMMITTEE), cast.inspector)
    # decided before the new rule set: the cell was competent
    assert services.decide(
        case, decision(Form.REPRIMAND, tree.c1, Organ.COMMITTEE, day=dt.date(2026, 6, 10)), cast.inspector
    )
