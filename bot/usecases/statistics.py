"""The numbers behind the charts: report share by month, points by category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.charts import category_chart, report_share_chart
from bot.domain.periods import PeriodKind, period_containing
from bot.i18n import Translator
from bot.rendering import render
from bot.services import Services
from bot.storage.reports import ReportRow

MONTHS_SHOWN = 6


def last_months(today: date, count: int) -> list[str]:
    """``YYYY-MM`` of the last ``count`` months, oldest first, this month included."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class ReportShare:
    """How many in-service people reported in a month, out of how many: the one count the
    chart, the month close, /unreported and /stats all show. The total is every in-service
    member who enrolled and every in-service person on the roster who never enrolled (they
    are the secretary's to reach too), so "4/8（含名册中未登记的 4 人）"."""

    reported: int
    total: int
    not_enrolled: int  # of the total: on the roster, never enrolled


def report_share(rows: list[ReportRow]) -> ReportShare:
    """The month's share from its rows (month_rows)."""
    return ReportShare(
        reported=sum(1 for r in rows if r.reported_at),
        total=len(rows),
        not_enrolled=sum(1 for r in rows if not r.enrolled),
    )


async def month_rows(services: Services, community_id: int, month: str) -> list[ReportRow]:
    """Every in-service member's record for ``month`` (YYYY-MM), and the in-service roster
    people who never enrolled."""
    year, number = (int(part) for part in month.split("-"))
    period = period_containing(date(year, number, 1), PeriodKind.MONTH)
    start, end = period.bounds(services.settings.tz)
    return await services.storage.reports.month(community_id, month, start, end)


@dataclass(frozen=True)
class Chart:
    """A drawn chart and the caption that says what it is."""

    png: bytes
    caption: str


async def community_charts(
    services: Services, tr: Translator, community_id: int, today: date
) -> list[Chart]:
    """The report-share chart (last six months) and points by category (this year)."""
    community = await services.storage.communities.get(community_id)
    name = community.name if community else ""
    shares = [
        (month, report_share(await month_rows(services, community_id, month)))
        for month in last_months(today, MONTHS_SHOWN)
    ]
    share = [(month, s.total, s.reported) for month, s in shares]
    charts = []
    if any(total for _, total, _ in share):
        title = tr.plain("chart.share_title", community=name)  # drawn: plain text
        # drawing takes a moment of CPU: off the event loop, so others are answered meanwhile
        png = await render(report_share_chart, title, share, tr.plain("chart.share_axis"))
        caption = tr("stats.caption", title=title) + "\n" + tr("chart.share_definition")
        charts.append(Chart(png, caption))
    year = period_containing(today, PeriodKind.YEAR)
    start, end = year.bounds(services.settings.tz)
    by_category = await services.storage.ledger.points_by_category(community_id, start, end)
    if by_category:
        title = tr.plain("chart.category_title", period=year.label)
        axis = tr.plain("chart.category_axis")
        png = await render(category_chart, title, by_category, axis)
        charts.append(Chart(png, tr("stats.caption", title=title)))
    return charts
