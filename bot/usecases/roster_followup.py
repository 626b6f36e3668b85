"""Following up the roster: who on it never enrolled (未登记), with phone and unit, for the
secretary to phone or to send to each unit's liaison."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.enrollment import MEMBER_TYPE_LABELS
from bot.domain.models import RosterEntry
from bot.i18n import Translator
from bot.rendering import render
from bot.services import Services
from bot.views.spreadsheet import not_enrolled_sheet

_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class NotEnrolled:
    """The roster people who never enrolled: how many, who, and the sheet of them all."""

    entries: list[RosterEntry]
    sheet: tuple[str, bytes] | None  # (file name, .xlsx); None when there is nobody

    @property
    def first(self) -> list[tuple[str, str, str]]:
        return [(e.name, e.phone, e.work_unit) for e in self.entries]


def member_types(tr: Translator) -> dict[str, str]:
    """The member types as the sheet's reader calls them."""
    return {str(kind): tr.plain(label) for kind, label in MEMBER_TYPE_LABELS.items()}


async def not_enrolled(services: Services, tr: Translator, community_id: int) -> NotEnrolled:
    """Everyone on the community's roster nobody has enrolled as, by unit, as a sheet in
    ``tr``'s language (however many: the message names only the first few)."""
    entries = await services.storage.roster.unenrolled(community_id)
    if not entries:
        return NotEnrolled([], None)
    community = await services.storage.communities.get(community_id)
    name = community.name if community else ""
    title = tr.plain("roster.not_enrolled_title", community=name, count=len(entries))
    sheet = await render(not_enrolled_sheet, tr, title, entries, member_types(tr))
    file_name = tr.plain("roster.not_enrolled_file", community=_UNSAFE_IN_FILE_NAME.sub("", name))
    return NotEnrolled(entries, (file_name, sheet))


async def not_enrolled_count(services: Services, community_id: int) -> int:
    """How many on the community's roster never enrolled."""
    on_roster, linked = await services.storage.roster.counts(community_id)
    return on_roster - linked
