"""1 January: the year's top 10 in the groups; secretaries get the top 10 and the bottom 3."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.models import Community, MemberType, RosterEntry
from bot.domain.periods import PeriodKind, period_containing
from bot.domain.schedule import JobName, period_for
from bot.domain.text_limits import NAMES_BUDGET, names_within
from bot.i18n import Html, Translator
from bot.outbox.delivery import Outgoing, deliver
from bot.rendering import render
from bot.services import app_services
from bot.storage.reports import YearRow
from bot.storage.units import UnitStanding
from bot.usecases.audiences import (
    AnyApplication,
    each_community,
    raise_if_failed,
    secretaries_of,
    to_groups,
    translator_for,
)
from bot.views.spreadsheet import selection_file_name, selection_sheet
from bot.views.standings import standing_lines

TOP, BOTTOM = 10, 3


def _line(tr: Translator, place: int, row: YearRow) -> str:
    return tr(
        "year.line",
        place=place,
        name=row.name,
        unit=row.work_unit or "—",
        points=row.points,
        months=row.months_reported,
        tasks=row.tasks_served,
    )


def _unit_lines(tr: Translator, units: list[UnitStanding]) -> list[str]:
    """The work units' top ten (their accounts: members' points plus co-building points)."""
    if not units:
        return []
    lines = [
        tr(
            "year.unit_line",
            place=place,
            unit=u.name,
            points=u.points,
            earned=u.earned,
            granted=u.granted,
            members=u.members,
        )
        for place, u in enumerate(units[:TOP], start=1)
    ]
    return ["", tr("year.units"), *lines]


def _bottom(tr: Translator, bottom: list[tuple[int, YearRow]], ranked: int) -> Html:
    """The bottom three, or why there are none: everyone ranked is in the top ten."""
    if bottom:
        return Html("\n".join(_line(tr, i, r) for i, r in bottom))
    return Html(tr("year.bottom_none", count=ranked)) if ranked else Html("—")


def _never_enrolled(tr: Translator, entries: list[RosterEntry]) -> list[str]:
    """In-service people on the roster who never enrolled: no reports, no points, not
    ranked; the secretary talks with them too (with unit and phone, to reach them)."""
    people = [e for e in entries if e.member_type is MemberType.IN_SERVICE]
    if not people:
        return []
    names, left_out = names_within(
        [
            tr.plain(
                "year.never_enrolled_person",
                name=e.name,
                unit=e.work_unit or "—",
                phone=e.phone or "—",
            )
            for e in people
        ],
        NAMES_BUDGET - 1000,
        tr.plain("list.separator"),
    )
    more = tr("list.more", count=left_out) if left_out else ""
    return [tr("year.not_enrolled", count=len(people), names=names) + more]


async def year_close(app: AnyApplication, at: datetime) -> str:
    """Close the year before ``at``'s (一年一评选)."""
    services = app_services(app)
    tz = services.settings.tz
    year = period_for(JobName.YEAR_CLOSE, at, tz)
    start, end = period_containing(date(int(year), 1, 1), PeriodKind.YEAR).bounds(tz)

    async def build(community: Community) -> list[Outgoing]:
        rows = await services.storage.reports.year(community.id, int(year), start, end)
        top = rows[:TOP]
        # the bottom three are never among the top ten (a small community has fewer)
        bottom = list(enumerate(rows, start=1))[max(len(top), len(rows) - BOTTOM) :]
        standings = await services.storage.ledger.standings(community.id, start, end, TOP)
        await services.storage.units.sync(community.id)
        units = await services.storage.units.standings(community.id, start, end)
        unenrolled = await services.storage.roster.unenrolled(community.id)

        def compose(tr: Translator) -> tuple[str, None]:
            lines = [tr("year.announcement", year=year), *standing_lines(tr, standings)]
            return "\n".join([*lines, *_unit_lines(tr, units)]), None

        messages = await to_groups(services, community.id, compose)
        for telegram_id in await secretaries_of(services, community.id):
            sec_tr = await translator_for(services, telegram_id)
            text = sec_tr(
                "year.secretary",
                year=year,
                top=Html("\n".join(_line(sec_tr, i, r) for i, r in enumerate(top, start=1))) or "—",
                bottom=_bottom(sec_tr, bottom, len(rows)),
            )
            text = "\n".join(
                [text, *_never_enrolled(sec_tr, unenrolled), *_unit_lines(sec_tr, units)]
            )
            sheet = await render(selection_sheet, sec_tr, year, top, bottom, units, community.name)
            messages.append(
                Outgoing(
                    f"s:{telegram_id}",
                    telegram_id,
                    text,
                    document=(selection_file_name(sec_tr, community.name, year), sheet),
                    document_caption=sec_tr("year.sheet_caption", year=year),
                )
            )
        return messages

    messages, failed = await each_community(services, JobName.YEAR_CLOSE, build)
    result = await deliver(app, JobName.YEAR_CLOSE, year, messages)
    raise_if_failed(JobName.YEAR_CLOSE, failed)
    return f"year {year} closed: {result.sent} message(s) sent, {result.already} already"
