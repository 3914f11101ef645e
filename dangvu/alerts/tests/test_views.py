"""The deadlines page and the dashboard cards: every signed-in user may open the page and sees only what
concerns them (a plain member their own items); an unacknowledged transfer is listed as overdue once the
day for presenting the letter has passed; the dashboard shows the same numbers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.alerts.sources import Kind
from dangvu.transfers import services
from dangvu.transfers.models import TransferKind

pytestmark = pytest.mark.django_db
ALERTS = reverse("alerts:list")


def today() -> dt.date:
    return timezone.localdate()


def letter(member, actor, to, letter_date: dt.date, number: str = "12-GT/ĐU"):
    return services.issue(
        member, actor, kind=TransferKind.OFFICIAL, letter_number=number, letter_date=letter_date, to_organisation=to
    )


def long_ago() -> dt.date:
    """A letter date whose presenting deadline (working days) is well past."""
    return today() - dt.timedelta(days=150)


def recent_enough_to_be_due_soon() -> dt.date:
    """A letter date whose deadline falls within the next 30 days (the default `alerts.soon_days`)."""
    day = today() - dt.timedelta(days=80)
    while not today() <= services.present_by(day) <= today() + dt.timedelta(days=30):
        day += dt.timedelta(days=1)
    return day


def alerts(response) -> list:
    return [a for a, _label in response.context["rows"]]


@pytest.mark.parametrize(
    "role", ["admin", "office", "inspector", "leader", "secretary", "member", "outsider", "nobody"]
)
def test_every_signed_in_user_may_open_the_page(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.get(ALERTS)
    assert response.status_code == 200
    assert b'id="nothing-due"' in response.content
    assert response.context["summary"] == {"overdue": 0, "soon": 0, "total": 0}


def test_unacknowledged_transfer_becomes_overdue(client, cast, people, tree):
    late = letter(people["binh"], cast.office, tree.c3, long_ago())
    assert late.due_on < today()
    client.force_login(cast.office)
    page = client.get(ALERTS)
    assert page.context["summary"] == {"overdue": 1, "soon": 0, "total": 1}
    [(alert, organisation)] = page.context["rows"]
    assert organisation == tree.c3.name  # listed with the side that must acknowledge
    assert (alert.kind, alert.subject, alert.overdue, alert.due) == (
        Kind.TRANSFER_UNACKNOWLEDGED,
        "Trần Thị Bình",
        True,
        late.due_on,
    )
    assert reverse("transfers:detail", args=[late.pk]).encode() in page.content
    assert b'data-overdue="1"' in page.content and b'id="count-overdue" data-count="1"' in page.content
    # The receiving side sees it too; once acknowledged it is gone.
    client.force_login(cast.outsider)
    assert [a.object_id for a in alerts(client.get(ALERTS))] == [late.pk]
    services.acknowledge(late, cast.outsider, date=today())
    assert client.get(ALERTS).context["summary"]["total"] == 0


def test_due_soon_and_overdue_in_one_list_overdue_first(client, cast, people, tree):
    soon = letter(people["duc"], cast.office, tree.c1, recent_enough_to_be_due_soon(), "3-GT/ĐU")
    late = letter(people["binh"], cast.office, tree.c3, long_ago())
    client.force_login(cast.office)
    page = client.get(ALERTS)
    assert page.context["summary"] == {"overdue": 1, "soon": 1, "total": 2}
    found = [(a.object_id, a.overdue, organisation) for a, organisation in page.context["rows"]]
    assert found == [(late.pk, True, tree.c3.name), (soon.pk, False, tree.c1.name)]
    assert b'data-overdue="0"' in page.content
    # Committee B's office: only what concerns B, not the transfer inside A.
    client.force_login(cast.outsider)
    assert [a.object_id for a in alerts(client.get(ALERTS))] == [late.pk]


def test_plain_member_sees_only_their_own_items(client, cast, people, tree):
    own = letter(people["an"], cast.office, tree.c2, long_ago(), "1-GT/ĐU")  # An is the cast's member
    letter(people["binh"], cast.office, tree.c3, long_ago(), "2-GT/ĐU")
    client.force_login(cast.member)
    page = client.get(ALERTS)
    assert [(a.kind, a.object_id) for a in alerts(page)] == [(Kind.TRANSFER_UNACKNOWLEDGED, own.pk)]
    assert "Trần Thị Bình".encode() not in page.content
    # Their own record links to this page; the alert links to their own transfer's page, which opens.
    assert ALERTS.encode() in client.get(reverse("members:detail", args=[people["an"].pk])).content
    assert client.get(reverse("transfers:detail", args=[own.pk])).status_code == 200
    client.force_login(cast.nobody)
    assert client.get(ALERTS).context["summary"]["total"] == 0


def test_probation_ending_soon_is_listed_for_the_cell(client, cast, tree):
    newcomer = testing.member(tree.c1, "Đỗ Thị Mới", admitted=today() - dt.timedelta(days=355), official=False)
    assert today() < newcomer.probation_end <= today() + dt.timedelta(days=30)
    for role, listed in [("secretary", True), ("office", True), ("outsider", False)]:
        client.force_login(getattr(cast, role))
        found = [(a.kind, a.object_id, a.overdue) for a in alerts(client.get(ALERTS))]
        assert found == ([(Kind.PROBATION_ENDING, newcomer.pk, False)] if listed else []), role


# --- dashboard ---------------------------------------------------------------------------------------


def test_dashboard_cards_show_deadlines_and_awaiting_transfers(client, cast, people, tree):
    letter(people["binh"], cast.office, tree.c3, long_ago())
    letter(people["duc"], cast.office, tree.c1, recent_enough_to_be_due_soon(), "3-GT/ĐU")
    client.force_login(cast.office)
    page = client.get("/")
    assert page.context["deadlines"] == {"overdue": 1, "soon": 1}
    assert page.context["awaiting_transfers"] == 2
    assert ALERTS.encode() in page.content and reverse("transfers:list").encode() in page.content
    client.force_login(cast.outsider)
    page = client.get("/")
    assert page.context["deadlines"] == {"overdue": 1, "soon": 0}
    assert page.context["awaiting_transfers"] == 1


def test_dashboard_query_count_does_not_grow_with_alerts(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.office)
    letter(testing.member(tree.c1), cast.office, tree.c3, long_ago())
    client.get("/")  # warm the session
    with django_assert_max_num_queries(25) as first:
        client.get("/")
    for n in range(10):
        letter(testing.member(tree.c2), cast.office, tree.c3, long_ago(), f"{n}-GT/ĐU")
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get("/")
    assert page.context["deadlines"]["overdue"] == 11
