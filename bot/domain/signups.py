"""Sign-ups: joining with a first-come waitlist, leaving, checking in, review outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.tasks import Roster


class SignupStatus(StrEnum):
    """A member's place on a task."""

    JOINED = "joined"
    WAITLISTED = "waitlisted"
    LEFT = "left"
    CHECKED_IN = "checked_in"
    APPROVED = "approved"
    REJECTED = "rejected"
    NO_SHOW = "no_show"


# Statuses that hold one of the task's places.
HOLDS_PLACE = (SignupStatus.JOINED, SignupStatus.CHECKED_IN, SignupStatus.APPROVED)
# Statuses after which nothing changes any more.
SETTLED = (SignupStatus.APPROVED, SignupStatus.REJECTED, SignupStatus.NO_SHOW)


class JoinOutcome(StrEnum):
    """What a Join tap did."""

    JOINED = "joined"
    WAITLISTED = "waitlisted"
    ALREADY_JOINED = "already_joined"
    ALREADY_WAITING = "already_waiting"
    SETTLED = "settled"


class LeaveOutcome(StrEnum):
    """What a Leave tap did."""

    LEFT = "left"
    LEFT_WAITLIST = "left_waitlist"
    NOT_JOINED = "not_joined"
    CHECKED_IN = "checked_in"


class CheckInOutcome(StrEnum):
    """What a check-in did."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_JOINED = "not_joined"
    SETTLED = "settled"


@dataclass(frozen=True)
class Signup:
    """A member's sign-up for a task."""

    id: int
    task_id: int
    member_id: int
    status: SignupStatus
    checked_in_at: str | None
    checkin_method: str | None


def decide_join(current: SignupStatus | None, roster: Roster, capacity: int | None) -> JoinOutcome:
    """Join if there is a place, else wait; a second tap changes nothing."""
    if current in HOLDS_PLACE:
        return JoinOutcome.ALREADY_JOINED
    if current is SignupStatus.WAITLISTED:
        return JoinOutcome.ALREADY_WAITING
    if current in SETTLED:
        return JoinOutcome.SETTLED
    if roster.full(capacity) or roster.waiting > 0:
        return JoinOutcome.WAITLISTED
    return JoinOutcome.JOINED


def decide_leave(current: SignupStatus | None) -> LeaveOutcome:
    """Leaving frees a place (then the first waiting member is promoted)."""
    if current is SignupStatus.JOINED:
        return LeaveOutcome.LEFT
    if current is SignupStatus.WAITLISTED:
        return LeaveOutcome.LEFT_WAITLIST
    if current in (SignupStatus.CHECKED_IN, SignupStatus.APPROVED):
        return LeaveOutcome.CHECKED_IN
    return LeaveOutcome.NOT_JOINED


def decide_check_in(current: SignupStatus | None) -> CheckInOutcome:
    """Only a joined member checks in, once."""
    if current is SignupStatus.JOINED:
        return CheckInOutcome.CHECKED_IN
    if current is SignupStatus.CHECKED_IN:
        return CheckInOutcome.ALREADY
    if current in SETTLED:
        return CheckInOutcome.SETTLED
    return CheckInOutcome.NOT_JOINED
