"""Messages name the rule in force, never the default (issue 8 item 8).

A rule set sets an 18-month probation from a date. A member admitted (the admission decision) on that date
has 18 months of probation; one admitted the day before, 12 (the length is the one in force on the admission
date, Điều lệ Đảng Điều 5, members.lifecycle). The refusal of an early official-membership resolution (service,
page, API), the member page, and the alerts (list, page, API) each say the length that member's probation has.
A vote threshold in an admission refusal is shown as the rules pages show it ("0.6" as 3/5), and the
introduction form has as many introducer slots as the rule in force asks for.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangvu.admission.models import CandidateStep, Stage
from dangvu.admission.tests.test_pipeline import open_candidate, spaced, step, walk
from dangvu.admission.tests.test_views import make_candidate
from dangvu.alerts.sources import Kind, due_items
from dangvu.api.tests.conftest import ApiClient
from dangvu.lib.dates import add_months, fmt
from dangvu.lib.errors import DomainError
from dangvu.rules.models import RuleSet
from dangvu.testing import keep_alert_sources, member

pytestmark = pytest.mark.django_db

START = dt.date(2023, 2, 1)
LONGER = {"admission.probation_months": 18}
# The rule set takes effect on the admission decision's date (in force: 18 months) or the day after (not yet:
# the default 12 months): both sides of its effective date.
SIDES = [pytest.param(0, 18, id="admitted-on-the-effective-date"), pytest.param(1, 12, id="admitted-the-day-before")]


def probationer_file(tree, cast, offset: int):
    """A file walked to the new-member training, 20 days a step; the 18-month rule set takes effect
    `offset` days after the admission decision. Returns the file and the ceremony date."""
    dates = spaced(START, Stage.TRAINING, gap_days=20)
    RuleSet.objects.create(
        effective_from=dates[Stage.DECISION] + dt.timedelta(days=offset), name="Quy định thử", values=LONGER
    )
    return walk(open_candidate(tree.c1, cast.office), cast.office, dates), dates[Stage.CEREMONY]


def errors_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.parametrize(("offset", "months"), SIDES)
def test_early_official_resolution_names_the_probation_in_force(client, tree, cast, offset, months):
    candidate, ceremony = probationer_file(tree, cast, offset)
    end = add_months(ceremony, months)
    assert candidate.member.probation_end == end
    early = end - dt.timedelta(days=1)
    before = CandidateStep.objects.count()

    # The service, in English and in Vietnamese.
    for language, expected in (
        ("en", f"before {months} months of probation are complete on {fmt(end)}"),
        ("vi", f"ngày {fmt(end)}, ngày đủ {months} tháng dự bị"),
    ):
        with translation.override(language), pytest.raises(DomainError) as caught:
            step(candidate, Stage.OFFICIAL_RESOLUTION, cast.secretary, early)
        assert expected in " ".join(caught.value.messages)

    # The page: the form says it beside the step, nothing recorded.
    client.force_login(cast.secretary)
    data = {"stage": Stage.OFFICIAL_RESOLUTION, "date": fmt(early), "votes_for": 2, "votes_against": 0}
    response = client.post(reverse("admission:record", args=[candidate.pk]), data)
    assert response.status_code == 200
    assert f"ngày {fmt(end)}, ngày đủ {months} tháng dự bị" in errors_of(response)
    other = 12 if months == 18 else 18
    assert f"đủ {other} tháng" not in errors_of(response)

    # The API.
    answer = ApiClient(client, cast.secretary).post(
        f"/candidates/{candidate.pk}/steps",
        {"stage": Stage.OFFICIAL_RESOLUTION, "date": early.isoformat(), "votes_for": 2, "votes_against": 0},
    )
    assert answer.status_code == 422, answer.content
    assert f"đủ {months} tháng dự bị" in answer.json()["detail"]
    assert CandidateStep.objects.count() == before

    # On the end of the probation the resolution is recorded.
    assert step(candidate, Stage.OFFICIAL_RESOLUTION, cast.secretary, end).recognised is True


@pytest.mark.parametrize(("offset", "months"), SIDES)
def test_member_page_names_the_probation_in_force(client, tree, cast, offset, months):
    candidate, ceremony = probationer_file(tree, cast, offset)
    end = add_months(ceremony, months)
    client.force_login(cast.office)
    page = errors_of(client.get(reverse("members:detail", args=[candidate.member_id])))
    assert f"đủ {months} tháng dự bị vào ngày {fmt(end)}" in page
    label = re.search(r'<dt id="probation-end-label">(.*?)</dt>\s*<dd id="probation-end">(.*?)</dd>', page)
    assert label and label.groups() == (f"Ngày đủ {months} tháng dự bị", fmt(end))
    assert "12 tháng" not in page if months == 18 else "18 tháng" not in page
    client.cookies["django_language"] = "en"
    english = errors_of(client.get(reverse("members:detail", args=[candidate.member_id])))
    assert f"{months} months of probation complete on {fmt(end)}" in english


@pytest.fixture
def probationers(tree, monkeypatch):
    """Two probationary members (no ceremony: probation from the admission) on both sides of a rule set of
    18-month probation that took effect 30 days ago, which also lists deadlines 600 days ahead so that
    both ends are due soon: admitted the day before (12 months) and on the day (18 months)."""
    keep_alert_sources(monkeypatch, "dangvu.alerts.sources")
    effective = timezone.localdate() - dt.timedelta(days=30)
    RuleSet.objects.create(effective_from=effective, name="Quy định thử", values={**LONGER, "alerts.soon_days": 600})
    before = member(tree.c2, "Hà Văn Trước", admitted=effective - dt.timedelta(days=1), official=False)
    on = member(tree.c2, "Lý Thị Đúng Ngày", admitted=effective, official=False)
    assert before.probation_end == add_months(effective - dt.timedelta(days=1), 12)
    assert on.probation_end == add_months(effective, 18)
    return {before.pk: 12, on.pk: 18}


def test_probation_alerts_name_the_probation_in_force(client, cast, probationers):
    # The alert source (what the dashboard, the digest and the API read).
    with translation.override("vi"):
        shown = {
            a.object_id: a.detail
            for a in due_items(cast.office, timezone.localdate())
            if a.kind == Kind.PROBATION_ENDING
        }
    assert shown == {pk: f"Đủ {months} tháng dự bị" for pk, months in probationers.items()}
    # The API.
    body = ApiClient(client, cast.office).get("/alerts").json()
    api = {a["object_id"]: a["detail"] for a in body if a["kind"] == Kind.PROBATION_ENDING}
    assert api == {pk: f"Đủ {months} tháng dự bị" for pk, months in probationers.items()}
    # The alerts page.
    client.force_login(cast.office)
    page = errors_of(client.get(reverse("alerts:list")))
    assert "Đủ 12 tháng dự bị" in page and "Đủ 18 tháng dự bị" in page


def test_a_threshold_is_quoted_as_the_rule_set_writes_it(tree, cast):
    """A cell threshold written 0.6 is quoted 3/5 in the refusal, not 0.6 nor the default 2/3."""
    dates = spaced(START, Stage.CELL_RESOLUTION, gap_days=20)
    RuleSet.objects.create(
        effective_from=dates[Stage.CELL_RESOLUTION],
        name="Quy định thử",
        values={"admission.cell_vote_threshold": "0.6"},
    )
    resolution = dates.pop(Stage.CELL_RESOLUTION)
    candidate = walk(open_candidate(tree.c1, cast.office), cast.office, dates)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        step(candidate, Stage.CELL_RESOLUTION, cast.secretary, resolution, votes_for=1, votes_against=1)
    assert "1 of 2 official members agreed; admission needs 2 (3/5)." in caught.value.messages


@pytest.mark.parametrize(("offset", "slots"), [(0, 3), (1, 2)], ids=["in-force-today", "from-tomorrow"])
def test_the_introduction_form_asks_as_many_introducers_as_the_rule_in_force(client, tree, cast, offset, slots):
    """A rule set asking three introducers, in force today or from tomorrow: three slots or two."""
    candidate = make_candidate(tree.c1, cast.office, Stage.VERIFICATION)
    RuleSet.objects.create(
        effective_from=timezone.localdate() + dt.timedelta(days=offset),
        name="Quy định thử",
        values={"admission.introducers": 3},
    )
    client.force_login(cast.secretary)
    form = client.get(reverse("admission:candidate", args=[candidate.pk])).context["form"]
    assert sorted(n for n in form.fields if n.startswith("introducer_")) == [
        f"introducer_{i}" for i in range(1, slots + 1)
    ]
    if slots == 3:
        refused = client.post(
            reverse("admission:record", args=[candidate.pk]),
            {
                "stage": Stage.INTRODUCTION,
                "date": fmt(timezone.localdate()),
                "introducer_1": form.fields["introducer_1"].queryset[0].pk,
                "since_1": "01/01/2020",
                "introducer_3": form.fields["introducer_1"].queryset[1].pk,
            },
        )
        assert refused.status_code == 200
        assert refused.context["form"].errors["since_3"] == [
            "Nhập ngày bắt đầu cùng công tác của người giới thiệu thứ 3."
        ]
        assert not candidate.steps.filter(stage=Stage.INTRODUCTION).exists()
