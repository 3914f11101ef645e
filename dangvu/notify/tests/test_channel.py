"""The two-way channel: a member writes to their cell or a committee above it; the office and secretaries
over that organisation see and answer it (the member is notified), anyone else gets a 404; closing asks
once; counts per organisation and period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.lib.errors import DomainError
from dangvu.notify import services, stats
from dangvu.notify.models import Kind, Notification, Question, QuestionState

pytestmark = pytest.mark.django_db


def _ask(cast, org, subject="Hỏi về sinh hoạt chi bộ"):
    return services.ask(cast.member, org, kind="question", subject=subject, text="Khi nào họp chi bộ tháng này?")


def test_a_member_asks_their_cell_and_the_secretary_is_notified(tree, cast):
    question = _ask(cast, tree.c1)
    assert question.state == QuestionState.OPEN and question.member == cast.member.member
    note = Notification.objects.get(recipient=cast.secretary)
    assert note.kind == Kind.QUESTION_RECEIVED and note.link == f"/notifications/questions/{question.pk}/"
    assert not Notification.objects.filter(recipient=cast.office).exists()  # the office of A is not at C1


def test_a_member_may_write_only_to_their_own_cell_and_committees_above(tree, cast):
    assert [o.pk for o in services.addressable(cast.member)] == [tree.city.pk, tree.a.pk, tree.a_base.pk, tree.c1.pk]
    with pytest.raises(DomainError) as refused:
        _ask(cast, tree.c3)
    assert "organisation" in refused.value.message_dict
    with pytest.raises(DomainError):
        services.ask(cast.office, tree.a, kind="question", subject="x", text="y")  # no member record
    with pytest.raises(DomainError) as refused:
        services.ask(cast.member, tree.c1, kind="question", subject=" ", text="")
    assert set(refused.value.message_dict) == {"subject", "text"}
    assert not Question.objects.exists()


def test_who_sees_and_answers(client, tree, cast):
    question = _ask(cast, tree.a_base)
    url = reverse("notify:question", args=[question.pk])
    seen = {}
    for name, user in cast.all().items():
        client.force_login(user)
        seen[name] = client.get(url).status_code
    # The author, A's office (A1 is in its subtree) and the administrator; C1's secretary is below A1: 404.
    assert seen == {
        "admin": 200,
        "office": 200,
        "inspector": 404,
        "leader": 404,
        "secretary": 404,
        "member": 200,
        "outsider": 404,
        "nobody": 404,
    }
    client.force_login(cast.outsider)
    assert client.post(reverse("notify:answer", args=[question.pk]), {"answer": "x"}).status_code == 404
    client.force_login(cast.member)
    assert client.post(reverse("notify:answer", args=[question.pk]), {"answer": "x"}).status_code == 403
    client.force_login(cast.office)
    response = client.post(reverse("notify:answer", args=[question.pk]), {"answer": ""})
    assert response.status_code == 422 and 'id="id_answer_error"' in response.content.decode()
    response = client.post(reverse("notify:answer", args=[question.pk]), {"answer": "Ngày 15 hằng tháng."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED and question.answered_by == cast.office
    note = Notification.objects.get(recipient=cast.member, kind=Kind.QUESTION_ANSWERED)
    assert "Ngày 15" in note.body
    assert question.history.count() == 2  # created, answered: audited
    with pytest.raises(DomainError):
        services.answer(cast.office, question, "Lần hai")


def test_closing_asks_once_and_is_final(client, tree, cast):
    question = _ask(cast, tree.c1)
    client.force_login(cast.member)
    url = reverse("notify:close", args=[question.pk])
    assert client.post(url).status_code == 409  # the confirmation is asked
    assert Question.objects.get(pk=question.pk).state == QuestionState.OPEN
    assert client.post(url, {"confirmed": "close_question"}).status_code == 302
    question.refresh_from_db()
    assert question.state == QuestionState.CLOSED and question.closed_by == cast.member
    client.force_login(cast.secretary)
    page = client.get(reverse("notify:question", args=[question.pk])).content.decode()
    assert "answer-form" not in page and "close-question" not in page


def test_lists_show_own_and_handled_questions(client, tree, cast, people):
    _ask(cast, tree.c1, "Câu hỏi gửi chi bộ")
    client.force_login(cast.secretary)
    page = client.get(reverse("notify:questions")).content.decode()
    assert "Câu hỏi gửi chi bộ" in page
    client.force_login(cast.outsider)
    assert "Câu hỏi gửi chi bộ" not in client.get(reverse("notify:questions")).content.decode()


def _at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_counts_per_organisation_and_period_hand_computed(tree, cast):
    d = dt.date(2026, 3, 1)
    q1, q2, q3, q4 = (_ask(cast, org, f"Câu {i}") for i, org in enumerate([tree.c1, tree.c1, tree.a_base, tree.a]))
    # q1: asked 01/03, answered 10/03, closed 02/04; q2: asked 31/03, still open; q3: asked 28/02, answered
    # 01/04; q4: asked 15/03 to committee A (outside A1's subtree).
    Question.objects.filter(pk=q1.pk).update(
        created_at=_at(d), answered_at=_at(d.replace(day=10)), closed_at=_at(dt.date(2026, 4, 2)), state="closed"
    )
    Question.objects.filter(pk=q2.pk).update(created_at=_at(dt.date(2026, 3, 31), 23))
    Question.objects.filter(pk=q3.pk).update(
        created_at=_at(dt.date(2026, 2, 28)), answered_at=_at(dt.date(2026, 4, 1)), state="answered"
    )
    Question.objects.filter(pk=q4.pk).update(created_at=_at(dt.date(2026, 3, 15)))
    march = stats.questions(tree.a_base, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    rows = {r.organisation.pk: (r.received, r.answered, r.closed, r.waiting) for r in march.rows}
    # C1: received q1, q2; answered q1; none closed in March; waiting at the end: q2. A1: q3 waiting at the end.
    assert rows == {tree.c1.pk: (2, 1, 0, 1), tree.a_base.pk: (0, 0, 0, 1)}
    assert (march.total.received, march.total.answered, march.total.closed, march.total.waiting) == (2, 1, 0, 2)
    whole = stats.questions(tree.a, dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert (whole.total.received, whole.total.answered, whole.total.closed, whole.total.waiting) == (3, 2, 1, 2)
    # The day before the period: nothing received.
    assert stats.questions(tree.a, dt.date(2026, 2, 1), dt.date(2026, 2, 27)).total.received == 0


def test_statistics_page_scope(client, tree, cast):
    url = reverse("notify:question_stats")
    client.force_login(cast.member)
    assert client.get(url).status_code == 403
    client.force_login(cast.office)
    assert client.get(url).status_code == 200
    # Committee B's cell is not a choice of A's office: the form says so and shows no figures.
    page = client.get(url, {"organisation": tree.c3.pk, "start": "01/01/2026", "end": "31/12/2026"})
    assert page.status_code == 200 and "stats-table" not in page.content.decode()
    assert "Chi bộ Phân xưởng Ba" not in page.content.decode()
    page = client.get(url, {"organisation": tree.c1.pk, "start": "01/01/2026", "end": "31/12/2026"})
    assert "stats-table" in page.content.decode()
