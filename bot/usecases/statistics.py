"""The numbers behind the charts: report share by month, points by category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.charts import category_chart, report_share_chart
from bot.domain.periods import PeriodKind, period_containing
from bot.i18n import Translator
from bot.rendering import render
from bot.services import Services

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
    share = await services.storage.reports.share_by_month(
        community_id, last_months(today, MONTHS_SHOWN)
    )
    charts = []
    if any(total for _, total, _ in share):
        title = tr.plain("chart.share_title", community=name)  # drawn: plain text
        # drawing takes a moment of CPU: off the event loop, so others are answered meanwhile
        png = await render(report_share_chart, title, share, tr.plain("chart.share_axis"))
        charts.append(Chart(png, tr("stats.caption", title=title)))
    year = period_containing(today, PeriodKind.YEAR)
    start, end = year.bounds(services.settings.tz)
    by_category = await services.storage.ledger.points_by_category(community_id, start, end)
    if by_category:
        title = tr.plain("chart.category_title", period=year.label)
        axis = tr.plain("chart.category_axis")
        png = await render(category_chart, title, by_category, axis)
        charts.append(Chart(png, tr("stats.caption", title=title)))
    return charts
