"""Members on tasks: join, leave, check in; secretaries review check-ins.

Each action is one transaction with what it causes: the card edits, the notice to a member
promoted from the waitlist, the ledger entry and monthly report of an approval.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.periods import report_month_for
from bot.domain.points import approves_own_points
from bot.domain.signups import CheckInOutcome, JoinOutcome, LeaveOutcome
from bot.domain.tasks import CheckInWindow, Task, TaskStatus, is_accepting
from bot.outbox.messages import notice
from bot.services import Services
from bot.views.times import moment_text

logger = logging.getLogger(__name__)


class Refusal(StrEnum):
    """Why a member cannot act on a task (each is a message key)."""

    STALE = N_("callback.stale")
    ENROLL_FIRST = N_("task.enroll_first")
    OTHER_COMMUNITY = N_("task.other_community")
    CANCELLED = N_("task.is_cancelled")
    CLOSED = N_("task.is_closed")
    STARTED = N_("task.has_started")
    NOT_YET = N_("backentry.not_yet")  # back-entry before the check-in window opens


@dataclass(frozen=True)
class TaskAccess:
    """The task a member may act on, or why not."""

    task: Task | None
    refusal: Refusal | None = None


async def task_for_member(services: Services, member: Member | None, task_id: int) -> TaskAccess:
    """The task when it is published, live and in the member's community."""
    task = await services.storage.tasks.get(task_id)
    if task is None or task.status is TaskStatus.DRAFT:
        return TaskAccess(None, Refusal.STALE)
    if member is None:
        return TaskAccess(task, Refusal.ENROLL_FIRST)
    if member.community_id != task.community_id:
        return TaskAccess(task, Refusal.OTHER_COMMUNITY)
    if task.status is TaskStatus.CANCELLED:
        return TaskAccess(task, Refusal.CANCELLED)
    return TaskAccess(task)


def _accepting(task: Task, now: datetime) -> Refusal | None:
    if is_accepting(task, now):
        return None
    return Refusal.CLOSED if task.status is TaskStatus.CLOSED else Refusal.STARTED


async def join_task(
    services: Services, member: Member, task: Task, now: datetime
) -> JoinOutcome | Refusal:
    """Join, or queue when full; the cards show it."""
    refusal = _accepting(task, now)
    if refusal is not None:
        return refusal
    storage = services.storage
    async with storage.db.transaction():
        outcome = await storage.signups.join(task.id, member.id, task.capacity)
        if outcome in (JoinOutcome.JOINED, JoinOutcome.WAITLISTED):
            await storage.outbox.add_card_edits(task.id, _card_delay(services))
    logger.info("member %s join task %s: %s", member.id, task.id, outcome)
    return outcome


async def leave_task(
    services: Services, member: Member, task: Task, now: datetime
) -> LeaveOutcome | Refusal:
    """Leave; the first waiting member takes the place and is told, in the same transaction."""
    refusal = _accepting(task, now)
    if refusal is not None:
        return refusal
    storage = services.storage
    async with storage.db.transaction():
        outcome, promoted = await storage.signups.leave(task.id, member.id)
        if outcome in (LeaveOutcome.LEFT, LeaveOutcome.LEFT_WAITLIST):
            await storage.outbox.add_card_edits(task.id, _card_delay(services))
        if promoted is not None:
            await _tell_promoted(services, promoted, task)
    logger.info("member %s leave task %s: %s (promoted %s)", member.id, task.id, outcome, promoted)
    return outcome


async def _tell_promoted(services: Services, member_id: int, task: Task) -> None:
    member = await services.storage.members.get(member_id)
    if member is None or member.telegram_id is None:
        return
    tr = services.translations.get(member.language)
    text = tr(
        "task.promoted",
        title=task.title,
        time=moment_text(tr, task.starts_at, services.settings.tz),
        place=task.place,
    )
    await services.storage.outbox.add(notice(member.telegram_id, text))


class CheckInResult(StrEnum):
    """What a check-in did, beyond the sign-up's own outcome."""

    NOT_YET = "not_yet"
    WINDOW_CLOSED = "window_closed"
    APPROVED = "approved"


@dataclass(frozen=True)
class CheckIn:
    """A check-in's result: the outcome, and when the window opens if it is too early."""

    outcome: CheckInOutcome | CheckInResult
    opens_at: datetime | None = None
    reported: str | None = None  # the month it also counts as the monthly report for


def checkin_window(services: Services) -> CheckInWindow:
    """The configured check-in window."""
    settings = services.settings
    return CheckInWindow(
        opens_before=timedelta(minutes=settings.checkin_opens_minutes),
        closes_after=timedelta(minutes=settings.checkin_closes_minutes),
    )


async def check_in(
    services: Services, member: Member, task: Task, now: datetime, method: str
) -> CheckIn:
    """Check a joined member in while the window is open; approved at once if so configured.

    The check-in, its approval, ledger entry and monthly report are one transaction.
    """
    window = checkin_window(services)
    if now < window.opens_at(task):
        return CheckIn(CheckInResult.NOT_YET, window.opens_at(task))
    if now > window.closes_at(task):
        return CheckIn(CheckInResult.WINDOW_CLOSED)
    storage = services.storage
    async with storage.db.transaction():
        outcome = await storage.signups.check_in(task.id, member.id, method)
        if outcome is not CheckInOutcome.CHECKED_IN:
            return CheckIn(outcome)
        await storage.outbox.add_card_edits(task.id, _card_delay(services))
        if not services.settings.auto_approve_checkins:
            return CheckIn(outcome)
        signup = await storage.signups.get(task.id, member.id)
        assert signup is not None
        approved = await storage.signups.approve(signup.id, 0, _report_month(services, task))
        return CheckIn(CheckInResult.APPROVED, reported=approved.reported)


