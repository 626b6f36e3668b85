"""Volunteer tasks: what a task is, the /newtask form, and when members may act on one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.forms import (
    FormError,
    Problems,
    check_length,
    read_form,
    simplified,
    strip_command,
    whole_number,
)
from bot.domain.messages import N_
from bot.domain.spoken_time import split_range
from bot.domain.timeutil import parse_local_datetime, parse_local_time

TITLE_LIMIT = 60
PLACE_LIMIT = 100
MAX_POINTS = 100
MAX_CAPACITY = 1000
MAX_DURATION = timedelta(days=7)

# The words a secretary heads each line with (Traditional characters are read as Simplified).
FIELD_ALIASES = {
    **dict.fromkeys(["title", "name", "标题", "名称", "活动", "活动名称", "任务", "主题"], "title"),
    **dict.fromkeys(["category", "type", "类别", "类型", "分类", "活动类别"], "category"),
    **dict.fromkeys(["points", "score", "积分", "分值", "分数", "积分值"], "points"),
    **dict.fromkeys(["start", "starts", "开始", "开始时间"], "start"),
    **dict.fromkeys(["end", "ends", "结束", "结束时间"], "end"),
    # a start and an end in one line: 时间：本周六上午9点到11点
    **dict.fromkeys(["time", "when", "时间", "活动时间", "服务时间"], "time"),
    **dict.fromkeys(["date", "day", "日期", "活动日期"], "date"),
    **dict.fromkeys(
        ["capacity", "places", "people", "名额", "人数", "限额", "招募人数", "需要人数"],
        "capacity",
    ),
    **dict.fromkeys(
        ["place", "location", "where", "地点", "地址", "活动地点", "集合地点"], "place"
    ),
}
FIELD_LABELS = {
    "title": N_("task.field.title"),
    "category": N_("task.field.category"),
    "points": N_("task.field.points"),
    "start": N_("task.field.start"),
    "end": N_("task.field.end"),
    "time": N_("task.field.time"),
    "date": N_("task.field.date"),
    "capacity": N_("task.field.capacity"),
    "place": N_("task.field.place"),
}
UNLIMITED_WORDS = {"", "不限", "无限", "unlimited", "none", "no limit", "-", "—", "无"}
# 5人, 限5人, 最多 5 名, 10人以内; 5分
_PLACES = re.compile(r"^(?:限|最多|共)?\s*(?P<n>.+?)\s*(?:个人|人|名|位|个)?\s*(?:以内|以下)?$")
_POINTS = re.compile(r"^(?P<n>.+?)\s*分?$")


class TaskStatus(StrEnum):
    """Where a task is in its life."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Category:
    """A kind of volunteer service, with the points it usually earns."""

    id: int
    name: str
    default_points: int


@dataclass(frozen=True)
class TaskDraft:
    """A task as the secretary described it, validated, not yet stored."""

    title: str
    category: str
    points: int
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    place: str


@dataclass(frozen=True)
class Task:
    """A stored volunteer task."""

    id: int
    community_id: int
    title: str
    category: str
    points: int
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    place: str
    status: TaskStatus
    checkin_token: str


@dataclass(frozen=True)
class Roster:
    """How many have joined (or checked in) and how many wait."""

    joined: int
    waiting: int
    names: tuple[str, ...] = ()  # the first who hold a place, in the order they joined

    def full(self, capacity: int | None) -> bool:
        return capacity is not None and self.joined >= capacity


# --- one field at a time (the guided flow uses these too) --------------------------------


def check_title(raw: str) -> str:
    return check_length("title", raw, TITLE_LIMIT, required=True)


def check_place(raw: str) -> str:
    return check_length("place", raw, PLACE_LIMIT, required=True)


def check_category(raw: str, categories: Sequence[Category]) -> Category:
    """The category with this name (case and spacing ignored)."""
    wanted = simplified(" ".join(raw.split()).casefold())
    for category in categories:
        if simplified(category.name.casefold()) == wanted:
            return category
    names = "、".join(c.name for c in categories)
    raise FormError(N_("task.error.category"), field="category", params={"names": names})


