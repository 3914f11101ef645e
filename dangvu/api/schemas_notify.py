"""Schemas of the notifications, the two-way channel and digital adoption endpoints
(dangvu/api/routers/notify.py)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Day, Id, Line, Text


class DeliveryOut(Schema):
    channel: str = Field(..., description="email, push or sms")
    status: str = Field(..., description="queued, sent or failed")
    via: str = Field(..., description="The backend that took it; `console`: written to the server's log, not sent")
    sent_at: dt.datetime | None


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str = Field(..., description="A page of the site (path), or empty")
    created_at: dt.datetime
    read_at: dt.datetime | None
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_deliveries(obj) -> list:
        return list(obj.deliveries.all())


class NotificationPage(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class NotificationListIn(Schema):
    unread: bool = Field(False, description="Only the unread ones")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=2**31 - 1)


class UnreadOut(Schema):
    unread: int


class PreferenceIO(Schema):
    email: bool
    push: bool
    sms: bool
    phone: str = Field("", max_length=20, description="Mobile number for SMS (10 digits starting with 0, or +84)")


class PushKeys(Schema):
    p256dh: Line
    auth: Line


class PushSubscriptionIn(Schema):
    """A browser's PushSubscription as `subscription.toJSON()` gives it."""

    endpoint: str = Field(..., max_length=1000)
    keys: PushKeys


class PushConfigOut(Schema):
    configured: bool = Field(..., description="False: Web Push is not set up on this server, nothing is sent")
    public_key: str = Field(..., description="The VAPID public key (applicationServerKey), empty when not set up")


class QuestionIn(Schema):
    organisation_id: Id = Field(..., description="The member's cell or a committee above it")
    kind: Literal["question", "opinion"] = "question"
    subject: Line
    text: Text


class AnswerIn(Schema):
    answer: Text


class QuestionOut(Schema):
    id: int
    organisation: OrgRef
    kind: str
    subject: str
    text: str
    state: str = Field(..., description="open, answered or closed")
    created_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    mine: bool = Field(..., description="True when the caller sent it")

    @staticmethod
    def resolve_mine(obj, context) -> bool:
        return obj.author_id == context["request"].auth.pk


class QuestionListIn(Schema):
    state: Literal["open", "answered", "closed"] | None = None


class PeriodIn(Schema):
    organisation_id: Id
    start: Day
    end: Day


class QuestionCountsOut(Schema):
    organisation: OrgRef | None
    received: int
    answered: int
    closed: int
    waiting: int = Field(..., description="Waiting for an answer at the end of the period")


class QuestionStatsOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    total: QuestionCountsOut
    rows: list[QuestionCountsOut]


class RoleUseOut(Schema):
    role: str
    users: int
    active: int


class AdoptionOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    members: int = Field(..., description="Party members of the subtree today")
    active_members: int = Field(..., description="Of them, those whose account used the platform in the period")
    roles: list[RoleUseOut]
