"""How a secretary's notice reads: its preview, with Send and Cancel, and as sent (17.20)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.notices import NoticeAudience
from bot.i18n import Translator
from bot.views.callbacks import NoticeCancel, NoticeSend

AUDIENCE_KEYS = {
    NoticeAudience.MEMBERS: "notice.audience_members",
    NoticeAudience.GROUPS: "notice.audience_groups",
}


def notice_text(tr: Translator, community: str, text: str) -> str:
    """The notice as its recipients read it, headed with the community."""
    return tr("notice.text", community=community, text=text)


def preview(
    tr: Translator, audience: NoticeAudience, count: int, community: str, text: str, token: int
) -> tuple[str, InlineKeyboardMarkup]:
    """What the secretary confirms: where it goes, to how many, and the notice itself."""
    head = tr("notice.preview", audience=tr(AUDIENCE_KEYS[audience]), count=count)
    buttons = [
        InlineKeyboardButton(tr.plain("notice.send"), callback_data=NoticeSend(token).pack()),
        InlineKeyboardButton(tr.plain("button.cancel"), callback_data=NoticeCancel().pack()),
    ]
    return head + "\n\n" + notice_text(tr, community, text), InlineKeyboardMarkup([buttons])
