"""Rules for communities."""

from __future__ import annotations

from bot.domain.forms import check_length

COMMUNITY_NAME_LIMIT = 64  # as bot.config.COMMUNITY_NAME_LIMIT (the domain imports no settings)


def community_name(raw: str) -> str:
    """A community's name, trimmed; 1 to COMMUNITY_NAME_LIMIT characters."""
    return check_length("name", raw, COMMUNITY_NAME_LIMIT, required=True)
