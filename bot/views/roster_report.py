"""What was wrong with a roster file, line by line, as the CLI and the chat report it."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot.domain.enrollment import FIELD_LABELS
from bot.domain.roster import RosterParse
from bot.i18n import N_, Translator
from bot.views.callbacks import NotEnrolledSheet
from bot.views.keyboards import one_button

LABELS = {**FIELD_LABELS, "phone": N_("roster.field.phone")}
# about the whole file, not one of its lines
FILE_ERRORS = {
    N_("roster.error.unreadable"),
    N_("roster.error.too_big"),
    N_("roster.error.old_excel"),
}


def roster_errors(tr: Translator, parsed: RosterParse, shown: int | None = None) -> list[str]:
    """One line per bad row (the first ``shown`` of them), then how many there were and that
    nothing was imported."""
    lines = []
    for row_error in parsed.errors[:shown]:
        error = row_error.error
        field = tr(LABELS[error.field]) if error.field in LABELS else error.field
        params = dict(error.params)
        columns = params.get("columns")
        if isinstance(columns, tuple):  # field names, in the reader's words
            params["columns"] = tr.plain("list.separator").join(tr(LABELS[c]) for c in columns)
        message = tr(error.key, field=field, **params)
        if error.key not in FILE_ERRORS:
            message = tr("cli.row_error", line=row_error.line, message=message)
        lines.append(message)
    left_out = len(parsed.errors) - len(lines)
    if left_out:
        lines.append(tr("list.more", count=left_out).strip())
    lines.append(tr.plural("cli.import_nothing", count=len(parsed.errors)))
    return lines


NOT_ENROLLED_SHOWN = 5  # people named in a message; the sheet has them all


def not_enrolled_lines(
    tr: Translator, count: int, first: Sequence[tuple[str, str, str]]
) -> list[str]:
    """How many on the roster never enrolled (未登记: the bot has no chat with them, they are
    not "unreachable"), the first few with phone and unit, and where the whole list is."""
    lines = [tr.plural("roster.not_enrolled", count=count)]
    for name, phone, unit in first[:NOT_ENROLLED_SHOWN]:
        lines.append(tr("roster.not_enrolled_line", name=name, phone=phone, unit=unit or "—"))
    if count > NOT_ENROLLED_SHOWN:
        lines.append(tr("list.more", count=count - NOT_ENROLLED_SHOWN).strip())
    lines.append(tr("roster.not_enrolled_hint"))
    return lines


def not_enrolled_button(tr: Translator) -> InlineKeyboardMarkup:
    """The button that sends the whole list as a sheet."""
    return one_button(tr.plain("roster.not_enrolled_button"), NotEnrolledSheet().pack())
