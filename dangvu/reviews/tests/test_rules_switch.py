"""The limits on the grades (rule review.checks) ticked as boxes on the rule set form (issue 11): the boxes
start as the rule in force, unticking one turns it off from the rule set's date, both unticked turn both
off, a form left as shown stores nothing, and a rule set being corrected shows its own value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.reviews.forms_rule import ReviewRules
from dangvu.rules.forms import field_name
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
FIELD = field_name("review.checks")


def post(client, day: dt.date, name: str, ticked: list[str] | None, **other):
    data = {"effective_from": f"{day:%d/%m/%Y}", "name": name, "source": "", **other}
    if ticked is not None:
        data.update({FIELD: ticked, f"{FIELD}__shown": "1"})
    return client.post(reverse("rules:create"), data)


def test_limits_are_boxes_ticked_as_in_force(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("rules:create")).content.decode()
    assert f'type="checkbox" name="{FIELD}" value="excellent_quota"' in page
    assert f'value="discipline_cap" id="id_{FIELD}_1" checked' in page
    assert "Kiểm tra tỷ lệ xếp loại" in page and "Codes:" not in page and "Mã: excellent_quota" not in page


def test_unticking_turns_a_limit_off_from_the_rule_sets_date(client, cast):
    client.force_login(cast.admin)
    day = timezone.localdate() + dt.timedelta(days=30)
    assert post(client, day, "Bỏ tỷ lệ", ["discipline_cap"]).status_code == 302
    saved = RuleSet.objects.get(effective_from=day)
    assert saved.values == {"review.checks": ["discipline_cap"]}
    assert ReviewRules.on(day).checks == ("discipline_cap",)
    assert ReviewRules.on(day - dt.timedelta(days=1)).checks == ("excellent_quota", "discipline_cap")
    edit = client.get(reverse("rules:edit", args=[saved.pk])).content.decode()
    assert f'value="excellent_quota" id="id_{FIELD}_0">' in edit  # shown unticked
    assert f'value="discipline_cap" id="id_{FIELD}_1" checked' in edit


def test_both_unticked_is_none_and_left_as_shown_is_nothing(client, cast):
    client.force_login(cast.admin)
    day = timezone.localdate() + dt.timedelta(days=40)
    assert post(client, day, "Không giới hạn", []).status_code == 302
    assert RuleSet.objects.get(effective_from=day).values == {"review.checks": []}
    assert ReviewRules.on(day).checks == ()
    later = day + dt.timedelta(days=10)
    late = {field_name("meeting.late_minutes"): "20"}
    both = ["excellent_quota", "discipline_cap"]
    assert post(client, later, "Như đang áp dụng", both, **late).status_code == 302
    assert RuleSet.objects.get(effective_from=later).values == {"meeting.late_minutes": 20}  # checks as in force
    other = day + dt.timedelta(days=20)
    assert post(client, other, "Không có ô", None, **late).status_code == 302  # the boxes not posted at all
    assert RuleSet.objects.get(effective_from=other).values == {"meeting.late_minutes": 20}


def test_an_unknown_limit_is_refused_beside_the_boxes(client, cast):
    client.force_login(cast.admin)
    day = timezone.localdate() + dt.timedelta(days=50)
    page = post(client, day, "Sai", ["nope"])
    assert page.status_code == 200 and page.context["form"].errors[FIELD]
    assert 'class="form-summary"' in page.content.decode()
    assert not RuleSet.objects.filter(effective_from=day).exists()
    client.force_login(cast.office)
    assert post(client, day, "Văn phòng", []).status_code == 403
