"""Work units (报到单位) and the report back to them (双报到反馈): the units' list, a liaison's
invitation, merged spellings, points granted to a unit, and each quarter's feedback."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.domain.enrollment import MEMBER_TYPE_LABELS
from bot.domain.models import Community
from bot.domain.paging import Page, page_of
from bot.domain.periods import Period, PeriodKind, account_year, period_containing
from bot.domain.schedule import JobName, period_for
from bot.domain.units import INVITE_DAYS, previous_quarter, quarter_months
from bot.i18n import Html, Translator
from bot.outbox.delivery import Outgoing, deliver
from bot.outbox.messages import notice
from bot.rendering import render
from bot.services import Services, app_services
from bot.storage.units import Accepted, Unit, UnitMemberQuarter, UnitSummary
from bot.usecases.audiences import (
    AnyApplication,
    each_community,
    papers_translator,
    raise_if_failed,
    tell,
    tell_secretaries,
)
from bot.views.callbacks import UnitReceived
from bot.views.keyboards import one_button
from bot.views.spreadsheet import unit_sheet
from bot.views.times import hours_number, quarter_text

logger = logging.getLogger(__name__)

LISTED = 20  # members named in the feedback's message; the sheet has them all


@dataclass(frozen=True)
class UnitsPage:
    """A page of ``/units``: its units with their accounts, and the whole list's counts."""

    page: Page
    shown: list[tuple[UnitSummary, int]]  # a unit and its points in ``year``
    total: int
    waiting: int  # units whose last feedback is not acknowledged
    year: int  # this one, last one in January (periods.account_year)


async def units_page(
    services: Services, community_id: int, today: date, requested: int, size: int
) -> UnitsPage:
    """The community's units (names from members and the roster), most members first, and
    the year's account of the ones on the page (last year's in January)."""
    units = services.storage.units
    if requested == 0:  # names new since the last look (later pages reuse them)
        await units.sync(community_id)
    found = await units.overview(community_id)
    page = page_of(len(found), requested, size)
    shown = found[page.offset : page.offset + page.size]
    year = account_year(today)
    start, end = period_containing(date(year, 1, 1), PeriodKind.YEAR).bounds(services.settings.tz)
    points = await units.points([u.unit for u in shown], start, end)
    waiting = sum(1 for u in found if u.feedback_quarter and not u.feedback_received)
    return UnitsPage(page, [(u, points[u.unit.id]) for u in shown], len(found), waiting, year)


async def invite_liaison(
    services: Services, secretary_id: int, community_id: int, unit_id: int
) -> tuple[Unit, str] | None:
    """A single-use code for the unit's liaison (good for ``INVITE_DAYS``); None when the
    unit is not the community's."""
    unit = await services.storage.units.get(community_id, unit_id)
    if unit is None:
        return None
    code = secrets.token_urlsafe(12)
    await services.storage.units.invite(unit.id, code, secretary_id)
    logger.info("unit %s: liaison invitation made by %s", unit.id, secretary_id)
    return unit, code


async def become_liaison(
    services: Services, telegram_id: int, name: str, language: str, code: str
) -> tuple[Accepted, str] | None:
    """The invitation's holder is the unit's liaison; the secretaries (and a liaison it
    replaces) are told. None for a code that is unknown, used or expired."""
    storage = services.storage
    issued_after = services.now() - timedelta(days=INVITE_DAYS)
    async with storage.db.transaction():
        accepted = await storage.units.accept(code, telegram_id, name, language, issued_after)
        if accepted is None:
            return None
        unit = accepted.unit
        await tell_secretaries(
            services, unit.community_id, "units.liaison_joined", name=name, unit=unit.name
        )
        if accepted.previous is not None:
            await tell(services, accepted.previous, "units.liaison_replaced", unit=unit.name)
    logger.info("unit %s: liaison is now %s", unit.id, telegram_id)
    community = await storage.communities.get(unit.community_id)
    return accepted, community.name if community else ""


