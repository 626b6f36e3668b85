"""Monday: groups get last week's service and next week's tasks; secretaries, pending reviews."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.schedule import JobName, period_for, week_bounds
from bot.domain.tasks import Task
from bot.i18n import N_, Translator
from bot.outbox.delivery import Outgoing, deliver
from bot.services import Services, app_services
from bot.storage.ledger import Standing
from bot.storage.tasks import WeekStats
from bot.usecases.audiences import (
    AnyApplication,
    command_button,
    secretaries_of,
    to_groups,
    translator_for,
)
from bot.views.times import hours_number, span_text, week_text

TOP = 5


@dataclass(frozen=True)
class Week:
    """What a community did in a week, and what comes next: read once, written in any
    language."""

    week: str
    stats: WeekStats
    top: list[Standing]
    wishes: int
    upcoming: list[Task]

    @property
    def quiet(self) -> bool:
        """Nothing served, nothing coming: not worth posting to a group."""
        return self.stats.tasks == 0 and not self.top and not self.upcoming and not self.wishes


async def week_facts(services: Services, community_id: int, week: str) -> Week:
    """Last week's tasks, hours, points, stars and wishes, and next week's open tasks."""
    start, end = week_bounds(week, services.settings.tz)
    storage = services.storage
    return Week(
        week,
        await storage.tasks.week_stats(community_id, start, end),
        await storage.ledger.standings(community_id, start, end, TOP, served_only=True),
        await storage.wishes.fulfilled(start, end, community_id=community_id),
        await storage.tasks.starting_between(community_id, end, end + timedelta(days=7)),
    )


def summary_text(services: Services, tr: Translator, facts: Week) -> str:
    """The week's summary in ``tr``'s language."""
    stats = facts.stats
    lines = [
        tr("summary.header", week=week_text(tr, facts.week)),
        tr(
            "summary.stats",
            tasks=stats.tasks,
            hours=hours_number(stats.hours),
            volunteers=stats.volunteers,
            points=stats.points,
        ),
    ]
    if facts.wishes:
        lines.append(tr("summary.wishes", count=facts.wishes))
    if facts.top:
        separator = tr.plain("list.separator")
        names = separator.join(
            tr("summary.top_entry", name=s.name, points=s.points) for s in facts.top
        )
        lines.append(tr("summary.top", names=names))
    lines.append(tr("summary.next_week") if facts.upcoming else tr("summary.next_week_none"))
    tz = services.settings.tz
    lines += [
        f"• {span_text(tr, t.starts_at, t.ends_at, tz)}  {html.escape(t.title)}"
        for t in facts.upcoming
    ]
    return "\n".join(lines)


async def weekly_summary(app: AnyApplication, at: datetime) -> str:
    """Post the summary of the week before ``at``'s (一周一审核 for secretaries)."""
    services = app_services(app)
    week = period_for(JobName.WEEKLY_SUMMARY, at, services.settings.tz)
    messages = []
    for community in await services.storage.communities.list_all():
        facts = await week_facts(services, community.id, week)
        if not facts.quiet:  # an all-zero summary is not posted to a group

            def compose(tr: Translator, facts: Week = facts) -> tuple[str, None]:
                return summary_text(services, tr, facts), None

            messages += await to_groups(services, community.id, compose)
        pending = await services.storage.signups.pending_count(community.id)
        if not pending:  # nothing to review: no "0 check-ins" message
            continue
        for telegram_id in await secretaries_of(services, community.id):
            tr = await translator_for(services, telegram_id)
            messages.append(
                Outgoing(
                    f"s:{telegram_id}",
                    telegram_id,
                    tr("summary.pending_reviews", count=pending),
                    command_button(app, tr, N_("summary.button_review"), "review"),
                )
            )
    result = await deliver(app, JobName.WEEKLY_SUMMARY, week, messages)
    return f"week {week}: {result.sent} message(s) sent, {result.already} already"
