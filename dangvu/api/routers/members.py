"""Party members: list with the shared filters, record detail, life events and the derived timeline.

Access follows dangvu.accounts.scope.members_for with the `members.view` capability: staff see the members
of their subtrees; a plain member (no `members.view`) sees their own record only, in the list as in the
detail; a user with neither gets 403 on the list and 404 on a record.

Personal data follows the one table of dangvu.accounts.permissions.PERSONAL_DATA (applied by
dangvu.accounts.privacy through the schemas' resolvers, on lists, records and events alike): a field the
caller may not see on a member is present with `null`; the member always sees their own record.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import Scope, get_member_or_404, members_for
from dangvu.api.pagination import EstimatedPage, Page
from dangvu.api.schemas import (
    ConflictOut,
    ErrorOut,
    MemberDetailOut,
    MemberEventOut,
    MemberFilterIn,
    MemberOut,
    MemberPeriodOut,
    MemberUpdateIn,
)
from dangvu.api.types import Id
from dangvu.lib.errors import DomainError
from dangvu.members import listing, services
from dangvu.members.filters import MemberFilter
from dangvu.members.models import MemberEvent

router = Router(tags=["members"])


@router.get("/members", response={200: list[MemberOut], 403: ErrorOut})
@paginate(EstimatedPage)
def list_members(request, filters: Query[MemberFilterIn]):
    """Members in the caller's scope, filtered, searched and sorted exactly as on the member list page
    (dangvu.members.filters.MemberFilter). Paginated; the count is the total of matching rows, exact up to
    2,000 and past that an estimate (`count_estimated`), except for the plain list of party members, whose
    count is always exact (dangvu.members.listing)."""
    user = request.auth
    if Scope.of(user, "members.view").empty and not user.member_id:
        raise HttpError(403, _("You do not have access to this."))
    member_filter = MemberFilter.from_params(filters.dict())
    members = member_filter.apply(members_for(user), user=user).select_related("organisation")
    counted = listing.total(user, member_filter, members)
    return listing.Counted(members, counted, member_filter.rows(members, counted))


@router.get("/members/{member_id}", response={200: MemberDetailOut, 404: ErrorOut})
def member_detail(request, member_id: Id):
    """One member record (1-HSĐV fields kept here). Personal data the caller may not see is null: citizen
    ID, ethnicity and religion for the committee office and the administrator; place of birth and home
    town also for the inspection committee; residence also for the cell secretary (docs/decisions.md)."""
    return get_member_or_404(request.auth, member_id)


@router.patch(
    "/members/{member_id}",
    summary="Correct a member record",
    response={200: MemberDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def update_member(request, member_id: Id, payload: MemberUpdateIn):
    """Correct identity fields of a record (the committee office: `members.edit` on the member's cell).
    Send the `version` read with the record: when a field you change was changed by someone else since,
    nothing is written and the answer is 409 with each field's value in your version and now; read the
    record again and decide. A rule refusal (e.g. a citizen ID already used) is 422."""
    user = request.auth
    if Scope.of(user, "members.edit").empty:
        raise HttpError(403, _("You do not have access to this."))
    member = get_member_or_404(user, member_id, "members.edit")
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason")
    changes = {key: _stored(key, value) for key, value in data.items()}
    if not changes:
        raise DomainError(_("Nothing was changed."))
    member = services.update_member(member, changes, user, reason=reason, version=version)
    return member_detail(request, member.pk)


def _stored(key: str, value):
    """The value as the record stores it: an empty citizen ID or card number is none; other texts are
    never null."""
    if key in ("citizen_id", "card_number"):
        return value or None
    return "" if value is None and key not in ("sex", "birth_date") else value


@router.get("/members/{member_id}/events", response={200: list[MemberEventOut], 404: ErrorOut})
@paginate(Page)
def member_events(request, member_id: Id):
    """The member's life events in date order, annulled entries included and flagged (paginated). The notes
    are confidential record notes: null for roles other than the committee office, the inspection committee
    and the administrator (and the member themself)."""
    member = get_member_or_404(request.auth, member_id)
    annulled = MemberEvent.objects.filter(annuls=OuterRef("pk"))
    events = member.events.select_related("organisation", "member")
    return events.annotate(annulled=Exists(annulled)).order_by("date", "id")


@router.get("/members/{member_id}/periods", response={200: list[MemberPeriodOut], 404: ErrorOut})
@paginate(Page)
def member_periods(request, member_id: Id):
    """The derived timeline: which cell and status the member had during each period (paginated)."""
    member = get_member_or_404(request.auth, member_id)
    return member.periods.select_related("organisation").order_by("valid_from", "id")
