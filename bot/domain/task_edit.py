"""Editing a published task's time and place (17.18): the form, and what changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.forms import FormError, Problems, read_form, strip_command
from bot.domain.messages import N_
from bot.domain.tasks import FIELD_ALIASES, Task, TaskStatus, check_place, read_when

# the lines an edit takes: the time (开始/结束, 时间, 日期) and the place, as /newtask reads them
EDIT_FIELDS = ("start", "end", "time", "date", "place")
EDIT_ALIASES = {key: field for key, field in FIELD_ALIASES.items() if field in EDIT_FIELDS}


@dataclass(frozen=True)
class TaskChange:
    """The task's time and place after the edit (what was not written stays as it was)."""

    starts_at: datetime
    ends_at: datetime
    place: str

    def same_as(self, task: Task) -> bool:
        return (self.starts_at, self.ends_at, self.place) == (
            task.starts_at,
            task.ends_at,
            task.place,
        )


def parse_task_change(text: str, task: Task, tz: ZoneInfo, now: datetime) -> TaskChange:
    """``时间：12月27日 9:00-11:00`` and/or ``地点：3号楼前``; FormErrors with every problem."""
    values, problems = read_form(strip_command(text), EDIT_ALIASES)
    if not values and not problems.errors:
        raise FormError(N_("taskedit.nothing"))
    start, end = task.starts_at, task.ends_at
    if values.keys() & {"start", "end", "time", "date"}:
        start, end = _new_time(values, problems, task, tz, now)
    place = task.place
    if "place" in values:
        place = problems.check(check_place, values["place"]) or task.place
    problems.raise_any()
    return TaskChange(start, end, place)


def _new_time(
    values: dict[str, str], problems: Problems, task: Task, tz: ZoneInfo, now: datetime
) -> tuple[datetime, datetime]:
    """The new start and end; only 结束 written: the start stays."""
    if values.keys() == {"end"} or values.keys() == {"end", "place"}:
        values = {**values, "start": f"{task.starts_at.astimezone(tz):%Y-%m-%d %H:%M}"}
    start, end = read_when(values, problems, tz, now)
    return start or task.starts_at, end or task.ends_at


def is_editable(task: Task, now: datetime) -> bool:
    """Only an open task that has not started yet."""
    return task.status is TaskStatus.OPEN and now < task.starts_at