def _served_month(services: Services, task: Task) -> str | None:
    """The month (YYYY-MM) the task was served in, when that is before this month: its
    points count there (the ledger dates them by service), not in the month approved."""
    tz = services.settings.tz
    served = f"{task.starts_at.astimezone(tz):%Y-%m}"
    return served if served < f"{services.now().astimezone(tz):%Y-%m}" else None


def _report_month(services: Services, task: Task) -> str | None:
    settings = services.settings
    return report_month_for(task.starts_at, settings.tz, settings.report_window_days)


def _card_delay(services: Services) -> float:
    return services.settings.card_edit_interval_seconds


class Review(StrEnum):
    """What a secretary's review came to (each is a message key)."""

    DONE = N_("review.done")
    ALREADY = N_("review.already")
    OWN = N_("review.own")
    CANCELLED = N_("review.task_cancelled")


@dataclass(frozen=True)
class Rejection:
    """Why a check-in did not pass: a reason code, its message, and the secretary's own
    words (for "other reason"), which the member reads instead of the message."""

    code: str
    key: str
    words: str = ""


async def review_check_in(
    services: Services, reviewer_id: int, signup_id: int, rejection: Rejection | None
) -> Review:
    """Approve (one ledger entry; the monthly report if in the window) or reject with a reason.

    ``rejection`` says why it did not pass. The member's notice is written with the
    decision. Nobody reviews their own check-in, and a cancelled task's check-ins earn
    nothing (they may still be rejected).
    """
    storage = services.storage
    async with storage.db.transaction():
        pending = await storage.signups.pending_task(signup_id)
        task = await storage.tasks.get(pending[0]) if pending else None
        if task is None or pending is None:
            return Review.ALREADY
        if pending[1] == reviewer_id:
            logger.info("secretary %s refused their own check-in %s", reviewer_id, signup_id)
            return Review.OWN
        if rejection is None and task.status is TaskStatus.CANCELLED:
            return Review.CANCELLED
        if rejection is None:
            result = await storage.signups.approve(
                signup_id, reviewer_id, _report_month(services, task)
            )
        else:
            stored = f"{rejection.code}: {rejection.words}" if rejection.words else rejection.code
            result = await storage.signups.reject(signup_id, reviewer_id, stored)
        if not result.changed:
            return Review.ALREADY
        member = await storage.members.get(result.member_id)
        if member is not None and result.telegram_id is not None:
            tr = services.translations.get(member.language)
            if rejection is None:
                text = tr("review.approved_notice", title=task.title, points=task.points)
                if result.reported:
                    text += "\n" + tr("review.counts_as_report", month=result.reported)
                served = _served_month(services, task)
                if served is not None:  # approved after its month: it counts there
                    text += "\n" + tr("review.counts_in_month", month=served)
            else:
                reason = rejection.words or tr(rejection.key)
                text = tr("review.rejected_notice", title=task.title, reason=reason)
            await storage.outbox.add(notice(result.telegram_id, text))
    verdict = "approved" if rejection is None else f"rejected ({rejection.code})"
    logger.info("check-in %s %s by %s", signup_id, verdict, reviewer_id)
    return Review.DONE


class BackEntry(StrEnum):
    """What a secretary's back-entry of one attendee came to."""

    CREDITED = "credited"
    ALREADY = "already"  # approved before: not credited twice
    OWN = "own"  # nobody back-enters themselves


async def back_enter(
    services: Services, secretary_telegram_id: int, task_id: int, member_ids: list[int]
) -> dict[int, BackEntry] | Refusal | None:
    """Members who came without tapping, entered by a secretary of the task's community:
    each is approved as a check-in would be (one ledger entry served at the task's start,
    the monthly report when in the window) and told; None when the caller may not, and
    nobody before the check-in window opens (nobody has served yet).
    """
    storage = services.storage
    secretary = await storage.secretaries.get(secretary_telegram_id)
    task = await storage.tasks.get(task_id)
    if (
        secretary is None
        or task is None
        or secretary.community_id != task.community_id
        or task.status in (TaskStatus.DRAFT, TaskStatus.CANCELLED)
    ):
        return None
    if services.now() < checkin_window(services).opens_at(task):
        return Refusal.NOT_YET
    results: dict[int, BackEntry] = {}
    async with storage.db.transaction():
        for member_id in dict.fromkeys(member_ids):
            member = await storage.members.get(member_id)
            if member is None or member.community_id != task.community_id:
                continue
            if approves_own_points(secretary_telegram_id, member.telegram_id):
                results[member_id] = BackEntry.OWN
                continue
            signup_id = await storage.signups.attend(task.id, member_id)
            if signup_id is None:
                results[member_id] = BackEntry.ALREADY
                continue
            approved = await storage.signups.approve(
                signup_id, secretary_telegram_id, _report_month(services, task)
            )
            results[member_id] = BackEntry.CREDITED
            if approved.telegram_id is not None:
                tr = services.translations.get(member.language)
                text = tr("backentry.notice", title=task.title, points=task.points)
                if approved.reported:
                    text += "\n" + tr("review.counts_as_report", month=approved.reported)
                await storage.outbox.add(notice(approved.telegram_id, text))
        if BackEntry.CREDITED in results.values():
            await storage.outbox.add_card_edits(task.id, _card_delay(services))
    logger.info("task %s back-entered by %s: %s", task.id, secretary_telegram_id, results)
    return results
