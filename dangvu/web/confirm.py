"""Confirmation of irreversible actions (issue 9 item 11): one shared piece for every page.

An irreversible action is a POST that carries `confirmed=<action>`. Without it the view refuses (409) and
shows the question: what will happen and what cannot be undone, with a button that re-posts the same form
fields plus the confirmation (so it works without JavaScript). In the browser, `confirm.js` asks first in a
dialog and adds the field itself, so the user is asked once and the form is posted once: a one-time form
token in the form is spent by that single post, never by a refused one, because the refusal happens before
the view reads the form.

Actions are declared once here (`ACTIONS`); a template marks the form with `{% confirm_attrs "action" %}`
(from `{% load confirm %}`), a view calls `confirmation_needed(request, "action")` (or uses the
`@requires_confirmation("action")` decorator) and returns its answer when it is not None.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

FIELD = "confirmed"
STATUS = 409  # Conflict: the request is understood but needs the user's confirmation
NOT_REPOSTED = {"csrfmiddlewaretoken", FIELD}


@dataclass(frozen=True)
class Confirmation:
    action: str
    question: str | Promise  # "Close the vote?"
    undone: str | Promise  # what cannot be undone afterwards
    yes: str | Promise  # the button that goes ahead
    no: str | Promise = _("Go back")
    irreversible: bool = True  # False: a consequential action that can be corrected later (no "cannot be undone")


ACTIONS: dict[str, Confirmation] = {}


def declare(action: str, question, undone, yes, *, irreversible: bool = True) -> Confirmation:
    ACTIONS[action] = Confirmation(action, question, undone, yes, irreversible=irreversible)
    return ACTIONS[action]


declare(
    "close_vote",
    _("Close the vote?"),
    _("No more ballots can be cast once the vote is closed, and its result is final."),
    _("Close the vote"),
)
declare(
    "open_vote_without_quorum",
    _("Open the vote without a quorum?"),
    _("The room shows no quorum: the vote will be recorded as held without a quorum and cannot pass."),
    _("Open the vote anyway"),
)
declare(
    "mark_all_present",
    _("Mark everyone not yet recorded as present?"),
    _(
        "Every member whose attendance is not recorded yet, except those excused in advance, is recorded as "
        "present now; anyone who is not in the room must then be marked absent one by one."
    ),
    _("Mark them present"),
    irreversible=False,
)
declare(
    "close_meeting",
    _("Close the meeting?"),
    _("A closed meeting cannot be reopened: no more check-ins, speakers or votes."),
    _("Close the meeting"),
)
declare(
    "approve_minutes",
    _("Approve the minutes?"),
    _("Approving locks the meeting record: afterwards it can only be corrected by addenda."),
    _("Approve the minutes"),
)
declare(
    "cancel_meeting",
    _("Cancel the meeting?"),
    _("A cancelled meeting cannot be planned again: the invited are told it is cancelled."),
    _("Cancel the meeting"),
)
declare(
    "rule_set_today",
    _("Save a rule set in force today?"),
    _("A rule set in force can no longer be corrected: a mistake needs a new rule set with a later date."),
    _("Save the rule set"),
)
declare(
    "rule_set_moves_dues",
    _("Save the rule set and move these due dates?"),
    _(
        "The due dates listed below change at once on the admission board, the deadlines page, the API and "
        "the daily digest; each file keeps the change in its history."
    ),
    _("Save and move the due dates"),
    irreversible=False,
)
declare(
    "reset_password",
    _("Set a temporary password for this person?"),
    _(
        "Their present password stops working at once and they are signed out everywhere; they must choose a new"
        " one when they sign in with the temporary password."
    ),
    _("Set a temporary password"),
)
declare(
    "reset_two_factor",
    _("Reset this person's authenticator app?"),
    _("Their app stops working at once: they cannot sign in until they enrol again with a new enrolment code."),
    _("Reset the app"),
)

declare(
    "announce_round",
    _("Announce the result of this round?"),
    _(
        "The count and the result are fixed once announced and the minutes of the count get their number: "
        "afterwards the round can only be corrected by an addendum."
    ),
    _("Announce the result"),
)


def is_confirmed(request: HttpRequest, action: str) -> bool:
    return request.method == "POST" and request.POST.get(FIELD) == action


def reposted_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """The form fields as posted (all values of each), to post them again with the confirmation."""
    return [(name, value) for name, values in request.POST.lists() if name not in NOT_REPOSTED for value in values]


def refusal(
    request: HttpRequest, action: str, *, back: str = "", extra: str = "", details: list[str] | None = None
) -> HttpResponse:
    """The 409 answer: a page asking the question (or, for an HTMX request, `extra` when given: the
    fragments the page swaps in to show the question). `details`: lines listing what the action will
    change (shown under the question)."""
    confirmation = ACTIONS[action]
    if extra and request.headers.get("HX-Request"):
        return HttpResponse(extra, status=STATUS)
    referer = request.headers.get("Referer", "")
    if not back and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        back = referer
    context = {
        "confirmation": confirmation,
        "field": FIELD,
        "fields": reposted_fields(request),
        "target": request.get_full_path(),
        "back": back or "/",
        "details": details or [],
    }
    return HttpResponse(render_to_string("web/confirm.html", context, request=request), status=STATUS)


def confirmation_needed(request: HttpRequest, action: str, **kwargs) -> HttpResponse | None:
    """None when the POST carries the confirmation of `action`, else the refusal to return."""
    return None if is_confirmed(request, action) else refusal(request, action, **kwargs)


def requires_confirmation(action: str) -> Callable:
    """View decorator: a POST without `confirmed=<action>` is refused with the question."""
    if action not in ACTIONS:
        raise KeyError(action)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST" and not is_confirmed(request, action):
                return refusal(request, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def attrs(action: str, **when: str) -> SafeString:
    """The attributes that make confirm.js ask before the form is posted. `when` (field=value) asks only
    when the form's field has that value (e.g. a rule set taking effect today)."""
    c = ACTIONS[action]
    parts = [
        ("data-confirm", c.action),
        ("data-confirm-question", c.question),
        ("data-confirm-undone", c.undone),
        ("data-confirm-yes", c.yes),
        ("data-confirm-no", c.no),
    ]
    for name, value in when.items():
        parts += [("data-confirm-when-field", name), ("data-confirm-when-value", value)]
    return format_html(" {}", format_html_join(" ", '{}="{}"', parts))
