"""Rule set pages: every staff role reads the rules in force (today or on a date) and each rule set with its
history; only the administrator records a rule set or corrects one not yet in force."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.rules import services
from dangvu.rules.forms import field_name
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import KEYS, rules_on

pytestmark = pytest.mark.django_db

LIST = reverse("rules:list")
CREATE = reverse("rules:create")
STAFF = ["admin", "office", "inspector", "leader", "secretary", "outsider"]


def future(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def vn(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def form_data(day: dt.date, **rules) -> dict:
    data = {"effective_from": vn(day), "name": "Quy định thử", "source": "Quy định 999-QĐ/TW"}
    data.update({field_name(k.replace("__", ".")): v for k, v in rules.items()})
    return data


@pytest.fixture
def future_set(cast):
    return services.create_rule_set(cast.admin, future(), "Dự thảo", "QĐ 2", {"admission.max_age": 62})


@pytest.mark.parametrize("who", STAFF)
def test_staff_see_rules_in_force_and_rule_sets(client, cast, future_set, who, django_assert_max_num_queries):
    client.force_login(getattr(cast, who))
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    for name in KEYS:
        assert f'data-key="{name}"' in page
    assert reverse("rules:detail", args=[future_set.pk]) in page
    assert f'data-rule-set="{future_set.pk}" data-state="future"' in page
    # Today's max age comes from the first rule set, not the future one.
    rows = {r["name"]: r for r in response.context["rows"]}
    assert rows["admission.max_age"]["value"] == "60 tuổi, tính theo tháng"
    assert rows["admission.max_age"]["rule_set"].effective_from == dt.date(2000, 1, 1)
    assert (CREATE in page) == (who == "admin")
    detail = client.get(reverse("rules:detail", args=[future_set.pk]))
    assert detail.status_code == 200
    assert 'data-key="admission.max_age"' in detail.content.decode()


def test_rules_on_another_date(client, cast, future_set):
    client.force_login(cast.office)
    response = client.get(LIST, {"on": vn(future())})
    rows = {r["name"]: r for r in response.context["rows"]}
    assert rows["admission.max_age"]["value"] == "62 tuổi, tính theo tháng"
    assert rows["admission.max_age"]["rule_set"] == future_set
    assert rows["admission.min_age"]["rule_set"].effective_from == dt.date(2000, 1, 1)
    assert f'data-day="{future():%Y-%m-%d}"' in response.content.decode()
    # htmx asks for the table only.
    partial = client.get(LIST, {"on": vn(future())}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode() and 'data-key="admission.max_age"' in partial.content.decode()
    # A date that does not parse shows an error and today's rules.
    bad = client.get(LIST, {"on": "31/02/2030"})
    assert bad.status_code == 200 and bad.context["on_form"].errors
    assert bad.context["day"] == timezone.localdate()


def test_member_and_nobody_cannot_view(client, cast, future_set):
    for who in (cast.member, cast.nobody):
        client.force_login(who)
        for url in (LIST, reverse("rules:detail", args=[future_set.pk]), CREATE):
            assert client.get(url).status_code == 403, (who, url)


def test_anonymous_is_sent_to_log_in(client, future_set):
    for url in (
        LIST,
        CREATE,
        reverse("rules:detail", args=[future_set.pk]),
        reverse("rules:edit", args=[future_set.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["office", "secretary", "inspector", "leader", "outsider"])
def test_staff_other_than_admin_cannot_create_or_edit(client, cast, future_set, who):
    client.force_login(getattr(cast, who))
    count = RuleSet.objects.count()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(future(50), admission__max_age="65")).status_code == 403
    edit = reverse("rules:edit", args=[future_set.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(future(), admission__max_age="70")).status_code == 403
    assert RuleSet.objects.count() == count
    future_set.refresh_from_db()
    assert future_set.values == {"admission.max_age": {"years": 62, "unit": "month"}}


def test_admin_creates_a_future_rule_set(client, cast):
    client.force_login(cast.admin)
    today_rules = rules_on()
    assert client.get(CREATE).status_code == 200
    day_off = future(45)
    response = client.post(
        CREATE,
        form_data(
            future(),
            admission__max_age="62",
            admission__max_age_unit="year",
            admission__committee_vote_threshold="1/2",
            member__badge_years="30, 40\n50",
            calendar__extra_days_off=f"{vn(day_off)}\n{future(46):%Y-%m-%d}",
            admission__exception_steps=["source", "course"],
        ),
    )
    rule_set = RuleSet.objects.get(effective_from=future())
    assert response.status_code == 302 and response["Location"] == reverse("rules:detail", args=[rule_set.pk])
    assert rule_set.values == {  # only the filled fields
        "admission.max_age": {"years": 62, "unit": "year"},
        "admission.committee_vote_threshold": "1/2",
        "member.badge_years": [30, 40, 50],
        "calendar.extra_days_off": [day_off.isoformat(), future(46).isoformat()],
        "admission.exception_steps": ["source", "course"],
    }
    assert (rule_set.name, rule_set.source) == ("Quy định thử", "Quy định 999-QĐ/TW")
    # Rules change only from the effective date; announced days off are dated facts, known at once.
    now = rules_on()
    shipped = today_rules.pop("calendar.extra_days_off")  # the announced days the migrations ship
    assert now.pop("calendar.extra_days_off") == sorted([*shipped, day_off.isoformat(), future(46).isoformat()])
    assert now == today_rules
    assert rules_on(future())["admission.max_age"] == {"years": 62, "unit": "year"}
    detail = client.get(response["Location"])
    assert detail.context["history"][0]["record"].history_user == cast.admin
    assert cast.admin.username in detail.content.decode()


def test_invalid_form_input_is_refused_and_nothing_written(client, cast, future_set):
    client.force_login(cast.admin)
    count = RuleSet.objects.count()
    cases = [
        (form_data(future(50), admission__cell_vote_threshold="3/2"), field_name("admission.cell_vote_threshold")),
        (form_data(future(50), admission__min_age="40", admission__max_age="30"), field_name("admission.min_age")),
        (form_data(future(), admission__max_age="65"), "effective_from"),  # the future_set's date
        (form_data(future(50), member__badge_years="30, abc"), field_name("member.badge_years")),
        (form_data(future(50), calendar__extra_days_off="32/01/2030"), field_name("calendar.extra_days_off")),
        (form_data(future(50)), None),  # no rule filled
    ]
    for data, field in cases:
        response = client.post(CREATE, data)
        assert response.status_code == 200, data
        errors = response.context["form"].errors
        assert errors, data
        assert (field or "__all__") in errors, (data, errors)
        assert 'class="errorlist' in response.content.decode()
    # An unknown key posted alongside is ignored by the form (never stored).
    response = client.post(CREATE, {**form_data(future(51), admission__max_age="61"), "rule__x__y": "3"})
    assert response.status_code == 302
    assert RuleSet.objects.get(effective_from=future(51)).values == {
        "admission.max_age": {"years": 61, "unit": "month"}
    }
    assert RuleSet.objects.count() == count + 1


def test_admin_corrects_a_future_rule_set(client, cast, future_set):
    client.force_login(cast.admin)
    edit = reverse("rules:edit", args=[future_set.pk])
    page = client.get(edit)
    assert page.status_code == 200
    assert page.context["form"].initial[field_name("admission.max_age")] == {"years": 62, "unit": "month"}
    # The years in the key's own field, the unit beside it (months chosen).
    assert 'name="rule__admission__max_age" value="62"' in page.content.decode()
    assert '<option value="month" selected>' in page.content.decode()
    response = client.post(edit, form_data(future(31), admission__max_age="64"))
    assert response.status_code == 302
    future_set.refresh_from_db()
    assert (future_set.effective_from, future_set.values) == (
        future(31),
        {"admission.max_age": {"years": 64, "unit": "month"}},
    )
    detail = client.get(reverse("rules:detail", args=[future_set.pk]))
    changes = detail.context["history"][0]["changes"]
    assert {
        "field": "Tuổi tối đa khi kết nạp",
        "old": "62 tuổi, tính theo tháng",
        "new": "64 tuổi, tính theo tháng",
        "is_key": True,
    } in changes


def test_editing_a_rule_set_in_force_is_refused(client, cast):
    client.force_login(cast.admin)
    in_force = RuleSet.objects.get(effective_from=dt.date(2000, 1, 1))
    before = (in_force.name, in_force.values)
    edit = reverse("rules:edit", args=[in_force.pk])
    assert client.get(edit)["Location"] == reverse("rules:detail", args=[in_force.pk])
    response = client.post(edit, form_data(future(), admission__max_age="70"))
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert (in_force.name, in_force.values) == before
    assert not RuleSet.objects.filter(effective_from=future()).exists()
    detail = client.get(reverse("rules:detail", args=[in_force.pk]))
    assert edit not in detail.content.decode()


def test_a_correction_based_on_an_older_version_does_not_undo_another(client, cast, future_set):
    """Two administrators open the same draft; the second to save is refused with what the first changed
    (then → now), nothing written, and the form then holds the current version to save knowingly."""
    client.force_login(cast.admin)
    edit = reverse("rules:edit", args=[future_set.pk])
    opened = client.get(edit).context["form"].initial["version"]
    assert opened > 0
    first = client.post(edit, {**form_data(future(), admission__max_age="64"), "version": opened})
    assert first.status_code == 302
    future_set.refresh_from_db()
    stored = (future_set.name, future_set.values)
    second = client.post(
        edit, {**form_data(future(), admission__max_age="62", admission__min_age="19"), "version": opened}
    )
    assert second.status_code == 409
    text = " ".join(second.context["form"].non_field_errors())
    assert "Tuổi tối đa khi kết nạp: 62 tuổi, tính theo tháng → 64 tuổi, tính theo tháng" in text
    future_set.refresh_from_db()
    assert (future_set.name, future_set.values) == stored
    now = int(second.context["form"].data["version"])
    assert now > opened
    again = client.post(edit, {**form_data(future(), admission__max_age="62", admission__min_age="19"), "version": now})
    assert again.status_code == 302
    future_set.refresh_from_db()
    assert future_set.values["admission.max_age"] == {"years": 62, "unit": "month"}
    # A correction based on the version in force (or sent without one, as before) goes ahead.
    assert client.post(edit, form_data(future(), admission__max_age="63")).status_code == 302
