"""Confirmation of irreversible actions (issue 9 item 11): a POST without `confirmed=<action>` is refused
(409) with the question and what cannot be undone, nothing is written, and the page re-posts the same
fields with the confirmation; a form marked for confirm.js carries the question."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from dangvu.rules.forms import field_name
from dangvu.rules.models import RuleSet
from dangvu.web import confirm

pytestmark = pytest.mark.django_db


def _view(request):
    return HttpResponse("done")


def test_the_decorator_refuses_an_unconfirmed_post_and_re_posts_every_field(rf: RequestFactory, cast):
    view = confirm.requires_confirmation("close_vote")(_view)
    request = rf.post("/x/?page=2", {"count-yes": "3", "tag": ["a", "b"], "csrfmiddlewaretoken": "t"})
    request.user = cast.secretary
    response = view(request)
    html = response.content.decode()
    assert response.status_code == 409
    assert str(confirm.ACTIONS["close_vote"].undone) in html and 'action="/x/?page=2"' in html
    assert 'name="count-yes" value="3"' in html
    assert 'name="tag" value="a"' in html and 'name="tag" value="b"' in html
    assert 'name="confirmed" value="close_vote"' in html and 'value="t"' not in html  # a fresh CSRF token
    wrong = rf.post("/x/", {"confirmed": "close_meeting"})  # confirming another action is no confirmation
    wrong.user = cast.secretary
    assert view(wrong).status_code == 409
    right = rf.post("/x/", {"confirmed": "close_vote"})
    right.user = cast.secretary
    assert view(right).content == b"done"
    assert view(rf.get("/x/")).content == b"done"  # only posts are asked for


def test_unknown_actions_are_a_programming_error():
    with pytest.raises(KeyError):
        confirm.requires_confirmation("delete_everything")


def test_form_attributes_carry_the_question_for_the_dialog():
    attrs = str(confirm.attrs("approve_minutes"))
    assert 'data-confirm="approve_minutes"' in attrs and "data-confirm-undone=" in attrs
    when = str(confirm.attrs("rule_set_today", effective_from="05/12/2026"))
    assert 'data-confirm-when-field="effective_from"' in when and 'data-confirm-when-value="05/12/2026"' in when


def _rule_set_form(day: dt.date) -> dict:
    return {
        "effective_from": f"{day:%d/%m/%Y}",
        "name": "Quy định thử",
        "source": "Quy định 999-QĐ/TW",
        field_name("admission.max_age"): "61",
    }


def test_a_rule_set_in_force_today_is_confirmed_a_later_one_is_not(client, cast):
    client.force_login(cast.admin)
    today = timezone.localdate()
    page = client.get(reverse("rules:create")).content.decode()
    assert 'data-confirm="rule_set_today"' in page and f'data-confirm-when-value="{today:%d/%m/%Y}"' in page
    asked = client.post(reverse("rules:create"), _rule_set_form(today))
    assert asked.status_code == 409 and not RuleSet.objects.filter(effective_from=today).exists()
    assert 'name="confirmed" value="rule_set_today"' in asked.content.decode()
    done = client.post(reverse("rules:create"), {**_rule_set_form(today), "confirmed": "rule_set_today"})
    assert done.status_code == 302 and RuleSet.objects.get(effective_from=today).values == {
        "admission.max_age": {"years": 61, "unit": "month"}
    }
    tomorrow = today + dt.timedelta(days=1)
    assert client.post(reverse("rules:create"), _rule_set_form(tomorrow)).status_code == 302
    # Correcting a future rule set so that it takes effect today asks as well.
    later = RuleSet.objects.get(effective_from=tomorrow)
    edit = reverse("rules:edit", args=[later.pk])
    other_day = today + dt.timedelta(days=2)
    assert client.post(edit, _rule_set_form(other_day)).status_code == 302
    RuleSet.objects.filter(effective_from=today).update(effective_from=today - dt.timedelta(days=400))
    assert client.post(edit, _rule_set_form(today)).status_code == 409
    assert RuleSet.objects.get(pk=later.pk).effective_from == other_day


def test_a_refused_form_without_rights_is_forbidden_before_it_is_asked(client, cast):
    client.force_login(cast.office)  # not the administrator: 403, not a question
    assert client.post(reverse("rules:create"), _rule_set_form(timezone.localdate())).status_code == 403
