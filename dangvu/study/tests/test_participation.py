"""Participation in the study of resolutions (issue 14 item 3): who is called (members in the Party under the
campaign's organisation on the conference date, as the tree was, less the exempt), who studied (attended or
confirmed), the rates per organisation computed by hand, and the indicator with its provenance rows."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dangvu import testing
from dangvu.accounts.models import User
from dangvu.lib.errors import DomainError
from dangvu.members import services as member_services
from dangvu.members.models import EventKind
from dangvu.study import services, stats
from dangvu.study.tests.conftest import CONFERENCE, ENDS, campaign_for
from dangvu.targets import indicators
from dangvu.targets.provenance import Chain, describe

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, people, cast, resolution):
    """Committee A's campaign (conference 10/03/2026). Called: An, Bình (C1), Đức (C2), Giang (C1, admitted on
    the conference day) = 4. Not called: Hà (admitted the day after), Khoa (exempt since 01/03/2026), Em (C3,
    committee B), Lan (removed 09/03/2026)."""
    giang = testing.member(tree.c1, "Võ Thị Giang", admitted=CONFERENCE, official=False)
    ha = testing.member(tree.c1, "Đỗ Văn Hà", admitted=CONFERENCE + dt.timedelta(days=1), official=False)
    khoa = testing.member(tree.c2, "Mai Văn Khoa")
    member_services.record_event(khoa, None, kind=EventKind.EXEMPTION, date=dt.date(2026, 3, 1), note="Tuổi cao")
    lan = testing.member(tree.c2, "Lý Thị Lan")
    member_services.record_event(lan, None, kind=EventKind.REMOVAL, date=CONFERENCE - dt.timedelta(days=1))
    campaign = campaign_for(tree.a, resolution, cast.office)
    return {"campaign": campaign, "giang": giang, "ha": ha, "khoa": khoa, "lan": lan, **people}


def _confirm(campaign, member, on=CONFERENCE):
    user = User.objects.filter(member=member).first() or testing.user(f"u{member.pk}", member_record=member)
    return services.confirm(campaign, member, user, answers={}, reflection="Thu hoạch của tôi.", on=on)


def test_who_is_called_on_the_conference_date(world):
    called = set(stats.expected_periods(world["campaign"]).values_list("member__full_name", flat=True))
    assert called == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Đức", "Võ Thị Giang"}


def test_rates_per_organisation_by_hand(tree, cast, world):
    campaign = world["campaign"]
    _confirm(campaign, world["an"])
    with pytest.raises(DomainError):
        _confirm(campaign, world["ha"])  # not called: admitted the day after the conference
    services.record_attendance(campaign, tree.c2, {world["duc"].pk}, cast.office)
    services.record_attendance(campaign, tree.c1, {world["an"].pk}, cast.office)  # An both attended and confirmed
    a = stats.campaign_figures(campaign, tree.a)
    assert (a.expected, a.studied, a.attended, a.confirmed) == (4, 2, 2, 1)
    assert a.rate == Fraction(1, 2) and a.percent == 50.0
    c1 = stats.campaign_figures(campaign, tree.c1)
    assert (c1.expected, c1.studied) == (3, 1) and c1.percent == 33.33
    c2 = stats.campaign_figures(campaign, tree.c2)
    assert (c2.expected, c2.studied) == (1, 1) and c2.rate == 1
    b = stats.campaign_figures(campaign, tree.b)
    assert (b.expected, b.studied, b.rate) == (0, 0, None)


def test_confirmation_until_the_deadline_and_not_after(world):
    campaign = world["campaign"]
    assert _confirm(campaign, world["binh"], on=ENDS).confirmed_on == ENDS
    with pytest.raises(DomainError, match="31/03/2026"):
        _confirm(campaign, world["giang"], on=ENDS + dt.timedelta(days=1))
    assert stats.campaign_figures(campaign).studied == 1


def test_the_indicator_counts_campaigns_of_the_period_with_provenance(tree, cast, world, resolution):
    campaign = world["campaign"]
    _confirm(campaign, world["an"])
    _confirm(campaign, world["giang"])
    # A second campaign in the same year, of cell C1 only (01/06/2026): An, Bình, Giang and Hà (admitted since)
    # called, 1 studied. The year: 3 studied of 4 + 4 called.
    second = campaign_for(tree.c1, resolution, cast.office, conference=dt.date(2026, 6, 1), ends=dt.date(2026, 6, 30))
    _confirm(second, world["binh"], on=dt.date(2026, 6, 2))
    result = indicators.get("study.participation")(tree.a, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    part = result.parts[0]
    assert (part.numerator, part.denominator) == (3, 8)
    assert result.value == Fraction(75, 2)
    rows = Chain([(p.organisation, p.records) for p in result.parts])
    assert rows.count() == 3 == result.combined.numerator
    assert {describe(r)["what"] for _org, r in rows[0:3]} == {"Nguyễn Văn An", "Võ Thị Giang", "Trần Thị Bình"}
    # The period boundary: a year that ends the day before the first conference counts nothing.
    empty = indicators.get("study.participation")(tree.a, dt.date(2025, 3, 10), CONFERENCE - dt.timedelta(days=1))
    assert empty.combined.denominator == 0 and empty.value is None
    on_the_day = indicators.get("study.participation")(tree.a, CONFERENCE, CONFERENCE)
    assert (on_the_day.combined.numerator, on_the_day.combined.denominator) == (2, 4)


def test_counted_on_the_tree_as_it_was(tree, cast, world):
    """Đức moves from C2 to C3 (committee B) after the conference: the campaign still counts him under A."""
    campaign = world["campaign"]
    services.record_attendance(campaign, tree.c2, {world["duc"].pk}, cast.office)
    member_services.record_event(
        world["duc"], None, kind=EventKind.TRANSFER, date=dt.date(2026, 4, 1), organisation=tree.c3
    )
    assert stats.campaign_figures(campaign, tree.a).studied == 1
    assert stats.campaign_figures(campaign, tree.b).expected == 0
