"""The points shop: who may redeem what, when, and the redemption itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.shop import RedeemOutcome, Reward, next_window_opening, redemption_window
from bot.services import Services

logger = logging.getLogger(__name__)


class ShopRefusal(StrEnum):
    """Why a member cannot redeem a reward now (each is a message key)."""

    STALE = N_("callback.stale")
    MEMBERS_ONLY = N_("shop.members_only")
    CLOSED = N_("shop.closed")
    NOT_ENOUGH = N_("shop.not_enough")
    SOLD_OUT = N_("shop.out_of_stock")


@dataclass(frozen=True)
class ShopAccess:
    """The reward a member may redeem now, or why not (and when the shop opens)."""

    reward: Reward | None
    refusal: ShopRefusal | None = None
    opens: date | None = None
    balance: int = 0
    name: str = ""
    cost: int = 0


async def reward_for_member(
    services: Services, member: Member | None, reward_id: int, today: date, *, asking: bool = True
) -> ShopAccess:
    """The reward, when it exists, is the member's community's and the window is open; when
    ``asking`` (the Redeem button, before any confirmation), also when it is in stock and
    the member can afford it, so nobody confirms what will be refused."""
    reward = await services.storage.shop.get(reward_id)
    if reward is None:
        return ShopAccess(None, ShopRefusal.STALE)
    if member is None or member.community_id != reward.community_id:
        return ShopAccess(None, ShopRefusal.MEMBERS_ONLY)
    days = services.settings.redemption_window_days
    if not redemption_window(today, days).contains(today):
        return ShopAccess(None, ShopRefusal.CLOSED, next_window_opening(today, days))
    balance = await services.storage.ledger.balance(member.id)
    if not asking:  # the confirmation: the redemption itself decides, once per key
        return ShopAccess(reward, balance=balance)
    if not reward.active or reward.stock <= 0:  # refused at once, not after a confirmation
        return ShopAccess(None, ShopRefusal.SOLD_OUT, balance=balance, name=reward.name)
    if balance < reward.cost:
        refusal = ShopRefusal.NOT_ENOUGH
        return ShopAccess(None, refusal, balance=balance, name=reward.name, cost=reward.cost)
    return ShopAccess(reward, balance=balance)


@dataclass(frozen=True)
class Redeemed:
    """What a confirmed redemption did, and the member's balance after it."""

    outcome: RedeemOutcome
    balance: int


async def redeem(services: Services, member: Member, reward: Reward, key: str) -> Redeemed:
    """Redeem once per confirmation key: never past the balance or the stock."""
    storage = services.storage
    outcome = await storage.shop.redeem(reward.id, member.id, key)
    if outcome is RedeemOutcome.REDEEMED:
        logger.info("member %s redeemed reward %s", member.id, reward.id)
    return Redeemed(outcome, await storage.ledger.balance(member.id))
