"""Schemas of the documents register (dangvu/api/routers/docregister.py)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Day, Id, Line, Text

DocTypeCode = Literal["NQ", "QĐ", "CT", "KL", "QC", "QĐi", "HD", "BC", "KH", "CTr", "TTr", "TB", "BB", "CV"]
BodyCode = Literal["committee", "inspection", "congress"]


class LinkOut(Schema):
    kind: str = Field(..., description="implements, replaces or reports_on")
    target_id: int | None = Field(None, description="The registered document linked to (null for an external one)")
    number: str = Field(..., description="The linked document's number")
    title: str


class DocumentOut(Schema):
    id: int
    number: str = Field(..., description="In the Party format, e.g. 05-NQ/ĐU")
    doc_type: str = Field(..., description="Type code: NQ, QĐ, CT, KL, QC, QĐi, HD, BC, KH, CTr, TTr, TB, BB, CV")
    serial: int
    symbol: str
    body: str = Field(..., description="committee, inspection (its inspection committee) or congress")
    organisation: OrgRef
    term: str = Field(..., description="The term's code, e.g. 2025-2030")
    date: dt.date
    title: str
    summary: str
    signed_by: str
    links: list[LinkOut]

    @staticmethod
    def resolve_term(obj) -> str:
        return obj.term.code

    @staticmethod
    def resolve_links(obj) -> list[dict]:
        return [
            {"kind": link.kind, "target_id": link.target_id, "number": link.target_number, "title": link.target_title}
            for link in obj.links.all()
        ]


class DocumentFilterIn(Schema):
    q: Line | None = Field(None, description="Part of the number, or words of the title (diacritics ignored)")
    doc_type: DocTypeCode | None = None
    year: int | None = Field(None, ge=1930, le=2100)
    organisation_id: Id | None = Field(None, description="Documents issued by this organisation")


class DocumentIn(Schema):
    organisation_id: Id
    doc_type: DocTypeCode
    date: Day
    title: Line
    body: BodyCode = "committee"
    term_id: Id | None = Field(None, description="Default: the term in office on the date")
    symbol: Line = Field("", description="Default: the usual symbol of the organisation and body (ĐU, CB, ĐH)")
    serial: int | None = Field(
        None, ge=1, le=99_999, description="Only for a document issued before it was registered; else the next"
    )
    summary: Text = ""
    signed_by: Line = ""


class LinkIn(Schema):
    kind: Literal["implements", "replaces", "reports_on"]
    target_id: Id | None = Field(None, description="A registered document (or external_number)")
    external_number: Line = ""
    external_title: Line = ""
