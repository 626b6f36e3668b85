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


@dataclass(frozen=True)
class ShopAccess:
    """The reward a member may redeem now, or why not (and when the shop opens)."""

    reward: Reward | None
    refusal: ShopRefusal | None = None
    opens: date | None = None


async def reward_for_member(
    services: Services, member: Member | None, reward_id: int, today: date
) -> ShopAccess:
    """The reward, when it exists, is the member's community's and the window is open."""
    reward = await services.storage.shop.get(reward_id)
    if reward is None:
        return ShopAccess(None, ShopRefusal.STALE)
    if member is None or member.community_id != reward.community_id:
        return ShopAccess(None, ShopRefusal.MEMBERS_ONLY)
    days = services.settings.redemption_window_days
    if not redemption_window(today, days).contains(today):
        return ShopAccess(None, ShopRefusal.CLOSED, next_window_opening(today, days))
    return ShopAccess(reward)


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
