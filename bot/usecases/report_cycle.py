"""The 回家日 window: the announcement in groups, and the evening reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.domain.deeplinks import REPORT_PAYLOAD
from bot.domain.periods import PeriodKind, period_containing, window_for_day
from bot.domain.schedule import JobName, period_for
from bot.domain.text_limits import names_within
from bot.i18n import N_, Translator
from bot.outbox.delivery import Outgoing, deliver
from bot.services import app_services
from bot.storage.reports import ReportRow
from bot.usecases.audiences import (
    AnyApplication,
    open_bot_button,
    secretaries_of,
    to_groups,
    translator_for,
)
from bot.views.roster_report import not_enrolled_button, not_enrolled_lines
from bot.views.times import day_text, days_text, month_text


async def report_window_open(app: AnyApplication, at: datetime) -> str:
    """Announce 回家日 in every bound group, with a button to report."""
    services = app_services(app)
    tz = services.settings.tz
    window = window_for_day(at.astimezone(tz).date(), services.settings.report_window_days)
    if not window.contains(at.astimezone(tz).date()):
        return f"outside the report window ({window.first_day}–{window.last_day}): nothing sent"

    def compose(tr: Translator) -> tuple[str, InlineKeyboardMarkup]:
        text = tr(
            "report.window_open",
            month=month_text(tr, window.month),
            days=days_text(tr, window.first_day, window.last_day),
        )
        return text, open_bot_button(app, tr, N_("report.button"), REPORT_PAYLOAD)

    messages = []
    for community in await services.storage.communities.list_all():
        messages += await to_groups(services, community.id, compose)
    name = JobName.REPORT_WINDOW_OPEN
    result = await deliver(app, name, period_for(name, at, tz), messages)
    return f"announced in {result.sent} group(s), {result.already} already"


async def unreported(app: AnyApplication, community_id: int, at: datetime) -> list[ReportRow]:
    """In-service members of a community who have not reported in ``at``'s month."""
    services = app_services(app)
    tz = services.settings.tz
    period = period_containing(at.astimezone(tz).date(), PeriodKind.MONTH)
    start, end = period.bounds(tz)
    rows = await services.storage.reports.month(community_id, period.label, start, end)
    return [r for r in rows if r.reported_at is None]


@dataclass(frozen=True)
class ReminderRun:
    """What a reminder run did (its text is the log line and ``run-job``'s output)."""

    reminded: int
    unreachable: int  # enrolled, but the bot cannot write to them
    in_window: bool = True
    not_enrolled: int = 0  # on the roster, never enrolled: nobody to write to

    def __str__(self) -> str:
        if not self.in_window:
            return "outside the report window: nothing sent"
        return (
            f"reminded {self.reminded} member(s); {self.unreachable} cannot be reached;"
            f" {self.not_enrolled} on the roster never enrolled"
        )


async def report_reminders(
    app: AnyApplication, at: datetime, community_id: int | None = None
) -> ReminderRun:
    """Remind each unreported in-service member in private; name the unreachable ones.

    Every community's members, or one community's (a secretary's ``/remind``). The day's
    deliveries are keyed per member, so overlapping runs remind each member once. Roster
    people who never enrolled are not "unreachable": the secretaries get them as 未登记,
    with phone and unit; the group, where they may not be, never hears their names.
    """
    services = app_services(app)
    tz = services.settings.tz
    day = at.astimezone(tz).date()
    window = window_for_day(day, services.settings.report_window_days)
    if not window.contains(day):
        return ReminderRun(0, 0, in_window=False)
    name, period = JobName.REPORT_REMINDERS, period_for(JobName.REPORT_REMINDERS, at, tz)
    totals = [0, 0, 0]
    for community in await services.storage.communities.list_all():
        if community_id is not None and community.id != community_id:
            continue
        missing = await unreported(app, community.id, at)
        never_enrolled = [r for r in missing if not r.enrolled]
        enrolled = [r for r in missing if r.enrolled]
        reachable = [r for r in enrolled if r.reachable and r.telegram_id is not None]
        messages = []
        for row in reachable:
            tr = services.translations.get(row.language)
            assert row.telegram_id is not None
            messages.append(
                Outgoing(
                    f"m:{row.member_id}",
                    row.telegram_id,
                    tr("report.reminder", name=row.name, last=day_text(tr, window.last_day)),
                    open_bot_button(app, tr, N_("report.button"), REPORT_PAYLOAD),
                    member_telegram_id=row.telegram_id,
                )
            )
        result = await deliver(app, name, period, messages)
        failed = {f"m:{r.member_id}" for r in reachable} & set(result.unreachable)
        cannot_reach = [
            r
            for r in enrolled
            if not (r.reachable and r.telegram_id) or f"m:{r.member_id}" in failed
        ]
        totals[0] += result.sent
        totals[1] += len(cannot_reach)
        totals[2] += len(never_enrolled)
        if cannot_reach:
            await _name_in_groups(app, community.id, f"{day:%Y-%m}", cannot_reach)
        if cannot_reach or never_enrolled:
            await _tell_secretaries(
                app, community.id, period, cannot_reach, never_enrolled, len(missing)
            )
    return ReminderRun(totals[0], totals[1], not_enrolled=totals[2])


async def _name_in_groups(
    app: AnyApplication, community_id: int, month: str, rows: list[ReportRow]
) -> None:
    """Once a month the group sees which enrolled members the bot cannot reach (its message
    is keyed by the month, not the day)."""
    services = app_services(app)
    names, left_out = names_within([r.name for r in rows])

    def compose(tr: Translator) -> tuple[str, InlineKeyboardMarkup]:
        text = tr("report.unreachable_group", names=names) + more_names(tr, left_out)
        return text, open_bot_button(app, tr, N_("report.open_bot"), REPORT_PAYLOAD)

    await deliver(
        app, JobName.REPORT_REMINDERS, month, await to_groups(services, community_id, compose)
    )


async def _tell_secretaries(
    app: AnyApplication,
    community_id: int,
    period: str,
    unreachable: list[ReportRow],
    never_enrolled: list[ReportRow],
    missing: int,
) -> None:
    """The secretaries get the day's lists each evening: the enrolled the bot cannot reach,
    and the roster people never enrolled (未登记), the first few with phone and unit, a
    button for the sheet of them all."""
    services = app_services(app)
    names, left_out = names_within([r.name for r in unreachable])
    people = [(r.name, r.phone, r.work_unit) for r in never_enrolled]
    messages = []
    for telegram_id in await secretaries_of(services, community_id):
        tr = await translator_for(services, telegram_id)
        lines = [tr("report.missing_secretary", missing=missing)]
        if unreachable:
            text = tr("report.unreachable_secretary", names=names, count=len(unreachable))
            lines.append(text + more_names(tr, left_out))
        markup = None
        if never_enrolled:
            lines += not_enrolled_lines(tr, len(never_enrolled), people)
            markup = not_enrolled_button(tr)
        messages.append(Outgoing(f"s:{telegram_id}", telegram_id, "\n".join(lines), markup))
    await deliver(app, JobName.REPORT_REMINDERS, period, messages)


def more_names(tr: Translator, left_out: int) -> str:
    """ "… and N more" after a list that was cut; nothing when it was whole."""
    return tr("list.more", count=left_out) if left_out else ""
