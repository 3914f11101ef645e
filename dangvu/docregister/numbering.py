"""Numbers of registered documents (Hướng dẫn 36-HD/VPTW): "05-NQ/ĐU" is the serial (two digits at least),
the type's code and the issuer's symbol. Serials run from 01 per series — the issuing organisation and body,
the term and the type (a congress: one series for all its documents) — and are handed out under a row lock
on the series, so two documents registered at the same moment never get the same number."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q

from dangvu.docregister.models import Body, Series
from dangvu.orgs.models import Committee, Organisation, OrgKind, Term

# The issuer's symbol after the slash, by the kind of organisation (36-HD: the abbreviated name of the
# issuing body). An organisation with another customary abbreviation ("ĐUK") writes it on the form.
KIND_SYMBOLS = {
    OrgKind.CENTRAL: "TW",
    OrgKind.PROVINCIAL: "TU",
    OrgKind.DIRECT: "ĐU",
    OrgKind.GRASSROOTS_COMMITTEE: "ĐU",
    OrgKind.SUB_COMMITTEE: "ĐU",
    OrgKind.GRASSROOTS_CELL: "CB",
    OrgKind.CELL: "CB",
}
CONGRESS_SYMBOL = "ĐH"
INSPECTION_PREFIX = "UBKT"


def default_symbol(organisation: Organisation, body: str) -> str:
    if body == Body.CONGRESS:
        return CONGRESS_SYMBOL
    symbol = KIND_SYMBOLS.get(organisation.kind, "ĐU")
    return INSPECTION_PREFIX + symbol if body == Body.INSPECTION else symbol


def series_type(body: str, doc_type: str) -> str:
    return "" if body == Body.CONGRESS else doc_type


def format_number(serial: int, doc_type: str, symbol: str) -> str:
    return f"{serial:02d}-{doc_type}/{symbol}"


def term_on(organisation: Organisation, day: dt.date) -> Term | None:
    """The term of the organisation's committee in office on `day` (the latest elected by then), else the
    term whose dates hold `day` (the latest starting, where two terms meet at a congress)."""
    committee = (
        Committee.objects.filter(organisation=organisation, elected_on__lte=day)
        .select_related("term")
        .order_by("-elected_on")
        .first()
    )
    if committee is not None and committee.term.end >= day:
        return committee.term
    return Term.objects.filter(Q(start__lte=day), Q(end__gte=day)).order_by("-start").first()


def _series(organisation: Organisation, body: str, term: Term, kind: str) -> Series:
    """The series row, locked until the end of the caller's transaction (created on first use)."""
    keys = {"organisation": organisation, "body": body, "term": term, "series_type": kind}
    series = Series.objects.select_for_update().filter(**keys).first()
    if series is None:
        try:
            with transaction.atomic():  # a savepoint: another transaction may create it at the same moment
                Series.objects.create(**keys)
        except IntegrityError:
            pass  # it did: its row is the one to lock
        series = Series.objects.select_for_update().get(**keys)
    return series


def take(organisation: Organisation, body: str, term: Term, doc_type: str, serial: int | None = None) -> int | None:
    """The next serial of the series, or `serial` (a document issued before it was registered) when it is
    free; None when `serial` is already taken. Call inside the transaction that saves the document."""
    from dangvu.docregister.models import Document

    kind = series_type(body, doc_type)
    series = _series(organisation, body, term, kind)
    if serial is None:
        serial = series.last + 1
    elif Document.objects.filter(
        organisation=organisation, body=body, term=term, series_type=kind, serial=serial
    ).exists():
        return None
    if serial > series.last:
        series.last = serial
        series.save(update_fields=["last"])
    return serial
