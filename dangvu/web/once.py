"""One-time form tokens (issue 16 item 11): a double click on "create" creates once.

Every creating form renders `{% once_field %}` (from `{% load once %}`): a hidden field with a fresh token,
signed with the time it was issued and the user it was issued to. The view is decorated with
`@once.creating`; a POST carrying a token then runs in one transaction that first writes the token's row
(`SpentFormToken`, unique per user and token) and then the view's own work:

- the view answers with a redirect (it created something and shows it): the row keeps that address and is
  committed with the creation, in the same transaction;
- the view answers otherwise (the form had errors, a confirmation was asked): the row is removed again, so
  the corrected form can be posted with the same token;
- a second post of a spent token (the double click, a reload that re-posts, a second tab) cannot write the
  row: on PostgreSQL its insert waits for the first transaction and then fails on the unique key; on
  SQLite writers take turns. It creates nothing and is redirected to what the first post created, with a
  message saying the form was already sent.

A token older than `DANGVU_ONCE_HOURS` (its rows are forgotten after that, dangvu/web/jobs.py) or not
issued to this user is refused with a message (409), never processed: it could be a spent one whose row is
gone. A POST without the field is processed as before (scripts and tests posting to the pages; every
creating page renders the field, so browsers always send it).
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

FIELD = "once_token"
SALT = "dangvu.web.once"
STATUS_REFUSED = 409


def max_age() -> dt.timedelta:
    return dt.timedelta(hours=settings.DANGVU_ONCE_HOURS)


def issue(request: HttpRequest) -> str:
    """A fresh token for a form shown to this user."""
    user_id = getattr(request.user, "pk", None) or 0
    return signing.TimestampSigner(salt=SALT).sign(f"{user_id}.{secrets.token_urlsafe(24)}")


def field(request: HttpRequest) -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, issue(request))


def _read(request: HttpRequest, value: str) -> tuple[str, dt.datetime] | None:
    """(the token's random part, when it was issued), or None when it is forged, too old or someone else's."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        unsigned = signer.unsign(value, max_age=max_age())
    except signing.BadSignature:  # also SignatureExpired
        return None
    user_id, _sep, token = unsigned.partition(".")
    if not token or user_id != str(request.user.pk):
        return None
    issued = signing.b62_decode(value.rsplit(signer.sep, 2)[1])
    return token, dt.datetime.fromtimestamp(issued, tz=dt.UTC)


def _refused(request: HttpRequest) -> HttpResponse:
    context = {
        "status": STATUS_REFUSED,
        "title": _("This form can no longer be sent"),
        "message": _("The form is too old or was not opened by you. Open the page again and fill it in anew."),
        "back": request.get_full_path(),
    }
    return HttpResponse(render_to_string("web/error.html", context, request=request), status=STATUS_REFUSED)


def _replay(request: HttpRequest, token: str) -> HttpResponse:
    from dangvu.web.models import SpentFormToken

    spent = SpentFormToken.objects.filter(user=request.user, token=token).first()
    messages.info(request, _("This form was already sent: it was not sent a second time. Here is what it created."))
    return redirect(spent.location if spent else "/")


def _created(request: HttpRequest, response: HttpResponse) -> bool:
    """A redirect without an error message: the view did what the form asked (the document and version
    uploads redirect to the meeting page also when refused, with the refusal as an error message)."""
    if not isinstance(response, HttpResponseRedirect):
        return False
    queued = getattr(messages.get_messages(request), "_queued_messages", [])
    return not any(m.level >= messages.ERROR for m in queued)


def creating(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view whose successful POST creates something and redirects to it (see the module)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        value = request.POST.get(FIELD) if request.method == "POST" else None
        if not value or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        read = _read(request, value)
        if read is None:
            return _refused(request)
        token, issued_at = read
        from dangvu.web.models import SpentFormToken

        with transaction.atomic():
            try:
                with transaction.atomic():
                    spent = SpentFormToken.objects.create(
                        user=request.user, token=token, issued_at=issued_at, location=""
                    )
            except IntegrityError:
                spent = None
            if spent is None:
                return _replay(request, token)
            response = view(request, *args, **kwargs)
            if not transaction.get_connection().needs_rollback:
                if _created(request, response):
                    spent.location = response["Location"][:2000]
                    spent.save(update_fields=["location"])
                else:
                    spent.delete()
        return response

    return wrapped


def forget(now: dt.datetime | None = None) -> int:
    """Remove the rows of tokens that can no longer be posted (older than DANGVU_ONCE_HOURS)."""
    from dangvu.web.models import SpentFormToken

    cutoff = (now or timezone.now()) - max_age()
    return SpentFormToken.objects.filter(issued_at__lt=cutoff).delete()[0]
