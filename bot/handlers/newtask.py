"""Secretaries publish tasks: /newtask (guided or one message), preview, Publish / Cancel."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.forms import FormError, strip_command, whole_number
from bot.domain.spoken_time import split_range
from bot.domain.tasks import (
    FIELD_LABELS,
    Category,
    TaskDraft,
    check_capacity,
    check_category,
    check_end,
    check_place,
    check_points,
    check_start,
    check_title,
    example_params,
    parse_task_form,
)
from bot.domain.tasks import Roster as TaskRoster
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_markup,
    end_conversation,
    form_error_text,
    reply,
    secretary_community,
    secretary_only,
)
from bot.i18n import N_
from bot.views.callbacks import ManageAction, NewTaskCancel, NewTaskChoice, TaskManageButton
from bot.views.task_card import card_text

STEP = 0
DRAFT = "newtask_draft"
STEPS = ("title", "category", "points", "start", "end", "capacity", "place")
PROMPTS = {
    "title": N_("newtask.ask_title"),
    "category": N_("newtask.ask_category"),
    "points": N_("newtask.ask_points"),
    "start": N_("newtask.ask_start"),
    "end": N_("newtask.ask_end"),
    "capacity": N_("newtask.ask_capacity"),
    "place": N_("newtask.ask_place"),
}
CAPACITY_CHOICES = ("5", "10", "20", "30")


def _draft(context: Context) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {})
    return draft


def _example(who: Caller) -> dict[str, object]:
    """The day the examples show: ahead of today, never a date gone by."""
    return example_params(who.services.now().astimezone(who.services.settings.tz).date())


async def newtask(update: Update, context: Context) -> int:
    """/newtask: the one-message form when it has a body, else step by step."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return ConversationHandler.END
    assert update.message is not None
    categories = await who.services.storage.tasks.categories(community_id)
    draft = _draft(context)
    draft.clear()
    if strip_command(update.message.text or ""):
        try:
            task = parse_task_form(
                update.message.text or "",
                categories,
                who.services.settings.tz,
                who.services.now(),
            )
        except FormError as exc:
            await reply(
                update,
                form_error_text(who.tr, exc, FIELD_LABELS)
                + "\n\n"
                + who.tr("newtask.form_help", **_example(who)),
            )
            return ConversationHandler.END
        await _preview(update, who, community_id, task)
        return ConversationHandler.END
    draft.update(step=0, community_id=community_id, categories=categories)
    await _ask(update, who, draft)
    return STEP


async def _ask(update: Update, who: Caller, draft: dict[str, Any]) -> None:
    step = STEPS[draft["step"]]
    rows: list[list[InlineKeyboardButton]] = []
    if step == "category":
        categories: list[Category] = draft["categories"]
        rows = [
            [
                InlineKeyboardButton(
                    f"{c.name}（{c.default_points}）",
                    callback_data=NewTaskChoice(draft["step"], i).pack(),
                )
            ]
            for i, c in enumerate(categories)
        ]
    elif step == "points":
        rows = [
            [
                InlineKeyboardButton(
                    str(draft["default_points"]),
                    callback_data=NewTaskChoice(draft["step"], int(draft["default_points"])).pack(),
                )
            ]
        ]
    elif step == "capacity":
        rows = [
            [
                InlineKeyboardButton(
                    who.tr("task.unlimited"), callback_data=NewTaskChoice(draft["step"], 0).pack()
                )
            ]
            + [
                InlineKeyboardButton(n, callback_data=NewTaskChoice(draft["step"], int(n)).pack())
                for n in CAPACITY_CHOICES
            ]
        ]
    rows.append(
        [InlineKeyboardButton(who.tr("button.cancel"), callback_data=NewTaskCancel().pack())]
    )
    prompt = who.tr(PROMPTS[step], **_example(who))  # the start's examples name a day ahead
    await reply(update, prompt, reply_markup=InlineKeyboardMarkup(rows))


