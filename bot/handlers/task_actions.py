"""Members act on tasks: Join, Leave and Check in from a card, /mytasks or a QR code."""

from __future__ import annotations

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
from bot.domain.signups import CheckInOutcome, JoinOutcome, LeaveOutcome
from bot.domain.tasks import Task, TaskStatus
from bot.domain.timeutil import local_text
from bot.handlers.common import Caller, Context, caller, reply
from bot.i18n import N_, plain_text
from bot.usecases.task_signups import (
    CheckIn,
    CheckInResult,
    Refusal,
    check_in,
    join_task,
    leave_task,
    task_for_member,
)
from bot.views.callbacks import TaskAction, TaskButton

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


async def _task_for_member(query: CallbackQuery, who: Caller, task_id: int) -> Task | None:
    """The task the member may act on; else the refusal is the answer."""
    access = await task_for_member(who.services, who.member, task_id)
    if access.refusal is Refusal.ENROLL_FIRST and access.task is not None:
        community = await who.services.storage.communities.get(access.task.community_id)
        payload = enroll_payload(community.enroll_code) if community else ENROLL_ANY
        await query.answer(who.tr(access.refusal), url=deep_link(query.get_bot().username, payload))
        return None
    if access.refusal is not None:
        await query.answer(who.tr(access.refusal), show_alert=True)
        return None
    return access.task


async def on_task_button(update: Update, context: Context) -> None:
    """Join / Leave / Check in, from a card or /mytasks."""
    query = update.callback_query
    button = TaskButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    task = await _task_for_member(query, who, button.task_id)
    if task is None or who.member is None:
        return
    now = who.services.now()
    if button.action is TaskAction.CHECK_IN:
        result = await check_in(who.services, who.member, task, now, "button")
        await query.answer(plain_text(checkin_answer(who, task, result)), show_alert=True)
        return
    if button.action is TaskAction.JOIN:
        joined = await join_task(who.services, who.member, task, now)
        key = joined if isinstance(joined, Refusal) else JOIN_ANSWERS[joined]
    else:
        left = await leave_task(who.services, who.member, task, now)
        key = left if isinstance(left, Refusal) else LEAVE_ANSWERS[left]
    await query.answer(who.tr.plain(key, title=task.title), show_alert=True)


def checkin_answer(who: Caller, task: Task, result: CheckIn) -> str:
    """What the member reads after a check-in."""
    if result.outcome is CheckInResult.NOT_YET:
        assert result.opens_at is not None
        return who.tr(
            "task.checkin_not_yet", at=local_text(result.opens_at, who.services.settings.tz)
        )
    if result.outcome is CheckInResult.WINDOW_CLOSED:
        return who.tr("task.checkin_closed")
    if result.outcome is CheckInResult.APPROVED:
        text = who.tr("task.checked_in_approved", points=task.points)
        if result.reported:
            text += "\n" + who.tr("review.counts_as_report", month=result.reported)
        return text
    return who.tr(CHECKIN_ANSWERS[result.outcome], title=task.title)


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
    now = who.services.now()
    result = await check_in(who.services, who.member, task, now, "qr")
    await reply(update, checkin_answer(who, task, result))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Task buttons, and QR check-in links (before the plain /start)."""
    app.add_handler(CallbackQueryHandler(on_task_button, pattern=TaskButton.matches))
    app.add_handler(
        CommandHandler(
            "start",
            start_checkin,
            filters=filters.ChatType.PRIVATE & filters.Regex(r"^/start\s+ci_"),
        )
    )
