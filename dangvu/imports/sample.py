"""The downloadable import template: XLSX (headers, one synthetic example row, an instructions sheet) and
CSV (UTF-8 with BOM so that Excel shows Vietnamese correctly; headers and the example row)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from dangvu.imports.columns import COLUMNS, DATE, DIGITS


def _example(cell_code: str) -> list[str]:
    return [cell_code if c.key == "cell_code" else c.example for c in COLUMNS]


def xlsx_template(cell_code: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE8E8")
    sheet.append([c.label for c in COLUMNS])
    sheet.append(_example(cell_code))
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        header = sheet.cell(row=1, column=i)
        header.font = bold
        if column.required:
            header.fill = required_fill
        header.comment = Comment(str(column.note), "dangvu")
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 4)
        if column.kind in (DATE, DIGITS):
            # Text format keeps leading zeros of IDs and stops Excel from reading 03/02 as 2 March.
            for row in range(2, 1002):
                sheet.cell(row=row, column=i).number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions"))
    notes.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in notes[1]:
        cell.font = bold
    for column in COLUMNS:
        notes.append([column.label, _("Yes") if column.required else "", str(column.note), column.example])
    notes.append([])
    for line in (
        _("Fill one member per row on the first sheet, from row 2. Delete the example row."),
        _("Dates are written dd/mm/yyyy. Columns marked * are required."),
        _("A member admitted outside this system: fill the place of admission and the transfer date."),
        _("Upload the file, check the preview and the error report, then apply: nothing is written until then."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    notes.column_dimensions["D"].width = 20
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_template(cell_code: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\r\n")
    writer.writerow([c.label for c in COLUMNS])
    writer.writerow(_example(cell_code))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
