"""The points shop (积分超市): rewards, the quarterly redemption window, redeeming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.forms import FormError, check_length, whole_number
from bot.domain.messages import N_
from bot.domain.periods import PeriodKind, period_containing

NAME_LIMIT = 30
MAX_COST = 100_000
MAX_STOCK = 100_000


@dataclass(frozen=True)
class Reward:
    """Something members can get for their points."""

    id: int
    community_id: int
    name: str
    cost: int
    stock: int
    photo_file_id: str | None
    active: bool


class RedeemOutcome(StrEnum):
    """What a redemption did."""

    REDEEMED = "redeemed"
    NOT_ENOUGH_POINTS = "not_enough_points"
    OUT_OF_STOCK = "out_of_stock"
    RETIRED = "retired"
    ALREADY = "already"


@dataclass(frozen=True)
class RedemptionWindow:
    """The last ``days`` days of a quarter (一季一兑换), inclusive local dates."""

    first_day: date
    last_day: date

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def redemption_window(day: date, days: int) -> RedemptionWindow:
    """The redemption window of the quarter ``day`` is in."""
    quarter = period_containing(day, PeriodKind.QUARTER)
    last = quarter.end_day - timedelta(days=1)
    first = max(quarter.first_day, last - timedelta(days=days - 1))
    return RedemptionWindow(first, last)


def next_window_opening(day: date, days: int) -> date:
    """When redemption next opens (today when it is open)."""
    window = redemption_window(day, days)
    if day <= window.last_day:
        return max(day, window.first_day)
    return redemption_window(window.last_day + timedelta(days=1), days).first_day


def decide_redeem(active: bool, stock: int, balance: int, cost: int) -> RedeemOutcome:
    """Redeem only what is on the shelf and what the balance covers."""
    if not active:
        return RedeemOutcome.RETIRED
    if stock <= 0:
        return RedeemOutcome.OUT_OF_STOCK
    if balance < cost:
        return RedeemOutcome.NOT_ENOUGH_POINTS
    return RedeemOutcome.REDEEMED


def _whole(raw: str, field: str, low: int, high: int) -> int:
    number = whole_number(raw)
    if number is None or not low <= number <= high:
        raise FormError(N_("shop.error.number"), field=field, params={"low": low, "high": high})
    return number


def check_cost(raw: str) -> int:
    return _whole(raw, "cost", 1, MAX_COST)


def check_stock(raw: str) -> int:
    return _whole(raw, "stock", 0, MAX_STOCK)


def check_reward_name(raw: str) -> str:
    return check_length("name", raw, NAME_LIMIT, required=True)


def parse_new_reward(args: list[str]) -> tuple[str, int, int]:
    """``<name…> <cost> <stock>``: the last two words are numbers, the rest is the name."""
    if len(args) < 3:
        raise FormError(N_("shop.usage"))
    return check_reward_name(" ".join(args[:-2])), check_cost(args[-2]), check_stock(args[-1])
