"""Task, sign-up and period rules, with a fixed clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.forms import FormError
from bot.domain.periods import PeriodKind, period_containing, report_window
from bot.domain.points import parse_grant
from bot.domain.signups import (
    CheckInOutcome,
    JoinOutcome,
    LeaveOutcome,
    SignupStatus,
    decide_check_in,
    decide_join,
    decide_leave,
)
from bot.domain.tasks import Category, Roster, parse_task_form

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=TZ)
CATEGORIES = [Category(1, "文明实践", 2), Category(2, "爱心帮扶", 3)]


def test_task_form_in_english_with_defaults() -> None:
    draft = parse_task_form(
        "/newtask\ntitle: Clean-up\ncategory: 爱心帮扶\nstart: 11-28 09:00\nend: 11:30\n"
        "place: Gate 3",
        CATEGORIES,
        TZ,
        NOW,
    )
    assert draft.points == 3 and draft.capacity is None
    assert draft.starts_at == datetime(2026, 11, 28, 9, 0, tzinfo=TZ)
    assert draft.ends_at == datetime(2026, 11, 28, 11, 30, tzinfo=TZ)


def test_task_form_without_year_rolls_to_next_year() -> None:
    draft = parse_task_form(
        "/newtask\n标题：元旦\n类别：文明实践\n开始：01-02 09:00\n结束：2027-01-02 10:00\n地点：A",
        CATEGORIES,
        TZ,
        NOW,
    )
    assert draft.starts_at.year == 2027


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("开始：2026-11-20 09:00", "start"),
        ("开始：2026-13-01 09:00", "start"),
        ("积分：0", "points"),
        ("积分：2.5", "points"),
        ("名额：-1", "capacity"),
        ("类别：打牌", "category"),
        ("结束：08:00", "end"),
        ("结束：2026-12-30 08:00", "end"),
    ],
)
def test_task_form_errors(line: str, field: str) -> None:
    base = {
        "标题": "标题：T",
        "类别": "类别：文明实践",
        "积分": "积分：2",
        "开始": "开始：2026-11-28 09:00",
        "结束": "结束：10:00",
        "名额": "名额：3",
        "地点": "地点：A",
    }
    base[line.split("：")[0]] = line
    with pytest.raises(FormError) as caught:
        parse_task_form("/newtask\n" + "\n".join(base.values()), CATEGORIES, TZ, NOW)
    assert caught.value.field == field


def test_join_decisions() -> None:
    assert decide_join(None, Roster(1, 0), 2) is JoinOutcome.JOINED
    assert decide_join(None, Roster(2, 0), 2) is JoinOutcome.WAITLISTED
    assert decide_join(None, Roster(1, 1), 2) is JoinOutcome.WAITLISTED  # no jumping the queue
    assert decide_join(None, Roster(500, 0), None) is JoinOutcome.JOINED
    assert decide_join(SignupStatus.LEFT, Roster(0, 0), 2) is JoinOutcome.JOINED
    assert decide_join(SignupStatus.JOINED, Roster(1, 0), 2) is JoinOutcome.ALREADY_JOINED
    assert decide_join(SignupStatus.NO_SHOW, Roster(0, 0), 2) is JoinOutcome.SETTLED
    assert decide_leave(SignupStatus.CHECKED_IN) is LeaveOutcome.CHECKED_IN
    assert decide_leave(None) is LeaveOutcome.NOT_JOINED
    assert decide_check_in(SignupStatus.WAITLISTED) is CheckInOutcome.NOT_JOINED
    assert decide_check_in(SignupStatus.APPROVED) is CheckInOutcome.SETTLED


@pytest.mark.parametrize(
    ("year", "month", "days", "first", "last"),
    [
        (2026, 11, 7, 24, 30),
        (2026, 12, 7, 25, 31),
        (2026, 2, 7, 22, 28),
        (2028, 2, 7, 23, 29),
        (2026, 2, 31, 1, 28),
        (2028, 2, 29, 1, 29),
        (2026, 4, 1, 30, 30),
        (2026, 1, 31, 1, 31),
    ],
)
def test_report_window_every_month_length(
    year: int, month: int, days: int, first: int, last: int
) -> None:
    window = report_window(year, month, days)
    assert (window.first_day.day, window.last_day.day) == (first, last)
    assert window.month == f"{year}-{month:02d}"
    assert window.contains(date(year, month, last))
    assert not window.contains(window.first_day - timedelta(days=1))


def test_periods() -> None:
    quarter = period_containing(date(2026, 11, 21), PeriodKind.QUARTER)
    assert (quarter.first_day, quarter.end_day, quarter.label) == (
        date(2026, 10, 1),
        date(2027, 1, 1),
        "2026-Q4",
    )
    month = period_containing(date(2026, 12, 31), PeriodKind.MONTH)
    assert month.end_day == date(2027, 1, 1) and month.label == "2026-12"
    start, end = period_containing(date(2026, 3, 3), PeriodKind.YEAR).bounds(TZ)
    assert start == datetime(2026, 1, 1, tzinfo=TZ) and end == datetime(2027, 1, 1, tzinfo=TZ)


def test_grant_arguments() -> None:
    [grant] = parse_grant(["#12", "-3", "重复", "计分"])
    assert (grant.member_id, grant.points, grant.reason, grant.source) == (
        12,
        -3,
        "重复 计分",
        "correction",
    )
    for bad in (["张三", "0", "x"], ["张三", "101", "x"], ["张三", "5"], ["张三", "five", "x"]):
        with pytest.raises(FormError):
            parse_grant(bad)
