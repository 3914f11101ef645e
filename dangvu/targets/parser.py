"""Targets read from the text of a resolution (issue 13 item 9): the targets section pasted as written
("2. Chỉ tiêu cụ thể (1) Ít nhất 98% cán bộ, đảng viên …") is read by rules into proposed targets — kind,
threshold and comparison, period, subject, indicator — for a person to confirm; nothing is written here.

The reading, item by item ("(1)", "1.", "a)" or one line each):
- each figure of an item is one target ("ít nhất 95% đảng viên và trên 90% tổ chức cơ sở đảng …": two); its
  comparison from the words just before it: floors "ít nhất", "tối thiểu", "trên" (strict), "từ … trở lên",
  "đạt", "hơn"; ceilings "không quá", "tối đa", "dưới" (strict), "không vượt quá", "không để"; a bare figure
  ("100% tổ chức cơ sở đảng …") is read as a floor and said so;
- a percentage is a floor or a ceiling on a share; a number is a count over the period (or a ceiling on one);
  a number per unit ("02 chuyên đề mỗi chi bộ mỗi năm", "2 chuyên đề/chi bộ/năm") is a rate;
- "không để (xảy ra) …" without a figure is a ceiling of 0; an item with no figure is qualitative;
- numbers as Vietnamese writes them: "1.000" (thousands), "98,5%" (decimal comma), "01%" (leading zero);
- the period from "hằng năm", "hàng năm", "mỗi năm" (yearly) or "nhiệm kỳ" (the term), the clause's own
  words first, then the item's; none stated: the term, said so;
- the subject from the words after the figure (đảng viên, tổ chức cơ sở đảng, chi bộ, cán bộ, công chức,
  quần chúng …); the indicator from key phrases (kết nạp → admissions, kiểm tra, giám sát → coverage …),
  else the result is entered by hand.
Every guess and everything not read is said in the proposal's `notes`; lines that are no item (a heading)
are returned in `unread`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from dangvu.targets.models import Kind, Period, Source, Subject

NUMBER = r"(?P<number>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)"
FIGURE = re.compile(NUMBER + r"(?P<percent>\s*%)?")
# Item marks, the first style found in the text: "(1)" anywhere, else "1." / "1)" / "a)" / "-" at a line's start.
ITEM_STYLES = [
    re.compile(r"(?:^|(?<=\s))\((?P<n>\d{1,3})\)\s"),
    re.compile(r"(?m)^\s*(?P<n>\d{1,3})[.)]\s"),
    re.compile(r"(?m)^\s*[a-zđ]\)\s"),
    re.compile(r"(?m)^\s*[-–•+]\s"),
]

# Comparisons just before a figure (longest first): (words, kind of comparison, strict).
FLOOR, CEILING = "floor", "ceiling"
COMPARISONS = [
    ("không vượt quá", CEILING, False),
    ("không quá", CEILING, False),
    ("không để quá", CEILING, False),
    ("không để", CEILING, False),
    ("tối đa", CEILING, False),
    ("dưới", CEILING, True),
    ("ít hơn", CEILING, True),
    ("ít nhất", FLOOR, False),
    ("tối thiểu", FLOOR, False),
    ("trên", FLOOR, True),
    ("hơn", FLOOR, True),
    ("từ", FLOOR, False),  # "từ 30 đảng viên trở lên"
    ("đạt", FLOOR, False),
]
YEARLY = re.compile(r"\b(hằng năm|hàng năm|mỗi năm|trong năm|/\s*năm)", re.IGNORECASE)
TERM = re.compile(r"nhiệm kỳ", re.IGNORECASE)
PER_UNIT = re.compile(
    r"^[^;,.]{0,40}?(?:mỗi\s+|/\s*)(?:một\s+)?(chi bộ|đảng bộ|tổ chức|đảng viên|cơ sở)", re.IGNORECASE
)
NO_FIGURE_CEILING = re.compile(r"không để (?:xảy ra|có|phát sinh)?", re.IGNORECASE)

# Subjects by the words after the figure, earliest first.
SUBJECTS = [
    ("cán bộ, đảng viên", Subject.MEMBERS),
    ("cấp ủy viên", Subject.MEMBERS),
    ("cấp uỷ viên", Subject.MEMBERS),
    ("đảng viên", Subject.MEMBERS),
    ("tổ chức cơ sở đảng", Subject.GRASSROOTS),
    ("tổ chức đảng", Subject.GRASSROOTS),
    ("tccsđ", Subject.GRASSROOTS),
    ("đảng bộ cơ sở", Subject.GRASSROOTS),
    ("chi bộ", Subject.CELLS),
    ("cán bộ", Subject.STAFF),
    ("công chức", Subject.STAFF),
    ("viên chức", Subject.STAFF),
    ("người lao động", Subject.STAFF),
    ("quần chúng", Subject.STAFF),
]
# Indicators by key phrases of the item (the first that matches and fits the subject and unit).
INDICATORS = [
    (("kết nạp",), Subject.MEMBERS, Kind.COUNT, "admission.admissions"),
    (("chính thức",), Subject.MEMBERS, Kind.COUNT, "admission.officials"),
    (("không hoàn thành nhiệm vụ", "vi phạm tư cách"), Subject.MEMBERS, Kind.CEILING, "reviews.members_not_completed"),
    (("hoàn thành tốt nhiệm vụ",), Subject.MEMBERS, Kind.FLOOR, "reviews.members_good"),
    (("kỷ luật",), Subject.MEMBERS, Kind.CEILING, "discipline.members"),
    (("kiểm tra", "giám sát"), Subject.GRASSROOTS, Kind.FLOOR, "inspection.coverage"),
    (("chuyên đề",), Subject.CELLS, Kind.RATE, "meetings.thematic_per_cell"),
    (("sinh hoạt định kỳ", "sinh hoạt thường kỳ"), Subject.CELLS, Kind.FLOOR, "meetings.regular_months"),
]


@dataclass
class Proposal:
    item: int  # the item's number as written ("(3)")
    text: str  # the item as written
    kind: str
    period: str
    subject: str
    source: str = Source.MANUAL
    threshold: Decimal | None = None
    strict: bool = False
    indicator: str = ""
    figure: str = ""  # the figure as written ("98,5%")
    notes: list[str] = field(default_factory=list)

    position: int = 0  # the number proposed for the target in the resolution

    @property
    def comparison(self) -> str:
        if self.kind == Kind.QUALITATIVE:
            return ""
        if self.kind == Kind.CEILING:
            return "<" if self.strict else "≤"
        return ">" if self.strict else "≥"


@dataclass
class Reading:
    proposals: list[Proposal] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # text that is no target (headings), as written


def number(text: str) -> Decimal:
    """A Vietnamese number: "1.000" → 1000, "98,5" → 98.5, "01" → 1."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return Decimal(text.replace(".", ""))
    return Decimal(text.replace(",", "."))


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = re.sub(r"[“”\"]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def items(text: str) -> tuple[list[tuple[int | None, str]], list[str]]:
    """The items of the section (their number as written, if any) and the lines before the first one."""
    text = unicodedata.normalize("NFC", text or "")
    marks = next((found for style in ITEM_STYLES if (found := list(style.finditer(text)))), [])
    if not marks:  # no numbering: one item a non-empty line
        lines = [_clean(line) for line in text.splitlines() if _clean(line)]
        return [(None, line) for line in lines], []
    head = _clean(text[: marks[0].start()])
    found = []
    for mark, following in zip(marks, marks[1:] + [None], strict=True):
        body = _clean(text[mark.end() : following.start() if following else len(text)])
        digits = mark.groupdict().get("n")
        found.append((int(digits) if digits else None, body))
    return found, [head] if head else []


def _comparison(before: str) -> tuple[str | None, bool]:
    tail = before.lower().rstrip()
    for words, comparison, strict in COMPARISONS:
        if re.search(r"(?:^|\W)" + re.escape(words) + r"$", tail):
            return comparison, strict
    return None, False


def _subject(after: str) -> str | None:
    lowered = after.lower()
    best = None
    for words, subject in SUBJECTS:
        at = lowered.find(words)
        if at != -1 and (best is None or at < best[0]):
            best = (at, subject)
    return best[1] if best else None


def _period(clause: str, item: str) -> tuple[str, bool]:
    for text in (clause, item):
        if YEARLY.search(text):
            return Period.YEAR, True
        if TERM.search(text):
            return Period.TERM, True
    return Period.TERM, False


def _indicator(item: str, subject: str, kind: str) -> str:
    lowered = item.lower()
    for phrases, wanted_subject, wanted_kind, key in INDICATORS:
        if subject != wanted_subject or not any(p in lowered for p in phrases):
            continue
        if wanted_kind == kind or (wanted_kind in (Kind.FLOOR, Kind.CEILING) and kind in (Kind.FLOOR, Kind.CEILING)):
            return key
    return ""


def _clauses(item: str) -> list[tuple[int, int]]:
    """(start, end) of the item's clauses: split at ";" and at sentence ends."""
    spans, start = [], 0
    for mark in re.finditer(r";|\.(?=\s+[A-ZĐÀ-Ỹ])", item):
        spans.append((start, mark.start()))
        start = mark.end()
    spans.append((start, len(item)))
    return spans


def _read_item(position: int, item: str) -> list[Proposal]:
    proposals = []
    for start, end in _clauses(item):
        clause = item[start:end]
        figures = [m for m in FIGURE.finditer(clause) if not _is_year_or_label(clause, m)]
        for i, match in enumerate(figures):
            after_end = figures[i + 1].start() if i + 1 < len(figures) else len(clause)
            after = clause[match.end() : after_end]
            before = clause[figures[i - 1].end() if i else 0 : match.start()]
            proposals.append(_proposal(position, item, clause, match, before, after))
        if not figures and NO_FIGURE_CEILING.search(clause):
            p = Proposal(position, item, Kind.CEILING, *_period_only(clause, item), threshold=Decimal(0))
            p.subject = _subject(clause) or Subject.OTHER
            p.notes.append(_("'Không để' without a figure: read as none at all (a ceiling of 0)."))
            proposals.append(p)
    if not proposals:
        period, _stated = _period(item, item)
        p = Proposal(position, item, Kind.QUALITATIVE, period, _subject(item) or Subject.OTHER)
        p.notes.append(_("No figure read: proposed as a qualitative target, judged on evidence entered by hand."))
        proposals.append(p)
    return proposals


def _period_only(clause: str, item: str) -> tuple[str, str]:
    return _period(clause, item)[0], Subject.OTHER


def _is_year_or_label(clause: str, match: re.Match) -> bool:
    """A year ("2025 - 2030"), a document number ("09-HD/ĐUK") or a grade, not a figure."""
    value = match.group("number")
    if match.group("percent"):
        return False
    if re.fullmatch(r"(19|20)\d\d", value):
        return True
    around = clause[max(0, match.start() - 6) : match.end() + 2]
    return bool(re.search(r"số\s*$|-[A-ZĐ]", around)) or clause[match.end() : match.end() + 1] in ("-", "/")


def _proposal(position: int, item: str, clause: str, match: re.Match, before: str, after: str) -> Proposal:
    figure = match.group(0).strip()
    value = number(match.group("number"))
    percent = bool(match.group("percent"))
    comparison, strict = _comparison(before)
    period, period_stated = _period(clause, item)
    subject = _subject(after)
    notes = []
    if comparison is None:
        comparison = FLOOR
        notes.append(_("No comparison word before %(figure)s: read as 'at least'.") % {"figure": figure})
    if percent:
        kind = comparison
        if value > 100:
            notes.append(_("A percentage over 100: check the figure."))
    elif PER_UNIT.search(after):
        kind = Kind.RATE if comparison == FLOOR else Kind.CEILING
        notes.append(_("A number per unit: the threshold is per unit and year."))
    else:
        kind = Kind.COUNT if comparison == FLOOR else Kind.CEILING
    if kind == Kind.COUNT and strict:
        notes.append(_("'Trên' a count: recorded as at least the figure; edit it if strictly more is meant."))
        strict = False
    if not period_stated:
        notes.append(_("No period stated: judged over the term."))
    if subject is None:
        subject = Subject.OTHER
        notes.append(_("What is counted was not recognised."))
    proposal = Proposal(position, item, kind, period, subject, threshold=value, strict=strict, figure=figure)
    proposal.indicator = _indicator(clause, subject, kind) or _indicator(item, subject, kind)
    if proposal.indicator:
        proposal.source = Source.INDICATOR
    else:
        notes.append(_("No indicator measures this: the result is entered by hand with its evidence."))
    proposal.notes = notes
    return proposal


def read(text: str, first: int = 1) -> Reading:
    """Propose targets from the targets section of a resolution: `item` is the item's number as written,
    `position` numbers the proposals from `first` (an item with two figures gives two targets)."""
    found, head = items(text)
    reading = Reading(unread=head)
    for n, (number_as_written, body) in enumerate(found, start=1):
        if body:
            reading.proposals.extend(_read_item(number_as_written or n, body))
    for position, proposal in enumerate(reading.proposals, start=first):
        proposal.position = position
    return reading
