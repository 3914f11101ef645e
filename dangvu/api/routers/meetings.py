"""Paperless meetings: planning, RSVP, check-in and attendance, votes and ballots, minutes and addenda, and the
regularity and leadership-assignment statistics (the same functions as the pages and the targets).

Access (dangvu.meetings.access): staff with `meetings.view` see the meetings of their subtrees, an invited
member the meetings they are invited to; anything else is a 404. Planning needs `meetings.manage` on the
organisation; running a meeting (open, close, attendance, votes, minutes, addenda) needs `can_run` (manage
scope, or the meeting's chair or minutes secretary); approving the minutes is the chair's; RSVP, check-in
and ballots are the caller's own invitation. A visible meeting but an action not allowed: 403; a rule
refusing the action: 422 with the messages, nothing written (every change goes through
dangvu.meetings.services).

Secret votes: no response carries who chose what; the caller learns only whether they have voted.
"""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import Scope, get_organisation_or_404, members_for
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.schemas import ConflictOut, ErrorOut
from dangvu.api.schemas_meetings import (
    AddendumIn,
    AttendanceIn,
    BallotIn,
    CheckInIn,
    CloseVoteIn,
    ComplianceOut,
    InvitationOut,
    MeetingDetailOut,
    MeetingFilterIn,
    MeetingIn,
    MeetingOut,
    MinutesIn,
    PeriodIn,
    RegularityIn,
    RegularityOut,
    RsvpIn,
    VoteIn,
    VoteOut,
)
from dangvu.api.types import Id
from dangvu.lib.errors import DomainError
from dangvu.lib.versions import current as current_version
from dangvu.meetings import services, stats, thresholds
from dangvu.meetings.access import can_run, get_meeting_or_404, invitation_of, meetings_for
from dangvu.meetings.models import (
    Ballot,
    DocumentVersion,
    Invitation,
    Meeting,
    MeetingDocument,
    SecretReceipt,
    Vote,
    VoteMethod,
    VoteState,
)
from dangvu.orgs.models import Organisation

