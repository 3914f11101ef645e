"""Progress of a target (issue 13 item 4): per year, over the term to date, and projected to the end of the
term from the pace so far, with hand-computed numbers; ceilings projected in their own direction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from dangvu import testing
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.targets import services
from dangvu.targets.projection import progress, projected
from dangvu.targets.verdicts import Verdict

pytestmark = pytest.mark.django_db

# Term 2020-2025: 01/10/2020 – 30/09/2025 = 1826 days (29/02/2024 within). To 30/09/2022: 730 days.
MID = dt.date(2022, 9, 30)


@pytest.fixture
def resolution(tree, cast, terms):  # noqa: F811
    # Admissions in A: 01/03/2021, 01/06/2021, 01/03/2022 (3 by MID), and 01/03/2023 (after MID).
    for day in (dt.date(2021, 3, 1), dt.date(2021, 6, 1), dt.date(2022, 3, 1), dt.date(2023, 3, 1)):
        testing.member(tree.c1, admitted=day, official=False)
    return register.register(entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội"), cast.office)


def add(resolution, cast, **kw):
    values = {
        "text": "Kết nạp đảng viên mới.",
        "kind": "count",
        "period": "term",
        "subject": "members",
        "source": "indicator",
        "indicator": "admission.admissions",
        "threshold": Decimal(6),
    }
    return services.add_target(resolution, services.TargetSpec(**(values | kw)), cast.office)


def test_the_pace_projected_by_hand():
    assert projected(Fraction(3), 730, 1826, grows=True) == Fraction(5478, 730)
    assert projected(Fraction(95), 730, 1826, grows=False) == 95
    with pytest.raises(ValueError):
        projected(Fraction(1), 0, 1826, grows=True)


def test_a_count_over_the_term_projected_from_its_pace(cast, resolution):
    p = progress(add(resolution, cast), today=MID)
    assert [(e.label, e.shown) for e in p.years] == [("2020", 0), ("2021", 2), ("2022", 1)]
    assert all(e.verdict == "" for e in p.years)  # a year's count is not the term's target
    assert (p.to_date.label, p.to_date.end, p.to_date.shown) == ("2020-2025", MID, 3)
    assert p.to_date.verdict == Verdict.NOT_MET  # 3/6 so far
    assert (p.projection.elapsed_days, p.projection.term_days) == (730, 1826)
    # 3 × 1826 / 730 = 7.504…; 7.504 / 6 = 125.1% ≥ 120%: exceeded at this pace.
    assert p.projection.value == Fraction(3 * 1826, 730)
    assert p.projection.shown == Decimal("7.50") and p.projection.percent == Decimal("125.1")
    assert p.projection.verdict == Verdict.EXCEEDED


@pytest.mark.parametrize(
    ("threshold", "verdict"),
    [("8", Verdict.NOT_MET), ("7.8", Verdict.NEARLY), ("7.5", Verdict.MET_AND_EXCEEDED), ("7.505", Verdict.NEARLY)],
)
def test_a_floor_on_both_sides_of_the_projected_value(cast, resolution, threshold, verdict):
    # 7.504/8 = 93.8% (< 95: not met); 7.504/7.8 = 96.2%; 7.504 > 7.5: met and exceeded; 7.504 < 7.505: nearly met.
    target = add(resolution, cast, kind="floor", threshold=Decimal(threshold))
    assert progress(target, today=MID).projection.verdict == verdict


def test_a_ceiling_on_a_count_is_projected_upwards(cast, resolution):
    # "Không quá 5": 3 so far is within it, but 7.504 at the end of the term is over it (5/7.504 = 66.6%).
    p = progress(add(resolution, cast, kind="ceiling", threshold=Decimal(5)), today=MID)
    assert p.to_date.verdict in Verdict.met()
    assert p.projection.percent == Decimal("66.6") and p.projection.verdict == Verdict.NOT_MET
    # "Không quá 8": 7.504 stays under it (8/7.504 = 106.6%).
    p = progress(add(resolution, cast, kind="ceiling", threshold=Decimal(8)), today=MID)
    assert p.projection.percent == Decimal("106.6") and p.projection.verdict == Verdict.MET_AND_EXCEEDED


def test_a_yearly_count_projected_to_a_year_at_the_pace_so_far(cast, resolution):
    p = progress(add(resolution, cast, kind="floor", period="year", threshold=Decimal(2)), today=MID)
    assert [(e.label, e.shown, e.verdict) for e in p.years] == [
        ("2020", 0, Verdict.NOT_MET),
        ("2021", 2, Verdict.MET),
        ("2022", 1, Verdict.NOT_MET),
    ]
    assert p.to_date.shown == 3 and p.to_date.verdict == ""  # the term's count is not a year's target
    # 3 × 365 / 730 = 1.5 a year: 75% of 2.
    assert p.projection.value == Fraction(3, 2) and p.projection.verdict == Verdict.NOT_MET


def test_a_share_entered_by_hand_is_projected_unchanged(cast, resolution):
    target = add(resolution, cast, kind="floor", period="year", source="manual", indicator="", threshold=Decimal(95))
    services.record_value(target, 2021, Decimal(96), "Báo cáo tổng kết năm 2021", cast.office)
    services.record_value(target, 2022, Decimal(93), "Báo cáo sơ kết 6 tháng 2022", cast.office)
    p = progress(target, today=MID)
    assert [(e.label, e.shown) for e in p.years] == [("2020", None), ("2021", 96), ("2022", 93)]
    assert p.projection.value == 93 and p.projection.verdict == Verdict.NEARLY  # 93/95 = 97.9%
    # A count entered by hand has no pace: not projected.
    count = add(resolution, cast, source="manual", indicator="")
    services.record_value(count, None, Decimal(3), "Báo cáo của Ban Tổ chức", cast.office)
    p = progress(count, today=MID)
    assert p.to_date.shown == 3 and p.projection.value is None


def test_after_the_term_the_projection_is_the_result_and_before_it_nothing(cast, resolution):
    target = add(resolution, cast)
    p = progress(target, today=dt.date(2026, 12, 6))
    assert p.projection.elapsed_days == p.projection.term_days == 1826
    assert p.projection.value == 4 == p.to_date.value
    assert p.projection.percent == Decimal("66.7") and p.projection.verdict == Verdict.NOT_MET
    before = progress(target, today=dt.date(2020, 9, 30))
    assert before.years == [] and before.to_date is None and before.projection is None
