"""Bounded input types of the API: every integer, date and text the API accepts has limits, so that a
fuzzed or hostile value is a 422 and never reaches the database (where `9999999999999999999` overflows a
bigint and a NUL breaks PostgreSQL text: both were server errors).

- `Id`: a primary key (1 .. 2^63-1, the range of a bigint on both databases);
- `Count`: a number of rows, votes or people (0 .. 2^31-1, an integer column);
- `Day`: a date written YYYY-MM-DD between 1900-01-01 and 2100-12-31 ("0", a timestamp or 0001-01-01 are
  refused);
- `Moment`: a date and time in ISO 8601 within the same years;
- `Line` / `Text`: one line (names, numbers: at most 255 characters unless the field says less) and free
  text (notes, minutes: at most 20,000 characters), refusing the characters of `dangvu.lib.cleaning`.

The validators' messages are translated when raised (the request's language is active) and reach the
client as the error row's message (`dangvu.api.errors`), with pydantic's code `value_error`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field

from dangvu.lib.cleaning import describe, has_unsafe

MAX_ID = 2**63 - 1
MAX_COUNT = 2**31 - 1
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
LINE_MAX = 255
TEXT_MAX = 20_000

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$")


def _iso_day(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError(_("Give a date as yyyy-mm-dd."))
    return value


def _day_in_range(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )
    return value


def _iso_moment(value):
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_MOMENT.match(value):
        raise ValueError(_("Give a date and time as yyyy-mm-ddTHH:MM[:SS]."))
    return value


def _moment_in_range(value: dt.datetime) -> dt.datetime:
    _day_in_range(value.date())
    return value


def _clean_text(value: str) -> str:
    if has_unsafe(value):
        raise ValueError(
            _("A control, bidirectional or zero-width character (%(char)s) is not allowed.") % {"char": describe(value)}
        )
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Day = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    AfterValidator(_day_in_range),
    Field(json_schema_extra={"format": "date"}),
]
Moment = Annotated[dt.datetime, BeforeValidator(_iso_moment), AfterValidator(_moment_in_range)]
# `Clean` is for fields that set their own `max_length` (a Field in Annotated would override it).
Clean = Annotated[str, AfterValidator(_clean_text)]
Line = Annotated[str, AfterValidator(_clean_text), Field(max_length=LINE_MAX)]
Text = Annotated[str, AfterValidator(_clean_text), Field(max_length=TEXT_MAX)]
