"""Wishes and the monthly report, stated as rules on the use cases themselves."""

from __future__ import annotations

from bot.clock import FixedClock
from bot.domain.wishes import MAX_PENDING_WISHES
from bot.services import Services
from bot.usecases.monthly_report import file_report
from bot.usecases.wishes import approve_wish, claim_wish, make_wish
from tests.usecases.builders import make_community, make_member
from tests.usecases.conftest import NOW

RESIDENT = 7_000_001


async def test_a_wish_from_the_community_s_own_secretary_is_on_paper_anyone_else_s_waits(
    services: Services,
) -> None:
    place = await make_community(services)
    other = await make_community(services, "北苑社区")

    paper = await make_wish(services, place.secretary_id, place.community.id, "换灯泡")
    from_outside = await make_wish(services, other.secretary_id, place.community.id, "修水管")
    resident = await make_wish(services, RESIDENT, place.community.id, "陪同就医")

    assert paper.key == "wish.recorded_on_paper"
    assert from_outside.key == resident.key == "wish.received"
    statuses = await services.storage.db.fetchall(
        "SELECT status FROM wishes WHERE community_id = ? ORDER BY id", (place.community.id,)
    )
    assert [row["status"] for row in statuses] == ["open", "pending", "pending"]


async def test_a_resident_has_at_most_so_many_wishes_waiting(services: Services) -> None:
    place = await make_community(services)
    for n in range(MAX_PENDING_WISHES):
        assert (await make_wish(services, RESIDENT, place.community.id, f"心愿{n}")).number
    refused = await make_wish(services, RESIDENT, place.community.id, "再一个")
    assert refused.key == "wish.too_many_pending" and refused.number == 0
    assert await services.storage.wishes.pending_of(RESIDENT) == MAX_PENDING_WISHES


async def test_the_only_secretary_may_not_take_a_wish_on_but_a_member_takes_it_once(
    services: Services,
) -> None:
    place = await make_community(services)
    made = await make_wish(services, RESIDENT, place.community.id, "换灯泡")
    assert await approve_wish(services, place.community.id, made.number)
    secretary = await make_member(services, place, "王书记", telegram_id=place.secretary_id)
    volunteer = await make_member(services, place, "张三")
    late = await make_member(services, place, "李四")

    assert await claim_wish(services, secretary, made.number) == "wish.claim_lone_secretary"
    assert await claim_wish(services, volunteer, made.number) == "wish.claimed"
    assert await claim_wish(services, late, made.number) == "wish.taken"


async def test_a_report_is_filed_only_in_the_last_week_and_once_a_month(
    services: Services, clock: FixedClock
) -> None:
    place = await make_community(services)
    member = await make_member(services, place)

    outside = await file_report(services, member, "", services.now())
    assert not outside.filed and outside.window.month == f"{NOW:%Y-%m}"

    clock.at = NOW.replace(day=28)
    first = await file_report(services, member, "", services.now())
    again = await file_report(services, member, "补充", services.now())
    assert first.filed and first.first
    assert again.filed and not again.first
    rows = await services.storage.db.fetchall(
        "SELECT month, note FROM monthly_reports WHERE member_id = ?", (member.id,)
    )
    assert [(row["month"], row["note"]) for row in rows] == [(f"{NOW:%Y-%m}", "补充")]
