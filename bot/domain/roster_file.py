"""A roster file as a secretary receives it: .xlsx, or CSV in UTF-8 (BOM or not) or GBK."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from bot.domain.forms import FormError
from bot.domain.messages import N_
from bot.domain.roster import (
    MAX_FILE_BYTES,
    MAX_LINES,
    RosterParse,
    RowError,
    decode_roster_text,
    parse_roster_csv,
    parse_roster_rows,
)

XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
MAX_COLUMNS = 30


def read_roster_file(filename: str, data: bytes) -> RosterParse:
    """Validate a roster file, whatever Excel saved it as."""
    if len(data) > MAX_FILE_BYTES:
        return _refused(N_("roster.error.too_big"), {"max_mb": MAX_FILE_BYTES // (1024 * 1024)})
    if filename.lower().endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        try:
            return parse_roster_rows(_xlsx_lines(data))
        except Exception:  # a damaged or crafted file: openpyxl fails in many ways
            return _refused(N_("roster.error.unreadable"), {})
    if filename.lower().endswith(".xls"):
        return _refused(N_("roster.error.old_excel"), {})
    return parse_roster_csv(decode_roster_text(data))


def _refused(key: str, params: dict[str, object]) -> RosterParse:
    return RosterParse(errors=[RowError(1, FormError(key, params=params))])


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, Sequence[str]]]:
    """The first sheet's rows as text, numbered as Excel numbers them."""
    from openpyxl import load_workbook  # only when a roster comes: it weighs 15 MB

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # a sheet may claim a million rows of 16,384 columns: read only what a roster can be
        rows = sheet.iter_rows(max_row=MAX_LINES, max_col=MAX_COLUMNS, values_only=True)
        for number, row in enumerate(rows, start=1):
            yield number, [_cell_text(value) for value in row]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text a person sees: 13800001111 not 13800001111.0, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
