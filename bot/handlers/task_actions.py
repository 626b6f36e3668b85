"""Members act on tasks: Join, Leave and Check in from a card, /mytasks or a QR code."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.deeplinks import (
    ENROLL_ANY,
    CheckInLink,
    deep_link,
    enroll_payload,
    parse_start_payload,
)
from bot.domain.periods import window_for_day
from bot.domain.signups import CheckInOutcome, JoinOutcome, LeaveOutcome
from bot.domain.tasks import CheckInWindow, Task, TaskStatus, is_accepting
from bot.domain.timeutil import local_text
from bot.handlers.common import Caller, Context, caller, notify_member, reply
from bot.handlers.task_card import card_refresher
from bot.i18n import N_
from bot.services import Services

logger = logging.getLogger(__name__)

JOIN_ANSWERS = {
    JoinOutcome.JOINED: N_("task.joined"),
    JoinOutcome.WAITLISTED: N_("task.waitlisted"),
    JoinOutcome.ALREADY_JOINED: N_("task.already_joined"),
    JoinOutcome.ALREADY_WAITING: N_("task.already_waiting"),
    JoinOutcome.SETTLED: N_("task.already_settled"),
}
LEAVE_ANSWERS = {
    LeaveOutcome.LEFT: N_("task.left"),
    LeaveOutcome.LEFT_WAITLIST: N_("task.left_waitlist"),
    LeaveOutcome.NOT_JOINED: N_("task.not_joined"),
    LeaveOutcome.CHECKED_IN: N_("task.leave_checked_in"),
}
CHECKIN_ANSWERS = {
    CheckInOutcome.CHECKED_IN: N_("task.checked_in"),
    CheckInOutcome.ALREADY: N_("task.already_checked_in"),
    CheckInOutcome.NOT_JOINED: N_("task.checkin_not_joined"),
    CheckInOutcome.SETTLED: N_("task.already_settled"),
}


def checkin_window(services: Services) -> CheckInWindow:
    """The configured check-in window."""
    settings = services.settings
    return CheckInWindow(
        opens_before=timedelta(minutes=settings.checkin_opens_minutes),
        closes_after=timedelta(minutes=settings.checkin_closes_minutes),
    )


def report_month_for(task: Task, services: Services) -> str | None:
    """The month whose report a check-in on this task counts as, if inside the window."""
    day = task.starts_at.astimezone(services.settings.tz).date()
    window = window_for_day(day, services.settings.report_window_days)
    return window.month if window.contains(day) else None


async def _task_for_member(query: CallbackQuery, who: Caller, task_id: int) -> Task | None:
    """The task, when it exists and belongs to the member's community; else answered."""
    task = await who.services.storage.tasks.get(task_id)
    if task is None or task.status is TaskStatus.DRAFT:
        await query.answer(who.tr("callback.stale"), show_alert=True)
        return None
    if who.member is None:
        community = await who.services.storage.communities.get(task.community_id)
        payload = enroll_payload(community.enroll_code) if community else ENROLL_ANY
        await query.answer(
            who.tr("task.enroll_first"), url=deep_link(query.get_bot().username, payload)
        )
        return None
    if who.member.community_id != task.community_id:
        await query.answer(who.tr("task.other_community"), show_alert=True)
        return None
    if task.status is TaskStatus.CANCELLED:
        await query.answer(who.tr("task.is_cancelled"), show_alert=True)
        return None
    return task


async def on_task_button(update: Update, context: Context) -> None:
    """Join / Leave / Check in, from a card or /mytasks."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, raw_id = query.data.split(":")
    who = await caller(update, context)
    task = await _task_for_member(query, who, int(raw_id))
    if task is None or who.member is None:
        return
    now = datetime.now(who.services.settings.tz)
    if action == "ci":
        await query.answer(await check_in(context, who, task, now, "button"), show_alert=True)
        return
    if not is_accepting(task, now):
        key = N_("task.is_closed") if task.status is TaskStatus.CLOSED else N_("task.has_started")
        await query.answer(who.tr(key), show_alert=True)
        return
    signups = who.services.storage.signups
    if action == "join":
        outcome = await signups.join(task.id, who.member.id, task.capacity)
        await query.answer(who.tr(JOIN_ANSWERS[outcome], title=task.title), show_alert=True)
        changed = outcome in (JoinOutcome.JOINED, JoinOutcome.WAITLISTED)
    else:
        left, promoted = await signups.leave(task.id, who.member.id)
        await query.answer(who.tr(LEAVE_ANSWERS[left], title=task.title), show_alert=True)
        changed = left in (LeaveOutcome.LEFT, LeaveOutcome.LEFT_WAITLIST)
        if promoted is not None:
            await _tell_promoted(context, who.services, promoted, task)
    if changed:
        logger.info("member %s %s task %s", who.member.id, action, task.id)
        card_refresher(context.application).touch(task.id)


async def _tell_promoted(context: Context, services: Services, member_id: int, task: Task) -> None:
    member = await services.storage.members.get(member_id)
    if member is None or member.telegram_id is None:
        return
    tr = services.translations.get(member.language)
    text = tr(
        "task.promoted",
        title=task.title,
        time=local_text(task.starts_at, services.settings.tz),
        place=task.place,
    )
    await notify_member(context.bot, services, member.telegram_id, text)


async def check_in(context: Context, who: Caller, task: Task, now: datetime, method: str) -> str:
    """Check a joined member in, if the window is open; the answer to show."""
    assert who.member is not None
    window = checkin_window(who.services)
    tz = who.services.settings.tz
    if now < window.opens_at(task):
        return who.tr("task.checkin_not_yet", at=local_text(window.opens_at(task), tz))
    if now > window.closes_at(task):
        return who.tr("task.checkin_closed")
    signups = who.services.storage.signups
    outcome = await signups.check_in(task.id, who.member.id, method)
    if outcome is CheckInOutcome.CHECKED_IN:
        card_refresher(context.application).touch(task.id)
        if who.services.settings.auto_approve_checkins:
            signup = await signups.get(task.id, who.member.id)
            assert signup is not None
            await signups.approve(signup.id, 0, report_month_for(task, who.services))
            return who.tr("task.checked_in_approved", points=task.points)
    return who.tr(CHECKIN_ANSWERS[outcome], title=task.title)


async def start_checkin(update: Update, context: Context) -> None:
    """/start ci_<token>: the QR code at the venue checks the scanning member in."""
    who = await caller(update, context)
    action = parse_start_payload(context.args[0] if context.args else None)
    task = None
    if isinstance(action, CheckInLink):
        task = await who.services.storage.tasks.get_by_token(action.token)
    if task is None or task.status is TaskStatus.DRAFT:
        await reply(update, who.tr("start.bad_link"))
        return
    if who.member is None or who.member.community_id != task.community_id:
        await reply(update, who.tr("task.checkin_enroll_first"))
        return
    if task.status is TaskStatus.CANCELLED:
        await reply(update, who.tr("task.is_cancelled"))
        return
    now = datetime.now(who.services.settings.tz)
    await reply(update, await check_in(context, who, task, now, "qr"))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Task buttons, and QR check-in links (before the plain /start)."""
    app.add_handler(CallbackQueryHandler(on_task_button, pattern=r"^t1:(join|leave|ci):\d{1,9}$"))
    app.add_handler(
        CommandHandler(
            "start",
            start_checkin,
            filters=filters.ChatType.PRIVATE & filters.Regex(r"^/start\s+ci_"),
        )
    )
