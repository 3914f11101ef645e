"""E-mail sent by background tasks at most once per key, as far as an SMTP server allows (issue 10).

A task that sends mail is retried when the server refuses (dangvu.tasks.jobs), and a worker may die after
the server accepted a message but before the task was marked done: the task then runs again. `send_once`
keeps a ledger row per message key (`SentMail`), written as soon as the server accepted it, and sends
nothing for a key already in the ledger. What is left is the instant between the server's acceptance and
that row's commit; for it, every message carries a Message-ID derived from its key, so that a duplicate
from that instant is the same message to mail servers and clients (which drop repeated Message-IDs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvu.tasks.models import SentMail


def message_id(key: str) -> str:
    """A stable Message-ID for `key` (RFC 5322: <unique@domain>), the domain of the site's address."""
    domain = urlsplit(settings.DANGVU_SITE_URL).hostname or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.dangvu@{domain}>"


def already_sent(key: str) -> bool:
    return SentMail.objects.filter(key=key).exists()


def send_once(key: str, subject: str, body: str, to: list[str]) -> bool:
    """Send the message unless the ledger has `key`; True when it was sent now. Raises what the mail server
    raises (the task is then retried and nothing is recorded)."""
    if already_sent(key):
        return False
    EmailMessage(subject, body, None, to, headers={"Message-ID": message_id(key)}).send()
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key, sent_at=timezone.now())
    except IntegrityError:
        pass  # another attempt of the same task recorded it meanwhile
    return True


def forget(days: int) -> int:
    """Remove ledger rows older than `days` (longer than any task's retries last)."""
    return SentMail.objects.filter(sent_at__lt=timezone.now() - dt.timedelta(days=days)).delete()[0]
