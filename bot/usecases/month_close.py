"""1st of the month: secretaries get who reported (with an .xlsx); groups get the standings."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from bot.domain.messages import N_
from bot.domain.models import Community
from bot.domain.objections import objection_deadline
from bot.domain.periods import PeriodKind, period_containing
from bot.domain.schedule import JobName, previous_month
from bot.domain.text_limits import NAMES_BUDGET, names_within
from bot.i18n import Translator
from bot.outbox.delivery import Outgoing, deliver
from bot.rendering import render
from bot.services import Services, app_services
from bot.storage.reports import ReportRow
from bot.usecases.audiences import (
    AnyApplication,
    each_community,
    raise_if_failed,
    secretaries_of,
    to_groups,
)
from bot.usecases.statistics import Chart, community_charts, month_rows, report_share
from bot.views.spreadsheet import month_file_name, month_sheet
from bot.views.standings import standing_lines
from bot.views.times import day_text, month_text

STANDINGS_SIZE = 10


def summary_text(
    services: Services,
    locale: str | None,
    month: str,
    rows: list[ReportRow],
    complete_in: str = N_("close.complete_in_file"),
) -> str:
    """Who reported and who did not (and whether the bot can reach them, or they never
    enrolled); a long list is cut, with ``complete_in`` saying where the whole of it is."""
    tr = services.translations.get(locale)
    missing = [r for r in rows if not r.reported_at]
    unreachable = [r for r in missing if r.enrolled and not r.reachable]
    never_enrolled = [r for r in missing if not r.enrolled]
    share = report_share(rows)  # the chart's count too
    lines = [
        tr(
            "close.header_with_roster" if share.not_enrolled else "close.header",
            month=month_text(tr, month),
            reported=share.reported,
            total=share.total,
            not_enrolled=share.not_enrolled,
        )
    ]
    cut = False
    for key, subset, budget in (  # three lists of names, one message: 3,500 characters
        (N_("close.missing"), missing, NAMES_BUDGET),
        (N_("close.unreachable"), unreachable, NAMES_BUDGET - 500),
        (N_("close.not_enrolled"), never_enrolled, NAMES_BUDGET - 500),
    ):
        if subset:
            names, left_out = names_within([r.name for r in subset], budget)
            more = tr("list.more", count=left_out) if left_out else ""
            lines.append(tr(key, names=names) + more)
            cut = cut or left_out > 0
    if cut:
        lines.append(tr(complete_in))
    return "\n".join(lines)


async def month_close(app: AnyApplication, at: datetime) -> str:
    """Close the month before ``at``'s: the secretaries' record and the public standings."""
    services = app_services(app)
    tz = services.settings.tz
    month = previous_month(at.astimezone(tz).date())
    year, number = (int(part) for part in month.split("-"))
    start, end = period_containing(date(year, number, 1), PeriodKind.MONTH).bounds(tz)

    async def build(community: Community) -> list[Outgoing]:
        messages = []
        rows = await month_rows(services, community.id, month)
        wishes = await services.storage.wishes.fulfilled(start, end, community_id=community.id)
        drawn: dict[str, tuple[bytes, list[Chart]]] = {}  # per language: sheet and charts
        for telegram_id in await secretaries_of(services, community.id):
            locale = await services.storage.members.language_of(telegram_id)
            tr = services.translations.get(locale)
            if tr.locale not in drawn:
                # the sheet and the charts are drawn side by side, in two workers
                sheet, charts = await asyncio.gather(
                    render(month_sheet, tr, month, rows, tz, community.name),
                    community_charts(services, tr, community.id, start.date()),
                )
                drawn[tr.locale] = (sheet, charts)
            sheet, charts = drawn[tr.locale]
            messages.append(
                Outgoing(
                    f"s:{telegram_id}",
                    telegram_id,
                    "\n".join(
                        [summary_text(services, locale, month, rows)]
                        + ([tr.plural("close.wishes", count=wishes)] if wishes else [])
                    ),
                    document=(month_file_name(tr, community.name, month), sheet),
                    photos=tuple(chart.png for chart in charts),
                    document_caption=tr.plural("close.sheet_caption", count=len(rows), month=month),
                    photo_captions=tuple(chart.caption for chart in charts),
                )
            )
        standings = await services.storage.ledger.standings(
            community.id, start, end, STANDINGS_SIZE
        )
        published = at.astimezone(tz).date()
        deadline = objection_deadline(published, services.settings.objection_days)

        def compose(tr: Translator) -> tuple[str, None]:
            lines = [tr("close.standings", month=month), *standing_lines(tr, standings)]
            if wishes:
                lines += ["", tr.plural("close.wishes", count=wishes)]
            lines += ["", tr("close.how_to_object", deadline=day_text(tr, deadline))]
            return "\n".join(lines), None

        return messages + await to_groups(services, community.id, compose)

    messages, failed = await each_community(services, JobName.MONTH_CLOSE, build)
    result = await deliver(app, JobName.MONTH_CLOSE, month, messages)
    raise_if_failed(JobName.MONTH_CLOSE, failed)
    return f"month {month} closed: {result.sent} message(s) sent, {result.already} already"
