"""Issue 8 item 7: the official-membership date is derived from the probation (official from its end, even
when recognised later: Điều lệ Đảng, Điều 5), but a date typed in a member form is never replaced silently.
When the recognition date entered differs from the derived date, the form refuses with both dates beside the
field and offers a box confirming exactly the derived date; only then is it stored.

The messages are asserted in Vietnamese (the site's language) as a user reads them."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.lib.dates import add_months, fmt
from dangvu.members.models import EventKind, Member, MemberEvent, Status

pytestmark = pytest.mark.django_db

CREATE = reverse("members:create")
ADMITTED = dt.date(2023, 2, 3)
END = add_months(ADMITTED, 12)  # end of the 12-month probation of the rule set in force (no ceremony)


def _create_data(tree, official: dt.date | None, **extra):
    data = {
        "full_name": "Huỳnh Thị Mới",
        "sex": "F",
        "birth_date": "12/09/1995",
        "ethnicity": "Kinh",
        "citizen_id": "092195000123",
        "admission_date": fmt(ADMITTED),
        "official_date": fmt(official) if official else "",
        "cell": tree.c2.pk,
    }
    data.update(extra)
    return data


def _counts():
    return Member.objects.count(), MemberEvent.objects.count(), Member.history.count()


def test_the_derived_date_itself_is_stored_without_asking(client, cast, tree):
    client.force_login(cast.office)
    response = client.post(CREATE, _create_data(tree, END))
    assert response.status_code == 302
    created = Member.objects.get(citizen_id="092195000123")
    assert created.official_date == END and created.status == Status.OFFICIAL


def test_a_day_before_the_end_of_probation_is_refused_by_the_rule(client, cast, tree):
    client.force_login(cast.office)
    before = _counts()
    response = client.post(CREATE, _create_data(tree, END - dt.timedelta(days=1)))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert _counts() == before


def test_a_later_recognition_asks_then_stores_the_date_seen(client, cast, tree):
    client.force_login(cast.office)
    late = END + dt.timedelta(days=1)  # the first day on which the dates differ
    before = _counts()
    response = client.post(CREATE, _create_data(tree, late))
    assert response.status_code == 200
    form = response.context["form"]
    message = form.errors["official_date"][0]
    assert fmt(END) in message and fmt(late) in message and "12 tháng" in message
    assert "Ngày chính thức là ngày hết thời hạn dự bị" in message  # Vietnamese, beside the field
    body = response.content.decode()
    assert message in body
    # The box is offered, unticked, with the derived date it confirms.
    assert 'type="checkbox" name="official_date_confirmed"' in body
    assert f"Lưu ngày {fmt(END)} làm ngày chính thức (ngày hết thời hạn dự bị)" in body
    assert f'name="official_date_derived" value="{fmt(END)}"' in body
    assert _counts() == before  # nothing written

    # Posting again without ticking the box asks again and writes nothing.
    data = _create_data(tree, late, official_date_derived=fmt(END))
    response = client.post(CREATE, data)
    assert response.status_code == 200 and "official_date" in response.context["form"].errors
    assert _counts() == before

    # Ticked: the derived date, which the user saw, is stored; the recognition keeps the date entered.
    response = client.post(CREATE, {**data, "official_date_confirmed": "on"})
    assert response.status_code == 302
    created = Member.objects.get(citizen_id="092195000123")
    assert created.official_date == END
    assert created.events.get(kind=EventKind.OFFICIAL).date == late
    assert created.history.earliest().history_user == cast.office


def test_a_confirmation_of_another_date_is_not_taken(client, cast, tree):
    """The user confirmed the derived date of other dates (then changed the admission date): the new derived
    date was not seen, so it is asked again and nothing is stored."""
    client.force_login(cast.office)
    late = END + dt.timedelta(days=40)
    admitted = ADMITTED + dt.timedelta(days=10)
    new_end = add_months(admitted, 12)
    before = _counts()
    data = _create_data(
        tree, late, admission_date=fmt(admitted), official_date_derived=fmt(END), official_date_confirmed="on"
    )
    response = client.post(CREATE, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert fmt(new_end) in response.context["form"].errors["official_date"][0]
    assert f'name="official_date_derived" value="{fmt(new_end)}"' in body
    assert 'name="official_date_confirmed" checked' not in body  # offered again, unticked
    assert _counts() == before


def test_probationary_member_needs_no_confirmation(client, cast, tree):
    client.force_login(cast.office)
    assert client.post(CREATE, _create_data(tree, None)).status_code == 302
    assert Member.objects.get(citizen_id="092195000123").status == Status.PROBATIONARY


def test_event_form_recognition_on_a_later_day_asks_first(client, cast, tree):
    # Admitted 10/01/2025: a probationary member (the probation ended 10/01/2026, a past day).
    admitted = dt.date(2025, 1, 10)
    person = testing.member(tree.c1, "Đỗ Văn Dự Bị", admitted=admitted, official=False)
    end = add_months(admitted, 12)
    url = reverse("members:record_event", args=[person.pk])
    client.force_login(cast.office)
    histories = person.history.count()

    # On the end of probation itself: recorded at once.
    other = testing.member(tree.c1, "Đỗ Thị Đúng Hạn", admitted=admitted, official=False)
    other_url = reverse("members:record_event", args=[other.pk])
    assert client.post(other_url, {"kind": EventKind.OFFICIAL, "date": fmt(end)}).status_code == 302
    other.refresh_from_db()
    assert other.official_date == end

    # A day later: asked, nothing written.
    late = end + dt.timedelta(days=1)
    response = client.post(url, {"kind": EventKind.OFFICIAL, "date": fmt(late)})
    assert response.status_code == 200
    message = response.context["form"].errors["date"][0]
    assert fmt(end) in message and fmt(late) in message
    assert not person.events.filter(kind=EventKind.OFFICIAL).exists() and person.history.count() == histories

    response = client.post(
        url,
        {
            "kind": EventKind.OFFICIAL,
            "date": fmt(late),
            "official_date_derived": fmt(end),
            "official_date_confirmed": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Status.OFFICIAL and person.official_date == end
    assert person.events.get(kind=EventKind.OFFICIAL).date == late
