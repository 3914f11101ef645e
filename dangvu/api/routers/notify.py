"""Notifications, the two-way channel and digital adoption (issue 14 items 6–9).

- `/notifications`: the caller's own notifications only, newest first, with conditional requests: the answer
  carries an `ETag` (of the caller's notifications: how many, the newest, the latest reading, and the page
  asked for); a request with `If-None-Match` equal to it gets 304 and no body, so a phone downloads the list
  only when it changed. Reading marks, preferences and push subscriptions are the caller's own.
- `/questions`: the caller's own questions and those sent to the organisations where they answer them
  (`channel.answer`); another is a 404. Asking: a member to their cell or a committee above it.
- `/questions/statistics` (`channel.stats`) and `/adoption` (`adoption.view`): counts for an organisation of
  the caller's scope and a period (403 without the capability, 404 out of scope).
"""

import hashlib

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dangvu.accounts.scope import get_organisation_or_404
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_notify import (
    AdoptionOut,
    AnswerIn,
    NotificationListIn,
    NotificationPage,
    PeriodIn,
    PreferenceIO,
    PushConfigOut,
    PushSubscriptionIn,
    QuestionIn,
    QuestionListIn,
    QuestionOut,
    QuestionStatsOut,
    UnreadOut,
)
from dangvu.api.types import Id
from dangvu.notify import access, backends, services, stats
from dangvu.notify.activity import mark_active
from dangvu.notify.models import QuestionState

router = Router(tags=["notifications"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _etag(user, query: NotificationListIn) -> tuple[str, dict]:
    figures = access.notifications_for(user).aggregate(
        count=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)), newest=Max("pk"), read=Max("read_at")
    )
    seed = f"{user.pk}|{figures}|{query.unread}|{query.limit}|{query.offset}"
    return f'"{hashlib.sha256(seed.encode()).hexdigest()[:32]}"', figures


@router.get(
    "/notifications",
    summary="My notifications",
    response={200: NotificationPage, 304: None},
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "If-None-Match",
                "required": False,
                "description": "The ETag of a list already downloaded: 304 without a body when nothing changed.",
                "schema": {"type": "string", "maxLength": 100},
            }
        ]
    },
)
def list_notifications(request: HttpRequest, response: HttpResponse, query: Query[NotificationListIn]):
    """The caller's notifications, newest first (`limit`, `offset`), with the total and unread counts. Answers
    carry an `ETag`; send it back in `If-None-Match` to get 304 when nothing changed."""
    user = request.auth
    mark_active(user)
    etag, figures = _etag(user, query)
    if request.headers.get("If-None-Match", "") == etag:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    rows = access.notifications_for(user)
    if query.unread:
        rows = rows.filter(read_at__isnull=True)
    total = rows.count() if query.unread else figures["count"]
    items = rows.prefetch_related("deliveries").order_by("-created_at", "-pk")[
        query.offset : query.offset + query.limit
    ]
    return {"count": total, "unread": figures["unread"], "items": list(items)}


@router.get("/notifications/unread", summary="How many of my notifications are unread", response=UnreadOut)
def unread(request):
    return {"unread": access.unread_count(request.auth)}


@router.post(
    "/notifications/{notification_id}/read", summary="Mark a notification read", response={204: None, 404: ErrorOut}
)
def read(request, notification_id: Id):
    services.mark_read(request.auth, access.get_notification_or_404(request.auth, notification_id))
    return Status(204, None)


@router.post("/notifications/read-all", summary="Mark all my notifications read", response=UnreadOut)
def read_all(request):
    services.mark_all_read(request.auth)
    return {"unread": 0}


@router.get("/notifications/preferences", summary="My notification preferences", response=PreferenceIO)
def get_preferences(request):
    return services.preference(request.auth)


@router.put(
    "/notifications/preferences",
    summary="Change my notification preferences",
    response={200: PreferenceIO, 422: ErrorOut},
)
def put_preferences(request, payload: PreferenceIO):
    """E-mail, Web Push and SMS on or off (the in-app list is always on) and the SMS number. A wrong number:
    422 with the field's message, nothing changed."""
    return services.set_preferences(request.auth, **payload.dict())


@router.get("/notifications/push", summary="Web Push set-up of this server", response=PushConfigOut)
def push_config(request):
    from django.conf import settings

    configured = backends.push_configured()
    return {"configured": configured, "public_key": settings.DANGVU_VAPID_PUBLIC_KEY if configured else ""}


