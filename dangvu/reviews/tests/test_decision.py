"""The cell's proposals and the competent committee's decision (issue 11 items 3–4): the excellent quota
and the discipline cap refused naming the rule and allowed when the rule set turns them off, the decision
with its number and date locking the grades, and a later change only by an audited correcting decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.reviews import services
from dangvu.reviews.models import Decision, Grade, ReviewState
from dangvu.reviews.tests.conftest import OPENED, TIMETABLE
from dangvu.rules import presentation
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
MEETING = dt.date(2026, 12, 1)
DECIDED = dt.date(2026, 12, 3)


def submit_all(campaign, actor) -> None:
    for review in campaign.reviews.all():
        data = services.SelfAssessment(
            "2B", {"general": "29", "tasks": "63"}, tasks=[{"title": "Việc", "on_time": True, "exceeded": True}]
        )
        services.save_self_assessment(review, data, actor, submit=True)


def propose(campaign, cell, grades: dict, actor, **disciplined):
    rows = [
        services.Proposal(campaign.reviews.get(member=m).pk, g, disciplined=disciplined.get("who") == m)
        for m, g in grades.items()
    ]
    return services.propose(campaign, cell, rows, MEETING, actor)


@pytest.fixture
def big_cell(tree, cast, people):
    """C1 with six members (An, Bình and four more) in the 2026 review of A1, all submitted."""
    extra = [testing.member(tree.c1, f"Đảng viên {n}") for n in range(4)]
    campaign = services.open_campaign(tree.a_base, 2026, OPENED, TIMETABLE, cast.office)
    submit_all(campaign, cast.member)
    return campaign, [people["an"], people["binh"], *extra]


def test_quota_refused_naming_the_rule_then_allowed_when_turned_off(tree, cast, big_cell):
    campaign, big_cell = big_cell
    grades = {m: Grade.GOOD for m in big_cell}
    grades[big_cell[0]] = grades[big_cell[1]] = Grade.EXCELLENT  # 2 of 6 good-or-better: 20% allows 1
    with pytest.raises(DomainError) as error:
        propose(campaign, tree.c1, grades, cast.secretary)
    assert presentation.label("review.excellent_quota_threshold") in error.value.message_dict["grade"][0]
    assert not campaign.reviews.filter(state=ReviewState.PROPOSED).exists()
    RuleSet.objects.create(effective_from=dt.date(2026, 1, 1), name="Bỏ tỷ lệ", values={"review.checks": []})
    assert len(propose(campaign, tree.c1, grades, cast.secretary)) == 6


def test_cap_refused_for_a_disciplined_member_then_allowed_when_off(tree, cast, people, campaign):
    submit_all(campaign, cast.member)
    with pytest.raises(DomainError) as error:
        propose(campaign, tree.c1, {people["an"]: Grade.COMPLETED}, cast.secretary, who=people["an"])
    assert presentation.label("review.disciplined_grade") in error.value.message_dict["grade"][0]
    propose(campaign, tree.c1, {people["an"]: Grade.NOT_COMPLETED}, cast.secretary, who=people["an"])
    RuleSet.objects.create(
        effective_from=dt.date(2026, 1, 1), name="Bỏ giới hạn", values={"review.checks": ["excellent_quota"]}
    )
    propose(campaign, tree.c1, {people["an"]: Grade.COMPLETED}, cast.secretary, who=people["an"])


def decide_a1(campaign, tree, actor, **kw):
    return services.decide(campaign, tree.a_base, "15-QĐ/ĐU", DECIDED, actor, **kw)


def test_decision_waits_for_every_cell_then_locks(tree, cast, people, campaign):
    submit_all(campaign, cast.member)
    propose(campaign, tree.c1, {people["an"]: Grade.GOOD, people["binh"]: Grade.GOOD}, cast.secretary)
    with pytest.raises(DomainError) as error:  # C2 has not proposed
        decide_a1(campaign, tree, cast.office)
    assert "Chi bộ Phòng Hai" in error.value.messages[0]
    propose(campaign, tree.c2, {people["duc"]: Grade.COMPLETED}, cast.office)
    with pytest.raises(DomainError) as error:
        services.decide(campaign, tree.a_base, " ", DECIDED, cast.office)
    assert "document_number" in error.value.message_dict
    duc = campaign.reviews.get(member=people["duc"])
    decision = decide_a1(campaign, tree, cast.office, changes={duc.pk: Grade.GOOD})
    graded = {r.member_id: (r.grade, r.decision_id, r.state) for r in campaign.reviews.all()}
    assert graded[people["an"].pk] == (Grade.GOOD, decision.pk, ReviewState.DECIDED)
    assert graded[people["duc"].pk][0] == Grade.GOOD  # the committee's own grade
    with pytest.raises(DomainError):  # locked: the cell can no longer propose
        propose(campaign, tree.c1, {people["an"]: Grade.EXCELLENT}, cast.secretary)
    with pytest.raises(DomainError):
        decide_a1(campaign, tree, cast.office)


def test_correction_is_a_new_audited_decision(tree, cast, people, campaign):
    submit_all(campaign, cast.member)
    propose(campaign, tree.c1, {people["an"]: Grade.GOOD, people["binh"]: Grade.GOOD}, cast.secretary)
    propose(campaign, tree.c2, {people["duc"]: Grade.GOOD}, cast.office)
    first = decide_a1(campaign, tree, cast.office)
    an = campaign.reviews.get(member=people["an"])
    with pytest.raises(DomainError) as error:
        services.correct(an, Grade.COMPLETED, "20-QĐ/ĐU", DECIDED, "", cast.office)
    assert "reason" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        services.correct(an, Grade.COMPLETED, "20-QĐ/ĐU", DECIDED - dt.timedelta(days=1), "x", cast.office)
    assert "document_date" in error.value.message_dict
    second = services.correct(an, Grade.COMPLETED, "20-QĐ/ĐU", DECIDED, "Phát hiện vi phạm", cast.office)
    an.refresh_from_db()
    assert (an.grade, an.decision_id, second.corrects_id) == (Grade.COMPLETED, second.pk, first.pk)
    grades = [h.grade for h in an.history.order_by("history_id")]
    assert grades[-2:] == [Grade.GOOD, Grade.COMPLETED]  # the earlier grade stays in the history
    assert an.history.latest().history_change_reason.startswith("corrected by 20-QĐ/ĐU")
    assert Decision.objects.count() == 2


def test_decision_and_correction_pages_allowed_and_denied(client, tree, cast, people, campaign):
    submit_all(campaign, cast.member)
    propose(campaign, tree.c1, {people["an"]: Grade.GOOD, people["binh"]: Grade.GOOD}, cast.secretary)
    propose(campaign, tree.c2, {people["duc"]: Grade.GOOD}, cast.office)
    url = reverse("reviews:decide", args=[campaign.pk, tree.a_base.pk])
    data = {"document_number": "15-QĐ/ĐU", "document_date": "03/12/2026"}
    client.force_login(cast.secretary)
    assert client.post(url, data).status_code == 404  # not the committee's office
    client.force_login(cast.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.office)
    page = client.post(url, {**data, "document_date": "03/12/2099"})
    assert page.status_code == 200 and "document_date" in page.context["form"].errors
    assert client.post(url, data).status_code == 302
    an = campaign.reviews.get(member=people["an"])
    correct = reverse("reviews:correct", args=[an.pk])
    fix = {**data, "document_number": "20-QĐ/ĐU", "grade": Grade.COMPLETED, "reason": "Đính chính"}
    client.force_login(cast.secretary)
    assert client.post(correct, fix).status_code == 403
    client.force_login(cast.office)
    assert client.post(correct, fix).status_code == 302
    an.refresh_from_db()
    assert an.grade == Grade.COMPLETED
