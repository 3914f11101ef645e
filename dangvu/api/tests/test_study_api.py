"""The study API (issue 14 items 3–5): campaigns listed and read within scope (a member: their own
organisations'), a quiz given without its answers, confirmation with the quiz, setting up, participation and
counts, courses — allowed and denied."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.study import training
from dangvu.study.models import Participation
from dangvu.study.services import CampaignSpec, QuestionSpec, create_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, cast, terms):  # noqa: F811
    res_a = register.register(entry(tree.a, title="Nghị quyết Api-A"), cast.office)
    res_b = register.register(entry(tree.b, title="Nghị quyết Api-B"), cast.outsider)
    quiz = [QuestionSpec("Câu hỏi?", ["Sai", "Đúng"], 1)]
    today = dt.date.today()
    a = create_campaign(
        CampaignSpec(
            tree.a, res_a, "Học tập Api-A", today - dt.timedelta(days=3), today + dt.timedelta(days=10), questions=quiz
        ),
        cast.office,
    )
    b = create_campaign(CampaignSpec(tree.b, res_b, "Học tập Api-B", today, today), cast.outsider)
    return {"a": a, "b": b, "res_a": res_a}


def test_campaigns_are_scoped_and_the_quiz_has_no_answers(api, cast, world):
    a, b = world["a"], world["b"]
    listed = api(cast.member).get("/study/campaigns").json()
    assert [c["title"] for c in listed["items"]] == ["Học tập Api-A"]
    detail = api(cast.member).get(f"/study/campaigns/{a.pk}").json()
    assert detail["questions"][0] == {"id": a.questions.get().pk, "text": "Câu hỏi?", "choices": ["Sai", "Đúng"]}
    assert detail["mine"]["called"] is True and detail["participation"] == []
    assert api(cast.member).get(f"/study/campaigns/{b.pk}").status_code == 404
    assert api(cast.outsider).get(f"/study/campaigns/{a.pk}").status_code == 404
    assert api(cast.nobody).get("/study/campaigns").status_code == 403
    rows = api(cast.office).get(f"/study/campaigns/{a.pk}").json()["participation"]
    assert rows[0]["figures"] == {"expected": 3, "studied": 0, "attended": 0, "confirmed": 0, "rate": 0.0}


def test_confirm_with_the_quiz(api, cast, world):
    a = world["a"]
    qid = a.questions.get().pk
    wrong = api(cast.member).post(
        f"/study/campaigns/{a.pk}/confirm", {"answers": [{"question_id": qid, "choice": 0}], "reflection": "Thu hoạch"}
    )
    assert wrong.status_code == 422 and not Participation.objects.exists()
    right = api(cast.member).post(
        f"/study/campaigns/{a.pk}/confirm", {"answers": [{"question_id": qid, "choice": 1}], "reflection": "Thu hoạch"}
    )
    assert right.status_code == 200 and right.json()["mine"]["quiz_score"] == 100
    assert api(cast.office).post(f"/study/campaigns/{a.pk}/confirm", {"reflection": "x"}).status_code == 403
    year = dt.date.today().year
    stats = api(cast.leader).get("/study/participation", organisation_id=a.organisation_id, year=year).json()
    assert (stats["combined"]["expected"], stats["combined"]["studied"]) == (3, 1)
    assert (
        api(cast.outsider).get("/study/participation", organisation_id=a.organisation_id, year=year).status_code == 404
    )
    assert api(cast.member).get("/study/participation", organisation_id=a.organisation_id, year=year).status_code == 403


def test_set_up_a_campaign(api, cast, tree, world):
    today = dt.date.today()
    body = {
        "organisation_id": tree.c1.pk,
        "resolution_id": world["res_a"].pk,
        "title": "Học tập tại chi bộ",
        "conference_date": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat(),
    }
    refused = api(cast.office).post("/study/campaigns", body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "ends_on"
    body["ends_on"] = today.isoformat()
    assert api(cast.office).post("/study/campaigns", body).status_code == 201
    assert api(cast.secretary).post("/study/campaigns", body).status_code == 403
    assert api(cast.outsider).post("/study/campaigns", body).status_code == 404


def test_courses_and_counts(api, cast, tree, people):
    course = training.create_course(
        training.CourseSpec(tree.a, "refresher", "Lớp Cập-Nhật", dt.date(2026, 1, 5), dt.date(2026, 1, 9)), cast.office
    )
    e = training.enrol(course, cast.office, member=people["an"], on=dt.date(2026, 1, 5))
    training.complete(e, cast.office, on=dt.date(2026, 1, 9), certificate_number="CN-1")
    assert api(cast.office).get(f"/study/courses/{course.pk}").json()["kind"] == "refresher"
    assert api(cast.outsider).get(f"/study/courses/{course.pk}").status_code == 404
    mine = api(cast.member).get("/study/me/enrolments").json()
    assert [(m["course"]["title"], m["certificate_number"]) for m in mine] == [("Lớp Cập-Nhật", "CN-1")]
    assert api(cast.office).get("/study/me/enrolments").status_code == 403
    counts = api(cast.office).get("/study/counts", organisation_id=tree.a.pk, year=2026).json()
    assert counts["completed"]["refresher"] == 1
