"""/stats (secretaries): the charts; /record (members): their year, as a message and a PDF."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.charts import RecordDocument, record_pdf
from bot.domain.deeplinks import deep_link, verify_payload
from bot.domain.forms import FormError
from bot.domain.models import Member
from bot.domain.periods import account_year, parse_year
from bot.domain.timeutil import hours_between
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    heavy,
    in_private,
    reply,
    secretary_community,
    secretary_only,
    tell_to_enroll,
)
from bot.i18n import N_, Translator
from bot.rendering import render
from bot.usecases.audiences import papers_translator
from bot.usecases.service_record import ServiceYear, issue_service_record
from bot.usecases.statistics import community_charts
from bot.views.times import day_text, hours_number

RECORD_LINES = 30  # in the message; the PDF has them all
RECORD_COLUMNS = (
    N_("record.col.date"),
    N_("record.col.task"),
    N_("record.col.category"),
    N_("record.col.hours"),
    N_("record.col.points"),
)


async def _year_asked(update: Update, context: Context, who: Caller) -> int | None:
    """``[YYYY]`` of /record and /stats: the year named, or by default this one (last year's
    in January, when it is the one asked for); None when refused (and told why)."""
    today = who.services.now().date()
    try:
        return parse_year(context.args[0]) if context.args else account_year(today)
    except FormError as exc:
        await reply(update, who.tr(exc.key, **exc.params))
        return None


def _last_day_shown(today: date, year: int) -> date:
    """The day a year's charts run up to: today in this year, the year's last day before."""
    return today if year >= today.year else date(year, 12, 31)


async def stats_command(update: Update, context: Context) -> None:
    """/stats [YYYY]: charts a secretary can forward (last year's in January)."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    year = await _year_asked(update, context, who)
    if year is None:
        return
    today = _last_day_shown(who.services.now().date(), year)
    charts = await community_charts(who.services, who.tr, community_id, today)
    if not charts:
        await reply(update, who.tr("stats.no_data"))
        return
    assert update.effective_chat is not None
    for chart in charts:
        await update.effective_chat.send_photo(io.BytesIO(chart.png), caption=chart.caption)


async def record_command(update: Update, context: Context) -> None:
    """/record [YYYY]: the member's year (last year's in January): tasks, hours, points,
    reports; and a printable, numbered PDF."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    asked = await _year_asked(update, context, who)
    if asked is None:
        return
    services, member, tr = who.services, who.member, who.tr
    tz = services.settings.tz
    year = await issue_service_record(services, member, asked)
    record = year.record
    title = tr("record.header", name=member.name, year=record.year)
    totals = tr(
        "record.summary",
        tasks=record.tasks,
        hours=hours_number(record.hours),
        points=record.points,
        months=record.months,
    )
    lines = [totals] + [
        tr(
            "record.task_line",
            date=day_text(tr, t.starts_at, tz),
            title=t.title,
            hours=hours_number(hours_between(t.starts_at, t.ends_at)),
            points=t.points,
        )
        for t in year.served[:RECORD_LINES]
    ]
    if len(year.served) > RECORD_LINES:
        lines.append(tr("list.more", count=len(year.served) - RECORD_LINES).strip())
    if year.months:
        lines.append(tr("record.reports", months=tr.plain("list.separator").join(year.months)))
    if year.wishes:
        lines.append(tr("record.wishes", count=year.wishes))
    this_year = services.now().date().year
    if record.year < this_year and not context.args:  # January: last year's, and how to ask
        lines.append(tr("record.this_year", year=this_year))
    await reply(update, title + "\n" + "\n".join(lines))
    link = deep_link(context.bot.username, verify_payload(record.number))
    # the record goes to a work unit: first in the community's language, then (when the
    # member reads another) the same record in the member's, as a second page
    papers = papers_translator(services)
    pages = [_record_page(papers, year, member, link, tz)]
    if tr.locale != papers.locale:
        pages.append(_record_page(tr, year, member, link, tz))
    # rendering takes a moment of CPU: off the event loop, so others are answered meanwhile
    pdf = await render(record_pdf, *pages)
    assert update.effective_chat is not None
    await update.effective_chat.send_document(
        io.BytesIO(pdf),
        filename=f"record-{record.year}-{record.number}.pdf",
        caption=tr("record.caption", year=record.year, number=record.number),
    )


def _record_page(
    tr: Translator, year: ServiceYear, member: Member, link: str, tz: ZoneInfo
) -> RecordDocument:
    """The printed record's page in ``tr``'s language."""
    record = year.record
    totals = tr.plain(
        "record.summary",
        tasks=record.tasks,
        hours=hours_number(record.hours),
        points=record.points,
        months=record.months,
    )
    return RecordDocument(
        title=tr.plain("record.title", year=record.year),
        community=year.community,
        person=[
            tr.plain("record.person", name=member.name),
            tr.plain("record.unit", unit=member.work_unit or "—"),
            tr.plain("record.compound", compound=member.compound or "—"),
        ],
        columns=[tr.plain(key) for key in RECORD_COLUMNS],
        rows=[
            (
                day_text(tr, t.starts_at, tz),
                t.title,
                t.category,
                f"{hours_between(t.starts_at, t.ends_at):.1f}",
                str(t.points),
            )
            for t in year.served
        ],
        totals=[
            totals,
            tr.plain("record.reports", months=tr.plain("list.separator").join(year.months) or "—"),
            *([tr.plain("record.wishes", count=year.wishes)] if year.wishes else []),
        ],
        footer=[
            tr.plain("record.issued", day=day_text(tr, record.issued_at, tz)),
            tr.plain("record.stamp"),
        ],
        number=tr.plain("record.number", number=record.number),
        verify_link=link,
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/stats and /record."""
    app.add_handler(CommandHandler("stats", secretary_only(in_private(heavy(stats_command)))))
    app.add_handler(
        CommandHandler("record", heavy(record_command), filters=filters.ChatType.PRIVATE)
    )
