"""Party fees (issue 15 item 4): an organisation's month sheet, arrears and remittance, a member's fees (their
own too), and payments recorded by the cell.

Access (dangvu.fees.access): reading needs `fees.view` over the organisation or member (another one is a 404; a
member reads their own fees); recording `fees.record` (403 without it anywhere, 404 out of its scope). A rule
refusing a payment is a 422 with the messages, and nothing is written (dangvu.fees.services)."""

from django.utils import timezone
from ninja import Query, Router, Status

from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_fees import (
    ArrearsOut,
    MemberFeesOut,
    MonthIn,
    PaymentIn,
    PaymentOut,
    RemittanceOut,
    SheetOut,
    YearIn,
)
from dangvu.api.types import Id
from dangvu.fees import access, calc, months, remittance, services, stats
from dangvu.fees.statement import fee_code

router = Router(tags=["fees"])
READ_ERRORS = {403: ErrorOut, 404: ErrorOut}


def _month(value: str):
    return months.parse(value) or months.current()


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name, "kind": org.kind}


@router.get(
    "/fees/orgs/{org_id}/sheet", summary="An organisation's month sheet", response={200: SheetOut, **READ_ERRORS}
)
def sheet(request, org_id: Id, params: Query[MonthIn]):
    """The month's stored dues of the organisation's subtree, member by member, with what was paid."""
    org = access.get_organisation_or_404(request.auth, org_id)
    result = stats.sheet(org, _month(params.month))
    return {
        "organisation": _org(org),
        "month": result.month,
        "due": result.due,
        "paid": result.paid,
        "owed": result.owed,
        "rows": [
            {
                "member_id": r.member_id,
                "name": r.name,
                "cell": r.cell,
                "due": r.due,
                "paid": r.paid,
                "owed": r.owed,
                "reason": r.reason,
            }
            for r in result.rows
        ],
    }


@router.get("/fees/orgs/{org_id}/arrears", summary="Arrears of a year", response={200: list[ArrearsOut], **READ_ERRORS})
def arrears(request, org_id: Id, params: Query[YearIn]):
    """Members of the subtree owing for months of the year already ended, most owed first."""
    org = access.get_organisation_or_404(request.auth, org_id)
    dues = access.dues_for(request.auth).filter(organisation__path__startswith=org.path)
    return [a.__dict__ for a in stats.arrears(dues, params.year or timezone.localdate().year)]


def _flow(f) -> dict:
    return {
        "organisation_id": f.organisation_id,
        "name": f.name,
        "members": f.members_below,
        "due": f.due_below,
        "collected": f.collected_below,
        "kept": f.kept_below,
        "sent_up": f.sent_up,
    }


@router.get(
    "/fees/orgs/{org_id}/remittance", summary="Remittance of a month", response={200: RemittanceOut, **READ_ERRORS}
)
def remittance_of_month(request, org_id: Id, params: Query[MonthIn]):
    """What the subtree collected, what each level kept by the rule set's shares and what goes up."""
    org = access.get_organisation_or_404(request.auth, org_id)
    rem = remittance.remittance(org, _month(params.month))
    return {
        "organisation": _org(org),
        "month": rem.month,
        "total": _flow(rem.top),
        "kept_here": rem.top.kept,
        "subordinates": [_flow(c) for c in rem.children],
    }


@router.get("/fees/members/{member_id}", summary="A member's fees", response={200: MemberFeesOut, **READ_ERRORS})
def member_fees(request, member_id: Id, params: Query[YearIn]):
    """The member's dues and payments month by month (the member's own too)."""
    member = access.get_member_or_404(request.auth, member_id)
    status = stats.member_status(member, params.year or timezone.localdate().year)
    return {
        "member_id": member.pk,
        "full_name": member.full_name,
        "year": status.year,
        "fee_code": fee_code(member),
        "current_due": calc.dues_for(member, months.current()),
        "paid": status.paid,
        "owed": status.owed,
        "unpaid_months": status.unpaid_months,
        "months": [{"month": m.month, "due": m.due, "paid": m.paid, "owed": m.owed} for m in status.months],
    }


@router.post(
    "/fees/members/{member_id}/payments",
    summary="Record a payment",
    response={201: PaymentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
@idempotent
def record_payment(request, member_id: Id, payload: PaymentIn):
    """A payment for the member's month (several payments may make up a month)."""
    require(request, access.RECORD)
    member = access.get_member_or_404(request.auth, member_id, access.RECORD)
    payment = services.record_payment(
        member,
        month=payload.month,
        amount=payload.amount,
        paid_on=payload.paid_on,
        method=payload.method,
        reference=payload.reference,
        actor=request.auth,
    )
    return Status(
        201,
        {
            "id": payment.pk,
            "member_id": member.pk,
            "month": payment.due.month,
            "amount": payment.amount,
            "paid_on": payment.paid_on,
            "method": payment.method,
            "reference": payment.reference,
        },
    )
