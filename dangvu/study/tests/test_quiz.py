"""The member's confirmation with the quiz (issue 14 item 3): passed at the pass mark, refused one answer
under it with nothing written; a reflection is required; a second confirmation is refused."""

from __future__ import annotations

import pytest

from dangvu.lib.errors import DomainError
from dangvu.study import services
from dangvu.study.models import Participation
from dangvu.study.tests.conftest import CONFERENCE, QUIZ, campaign_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(tree, cast, resolution):
    return campaign_for(tree.a, resolution, cast.office, questions=QUIZ, pass_mark=75)


def _answers(campaign, right: int) -> dict[int, int]:
    """The first `right` questions answered right, the others wrong."""
    out = {}
    for n, q in enumerate(campaign.questions.all()):
        out[q.pk] = q.correct if n < right else (q.correct + 1) % len(q.choices)
    return out


def test_three_of_four_pass_at_75_percent(quiz, cast, people):
    row = services.confirm(
        quiz, people["an"], cast.member, answers=_answers(quiz, 3), reflection="Em đã học.", on=CONFERENCE
    )
    assert (row.quiz_score, row.confirmed_on) == (75, CONFERENCE)
    with pytest.raises(DomainError):
        services.confirm(
            quiz, people["an"], cast.member, answers=_answers(quiz, 4), reflection="Lần hai", on=CONFERENCE
        )


def test_two_of_four_fail_and_nothing_is_written(quiz, cast, people):
    with pytest.raises(DomainError) as refused:
        services.confirm(quiz, people["an"], cast.member, answers=_answers(quiz, 2), reflection="x", on=CONFERENCE)
    assert "2" in str(refused.value) and "75" in str(refused.value)
    assert not Participation.objects.exists()


def test_unanswered_questions_count_as_wrong(quiz):
    assert services.grade(quiz, {}).passed is False
    assert services.grade(quiz, _answers(quiz, 4)).score == 100


def test_a_reflection_is_required_and_another_person_cannot_confirm(quiz, cast, people):
    with pytest.raises(DomainError):
        services.confirm(quiz, people["an"], cast.member, answers=_answers(quiz, 4), reflection="  ", on=CONFERENCE)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.confirm(quiz, people["binh"], cast.member, answers=_answers(quiz, 4), reflection="x", on=CONFERENCE)
    assert not Participation.objects.exists()


def test_a_campaign_without_quiz_needs_only_the_reflection(tree, cast, people, resolution):
    plain = campaign_for(tree.c1, resolution, cast.office)
    row = services.confirm(plain, people["an"], cast.member, answers={}, reflection="Thu hoạch", on=CONFERENCE)
    assert row.quiz_score is None and row.history.first().history_user == cast.member
