"""The deadlines page as one list (issue 9 item 7): overdue first then by due date (not by cell name),
filters by when (overdue / due soon), by kind and by organisation (its subtree, inside the user's scope),
counters that are links setting a filter and count the items of the other filters, a fixed number of
queries whatever the number of items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.alerts.sources import Kind
from dangvu.alerts.tests.test_views import letter, long_ago, recent_enough_to_be_due_soon

pytestmark = pytest.mark.django_db
ALERTS = reverse("alerts:list")


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def due(cast, people, tree):
    """In committee A: an overdue official-membership decision in C2, a probation ending soon in C1, a
    letter to C1 due soon; a letter to C3 (committee B) overdue."""
    late_official = testing.member(tree.c2, "Vũ Văn Muộn", admitted=today() - dt.timedelta(days=500), official=False)
    ending = testing.member(tree.c1, "Đỗ Thị Mới", admitted=today() - dt.timedelta(days=355), official=False)
    soon_letter = letter(people["duc"], cast.office, tree.c1, recent_enough_to_be_due_soon(), "3-GT/ĐU")
    late_letter = letter(people["binh"], cast.office, tree.c3, long_ago(), "4-GT/ĐU")
    return {"late_official": late_official, "ending": ending, "soon_letter": soon_letter, "late_letter": late_letter}


def shown(page) -> list[tuple[str, int, bool]]:
    return [(a.kind, a.object_id, a.overdue) for a, _label in page.context["rows"]]


def test_overdue_first_then_by_due_date(client, cast, due):
    client.force_login(cast.office)
    page = client.get(ALERTS)
    rows = [a for a, _label in page.context["rows"]]
    assert [a.overdue for a in rows] == sorted((a.overdue for a in rows), reverse=True)
    overdue = [a.due for a in rows if a.overdue]
    soon = [a.due for a in rows if not a.overdue]
    assert overdue == sorted(overdue) and soon == sorted(soon)
    assert {(k, pk) for k, pk, late in shown(page)[:2]} == {
        (Kind.OFFICIAL_DUE, due["late_official"].pk),
        (Kind.TRANSFER_UNACKNOWLEDGED, due["late_letter"].pk),
    }
    assert page.context["summary"] == {"overdue": 2, "soon": 2, "total": 4}
    html = page.content.decode()
    assert html.index(f'data-object="{due["late_official"].pk}"') < html.index(f'data-object="{due["ending"].pk}"')


def test_filters_by_when_kind_and_organisation(client, cast, tree, due):
    client.force_login(cast.office)
    overdue = client.get(ALERTS, {"when": "overdue"})
    assert {k for k, _pk, late in shown(overdue)} == {Kind.OFFICIAL_DUE, Kind.TRANSFER_UNACKNOWLEDGED}
    assert all(late for _k, _pk, late in shown(overdue))
    soon = client.get(ALERTS, {"when": "soon"})
    assert sorted(shown(soon)) == sorted(
        [(Kind.PROBATION_ENDING, due["ending"].pk, False), (Kind.TRANSFER_UNACKNOWLEDGED, due["soon_letter"].pk, False)]
    )
    letters = client.get(ALERTS, {"kind": Kind.TRANSFER_UNACKNOWLEDGED})
    assert sorted(pk for _k, pk, _l in shown(letters)) == sorted([due["soon_letter"].pk, due["late_letter"].pk])
    # By organisation: its subtree. C1 (cell), A1 (its committee: C1 and C2), A2 (nothing due).
    in_c1 = client.get(ALERTS, {"organisation": tree.c1.pk})
    assert sorted(pk for _k, pk, _l in shown(in_c1)) == sorted([due["ending"].pk, due["soon_letter"].pk])
    in_a1 = client.get(ALERTS, {"organisation": tree.a_base.pk, "when": "overdue"})
    assert shown(in_a1) == [(Kind.OFFICIAL_DUE, due["late_official"].pk, True)]
    empty = client.get(ALERTS, {"organisation": tree.a_cell_base.pk})
    assert empty.context["rows"] == [] and b'id="nothing-matches"' in empty.content
    # Combined: the counters count the other filters; each kind's counter the items of the other filters.
    page = client.get(ALERTS, {"organisation": tree.c1.pk, "kind": Kind.PROBATION_ENDING})
    assert shown(page) == [(Kind.PROBATION_ENDING, due["ending"].pk, False)]
    assert page.context["summary"] == {"overdue": 0, "soon": 1, "total": 1}
    kinds = {kind: n for kind, _label, n in page.context["kinds"]}
    assert kinds == {Kind.PROBATION_ENDING: 1, Kind.TRANSFER_UNACKNOWLEDGED: 1}


def test_counters_are_links_that_filter(client, cast, tree, due):
    client.force_login(cast.office)
    html = client.get(ALERTS, {"organisation": tree.a_base.pk}).content.decode()
    assert f'id="filter-overdue" href="?organisation={tree.a_base.pk}&amp;when=overdue"' in html
    assert f'id="filter-soon" href="?organisation={tree.a_base.pk}&amp;when=soon"' in html
    assert f'href="?organisation={tree.a_base.pk}&amp;kind={Kind.OFFICIAL_DUE}"' in html
    assert 'id="count-overdue" data-count="1"' in html and 'id="count-soon" data-count="2"' in html
    following = client.get(f"{ALERTS}?organisation={tree.a_base.pk}&when=overdue")
    assert shown(following) == [(Kind.OFFICIAL_DUE, due["late_official"].pk, True)]
    assert 'aria-current="true"' in following.content.decode()


def test_filters_stay_inside_the_scope(client, cast, tree, due):
    # Committee B's office: C1 is not theirs (404, nothing revealed); their own list only has their letter.
    client.force_login(cast.outsider)
    assert client.get(ALERTS, {"organisation": tree.c1.pk}).status_code == 404
    assert shown(client.get(ALERTS)) == [(Kind.TRANSFER_UNACKNOWLEDGED, due["late_letter"].pk, True)]
    page = client.get(ALERTS, {"organisation": tree.b.pk})
    assert shown(page) == [(Kind.TRANSFER_UNACKNOWLEDGED, due["late_letter"].pk, True)]
    # The cell secretary of C1: their cell's items (and the letter of Bình, their member, to C3); committee
    # A's page is not theirs.
    client.force_login(cast.secretary)
    mine = sorted(pk for _k, pk, _l in shown(client.get(ALERTS)))
    assert mine == sorted([due["ending"].pk, due["soon_letter"].pk, due["late_letter"].pk])
    assert client.get(ALERTS, {"organisation": tree.a.pk}).status_code == 404
    # A plain member has no organisation filter (the parameter is ignored) and sees nothing of others.
    client.force_login(cast.member)
    page = client.get(ALERTS, {"organisation": tree.c1.pk})
    assert page.status_code == 200 and page.context["rows"] == [] and page.context["org_options"] == []
    # Bad values are ignored, not errors.
    client.force_login(cast.office)
    assert (
        client.get(ALERTS, {"when": "yesterday", "kind": "nonsense", "organisation": "x"}).context["summary"]["total"]
        == 4
    )


def test_query_budget_does_not_grow_with_items(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.office)
    letter(testing.member(tree.c2), cast.office, tree.c1, long_ago())
    client.get(ALERTS)  # warm the session
    with django_assert_max_num_queries(25) as first:
        client.get(ALERTS, {"organisation": tree.a.pk})
    for n in range(12):
        letter(testing.member(tree.c2), cast.office, tree.c1, long_ago(), f"{n}-GT/ĐU")
        testing.member(tree.c1, admitted=today() - dt.timedelta(days=500 + n), official=False)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(ALERTS, {"organisation": tree.a.pk})
    assert page.context["summary"]["total"] == 25
