"""The monthly cycle through the real Application: /report, the jobs, exactly once."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.domain.schedule import JobName
from bot.jobs.runner import run_if_due, run_job
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser
from tests.harness import GROUP_ID, SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
MEMBERS = [TgUser(6000 + i, f"党员{i}") for i in range(6)]


@pytest.fixture
async def whole_month(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotHarness]:
    """A bot whose report window is the whole month."""
    harness = BotHarness(
        make_settings(tmp_path / "m.sqlite3", fake.token, report_window_days=31), fake
    )
    await harness.start()
    try:
        await harness.setup_community()
        await harness.bind_group()
        for user in MEMBERS:
            await harness.enroll(user)
        yield harness
    finally:
        await harness.stop()


def reminders(bot: BotHarness, user: TgUser) -> list[str]:
    return [t for t in bot.texts(user.id) if "回家日报到还未完成" in t]


async def test_report_inside_and_outside_window(whole_month: BotHarness, bot: BotHarness) -> None:
    await whole_month.send(MEMBERS[0], "/report 参加了楼道清理")
    month = f"{datetime.now(TZ):%Y-%m}"
    assert "报到成功" in whole_month.texts(MEMBERS[0].id)[-1]
    member = await whole_month.storage.members.get_by_telegram_id(MEMBERS[0].id)
    assert member is not None and await whole_month.storage.ledger.has_report(member.id, month)
    await whole_month.send(MEMBERS[0], "/report 改一下备注")
    assert "已更新" in whole_month.texts(MEMBERS[0].id)[-1]
    await whole_month.send(MEMBERS[0], "/start report")  # the button: the note stays
    assert "已经完成" in whole_month.texts(MEMBERS[0].id)[-1]
    notes = await whole_month.storage.db.fetchall(
        "SELECT note FROM monthly_reports WHERE member_id = ?", (member.id,)
    )
    assert [n[0] for n in notes] == ["改一下备注"]
    # the default window is the last 7 days: outside it, /report says when it opens
    await bot.setup_community()
    await bot.enroll(MEMBERS[1])
    await bot.send(MEMBERS[1], "/report")
    text = bot.texts(MEMBERS[1].id)[-1]
    today = datetime.now(TZ).date()
    if (today + timedelta(days=7)).month == today.month:
        assert "不在回家日报到时间内" in text
        # 17.6: the window's days as people write them (12月25日至31日), not 12-25 至 12-31
        assert f"{today.month}月" in text and "日至" in text and "-" not in text
    else:
        assert "报到成功" in text


async def test_reminders_once_and_unreachable_named(whole_month: BotHarness) -> None:
    bot = whole_month
    for user in MEMBERS[:2]:
        await bot.send(user, "/report")
    bot.fake.block(MEMBERS[2].id)
    await bot.send(SECRETARY, "/start")
    now = datetime.now(TZ)
    summary = str(await run_job(bot.app, JobName.REPORT_REMINDERS, now))
    assert "reminded 3" in summary and "1 cannot be reached" in summary
    for user in MEMBERS[3:]:
        assert len(reminders(bot, user)) == 1
    assert not reminders(bot, MEMBERS[0]) and not reminders(bot, MEMBERS[2])
    assert "党员2" in bot.texts(GROUP_ID)[-1] and "党员2" in bot.texts(SECRETARY.id)[-1]
    member = await bot.storage.members.get_by_telegram_id(MEMBERS[2].id)
    assert member is not None and not member.reachable
    sent_before = len(bot.fake.calls_to("sendMessage"))
    assert "reminded 0" in str(await run_job(bot.app, JobName.REPORT_REMINDERS, now))
    assert len(bot.fake.calls_to("sendMessage")) == sent_before


async def test_16_22_unreachable_named_in_the_group_once_a_month(
    whole_month: BotHarness,
) -> None:
    """16.22: the group hears who cannot be reached once per month, not every evening; the
    secretary gets the list each evening."""
    bot = whole_month
    bot.fake.block(MEMBERS[2].id)
    await bot.send(SECRETARY, "/start")
    first = datetime.now(TZ).replace(hour=19, minute=0, second=0, microsecond=0)
    second = first + timedelta(days=1)
    if second.month != first.month:
        second = first - timedelta(days=1)
    for evening in (first, second):
        await run_job(bot.app, JobName.REPORT_REMINDERS, evening)
    named = [t for t in bot.texts(GROUP_ID) if "党员2" in t]
    assert len(named) == 1, named
    assert len([t for t in bot.texts(SECRETARY.id) if "党员2" in t]) == 2


async def test_window_open_announces_once(whole_month: BotHarness) -> None:
    bot = whole_month
    first_day = datetime.now(TZ).replace(day=1, hour=9, minute=0)
    await run_job(bot.app, JobName.REPORT_WINDOW_OPEN, first_day)
    await run_if_due(bot.app, JobName.REPORT_WINDOW_OPEN, datetime.now(TZ) + timedelta(minutes=1))
    announcements = [t for t in bot.texts(GROUP_ID) if "回家日开始啦" in t]
    assert len(announcements) == 1
    assert bot.last(GROUP_ID)["reply_markup"]["inline_keyboard"][0][0]["url"].endswith(
        "?start=report"
    )


async def test_month_close_sends_sheet_and_standings(whole_month: BotHarness) -> None:
    bot = whole_month
    await bot.send(SECRETARY, "/start")
    await bot.send(MEMBERS[0], "/report 已报到")
    await bot.send(SECRETARY, "/grant 党员0 6 帮助邻居")
    member = await bot.storage.members.get_by_telegram_id(MEMBERS[0].id)
    assert member is not None
    await bot.storage.ledger.add(  # spent in the shop: not what the month earned
        member.id, member.community_id, -4, "毛巾", "redemption", None
    )
    next_month = (datetime.now(TZ).replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)
    summary = str(await run_job(bot.app, JobName.MONTH_CLOSE, next_month))
    assert "closed" in summary
    text = bot.texts(SECRETARY.id)[-1]
    assert "1/6" in text and "党员5" in text
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    sheet = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    rows = list(sheet.active.iter_rows(values_only=True))
    header = list(rows[1])
    assert header[1] == "姓名" and len(rows) == 2 + 6 + 1  # title, headers, members, totals
    first = dict(zip(header, rows[2], strict=True))
    assert first["姓名"] == "党员0" and first["备注"] == "已报到" and first["本月积分"] == 6
    assert "红色积分公示" in bot.texts(GROUP_ID)[-1] and "党员0" in bot.texts(GROUP_ID)[-1]
    deadline = next_month.date() + timedelta(days=2)  # OBJECTION_DAYS is 3 by default
    assert "/object" in bot.texts(GROUP_ID)[-1]
    assert f"{deadline.month}月{deadline.day}日" in bot.texts(GROUP_ID)[-1]
    charts = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)
    assert len(charts) == 1 and charts[0].ok  # the report share (grants are not categories)
    assert bot.fake.files[charts[0].result["photo"][0]["file_id"]].startswith(b"\x89PNG")
    assert "回家日报到表" in document.params["caption"]  # every file says what it is
    assert "统计图表" in charts[0].params["caption"]
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month)
    assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 1


async def test_weekly_summary_and_secretary_commands(whole_month: BotHarness) -> None:
    bot = whole_month
    await bot.send(SECRETARY, "/start")
    monday = datetime.now(TZ) - timedelta(days=datetime.now(TZ).weekday())
    await run_job(bot.app, JobName.WEEKLY_SUMMARY, monday.replace(hour=9))
    # a quiet week: no all-zero summary in the group, no "0 check-ins to review"
    assert not any("上周志愿服务汇总" in t for t in bot.texts(GROUP_ID))
    assert not any("待审核签到" in t for t in bot.texts(SECRETARY.id))
    start = (monday + timedelta(days=8)).replace(hour=9, minute=0, second=0, microsecond=0)
    await bot.publish(
        f"/newtask\n标题：巡逻\n类别：平安创建\n开始：{start:%Y-%m-%d %H:%M}\n"
        f"结束：{start + timedelta(hours=1):%H:%M}\n地点：A区"
    )
    await bot.send(SECRETARY, "/grant 党员1 9 表彰")  # points, but no service: not a star
    await run_job(bot.app, JobName.WEEKLY_SUMMARY, (monday + timedelta(days=7)).replace(hour=9))
    assert "上周志愿服务汇总" in bot.texts(GROUP_ID)[-1] and "巡逻" in bot.texts(GROUP_ID)[-1]
    assert "党员1" not in bot.texts(GROUP_ID)[-1]
    await bot.send(SECRETARY, "/unreported")
    assert "0/6" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/unreported 2026-13")
    assert "YYYY-MM" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/export")
    assert bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1].ok
    await bot.send(MEMBERS[0], "/unreported")
    assert "只有社区书记" in bot.texts(MEMBERS[0].id)[-1]


async def test_16_11_weekly_summary_counts_earned_points_only(whole_month: BotHarness) -> None:
    """A week that earned +10 and spent 30 in the shop (and got 5 back) says 积分 10 分."""
    bot = whole_month
    monday = datetime.now(TZ) - timedelta(days=datetime.now(TZ).weekday())
    start = (monday + timedelta(days=8)).replace(hour=9, minute=0, second=0, microsecond=0)
    await bot.publish(
        f"/newtask\n标题：巡逻\n类别：平安创建\n开始：{start:%Y-%m-%d %H:%M}\n"
        f"结束：{start + timedelta(hours=1):%H:%M}\n地点：A区"
    )
    await bot.send(SECRETARY, "/grant 党员1 10 表彰")
    member = await bot.storage.members.get_by_telegram_id(MEMBERS[1].id)
    assert member is not None and member.community_id is not None
    ledger = bot.storage.ledger
    await ledger.add(member.id, member.community_id, -30, "兑换", "redemption", None)
    await ledger.add(member.id, member.community_id, 5, "退回", "refund", None)
    await run_job(bot.app, JobName.WEEKLY_SUMMARY, (monday + timedelta(days=7)).replace(hour=9))
    summary = bot.texts(GROUP_ID)[-1]
    assert "上周志愿服务汇总" in summary and "积分 10 分" in summary, summary


async def test_16_21_a_month_outside_the_kept_years_is_refused(whole_month: BotHarness) -> None:
    """/unreported and /export with year 0000, 0001 or 9999: the accepted range, no crash."""
    bot = whole_month
    for command in ("/unreported", "/export"):
        for month in ("0000-01", "0001-01", "9999-12"):
            bot.app.bot_data.pop("heavy_command_at", None)  # /export's cooldown
            await bot.send(SECRETARY, f"{command} {month}")
            answer = bot.texts(SECRETARY.id)[-1]
            assert "2000-01" in answer and "2100-12" in answer, answer
    assert not bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)
    await bot.send(SECRETARY, "/unreported ２０２６-１１")  # full-width digits are a month too
    assert "2026年11月" in bot.texts(SECRETARY.id)[-1]  # 17.6: the month as people write it


async def test_task_reminder_an_hour_before(whole_month: BotHarness) -> None:
    bot = whole_month
    start = (datetime.now(TZ) + timedelta(minutes=50)).replace(second=0, microsecond=0)
    task_id = await bot.publish(
        f"/newtask\n标题：巡逻\n类别：平安创建\n开始：{start:%Y-%m-%d %H:%M}\n"
        f"结束：{start + timedelta(hours=1):%Y-%m-%d %H:%M}\n地点：北门"
    )
    await bot.press(MEMBERS[0], bot.last(GROUP_ID), f"t1:join:{task_id}")
    await run_job(bot.app, JobName.TASK_REMINDERS, datetime.now(TZ))
    await run_job(bot.app, JobName.TASK_REMINDERS, datetime.now(TZ))
    assert len([t for t in bot.texts(MEMBERS[0].id) if "⏰" in t]) == 1


async def test_every_job_has_a_timezone_aware_trigger(tmp_path: Path, fake: FakeTelegram) -> None:
    harness = BotHarness(
        make_settings(tmp_path / "s.sqlite3", fake.token, run_scheduler=True), fake
    )
    await harness.start()
    try:
        assert harness.app.job_queue is not None
        jobs = {job.name: job for job in harness.app.job_queue.jobs()}
        assert set(JobName) <= set(jobs)
        assert {"catch-up", "settle-tasks"} <= set(jobs)
        reminders = jobs[JobName.REPORT_REMINDERS].next_t
        assert reminders is not None
        assert reminders.astimezone(TZ).hour == 19 and reminders.astimezone(TZ).minute == 0
        summary = jobs[JobName.WEEKLY_SUMMARY].next_t
        assert summary is not None and summary.astimezone(TZ).weekday() == 0  # Monday
        close = jobs[JobName.MONTH_CLOSE].next_t
        assert close is not None and close.astimezone(TZ).day == 1
    finally:
        await harness.stop()


async def test_member_text_is_escaped_in_the_summary_and_kept_as_text_in_sheets(
    whole_month: BotHarness,
) -> None:
    bot = whole_month
    await bot.send(SECRETARY, "/start")
    await bot.enroll(TgUser(6900, '=HYPERLINK("http://x","点我")'))
    start = (datetime.now(TZ) + timedelta(days=1)).replace(second=0, microsecond=0)
    await bot.publish(
        f"/newtask\n标题：党员<先锋>岗 & 志愿服务\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=1):%Y-%m-%d %H:%M}\n"
        "地点：A区"
    )
    monday = start - timedelta(days=start.weekday())  # its week's summary lists it
    await run_job(bot.app, JobName.WEEKLY_SUMMARY, monday.replace(hour=9))
    summaries = [
        c for c in bot.fake.calls_to("sendMessage", chat_id=GROUP_ID) if "汇总" in c.params["text"]
    ]
    assert summaries and all(c.ok for c in summaries)
    assert "党员&lt;先锋&gt;岗 &amp; 志愿服务" in summaries[-1].params["text"]
    await bot.send(SECRETARY, "/export")
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    sheet = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    cells = [c for row in sheet.active.iter_rows() for c in row if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


async def test_one_communitys_failure_never_stops_another(
    whole_month: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.usecases.month_close as month_close
    from bot.i18n import Translator
    from bot.services import Services
    from bot.usecases.audiences import CommunitiesFailed
    from bot.usecases.statistics import Chart
    from bot.usecases.statistics import community_charts as real_charts

    bot = whole_month
    other = TgUser(1101, "赵书记")
    await bot.send(SECRETARY, "/start")
    await bot.send(other, "/enroll\n姓名：赵书记\n单位：街道\n身份：社区党员")
    await bot.send(SECRETARY, "/secretary add 赵书记")
    await bot.send(other, "/community new 第二社区")
    broken = (await bot.storage.communities.list_all())[0].id

    async def failing_charts(
        services: Services, tr: Translator, community_id: int, since: date
    ) -> list[Chart]:
        if community_id == broken:
            raise ValueError("a chart that cannot be drawn")
        return await real_charts(services, tr, community_id, since)

    monkeypatch.setattr(month_close, "community_charts", failing_charts)
    next_month = (datetime.now(TZ).replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)
    with pytest.raises(CommunitiesFailed):
        await run_job(bot.app, JobName.MONTH_CLOSE, next_month)
    assert len(bot.fake.calls_to("sendDocument", chat_id=other.id)) == 1  # the other one closed
    assert not bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)
    monkeypatch.setattr(month_close, "community_charts", real_charts)
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month)  # the retry sends what is missing
    assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 1
    assert len(bot.fake.calls_to("sendDocument", chat_id=other.id)) == 1


async def test_month_close_of_700_missing_stays_within_limits(whole_month: BotHarness) -> None:
    bot = whole_month
    await bot.send(SECRETARY, "/start")
    community = (await bot.storage.communities.list_all())[0]
    now = datetime.now(TZ).isoformat()
    async with bot.storage.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO members (community_id, name, work_unit, member_type, created_at,"
            " updated_at) VALUES (?, ?, '某某市某某区某某局某某处', 'in_service', ?, ?)",
            [(community.id, f"欧阳长名字成员{i:04d}", now, now) for i in range(700)],
        )
    next_month = (datetime.now(TZ).replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month)
    sent = bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id)[-1]
    assert sent.ok and len(sent.params["text"]) <= 4096
    assert "另外" in sent.params["text"] and "附件" in sent.params["text"]
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert document.ok
    sheet = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    assert sheet.active.max_row == 2 + 706 + 1  # title, headers, the whole list, totals
    await bot.send(SECRETARY, "/unreported")
    answer = bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id)[-1]
    assert answer.ok and len(answer.params["text"]) <= 4096 and "/export" in answer.params["text"]


async def test_17_7_the_chart_the_close_and_unreported_count_the_same_people(
    whole_month: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One definition: enrolled in-service members and the roster's never-enrolled ones."""
    from bot.domain.roster import parse_roster_csv
    from bot.usecases import statistics

    bot = whole_month
    community = (await bot.storage.communities.list_all())[0]
    roster = (
        "姓名,手机,单位,类型\n王未登,13800000001,市税务局,在职党员\n"
        "赵未登,13900000002,区教育局,在职党员\n"
    )
    await bot.storage.roster.import_rows(community.id, parse_roster_csv(roster).rows)
    drawn: list[tuple[object, ...]] = []
    from bot.rendering import render as real_render

    async def seen(function: Any, *args: Any) -> Any:
        drawn.append(args)
        return await real_render(function, *args)

    monkeypatch.setattr(statistics, "render", seen)
    await bot.send(SECRETARY, "/start")
    await bot.send(MEMBERS[0], "/report 已报到")
    this_month = datetime.now(TZ).strftime("%Y-%m")
    await bot.send(SECRETARY, "/unreported")
    assert "1/8" in bot.texts(SECRETARY.id)[-1] and "未登记的 2 人" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/stats")
    share = dict((month, (total, done)) for month, total, done in drawn[0][1])  # type: ignore[attr-defined]
    assert share[this_month] == (8, 1)
    caption = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)[-1].params["caption"]
    assert "名册中未登记" in caption
    next_month = (datetime.now(TZ).replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month)
    text = bot.texts(SECRETARY.id)[-1]
    assert "1/8 名在职党员已报到（含名册中未登记的 2 人）" in text
    assert dict((m, (t, d)) for m, t, d in drawn[-1][1])[this_month] == (8, 1)  # type: ignore[attr-defined]