async def merge_units(
    services: Services, community_id: int, spelling_id: int, into_id: int
) -> tuple[Unit, Unit] | None:
    """Unit ``spelling_id`` is another spelling of ``into_id``; the two units, or None. A
    liaison of the spelling who loses the role (the unit has one) is told."""
    storage = services.storage
    spelling = await storage.units.get(community_id, spelling_id)
    into = await storage.units.get(community_id, into_id)
    if spelling is None or into is None or spelling.id == into.id:
        return None
    async with storage.db.transaction():
        merged = await storage.units.merge(community_id, spelling.id, into.id)
        if merged is None:
            return None
        if merged.dropped_liaison is not None:
            await tell(
                services,
                merged.dropped_liaison,
                "units.liaison_merged",
                unit=spelling.name,
                into=into.name,
            )
    logger.info("unit %s merged into %s", spelling.id, into.id)
    return spelling, into


async def remove_liaison(services: Services, community_id: int, unit_id: int) -> Unit | None:
    """The unit has no liaison any more (they are told); None when it had none."""
    storage = services.storage
    unit = await storage.units.get(community_id, unit_id)
    if unit is None:
        return None
    async with storage.db.transaction():
        liaison = await storage.units.remove_liaison(community_id, unit.id)
        if liaison is None:
            return None
        tr = services.translations.get(liaison.language)
        text = tr("units.liaison_removed", unit=unit.name)
        await storage.outbox.add(notice(liaison.telegram_id, text))
    logger.info("unit %s: liaison removed", unit.id)
    return unit


async def grant_unit(
    services: Services, secretary_id: int, community_id: int, unit_id: int, points: int, reason: str
) -> Unit | None:
    """Points for the unit's co-building work (共建), in its account; None if not a unit here."""
    unit = await services.storage.units.get(community_id, unit_id)
    if unit is None:
        return None
    await services.storage.units.grant(unit.id, points, reason, secretary_id)
    logger.info("unit %s granted %s points by %s", unit.id, points, secretary_id)
    return unit


@dataclass(frozen=True)
class Feedback:
    """A unit's 反馈单 for a quarter: the message and its sheet."""

    unit: Unit
    quarter: str
    text: str
    sheet: tuple[str, bytes]
    caption: str
    unacknowledged: bool = False  # sent, and Received not yet tapped


async def feedback_for(
    services: Services, tr: Translator, community: str, unit: Unit, quarter: Period
) -> Feedback:
    """What the unit's members did in the quarter, as a message (in ``tr``'s language, the
    liaison's) and an .xlsx the unit files (in the community's language, as its papers are)."""
    start, end = quarter.bounds(services.settings.tz)
    rows = await services.storage.units.quarter(unit, start, end, quarter_months(quarter))
    # the unit's people on the roster who never enrolled: the liaison can follow them up
    waiting = await services.storage.roster.unenrolled(unit.community_id, unit.name)
    papers = papers_translator(services)
    title = papers.plain(
        "units.feedback_title",
        community=community,
        unit=unit.name,
        quarter=quarter_text(papers, quarter.label),
    )
    types = {str(kind): papers.plain(label) for kind, label in MEMBER_TYPE_LABELS.items()}
    sheet = await render(unit_sheet, papers, title, quarter.label, rows, types, waiting)
    return Feedback(
        unit,
        quarter.label,
        _feedback_text(tr, community, unit, quarter.label, rows, len(waiting)),
        (f"unit-{unit.id}-{quarter.label}.xlsx", sheet),
        tr("units.sheet_caption", unit=unit.name, quarter=quarter_text(tr, quarter.label)),
    )


