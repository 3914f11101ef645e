"""The period of a statistics query (`year` or `term`; the term wins), the same for every statistics endpoint:
a term by its code (an unknown one is a 404), else a year (neither: 422). Turned into dates by the one
`period()` of dangvu.discipline.stats, as the statistics pages do."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from dangvu.discipline.stats import period
from dangvu.orgs.models import Term


def year_or_term(query) -> tuple[dt.date, dt.date]:
    """[start, end] of `query.term` (a term code) or else of `query.year`."""
    if query.term:
        term = Term.objects.filter(code=query.term).first()
        if term is None:
            raise Http404
        return period(term=term)
    if query.year is None:
        raise HttpError(422, _("Give a year or a term."))
    return period(year=query.year)
