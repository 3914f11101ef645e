"""Who may see and do what with party fees (capabilities in dangvu.accounts.permissions):
- `fees.view`: the dues, payments, arrears, remittance and reports of the organisations of the subtree (staff);
- `fees.record`: fee data, exemptions and reductions, payments and the month's sheet (the cell secretary, the
  committee office);
- `fees.import`: payment-portal statements (the committee office).
A member sees their own fees (/fees/me/, and their own page) whatever their role. Out of scope is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope, members_for
from dangvu.fees.models import Due, Payment, Relief
from dangvu.members.models import Member
from dangvu.orgs.models import Organisation

VIEW, RECORD, IMPORT = "fees.view", "fees.record", "fees.import"


def organisations(user, capability: str = VIEW) -> QuerySet[Organisation]:
    return Organisation.objects.filter(Scope.of(user, capability).q("path"))


def get_organisation_or_404(user, pk: int, capability: str = VIEW) -> Organisation:
    org = organisations(user, capability).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def dues_for(user, capability: str = VIEW) -> QuerySet[Due]:
    return Due.objects.filter(Scope.of(user, capability).q("organisation__path"))


def is_own(user, member_id: int) -> bool:
    return bool(getattr(user, "member_id", None)) and user.member_id == member_id


def get_member_or_404(user, pk: int, capability: str = VIEW) -> Member:
    """A member of the subtree for `capability`, or (to read) the user's own record."""
    member = members_for(user, capability).select_related("organisation").filter(pk=pk).first()
    if member is None and capability == VIEW and is_own(user, pk):
        member = Member.objects.select_related("organisation").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def get_payment_or_404(user, pk: int, capability: str = RECORD) -> Payment:
    payment = (
        Payment.objects.filter(Scope.of(user, capability).q("due__organisation__path"))
        .select_related("due__member", "due__organisation")
        .filter(pk=pk)
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def get_relief_or_404(user, pk: int, capability: str = RECORD) -> Relief:
    relief = (
        Relief.objects.filter(Scope.of(user, capability).q("member__org_path"))
        .select_related("member")
        .filter(pk=pk)
        .first()
    )
    if relief is None:
        raise Http404
    return relief
