"""Who may see and do what with letters (capabilities in dangvu.accounts.permissions):
- `letters.view`: the letters received by the committees of the subtree (without their senders);
- `letters.manage`: intake, screening, routing, extension, outcome (the inspection committee);
- `letters.stats`: the counts (statistics page and API).
The senders (`Signatory`) are read only by a user holding the inspection role *at the handling committee
itself* — not above it, not below it, never the office, the secretaries, the leaders or the administrator
(issue 12 item 4) — and each reading is logged (dangvu.letters.services.read_senders). The log of those
readings is read by the committee's designated head of the inspection committee (`InspectionHead`).
Out of scope is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.accounts.scope import Scope
from dangvu.letters.models import InspectionHead, Letter

VIEW, MANAGE, STATS = "letters.view", "letters.manage", "letters.stats"


def letters_for(user, capability: str = VIEW) -> QuerySet[Letter]:
    return Letter.objects.filter(Scope.of(user, capability).q("committee__path"))


def get_letter_or_404(user, pk: int, capability: str = VIEW) -> Letter:
    letter = (
        letters_for(user, capability)
        .select_related("committee", "about_member", "about_organisation", "forwarded_to", "case")
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def can_manage(user, letter: Letter) -> bool:
    return Scope.of(user, MANAGE).covers_path(letter.committee.path)


def may_see_senders(user, letter: Letter) -> bool:
    """The inspection role at the handling committee itself, in force today."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        RoleAssignment.objects.current()
        .filter(user=user, role=Role.INSPECTION, organisation_id=letter.committee_id)
        .exists()
    )


def heads_now() -> Q:
    today = timezone.localdate()
    return Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gt=today))


def is_head(user, committee_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return InspectionHead.objects.filter(heads_now(), user=user, committee_id=committee_id).exists()
