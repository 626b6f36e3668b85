"""Members' objections to the month under public notice (一月一公示), and check-ins that
earned nothing reopened (approved after all) by a secretary."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.objections import REOPENABLE, objection_month, reopenable_since
from bot.domain.periods import PeriodKind, period_containing, report_month_for
from bot.domain.points import approves_own_points
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.outbox.messages import notice
from bot.services import Services
from bot.storage.objections import Objection

logger = logging.getLogger(__name__)


def month_under_notice(services: Services) -> tuple[str, datetime, datetime] | None:
    """The month members may object to now (YYYY-MM) and its bounds; None outside the
    objection days."""
    settings = services.settings
    month = objection_month(services.now().date(), settings.objection_days)
    if month is None:
        return None
    year, number = (int(part) for part in month.split("-"))
    start, end = period_containing(date(year, number, 1), PeriodKind.MONTH).bounds(settings.tz)
    return month, start, end


def reopen_horizon(services: Services) -> datetime:
    """The earliest start of a task whose rejected check-in a secretary may reopen now."""
    settings = services.settings
    today = services.now().astimezone(settings.tz).date()
    return datetime.combine(reopenable_since(today, settings.objection_days), time(), settings.tz)


async def file_objection(services: Services, member: Member, entry_id: int, reason: str) -> str:
    """Object to one of the member's own earned entries of the month under notice; the
    answer's message key. Nothing is stored for an entry never offered (another month, a
    redemption, a refund, someone else's) or one objected to before."""
    objections = services.storage.objections
    return await _file(
        services,
        "entry",
        entry_id,
        lambda month, start, end: objections.file(member.id, entry_id, month, reason, start, end),
        lambda: objections.objected(member.id, entry_id),
        member.id,
    )


async def file_checkin_objection(
    services: Services, member: Member, signup_id: int, reason: str
) -> str:
    """Object to one of the member's own check-ins that earned nothing (rejected, or marked
    a no-show: "I was there") on a task of the month under notice; the answer's key."""
    objections = services.storage.objections
    return await _file(
        services,
        "check-in",
        signup_id,
        lambda month, start, end: objections.file_checkin(
            member.id, signup_id, month, reason, start, end
        ),
        lambda: objections.objected_checkin(member.id, signup_id),
        member.id,
    )


async def _file(
    services: Services,
    what: str,
    item_id: int,
    file: Callable[[str, datetime, datetime], Awaitable[bool]],
    objected: Callable[[], Awaitable[bool]],
    member_id: int,
) -> str:
    """File an objection in the month under notice (``file``), in one transaction; the
    answer's key: filed, already objected to (``objected``), or never offered."""
    under_notice = month_under_notice(services)
    if under_notice is None:
        return N_("objection.not_offered")
    async with services.storage.db.transaction():
        if await file(*under_notice):
            logger.info("member %s objected to %s %s", member_id, what, item_id)
            return N_("objection.filed")
        if await objected():
            return N_("objection.already")
    logger.info("member %s refused an objection to %s %s", member_id, what, item_id)
    return N_("objection.not_offered")


@dataclass(frozen=True)
class Reopened:
    """What reopening a check-in came to: the answer's key, and on success whom to tell."""

    answer: str
    telegram_id: int | None = None
    language: str | None = None
    title: str = ""
    points: int = 0
    reported: str | None = None


async def _reopen(
    services: Services, secretary_id: int, community_id: int, signup_id: int, *, objected: bool
) -> Reopened:
    """Inside the caller's transaction: approve a check-in that earned nothing, with the
    ledger entry (dated at the service) and report credit an approval gets, once. A
    secretary on their own reopens a rejected check-in of a month not yet settled; an
    objection filed in time reopens a no-show too, and an older month's."""
    storage = services.storage
    found = await storage.signups.decided(signup_id)
    if found is None or found.community_id != community_id:
        return Reopened(N_("callback.stale"))
    if approves_own_points(secretary_id, found.telegram_id):
        logger.info("secretary %s refused to reopen their own check-in %s", secretary_id, signup_id)
        return Reopened(N_("review.own"))
    if found.status not in (REOPENABLE if objected else (SignupStatus.REJECTED,)):
        return Reopened(N_("review.already"))
    task = await storage.tasks.get(found.task_id)
    if task is None or task.status is TaskStatus.CANCELLED:
        return Reopened(N_("review.task_cancelled"))
    settings = services.settings
    if not objected and task.starts_at < reopen_horizon(services):
        return Reopened(N_("review.reopen_settled"))
    report_month = report_month_for(task.starts_at, settings.tz, settings.report_window_days)
    result = await storage.signups.approve(signup_id, secretary_id, report_month, reopen=True)
    if not result.changed:
        return Reopened(N_("review.already"))
    member = await storage.members.get(result.member_id)
    logger.info("check-in %s reopened and approved by %s", signup_id, secretary_id)
    return Reopened(
        N_("review.done"),
        result.telegram_id,
        member.language if member else None,
        task.title,
        task.points,
        result.reported,
    )


async def _tell_reopened(services: Services, done: Reopened, key: str) -> None:
    if done.telegram_id is None:
        return
    tr = services.translations.get(done.language)
    text = tr(key, entry=done.title, points=done.points)
    if done.reported:
        text += "\n" + tr("review.counts_as_report", month=done.reported)
    await services.storage.outbox.add(notice(done.telegram_id, text))


async def reopen_check_in(
    services: Services, secretary_id: int, community_id: int, signup_id: int
) -> str:
    """A secretary reopens a rejected check-in (this month's, or the month under notice's
    while objections are open): approved now, the member told; the answer's key. An open
    objection to it is settled with it."""
    async with services.storage.db.transaction():
        done = await _reopen(services, secretary_id, community_id, signup_id, objected=False)
        if done.answer == N_("review.done"):
            await services.storage.objections.settle_checkin(signup_id, secretary_id, True)
            await _tell_reopened(services, done, N_("review.reopened_notice"))
    return done.answer


async def decide_checkin_objection(
    services: Services, secretary_id: int, objection: Objection, community_id: int, reopen: bool
) -> str:
    """Keep the decision on a check-in objected to, or reopen it (approve it now); the member
    is told in their language. The answer's key (the caller's transaction, if any, joined)."""
    assert objection.signup_id is not None
    storage = services.storage
    async with storage.db.transaction():
        if approves_own_points(secretary_id, objection.telegram_id):
            return N_("objection.own")
        if not reopen:
            if not await storage.objections.settle_checkin(
                objection.signup_id, secretary_id, False
            ):
                return N_("callback.stale")
            if objection.telegram_id is not None:
                tr = services.translations.get(objection.language)
                text = tr("objection.checkin_kept_notice", entry=objection.entry_reason)
                await storage.outbox.add(notice(objection.telegram_id, text))
            logger.info("objection %s kept by %s", objection.id, secretary_id)
            return N_("review.done")
        done = await _reopen(
            services, secretary_id, community_id, objection.signup_id, objected=True
        )
        if done.answer != N_("review.done"):
            return done.answer
        await storage.objections.settle_checkin(objection.signup_id, secretary_id, True)
        await _tell_reopened(services, done, N_("objection.reopened_notice"))
    logger.info("objection %s: check-in reopened by %s", objection.id, secretary_id)
    return done.answer
