"""Invitations and reminders by e-mail (issue 4 item 3). In the handbook the same invitations are listed
for the member ("My meetings", and the alerts list) whatever the e-mail.

`send_notices()` runs on the workers' schedule (dangvu.meetings.jobs, every DANGVU_NOTICES_EVERY_MINUTES;
`dangvu send_meeting_notices` runs it once by hand): it queues the invitation of every planned meeting not
yet sent, and the reminder `meeting.reminder_hours` before the start to those who did not excuse
themselves. Each invitation is marked in the same transaction as its delivery task is queued, so a notice is
queued once; the task (`deliver()`) is retried with back-off while the mail server refuses, so it is
delivered once it accepts, and a retry after the server accepted it sends nothing (dangvu.tasks.mail). Only
members whose user account has an e-mail address (and who did not turn e-mail off) receive mail; every member
with an account also finds the notice among their notifications (dangvu.notify, issue 14 item 6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangvu.meetings.models import Invitation, MeetingState, Rsvp
from dangvu.notify import services as notify_services
from dangvu.notify.models import Channel, Kind
from dangvu.rules.registry import rules_on
from dangvu.tasks import mail


@dataclass
class Sent:
    invitations: int = 0
    reminders: int = 0


def _user(invitation: Invitation):
    user = getattr(invitation.member, "user", None) if invitation.member_id else None
    return user if user is not None and user.is_active else None


def _address(invitation: Invitation) -> str:
    """The member's e-mail address, unless they turned e-mail off in their notification preferences."""
    user = _user(invitation)
    return (user.email or "").strip() if user is not None and notify_services.wants_email(user) else ""


def _in_app(invitation: Invitation, reminder: bool) -> None:
    """The same notice in the member's notifications (the bell; Web Push and SMS when they chose them): the
    e-mail stays this module's own task, so `notify` is asked for the other channels only."""
    user = _user(invitation)
    if user is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _body(invitation, reminder)
    kind = Kind.MEETING_REMINDER if reminder else Kind.MEETING_INVITATION
    name = "reminder" if reminder else "invitation"
    notify_services.notify(
        [user],
        kind,
        subject,
        body,
        reverse("meetings:detail", args=[invitation.meeting_id]),
        key=f"meeting-{name}:{invitation.pk}",
        channels=(Channel.PUSH, Channel.SMS),
    )


def _body(invitation: Invitation, reminder: bool) -> tuple[str, str]:
    meeting = invitation.meeting
    when = timezone.localtime(meeting.starts_at)
    link = f"{settings.DANGVU_SITE_URL.rstrip('/')}{reverse('meetings:detail', args=[meeting.pk])}"
    subject = (_("Reminder: %(meeting)s") if reminder else _("Invitation: %(meeting)s")) % {"meeting": meeting}
    lines = [
        _("%(organisation)s invites you to: %(meeting)s.") % {"organisation": meeting.organisation, "meeting": meeting},
        _("Time: %(time)s, %(date)s.") % {"time": f"{when:%H:%M}", "date": f"{when:%d/%m/%Y}"},
    ]
    if meeting.topic:
        lines.append(_("Topic: %(topic)s.") % {"topic": meeting.topic})
    if meeting.place:
        lines.append(_("Place: %(place)s.") % {"place": meeting.place})
    if meeting.online_link:
        lines.append(_("Online: %(link)s") % {"link": meeting.online_link})
    lines.append(_("Answer and read the documents: %(link)s") % {"link": link})
    return subject, "\n".join(lines)


def _send(invitation: Invitation, reminder: bool) -> bool:
    address = _address(invitation)
    if not address:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _body(invitation, reminder)
    kind = "reminder" if reminder else "invitation"
    return mail.send_once(f"meeting-{kind}:{invitation.pk}", subject, body, [address])


def deliver(invitation_id: int, reminder: bool) -> bool:
    """Send one queued notice (the task body): raises when the mail server refuses, so that it is retried."""
    invitation = (
        Invitation.objects.select_related("meeting__organisation", "member__user").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.meeting.state != MeetingState.PLANNED:
        return False  # the meeting was held or cancelled meanwhile
    return _send(invitation, reminder)


def send_notices(now: dt.datetime | None = None) -> Sent:
    """Queue the invitations and reminders due at `now` (counts of what was queued)."""
    from dangvu.meetings.jobs import deliver_notice

    now = now or timezone.now()
    sent = Sent()
    hours = rules_on(timezone.localtime(now).date())["meeting.reminder_hours"]
    pending = Invitation.objects.filter(
        member__isnull=False, meeting__state=MeetingState.PLANNED, meeting__starts_at__gt=now
    ).select_related("meeting__organisation", "member__user")
    for invitation in pending.filter(notified_at__isnull=True):
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, notified_at__isnull=True)
            if not locked.update(notified_at=now):
                continue  # another run queued it
            _in_app(invitation, False)
            if _address(invitation):
                deliver_notice.enqueue(invitation.pk, False)
                sent.invitations += 1
    soon = pending.filter(reminded_at__isnull=True, meeting__starts_at__lte=now + dt.timedelta(hours=hours)).exclude(
        rsvp=Rsvp.EXCUSED
    )
    for invitation in soon:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, reminded_at__isnull=True)
            if not locked.update(reminded_at=now):
                continue
            _in_app(invitation, True)
            if _address(invitation):
                deliver_notice.enqueue(invitation.pk, True)
                sent.reminders += 1
    return sent
