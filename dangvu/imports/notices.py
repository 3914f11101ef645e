"""Notices of an import: values stored otherwise than written in the file, each with its kind.

- DATE: the official-membership date stored is the end of the probation, not the date written (Điều lệ Đảng,
  Điều 5; issue 8 item 7);
- TCVN3, VNI: text written in a legacy Vietnamese encoding is stored converted to Unicode (issue 16 item 10,
  dangvu.lib.legacy).

A job stores them as lists `[row, column header, written, stored, kind]` (ImportJob.notices, capped like the
errors) and their counts per kind (ImportJob.notice_counts). Jobs checked before the kinds existed hold
four-element lists and only a total: all of them are of the date kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dangvu.lib import legacy
from dangvu.lib.uploads import excerpt

DATE, TCVN3, VNI = "date", legacy.TCVN3, legacy.VNI
ENCODINGS = (TCVN3, VNI)
SHOWN_CHARS = 500  # longer than any text column of a member: a value within its limit is shown whole
REASONS = {
    DATE: _("Official from the end of the probation"),
    TCVN3: _("Converted from TCVN3 (ABC)"),
    VNI: _("Converted from VNI"),
}


@dataclass
class RowNotice:
    """A value stored otherwise than written in the file (row, column, written → stored, kind)."""

    row: int
    column: str
    entered: str
    stored: str
    kind: str = DATE

    def __post_init__(self) -> None:
        # Bounded like the errors (issue 16 item 4): a long converted cell is stored and shown as an excerpt.
        self.entered, self.stored = excerpt(self.entered, SHOWN_CHARS), excerpt(self.stored, SHOWN_CHARS)

    def as_list(self) -> list:
        return [self.row, self.column, self.entered, self.stored, self.kind]

    @classmethod
    def from_list(cls, item: list) -> RowNotice:
        row, column, entered, stored, *rest = item
        return cls(row, column, entered, stored, rest[0] if rest else DATE)

    @property
    def reason(self) -> str:
        return str(REASONS.get(self.kind, ""))


def stored(notices: list[list]) -> list[list]:
    """A job's stored notices in the current five-element form."""
    return [RowNotice.from_list(item).as_list() for item in notices]


def counts(job) -> dict[str, int]:
    """A job's notice counts per kind (a job checked before the kinds: its total, all dates)."""
    if job.notice_counts:
        return {kind: int(n) for kind, n in job.notice_counts.items() if n}
    return {DATE: job.notice_count} if job.notice_count else {}