router = Router(tags=["meetings"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _forbidden() -> HttpError:
    return HttpError(403, _("You do not have access to this."))


def _ref(member) -> dict | None:
    return {"id": member.pk, "full_name": member.full_name} if member is not None else None


# --- serialisation -------------------------------------------------------------------------------------


def _invitation(inv: Invitation, full: bool) -> dict:
    """Everyone who sees the meeting sees names and attendance; answers, reasons and times only `full`
    (those who run the meeting, and the invitee for their own row)."""
    row = {
        "id": inv.pk,
        "member": _ref(inv.member) if inv.member_id else None,
        "name": inv.name,
        "guest_title": inv.guest_title,
        "role": inv.role,
        "may_vote": inv.may_vote,
        "attendance": inv.attendance,
        "late": inv.late,
    }
    if full:
        row |= {
            "expected": inv.expected,
            "rsvp": inv.rsvp,
            "rsvp_reason": inv.rsvp_reason,
            "absence_reason": inv.absence_reason,
            "checked_in_at": inv.checked_in_at,
        }
    return row


def _with_counts(votes: QuerySet[Vote]) -> QuerySet[Vote]:
    return votes.annotate(n_ballots=Count("ballots", distinct=True), n_receipts=Count("receipts", distinct=True))


def _votes(votes: list[Vote], mine: Invitation | None) -> list[dict]:
    """Votes with counts while open and results once closed, in two queries whatever their number: the
    named ballots of the closed votes by name, and which of them the caller has voted in."""
    named = [v.pk for v in votes if v.method == VoteMethod.NAMED and v.state == VoteState.CLOSED]
    ballots: dict[int, list[dict]] = {pk: [] for pk in named}
    if named:
        rows = Ballot.objects.filter(vote_id__in=named).select_related("invitation__member").order_by("id")
        for b in rows:
            ballots[b.vote_id].append({"invitation_id": b.invitation_id, "name": b.invitation.name, "choice": b.choice})
    voted: set[int] = set()
    if mine is not None and mine.may_vote and votes:
        ids = [v.pk for v in votes]
        voted = set(
            Ballot.objects.filter(vote_id__in=ids, invitation=mine)
            .values_list("vote_id", flat=True)
            .union(SecretReceipt.objects.filter(vote_id__in=ids, invitation=mine).values_list("vote_id", flat=True))
        )
    out = []
    labels: dict[int, dict[str, str]] = {}  # by meeting: the thresholds with the shares of its day's rule set
    for v in votes:
        if v.meeting_id not in labels:
            labels[v.meeting_id] = thresholds.labels_for(v.meeting)
        by_device = v.method != VoteMethod.COUNT
        closed = v.state == VoteState.CLOSED
        out.append(
            {
                "id": v.pk,
                "meeting_id": v.meeting_id,
                "agenda_item_id": v.agenda_item_id,
                "question": v.question,
                "method": v.method,
                "method_label": str(v.get_method_display()),
                "rule": v.rule,
                "rule_label": labels[v.meeting_id][v.rule],
                "state": v.state,
                "state_label": str(v.get_state_display()),
                "eligible": v.eligible,
                "present": v.present,
                "quorate": v.quorate,
                "ballots_cast": (v.n_ballots + v.n_receipts) if by_device and v.state == VoteState.OPEN else None,
                "results": (
                    {"yes": v.yes, "no": v.no, "abstain": v.abstain, "needed": v.needed, "passed": v.passed}
                    if closed
                    else None
                ),
                "ballots": ballots.get(v.pk),
                "has_voted": (v.pk in voted) if by_device and mine is not None and mine.may_vote else None,
                "opened_at": v.opened_at,
                "closed_at": v.closed_at,
            }
        )
    return out


def _detail(user, meeting_id: int) -> dict:
    """The meeting as the caller may see it, in a fixed number of queries whatever the number of invitees,
    votes and documents."""
    meeting = get_meeting_or_404(user, meeting_id)
    invitations = list(
        meeting.invitations.select_related("member").order_by("-role", "member__name_sort", "guest_name", "id")
    )
    member_id = getattr(user, "member_id", None)
    mine = next((i for i in invitations if member_id and i.member_id == member_id), None)
    runs = can_run(user, meeting)
    documents = None
    if runs or mine is not None:  # dangvu.meetings.access.can_read_documents, without re-reading the invitation
        versions = Prefetch("versions", queryset=DocumentVersion.objects.order_by("number"))
        documents = [
            {
                "id": d.pk,
                "title": d.title,
                "agenda_item_id": d.agenda_item_id,
                "withdrawn": d.withdrawn,
                "versions": list(d.versions.all()),
            }
            for d in MeetingDocument.objects.filter(meeting=meeting).prefetch_related(versions).order_by("id")
        ]
    return {
        "id": meeting.pk,
        "organisation": meeting.organisation,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "state": meeting.state,
        "state_label": str(meeting.get_state_display()),
        "topic": meeting.topic,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "chair": _ref(meeting.chair),
        "secretary": _ref(meeting.secretary),
        "opened_at": meeting.opened_at,
        "closed_at": meeting.closed_at,
        "cancel_reason": meeting.cancel_reason,
        "can_run": runs,
        "my_invitation_id": mine.pk if mine else None,
        "agenda": [
            {
                "id": a.pk,
                "position": a.position,
                "title": a.title,
                "description": a.description,
                "presenter": _ref(a.presenter),
                "withdrawn": a.withdrawn,
            }
            for a in meeting.agenda.select_related("presenter").order_by("position", "id")
        ],
        "invitations": [_invitation(i, runs or i is mine) for i in invitations],
        "votes": _votes(list(_with_counts(meeting.votes.all()).order_by("created_at", "id")), mine),
        "documents": documents,
        "discussion": meeting.discussion,
        "conclusions": meeting.conclusions,
        "resolution_number": meeting.resolution_number,
        "resolution_text": meeting.resolution_text,
        "approved_at": meeting.approved_at,
        "minutes_sha256": meeting.minutes_sha256,
        "addenda": list(meeting.addenda.order_by("created_at", "id")),
        "version": current_version(meeting),
    }


def _get_vote(user, vote_id: int) -> Vote:
    vote = (
        _with_counts(Vote.objects.filter(meeting__in=meetings_for(user)))
        .select_related("meeting__organisation")
        .filter(pk=vote_id)
        .first()
    )
    if vote is None:
        raise Http404
    return vote


def _vote(user, vote_id: int) -> dict:
    vote = _get_vote(user, vote_id)
    return _votes([vote], invitation_of(user, vote.meeting))[0]


def _own_invitation(user, meeting: Meeting) -> Invitation:
    invitation = invitation_of(user, meeting)
    if invitation is None:
        raise _forbidden()
    return invitation


def _running(user, meeting_id: int) -> Meeting:
    meeting = get_meeting_or_404(user, meeting_id)
    if not can_run(user, meeting):
        raise _forbidden()
    return meeting


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _subtree_path(user, org_id: int, visible: QuerySet[Meeting]) -> str | None:
    """The path of an organisation in the caller's `meetings.view` scope or holding one of the meetings they
    see (an invited member filters by their cell); None otherwise."""
    scope = Scope.of(user, "meetings.view")
    orgs = Organisation.objects.filter(pk=org_id)
    if not scope.everything:
        orgs = orgs.filter(scope.q("path") | Q(pk__in=visible.values("organisation_id")))
    return orgs.values_list("path", flat=True).first()


# --- meetings ------------------------------------------------------------------------------------------


@router.get("/meetings", summary="List meetings", response={200: list[MeetingOut], 403: ErrorOut})
@paginate(Page)
def list_meetings(request, filters: Query[MeetingFilterIn]):
    """Meetings the caller may see (dangvu.meetings.access.meetings_for): those of their subtrees for staff
    (`meetings.view`), those they are invited to for everyone. Latest first. Filters: an organisation's
    current subtree, kind, state, a range of start days. Paginated."""
    user = request.auth
    if Scope.of(user, "meetings.view").empty and not getattr(user, "member_id", None):
        raise _forbidden()
    qs = meetings_for(user)
    if filters.organisation_id is not None:
        qs = qs.filter(organisation__path__startswith=_subtree_path(user, filters.organisation_id, qs) or "-")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.date_from:
        qs = qs.filter(starts_at__gte=_aware(dt.datetime.combine(filters.date_from, dt.time.min)))
    if filters.date_to:
        qs = qs.filter(starts_at__lt=_aware(dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min)))
    return qs.select_related("organisation", "chair", "secretary").order_by("-starts_at", "-id")


@router.get(
    "/meetings/{meeting_id}",
    summary="A meeting with its agenda, invitees, votes and documents",
    response={200: MeetingDetailOut, 404: ErrorOut},
)
def meeting_detail(request, meeting_id: Id):
    """One meeting: agenda, invitees with attendance (RSVP answers and reasons only for those who run the
    meeting, and each invitee's own), votes (counts while open, results once closed, names only for votes
    by name), documents with their versions (only for the invited and those who run it), minutes, addenda."""
    return _detail(request.auth, meeting_id)


@router.post("/meetings", summary="Plan a meeting", response={201: MeetingDetailOut, **WRITE_ERRORS})
@idempotent
def create_meeting(request, payload: MeetingIn):
    """Plan a meeting and invite its participants (dangvu.meetings.services.create_meeting): a member meeting
    invites the cell's members, a committee meeting the committee's seats; the higher-level committee members
    in charge of the organisation come as guests. Needs `meetings.manage` on the organisation. The chair,
    secretary, presenters and member guests are members the caller may see (`members.view`); another id is a
    404."""
    user = request.auth
    org = get_organisation_or_404(user, payload.organisation_id, "meetings.view")
    if not Scope.of(user, "meetings.manage").covers_path(org.path):
        raise _forbidden()
    wanted = {payload.chair_id, payload.secretary_id, *payload.guest_member_ids}
    wanted |= {a.presenter_id for a in payload.agenda}
    wanted.discard(None)
    found = members_for(user).in_bulk(wanted)
    if len(found) != len(wanted):
        raise Http404
    meeting = services.create_meeting(
        org,
        user,
        kind=payload.kind,
        starts_at=_aware(payload.starts_at),
        topic=payload.topic,
        place=payload.place,
        online_link=payload.online_link,
        chair=found.get(payload.chair_id),
        secretary=found.get(payload.secretary_id),
        agenda=[services.AgendaSpec(a.title, a.description, found.get(a.presenter_id)) for a in payload.agenda],
        guests=[found[i] for i in dict.fromkeys(payload.guest_member_ids)],
        external_guests=[(g.name, g.title) for g in payload.external_guests],
    )
    return Status(201, _detail(user, meeting.pk))


@router.post(
    "/meetings/{meeting_id}/rsvp", summary="Answer an invitation", response={200: InvitationOut, **WRITE_ERRORS}
)
def rsvp(request, meeting_id: Id, payload: RsvpIn):
    """The caller's own answer before the meeting: attending, or excused with the reason."""
    user = request.auth
    invitation = _own_invitation(user, get_meeting_or_404(user, meeting_id))
    return _invitation(services.answer(invitation, user, rsvp=payload.answer, reason=payload.reason), True)


@router.post("/meetings/{meeting_id}/check-in", summary="Check in", response={200: InvitationOut, **WRITE_ERRORS})
def check_in(request, meeting_id: Id, payload: CheckInIn):
    """Present at a meeting in progress (late after the start plus `meeting.late_minutes`). Without
    `invitation_id`: the caller's own invitation; with it, those who run the meeting mark that invitee
    present. A second check-in keeps the first time."""
    user = request.auth
    meeting = get_meeting_or_404(user, meeting_id)
    if payload.invitation_id is None:
        invitation = _own_invitation(user, meeting)
    else:
        if not can_run(user, meeting):
            raise _forbidden()
        invitation = meeting.invitations.filter(pk=payload.invitation_id).first()
        if invitation is None:
            raise Http404
    return _invitation(services.check_in(invitation, user), True)


@router.post(
    "/meetings/{meeting_id}/attendance", summary="Record attendance", response={200: InvitationOut, **WRITE_ERRORS}
)
def attendance(request, meeting_id: Id, payload: AttendanceIn):
    """Those who run the meeting record an invitee present, absent with leave (reason required) or without."""
    user = request.auth
    meeting = _running(user, meeting_id)
    invitation = meeting.invitations.filter(pk=payload.invitation_id).first()
    if invitation is None:
        raise Http404
    invitation = services.mark_attendance(
        invitation, user, attendance=payload.attendance, reason=payload.reason, late=payload.late
    )
    return _invitation(invitation, True)


@router.post(
    "/meetings/{meeting_id}/open", summary="Open the meeting", response={200: MeetingDetailOut, **WRITE_ERRORS}
)
def open_meeting(request, meeting_id: Id):
    """A planned meeting starts: check-in and votes are open. Those who run the meeting."""
    user = request.auth
    services.open_meeting(_running(user, meeting_id), user)
    return _detail(user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/close", summary="Close the meeting", response={200: MeetingDetailOut, **WRITE_ERRORS}
)
def close_meeting(request, meeting_id: Id):
    """The meeting ends (no vote may be open): expected members not recorded are absent, with leave when
    excused in advance. The minutes are then drafted. Those who run the meeting."""
    user = request.auth
    services.close_meeting(_running(user, meeting_id), user)
    return _detail(user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/minutes",
    summary="Write the minutes",
    response={200: MeetingDetailOut, 409: ConflictOut, **WRITE_ERRORS},
)
def write_minutes(request, meeting_id: Id, payload: MinutesIn):
    """Discussion, conclusions and resolution, during or after the meeting and before approval; omitted fields
    keep their text. Those who run the meeting. Send the meeting's `version`: a text changed by someone else
    since is not overwritten (409 with each changed field)."""
    user = request.auth
    meeting = _running(user, meeting_id)
    texts = payload.dict(exclude_none=True)
    services.write_minutes(meeting, user, **texts)
    return _detail(user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/approve", summary="Approve the minutes", response={200: MeetingDetailOut, **WRITE_ERRORS}
)
def approve_minutes(request, meeting_id: Id):
    """The chair approves the minutes of a closed meeting: the DOCX is generated from the record and kept with
    its SHA-256, and the meeting record is locked (later corrections are addenda). The chair's user only."""
    user = request.auth
    meeting = get_meeting_or_404(user, meeting_id)
    member_id = getattr(user, "member_id", None)
    if member_id is None or member_id != meeting.chair_id:
        raise _forbidden()
    services.approve_minutes(meeting, user)
    return _detail(user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/addenda", summary="Add an addendum", response={201: MeetingDetailOut, **WRITE_ERRORS}
)
@idempotent
def add_addendum(request, meeting_id: Id, payload: AddendumIn):
    """A correction after approval (the approved minutes never change). Those who run the meeting."""
    user = request.auth
    services.add_addendum(_running(user, meeting_id), user, payload.text)
    return Status(201, _detail(user, meeting_id))


# --- votes ---------------------------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/votes", summary="Prepare a vote", response={201: VoteOut, **WRITE_ERRORS})
@idempotent
def create_vote(request, meeting_id: Id, payload: VoteIn):
    """A question put to the vote: by show of hands (the count is entered at closing), by name, or secret,
    with its threshold (rule-set fractions). Those who run the meeting."""
    user = request.auth
    meeting = _running(user, meeting_id)
    item = None
    if payload.agenda_item_id is not None:
        item = meeting.agenda.filter(pk=payload.agenda_item_id).first()
        if item is None:
            raise Http404
    vote = services.create_vote(
        meeting, user, question=payload.question, method=payload.method, rule=payload.rule, agenda_item=item
    )
    return Status(201, _vote(user, vote.pk))


@router.get("/votes/{vote_id}", summary="A vote", response={200: VoteOut, 404: ErrorOut})
def vote_detail(request, vote_id: Id):
    """State; entitled and present voters and the quorum when it opened; ballots cast so far while open
    (never the choices); results and verdict once closed (and who chose what, for a vote by name only);
    whether the caller has voted. Visible with its meeting."""
    return _vote(request.auth, vote_id)


def _vote_to_run(user, vote_id: int) -> Vote:
    vote = _get_vote(user, vote_id)
    if not can_run(user, vote.meeting):
        raise _forbidden()
    return vote


@router.post("/votes/{vote_id}/open", summary="Open a vote", response={200: VoteOut, **WRITE_ERRORS})
def open_vote(request, vote_id: Id):
    """Open a prepared vote in a meeting in progress (one open vote at a time): the entitled and present
    voters and the quorum are recorded now. Those who run the meeting."""
    user = request.auth
    services.open_vote(_vote_to_run(user, vote_id), user)
    return _vote(user, vote_id)


@router.post("/votes/{vote_id}/close", summary="Close a vote", response={200: VoteOut, **WRITE_ERRORS})
def close_vote(request, vote_id: Id, payload: CloseVoteIn):
    """Close and compute the verdict atomically. A vote by show of hands needs the numbers counted (at most the
    voters present); the others count their ballots. Those who run the meeting."""
    user = request.auth
    vote = _vote_to_run(user, vote_id)
    given = {"yes": payload.yes, "no": payload.no, "abstain": payload.abstain}
    counts = given if any(n is not None for n in given.values()) else None
    services.close_vote(vote, user, counts=counts)
    return _vote(user, vote_id)


@router.post("/votes/{vote_id}/ballots", summary="Cast a ballot", response={200: VoteOut, **WRITE_ERRORS})
def cast_ballot(request, vote_id: Id, payload: BallotIn):
    """The caller's own ballot in an open vote by name or secret, once (a second one is refused), if entitled
    to vote and checked in. The answer never repeats the choice."""
    user = request.auth
    vote = _get_vote(user, vote_id)
    services.cast(vote, _own_invitation(user, vote.meeting), payload.choice)
    return _vote(user, vote_id)


# --- statistics ----------------------------------------------------------------------------------------


def _period(params: PeriodIn) -> tuple[dt.date, dt.date]:
    year = timezone.localdate().year
    start, end = params.start or dt.date(year, 1, 1), params.end or dt.date(year, 12, 31)
    if start > end:
        raise DomainError(_("The start date is after the end date."))
    return start, end


FIGURES = ("months_in_force", "regular_months", "thematic_held", "thematic_required", "meetings_with_guests")
SUMMED = ("meetings_held", "expected", "present")  # per cell only in dangvu.meetings.stats


def _figures(s, cells: list) -> dict:
    row = {name: getattr(s, name) for name in FIGURES} | {"attendance_rate": s.attendance_rate}
    return row | {name: sum(getattr(c, name) for c in cells) for name in SUMMED}


@router.get(
    "/orgs/{org_id}/meeting-regularity",
    summary="Regularity and attendance of meetings in a period",
    response={200: RegularityOut, 404: ErrorOut, 422: ErrorOut},
)
def meeting_regularity(request, org_id: Id, params: Query[RegularityIn]):
    """Per cell under the organisation (dangvu.meetings.stats.regularity, the figure pages and targets use):
    months with the regular meeting against the months in force, thematic meetings held against required,
    attendance, meetings a higher-level guest attended; with `lineage` (default) the predecessors' cells
    too. Needs `meetings.view` on the organisation."""
    org = get_organisation_or_404(request.auth, org_id, "meetings.view")
    start, end = _period(params)
    result = stats.regularity(org, start, end, lineage=params.lineage)
    return {
        "organisation_id": org.pk,
        "start": start,
        "end": end,
        "lineage": params.lineage,
        "total": _figures(result, result.cells),
        "cells": [
            {**_figures(c, [c]), "organisation": c.organisation, "missing_months": c.missing_months}
            for c in result.cells
        ],
    }


@router.get(
    "/orgs/{org_id}/assignment-compliance",
    summary="Leadership-assignment compliance in a period",
    response={200: ComplianceOut, 404: ErrorOut, 422: ErrorOut},
)
def assignment_compliance(request, org_id: Id, params: Query[PeriodIn]):
    """Each leadership assignment in force during the period for organisations under this one
    (dangvu.meetings.stats.compliance): meetings of the organisation in charge the committee member attended,
    against `meeting.assignee_visits` per `meeting.assignee_months` prorated. Needs `meetings.view`."""
    org = get_organisation_or_404(request.auth, org_id, "meetings.view")
    start, end = _period(params)
    return {
        "organisation_id": org.pk,
        "start": start,
        "end": end,
        "assignments": [
            {
                "assignment_id": c.assignment.pk,
                "member": _ref(c.assignment.seat.member),
                "committee_organisation": c.assignment.seat.committee.organisation,
                "organisation": c.assignment.organisation,
                "valid_from": c.assignment.valid_from,
                "valid_to": c.assignment.valid_to,
                "attended": c.attended,
                "required": c.required,
                "compliant": c.compliant,
            }
            for c in stats.compliance(org, start, end)
        ],
    }
