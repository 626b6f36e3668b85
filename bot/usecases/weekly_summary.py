"""Monday: groups get last week's service and next week's tasks; secretaries, pending reviews."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.schedule import JobName, period_for, week_bounds
from bot.domain.timeutil import span_text
from bot.i18n import Translator
from bot.outbox.delivery import Outgoing, deliver
from bot.services import Services, app_services
from bot.usecases.audiences import AnyApplication, secretaries_of, to_groups

TOP = 5


async def summary_text(
    services: Services, community_id: int, week: str, locale: str | None
) -> tuple[str, bool]:
    """Last week's tasks, hours, points and top volunteers, and next week's open tasks; and
    whether the week was quiet (nothing served, nothing coming: not worth posting)."""
    tz = services.settings.tz
    tr = services.translations.get(locale)
    start, end = week_bounds(week, tz)
    storage = services.storage
    stats = await storage.tasks.week_stats(community_id, start, end)
    lines = [
        tr("summary.header", week=week),
        tr(
            "summary.stats",
            tasks=stats.tasks,
            hours=stats.hours,
            volunteers=stats.volunteers,
            points=stats.points,
        ),
    ]
    top = await storage.ledger.standings(community_id, start, end, TOP, served_only=True)
    if top:
        lines.append(tr("summary.top", names="、".join(f"{s.name}（{s.points}）" for s in top)))
    upcoming = await storage.tasks.starting_between(community_id, end, end + timedelta(days=7))
    lines.append(tr("summary.next_week") if upcoming else tr("summary.next_week_none"))
    lines += [
        f"• {span_text(t.starts_at, t.ends_at, tz)}  {html.escape(t.title)}" for t in upcoming
    ]
    wishes = await storage.wishes.fulfilled(start, end, community_id=community_id)
    if wishes:
        lines.insert(2, tr("summary.wishes", count=wishes))
    quiet = stats.tasks == 0 and not top and not upcoming and not wishes
    return "\n".join(lines), quiet


async def weekly_summary(app: AnyApplication, at: datetime) -> str:
    """Post the summary of the week before ``at``'s (一周一审核 for secretaries)."""
    services = app_services(app)
    week = period_for(JobName.WEEKLY_SUMMARY, at, services.settings.tz)
    messages = []
    for community in await services.storage.communities.list_all():
        texts = {
            tr.locale: await summary_text(services, community.id, week, tr.locale)
            for tr in services.translations.all()
        }
        if not next(iter(texts.values()))[1]:  # an all-zero summary is not posted to a group

            def compose(
                tr: Translator, texts: dict[str, tuple[str, bool]] = texts
            ) -> tuple[str, None]:
                return texts[tr.locale][0], None

            messages += await to_groups(services, community.id, compose)
        pending = await services.storage.signups.pending_count(community.id)
        if not pending:  # nothing to review: no "0 check-ins" message
            continue
        for telegram_id in await secretaries_of(services, community.id):
            member = await services.storage.members.get_by_telegram_id(telegram_id)
            tr = services.translations.get(member.language if member else None)
            messages.append(
                Outgoing(
                    f"s:{telegram_id}", telegram_id, tr("summary.pending_reviews", count=pending)
                )
            )
    result = await deliver(app, JobName.WEEKLY_SUMMARY, week, messages)
    return f"week {week}: {result.sent} message(s) sent, {result.already} already"


def _in_language(texts: dict[str, tuple[str, bool]]) -> Callable[[Translator], tuple[str, None]]:
    """The summary already written in each language, for each group's."""

    def compose(tr: Translator) -> tuple[str, None]:
        return texts[tr.locale][0], None

    return compose
