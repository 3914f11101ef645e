"""Schemas of the party-fee endpoints (dangvu/api/routers/fees.py). Money is integer đồng; a month is written
`YYYY-MM` (or mm/yyyy)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Line
from dangvu.fees.services import MAX_AMOUNT

Month = Field(..., description="The month, YYYY-MM or mm/yyyy", max_length=10)


class MonthIn(Schema):
    month: str = Field("", description="YYYY-MM or mm/yyyy; the current month by default", max_length=10)


class YearIn(Schema):
    year: int | None = Field(None, ge=1900, le=2999, description="The calendar year; the current one by default")


class SheetRowOut(Schema):
    member_id: int
    name: str
    cell: str
    due: int
    paid: int
    owed: int
    reason: str = Field(..., description="rate, fixed, party_age, category, exemption or no_data")


class SheetOut(Schema):
    organisation: OrgRef
    month: dt.date
    due: int
    paid: int
    owed: int
    rows: list[SheetRowOut]


class ArrearsOut(Schema):
    member_id: int
    name: str
    cell: str
    owed: int
    months: int = Field(..., description="Months of the year with something owed")
    unpaid_months: int = Field(..., description="Of which nothing paid")


class FlowOut(Schema):
    organisation_id: int
    name: str
    members: int
    due: int
    collected: int
    kept: int
    sent_up: int


class RemittanceOut(Schema):
    organisation: OrgRef
    month: dt.date
    total: FlowOut = Field(..., description="The organisation's subtree; kept + sent_up = collected")
    kept_here: int = Field(..., description="Kept by the organisation itself")
    subordinates: list[FlowOut]


class MemberMonthOut(Schema):
    month: dt.date
    due: int
    paid: int
    owed: int


class MemberFeesOut(Schema):
    member_id: int
    full_name: str
    year: int
    fee_code: str
    current_due: int
    paid: int
    owed: int = Field(..., description="Owed for the months of the year already ended")
    unpaid_months: int
    months: list[MemberMonthOut]


class PaymentIn(Schema):
    month: str = Month
    amount: int = Field(..., ge=1, le=MAX_AMOUNT, description="Whole đồng")
    paid_on: dt.date
    method: Literal["cash", "portal"] = "cash"
    reference: Line = ""


class PaymentOut(Schema):
    id: int
    member_id: int
    month: dt.date
    amount: int
    paid_on: dt.date
    method: str
    reference: str
