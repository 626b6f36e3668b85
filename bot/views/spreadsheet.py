"""The month's report sheet (.xlsx) secretaries get at the month close and from /export."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.forms import printable
from bot.domain.timeutil import from_db, local_text
from bot.i18n import N_, Translator
from bot.storage.reports import ReportRow

COLUMNS = (
    N_("xlsx.member"),
    N_("xlsx.unit"),
    N_("xlsx.compound"),
    N_("xlsx.reported_at"),
    N_("xlsx.note"),
    N_("xlsx.tasks"),
    N_("xlsx.points"),
    N_("xlsx.reachable"),
)


def append_row(sheet: Worksheet, values: list[object]) -> None:
    """A row whose text stays text: a name or note starting with ``=`` is not a formula.

    openpyxl stores a string that starts with ``=`` as a formula; every string cell is
    typed as a string instead, so no spreadsheet program evaluates what a member wrote.
    Control characters, which openpyxl refuses, are dropped.
    """
    sheet.append([printable(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def month_sheet(tr: Translator, month: str, rows: list[ReportRow], tz: ZoneInfo) -> bytes:
    """One row per in-service member: reported when, note, tasks served, points."""
    book = Workbook()
    sheet = book.active
    sheet.title = month
    sheet.append([tr(key) for key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes, no = tr("mydata.roster_yes"), tr("mydata.roster_no")
    for row in rows:
        append_row(
            sheet,
            [
                row.name,
                row.work_unit,
                row.compound,
                local_text(from_db(row.reported_at), tz) if row.reported_at else "",
                row.note,
                row.tasks_served,
                row.points,
                yes if row.reachable else no,
            ],
        )
    for letter, width in zip("ABCDEFGH", (14, 20, 16, 18, 30, 10, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
