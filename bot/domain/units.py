"""Work units (报到单位): the quarter a feedback covers, and what ``/units`` is asked to do."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.forms import FormError, check_length, whole_number
from bot.domain.messages import N_
from bot.domain.periods import FIRST_YEAR, LAST_YEAR, Period, PeriodKind, period_containing

MAX_GRANT = 1000
REASON_LIMIT = 60
INVITE_DAYS = 30  # an invitation to become a unit's liaison is good this long

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$")
_QUARTER_ZH = re.compile(r"^(\d{4})年?第?([1-4一二三四])季度?$")
_QUARTER_EN = re.compile(r"^Q([1-4])\s*[-/ ]?\s*(\d{4})$")  # Q4 2026: the English catalog's


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
    english = _QUARTER_EN.match(cleaned)
    if english is not None:
        year, number = int(english.group(2)), english.group(1)
    elif found is None:
        return None
    else:
        year, number = int(found.group(1)), found.group(2)
    quarter = _CHINESE_DIGITS.get(number) or int(number)
    if not FIRST_YEAR <= year <= LAST_YEAR:
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


def _number(text: str) -> int | None:
    """A unit's number as the list shows it (``3`` or ``#3``)."""
    return whole_number(text.removeprefix("#").removeprefix("＃"))


def parse_units_command(args: list[str]) -> UnitsCommand:
    """What ``/units`` was asked; FormError saying what is wrong otherwise."""
    if not args:
        return ListUnits()
    verb, rest = args[0].lower(), args[1:]
    if verb in _UNLINK:
        unit = _number(rest[0]) if len(rest) == 1 else None
        if unit is None:
            raise FormError(N_("units.error.numbers"))
        return UnlinkLiaison(unit)
    if verb in _MERGE:
        numbers = [_number(a) for a in rest]
        if len(numbers) != 2 or numbers[0] is None or numbers[1] is None:
            raise FormError(N_("units.error.numbers"))
        if numbers[0] == numbers[1]:
            raise FormError(N_("units.error.same"))
        return MergeUnits(numbers[0], numbers[1])
    if verb in _GRANT:
        unit = _number(rest[0]) if rest else None
        if unit is None:
            raise FormError(N_("units.error.numbers"))
        points = whole_number(rest[1], signed=True) if len(rest) > 1 else None
        if points is None or not 1 <= abs(points) <= MAX_GRANT:  # negative: a correction
            raise FormError(N_("units.error.points"), params={"limit": MAX_GRANT})
        reason = check_length("reason", " ".join(rest[2:]), REASON_LIMIT, required=True)
        return GrantUnit(unit, points, reason)
    raise FormError(N_("units.error.verb"))
