"""A task's attendance record (17.18): who signed up, who checked in, what they earned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.signups import SignupStatus
from bot.domain.tasks import Task

# the sign-ups a sheet lists: everyone but those who left
LISTED = tuple(status for status in SignupStatus if status is not SignupStatus.LEFT)
CHECKED_IN = (SignupStatus.CHECKED_IN, SignupStatus.APPROVED, SignupStatus.REJECTED)


@dataclass(frozen=True)
class AttendanceRow:
    """One person on a task's sheet."""

    name: str
    work_unit: str
    phone: str | None
    status: SignupStatus
    checked_in_at: datetime | None
    points: int


@dataclass(frozen=True)
class AttendanceCounts:
    """The caption's figures: joined (holding a place), checked in, approved, no-show."""

    joined: int
    checked_in: int
    approved: int
    no_show: int
    waiting: int


@dataclass(frozen=True)
class Attendance:
    """What the attendance sheet shows of one task."""

    task: Task
    community: str
    rows: tuple[AttendanceRow, ...]

    @property
    def counts(self) -> AttendanceCounts:
        statuses = [row.status for row in self.rows]
        waiting = statuses.count(SignupStatus.WAITLISTED)
        return AttendanceCounts(
            joined=len(statuses) - waiting,
            checked_in=sum(1 for s in statuses if s in CHECKED_IN),
            approved=statuses.count(SignupStatus.APPROVED),
            no_show=statuses.count(SignupStatus.NO_SHOW),
            waiting=waiting,
        )