async def test_17_22_the_month_sheet_a_secretary_hands_over(whole_month: BotHarness) -> None:
    """Title row, 序号, 手机号, 是否报到, 报到时间 as a date-time cell, totals, widths, frozen
    headers; named in the reader's language; the /export sheet the same."""
    from bot.domain.roster import parse_roster_csv

    bot = whole_month
    community = (await bot.storage.communities.list_all())[0]
    roster = "姓名,手机,单位,类型\n王未登,13800000001,市税务局,在职党员\n"
    await bot.storage.roster.import_rows(community.id, parse_roster_csv(roster).rows)
    await bot.send(SECRETARY, "/start")
    await bot.send(MEMBERS[0], "/report 已报到")
    month = datetime.now(TZ)
    next_month = (month.replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month)
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert document.params["_filename"] == (
        f"{community.name}-{month.year}年{month.month}月回家日报到.xlsx"
    )
    book = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{community.name} {month.year}年{month.month}月回家日报到表"
    header = list(rows[1])
    assert header[:3] == ["序号", "姓名", "手机号"] and "是否报到" in header
    people = [dict(zip(header, row, strict=True)) for row in rows[2:-1]]
    assert [p["序号"] for p in people] == list(range(1, 8))
    reported = people[0]
    assert reported["是否报到"] == "是" and isinstance(reported["报到时间"], datetime)
    assert reported["报到时间"].date() == month.date()  # local time, a real date-time cell
    never = next(p for p in people if p["姓名"] == "王未登")
    assert never["手机号"] == "13800000001" and never["是否报到"] == "否"
    totals = dict(zip(header, rows[-1], strict=True))
    assert totals["序号"] == "合计" and totals["是否报到"] == "1/7"
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["A"].width
    await bot.send(SECRETARY, f"/export {month:%Y-%m}")
    exported = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert exported.params["_filename"] == document.params["_filename"]


