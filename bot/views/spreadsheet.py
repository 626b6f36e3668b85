"""The sheets (.xlsx) secretaries get: the month's report sheet (month close, /export) and the
year's selection.

Written with XlsxWriter, row by row in its constant-memory mode: 60,000 rows take about two
seconds. Every text is written as a string (``write_string``), so a name or a note starting
with ``=``, ``+``, ``-`` or ``@`` is never a formula; control characters are dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.domain.forms import printable
from bot.domain.models import RosterEntry
from bot.domain.timeutil import from_db
from bot.i18n import N_, Translator
from bot.storage.reports import ReportRow, YearRow
from bot.storage.units import UnitMemberQuarter, UnitStanding

if TYPE_CHECKING:
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

# the month sheet's columns and their widths; the phone column only when a phone is stored
MONTH_COLUMNS = (
    (N_("xlsx.number"), 6),
    (N_("xlsx.member"), 12),
    (N_("xlsx.phone"), 14),
    (N_("xlsx.unit"), 20),
    (N_("xlsx.compound"), 14),
    (N_("xlsx.reported"), 10),
    (N_("xlsx.reported_at"), 17),
    (N_("xlsx.note"), 30),
    (N_("xlsx.tasks"), 10),
    (N_("xlsx.points"), 10),
    (N_("xlsx.reachable"), 12),
)
YEAR_WIDTHS = (6, 12, 20, 14, 10, 10, 10)
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
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


def new_book() -> tuple[io.BytesIO, xlsxwriter.Workbook, Any]:
    """A workbook written row by row into memory, and its bold style."""
    import xlsxwriter  # in the rendering workers only

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    return buffer, book, book.add_format({"bold": True})


def file_name(text: str) -> str:
    """A file name as the reader reads it (``田森社区-2026年12月回家日报到.xlsx``): the
    characters no file system takes are replaced."""
    return _NOT_IN_FILE_NAMES.sub("_", text).strip(" .") + ".xlsx"


def month_title(tr: Translator, community: str, month: str) -> str:
    """``田森社区 2026年12月回家日报到表``: the sheet's title row."""
    year, number = month.split("-")
    return tr.plain("xlsx.month_title", community=community, year=year, month=int(number))


def month_file_name(tr: Translator, community: str, month: str) -> str:
    """``田森社区-2026年12月回家日报到.xlsx``."""
    year, number = month.split("-")
    name = tr.plain("xlsx.month_file", community=community, year=year, month=int(number))
    return file_name(name)


def title_row(book: xlsxwriter.Workbook, sheet: Worksheet, title: str, columns: int) -> None:
    """The title row across the sheet's columns, above the headers."""
    style = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    sheet.set_row(0, 24)
    sheet.merge_range(0, 0, 0, columns - 1, printable(title), style)


def month_sheet(
    tr: Translator, month: str, rows: list[ReportRow], tz: ZoneInfo, community: str = ""
) -> bytes:
    """The sheet a secretary hands over: a title row (community, month), then one row per
    in-service person: 序号, name, phone (when stored), unit, 是否报到, the report's time as a
    date-time cell, note, tasks served, points; then the totals. The headers stay in view."""
    buffer, book, bold = new_book()
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet(month)
    phones = any(row.phone for row in rows)
    columns = [(key, width) for key, width in MONTH_COLUMNS if phones or key != "xlsx.phone"]
    for column, (_, width) in enumerate(columns):
        sheet.set_column(column, column, width)
    title_row(book, sheet, month_title(tr, community, month), len(columns))
    write_row(sheet, 1, [tr.plain(key) for key, _ in columns], bold)
    sheet.freeze_panes(2, 0)
    yes, no = tr.plain("mydata.roster_yes"), tr.plain("mydata.roster_no")
    never = tr.plain("xlsx.not_enrolled")
    reported_column = [key for key, _ in columns].index("xlsx.reported_at")
    for number, row in enumerate(rows, start=1):
        reachable = (yes if row.reachable else no) if row.enrolled else never
        values: list[object] = [number, row.name, *([row.phone] if phones else [])]
        values += [row.work_unit, row.compound, yes if row.reported_at else no, None, row.note]
        write_row(sheet, number + 1, [*values, row.tasks_served, row.points, reachable])
        if row.reported_at:  # a date-time cell, in local time (Excel has no time zones)
            moment = from_db(row.reported_at).astimezone(tz).replace(tzinfo=None)
            sheet.write_datetime(number + 1, reported_column, moment, when)
    reported = sum(1 for row in rows if row.reported_at)
    totals: list[object] = [tr.plain("xlsx.total"), None, *([None] if phones else [])]
    totals += [None, None, f"{reported}/{len(rows)}", None, None]
    totals += [sum(r.tasks_served for r in rows), sum(r.points for r in rows)]
    write_row(sheet, len(rows) + 2, totals, bold)
    book.close()
    return buffer.getvalue()


def selection_file_name(tr: Translator, community: str, year: str) -> str:
    """``田森社区-2026年度评选.xlsx``."""
    return file_name(tr.plain("xlsx.year_file", community=community, year=year))


def selection_sheet(
    tr: Translator,
    year: str,
    top: list[YearRow],
    bottom: list[tuple[int, YearRow]],
    units: Sequence[UnitStanding] = (),
    community: str = "",
) -> bytes:
    """Three sheets: the top 10 and the bottom 3, with each member's report record, and the
    work units' accounts (their members' points and the points granted for co-building);
    each with a title row (community, year, which list), widths and its headers in view."""
    buffer, book, bold = new_book()
    sections = (
        (tr.plain("xlsx.top"), list(enumerate(top, start=1))),
        (tr.plain("xlsx.bottom"), bottom),
    )
    for title, rows in sections:
        sheet = book.add_worksheet(f"{year} {title}"[:31])
        for column, width in enumerate(YEAR_WIDTHS):
            sheet.set_column(column, column, width)
        heading = tr.plain("xlsx.year_title", community=community, year=year, part=title)
        title_row(book, sheet, heading, len(YEAR_COLUMNS))
        write_row(sheet, 1, [tr.plain(key) for key in YEAR_COLUMNS], bold)
        sheet.freeze_panes(2, 0)
        for number, (place, row) in enumerate(rows, start=2):
            values = [place, row.name, row.work_unit, row.compound, row.points]
            write_row(sheet, number, [*values, row.months_reported, row.tasks_served])
    part = tr.plain("xlsx.units")
    sheet = book.add_worksheet(f"{year} {part}"[:31])
    for column, width in enumerate((6, 24, 8, 10, 10, 10)):
        sheet.set_column(column, column, width)
    heading = tr.plain("xlsx.year_title", community=community, year=year, part=part)
    title_row(book, sheet, heading, len(UNIT_RANK_COLUMNS))
    write_row(sheet, 1, [tr.plain(key) for key in UNIT_RANK_COLUMNS], bold)
    sheet.freeze_panes(2, 0)
    for place, unit in enumerate(units, start=1):
        write_row(
            sheet,
            place + 1,
            [place, unit.name, unit.members, unit.earned, unit.granted, unit.points],
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
    buffer, book, bold = new_book()
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
    buffer, book, bold = new_book()
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
