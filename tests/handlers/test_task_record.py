"""17.18: a per-activity record: the task's attendance sheet (签到表)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.domain.timeutil import to_db
from bot.views.callbacks import ManageAction, TaskManageButton
from tests.fakes.updates import TgUser, button_data
from tests.handlers.test_tasks import form, ready, soon
from tests.harness import ALICE, BOB, CAROL, GROUP_ID, SECRETARY, BotHarness

TZ = ZoneInfo("Asia/Shanghai")


def sheet_button(task_id: int) -> str:
    return TaskManageButton(ManageAction.SHEET, task_id).pack()


async def _sheet(bot: BotHarness, task_id: int) -> tuple[dict[str, Any], Any]:
    """The secretary taps 签到表 on the task's manage message; the document and its sheet."""
    await bot.press(SECRETARY, bot.last(SECRETARY.id), sheet_button(task_id))
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert document.ok
    sent = document.result["document"]
    book = load_workbook(io.BytesIO(bot.fake.files[sent["file_id"]]))
    return document.params | {"file_name": sent["file_name"]}, book.active


async def test_17_18_the_attendance_sheet_lists_who_came_and_what_they_earned(
    bot: BotHarness,
) -> None:
    await ready(bot, ALICE, BOB, CAROL)
    start = soon()
    task_id = await bot.publish(form(start, capacity="2", title="楼道杂物清理"))
    manage = TaskManageButton(ManageAction.MANAGE, task_id).pack()
    await bot.press(SECRETARY, bot.last(SECRETARY.id), manage)
    assert sheet_button(task_id) in button_data(bot.last(SECRETARY.id))
    card = bot.last(GROUP_ID)
    for user in (ALICE, BOB, CAROL):  # Carol waits: two places
        await bot.press(user, card, f"t1:join:{task_id}")
    await bot.storage.members.attach_phone(ALICE.id, "13800000001")
    await bot.press(ALICE, card, f"t1:ci:{task_id}")
    checked_in = datetime.now(TZ)
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, page, next(d for d in button_data(page) if d.startswith("r1:ok:")))
    await bot.press(SECRETARY, bot.last(SECRETARY.id), manage)
    params, sheet = await _sheet(bot, task_id)
    tr = bot.services.translations.get("zh_CN")
    assert params["file_name"] == f"田森社区-楼道杂物清理-{start.month}月{start.day}日签到表.xlsx"
    assert params["caption"] == tr(
        "task.sheet_caption",
        title="楼道杂物清理",
        joined=2,
        checked_in=1,
        approved=1,
        no_show=0,
        waiting=1,
    )
    title = str(sheet["A1"].value)
    assert "田森社区" in title and "楼道杂物清理" in title
    headers = [c.value for c in sheet[2]]
    assert headers == [
        tr.plain(k)
        for k in (
            "xlsx.number",
            "xlsx.member",
            "xlsx.unit",
            "xlsx.phone",
            "xlsx.signup_status",
            "xlsx.checked_in_at",
            "xlsx.points",
        )
    ]
    alice = [c.value for c in sheet[3]]
    assert alice[:5] == [1, "张三", "市税务局", "13800000001", tr.plain("xlsx.signup.approved")]
    assert isinstance(alice[5], datetime)  # a real date-time, as Beijing reads it
    assert abs(alice[5] - checked_in.replace(tzinfo=None, second=0, microsecond=0)) < timedelta(
        minutes=2
    )
    assert alice[6] == 5
    bob = [c.value for c in sheet[4]]
    assert bob[1] == "Bob" and bob[4] == tr.plain("xlsx.signup.joined")
    assert bob[5] is None and bob[6] == 0
    carol = [c.value for c in sheet[5]]
    assert carol[1] == "李四" and carol[4] == tr.plain("xlsx.signup.waitlisted")
    totals = [c.value for c in sheet[6]]
    assert totals[0] == tr.plain("xlsx.total") and totals[4] == "1/2" and totals[6] == 5
    assert sheet.freeze_panes == "A3"


async def test_17_18_the_sheet_is_in_the_readers_language_and_for_past_tasks(
    bot: BotHarness,
) -> None:
    await ready(bot, ALICE)
    start = soon()
    task_id = await bot.publish(form(start, title="Clean-up"))
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
    past = datetime.now(TZ) - timedelta(days=3)
    async with bot.storage.db.transaction() as conn:  # the task is long over
        await conn.execute(
            "UPDATE tasks SET starts_at = ?, ends_at = ? WHERE id = ?",
            (to_db(past), to_db(past + timedelta(hours=2)), task_id),
        )
    english = TgUser(SECRETARY.id, "Wang", language_code="en")  # Telegram's language
    await bot.press(english, bot.last(SECRETARY.id), sheet_button(task_id))
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert document.result["document"]["file_name"].endswith(" attendance.xlsx")
    book = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    tr = bot.services.translations.get("en")
    assert book.active["B2"].value == tr.plain("xlsx.member")


async def test_17_18_only_a_secretary_of_the_community_gets_the_sheet(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    task_id = await bot.publish(form(soon()))
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
    await bot.press(ALICE, bot.last(ALICE.id), sheet_button(task_id))  # forged by a member
    await bot.press(SECRETARY, bot.last(SECRETARY.id), sheet_button(task_id + 99))  # no task
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "t1:sheet:x")  # does not parse
    assert not bot.fake.calls_to("sendDocument")
    tr = bot.services.translations.get("zh_CN")
    answers = [c.params.get("text") for c in bot.fake.calls_to("answerCallbackQuery")]
    assert tr("role.secretary_only") in answers and tr("callback.stale") in answers


async def test_17_18_a_sheet_of_two_thousand_signups(bot: BotHarness) -> None:
    await ready(bot)
    task_id = await bot.publish(form(soon(), capacity="1000"))
    community = (await bot.storage.tasks.get(task_id)).community_id  # type: ignore[union-attr]
    now = datetime.now(TZ).isoformat()
    async with bot.storage.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO members (id, community_id, telegram_id, name, work_unit, member_type,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, '市税务局', 'in_service', ?, ?)",
            [(10_000 + n, community, 500_000 + n, f"成员{n}", now, now) for n in range(2000)],
        )
        await conn.executemany(
            "INSERT INTO signups (task_id, member_id, status, queued_at, queue_seq, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (task_id, 10_000 + n, "joined" if n < 1000 else "waitlisted", now, n, now)
                for n in range(2000)
            ],
        )
    params, sheet = await _sheet(bot, task_id)
    assert sheet.max_row == 2 + 2000 + 1
    assert sheet.cell(row=2002, column=2).value == "成员1999"
    assert len(str(params["caption"])) <= 1024
