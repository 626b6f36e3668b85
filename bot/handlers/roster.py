"""A secretary sends the roster file (.xlsx or CSV) in private: checked, then imported."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.domain.roster import MAX_FILE_BYTES
from bot.domain.roster_file import read_roster_file
from bot.handlers.common import Context, caller, reply, secretary_community, secretary_only
from bot.usecases.enrollment import import_roster
from bot.usecases.roster_followup import not_enrolled_count
from bot.views.roster_report import not_enrolled_button, roster_errors

logger = logging.getLogger(__name__)

ERRORS_SHOWN = 30  # the rest are counted; one message stays well within Telegram's limit
ROSTER_FILES = (
    filters.Document.FileExtension("xlsx")
    | filters.Document.FileExtension("csv")
    | filters.Document.FileExtension("xls")
)


async def on_roster_file(update: Update, context: Context) -> None:
    """Import the roster in the file: every row checked first, all rows or none."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    message = update.message
    if community_id is None or message is None or message.document is None:
        return
    document = message.document
    if (document.file_size or 0) > MAX_FILE_BYTES:
        max_mb = MAX_FILE_BYTES // (1024 * 1024)
        await reply(update, who.tr("roster.error.too_big", max_mb=max_mb))
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    parsed = await asyncio.to_thread(read_roster_file, document.file_name or "", data)
    if parsed.errors:
        logger.info("roster from %s refused: %s bad rows", who.user_id, len(parsed.errors))
        await reply(update, "\n".join(roster_errors(who.tr, parsed, ERRORS_SHOWN)))
        return
    added, updated = await import_roster(who.services, community_id, parsed.rows)
    lines = [who.tr("cli.import_done", added=added, updated=updated), who.tr("roster.next_step")]
    waiting = await not_enrolled_count(who.services, community_id)
    if waiting:  # whom to follow up: the button sends them as a sheet
        lines.append(who.tr.plural("roster.not_enrolled", count=waiting))
        await reply(update, "\n".join(lines), reply_markup=not_enrolled_button(who.tr))
        return
    await reply(update, "\n".join(lines))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """A roster file in private."""
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & ROSTER_FILES, secretary_only(on_roster_file))
    )
