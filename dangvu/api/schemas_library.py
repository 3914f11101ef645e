"""Schemas of the document library (dangvu/api/routers/library.py)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.schemas_docregister import DocTypeCode
from dangvu.api.types import Id, Line

ShelfCode = Literal["bookmark", "later"]


class LibraryDocumentOut(Schema):
    id: int
    number: str = Field(..., description="In the Party format, e.g. 05-NQ/ĐU")
    doc_type: str = Field(..., description="Type code: NQ, QĐ, CT, KL, QC, QĐi, HD, BC, KH, CTr, TTr, TB, BB, CV")
    organisation: OrgRef
    date: dt.date
    title: str
    shelves: list[str] = Field(..., description="The caller's lists holding it: bookmark, later")
    rank: float | None = Field(None, description="Relevance to the query (higher is better); null without a query")


class LibraryFileOut(Schema):
    id: int
    filename: str
    size: int
    url: str = Field(..., description="Download address (the same session or token)")


class LibraryDocumentDetailOut(LibraryDocumentOut):
    summary: str
    signed_by: str
    body_text: str = Field(..., description="The text of the document given by the office (may be empty)")
    published: bool = Field(..., description="Published to the members of the issuer and the organisations below it")
    files: list[LibraryFileOut]


class LibraryFilterIn(Schema):
    q: Line | None = Field(
        None, description="Words of the title, number or text (diacritics ignored): best match first"
    )
    doc_type: DocTypeCode | None = None
    organisation_id: Id | None = Field(None, description="Documents issued by this organisation")
    year: int | None = Field(None, ge=1930, le=2100)
    shelf: ShelfCode | None = Field(None, description="Only the documents on this list of the caller")