def _feedback_text(
    tr: Translator,
    community: str,
    unit: Unit,
    quarter: str,
    rows: list[UnitMemberQuarter],
    waiting: int,
) -> str:
    lines = [
        tr(
            "units.member_line",
            name=r.name,
            months=len(r.months),
            tasks=r.tasks,
            hours=hours_number(r.hours),
            points=r.points,
        )
        + (tr("units.member_wishes", count=r.wishes) if r.wishes else "")
        for r in rows[:LISTED]
    ]
    if len(rows) > LISTED:
        lines.append(tr("units.more_in_sheet", count=len(rows) - LISTED))
    parts = [
        tr(
            "units.feedback",
            community=community,
            unit=unit.name,
            quarter=quarter_text(tr, quarter),
            members=len(rows),
            reported=sum(1 for r in rows if r.months),
            tasks=sum(r.tasks for r in rows),
            hours=hours_number(sum(r.hours for r in rows)),
            points=sum(r.points for r in rows),
            wishes=sum(r.wishes for r in rows),
            lines=Html("\n".join(lines)) if lines else "—",
        )
    ]
    if waiting:
        parts.append(tr.plural("units.not_enrolled", count=waiting))
    return "\n\n".join(parts)


async def liaison_feedback(
    services: Services, telegram_id: int, quarter: Period, tr: Translator
) -> list[Feedback]:
    """``/unitreport``: the quarter's feedback of each unit this person is the liaison of."""
    found = []
    for unit in await services.storage.units.of_liaison(telegram_id):
        community = await services.storage.communities.get(unit.community_id)
        name = community.name if community else ""
        feedback = await feedback_for(services, tr, name, unit, quarter)
        waiting = await services.storage.units.feedback_waiting(unit.id, quarter.label)
        found.append(replace(feedback, unacknowledged=waiting))
    return found


async def liaison_units(services: Services, telegram_id: int) -> list[str]:
    """The names of the units this person is the liaison of."""
    return [u.name for u in await services.storage.units.of_liaison(telegram_id)]


async def is_liaison(services: Services, telegram_id: int) -> bool:
    return bool(await services.storage.units.of_liaison(telegram_id))


async def acknowledge(
    services: Services, telegram_id: int, unit_id: int, quarter: str
) -> bool | None:
    """The liaison says the feedback arrived (once; False the second time); the secretaries
    see it in ``/units``. None when this person is not the unit's liaison."""
    units = await services.storage.units.of_liaison(telegram_id)
    if unit_id not in {u.id for u in units}:
        return None
    received = await services.storage.units.receive(unit_id, quarter)
    logger.info("unit %s feedback %s received: %s", unit_id, quarter, received)
    return received


async def unit_feedback(app: AnyApplication, at: datetime) -> str:
    """The first day of a quarter: each unit's liaison gets the last quarter's 反馈单, once per
    unit and quarter."""
    services = app_services(app)
    label = period_for(JobName.UNIT_FEEDBACK, at, services.settings.tz)
    quarter = previous_quarter(at.astimezone(services.settings.tz).date())
    assert quarter.label == label

    async def build(community: Community) -> list[Outgoing]:
        await services.storage.units.sync(community.id)
        messages = []
        for unit, liaison in await services.storage.units.with_liaisons(community.id):
            tr = services.translations.get(liaison.language)
            feedback = await feedback_for(services, tr, community.name, unit, quarter)
            button = one_button(
                tr.plain("units.received_button"), UnitReceived(unit.id, label).pack()
            )
            messages.append(
                Outgoing(
                    f"u:{unit.id}",
                    liaison.telegram_id,
                    feedback.text,
                    button,
                    document=feedback.sheet,
                    document_caption=feedback.caption,
                    member_telegram_id=liaison.telegram_id,
                )
            )
            await services.storage.units.record_sent(unit.id, label, liaison.telegram_id)
        return messages

    messages, failed = await each_community(services, JobName.UNIT_FEEDBACK, build)
    result = await deliver(app, JobName.UNIT_FEEDBACK, label, messages)
    raise_if_failed(JobName.UNIT_FEEDBACK, failed)
    return f"unit feedback {label}: {result.sent} sent, {result.already} already"
