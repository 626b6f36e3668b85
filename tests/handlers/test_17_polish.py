"""Issue 17, Polish: the poster's wording, what residents are told, /help by task, buttons
where a message says "send /…", and /mydata's times in the community's zone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import CommandHandler, ConversationHandler

from bot import charts
from bot import rendering as bot_rendering
from bot.clock import FixedClock
from bot.domain.schedule import JobName
from bot.handlers import community
from bot.jobs.runner import run_job
from bot.views.help_text import MEMBER_LAYOUT, SECRETARY_LAYOUT, help_text
from bot.views.menus import (
    LIAISON_COMMANDS,
    MEMBER_COMMANDS,
    SECRETARY_COMMANDS,
    VISITOR_COMMANDS,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.handlers.test_points_cycle import ALICE as MEMBER
from tests.handlers.test_points_cycle import TZ, checked_in, started
from tests.harness import ALICE, GROUP_ID, SECRETARY, BotHarness

LOCALES = ("zh_CN", "zh_TW", "en")


async def test_17_polish_poster_says_the_phone_camera_scans(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """17 Polish (poster): the phone's camera scans the t.me link and opens Telegram;
    Telegram has no general scanner."""
    drawn: list[list[str]] = []
    real = bot_rendering.render

    async def spy(function: Any, *args: Any) -> Any:
        if function is charts.poster_pdf:
            drawn.append(args[2])
        return await real(function, *args)

    monkeypatch.setattr(community, "render", spy)
    await bot.send(SECRETARY, "/poster")
    tr = bot.services.translations.get("zh_CN")
    assert drawn and drawn[0][0] == tr.plain("poster.step1")
    camera = {"zh_CN": "相机", "zh_TW": "相機", "en": "camera"}
    for locale in LOCALES:
        step = bot.services.translations.get(locale).plain("poster.step1")
        assert camera[locale] in step and "Telegram" in step
        assert "Telegram 扫描" not in step and "Telegram 掃描" not in step
        assert "with Telegram" not in step


async def test_17_polish_group_welcome_sends_residents_to_wish(bot: BotHarness) -> None:
    """17 Polish (居民): there is no 居民 member type, so the group welcome tells residents
    to send /wish and in-service members to /enroll."""
    chat = bot.fake.add_group(GROUP_ID, "田森嘉园志愿者群")
    bot.updates.bot_added(SECRETARY, chat)
    await bot.deliver()
    welcome = bot.texts(GROUP_ID)[-1]
    assert welcome == bot.services.translations.get("zh_CN")("group.welcome")
    for locale in LOCALES:
        tr = bot.services.translations.get(locale)
        for key in ("group.welcome", "community.info", "start.secretary"):
            text = tr.plain(key, name="x", link="y", community="z")
            assert "/wish" in text, (locale, key)
        assert "居民请发送 /enroll" not in tr.plain("group.welcome")
        assert "居民請發送 /enroll" not in tr.plain("group.welcome")
    assert "居民" in welcome and "在职党员" in welcome and "/enroll" in welcome


def _moments(value: object, key: str = "") -> list[tuple[str, str]]:
    """Every (field, value) in an export whose field names a time."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _moments(v, k)]
    if isinstance(value, list):
        return [m for v in value for m in _moments(v, key)]
    return [(key, value)] if key.endswith("_at") and isinstance(value, str) else []


async def test_17_polish_mydata_times_are_in_the_community_zone(bot: BotHarness) -> None:
    """17 Polish (mydata.json): times in the community's zone with the offset (+08:00), and
    the file says which zone."""
    await bot.setup_community()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, f"/grant {ALICE.first_name} 2 扫雪")
    await bot.flush()
    await bot.send(ALICE, "/mydata")
    document = bot.fake.calls_to("sendDocument", chat_id=ALICE.id)[-1]
    exported = json.loads(bot.fake.files[document.result["document"]["file_id"]])
    assert exported["time_zone"].startswith("Asia/Shanghai")
    moments = _moments(exported)
    assert {"created_at", "finished_at"} <= {field for field, _ in moments}
    for field, text in moments:
        moment = datetime.fromisoformat(text)
        assert text.endswith("+08:00") and moment.utcoffset() == timedelta(hours=8), field


def _registered_commands(bot: BotHarness) -> set[str]:
    """Every command the application answers, conversations' entry points included."""
    names: set[str] = set()
    pending = [h for group in bot.app.handlers.values() for h in group]
    while pending:
        handler = pending.pop()
        if isinstance(handler, ConversationHandler):
            pending.extend(handler.entry_points)  # not /cancel, a step of a conversation
        elif isinstance(handler, CommandHandler):
            names |= set(handler.commands)
    return names


