"""Deadlines of an admission file in working days, across Tết, Hùng Kings' day and 30/4–1/5, and with the
extra days off of a rule set, which count only for deadlines starting on or after its effective date.
Expected dates are counted by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.admission.models import Candidate, Stage
from dangvu.admission.tests.test_pipeline import step
from dangvu.admission.tests.test_refusals import refused, up_to
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
D = dt.date


def decided(tree, cast, day: dt.date, start: dt.date) -> Candidate:
    c = up_to(tree.c1, cast.office, Stage.DECISION, start=start)
    step(c, Stage.DECISION, cast.office, day)
    c.refresh_from_db()
    return c


def test_ceremony_due_for_a_decision_just_before_tet(tree, cast):
    # Decision Tue 10/02/2026; Tết off Mon 16 – Fri 20/02. 30 working days: 11, 12, 13/02 (3), 23–27/02 (8),
    # March 2–6 (13), 9–13 (18), 16–20 (23), 23–27 (28), Mon 30 (29), Tue 31/03/2026 (30).
    c = decided(tree, cast, D(2026, 2, 10), start=D(2025, 11, 1))
    assert (c.due_stage, c.due_on) == (Stage.CEREMONY, D(2026, 3, 31))
    with refused(c, "31/03/2026"):
        step(c, Stage.CEREMONY, cast.office, D(2026, 4, 1))  # a day late and no note
    step(c, Stage.CEREMONY, cast.office, D(2026, 3, 31))  # on the last day: no explanation needed
    c.refresh_from_db()
    assert c.member.probation_end == D(2027, 3, 31)


def test_committee_deadline_across_hung_kings_day_and_30_4(tree, cast):
    # Cell resolution Fri 24/04/2026; 27/04 (Hùng Kings' day observed), 30/04 and 01/05 off. Tue 28 (1),
    # Wed 29 (2), May 4–8 (7), 11–15 (12), 18–22 (17), 25–29 (22), June 1–5 (27), Mon 8 (28), Tue 9 (29),
    # Wed 10/06/2026 (30).
    c = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION, start=D(2026, 3, 1))
    step(c, Stage.CELL_RESOLUTION, cast.office, D(2026, 4, 24))
    c.refresh_from_db()
    assert (c.due_stage, c.due_on) == (Stage.COMMITTEE_RESOLUTION, D(2026, 6, 10))


def test_extra_day_off_shifts_every_deadline_that_crosses_it(tree, cast):
    # The government gives Friday 13/02/2026 (before Tết) off; the rule set saying so is in force from
    # 15/01/2026.
    RuleSet.objects.create(
        effective_from=D(2026, 1, 15), name="Nghỉ Tết 2026", values={"calendar.extra_days_off": ["2026-02-13"]}
    )
    # Decision Tue 10/02/2026 (after the effective date): 13/02 no longer counts, so one day later than
    # the 31/03 above: Wed 01/04/2026.
    after = decided(tree, cast, D(2026, 2, 10), start=D(2025, 11, 1))
    assert (after.due_stage, after.due_on) == (Stage.CEREMONY, D(2026, 4, 1))
    # Decision Wed 14/01/2026, before the rule set's effective date: a day off is a dated fact, so the
    # deadline skips it too. 15, 16/01 (2), 19–23 (7), 26–30 (12), 2–6/02 (17), 9–12/02 (21, the 13th
    # off), Tết, 23–27/02 (26), 2, 3, 4, 5/03 (30): Thu 05/03/2026.
    before = decided(tree, cast, D(2026, 1, 14), start=D(2025, 10, 1))
    assert (before.due_stage, before.due_on) == (Stage.CEREMONY, D(2026, 3, 5))


def test_make_up_working_day_from_the_rule_set(tree, cast):
    # A Saturday worked (07/03/2026) in a rule set from 01/03/2026: a decision on Mon 02/03/2026 has its
    # ceremony due after 30 working days counting that Saturday: March 3–6 (4), Sat 7 (5), 9–13 (10),
    # 16–20 (15), 23–27 (20), 30, 31/03, 1, 2, 3/04 (25), 6–10/04 (30): Fri 10/04/2026 instead of Mon 13.
    RuleSet.objects.create(
        effective_from=D(2026, 3, 1), name="Làm bù", values={"calendar.extra_working_days": ["2026-03-07"]}
    )
    c = decided(tree, cast, D(2026, 3, 2), start=D(2025, 12, 1))
    assert c.due_on == D(2026, 4, 10)