async def test_17_6_report_window_announcement_reads_as_people_write_it(
    whole_month: BotHarness,
) -> None:
    """17.6: 🏠 2026年12月回家日开始啦！ 12月1日至31日 — not 2026-12 and 12-01 至 12-31; the
    reminder's 截止 names the day likewise."""
    bot = whole_month
    first_day = datetime.now(TZ).replace(day=1, hour=9, minute=0)
    await run_job(bot.app, JobName.REPORT_WINDOW_OPEN, first_day)
    text = next(t for t in bot.texts(GROUP_ID) if "回家日开始啦" in t)
    last = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert f"{first_day.year}年{first_day.month}月回家日开始啦" in text, text
    assert f"{first_day.month}月1日至{last.day}日" in text, text
    assert f"{first_day:%Y-%m}" not in text and f"{last:%m-%d}" not in text
    await bot.send(SECRETARY, "/start")
    evening = datetime.now(TZ).replace(hour=19, minute=0, second=0, microsecond=0)
    await run_job(bot.app, JobName.REPORT_REMINDERS, evening)
    reminder = bot.texts(MEMBERS[0].id)[-1]
    assert f"截止{last.year}年{last.month}月{last.day}日" in reminder, reminder


async def test_17_6_weekly_summary_header_names_the_days(whole_month: BotHarness) -> None:
    """17.6: 上周志愿服务汇总（12月14日至20日）, not （2026-W51）."""
    bot = whole_month
    monday = datetime.now(TZ) - timedelta(days=datetime.now(TZ).weekday())
    start = (monday + timedelta(days=8)).replace(hour=9, minute=0, second=0, microsecond=0)
    await bot.publish(
        f"/newtask\n标题：巡逻\n类别：平安创建\n开始：{start:%Y-%m-%d %H:%M}\n"
        f"结束：{start + timedelta(hours=1):%H:%M}\n地点：A区"
    )
    await run_job(bot.app, JobName.WEEKLY_SUMMARY, (monday + timedelta(days=7)).replace(hour=9))
    header = bot.texts(GROUP_ID)[-1].splitlines()[0]
    sunday = monday + timedelta(days=6)
    assert "上周志愿服务汇总" in header, header
    assert f"{monday.month}月{monday.day}日至" in header and f"{sunday.day}日" in header, header
    assert "-W" not in header


async def test_17_6_export_and_unreported_accept_the_month_as_shown(
    whole_month: BotHarness,
) -> None:
    """17.6: /export 2026年12月 and /unreported December 2026 read the month they show."""
    bot = whole_month
    today = datetime.now(TZ).date()
    await bot.send(SECRETARY, f"/export {today.year}年{today.month}月")
    documents = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)
    assert len(documents) == 1, bot.texts(SECRETARY.id)[-1]
    assert f"{today.year}年{today.month}月" in documents[0].params["caption"]
    await bot.send(SECRETARY, f"/unreported {today:%B} {today.year}")
    assert f"{today.year}年{today.month}月回家日报到情况" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/unreported 2026年13月")
    assert "YYYY年M月" in bot.texts(SECRETARY.id)[-1]
