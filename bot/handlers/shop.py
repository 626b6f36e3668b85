"""The points shop: /rewards, redeeming in the quarterly window, and the secretary's shelf."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.forms import FormError, whole_number
from bot.domain.paging import page_of
from bot.domain.shop import (
    RedeemOutcome,
    Reward,
    check_cost,
    check_reward_name,
    check_stock,
    parse_new_reward,
    redemption_window,
)
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    chat_reader_tr,
    community_here,
    edit_text,
    form_error_text,
    in_private,
    is_private,
    no_community_here,
    reply,
    secretary_community,
    secretary_only,
    send_private,
)
from bot.i18n import N_, Translator
from bot.usecases.points import settle_redemption
from bot.usecases.shop import redeem, reward_for_member
from bot.views.callbacks import (
    RedeemCancel,
    RedeemConfirm,
    RedemptionSettle,
    RewardBuy,
    RewardRetire,
    RewardsPage,
    SettleAction,
)
from bot.views.keyboards import choice_row, pager
from bot.views.times import day_text, days_text

LABELS = {
    "name": N_("shop.field.name"),
    "cost": N_("shop.field.cost"),
    "stock": N_("shop.field.stock"),
}
ANSWERS = {
    RedeemOutcome.REDEEMED: N_("shop.redeemed"),
    RedeemOutcome.NOT_ENOUGH_POINTS: N_("shop.not_enough"),
    RedeemOutcome.OUT_OF_STOCK: N_("shop.out_of_stock"),
    RedeemOutcome.RETIRED: N_("shop.retired"),
    RedeemOutcome.ALREADY: N_("shop.already"),
}
PHOTOS_SHOWN = 5
EDITS = {"name": check_reward_name, "cost": check_cost, "stock": check_stock}


REWARDS_PAGE = 10  # rewards a page: two buttons each at most, far from Telegram's 100


async def rewards_command(update: Update, context: Context) -> None:
    """The shelf, a page at a time, with Redeem buttons (and Retire for secretaries, in
    private)."""
    who = await caller(update, context)
    community_id = await community_here(update, who)
    if community_id is None:
        await no_community_here(update, who)
        return
    rewards = await who.services.storage.shop.on_shelf(community_id)
    if not rewards:
        await reply(update, who.tr("shop.empty"))
        return
    text, markup = _shelf_page(update, who, who.tr, community_id, rewards, 0)
    await reply(update, text, reply_markup=markup)
    if is_private(update):
        await _show_photos(update, who, [r for r in rewards if r.photo_file_id][:PHOTOS_SHOWN])


async def on_rewards_page(update: Update, context: Context) -> None:
    """Turn the page of the shelf (in a group, in the group's language)."""
    query = update.callback_query
    button = RewardsPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await community_here(update, who)
    await query.answer()
    if community_id is None:
        return
    tr = await chat_reader_tr(update, who)
    rewards = await who.services.storage.shop.on_shelf(community_id)
    if not rewards:
        await edit_text(query, tr("shop.empty"))
        return
    text, markup = _shelf_page(update, who, tr, community_id, rewards, button.page)
    await edit_text(query, text, markup)


def _shelf_page(
    update: Update,
    who: Caller,
    tr: Translator,
    community_id: int,
    rewards: list[Reward],
    requested: int,
) -> tuple[str, InlineKeyboardMarkup]:
    page = page_of(len(rewards), requested, REWARDS_PAGE)
    settings = who.services.settings
    window = redemption_window(who.services.now().date(), settings.redemption_window_days)
    header = tr("shop.header", days=days_text(tr, window.first_day, window.last_day))
    if page.count > 1:
        header += f" ({page.number + 1}/{page.count})"
    lines = [header]
    manage = (
        who.secretary is not None
        and who.secretary.community_id == community_id
        and is_private(update)
    )
    rows = []
    for reward in rewards[page.offset : page.offset + page.size]:
        lines.append(
            tr("shop.line", id=reward.id, name=reward.name, cost=reward.cost, stock=reward.stock)
        )
        row = (
            [
                InlineKeyboardButton(
                    tr.plain("shop.redeem", name=reward.name[:20]),
                    callback_data=RewardBuy(reward.id).pack(),
                )
            ]
            if reward.stock > 0  # nothing to redeem: no button that can only say so
            else []
        )
        if manage:
            row.append(
                InlineKeyboardButton(
                    tr.plain("shop.retire"), callback_data=RewardRetire(reward.id).pack()
                )
            )
        if row:
            rows.append(row)
    rows.append(pager(tr, page, RewardsPage))
    return "\n".join(lines), InlineKeyboardMarkup([r for r in rows if r])


async def _show_photos(update: Update, who: Caller, rewards: list[Reward]) -> None:
    """Rewards with a photo, each with its Redeem button (private chats only: no group spam)."""
    chat = update.effective_chat
    assert chat is not None
    for reward in rewards:
        button = InlineKeyboardButton(
            who.tr.plain("shop.redeem", name=reward.name[:20]),
            callback_data=RewardBuy(reward.id).pack(),
        )
        await chat.send_photo(
            reward.photo_file_id or "",
            caption=who.tr(
                "shop.line", id=reward.id, name=reward.name, cost=reward.cost, stock=reward.stock
            ),
            reply_markup=InlineKeyboardMarkup([[button]]),
        )


async def on_retire(update: Update, context: Context) -> None:
    """Take a reward off the shelf (secretaries)."""
    query = update.callback_query
    button = RewardRetire.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is not None:
        done = await who.services.storage.shop.update(button.reward_id, community_id, "active", 0)
        await query.answer(
            who.tr("shop.retired_done" if done else "callback.stale"), show_alert=True
        )


async def _reward_for_member(
    query: CallbackQuery, who: Caller, reward_id: int, *, asking: bool = True
) -> tuple[Reward | None, int]:
    """The reward, when the member may redeem it now, and their balance; else the reason is
    the answer."""
    today = who.services.now().date()
    access = await reward_for_member(who.services, who.member, reward_id, today, asking=asking)
    if access.refusal is not None:
        opens = day_text(who.tr, access.opens) if access.opens else ""
        text = who.tr.plain(
            access.refusal,
            opens=opens,
            name=access.name,
            cost=access.cost,
            balance=access.balance,
        )
        await query.answer(text, show_alert=True)
    return access.reward, access.balance


async def on_buy(update: Update, context: Context) -> None:
    """Redeem: asks to confirm."""
    query = update.callback_query
    button = RewardBuy.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    reward, balance = await _reward_for_member(query, who, button.reward_id)
    if reward is not None:
        await _confirm(update, who, reward, balance)


async def on_confirm(update: Update, context: Context) -> None:
    """Confirm: redeems once, however often tapped."""
    query = update.callback_query
    button = RedeemConfirm.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    reward, _ = await _reward_for_member(query, who, button.reward_id, asking=False)
    if reward is None or who.member is None:
        return
    result = await redeem(who.services, who.member, reward, button.key)
    outcome, balance = result.outcome, result.balance
    await query.answer(
        who.tr.plain(ANSWERS[outcome], name=reward.name, cost=reward.cost, balance=balance),
        show_alert=True,
    )
    if outcome is RedeemOutcome.REDEEMED:
        await edit_text(
            query,
            who.tr("shop.redeemed_message", name=reward.name, cost=reward.cost, balance=balance),
        )


async def on_cancel(update: Update, context: Context) -> None:
    """Cancel a confirmation: nothing is redeemed."""
    query = update.callback_query
    assert query is not None
    who = await caller(update, context)
    await query.answer()
    await edit_text(query, who.tr("shop.cancelled"))


async def _confirm(update: Update, who: Caller, reward: Reward, balance: int) -> None:
    """A confirmation whose button redeems once (its key is single-use), and a Cancel, in
    private."""
    query = update.callback_query
    assert query is not None and who.member is not None and who.member.telegram_id is not None
    key = secrets.token_hex(6)
    markup = InlineKeyboardMarkup(
        [
            choice_row(
                (
                    who.tr.plain("shop.confirm", cost=reward.cost),
                    RedeemConfirm(reward.id, key).pack(),
                ),
                (who.tr.plain("button.cancel"), RedeemCancel().pack()),
            )
        ]
    )
    text = who.tr("shop.confirm_text", name=reward.name, cost=reward.cost, balance=balance)
    if is_private(update):
        await query.answer()
        await reply(update, text, reply_markup=markup)
    elif await send_private(query.get_bot(), who.services, who.member.telegram_id, text, markup):
        await query.answer(who.tr("shop.confirm_sent"), show_alert=True)
    else:
        await query.answer(who.tr("shop.open_private"), show_alert=True)


async def reward_command(update: Update, context: Context) -> None:
    """/reward add <name> <cost> <stock> | /reward <name|cost|stock> <id> <value>."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    message = update.message
    assert message is not None
    words = (message.text or message.caption or "").split()[1:]
    photo = message.photo[-1].file_id if message.photo else None
    shop = who.services.storage.shop
    try:
        if words[:1] == ["add"]:
            name, cost, stock = parse_new_reward(words[1:])
            reward_id = await shop.add(community_id, name, cost, stock, photo)
            await reply(
                update, who.tr("shop.added", id=reward_id, name=name, cost=cost, stock=stock)
            )
            return
        edited = whole_number(words[1].lstrip("#")) if len(words) >= 3 else None
        if edited is not None and words[0] in EDITS:
            value = EDITS[words[0]](" ".join(words[2:]))
            done = await shop.update(edited, community_id, words[0], value)
            await reply(update, who.tr("shop.updated" if done else "shop.no_such", id=words[1]))
            return
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return
    await reply(update, who.tr("shop.usage"))


async def redemptions_command(update: Update, context: Context) -> None:
    """Redemptions waiting to be handed over, with Handed over and Cancel buttons."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    pending = await who.services.storage.shop.pending(community_id)
    if not pending:
        await reply(update, who.tr("shop.no_pending"))
        return
    lines, rows = [who.tr("shop.pending_header")], []
    for n, item in enumerate(pending, start=1):
        lines.append(
            who.tr(
                "shop.pending_line",
                n=n,
                name=item.member_name,
                reward=item.reward_name,
                cost=item.cost,
            )
        )
        rows.append(
            choice_row(
                (
                    who.tr("shop.hand_over", n=n),
                    RedemptionSettle(SettleAction.HAND_OVER, item.id).pack(),
                ),
                (who.tr("shop.cancel", n=n), RedemptionSettle(SettleAction.REFUND, item.id).pack()),
            )
        )
    await reply(update, "\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


async def on_settle(update: Update, context: Context) -> None:
    """Handed over, or cancelled with a refund; the member is told."""
    query = update.callback_query
    button = RedemptionSettle.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    handed_over = button.action is SettleAction.HAND_OVER
    result = await settle_redemption(
        who.services, who.user_id, community_id, button.redemption_id, handed_over=handed_over
    )
    if not result.changed or result.redemption is None:
        await query.answer(who.tr("callback.stale"), show_alert=True)
        return
    item = result.redemption
    await query.answer(who.tr("review.done"))
    await edit_text(query, who.tr("shop.settled", name=item.member_name, reward=item.reward_name))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/rewards, /reward (also as a photo caption), /redemptions and the shop's buttons."""
    app.add_handler(CommandHandler("rewards", rewards_command))
    app.add_handler(CallbackQueryHandler(on_rewards_page, pattern=RewardsPage.matches))
    app.add_handler(CommandHandler("reward", secretary_only(reward_command)))
    app.add_handler(
        MessageHandler(
            filters.PHOTO & filters.CaptionRegex(r"^/reward(@\w+)?\s"),
            secretary_only(reward_command),
        )
    )
    app.add_handler(CommandHandler("redemptions", secretary_only(in_private(redemptions_command))))
    app.add_handler(CallbackQueryHandler(on_buy, pattern=RewardBuy.matches))
    app.add_handler(CallbackQueryHandler(on_confirm, pattern=RedeemConfirm.matches))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=RedeemCancel.matches))
    app.add_handler(CallbackQueryHandler(secretary_only(on_retire), pattern=RewardRetire.matches))
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_settle), pattern=RedemptionSettle.matches)
    )
