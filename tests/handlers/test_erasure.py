"""/forgetme erases what is the person's and nothing else's, and erased members can no longer
be the target of anyone's action (issue 16: items 2, 16, 18 and 19)."""

from __future__ import annotations

from bot.domain.roster import parse_roster_csv
from tests.fakes.updates import TgUser
from tests.harness import ALICE, SECRETARY, BotHarness

FORM = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员"


async def _import_roster(bot: BotHarness, rows: str) -> None:
    community = (await bot.storage.communities.list_all())[0]
    parsed = parse_roster_csv("姓名,手机,单位,类型\n" + rows)
    await bot.storage.roster.import_rows(community.id, parsed.rows)


async def _forget(bot: BotHarness, user: TgUser) -> None:
    await bot.send(user, "/forgetme")
    await bot.press(user, bot.last(user.id), "f1:yes")


async def test_16_16_forgetme_deletes_only_the_members_own_linked_roster_row(
    bot: BotHarness,
) -> None:
    """16.16: a member without a phone erases only the roster row linked to them; a row of
    the same name that a secretary unlinked as someone else stays."""
    await bot.setup_community()
    await _import_roster(bot, "张三,13900001111,市税务局,在职党员\n王五,13900004444,街道,在职党员")
    await bot.send(ALICE, FORM)  # linked by name to the only 张三
    await bot.send(SECRETARY, "/unlink 张三")  # not this 张三, says the secretary
    await bot.send(SECRETARY, "/link 张三 139-0000-4444")  # but the one the unit calls 王五
    await _forget(bot, ALICE)
    rows = await bot.storage.db.fetchall("SELECT name, phone, member_id FROM roster_entries")
    assert [tuple(r) for r in rows] == [("张三", "13900001111", None)]
