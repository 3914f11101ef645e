"""Working days in Vietnam: weekends, Tết and the other public holidays, the make-up Saturdays the holidays
package knows, and the extra days off / working days an administrator adds to the rule set.

Expected dates are counted by hand (calendar in the comment next to each).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.lib.workdays import Calendar, calendar_on

D = dt.date
plain = Calendar()


def test_tet_2026_is_five_days_off():
    # Tết Bính Ngọ: Tuesday 17/02/2026; the days off run Monday 16 to Friday 20 February.
    assert [plain.is_working_day(D(2026, 2, d)) for d in range(13, 24)] == [
        True,  # Fri 13
        False,  # Sat 14
        False,  # Sun 15
        False,  # Mon 16 (Lunar New Year's Eve)
        False,  # Tue 17 (Tết)
        False,  # Wed 18
        False,  # Thu 19
        False,  # Fri 20
        False,  # Sat 21
        False,  # Sun 22
        True,  # Mon 23
    ]


def test_deadline_across_tet_2026():
    # Thu 12/02 + 5: Fri 13 (1); 14–22 weekend and Tết; Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert plain.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert plain.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # Tue 10/02 + 30: Feb 11, 12, 13 (3); Feb 23–27 (8); March 2–6 (13), 9–13 (18), 16–20 (23),
    # 23–27 (28); Mon 30 (29), Tue 31 March (30). Without Tết it would be Tue 24 March.
    assert plain.add_working_days(D(2026, 2, 10), 30) == D(2026, 3, 31)
    assert plain.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_deadline_across_hung_kings_day_and_30_4_1_5_in_2026():
    # Hùng Kings' day (10/3 lunar) falls on Sunday 26/04/2026, observed Monday 27; 30/4 and 1/5 are
    # Thursday and Friday. Fri 24/04 + 5: Tue 28 (1), Wed 29 (2), Mon 4/5 (3), Tue 5 (4), Wed 6 (5).
    assert not plain.is_working_day(D(2026, 4, 27))
    assert plain.add_working_days(D(2026, 4, 24), 5) == D(2026, 5, 6)


def test_make_up_saturday_known_to_the_holidays_package():
    # 2025: Hùng Kings' day Monday 7/4; 30/4 (Wed) and 1/5 (Thu) off, and Friday 2/5 off too in exchange
    # for working on Saturday 26/4. Thu 24/04 + 5: Fri 25 (1), Sat 26 (2, make-up day), Mon 28 (3),
    # Tue 29 (4); 30/4–4/5 off; Mon 5/5 (5).
    assert not plain.is_working_day(D(2025, 4, 7))
    assert plain.is_working_day(D(2025, 4, 26))
    assert not plain.is_working_day(D(2025, 5, 2))
    assert plain.add_working_days(D(2025, 4, 24), 5) == D(2025, 5, 5)
    assert plain.working_days_between(D(2025, 4, 24), D(2025, 5, 5)) == 5
    # The rule set has the last word: an administrator can cancel a make-up day the package lists.
    assert not Calendar.from_rules({"calendar.extra_days_off": ["2025-04-26"]}).is_working_day(D(2025, 4, 26))


def test_extra_days_off_and_make_up_days_from_rule_values():
    cal = Calendar.from_rules(
        {"calendar.extra_days_off": ["2026-01-02"], "calendar.extra_working_days": [D(2026, 1, 10)]}
    )
    # Wed 31/12/2025 + 3: New Year's Day Thu 1/1; Fri 2/1 extra day off; Mon 5 (1), Tue 6 (2), Wed 7 (3).
    assert cal.add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 7)
    assert plain.add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 6)
    # Thu 8/1 + 2: Fri 9 (1), Saturday 10 made a working day (2).
    assert cal.add_working_days(D(2026, 1, 8), 2) == D(2026, 1, 10)
    assert plain.add_working_days(D(2026, 1, 8), 2) == D(2026, 1, 12)


def test_zero_and_negative_days():
    assert plain.add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)
    with pytest.raises(ValueError):
        plain.add_working_days(D(2026, 2, 17), -1)


@pytest.mark.django_db
def test_calendar_of_the_rule_set_in_force(tree):
    from dangvu.rules.models import RuleSet

    RuleSet.objects.create(
        effective_from=D(2026, 1, 1), name="Nghỉ bù 2026", values={"calendar.extra_days_off": ["2026-01-02"]}
    )
    # A day off is a dated fact: it counts whatever the date the calendar is read for (a deadline that
    # started before the announcement still skips it).
    assert not calendar_on(D(2025, 12, 31)).is_working_day(D(2026, 1, 2))
    assert not calendar_on(D(2026, 1, 1)).is_working_day(D(2026, 1, 2))
    assert calendar_on(D(2026, 1, 1)).is_working_day(D(2026, 1, 5))
