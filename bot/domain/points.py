"""Points rules: what a secretary's /grant may say."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.forms import FormError, check_length, whole_number
from bot.domain.messages import N_

MAX_GRANT = 100
REASON_LIMIT = 100


@dataclass(frozen=True)
class GrantRequest:
    """``/grant <member> <points> <reason>``: member by ``#id`` or by name."""

    member_id: int | None
    member_name: str
    points: int
    reason: str

    @property
    def source(self) -> str:
        """A negative grant is a correction (the ledger is never edited)."""
        return "grant" if self.points > 0 else "correction"


def approves_own_points(approver_telegram_id: int, earner_telegram_id: int | None) -> bool:
    """Nobody approves their own points: True when the secretary deciding (a grant, an
    objection's resolution, a wish's confirmation) is the member who would earn them."""
    return earner_telegram_id is not None and earner_telegram_id == approver_telegram_id


def parse_grant(args: list[str]) -> GrantRequest:
    """Read the /grant arguments; FormError naming what is wrong."""
    if len(args) < 3:
        raise FormError(N_("grant.usage"))
    who, raw_points, reason = args[0].strip(), args[1], " ".join(args[2:])
    if not who:
        raise FormError(N_("grant.usage"))
    points = whole_number(raw_points, signed=True)
    if points is None or points == 0 or abs(points) > MAX_GRANT:
        raise FormError(N_("grant.error.points"), field="points", params={"max": MAX_GRANT})
    member_id = whole_number(who[1:]) if who.startswith("#") else None
    return GrantRequest(
        member_id=member_id,
        member_name="" if member_id is not None else who,
        points=points,
        reason=check_length("reason", reason, REASON_LIMIT, required=True),
    )
