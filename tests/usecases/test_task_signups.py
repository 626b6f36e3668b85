"""Joining, leaving, checking in and review, stated as rules on the use cases themselves."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.clock import FixedClock
from bot.domain.signups import CheckInOutcome, JoinOutcome, LeaveOutcome
from bot.services import Services
from bot.usecases.task_signups import (
    CheckInResult,
    Refusal,
    Review,
    check_in,
    join_task,
    leave_task,
    review_check_in,
)
from tests.usecases.builders import make_community, make_member, make_task


async def _texts_to(services: Services, telegram_id: int) -> list[dict[str, Any]]:
    rows = await services.storage.db.fetchall(
        "SELECT payload FROM outbox WHERE chat_id = ? AND kind = 'text' ORDER BY id",
        (telegram_id,),
    )
    return [json.loads(row["payload"]) for row in rows]


async def test_a_full_task_queues_and_a_leaver_hands_the_place_to_the_first_in_line(
    services: Services,
) -> None:
    place = await make_community(services)
    task = await make_task(services, place, capacity=1)
    first, second, third = [
        await make_member(services, place, name) for name in ("张三", "李四", "王五")
    ]
    now = services.now()

    assert await join_task(services, first, task, now) is JoinOutcome.JOINED
    assert await join_task(services, second, task, now) is JoinOutcome.WAITLISTED
    assert await join_task(services, third, task, now) is JoinOutcome.WAITLISTED
    assert await join_task(services, second, task, now) is JoinOutcome.ALREADY_WAITING

    assert await leave_task(services, first, task, now) is LeaveOutcome.LEFT
    promoted = await services.storage.signups.get(task.id, second.id)
    still_waiting = await services.storage.signups.get(task.id, third.id)
    assert promoted is not None and promoted.status == "joined"
    assert still_waiting is not None and still_waiting.status == "waitlisted"
    assert second.telegram_id is not None and third.telegram_id is not None
    assert len(await _texts_to(services, second.telegram_id)) == 1  # told, once
    assert await _texts_to(services, third.telegram_id) == []


async def test_nobody_joins_or_leaves_once_the_task_has_started(
    services: Services, clock: FixedClock
) -> None:
    place = await make_community(services)
    task = await make_task(services, place, starts_in=timedelta(hours=1))
    member = await make_member(services, place)
    assert await join_task(services, member, task, services.now()) is JoinOutcome.JOINED

    clock.move(timedelta(hours=1, minutes=1))
    later = services.now()
    assert await leave_task(services, member, task, later) is Refusal.STARTED
    other = await make_member(services, place, "李四")
    assert await join_task(services, other, task, later) is Refusal.STARTED
    assert await services.storage.signups.get(task.id, other.id) is None


async def test_a_check_in_waits_for_its_window_then_is_reviewed_once_and_never_by_oneself(
    services: Services, clock: FixedClock
) -> None:
    place = await make_community(services)
    task = await make_task(services, place, starts_in=timedelta(days=1), points=3)
    member = await make_member(services, place)
    await join_task(services, member, task, services.now())

    early = await check_in(services, member, task, services.now(), "qr")
    assert early.outcome is CheckInResult.NOT_YET

    clock.at = task.starts_at
    done = await check_in(services, member, task, services.now(), "qr")
    assert done.outcome is CheckInOutcome.CHECKED_IN
    again = await check_in(services, member, task, services.now(), "qr")
    assert again.outcome is CheckInOutcome.ALREADY

    signup = await services.storage.signups.get(task.id, member.id)
    assert signup is not None and member.telegram_id is not None
    assert await review_check_in(services, member.telegram_id, signup.id, None) is Review.OWN
    assert await services.storage.ledger.balance(member.id) == 0

    assert await review_check_in(services, place.secretary_id, signup.id, None) is Review.DONE
    assert await review_check_in(services, place.secretary_id, signup.id, None) is Review.ALREADY
    assert await services.storage.ledger.balance(member.id) == 3  # one entry, not two
    assert len(await _texts_to(services, member.telegram_id)) == 1