async def test_17_polish_help_is_grouped_and_lists_every_command(bot: BotHarness) -> None:
    """17 Polish (/help): a secretary's /help under headings by task, a member's likewise and
    shorter, each within Telegram's 4096 characters; every command the bot answers is in
    the help of the role that can use it, and the menus list the same commands."""
    await bot.setup_community()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/help")
    await bot.send(ALICE, "/help")
    secretary_help, member_help = bot.texts(SECRETARY.id)[-1], bot.texts(ALICE.id)[-1]
    tr = bot.services.translations.get("zh_CN")
    for key in ("help.section.community", "help.section.tasks", "help.section.review"):
        assert tr(key) in secretary_help and tr(key) not in member_help
    for key in ("help.section.report", "help.section.wishes", "help.section.me"):
        assert tr(key) in secretary_help and tr(key) in member_help
    assert tr("help.section.other") not in secretary_help
    said = {line.split()[0][1:] for line in secretary_help.splitlines() if line[:1] == "/"}
    registered = _registered_commands(bot)
    assert said == registered - {"unitreport"}  # /link and /unlink were missing
    mine = {line.split()[0][1:] for line in member_help.splitlines() if line[:1] == "/"}
    assert mine == {name for name, _ in MEMBER_COMMANDS} and len(mine) < len(said)
    chat_scope = json.dumps({"chat_id": SECRETARY.id, "type": "chat"}, sort_keys=True)
    await bot.stop()
    await bot.start()  # the secretary's own menu is published
    assert {c["command"] for c in bot.fake.commands[(chat_scope, "")]} == said
    for locale in ("zh_CN", "zh_TW", "en"):
        entries = SECRETARY_COMMANDS + MEMBER_COMMANDS + LIAISON_COMMANDS
        text = help_text(bot.services.translations.get(locale), entries, SECRETARY_LAYOUT)
        assert len(text) <= 4096 and "help.section" not in text
        liaison = LIAISON_COMMANDS + VISITOR_COMMANDS  # a unit's liaison who is no member
        text = help_text(bot.services.translations.get(locale), liaison, MEMBER_LAYOUT)
        assert "/unitreport" in text and "/wish" in text and "/report" not in text


def _link_of(message: dict[str, Any]) -> str:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return next(str(b["url"]) for row in rows for b in row if "url" in b)


async def _follow(bot: BotHarness, user: TgUser, link: str) -> None:
    """Tap a t.me/<bot>?start=… link: Telegram sends /start <payload> in private."""
    await bot.send(user, "/start " + link.split("?start=", 1)[1])


async def test_17_polish_the_shop_window_has_a_rewards_button(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """17 Polish (buttons): the group's "发送 /rewards" announcement carries a button that
    opens the private chat on /rewards, the same answer as typing it."""
    bot = await started(tmp_path, fake, redemption_window_days=92)
    try:
        await bot.send(SECRETARY, "/reward add 毛巾 2 5")
        await run_job(bot.app, JobName.REDEMPTION_WINDOW_OPEN, datetime.now(TZ))
        announcement = bot.last(GROUP_ID)
        assert "/rewards" in announcement["text"]  # still said, for those who type
        link = _link_of(announcement)
        assert link.endswith("?start=do_rewards")
        await bot.send(MEMBER, "/rewards")
        typed = bot.last(MEMBER.id)
        await _follow(bot, MEMBER, link)
        tapped = bot.last(MEMBER.id)
        assert tapped["text"] == typed["text"] and "毛巾" in tapped["text"]
        assert button_data(tapped) == button_data(typed)
    finally:
        await bot.stop()


async def test_17_polish_pending_reviews_have_a_review_button(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """17 Polish (buttons): the Monday "待审核签到 … 发送 /review" notice (through the outbox)
    carries a button that opens /review, whose approve button then works."""
    clock = FixedClock(datetime(2026, 12, 19, 8, 50, tzinfo=TZ))
    bot = await started(tmp_path, fake, clock)
    try:
        await checked_in(bot, clock, MEMBER, "楼道清理")
        await run_job(bot.app, JobName.WEEKLY_SUMMARY, datetime(2026, 12, 21, 9, tzinfo=TZ))
        await bot.flush()
        notice = bot.last(SECRETARY.id)
        tr = bot.services.translations.get("zh_CN")
        assert notice["text"] == tr("summary.pending_reviews", count=1)
        await _follow(bot, SECRETARY, _link_of(notice))
        page = bot.last(SECRETARY.id)
        approve = next(d for d in button_data(page) if d.startswith("r1:ok:"))
        await bot.press(SECRETARY, page, approve)
        alice = await bot.storage.members.get_by_telegram_id(MEMBER.id)
        assert alice is not None and await bot.storage.ledger.balance(alice.id) == 5
    finally:
        await bot.stop()
