"""A task's attendance sheet (签到表, 17.18): the .xlsx, its file name and its caption."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.attendance import Attendance
from bot.domain.signups import SignupStatus
from bot.i18n import N_, Translator
from bot.views.spreadsheet import file_name, new_book, title_row, write_row
from bot.views.times import MONTHS, span_text

COLUMNS = (
    (N_("xlsx.number"), 6),
    (N_("xlsx.member"), 12),
    (N_("xlsx.unit"), 20),
    (N_("xlsx.phone"), 14),
    (N_("xlsx.signup_status"), 14),
    (N_("xlsx.checked_in_at"), 17),
    (N_("xlsx.points"), 8),
)
STATUS_WORDS = {
    SignupStatus.JOINED: N_("xlsx.signup.joined"),
    SignupStatus.WAITLISTED: N_("xlsx.signup.waitlisted"),
    SignupStatus.CHECKED_IN: N_("xlsx.signup.checked_in"),
    SignupStatus.APPROVED: N_("xlsx.signup.approved"),
    SignupStatus.REJECTED: N_("xlsx.signup.rejected"),
    SignupStatus.NO_SHOW: N_("xlsx.signup.no_show"),
}


def attendance_file_name(tr: Translator, attendance: Attendance, tz: ZoneInfo) -> str:
    """``田森社区-楼道杂物清理-12月27日签到表.xlsx``."""
    start = attendance.task.starts_at.astimezone(tz)
    name = tr.plain(
        "xlsx.attendance_file",
        community=attendance.community,
        title=attendance.task.title,
        month_name=tr.plain(MONTHS[start.month - 1]),
        day=start.day,
    )
    return file_name(name)


def attendance_caption(tr: Translator, attendance: Attendance) -> str:
    """One line: joined / checked in / approved / no-show (and the waitlist, when any)."""
    counts = attendance.counts
    return tr(
        "task.sheet_caption",
        title=attendance.task.title,
        joined=counts.joined,
        checked_in=counts.checked_in,
        approved=counts.approved,
        no_show=counts.no_show,
        waiting=counts.waiting,
    )


def attendance_sheet(tr: Translator, attendance: Attendance, tz: ZoneInfo) -> bytes:
    """The title row (community, task, time), the headers in view, one row per person who
    signed up (the check-in time a date-time cell in local time), then the totals."""
    buffer, workbook, bold = new_book()
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = workbook.add_worksheet(tr.plain("xlsx.attendance_sheet")[:31])
    phones = any(row.phone for row in attendance.rows)
    columns = [(key, width) for key, width in COLUMNS if phones or key != "xlsx.phone"]
    for column, (_, width) in enumerate(columns):
        sheet.set_column(column, column, width)
    task = attendance.task
    heading = tr.plain(
        "xlsx.attendance_title",
        community=attendance.community,
        title=task.title,
        time=span_text(tr, task.starts_at, task.ends_at, tz),
    )
    title_row(workbook, sheet, heading, len(columns))
    write_row(sheet, 1, [tr.plain(key) for key, _ in columns], bold)
    sheet.freeze_panes(2, 0)
    time_column = [key for key, _ in columns].index("xlsx.checked_in_at")
    for number, row in enumerate(attendance.rows, start=1):
        values: list[object] = [number, row.name, row.work_unit, *([row.phone] if phones else [])]
        values += [tr.plain(STATUS_WORDS[row.status]), None, row.points]
        write_row(sheet, number + 1, values)
        if row.checked_in_at is not None:  # Excel has no time zones: local time
            sheet.write_datetime(number + 1, time_column, _local(row.checked_in_at, tz), when)
    counts = attendance.counts
    totals: list[object] = [tr.plain("xlsx.total"), None, None, *([None] if phones else [])]
    totals += [f"{counts.checked_in}/{counts.joined}", None]
    totals.append(sum(row.points for row in attendance.rows))
    write_row(sheet, len(attendance.rows) + 2, totals, bold)
    workbook.close()
    return buffer.getvalue()


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)
