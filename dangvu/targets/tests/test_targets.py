"""Targets of a resolution (issue 13 item 2) and their results with verdicts: computed from the records
(with lineage) or entered by hand with evidence and author; bad input refused beside its field, nothing
written; only the committee office of the resolution's subtree records them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dangvu import testing
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.lib.errors import DomainError
from dangvu.targets import services
from dangvu.targets.evaluation import evaluate_all
from dangvu.targets.models import ManualValue, Target
from dangvu.targets.verdicts import Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(tree, cast, terms):  # noqa: F811
    return register.register(
        entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội nhiệm kỳ 2020 - 2025"), cast.office
    )


def spec(**kw) -> services.TargetSpec:
    values = {
        "text": "Trong nhiệm kỳ, kết nạp 300 đảng viên mới.",
        "kind": "count",
        "period": "term",
        "subject": "members",
        "source": "indicator",
        "indicator": "admission.admissions",
        "threshold": Decimal(2),
    }
    return services.TargetSpec(**(values | kw))


def test_a_count_target_computed_over_the_term(tree, cast, resolution):
    for year in (2021, 2022, 2023):
        testing.member(tree.c1, admitted=dt.date(year, 3, 1), official=False)
    testing.member(tree.c3, admitted=dt.date(2022, 3, 1), official=False)  # committee B: not counted
    target = services.add_target(resolution, spec(), cast.office)
    assert (target.position, target.scope) == (1, tree.a)
    [term] = evaluate_all(target, today=dt.date(2026, 12, 6))
    assert (term.label, term.start, term.end) == ("2020-2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30))
    assert term.shown == 3 and term.percent == Decimal("150.0") and term.verdict == Verdict.EXCEEDED
    assert [p.numerator for p in term.result.parts] == [3]


def test_a_yearly_target_is_judged_each_year_to_date(tree, cast, terms):  # noqa: F811
    current = register.register(entry(tree.a, date=dt.date(2025, 10, 20)), cast.office)
    target = services.add_target(
        current, spec(kind="floor", period="year", indicator="admission.admissions", threshold=Decimal(1)), cast.office
    )
    testing.member(tree.c1, admitted=dt.date(2026, 3, 1), official=False)
    rows = evaluate_all(target, today=dt.date(2026, 12, 6))
    assert [(r.label, r.start, r.end) for r in rows] == [
        ("2025", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 6)),
    ]
    assert [r.verdict for r in rows] == [Verdict.NOT_MET, Verdict.MET]


def test_a_target_entered_by_hand_with_evidence_and_author(tree, cast, resolution):
    target = services.add_target(
        resolution,
        spec(
            text="Hằng năm, có 99% đảng viên, quần chúng tham gia học tập, quán triệt các nghị quyết.",
            kind="floor",
            period="year",
            subject="staff",
            source="manual",
            indicator="",
            threshold=Decimal(99),
        ),
        cast.office,
    )
    services.record_value(target, 2021, Decimal("98.6"), "Báo cáo 12-BC/ĐU của các chi bộ", cast.office)
    services.record_value(target, 2022, Decimal("90"), "Báo cáo năm 2022", cast.office)
    services.record_value(target, 2022, Decimal("99.5"), "Báo cáo năm 2022 (đính chính)", cast.office)
    rows = {r.label: r for r in evaluate_all(target, today=dt.date(2026, 12, 6))}
    assert rows["2021"].verdict == Verdict.NEARLY and rows["2021"].manual.recorded_by == cast.office
    assert rows["2022"].verdict == Verdict.MET_AND_EXCEEDED and rows["2022"].shown == Decimal("99.5")
    assert rows["2023"].verdict == "" and rows["2023"].manual is None
    for year, value, evidence, field in [
        (2031, Decimal(1), "x", "year"),
        (None, Decimal(1), "x", "year"),
        (2023, Decimal(-1), "x", "value"),
        (2023, Decimal(1), " ", "evidence"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.record_value(target, year, value, evidence, cast.office)
        assert field in refused.value.message_dict
    assert ManualValue.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": " "}, "text"),
        ({"kind": "x"}, "kind"),
        ({"threshold": None}, "threshold"),
        ({"indicator": "nothing.here"}, "indicator"),
        ({"kind": "rate"}, "indicator"),  # admissions are a count, not a rate
        ({"kind": "floor", "indicator": "reviews.members_good", "threshold": Decimal(120)}, "threshold"),
        ({"kind": "qualitative", "threshold": None}, "source"),
        ({"position": 0}, "position"),
    ],
)
def test_bad_targets_are_refused_beside_their_field(tree, cast, resolution, changes, field):
    with pytest.raises(DomainError) as refused:
        services.add_target(resolution, spec(**changes), cast.office)
    assert field in refused.value.message_dict
    assert not Target.objects.exists()


def test_scope_and_who_records(tree, cast, resolution):
    with pytest.raises(DomainError) as refused:
        services.add_target(resolution, spec(scope=tree.b), cast.office)
    assert "scope" in refused.value.message_dict
    assert services.add_target(resolution, spec(scope=tree.a_base), cast.office).scope == tree.a_base
    for name in ("leader", "inspector", "secretary", "outsider", "member"):
        with pytest.raises(PermissionDenied):
            services.add_target(resolution, spec(), getattr(cast, name))
    duplicate = spec(position=1)
    with pytest.raises(DomainError):
        services.add_target(resolution, duplicate, cast.office)
    assert services.add_target(resolution, spec(), cast.office).position == 2
    assert Target.objects.get(position=2).history.get().history_user == cast.office
