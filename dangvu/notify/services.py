"""The only code that writes notifications, preferences, push subscriptions and questions (issue 14 items 6
and 7). Each action is one transaction; the party-facing records (preferences, questions) keep their history
(simple-history, with the acting user from the request). Refusals raise DomainError with the field's message.

Other modules notify people through `notify(users, kind, title, …, key=…)`: it stores one in-app
notification per user (unique per user and key, so calling it again for the same event does nothing) and,
for each other channel the user wants and can be reached on, one `Delivery` row and its background task, in
the same transaction (a rolled-back caller queues nothing). A module that sends its own e-mail for the event
(the meeting invitations, the deadline digest: their tasks already send exactly once) passes
`channels=` without e-mail and asks `wants_email()` before mailing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.accounts.scope import Scope
from dangvu.lib.errors import DomainError
from dangvu.notify import backends
from dangvu.notify.models import (
    Channel,
    Delivery,
    Kind,
    Notification,
    Preference,
    PushSubscription,
    Question,
    QuestionKind,
    QuestionState,
)

OTHER_CHANNELS = (Channel.EMAIL, Channel.PUSH, Channel.SMS)
HANDLER_ROLES = {Role.CELL_SECRETARY, Role.OFFICE}
ANSWER = "channel.answer"
PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


def preference(user) -> Preference:
    """The user's preferences (the defaults when never saved: e-mail and Web Push on, SMS off)."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def wants_email(user) -> bool:
    return bool(user is not None and user.is_active and (user.email or "").strip() and preference(user).email)


def channels_for(user, allowed: Iterable[str] = OTHER_CHANNELS) -> list[str]:
    """The channels besides in-app that a notification to `user` goes to: wanted, configured and reachable."""
    allowed = set(allowed)
    pref = preference(user)
    chosen = []
    if Channel.EMAIL in allowed and pref.email and (user.email or "").strip():
        chosen.append(Channel.EMAIL)
    if (
        Channel.PUSH in allowed
        and pref.push
        and backends.push_configured()
        and PushSubscription.objects.filter(user=user).exists()
    ):
        chosen.append(Channel.PUSH)
    if Channel.SMS in allowed and pref.sms and pref.phone and backends.sms_backend() is not None:
        chosen.append(Channel.SMS)
    return chosen


def notify(
    users: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    *,
    key: str,
    channels: Iterable[str] = OTHER_CHANNELS,
) -> list[Notification]:
    """Notify each active user once per `key`; returns the notifications created now (none for a key
    already used for that user)."""
    from dangvu.notify.jobs import deliver

    channels = tuple(channels)
    created = []
    with transaction.atomic():
        for user in users:
            if user is None or not user.is_active:
                continue
            notification, new = Notification.objects.get_or_create(
                recipient=user,
                key=key,
                defaults={"kind": kind, "title": title[:300], "body": body, "link": link[:500]},
            )
            if not new:
                continue
            created.append(notification)
            for channel in channels_for(user, channels):
                delivery = Delivery.objects.create(notification=notification, channel=channel)
                deliver.enqueue(delivery.pk)
    return created


def mark_read(user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise DomainError(_("This notification is not yours."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def set_preferences(user, *, email: bool, push: bool, sms: bool, phone: str = "") -> Preference:
    phone = re.sub(r"[\s.\-]", "", phone or "")
    if phone and not PHONE.match(phone):
        raise DomainError({"phone": _("Write a Vietnamese mobile number: 10 digits starting with 0, or +84.")})
    if sms and not phone:
        raise DomainError({"phone": _("Give the mobile number the SMS should go to.")})
    with transaction.atomic():
        pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
        pref.email, pref.push, pref.sms, pref.phone = email, push, sms, phone
        pref.save()
    return pref


def subscribe_push(user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    if not endpoint.startswith("https://"):
        raise DomainError({"endpoint": _("A push subscription's address must start with https://.")})
    if not p256dh or not auth:
        raise DomainError({"keys": _("The push subscription's keys are missing.")})
    with transaction.atomic():
        sub, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
        )
    return sub


# --- the two-way channel ---------------------------------------------------------------------------------


def addressable(user) -> QuerySet:
    """The organisations a member may write to: their cell and the committees above it (current ones)."""
    from dangvu.orgs.models import Organisation

    member = getattr(user, "member", None) if getattr(user, "member_id", None) else None
    if member is None or member.organisation_id is None:
        return Organisation.objects.none()
    cell = member.organisation
    paths = [cell.path[:n] for n in range(Organisation.steplen, len(cell.path) + 1, Organisation.steplen)]
    return Organisation.objects.filter(path__in=paths, valid_to__isnull=True).order_by("path")


def handlers(organisation) -> list:
    """The users who receive a question sent to `organisation`: its office and its secretaries (roles held
    at that organisation itself, today)."""
    rows = RoleAssignment.objects.current().filter(organisation=organisation, role__in=HANDLER_ROLES)
    return [a.user for a in rows.select_related("user")]


def ask(user, organisation, *, kind: str, subject: str, text: str) -> Question:
    from django.urls import reverse

    subject, text = (subject or "").strip(), (text or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Write what your question or opinion is about.")
    if not text:
        errors["text"] = _("Write your question or opinion.")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose a question or an opinion.")
    if organisation is None or not addressable(user).filter(pk=organisation.pk).exists():
        errors["organisation"] = _("You can write to your own cell or to a committee above it only.")
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        question = Question.objects.create(
            author=user, member_id=user.member_id, organisation=organisation, kind=kind, subject=subject, text=text
        )
        notify(
            handlers(organisation),
            Kind.QUESTION_RECEIVED,
            _("New question from a member: %(subject)s") % {"subject": subject},
            text[:500],
            reverse("notify:question", args=[question.pk]),
            key=f"question-received:{question.pk}",
        )
    return question


def may_answer(user, question: Question) -> bool:
    return Scope.of(user, ANSWER).covers_path(question.organisation.path)


def answer(user, question: Question, text: str) -> Question:
    from django.urls import reverse

    text = (text or "").strip()
    if not may_answer(user, question):
        raise DomainError(_("Only the office or the secretary of the organisation addressed may answer."))
    if not text:
        raise DomainError({"answer": _("Write the answer.")})
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.state != QuestionState.OPEN:
            raise DomainError(_("This question was already answered or closed."))
        locked.state, locked.answer = QuestionState.ANSWERED, text
        locked.answered_at, locked.answered_by = timezone.now(), user
        locked.save()
        notify(
            [locked.author],
            Kind.QUESTION_ANSWERED,
            _("Your question was answered: %(subject)s") % {"subject": locked.subject},
            text[:500],
            reverse("notify:question", args=[locked.pk]),
            key=f"question-answered:{locked.pk}",
        )
    return locked


def close(user, question: Question) -> Question:
    if question.author_id != user.pk and not may_answer(user, question):
        raise DomainError(_("Only the author or the organisation addressed may close this question."))
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.state == QuestionState.CLOSED:
            raise DomainError(_("This question is already closed."))
        locked.state, locked.closed_at, locked.closed_by = QuestionState.CLOSED, timezone.now(), user
        locked.save()
    return locked
