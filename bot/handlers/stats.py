"""/stats (secretaries): the charts; /record (members): their year, as a message and a PDF."""

from __future__ import annotations

import io
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.charts import record_pdf
from bot.domain.periods import PeriodKind, period_containing
from bot.domain.timeutil import hours_between
from bot.handlers.common import (
    Context,
    caller,
    heavy,
    in_private,
    reply,
    secretary_community,
    secretary_only,
    tell_to_enroll,
)
from bot.i18n import plain_text
from bot.rendering import render
from bot.usecases.statistics import community_charts


async def stats_command(update: Update, context: Context) -> None:
    """Charts a secretary can forward."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    today = who.services.now().date()
    charts = await community_charts(who.services, who.tr, community_id, today)
    if not charts:
        await reply(update, who.tr("stats.no_data"))
        return
    assert update.effective_chat is not None
    for chart in charts:
        await update.effective_chat.send_photo(io.BytesIO(chart.png), caption=chart.caption)


async def record_command(update: Update, context: Context) -> None:
    """The member's year: tasks, hours, points, reports; and a printable PDF."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    services, member, tr = who.services, who.member, who.tr
    tz = services.settings.tz
    today = services.now().date()
    start, end = period_containing(today, PeriodKind.YEAR).bounds(tz)
    served = await services.storage.reports.served(member.id, start, end)
    months = await services.storage.reports.months_reported(member.id, today.year)
    points = await services.storage.ledger.period_points(member.id, start, end)
    hours = round(sum(hours_between(t.starts_at, t.ends_at) for t in served), 1)
    title = tr("record.header", name=member.name, year=today.year)
    lines = [
        tr("record.summary", tasks=len(served), hours=hours, points=points, months=len(months))
    ]
    lines += [
        tr(
            "record.task_line",
            date=f"{t.starts_at.astimezone(tz):%Y-%m-%d}",
            title=t.title,
            hours=round(hours_between(t.starts_at, t.ends_at), 1),
            points=t.points,
        )
        for t in served
    ]
    if months:
        lines.append(tr("record.reports", months="、".join(months)))
    await reply(update, title + "\n" + "\n".join(lines))
    # rendering takes a moment of CPU: off the event loop, so others are answered meanwhile
    pdf = await render(record_pdf, plain_text(title), [plain_text(x) for x in lines])
    assert update.effective_chat is not None
    await update.effective_chat.send_document(
        io.BytesIO(pdf),
        filename=f"record-{today.year}.pdf",
        caption=tr("record.caption", year=today.year),
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/stats and /record."""
    app.add_handler(CommandHandler("stats", secretary_only(in_private(heavy(stats_command)))))
    app.add_handler(
        CommandHandler("record", heavy(record_command), filters=filters.ChatType.PRIVATE)
    )
