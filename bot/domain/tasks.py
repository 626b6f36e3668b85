"""Volunteer tasks: what a task is, the /newtask form, and when members may act on one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.forms import (
    FormError,
    check_length,
    parse_form,
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

FIELD_ALIASES = {
    "title": "title",
    "标题": "title",
    "category": "category",
    "类别": "category",
    "points": "points",
    "积分": "points",
    "start": "start",
    "开始": "start",
    "end": "end",
    "结束": "end",
    "capacity": "capacity",
    "名额": "capacity",
    "place": "place",
    "地点": "place",
}
FIELD_LABELS = {
    "title": N_("task.field.title"),
    "category": N_("task.field.category"),
    "points": N_("task.field.points"),
    "start": N_("task.field.start"),
    "end": N_("task.field.end"),
    "capacity": N_("task.field.capacity"),
    "place": N_("task.field.place"),
}
UNLIMITED_WORDS = {"", "不限", "无限", "unlimited", "none", "-", "—"}


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
    """Whole points from 1 to MAX_POINTS."""
    if not raw.strip():
        raise FormError(N_("form.error.missing"), field="points")
    points = whole_number(raw, signed=True)
    if points is None or not 1 <= points <= MAX_POINTS:
        raise FormError(N_("task.error.points"), field="points", params={"max": MAX_POINTS})
    return points


def check_capacity(raw: str) -> int | None:
    """Places, or None for unlimited."""
    text = raw.strip().casefold()
    if text in UNLIMITED_WORDS:
        return None
    places = whole_number(text)
    if places is None or not 1 <= places <= MAX_CAPACITY:
        raise FormError(N_("task.error.capacity"), field="capacity", params={"max": MAX_CAPACITY})
    return places


def check_start(raw: str, tz: ZoneInfo, now: datetime) -> datetime:
    """A start in the future, written in local time."""
    if not raw.strip():
        raise FormError(N_("form.error.missing"), field="start")
    start = parse_local_datetime(raw, tz, now.astimezone(tz).date())
    if start is None:
        raise FormError(N_("task.error.datetime"), field="start")
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
            raise FormError(N_("task.error.end_format"), field="end")
        end = parsed
    if end <= start:
        raise FormError(N_("task.error.end_before_start"), field="end")
    if end - start > MAX_DURATION:
        raise FormError(N_("task.error.too_long_task"), field="end")
    return end


def parse_task_form(
    text: str, categories: Sequence[Category], tz: ZoneInfo, now: datetime
) -> TaskDraft:
    """The task in a one-message ``/newtask`` form, or FormError naming the bad field."""
    values = parse_form(strip_command(text), FIELD_ALIASES)
    category = check_category(values.get("category", ""), categories)
    raw_points = values.get("points", "")
    raw_start, raw_end = split_range(values.get("start", ""))  # 明天9点到11点
    start = check_start(raw_start, tz, now)
    return TaskDraft(
        title=check_title(values.get("title", "")),
        category=category.name,
        points=check_points(raw_points) if raw_points.strip() else category.default_points,
        starts_at=start,
        ends_at=check_end(values.get("end", "") or raw_end or "", start, tz),
        capacity=check_capacity(values.get("capacity", "")),
        place=check_place(values.get("place", "")),
    )


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
