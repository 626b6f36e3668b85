"""17.18: a published task's time and place are changed; members told, cards, reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.schedule import JobName
from bot.jobs.runner import run_job
from bot.views.callbacks import ManageAction, TaskManageButton
from bot.views.times import span_text
from tests.handlers.test_tasks import form, ready
from tests.harness import ALICE, BOB, CAROL, GROUP_ID, SECRETARY, BotHarness

TZ = ZoneInfo("Asia/Shanghai")


def edit_button(task_id: int) -> str:
    return TaskManageButton(ManageAction.EDIT, task_id).pack()


def times(start: datetime, hours: int = 2) -> str:
    return f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=hours):%Y-%m-%d %H:%M}"


def later(minutes: int) -> datetime:
    return (datetime.now(TZ) + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


async def _published(bot: BotHarness, start: datetime) -> int:
    await ready(bot, ALICE, BOB, CAROL)
    task_id = await bot.publish(form(start, capacity="2"))
    for user in (ALICE, BOB, CAROL):  # Carol waits
        await bot.press(user, bot.last(GROUP_ID), f"t1:join:{task_id}")
    await bot.flush()
    return task_id


async def test_17_18_a_new_time_and_place_reach_cards_members_and_reminders(
    bot: BotHarness,
) -> None:
    old_start = later(50)
    task_id = await _published(bot, old_start)
    await run_job(bot.app, JobName.TASK_REMINDERS, datetime.now(TZ))
    reminders = [t for t in bot.texts(ALICE.id) if "小区环境整治" in t and "⏰" in t]
    zh = bot.services.translations.get("zh_CN")
    en = bot.services.translations.get("en")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), edit_button(task_id))
    tz = bot.services.settings.tz
    asked = bot.texts(SECRETARY.id)[-1]
    assert span_text(zh, old_start, old_start + timedelta(hours=2), tz) in asked
    assert asked.startswith(
        zh.plain("taskedit.ask", title="小区环境整治", time="", place="", month=1, day=1).split(
            "\n"
        )[0]
    )
    new_start = later(5 * 60)
    await bot.send(SECRETARY, f"{times(new_start)}\n地点：3号楼前")
    assert bot.texts(SECRETARY.id)[-1] == zh.plain("taskedit.done", title="小区环境整治")
    task = await bot.storage.tasks.get(task_id)
    assert task is not None and task.place == "3号楼前"
    assert task.starts_at == new_start and task.ends_at == new_start + timedelta(hours=2)
    await bot.flush()
    for user, tr in ((ALICE, zh), (BOB, en), (CAROL, zh)):
        told = bot.texts(user.id)[-1]
        old = span_text(tr, old_start, old_start + timedelta(hours=2), tz)
        new = span_text(tr, new_start, new_start + timedelta(hours=2), tz)
        assert tr.plain("taskedit.notice_time", old=old, new=new) in told
        assert tr.plain("taskedit.notice_place", old="田森嘉园A区 3号楼", new="3号楼前") in told
    edits = bot.fake.calls_to("editMessageText", chat_id=GROUP_ID)
    assert edits and "3号楼前" in edits[-1].params["text"]
    # the reminder for the old time is not sent again; the new time's one is sent once
    before = len(bot.texts(ALICE.id))
    await run_job(bot.app, JobName.TASK_REMINDERS, datetime.now(TZ) + timedelta(minutes=5))
    assert len(bot.texts(ALICE.id)) == before
    await run_job(bot.app, JobName.TASK_REMINDERS, new_start - timedelta(minutes=40))
    await run_job(bot.app, JobName.TASK_REMINDERS, new_start - timedelta(minutes=35))
    now_reminded = [t for t in bot.texts(ALICE.id) if "小区环境整治" in t and "⏰" in t]
    assert len(now_reminded) == len(reminders) + 1 == 2


async def test_17_18_a_place_only_edit_and_a_no_op(bot: BotHarness) -> None:
    start = later(5 * 60)
    task_id = await _published(bot, start)
    zh = bot.services.translations.get("zh_CN")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), edit_button(task_id))
    await bot.send(SECRETARY, "地点：田森嘉园A区 3号楼")  # as it is
    assert bot.texts(SECRETARY.id)[-1] == zh.plain("taskedit.unchanged", title="小区环境整治")
    before = len(bot.fake.calls_to("sendMessage", chat_id=ALICE.id))
    await bot.flush()
    assert len(bot.fake.calls_to("sendMessage", chat_id=ALICE.id)) == before
    await bot.press(SECRETARY, bot.last(SECRETARY.id), edit_button(task_id))
    await bot.send(SECRETARY, "地点：社区广场")
    task = await bot.storage.tasks.get(task_id)
    assert task is not None and task.place == "社区广场" and task.starts_at == start
    await bot.flush()
    told = bot.texts(ALICE.id)[-1]
    assert zh.plain("taskedit.notice_place", old="田森嘉园A区 3号楼", new="社区广场") in told
    assert len(told.split("\n")) == 2  # the time did not change: not told


async def test_17_18_every_problem_of_an_edit_at_once_and_a_start_in_the_past(
    bot: BotHarness,
) -> None:
    start = later(5 * 60)
    task_id = await _published(bot, start)
    zh = bot.services.translations.get("zh_CN")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), edit_button(task_id))
    await bot.send(SECRETARY, "开始：明年某天\n标题：新标题")
    reply = bot.texts(SECRETARY.id)[-1]
    assert reply.startswith(zh.plain("form.errors", count=3))  # all at once
    assert zh.plain("form.error.unknown_key", key="标题") in reply  # the title is not edited
    past = later(-60)
    await bot.send(SECRETARY, times(past))
    assert bot.texts(SECRETARY.id)[-1] == zh.plain("task.error.start_past")
    task = await bot.storage.tasks.get(task_id)
    assert task is not None and task.starts_at == start  # nothing changed
    await bot.send(SECRETARY, "/cancel")
    assert bot.texts(SECRETARY.id)[-1] == zh.plain("taskedit.cancelled")


async def test_17_18_only_a_secretary_edits_an_open_task(bot: BotHarness) -> None:
    start = later(5 * 60)
    task_id = await _published(bot, start)
    zh = bot.services.translations.get("zh_CN")
    await bot.press(ALICE, bot.last(ALICE.id), edit_button(task_id))  # forged by a member
    await bot.send(ALICE, "地点：我家")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), edit_button(task_id + 99))  # stale
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "t1:edit:x")  # does not parse
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:close:{task_id}")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), edit_button(task_id))  # closed
    await bot.send(SECRETARY, "地点：我家")
    task = await bot.storage.tasks.get(task_id)
    assert task is not None and task.place == "田森嘉园A区 3号楼"
    answers = [c.params.get("text") for c in bot.fake.calls_to("answerCallbackQuery")]
    for key in ("role.secretary_only", "callback.stale", "taskedit.not_open"):
        assert zh(key) in answers
    assert not [t for t in bot.texts(ALICE.id) if "社区广场" in t or "我家" in t]
