"""Helpers shared by the meeting API tests (planning, running and holding meetings, votes)."""

import datetime as dt

from django.utils import timezone

from dangvu.meetings import services
from dangvu.meetings.models import (
    Invitation,
    Meeting,
    MeetingKind,
)


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


SOON = timezone.localdate() + dt.timedelta(days=7)


def plan(cell, day: dt.date = SOON, kind: str = MeetingKind.REGULAR, **kwargs) -> Meeting:
    kwargs.setdefault("place", "Hội trường")
    return services.create_meeting(cell, None, kind=kind, starts_at=at(day), **kwargs)


def invitation(meeting: Meeting, member) -> Invitation:
    return meeting.invitations.get(member=member)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [m["id"] for m in response.json()["items"]]


def running(meeting: Meeting, *present) -> Meeting:
    """Open the meeting and check in the given members."""
    services.open_meeting(meeting, None)
    for member in present:
        services.check_in(invitation(meeting, member), None)
    meeting.refresh_from_db()
    return meeting


def vote_flow(api, cast, meeting, method: str, rule: str = "majority_members", runner=None):
    runner = runner or api(cast.secretary)
    response = runner.post(
        f"/meetings/{meeting.pk}/votes", {"question": "Thông qua nghị quyết", "method": method, "rule": rule}
    )
    assert response.status_code == 201, response.content
    vote = response.json()
    assert vote["state"] == "draft" and vote["results"] is None and vote["ballots_cast"] is None
    opened = runner.post(f"/votes/{vote['id']}/open").json()
    assert opened["state"] == "open"
    return opened


def held(cell, day: dt.date, kind: str = MeetingKind.REGULAR, present=(), **kwargs) -> Meeting:
    meeting = plan(cell, day, kind, **kwargs)
    services.open_meeting(meeting, None)
    for member in present:
        services.check_in(invitation(meeting, member), None, at=at(day))
    services.close_meeting(meeting, None)
    return meeting
