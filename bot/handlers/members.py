"""/members: a secretary's view of who enrolled and who on the roster has not, page by page."""

from __future__ import annotations

import io
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.paging import page_of
from bot.domain.text_limits import CAPTION_LIMIT, shorten
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    heavy,
    in_private,
    one_member,
    reply,
    secretary_community,
    secretary_only,
)
from bot.i18n import N_
from bot.usecases.enrollment import Match, match_roster, match_roster_by_phone, unmatch_roster
from bot.usecases.roster_followup import not_enrolled
from bot.views.callbacks import MembersPage, MembersView, NotEnrolledSheet, RosterMatch
from bot.views.keyboards import pager
from bot.views.profile import member_type_label
from bot.views.roster_report import not_enrolled_button, not_enrolled_lines

PAGE_SIZE = 20

MATCH_ANSWERS = {
    Match.LINKED: N_("roster.matched"),
    Match.GONE: N_("roster.member_gone"),  # erased since the question was asked
    Match.TAKEN: N_("callback.stale"),
}

# /members missing: the never-enrolled as a sheet (the word in each of the bot's languages)
MISSING_ARGS = {"missing", "未登记", "未登記"}


async def members_command(update: Update, context: Context) -> None:
    """The first page of enrolled members; ``/members missing``: the sheet of the roster
    people who never enrolled."""
    who = await caller(update, context)
    if context.args and context.args[0].lower() in MISSING_ARGS:
        await send_not_enrolled(update, context)
        return
    text, markup = await _render(who, MembersView.ENROLLED, 0)
    await reply(update, text, reply_markup=markup)


async def on_not_enrolled_sheet(update: Update, context: Context) -> None:
    """The 未登记 sheet button (under /members, a roster import, an evening's reminders)."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await send_not_enrolled(update, context)


@heavy
async def send_not_enrolled(update: Update, context: Context) -> None:
    """How many on the roster never enrolled, the first few, and the sheet of them all."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    chat = update.effective_chat
    if community_id is None or chat is None:
        return
    found = await not_enrolled(who.services, who.tr, community_id)
    if found.sheet is None:
        await reply(update, who.tr("roster.all_enrolled"))
        return
    lines = not_enrolled_lines(who.tr, len(found.entries), found.first)
    name, data = found.sheet
    caption = shorten("\n".join(lines), CAPTION_LIMIT)  # however many: the sheet has them all
    await chat.send_document(io.BytesIO(data), filename=name, caption=caption)


async def on_page(update: Update, context: Context) -> None:
    """Prev / Next and the enrolled / not-enrolled switch."""
    query = update.callback_query
    button = MembersPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    text, markup = await _render(who, button.view, button.page)
    await query.answer()
    await edit_text(query, text, markup)


async def _render(
    who: Caller, view: MembersView, requested: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    storage = who.services.storage
    tr = who.tr
    assert who.secretary is not None
    if who.secretary.community_id is None:
        return tr("group.needs_community"), None
    community_id = who.secretary.community_id
    enrolled = await storage.members.count_in_community(community_id)
    on_roster, linked = await storage.roster.counts(community_id)
    header = tr("members.header", enrolled=enrolled, roster=on_roster, linked=linked)
    if view is MembersView.ENROLLED:
        page = page_of(enrolled, requested, PAGE_SIZE)
        members = await storage.members.list_in_community(community_id, page.offset, page.size)
        lines = [
            tr(
                "members.line_with_id",  # the #id that /grant, /link and /secretary take
                id=m.id,
                name=m.name,
                member_type=member_type_label(tr, m.member_type),
                work_unit=m.work_unit or "—",
                compound=m.compound or "—",
            )
            for m in members
        ]
        title = tr("members.enrolled_title")
    else:
        page = page_of(on_roster - linked, requested, PAGE_SIZE)
        entries = await storage.roster.list_unenrolled(community_id, page.offset, page.size)
        lines = [
            tr(
                "members.line",
                name=e.name,
                member_type=member_type_label(tr, e.member_type),
                work_unit=e.work_unit or "—",
                compound=e.compound or "—",
            )
            for e in entries
        ]
        title = tr("members.unenrolled_title")
    body = "\n".join(lines) or tr("members.none")
    text = f"{header}\n\n<b>{title}</b> ({page.number + 1}/{page.count})\n{body}"
    enrolled = view is MembersView.ENROLLED
    other = MembersView.ROSTER if enrolled else MembersView.ENROLLED
    switch_key = N_("members.show_unenrolled") if enrolled else N_("members.show_enrolled")
    rows = [
        pager(tr, page, lambda n: MembersPage(view, n)),
        [InlineKeyboardButton(tr(switch_key), callback_data=MembersPage(other, 0).pack())],
    ]
    if on_roster > linked:  # the never-enrolled, with phone and unit, as a sheet
        rows.append(list(not_enrolled_button(tr).inline_keyboard[0]))
    return text, InlineKeyboardMarkup([r for r in rows if r])


async def link_command(update: Update, context: Context) -> None:
    """/link <member> <phone>: this member is the roster row with that phone;
    /unlink <member>: they are not."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    message = update.message
    if community_id is None or message is None:
        return
    unlinking = (message.text or "").lstrip("/").lower().startswith("unlink")
    args = context.args or []
    if len(args) < (1 if unlinking else 2):
        await reply(update, who.tr("roster.link_usage"))
        return
    ref = " ".join(args if unlinking else args[:-1])
    member = await one_member(update, who, community_id, ref)
    if member is None:
        return
    if unlinking:
        done = await unmatch_roster(who.services, community_id, member.id)
        await reply(
            update, who.tr("roster.unlinked" if done else "roster.not_linked", name=member.name)
        )
        return
    done = await match_roster_by_phone(who.services, community_id, member.id, args[-1])
    await reply(update, who.tr("roster.matched" if done else "roster.no_such_row", phone=args[-1]))


async def on_roster_match(update: Update, context: Context) -> None:
    """A secretary says which roster row a new member is."""
    query = update.callback_query
    button = RosterMatch.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    match = await match_roster(who.services, community_id, button.member_id, button.roster_id)
    key = MATCH_ANSWERS[match]
    await query.answer(who.tr.plain(key), show_alert=match is not Match.LINKED)
    await edit_text(query, who.tr(key))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/members and its page buttons."""
    app.add_handler(CommandHandler("members", secretary_only(in_private(members_command))))
    app.add_handler(CallbackQueryHandler(secretary_only(on_page), pattern=MembersPage.matches))
    app.add_handler(
        CallbackQueryHandler(
            secretary_only(on_not_enrolled_sheet), pattern=NotEnrolledSheet.matches
        )
    )
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_roster_match), pattern=RosterMatch.matches)
    )
    private = filters.ChatType.PRIVATE
    app.add_handler(
        CommandHandler(["link", "unlink"], secretary_only(link_command), filters=private)
    )
