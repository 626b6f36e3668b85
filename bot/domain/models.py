"""The domain's records, as the repositories hand them out (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MemberType(StrEnum):
    """What kind of member someone is; only in-service members must report monthly."""

    IN_SERVICE = "in_service"
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"


class Role(StrEnum):
    """What a user may do."""

    MEMBER = "member"
    SECRETARY = "secretary"


@dataclass(frozen=True)
class Community:
    """One community (社区); members enroll into it with its code."""

    id: int
    name: str
    enroll_code: str


@dataclass(frozen=True)
class Member:
    """A person enrolled with the bot."""

    id: int
    community_id: int
    telegram_id: int | None
    name: str
    work_unit: str
    member_type: MemberType
    compound: str
    phone: str | None
    language: str | None
    reachable: bool
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class RosterEntry:
    """A pre-registered member from the roster a community got from work units."""

    id: int
    community_id: int
    name: str
    phone: str
    work_unit: str
    member_type: MemberType
    compound: str
    member_id: int | None


@dataclass(frozen=True)
class Secretary:
    """A user with the secretary role, and the community they run (if set up)."""

    telegram_id: int
    community_id: int | None
    reached: bool = False  # has written to the bot, so a menu can be set in their chat
    from_setting: bool = True  # listed in SECRETARY_IDS, not appointed by another secretary


@dataclass(frozen=True)
class GroupChat:
    """A group chat bound to a community; tasks and announcements are posted there."""

    chat_id: int
    community_id: int
    title: str
    active: bool
    language: str | None = None  # chosen with /lang in the group; None: the default


@dataclass(frozen=True)
class Profile:
    """What a member tells us about themselves when enrolling."""

    name: str
    work_unit: str
    member_type: MemberType
    compound: str
