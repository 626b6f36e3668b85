"""Reading a community's roster as work units send it: an .xlsx file, or a CSV saved by
Excel (UTF-8 with a BOM, or GBK/GB18030); every bad row is reported by its line, nothing is
half-imported."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.enrollment import (
    check_compound,
    check_name,
    check_work_unit,
    normalize_phone,
    parse_member_type,
)
from bot.domain.forms import FormError
from bot.domain.messages import N_
from bot.domain.models import MemberType

_HEADERS = {
    "name": "name",
    "姓名": "name",
    "phone": "phone",
    "mobile": "phone",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "电话": "phone",
    "联系电话": "phone",
    "联系方式": "phone",
    "unit": "work_unit",
    "work unit": "work_unit",
    "单位": "work_unit",
    "工作单位": "work_unit",
    "所在单位": "work_unit",
    "type": "member_type",
    "类型": "member_type",
    "人员类型": "member_type",
    "身份": "member_type",
    "compound": "compound",
    "小区": "compound",
    "所在小区": "compound",
    "居住小区": "compound",
}
UNREADABLE = "\x00unreadable"  # a line the CSV reader could not split into cells
MAX_ROWS = 20_000  # a community's roster; a bigger file is a mistake
MAX_LINES = MAX_ROWS + 1_000  # blank lines included
MAX_FILE_BYTES = 5 * 1024 * 1024
REQUIRED_COLUMNS = ("name", "phone")
HEADER_ROWS = 10  # the headers are looked for this far down, below a title or a note
_HEADER_NOTE = re.compile(r"[(（\[【<《].*?[)）\]】>》]")  # 手机号（必填）
_HEADER_MARKS = "*＊:："  # *姓名, 姓名：


@dataclass(frozen=True)
class RosterRow:
    """One valid roster row."""

    line: int
    name: str
    phone: str
    work_unit: str
    member_type: MemberType
    compound: str


@dataclass(frozen=True)
class RowError:
    """Why the row on ``line`` cannot be imported."""

    line: int
    error: FormError


@dataclass
class RosterParse:
    """Rows read and errors found; import only when there are no errors."""

    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode_roster_text(data: bytes) -> str:
    """The text of a CSV as Excel saves it: UTF-8 (with or without a BOM), else GB18030
    (which reads GBK and GB2312 too)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def parse_roster_csv(text: str) -> RosterParse:
    """Validate a roster CSV (headers in English or Chinese)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))

    def numbered() -> Iterable[tuple[int, Sequence[str]]]:
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error:  # a stray quote or NUL: this line cannot be read, nor what follows
            yield reader.line_num, [UNREADABLE]

    return parse_roster_rows(numbered())


def header_column(cell: str) -> str | None:
    """The field a header cell names: 手机号码、联系电话、“姓 名”、“*姓名” and
    “手机号（必填）” as much as “手机号”; None for anything else."""
    text = " ".join(str(cell).lower().split())
    text = _HEADER_NOTE.sub("", text).strip(_HEADER_MARKS).strip()
    if text in _HEADERS:
        return _HEADERS[text]
    return _HEADERS.get(text.replace(" ", ""))  # 姓 名: spaced out to fill the column


def find_header(
    rows: Sequence[tuple[int, Sequence[str]]],
) -> tuple[int, list[str | None], list[str]]:
    """The row read as the headers among ``rows`` (the first ones of a file): the first with
    every required column, after any title rows above it. Returns its index in ``rows``,
    the field of each of its cells and the required columns it lacks (none when found);
    when no row has them all, the row that came closest (the first non-blank one if none
    names any column) is the one named, with what it lacks."""
    best: tuple[int, list[str | None], list[str]] | None = None
    best_known = -1
    for index, (_line, cells) in enumerate(rows):
        columns = [header_column(c) for c in cells]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if not missing:
            return index, columns, missing
        known = len({c for c in columns if c})
        blank = not any(str(c).strip() for c in cells)
        if not blank and known > best_known:
            best, best_known = (index, columns, missing), known
    return best if best is not None else (0, [], list(REQUIRED_COLUMNS))


def parse_roster_rows(lines: Iterable[tuple[int, Sequence[str]]]) -> RosterParse:
    """Validate a roster given as (line number, cells): the headers are the first row with
    the required columns within the first HEADER_ROWS (a title row above them is skipped)."""
    result = RosterParse()
    numbered = iter(lines)
    first_rows: list[tuple[int, Sequence[str]]] = []
    for line, cells in numbered:
        if list(cells) == [UNREADABLE]:  # before any headers: nothing of the file can be read
            result.errors.append(RowError(line, FormError(N_("roster.error.unreadable_line"))))
            return result
        first_rows.append((line, cells))
        fields = {header_column(cell) for cell in cells}
        if all(c in fields for c in REQUIRED_COLUMNS) or len(first_rows) >= HEADER_ROWS:
            break
    index, columns, missing = find_header(first_rows)
    if missing:
        line = first_rows[index][0] if first_rows else 1
        params = {"columns": tuple(missing), "rows": HEADER_ROWS}
        result.errors.append(RowError(line, FormError(N_("roster.error.columns"), params=params)))
        return result
    seen_phones: dict[str, int] = {}
    for line, cells in numbered:
        if line > MAX_LINES:
            error = FormError(N_("roster.error.too_many"), params={"max": MAX_ROWS})
            result.errors.append(RowError(line, error))
            break
        if list(cells) == [UNREADABLE]:
            result.errors.append(RowError(line, FormError(N_("roster.error.unreadable_line"))))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            error = FormError(N_("roster.error.too_many"), params={"max": MAX_ROWS})
            result.errors.append(RowError(line, error))
            break
        values = {col: cell for col, cell in zip(columns, cells, strict=False) if col}
        try:
            row = _read_row(line, values)
        except FormError as exc:
            result.errors.append(RowError(line, exc))
            continue
        if row.phone in seen_phones:
            error = FormError(
                N_("roster.error.duplicate_phone"),
                field="phone",
                params={"other_line": seen_phones[row.phone]},
            )
            result.errors.append(RowError(line, error))
            continue
        seen_phones[row.phone] = line
        result.rows.append(row)
    return result


def _read_row(line: int, values: dict[str, str]) -> RosterRow:
    phone = normalize_phone(values.get("phone", ""))
    if phone is None:
        raise FormError(N_("roster.error.phone"), field="phone")
    raw_type = values.get("member_type", "").strip()
    member_type = parse_member_type(raw_type) if raw_type else MemberType.IN_SERVICE
    return RosterRow(
        line=line,
        name=check_name(values.get("name", "")),
        phone=phone,
        work_unit=check_work_unit(values.get("work_unit", ""), member_type),
        member_type=member_type,
        compound=check_compound(values.get("compound", "")),
    )
