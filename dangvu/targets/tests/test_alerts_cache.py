"""The targets' early warnings are cached (dangvu.targets.alerts, dangvu.lib.cacheversion): a second load of the
same scope on the same day computes no projection and asks the database nothing but the user's roles; a target
added, a result entered by hand or a resolution registered shows at once; scopes, days and languages are kept
apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.lib import cacheversion
from dangvu.targets import alerts, services
from dangvu.targets.alerts import target_warnings
from dangvu.targets.tests.test_dashboard import DAY, add, resolution  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
SOON = DAY + dt.timedelta(days=10)


@pytest.fixture
def counted(monkeypatch):
    """How many projections the warnings computed."""
    calls = []
    real = alerts.progress

    def counting(target, today=None):
        calls.append(target.pk)
        return real(target, today)

    monkeypatch.setattr(alerts, "progress", counting)
    return calls


def fresh(user):
    """The user as a new request loads it (nothing remembered on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_second_load_computes_nothing(cast, resolution, counted, django_assert_max_num_queries):  # noqa: F811
    short = add(resolution, cast, threshold=Decimal(10))  # 4 by half the term, 8 projected: 80%
    add(resolution, cast, threshold=Decimal(8), text="Đúng nhịp.")
    first = target_warnings(fresh(cast.leader), DAY, SOON)
    assert [a.object_id for a in first] == [short.pk] and len(counted) == 2
    leader = fresh(cast.leader)
    with django_assert_max_num_queries(1):  # the user's roles (dangvu.accounts.scope); the warnings are cached
        again = target_warnings(leader, DAY, SOON)
    assert again == first and len(counted) == 2
    # The office of A sees the same subtree: the same cached warnings. Another day is computed afresh.
    assert target_warnings(fresh(cast.office), DAY, SOON) == first and len(counted) == 2
    assert [a.object_id for a in target_warnings(fresh(cast.leader), DAY - dt.timedelta(days=1), SOON)] == [short.pk]
    assert len(counted) == 4
    # Another scope is computed for itself (committee B: nothing there), and so is another language.
    assert target_warnings(fresh(cast.outsider), DAY, SOON) == []
    with translation.override("en"):
        english = target_warnings(fresh(cast.leader), DAY, SOON)
    assert len(counted) == 6 and "At this pace" in english[0].detail and "Với nhịp độ" in first[0].detail


def test_a_change_shows_at_once(cast, resolution, counted):  # noqa: F811
    short = add(resolution, cast, threshold=Decimal(10))
    assert [a.object_id for a in target_warnings(fresh(cast.leader), DAY, SOON)] == [short.pk]
    # A target added: warned about at the next load.
    other = add(resolution, cast, threshold=Decimal(20), text="Kết nạp 20 đảng viên.")
    assert [a.object_id for a in target_warnings(fresh(cast.leader), DAY, SOON)] == [short.pk, other.pk]
    # A share entered by hand: 60% of a floor of 95% warns; 96% entered afterwards does not.
    share = services.add_target(
        resolution,
        services.TargetSpec(
            text="95% đảng viên học tập nghị quyết.",
            kind="floor",
            period="term",
            subject="members",
            source="manual",
            threshold=Decimal(95),
        ),
        cast.office,
    )
    assert share.pk not in {a.object_id for a in target_warnings(fresh(cast.leader), DAY, SOON)}  # no value yet
    services.record_value(share, None, Decimal(60), "Báo cáo của các chi bộ", cast.office)
    assert share.pk in {a.object_id for a in target_warnings(fresh(cast.leader), DAY, SOON)}
    services.record_value(share, None, Decimal(96), "Báo cáo bổ sung", cast.office)
    found = target_warnings(fresh(cast.leader), DAY, SOON)
    assert [a.object_id for a in found] == [short.pk, other.pk]
    assert len(counted) == 1 + 2 + 3 + 3 + 3  # every change was computed afresh, once


def test_registering_a_resolution_moves_the_version(cast, tree, resolution):  # noqa: F811
    before = cacheversion.current(alerts.VERSION)
    register.register(entry(tree.a, doc_type="BC", date=dt.date(2023, 3, 1), title="Báo cáo"), cast.office)
    assert cacheversion.current(alerts.VERSION) == before  # a report does not change the targets
    register.register(entry(tree.a, date=dt.date(2023, 3, 1), title="Nghị quyết chuyên đề"), cast.office)
    assert cacheversion.current(alerts.VERSION) > before


def test_a_missing_version_starts_past_every_earlier_one():
    from django.core.cache import cache

    cacheversion.bump("x")
    earlier = cacheversion.current("x")
    cache.delete("version:x")  # evicted
    assert cacheversion.current("x") > earlier
