"""Opening a campaign over a subtree and the member's self-assessment (issue 11 items 1–2): the reviews
created, the refusals beside their fields, the rules of the opening date, the lock on submission, and the
audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member
from dangvu.reviews import services
from dangvu.reviews.models import Campaign, Exclusion, Grade, Review, ReviewState
from dangvu.reviews.tests.conftest import OPENED, TIMETABLE
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def filled(form: str = "2B", general: str = "28", tasks: str = "62", late: int = 0) -> services.SelfAssessment:
    work = [{"title": f"Nhiệm vụ {n}", "on_time": n >= late, "exceeded": n < 4} for n in range(10)]
    return services.SelfAssessment(
        form,
        {"general": general, "tasks": tasks},
        {"tasks": "Hoàn thành báo cáo quý"},
        work,
        "Đôi lúc chậm báo cáo",
        "Lập kế hoạch tuần",
    )


def test_opening_lists_every_member_of_the_subtree(tree, cast, people, campaign):
    reviews = Review.objects.filter(campaign=campaign)
    assert {r.member_id for r in reviews} == {people["an"].pk, people["binh"].pk, people["duc"].pk}
    assert all(r.state == ReviewState.DRAFT and r.exclusion == Exclusion.NONE for r in reviews)
    assert Review.history.filter(campaign_id=campaign.pk).count() == 3  # audited with the office
    assert campaign.history.get().history_user == cast.office


def test_exempt_member_is_listed_not_graded(tree, cast, people):
    Member.objects.filter(pk=people["binh"].pk).update(is_exempt=True)
    c = services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)
    assert c.reviews.get(member=people["binh"]).exclusion == Exclusion.EXEMPT


def test_refusals_name_the_field_and_write_nothing(tree, cast, people, campaign):
    bad = services.Timetable(dt.date(2026, 12, 20), dt.date(2026, 12, 10), dt.date(2026, 12, 31))
    with pytest.raises(DomainError) as error:
        services.open_campaign(tree.b, 2026, OPENED, bad, cast.office)
    assert set(error.value.message_dict) == {"cell_until"}
    with pytest.raises(DomainError) as error:  # A1 lies under A, whose 2026 review is open
        services.open_campaign(tree.a_base, 2026, OPENED, TIMETABLE, cast.office)
    assert "Đảng bộ các cơ quan A" in error.value.message_dict["organisation"][0]
    with pytest.raises(DomainError) as error:
        services.open_campaign(tree.b, 2026, dt.date(2099, 1, 1), TIMETABLE, cast.office)
    assert "opened_on" in error.value.message_dict
    assert Campaign.objects.count() == 1


def test_submitted_self_assessment_is_locked_with_its_grade(tree, cast, people, campaign):
    review = campaign.reviews.get(member=people["an"])
    services.save_self_assessment(review, filled(general="25"), cast.member)  # a draft: may change
    review = services.save_self_assessment(review, filled(), cast.member, submit=True)
    assert (review.points, review.self_grade, review.state) == (90, Grade.EXCELLENT, ReviewState.SUBMITTED)
    with pytest.raises(DomainError) as error:
        services.save_self_assessment(review, filled(general="30"), cast.member)
    assert error.value.code == "locked"
    review.refresh_from_db()
    assert review.points == 90
    assert [h.history_user for h in review.history.order_by("history_id")][-2:] == [cast.member, cast.member]


def test_89_5_points_proposes_good_and_a_late_task_completed(tree, cast, people, campaign):
    an, binh = (campaign.reviews.get(member=people[k]) for k in ("an", "binh"))
    assert services.save_self_assessment(an, filled(tasks="61.5"), cast.member, submit=True).self_grade == Grade.GOOD
    late = services.save_self_assessment(binh, filled(late=1), cast.member, submit=True)
    assert (late.points, late.self_grade) == (90, Grade.COMPLETED)


def test_points_are_checked_against_the_form(tree, cast, people, campaign):
    review = campaign.reviews.get(member=people["an"])
    for general, message in (("31", "30"), ("abc", "27"), ("27.25", "")):
        with pytest.raises(DomainError) as error:
            services.save_self_assessment(review, filled(general=general), cast.member)
        assert message in error.value.message_dict["score_general"][0]
    with pytest.raises(DomainError) as error:
        services.save_self_assessment(review, filled(general=""), cast.member, submit=True)
    assert "score_general" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        services.save_self_assessment(review, filled(form="9Z"), cast.member)
    assert "form" in error.value.message_dict
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and review.points is None


def test_a_campaign_opened_under_a_later_rule_set_uses_its_forms_and_bands(tree, cast, people):
    """The 2025 review opened before a new regulation keeps the old rules; the 2026 review, opened after it,
    uses the new form and bands (no code change)."""
    RuleSet.objects.create(
        effective_from=dt.date(2026, 6, 1),
        name="Quy định mới (thử)",
        values={
            "review.excellent_points": 95,
            "review.forms": {
                "3X": {
                    "label": "Mẫu mới",
                    "groups": [
                        {"code": "ethics", "label": "Đạo đức", "max": 40},
                        {"code": "work", "label": "Công việc", "max": 60},
                    ],
                }
            },
        },
    )
    old = services.open_campaign(tree.a, 2025, dt.date(2026, 1, 10), TIMETABLE, cast.office)
    new = services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)
    review_old = old.reviews.get(member=people["an"])
    assert services.save_self_assessment(review_old, filled(), cast.member, submit=True).self_grade == Grade.EXCELLENT
    review_new = new.reviews.get(member=people["an"])
    with pytest.raises(DomainError):
        services.save_self_assessment(review_new, filled(), cast.member)  # 2B is not a form of the new rules
    new_form = services.SelfAssessment(
        "3X", {"ethics": "38", "work": "54"}, tasks=[{"title": "Việc", "on_time": True, "exceeded": True}]
    )
    review_new = services.save_self_assessment(review_new, new_form, cast.member, submit=True)
    assert (review_new.points, review_new.self_grade) == (92, Grade.GOOD)  # 92 < 95 under the new rules


def test_secretary_may_send_a_submitted_form_back(tree, cast, people, campaign):
    review = campaign.reviews.get(member=people["an"])
    review = services.save_self_assessment(review, filled(), cast.member, submit=True)
    with pytest.raises(DomainError):
        services.return_to_member(review, " ", cast.secretary)
    review = services.return_to_member(review, "Bổ sung minh chứng", cast.secretary)
    assert review.state == ReviewState.DRAFT
    services.save_self_assessment(review, filled(general="29"), cast.member)


def test_member_joining_later_is_not_in_the_campaign(tree, cast, people, campaign):
    newcomer = testing.member(tree.c1, "Võ Văn Mới", admitted=dt.date(2026, 11, 25), official=False)
    assert not Review.objects.filter(member=newcomer).exists()
