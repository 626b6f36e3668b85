"""A wish's card on the wall (心愿墙)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.models import Member
from bot.domain.paging import page_of
from bot.i18n import Translator
from bot.services import Services
from bot.storage.wishes import Wish
from bot.views.callbacks import WishAction, WishButton, WishesMinePage, WishMessage
from bot.views.keyboards import pager, wish_card_keyboard

MINE_PAGE = 5  # wishes a page of /mywishes: five of the longest fit in one message


def wish_card_text(tr: Translator, wish: Wish, claimant: str | None = None) -> str:
    """The wish and the compound (no phone, no name, no private details), then who took it
    on, or how to take it on."""
    lines = [tr("wish.card", number=wish.id, text=wish.text)]
    if wish.compound:
        lines.append(tr("wish.card_compound", compound=wish.compound))
    if claimant:
        lines.append(tr("wish.card_claimed", name=claimant))
    else:
        lines.append(tr("wish.card_call"))
    return "\n".join(lines)


async def render_wish_card(
    services: Services, wish_id: int, chat_id: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A wish's card as it should look now, in the group's language: on the wall, with its
    Claim button; taken on, with the claimant's name and no button."""
    storage = services.storage
    wish = await storage.wishes.get(wish_id)
    if wish is None:
        return None
    tr = services.translations.get(await storage.groups.language(chat_id))
    if wish.status == "withdrawn":  # its author asked to be forgotten (16.2)
        return tr("wish.card_withdrawn", number=wish.id), None
    if wish.status == "open":
        return wish_card_text(tr, wish), wish_card_keyboard(tr, wish.id)
    return wish_card_text(tr, wish, claimant=wish.claimant_name), None


def relay_button(tr: Translator, wish_id: int, claim: int, label_key: str) -> InlineKeyboardButton:
    """Write to the other side of the wish's ``claim``-th claim (``label_key``: to the
    resident, to the volunteer, or Reply)."""
    return InlineKeyboardButton(
        tr.plain(label_key, number=wish_id), callback_data=WishMessage(wish_id, claim).pack()
    )


def relay_keyboard(
    tr: Translator, wish_id: int, claim: int, label_key: str
) -> InlineKeyboardMarkup:
    """A keyboard of the one relay button."""
    return InlineKeyboardMarkup([[relay_button(tr, wish_id, claim, label_key)]])


async def my_wishes_page(
    services: Services, tr: Translator, member: Member, requested: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the wishes a member took on: MINE_PAGE of at most 200 characters each fit
    in one message, and three buttons each (Done, Release, write to the resident; with Prev /
    Next) stay far under Telegram's limits."""
    wishes_of = services.storage.wishes
    page = page_of(await wishes_of.count_claimed_by(member.id), requested, MINE_PAGE)
    wishes = await wishes_of.claimed_by(member.id, page.offset, page.size)
    if not wishes:
        return tr("wish.mine_none"), None
    header = tr("wish.mine_header")
    if page.count > 1:
        header += f" ({page.number + 1}/{page.count})"
    lines, rows = [header], []
    for wish in wishes:
        status = tr(f"wish.status.{wish.status}", name=member.name)
        lines.append(tr("wish.line", number=wish.id, text=wish.text, status=status))
        row = []
        if wish.status == "claimed":
            row += [
                InlineKeyboardButton(
                    tr.plain("wish.done", number=wish.id),
                    callback_data=WishButton(WishAction.DONE, wish.id).pack(),
                ),
                InlineKeyboardButton(
                    tr.plain("wish.release", number=wish.id),
                    callback_data=WishButton(WishAction.RELEASE, wish.id).pack(),
                ),
            ]
        if wish.author_id is not None and wish.author_id != member.telegram_id:
            row.append(relay_button(tr, wish.id, wish.claims, "wish.message_resident_short"))
        rows.append(row)
    rows.append(pager(tr, page, WishesMinePage))
    rows = [r for r in rows if r]
    return "\n\n".join(lines), InlineKeyboardMarkup(rows) if rows else None
