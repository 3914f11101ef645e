"""The daily deadline digest by e-mail: who receives it and what it says."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.alerts.sources import due_items
from dangvu.notify import services as notify_services
from dangvu.notify.models import Channel, Kind
from dangvu.tasks import mail


def recipients() -> list[int]:
    """Active office staff with a current office role (the e-mail goes to those with an address who did not
    turn e-mail off; every one of them gets the digest among their notifications, dangvu.notify)."""
    users = RoleAssignment.objects.current().filter(role=Role.OFFICE).values_list("user_id", flat=True)
    return list(
        get_user_model().objects.filter(pk__in=users, is_active=True).order_by("pk").values_list("pk", flat=True)
    )


def compose(user, day: dt.date) -> tuple[str, str, int] | None:
    items = due_items(user, day)
    if not items:
        return None
    overdue = sum(1 for item in items if item.overdue)
    site = settings.DANGVU_SITE_URL.rstrip("/")
    subject = _("Deadlines on %(date)s: %(overdue)s overdue, %(soon)s due soon") % {
        "date": f"{day:%d/%m/%Y}",
        "overdue": overdue,
        "soon": len(items) - overdue,
    }
    lines = [
        ngettext(
            "%(count)s deadline in your scope is overdue or due soon:",
            "%(count)s deadlines in your scope are overdue or due soon:",
            len(items),
        )
        % {"count": len(items)},
        "",
    ]
    for item in items:
        state = _("OVERDUE") if item.overdue else _("due")
        lines.append(
            f"- [{state} {item.due:%d/%m/%Y}] {item.kind_label}: {item.subject} — {item.detail} "
            f"({item.organisation_name}) {site}{item.url}"
        )
    lines += ["", _("All alerts: %(link)s") % {"link": f"{site}/alerts/"}]
    return subject, "\n".join(lines), len(items)


def deliver(user_id: int, day: dt.date) -> int:
    """Send one person's digest for `day`; returns the number of items (0: nothing sent)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        message = compose(user, day)
    if message is None:
        return 0
    subject, body, count = message
    key = f"digest:{user.pk}:{day.isoformat()}"
    # In the bell (and Web Push / SMS when chosen) — once per key however often this task runs.
    notify_services.notify(
        [user], Kind.DEADLINES, subject, "", "/alerts/", key=key, channels=(Channel.PUSH, Channel.SMS)
    )
    if notify_services.wants_email(user):
        mail.send_once(key, subject, body, [user.email])
    return count
