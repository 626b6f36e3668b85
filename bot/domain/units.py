"""Work units (报到单位): the quarter a feedback covers, and what ``/units`` is asked to do."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.forms import FormError, check_length, whole_number
from bot.domain.messages import N_
from bot.domain.periods import Period, PeriodKind, period_containing

MAX_GRANT = 1000
REASON_LIMIT = 60
INVITE_DAYS = 30  # an invitation to become a unit's liaison is good this long

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$")
_QUARTER_ZH = re.compile(r"^(\d{4})年?第?([1-4一二三四])季度?$")


def quarter_of(day: date) -> Period:
    return period_containing(day, PeriodKind.QUARTER)


def previous_quarter(day: date) -> Period:
    """The last whole quarter before ``day``'s."""
    return quarter_of(quarter_of(day).first_day - timedelta(days=1))


def quarter_months(quarter: Period) -> tuple[str, ...]:
    """``YYYY-MM`` of the quarter's three months."""
    first = quarter.first_day
    return tuple(f"{first.year}-{first.month + n:02d}" for n in range(3))


def parse_quarter(text: str) -> Period | None:
    """``2026-Q3``, ``2026Q3``, ``2026 q3``, ``2026年第三季度``; None for anything else."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    found = _QUARTER.match(cleaned) or _QUARTER_ZH.match(cleaned)
    if found is None:
        return None
    year, number = int(found.group(1)), found.group(2)
    quarter = _CHINESE_DIGITS.get(number) or int(number)
    if not 2000 <= year <= 2100:
        return None
    return quarter_of(date(year, quarter * 3 - 2, 1))


@dataclass(frozen=True)
class ListUnits:
    """``/units``: the list."""


@dataclass(frozen=True)
class MergeUnits:
    """``/units merge <n> <m>``: unit n is another spelling of unit m."""

    spelling: int
    into: int


@dataclass(frozen=True)
class GrantUnit:
    """``/units grant <n> <points> <reason>``: points for the unit's co-building (共建); a
    negative number corrects an earlier grant."""

    unit: int
    points: int
    reason: str


@dataclass(frozen=True)
class UnlinkLiaison:
    """``/units unlink <n>``: unit n has no liaison any more."""

    unit: int


UnitsCommand = ListUnits | MergeUnits | GrantUnit | UnlinkLiaison

_MERGE = {"merge", "合并"}
_GRANT = {"grant", "加分", "共建"}
_UNLINK = {"unlink", "解除"}


def parse_units_command(args: list[str]) -> UnitsCommand:
    """What ``/units`` was asked; FormError (``units.usage``) for anything malformed."""
    if not args:
        return ListUnits()
    verb = args[0].lower()
    if verb in _UNLINK and len(args) == 2 and (unit_number := whole_number(args[1])) is not None:
        return UnlinkLiaison(unit_number)
    numbers = [whole_number(a) for a in args[1:2]] + [
        whole_number(a, signed=True) for a in args[2:3]
    ]
    if verb in _MERGE and len(args) == 3 and None not in numbers:
        spelling, into = numbers
        if into is not None and into < 0:
            raise FormError(N_("units.usage"))
        assert spelling is not None and into is not None
        return MergeUnits(spelling, into)
    if verb in _GRANT and len(args) >= 4 and None not in numbers:
        unit, points = numbers
        assert unit is not None and points is not None
        if not 1 <= abs(points) <= MAX_GRANT:  # negative: a correction
            raise FormError(N_("units.error.points"), params={"limit": MAX_GRANT})
        reason = check_length("reason", " ".join(args[3:]), REASON_LIMIT, required=True)
        return GrantUnit(unit, points, reason)
    raise FormError(N_("units.usage"))
