"""How a member's profile is shown (enrollment summary, /mydata)."""

from __future__ import annotations

from bot.domain.enrollment import MEMBER_TYPE_LABELS
from bot.domain.models import MemberType, Profile
from bot.i18n import Translator


def member_type_label(tr: Translator, member_type: MemberType) -> str:
    """The member type in the reader's language."""
    return tr(MEMBER_TYPE_LABELS[member_type])


def profile_summary(tr: Translator, profile: Profile, community_name: str) -> str:
    """The lines that show what is stored about someone's profile."""
    dash = tr("profile.empty")
    return tr(
        "profile.summary",
        community=community_name,
        name=profile.name,
        member_type=member_type_label(tr, profile.member_type),
        work_unit=profile.work_unit or dash,
        compound=profile.compound or dash,
    )
