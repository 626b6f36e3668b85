"""When jobs are due and which period they cover, with a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    JobName,
    latest_due,
    period_end,
    period_for,
    previous_week,
    retry_delay,
    week_bounds,
)

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("job", "now", "period"),
    [
        (JobName.REPORT_WINDOW_OPEN, "2026-11-24 09:00", "2026-11"),
        (JobName.REPORT_WINDOW_OPEN, "2026-11-30 23:00", "2026-11"),  # caught up late
        (JobName.REPORT_WINDOW_OPEN, "2026-11-24 08:59", None),
        (JobName.REPORT_WINDOW_OPEN, "2026-11-23 12:00", None),
        (JobName.REPORT_WINDOW_OPEN, "2028-02-23 09:30", "2028-02"),  # leap February
        (JobName.REPORT_WINDOW_OPEN, "2026-02-22 09:30", "2026-02"),
        (JobName.REPORT_WINDOW_OPEN, "2026-02-21 09:30", None),
        (JobName.REPORT_REMINDERS, "2026-11-27 19:00", "2026-11-27"),
        (JobName.REPORT_REMINDERS, "2026-11-27 18:59", None),
        (JobName.REPORT_REMINDERS, "2026-11-20 20:00", None),
        (JobName.MONTH_CLOSE, "2026-12-01 09:00", "2026-11"),
        (JobName.MONTH_CLOSE, "2027-01-05 10:00", "2026-12"),
        (JobName.MONTH_CLOSE, "2027-03-01 08:00", "2027-01"),  # before 09:00: last month's due
        (JobName.WEEKLY_SUMMARY, "2026-11-23 09:00", "2026-W47"),
        (JobName.WEEKLY_SUMMARY, "2026-11-22 23:00", "2026-W46"),
        (JobName.UNIT_FEEDBACK, "2026-10-01 09:00", "2026-Q3"),
        (JobName.UNIT_FEEDBACK, "2026-11-22 10:00", "2026-Q3"),  # caught up in the quarter
        (JobName.UNIT_FEEDBACK, "2027-01-01 08:59", "2026-Q3"),  # before 09:00: Q3's is due
        (JobName.UNIT_FEEDBACK, "2027-01-01 09:00", "2026-Q4"),
    ],
)
def test_latest_due(job: JobName, now: str, period: str | None) -> None:
    due = latest_due(job, at(now), TZ, 7)
    if period is None:
        assert due is None or due.period != period_for(job, at(now), TZ)
        if job in (JobName.REPORT_WINDOW_OPEN, JobName.REPORT_REMINDERS):
            assert due is None
    else:
        assert due is not None and due.period == period


def test_month_close_before_nine_on_the_first() -> None:
    due = latest_due(JobName.MONTH_CLOSE, at("2027-03-01 08:00"), TZ, 7)
    assert due is not None and due.at == at("2027-02-01 09:00") and due.period == "2027-01"


def test_whole_month_window() -> None:
    due = latest_due(JobName.REPORT_WINDOW_OPEN, at("2026-11-01 09:00"), TZ, 31)
    assert due is not None and due.period == "2026-11"


def test_week_periods() -> None:
    assert previous_week(at("2027-01-04 09:00").date()) == "2026-W53"
    start, end = week_bounds("2026-W47", TZ)
    assert (start, end) == (at("2026-11-16 00:00"), at("2026-11-23 00:00"))


def test_shop_and_year_close_due() -> None:
    due = latest_due(JobName.REDEMPTION_WINDOW_OPEN, at("2026-12-18 09:00"), TZ, 7, 14)
    assert due is not None and due.period == "2026-Q4"
    assert latest_due(JobName.REDEMPTION_WINDOW_OPEN, at("2026-12-17 12:00"), TZ, 7, 14) is None
    due = latest_due(JobName.YEAR_CLOSE, at("2027-01-01 09:00"), TZ, 7)
    assert due is not None and due.period == "2026"
    assert latest_due(JobName.YEAR_CLOSE, at("2027-01-01 08:00"), TZ, 7) is None
    assert latest_due(JobName.YEAR_CLOSE, at("2027-06-01 10:00"), TZ, 7) is None


def test_16_4_retry_backoff_doubles_up_to_an_hour() -> None:
    minutes = [retry_delay(n) / timedelta(minutes=1) for n in range(1, 9)]
    assert minutes == [5, 10, 20, 40, 60, 60, 60, 60]
    assert retry_delay(10_000) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("job", "run_at", "end"),
    [
        (JobName.MONTH_CLOSE, "2026-12-01 09:00", "2026-12-01 00:00"),
        (JobName.WEEKLY_SUMMARY, "2026-11-23 09:00", "2026-11-23 00:00"),
        (JobName.UNIT_FEEDBACK, "2027-01-01 09:00", "2027-01-01 00:00"),
        (JobName.YEAR_CLOSE, "2027-01-01 09:00", "2027-01-01 00:00"),
        (JobName.REPORT_WINDOW_OPEN, "2026-11-24 09:00", "2026-12-01 00:00"),
        (JobName.REPORT_REMINDERS, "2026-11-27 19:00", "2026-11-28 00:00"),
        (JobName.REDEMPTION_WINDOW_OPEN, "2026-12-18 09:00", "2027-01-01 00:00"),
    ],
)
def test_16_27_each_run_knows_when_its_period_ended(job: JobName, run_at: str, end: str) -> None:
    """16.27: a deployment started after this moment never saw the period: not caught up."""
    assert period_end(job, at(run_at), TZ) == at(end)
    assert period_end(JobName.TASK_REMINDERS, at(run_at), TZ) is None
