"""What was wrong with a roster file, line by line, as the CLI and the chat report it."""

from __future__ import annotations

from bot.domain.enrollment import FIELD_LABELS
from bot.domain.roster import RosterParse
from bot.i18n import Translator


def roster_errors(tr: Translator, parsed: RosterParse, shown: int | None = None) -> list[str]:
    """One line per bad row (the first ``shown`` of them), then how many there were and that
    nothing was imported."""
    lines = []
    for row_error in parsed.errors[:shown]:
        error = row_error.error
        field = tr(FIELD_LABELS[error.field]) if error.field in FIELD_LABELS else error.field
        message = tr(error.key, field=field, **error.params)
        lines.append(tr("cli.row_error", line=row_error.line, message=message))
    left_out = len(parsed.errors) - len(lines)
    if left_out:
        lines.append(tr("list.more", count=left_out).strip())
    lines.append(tr("cli.import_nothing", count=len(parsed.errors)))
    return lines
