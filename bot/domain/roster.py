"""Reading a community's roster from CSV: every bad row is reported, nothing half-imported."""

from __future__ import annotations

import csv
import io
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
    "手机": "phone",
    "手机号": "phone",
    "电话": "phone",
    "unit": "work_unit",
    "work unit": "work_unit",
    "单位": "work_unit",
    "工作单位": "work_unit",
    "type": "member_type",
    "类型": "member_type",
    "身份": "member_type",
    "compound": "compound",
    "小区": "compound",
}
REQUIRED_COLUMNS = ("name", "phone")


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


def parse_roster_csv(text: str) -> RosterParse:
    """Validate a roster CSV (headers in English or Chinese)."""
    result = RosterParse()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    columns = [_HEADERS.get(" ".join(h.lower().split())) for h in header or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if header is None or missing:
        error = FormError(N_("roster.error.columns"), params={"columns": ", ".join(missing)})
        result.errors.append(RowError(1, error))
        return result
    seen_phones: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
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