@router.post(
    "/notifications/push-subscriptions",
    summary="Register this browser for Web Push",
    response={204: None, 422: ErrorOut},
)
def subscribe(request, payload: PushSubscriptionIn):
    services.subscribe_push(request.auth, payload.endpoint, payload.keys.p256dh, payload.keys.auth)
    return Status(204, None)


# --- the two-way channel ---------------------------------------------------------------------------------


@router.get("/questions", summary="My questions and those sent to my organisations", response=list[QuestionOut])
def list_questions(request, query: Query[QuestionListIn]):
    """The caller's own questions and opinions and those sent to the organisations where they answer them,
    newest first (at most 500)."""
    rows = access.questions_for(request.auth).select_related("organisation")
    if query.state:
        rows = rows.filter(state=query.state)
    return list(rows.order_by("-created_at", "-pk")[:500])


@router.post("/questions", summary="Send a question or opinion", response={201: QuestionOut, **WRITE_ERRORS})
@idempotent
def ask(request, payload: QuestionIn):
    """A member sends a question or opinion to their cell or a committee above it (another organisation: 422);
    its office and secretaries are notified."""
    org = services.addressable(request.auth).filter(pk=payload.organisation_id).first()
    if org is None and not services.addressable(request.auth).exists():
        raise HttpError(403, _("You do not have access to this."))
    question = services.ask(request.auth, org, kind=payload.kind, subject=payload.subject, text=payload.text)
    return Status(201, access.get_question_or_404(request.auth, question.pk))


@router.get(
    "/questions/statistics",
    summary="Questions per organisation and period",
    response={200: QuestionStatsOut, 403: ErrorOut, 404: ErrorOut},
)
def question_stats(request, query: Query[PeriodIn]):
    require(request, access.STATS)
    org = get_organisation_or_404(request.auth, query.organisation_id, access.STATS)
    if query.start > query.end:
        raise HttpError(422, _("The end of the period is before its start."))
    report = stats.questions(org, query.start, query.end)
    return {"organisation": org, "start": report.start, "end": report.end, "total": report.total, "rows": report.rows}


@router.get("/questions/{question_id}", summary="A question", response={200: QuestionOut, 404: ErrorOut})
def question_detail(request, question_id: Id):
    return access.get_question_or_404(request.auth, question_id)


@router.post(
    "/questions/{question_id}/answer", summary="Answer a question", response={200: QuestionOut, **WRITE_ERRORS}
)
def answer(request, question_id: Id, payload: AnswerIn):
    question = access.get_question_or_404(request.auth, question_id)
    if not services.may_answer(request.auth, question):
        raise HttpError(403, _("You do not have access to this."))
    services.answer(request.auth, question, payload.answer)
    return access.get_question_or_404(request.auth, question_id)


@router.post("/questions/{question_id}/close", summary="Close a question", response={200: QuestionOut, **WRITE_ERRORS})
def close(request, question_id: Id):
    """Closing cannot be undone (the author or the organisation addressed)."""
    question = access.get_question_or_404(request.auth, question_id)
    if question.author_id != request.auth.pk and not services.may_answer(request.auth, question):
        raise HttpError(403, _("You do not have access to this."))
    if question.state == QuestionState.CLOSED:
        raise HttpError(422, _("This question is already closed."))
    services.close(request.auth, question)
    return access.get_question_or_404(request.auth, question_id)


@router.get(
    "/adoption",
    summary="Digital adoption per organisation and period",
    response={200: AdoptionOut, 403: ErrorOut, 404: ErrorOut},
)
def adoption(request, query: Query[PeriodIn]):
    """Of the party members of the organisation's subtree, those whose account used the platform on at least
    one day of the period, and per role held in the subtree the accounts and the active ones."""
    require(request, access.ADOPTION)
    org = get_organisation_or_404(request.auth, query.organisation_id, access.ADOPTION)
    if query.start > query.end:
        raise HttpError(422, _("The end of the period is before its start."))
    figures = stats.adoption(org, query.start, query.end)
    return {
        "organisation": org,
        "start": query.start,
        "end": query.end,
        "members": figures.member_count,
        "active_members": figures.active_count,
        "roles": [{"role": r.role, "users": r.users, "active": r.active} for r in figures.roles],
    }
