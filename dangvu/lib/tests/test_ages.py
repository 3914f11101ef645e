"""Ages counted in months (dangvu.lib.ages; Quy định 294-QĐ/TW "đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)"),
each boundary computed by hand on both sides."""

import datetime as dt

import pytest

from dangvu.lib.ages import AgeLimit, months_old, past, reached, years_and_months

D = dt.date
EIGHTEEN, SIXTY, SIXTY_YEARS = AgeLimit(18), AgeLimit(60), AgeLimit(60, "year")


def test_the_18th_birthday_is_the_first_day_of_full_18():
    born = D(2008, 3, 20)
    assert not reached(born, EIGHTEEN, D(2026, 3, 19))  # the day before
    assert reached(born, EIGHTEEN, D(2026, 3, 20))  # the birthday
    assert not reached(born, EIGHTEEN, D(2026, 3, 5))  # same month, birthday later: still 17
    assert years_and_months(born, D(2026, 3, 19)) == (17, 11)


def test_born_on_29_february_is_full_18_on_28_february_of_a_common_year():
    # Bộ luật Dân sự 2015, Điều 148: a period in months ends on the month's last day when it has no such day.
    born = D(2008, 2, 29)
    assert not reached(born, EIGHTEEN, D(2026, 2, 27))
    assert reached(born, EIGHTEEN, D(2026, 2, 28))
    assert months_old(born, D(2026, 2, 28)) == 216


def test_sixty_counted_in_months_ends_when_a_month_has_passed():
    born = D(1966, 1, 10)
    assert not past(born, SIXTY, D(2026, 1, 10))  # exactly 60
    assert not past(born, SIXTY, D(2026, 2, 9))  # 60 years, 0 months, 30 days
    assert past(born, SIXTY, D(2026, 2, 10))  # 60 years 1 month: over
    assert years_and_months(born, D(2026, 2, 10)) == (60, 1)


def test_sixty_counted_in_whole_years_ends_at_61():
    born = D(1966, 1, 10)
    assert not past(born, SIXTY_YEARS, D(2026, 12, 31))  # 60 years 11 months
    assert not past(born, SIXTY_YEARS, D(2027, 1, 9))
    assert past(born, SIXTY_YEARS, D(2027, 1, 10))  # 61


def test_end_of_month_births():
    # Born 31/12/1965: 60 years 1 month on 31/01/2026; born 31/01/1966: on 28/02/2026 (February has no 31st).
    assert not past(D(1965, 12, 31), SIXTY, D(2026, 1, 30))
    assert past(D(1965, 12, 31), SIXTY, D(2026, 1, 31))
    assert not past(D(1966, 1, 31), SIXTY, D(2026, 2, 27))
    assert past(D(1966, 1, 31), SIXTY, D(2026, 2, 28))
    assert months_old(D(1966, 1, 31), D(2026, 3, 30)) == 60 * 12 + 1  # 31/03 not yet reached


def test_rule_values():
    assert AgeLimit.of({"years": 60, "unit": "year"}) == SIXTY_YEARS
    assert AgeLimit.of({"years": 18, "unit": "month"}) == EIGHTEEN
    assert AgeLimit.of(18) == EIGHTEEN  # a rule set written before the unit: counted in months
    assert AgeLimit(60, "year").as_value() == {"years": 60, "unit": "year"}
    for bad in ({"years": 60, "unit": "week"}, "60", None, True):
        with pytest.raises(ValueError):
            AgeLimit.of(bad)
