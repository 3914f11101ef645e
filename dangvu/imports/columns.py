"""The import file format: Vietnamese column headers <-> member fields.

The headers are part of the file format (offices exchange these spreadsheets), so they are fixed
Vietnamese text and not translated; the notes that explain them are translatable. A file's headers are
matched case- and diacritic-insensitively (dangvu.lib.text.fold), with or without the trailing asterisk
that marks a required column, and also when typed in a legacy encoding (dangvu.lib.legacy).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dangvu.lib import legacy
from dangvu.lib.text import fold, nfc

TEXT, DATE, SEX, THEORY, DIGITS, CODE = "text", "date", "sex", "theory", "digits", "code"


@dataclass(frozen=True)
class Column:
    key: str  # Member field name, or an event pseudo-field (cell_code, admission_date ...)
    header: str  # Vietnamese header as written in the template (without the asterisk)
    kind: str
    required: bool
    note: object  # lazy translated explanation
    example: str

    @property
    def label(self) -> str:
        """The header as written in the template: required columns carry an asterisk."""
        return f"{self.header}*" if self.required else self.header


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", TEXT, True, _("Full name as on the citizen ID card."), "Nguyễn Thị Mẫu"),
    Column("other_names", "Tên gọi khác", TEXT, False, _("Other names, if any."), ""),
    Column("sex", "Giới tính", SEX, True, _("Nam or Nữ."), "Nữ"),
    Column("birth_date", "Ngày sinh", DATE, True, _("Date of birth, dd/mm/yyyy."), "15/04/1990"),
    Column("birth_place", "Nơi sinh", TEXT, False, _("Place of birth."), "Cần Thơ"),
    Column("home_town", "Quê quán", TEXT, False, _("Home town."), "Cần Thơ"),
    Column("residence", "Nơi ở hiện nay", TEXT, False, _("Current residence."), "Phường Ninh Kiều, Cần Thơ"),
    Column("ethnicity", "Dân tộc", TEXT, False, _("Ethnicity; empty means Kinh."), "Kinh"),
    Column("religion", "Tôn giáo", TEXT, False, _("Religion; empty means none."), ""),
    Column(
        "citizen_id",
        "Số CCCD",
        DIGITS,
        False,
        _(
            "Citizen ID: 12 digits: the province code, a digit for sex and century (0 or 1 for men and women born "
            "1900–1999, 2 or 3 for 2000–2099), the last two digits of the year of birth, then 6 digits. It must "
            "agree with the sex and the date of birth. Format the column as text so that leading zeros are kept."
        ),
        "092190000001",
    ),
    Column("occupation", "Nghề nghiệp", TEXT, False, _("Occupation."), "Công chức"),
    Column("position", "Chức vụ", TEXT, False, _("Position."), "Chuyên viên"),
    Column(
        "general_education", "Trình độ giáo dục phổ thông", TEXT, False, _("General education, e.g. 12/12."), "12/12"
    ),
    Column("professional_degree", "Trình độ chuyên môn", TEXT, False, _("Professional degree."), "Cử nhân Luật"),
    Column(
        "political_theory",
        "Lý luận chính trị",
        THEORY,
        False,
        _("Political theory: Sơ cấp, Trung cấp, Cao cấp or Cử nhân; empty means none."),
        "Trung cấp",
    ),
    Column("foreign_language", "Ngoại ngữ", TEXT, False, _("Foreign language."), "Tiếng Anh B1"),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        DIGITS,
        False,
        _("Party card number: 6 to 16 digits. Format the column as text so that leading zeros are kept."),
        "",
    ),
    Column(
        "cell_code",
        "Mã chi bộ",
        CODE,
        True,
        _("Code of the party cell the member belongs to (shown on the organisation page); it must be in your scope."),
        "",
    ),
    Column(
        "admission_date",
        "Ngày vào Đảng",
        DATE,
        True,
        _("Date of the admission decision, dd/mm/yyyy. Party age counts from this date."),
        "03/02/2020",
    ),
    Column(
        "official_date",
        "Ngày chính thức",
        DATE,
        False,
        _(
            "Date of the decision recognising official membership, dd/mm/yyyy; empty means the member is still "
            "probationary. It cannot be before the end of probation. The record's official-membership date is the "
            "end of probation; the preview shows the rows where it differs."
        ),
        "05/02/2021",
    ),
    Column(
        "admission_place",
        "Nơi kết nạp",
        TEXT,
        False,
        _(
            "Only for members admitted in an organisation outside this system: where they were admitted. "
            "Then the transfer date is required too."
        ),
        "",
    ),
    Column(
        "transfer_date",
        "Ngày chuyển đến",
        DATE,
        False,
        _("Only with the place of admission: date the member transferred into the cell, dd/mm/yyyy."),
        "",
    ),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
_BY_FOLDED: dict[str, Column] = {fold(c.header): c for c in COLUMNS}
# Member fields taken from the file as they are (after normalisation).
MEMBER_FIELDS = [
    c.key
    for c in COLUMNS
    if c.key not in {"cell_code", "admission_date", "official_date", "admission_place", "transfer_date"}
]

SEX_VALUES = {"nam": "M", "nu": "F"}
THEORY_VALUES = {"so cap": "elementary", "trung cap": "intermediate", "cao cap": "advanced", "cu nhan": "bachelor"}

# The synthetic example row of the template: a row equal to it in a file is refused, so that forgetting to
# delete it never creates a member.
EXAMPLE_MARK = ("nguyen thi mau", "092190000001")


def match_header(text: object) -> Column | None:
    """The column a header cell names, ignoring case, diacritics, spaces and a trailing asterisk."""
    if text is None:
        return None
    folded = fold(str(text)).rstrip("*").strip()
    column = _BY_FOLDED.get(folded)
    if column is None and not str(text).isascii():
        # Headers typed in TCVN3 or VNI ("Hä vµ tªn", "Sè CCCD"): read in each encoding, a header only if it
        # then names a column (issue 16 item 10).
        for encoding in legacy.ENCODINGS:
            column = _BY_FOLDED.get(fold(legacy.convert(nfc(str(text)), encoding)).rstrip("*").strip())
            if column is not None:
                break
    if column is None and folded in BY_KEY:  # machine-made rows may use the field names
        column = BY_KEY[folded]
    return column