def check_points(raw: str) -> int:
    """Whole points from 1 to MAX_POINTS (``5`` or ``5分``)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise FormError(N_("form.error.missing"), field="points")
    match = _POINTS.match(text)
    points = whole_number(match["n"] if match else text, signed=True)
    if points is None or not 1 <= points <= MAX_POINTS:
        raise FormError(N_("task.error.points"), field="points", params={"max": MAX_POINTS})
    return points


def check_capacity(raw: str) -> int | None:
    """Places (``5``, ``5人``, ``限5人``), or None for unlimited (``不限``, ``人数不限``)."""
    text = " ".join(unicodedata.normalize("NFKC", raw).casefold().split())
    if text in UNLIMITED_WORDS or text.replace("人数", "").replace("名额", "") in UNLIMITED_WORDS:
        return None
    match = _PLACES.match(text)
    places = whole_number(match["n"] if match else text)
    if places is None or not 1 <= places <= MAX_CAPACITY:
        raise FormError(N_("task.error.capacity"), field="capacity", params={"max": MAX_CAPACITY})
    return places


def example_day(today: date) -> date:
    """A day to show in examples: a Saturday at least three days ahead (never in the past)."""
    ahead = (5 - today.weekday()) % 7
    return today + timedelta(days=ahead if ahead >= 3 else ahead + 7)


def example_params(today: date) -> dict[str, object]:
    """The ``{month}`` and ``{day}`` of the example day, for messages that show one."""
    day = example_day(today)
    return {"month": day.month, "day": day.day}


def check_start(raw: str, tz: ZoneInfo, now: datetime) -> datetime:
    """A start in the future, written in local time."""
    if not raw.strip():
        raise FormError(N_("form.error.missing"), field="start")
    today = now.astimezone(tz).date()
    start = parse_local_datetime(raw, tz, today)
    if start is None:
        raise FormError(N_("task.error.datetime"), field="start", params=example_params(today))
    if start <= now:
        raise FormError(N_("task.error.start_past"), field="start")
    return start


def check_end(raw: str, start: datetime, tz: ZoneInfo) -> datetime:
    """``HH:MM`` on the start's day, or a full date and time; after the start."""
    if not raw.strip():
        raise FormError(N_("form.error.missing"), field="end")
    local_start = start.astimezone(tz)
    clock = parse_local_time(raw)
    if clock is not None:
        end = local_start.replace(hour=clock.hour, minute=clock.minute)
        if end <= start and clock.hour < 12 <= local_start.hour:  # 下午2点到4点: 16:00
            end += timedelta(hours=12)
    else:
        parsed = parse_local_datetime(raw, tz, local_start.date())
        if parsed is None:
            params = example_params(local_start.date())
            raise FormError(N_("task.error.end_format"), field="end", params=params)
        end = parsed
    if end <= start:
        raise FormError(N_("task.error.end_before_start"), field="end")
    if end - start > MAX_DURATION:
        raise FormError(N_("task.error.too_long_task"), field="end")
    return end


def parse_task_form(
    text: str, categories: Sequence[Category], tz: ZoneInfo, now: datetime
) -> TaskDraft:
    """The task in a one-message ``/newtask`` form, or FormErrors naming every bad field."""
    values, problems = read_form(strip_command(text), FIELD_ALIASES)
    title = problems.check(check_title, values.get("title", ""))
    category = problems.check(check_category, values.get("category", ""), categories)
    raw_points = values.get("points", "")
    points = problems.check(check_points, raw_points) if raw_points.strip() else None
    start, end = read_when(values, problems, tz, now)
    capacity = problems.check(check_capacity, values.get("capacity", ""))
    place = problems.check(check_place, values.get("place", ""))
    problems.raise_any()
    assert title is not None and category is not None and place is not None
    assert start is not None and end is not None  # no problem: every check passed
    return TaskDraft(
        title=title,
        category=category.name,
        points=points or category.default_points,
        starts_at=start,
        ends_at=end,
        capacity=capacity,
        place=place,
    )


def read_when(
    values: dict[str, str], problems: Problems, tz: ZoneInfo, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """The start and end from 开始/结束, or 时间 (a range), with 日期 before either."""
    field = "time" if "time" in values and "start" not in values else "start"
    if "time" in values and "start" in values:
        problems.errors.append(FormError(N_("form.error.repeated"), field="time"))
    raw_start, raw_end = split_range(values.get(field, ""))  # 明天9点到11点
    day = values.get("date", "").strip()
    clock_only = day and raw_start.strip() and parse_local_time(raw_start) is not None
    if day and raw_start.strip():
        raw_start = f"{day} {raw_start}"
    found = len(problems.errors)
    start = problems.check(check_start, raw_start, tz, now)
    for error in problems.errors[found:]:  # name the line the secretary wrote
        error.field = "date" if clock_only else field
    raw = values.get("end", "") or raw_end or ""
    if start is None:
        # a missing end is worth telling now, unless it was to come in an unreadable 时间
        unreadable_range = field == "time" and raw_start.strip()
        if not raw.strip() and not unreadable_range:
            problems.errors.append(FormError(N_("form.error.missing"), field="end"))
        return None, None
    return start, problems.check(check_end, raw, start, tz)


# --- what members may do, and when ------------------------------------------------------


@dataclass(frozen=True)
class CheckInWindow:
    """How long before the start and after the end a check-in is accepted."""

    opens_before: timedelta = timedelta(minutes=30)
    closes_after: timedelta = timedelta(hours=2)

    def opens_at(self, task: Task) -> datetime:
        return task.starts_at - self.opens_before

    def closes_at(self, task: Task) -> datetime:
        return task.ends_at + self.closes_after

    def is_open(self, task: Task, now: datetime) -> bool:
        return self.opens_at(task) <= now <= self.closes_at(task)


def is_accepting(task: Task, now: datetime) -> bool:
    """Members may join or leave until the task starts, while it is open."""
    return task.status is TaskStatus.OPEN and now < task.starts_at


CATEGORY_LIMIT = 16


def parse_category_args(args: list[str]) -> tuple[str, int]:
    """``/category <name> <default points>``: the name and points, validated."""
    if len(args) < 2:
        raise FormError(N_("form.error.missing"), field="points")
    name = check_length("name", " ".join(args[:-1]), CATEGORY_LIMIT, required=True)
    return name, check_points(args[-1])
