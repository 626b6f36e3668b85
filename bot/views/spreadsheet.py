"""The sheets (.xlsx) secretaries get: the month's report sheet (month close, /export) and the
year's selection.

Written with XlsxWriter, row by row in its constant-memory mode: 60,000 rows take about two
seconds. Every text is written as a string (``write_string``), so a name or a note starting
with ``=``, ``+``, ``-`` or ``@`` is never a formula; control characters are dropped.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.domain.forms import printable
from bot.domain.models import RosterEntry
from bot.domain.timeutil import from_db, local_text
from bot.i18n import N_, Translator
from bot.storage.reports import ReportRow, YearRow
from bot.storage.units import UnitMemberQuarter, UnitStanding

if TYPE_CHECKING:
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

MONTH_COLUMNS = (
    N_("xlsx.member"),
    N_("xlsx.unit"),
    N_("xlsx.compound"),
    N_("xlsx.reported_at"),
    N_("xlsx.note"),
    N_("xlsx.tasks"),
    N_("xlsx.points"),
    N_("xlsx.reachable"),
)
YEAR_COLUMNS = (
    N_("xlsx.rank"),
    N_("xlsx.member"),
    N_("xlsx.unit"),
    N_("xlsx.compound"),
    N_("xlsx.year_points"),
    N_("xlsx.months"),
    N_("xlsx.tasks"),
)

UNIT_COLUMNS = (
    N_("xlsx.member"),
    N_("xlsx.member_type"),
    N_("xlsx.months_reported"),
    N_("xlsx.tasks"),
    N_("xlsx.hours"),
    N_("xlsx.quarter_points"),
    N_("xlsx.wishes"),
)
UNIT_RANK_COLUMNS = (
    N_("xlsx.rank"),
    N_("xlsx.unit"),
    N_("xlsx.unit_members"),
    N_("xlsx.unit_earned"),
    N_("xlsx.unit_granted"),
    N_("xlsx.year_points"),
)
NOT_ENROLLED_COLUMNS = (
    N_("xlsx.number"),
    N_("xlsx.member"),
    N_("xlsx.phone"),
    N_("xlsx.unit"),
    N_("xlsx.member_type"),
    N_("xlsx.compound"),
)


def write_row(sheet: Worksheet, row: int, values: Sequence[object], style: Any = None) -> None:
    """One row: text as text (never a formula), numbers as numbers, nothing for None."""
    for column, value in enumerate(values):
        if isinstance(value, str):
            sheet.write_string(row, column, printable(value), style)
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value, style)
        elif value is not None:
            sheet.write_string(row, column, printable(str(value)), style)


def _book() -> tuple[io.BytesIO, xlsxwriter.Workbook, Any]:
    import xlsxwriter  # in the rendering workers only

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    return buffer, book, book.add_format({"bold": True})


def month_sheet(tr: Translator, month: str, rows: list[ReportRow], tz: ZoneInfo) -> bytes:
    """One row per in-service member: reported when, note, tasks served, points."""
    buffer, book, bold = _book()
    sheet = book.add_worksheet(month)
    for column, width in enumerate((14, 20, 16, 18, 30, 10, 10, 10)):
        sheet.set_column(column, column, width)
    write_row(sheet, 0, [tr(key) for key in MONTH_COLUMNS], bold)
    yes, no = tr("mydata.roster_yes"), tr("mydata.roster_no")
    for number, row in enumerate(rows, start=1):
        reported = local_text(from_db(row.reported_at), tz) if row.reported_at else ""
        values = [row.name, row.work_unit, row.compound, reported, row.note]
        write_row(sheet, number, [*values, row.tasks_served, row.points])
        reachable = yes if row.reachable else no
        sheet.write_string(number, 7, reachable if row.enrolled else tr("xlsx.not_enrolled"))
    book.close()
    return buffer.getvalue()


def selection_sheet(
    tr: Translator,
    year: str,
    top: list[YearRow],
    bottom: list[tuple[int, YearRow]],
    units: Sequence[UnitStanding] = (),
) -> bytes:
    """Three sheets: the top 10 and the bottom 3, with each member's report record, and the
    work units' accounts (their members' points and the points granted for co-building)."""
    buffer, book, bold = _book()
    sections = ((tr("xlsx.top"), list(enumerate(top, start=1))), (tr("xlsx.bottom"), bottom))
    for title, rows in sections:
        sheet = book.add_worksheet(f"{year} {title}"[:31])
        write_row(sheet, 0, [tr(key) for key in YEAR_COLUMNS], bold)
        for number, (place, row) in enumerate(rows, start=1):
            values = [place, row.name, row.work_unit, row.compound, row.points]
            write_row(sheet, number, [*values, row.months_reported, row.tasks_served])
    sheet = book.add_worksheet(f"{year} {tr('xlsx.units')}"[:31])
    write_row(sheet, 0, [tr(key) for key in UNIT_RANK_COLUMNS], bold)
    for place, unit in enumerate(units, start=1):
        write_row(
            sheet, place, [place, unit.name, unit.members, unit.earned, unit.granted, unit.points]
        )
    book.close()
    return buffer.getvalue()


def unit_sheet(
    tr: Translator,
    title: str,
    quarter: str,
    rows: list[UnitMemberQuarter],
    types: dict[str, str],
    not_enrolled: Sequence[RosterEntry] = (),
) -> bytes:
    """A unit's feedback (反馈单): one row per member, what they did in the quarter; then
    the unit's roster people who never enrolled (未登记), for the liaison to follow up."""
    buffer, book, bold = _book()
    sheet = book.add_worksheet(quarter)
    for column, width in enumerate((14, 12, 24, 10, 16, 12, 10)):
        sheet.set_column(column, column, width)
    write_row(sheet, 0, [title], bold)
    write_row(sheet, 1, [tr(key) for key in UNIT_COLUMNS], bold)
    for number, row in enumerate(rows, start=2):
        months = " ".join(row.months)
        values = [row.name, types.get(row.member_type, ""), months, row.tasks, row.hours]
        write_row(sheet, number, [*values, row.points, row.wishes])
    if not_enrolled:
        _not_enrolled_rows(book, bold, tr, title, not_enrolled, types)
    book.close()
    return buffer.getvalue()


def not_enrolled_sheet(
    tr: Translator, title: str, entries: Sequence[RosterEntry], types: dict[str, str]
) -> bytes:
    """The roster people who never enrolled, by unit: whom to phone, or whose unit to ask."""
    buffer, book, bold = _book()
    _not_enrolled_rows(book, bold, tr, title, entries, types)
    book.close()
    return buffer.getvalue()


def _not_enrolled_rows(
    book: xlsxwriter.Workbook,
    bold: Any,
    tr: Translator,
    title: str,
    entries: Sequence[RosterEntry],
    types: dict[str, str],
) -> None:
    sheet = book.add_worksheet(tr.plain("xlsx.not_enrolled")[:31])
    for column, width in enumerate((6, 14, 16, 24, 10, 16)):
        sheet.set_column(column, column, width)
    write_row(sheet, 0, [title], bold)
    write_row(sheet, 1, [tr(key) for key in NOT_ENROLLED_COLUMNS], bold)
    for number, entry in enumerate(entries, start=1):
        kind = types.get(entry.member_type, "")
        values = [number, entry.name, entry.phone, entry.work_unit, kind, entry.compound]
        write_row(sheet, number + 1, values)
