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


def _points(word: str) -> int | None:
    """A grant's points: a whole number, not zero, within MAX_GRANT either way."""
    points = whole_number(word, signed=True)
    return None if points is None or points == 0 or abs(points) > MAX_GRANT else points


def parse_grant(args: list[str]) -> list[GrantRequest]:
    """Every way to read the /grant arguments as <member> <points> <reason>, the longest
    name first ("Bob Smith 5 helped" names "Bob Smith"; the caller takes the first reading
    whose name is a member's); ``#id`` has one reading. FormError when none reads."""
    words = [word for word in (arg.strip() for arg in args) if word]
    if len(words) < 3:
        raise FormError(N_("grant.usage"))
    by_id = words[0].startswith("#") and whole_number(words[0][1:]) is not None
    cuts = [1] if by_id else range(len(words) - 2, 0, -1)
    readings: list[GrantRequest] = []
    error = FormError(N_("grant.error.points"), field="points", params={"max": MAX_GRANT})
    if _points(words[-1]) is not None:  # "Bob Smith 5": the points, and no reason after them
        error = FormError(N_("grant.usage"))
    for cut in cuts:
        points = _points(words[cut])
        if points is None:
            continue
        try:
            reason = check_length("reason", " ".join(words[cut + 1 :]), REASON_LIMIT, required=True)
        except FormError as exc:
            error = exc
            continue
        name = " ".join(words[:cut])
        member_id = whole_number(name[1:]) if by_id else None
        readings.append(GrantRequest(member_id, "" if by_id else name, points, reason))
    if not readings:
        raise error
    return readings