def _accept(step: str, raw: str, draft: dict[str, Any], who: Caller) -> None:
    """Validate one answer into the draft (FormError when it is wrong)."""
    settings = who.services.settings
    if step == "title":
        draft["title"] = check_title(raw)
    elif step == "category":
        categories: list[Category] = draft["categories"]
        number = whole_number(raw)
        chosen = (
            categories[number]
            if number is not None and number < len(categories)
            else check_category(raw, categories)
        )
        draft["category"] = chosen.name
        draft["default_points"] = chosen.default_points
    elif step == "points":
        draft["points"] = check_points(raw)
    elif step == "start":
        raw_start, raw_end = split_range(raw)  # 明天9点到11点: the end too
        draft["start"] = check_start(raw_start, settings.tz, who.services.now())
        if raw_end:
            draft["end"] = check_end(raw_end, draft["start"], settings.tz)
    elif step == "end":
        draft["end"] = check_end(raw, draft["start"], settings.tz)
    elif step == "capacity":
        draft["capacity"] = check_capacity("" if raw == "0" else raw)
    else:
        draft["place"] = check_place(raw)


async def on_answer(update: Update, context: Context) -> int:
    """One answer, typed or from a button."""
    who = await caller(update, context)
    draft = _draft(context)
    if "step" not in draft:
        return ConversationHandler.END
    if update.callback_query:
        choice = NewTaskChoice.parse(update.callback_query.data)
        assert choice is not None  # the handler's pattern
        if choice.step != draft["step"]:  # a double tap, or a button of a step gone by
            await update.callback_query.answer(who.tr.plain("callback.stale"))
            return STEP
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
        raw = str(choice.value)
    else:
        assert update.message is not None
        raw = update.message.text or ""
    step = STEPS[draft["step"]]
    try:
        _accept(step, raw, draft, who)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, FIELD_LABELS))
        return STEP
    draft["step"] += 1
    if draft["step"] < len(STEPS) and STEPS[draft["step"]] == "end" and "end" in draft:
        draft["step"] += 1  # the end came with the start
    if draft["step"] < len(STEPS):
        await _ask(update, who, draft)
        return STEP
    task = TaskDraft(
        draft["title"],
        draft["category"],
        draft["points"],
        draft["start"],
        draft["end"],
        draft["capacity"],
        draft["place"],
    )
    community_id = draft["community_id"]
    draft.clear()
    await _preview(update, who, community_id, task)
    return ConversationHandler.END


async def _preview(update: Update, who: Caller, community_id: int, draft: TaskDraft) -> None:
    """Store the draft and show it as members will see it, with Publish and Cancel."""
    task = await who.services.storage.tasks.create_draft(community_id, draft, who.user_id)
    text = (
        who.tr("newtask.preview") + "\n\n" + card_text(who.tr, task, TaskRoster(0, 0), who.services)
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    who.tr("newtask.publish"),
                    callback_data=TaskManageButton(ManageAction.PUBLISH, task.id).pack(),
                ),
                InlineKeyboardButton(
                    who.tr("button.cancel"),
                    callback_data=TaskManageButton(ManageAction.DROP, task.id).pack(),
                ),
            ]
        ]
    )
    await reply(update, text, reply_markup=markup)


async def cancel(update: Update, context: Context) -> int:
    """Stop the guided flow; nothing is stored."""
    return await end_conversation(update, context, DRAFT, N_("newtask.cancelled"))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The /newtask conversation (private chats)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        GuidedConversation(
            entry_points=[CommandHandler("newtask", secretary_only(newtask), filters=private)],
            states={
                STEP: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_answer),
                    CallbackQueryHandler(on_answer, pattern=NewTaskChoice.matches),
                ]
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=NewTaskCancel.matches),
                CommandHandler("newtask", secretary_only(newtask), filters=private),
            ],
            name="newtask",
            conversation_timeout=30 * 60,
            drafts=(DRAFT,),
            command="newtask",
            allow_reentry=True,
        )
    )
