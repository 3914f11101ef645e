"""Who sees what (capabilities in dangvu.accounts.permissions):
- notifications, preferences and push subscriptions: the user's own only (another user's is a 404);
- questions: the author sees their own; `channel.answer` (the office and the secretaries, with the
  administrator) sees and answers those sent to the organisations of their subtrees; out of scope is a 404;
- `channel.stats`: the counts of questions per organisation and period; `adoption.view`: digital adoption.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.notify.models import Notification, Question

ANSWER, STATS, ADOPTION = "channel.answer", "channel.stats", "adoption.view"


def notifications_for(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def get_notification_or_404(user, pk: int) -> Notification:
    found = notifications_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def handled_by(user) -> QuerySet[Question]:
    """Questions sent to the organisations where the user answers them."""
    return Question.objects.filter(Scope.of(user, ANSWER).q("organisation__path"))


def questions_for(user) -> QuerySet[Question]:
    """The user's own questions and those they handle."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Question.objects.none()
    scope = Scope.of(user, ANSWER)
    if scope.empty:
        return Question.objects.filter(author=user)
    if scope.everything:  # Q() | Q(author=…) would be the author's only
        return Question.objects.all()
    return Question.objects.filter(Q(author=user) | scope.q("organisation__path"))


def get_question_or_404(user, pk: int) -> Question:
    found = questions_for(user).select_related("organisation", "member", "author").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
