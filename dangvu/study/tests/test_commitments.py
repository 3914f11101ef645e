"""Commitments and exemplary models (issue 14 item 4): the member's yearly commitment and its review; the
register of models and commendations counted per organisation and year (boundaries at the year's ends), with
the indicators and their records; the pages' scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dangvu.lib.errors import DomainError
from dangvu.study import commitments, counts
from dangvu.study.models import Commitment, ReviewResult, Subject
from dangvu.targets import indicators

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_the_yearly_commitment_and_its_review(cast, people):
    an = people["an"]
    c = commitments.make_commitment(an, cast.member, content="Học và làm theo Bác.", on=dt.date(2026, 1, 15))
    assert c.year == 2026
    with pytest.raises(DomainError):
        commitments.make_commitment(an, cast.member, content="Lần hai", on=dt.date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        commitments.make_commitment(people["binh"], cast.member, content="Thay người khác", on=dt.date(2026, 2, 1))
    with pytest.raises(DomainError):
        commitments.review_commitment(c, cast.member, review="Sớm", result=ReviewResult.WELL, on=dt.date(2026, 1, 14))
    commitments.review_commitment(
        c, cast.member, review="Đã thực hiện.", result=ReviewResult.WELL, on=dt.date(2026, 12, 1)
    )
    with pytest.raises(DomainError):
        commitments.review_commitment(c, cast.member, review="Lại", result=ReviewResult.NOT, on=dt.date(2026, 12, 2))
    c.refresh_from_db()
    assert (c.result, c.history.count()) == (ReviewResult.WELL, 2)


def _recognise(org, actor, subject, date, member=None, kind="model"):
    spec = commitments.Recognition(org, subject, "Mô hình Dân vận khéo", date, member=member, description="Lý do")
    return (commitments.register_model if kind == "model" else commitments.record_commendation)(spec, actor)


def test_models_and_commendations_counted_per_organisation_and_year(tree, cast, people):
    _recognise(tree.c1, cast.office, Subject.COLLECTIVE, dt.date(2025, 1, 1))
    _recognise(tree.c2, cast.office, Subject.COLLECTIVE, dt.date(2025, 12, 31))
    _recognise(tree.c1, cast.office, Subject.COLLECTIVE, dt.date(2024, 12, 31))  # the year before
    _recognise(tree.a_base, cast.office, Subject.INDIVIDUAL, dt.date(2025, 5, 1), member=people["an"])
    _recognise(tree.c1, cast.office, Subject.INDIVIDUAL, dt.date(2025, 5, 1), member=people["an"], kind="commendation")
    _recognise(tree.c3, cast.outsider, Subject.COLLECTIVE, dt.date(2025, 5, 1), kind="commendation")
    a = counts.counts(tree.a, *YEAR).total
    assert (a.models_collective, a.models_individual, a.commendations) == (2, 1, 1)
    c1 = counts.counts(tree.c1, *YEAR).total
    assert (c1.models_collective, c1.models_individual, c1.commendations) == (1, 0, 1)
    assert counts.counts(tree.b, *YEAR).total.commendations == 1
    result = indicators.get("study.models_collective")(tree.a, *YEAR)
    assert result.value == 2 == result.parts[0].records.count()
    assert indicators.get("study.commendations")(tree.city, *YEAR).value == 2


def test_recognitions_are_checked(tree, cast, people):
    with pytest.raises(DomainError):
        _recognise(tree.c2, cast.office, Subject.INDIVIDUAL, dt.date(2025, 5, 1), member=people["an"])  # not in C2
    with pytest.raises(DomainError):
        _recognise(tree.c2, cast.office, Subject.INDIVIDUAL, dt.date(2025, 5, 1))  # no member named
    with pytest.raises(PermissionDenied):
        _recognise(tree.c3, cast.office, Subject.COLLECTIVE, dt.date(2025, 5, 1))


def test_pages(client, cast, tree, people):
    _recognise(tree.c1, cast.office, Subject.COLLECTIVE, dt.date(2025, 3, 1))
    _recognise(tree.c3, cast.outsider, Subject.COLLECTIVE, dt.date(2025, 3, 1)).name  # noqa: B018
    client.force_login(cast.member)
    page = client.get(reverse("study:commitment"))
    assert page.status_code == 200
    assert client.post(reverse("study:commitment"), {"content": ""}).status_code == 422
    assert client.post(reverse("study:commitment"), {"content": "Cam kết của tôi"}).status_code == 302
    assert Commitment.objects.get().member == people["an"]
    assert client.get(reverse("study:models")).status_code == 403
    client.force_login(cast.office)
    page = client.get(reverse("study:models") + "?year=2025")
    assert page.status_code == 200 and len(page.context["models"]) == 1
    assert page.context["figures"][0][1].models_collective == 1
    assert client.get(reverse("study:new_model")).status_code == 200
    data = {"organisation": tree.c2.pk, "subject": "collective", "name": "Chi bộ bốn tốt", "date": "02/02/2026"}
    assert client.post(reverse("study:new_model"), data).status_code == 302
    client.force_login(cast.secretary)
    assert client.get(reverse("study:new_model")).status_code == 403
