"""The outbox: parts sent once each, Telegram's errors, overlapping runs, two senders."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from telegram import InlineKeyboardMarkup
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.domain.schedule import JobName
from bot.jobs.runner import run_job
from bot.outbox.limiter import RetryAfterLimiter
from bot.outbox.messages import message_parts, text_parts
from bot.outbox.sender import OutboxSender
from bot.storage import open_storage
from bot.storage.outbox import Pacing
from bot.views.task_card import render_card
from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import FakeRequest, FakeTelegram
from tests.fakes.updates import TgUser
from tests.harness import GROUP_ID, SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
MEMBERS = [TgUser(6100 + i, f"党员{i}") for i in range(5)]


@pytest.fixture
async def community(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotHarness]:
    """Five in-service members, a bound group, the report window the whole month."""
    harness = BotHarness(
        make_settings(tmp_path / "o.sqlite3", fake.token, report_window_days=31), fake
    )
    await harness.start()
    try:
        await harness.setup_community()
        await harness.bind_group()
        for user in MEMBERS:
            await harness.enroll(user)
        await harness.send(SECRETARY, "/start")
        yield harness
    finally:
        await harness.stop()


def next_month_close() -> datetime:
    return (datetime.now(TZ).replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)


async def statuses(bot: BotHarness) -> Counter[str]:
    rows = await bot.storage.db.fetchall("SELECT status FROM outbox")
    return Counter(str(r[0]) for r in rows)


async def test_a_failed_document_is_retried_without_its_text(community: BotHarness) -> None:
    bot = community
    bot.fake.fail("sendDocument", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month_close())
    texts = [t for t in bot.texts(SECRETARY.id) if "0/5" in t]
    documents = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)
    assert len(texts) == 1, "the text was sent again with its attachment"
    assert [d.status for d in documents] == [429, 200]


async def test_a_timed_out_attachment_is_uncertain_and_not_resent(community: BotHarness) -> None:
    bot = community
    bot.fake.time_out("sendDocument")
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month_close())
    assert len([t for t in bot.texts(SECRETARY.id) if "0/5" in t]) == 1
    assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 1  # reached the server
    assert (await statuses(bot))["uncertain"] == 1
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month_close())
    assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 1


async def test_a_network_error_is_retried_with_backoff(community: BotHarness) -> None:
    bot = community
    bot.fake.fail("sendMessage", 502, "Bad Gateway", chat_id=MEMBERS[1].id)
    before = len(bot.fake.calls_to("sendMessage", chat_id=MEMBERS[1].id))
    await bot.send(SECRETARY, "/grant 党员1 3 扫雪")
    await bot.flush()
    notices = bot.fake.calls_to("sendMessage", chat_id=MEMBERS[1].id)[before:]
    assert [c.status for c in notices] == [502, 200]
    assert "+3" in notices[-1].params["text"]


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.WriteError("[Errno 32] Broken pipe"),
        httpx.ReadTimeout("timed out"),
    ],
    ids=type,
)
async def test_16_5_a_connection_lost_after_delivery_is_uncertain_not_resent(
    community: BotHarness, error: httpx.HTTPError
) -> None:
    """16.5: Telegram got the notice, then the connection broke: the member gets it once."""
    bot = community
    bot.fake.cut_off("sendMessage", error, chat_id=MEMBERS[1].id)
    before = len(bot.fake.calls_to("sendMessage", chat_id=MEMBERS[1].id))
    await bot.send(SECRETARY, "/grant 党员1 3 扫雪")
    await bot.flush()
    notices = bot.fake.calls_to("sendMessage", chat_id=MEMBERS[1].id)[before:]
    assert len(notices) == 1, "the notice Telegram had was sent again"
    rows = await bot.storage.db.fetchall(
        "SELECT status FROM outbox WHERE chat_id = ?", (MEMBERS[1].id,)
    )
    assert "uncertain" in [r[0] for r in rows]


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.PoolTimeout("no connection free"),
    ],
    ids=type,
)
async def test_16_5_an_error_before_anything_was_written_is_retried(
    community: BotHarness, error: httpx.HTTPError
) -> None:
    """16.5: the request never left (connecting failed): sending it again is safe."""
    bot = community
    bot.fake.cut_off("sendMessage", error, delivered=False, chat_id=MEMBERS[1].id)
    await bot.send(SECRETARY, "/grant 党员1 3 扫雪")
    await bot.flush()
    notices = bot.fake.calls_to("sendMessage", chat_id=MEMBERS[1].id)
    assert len([c for c in notices if "+3" in c.params["text"]]) == 1


async def test_16_5_a_card_edit_cut_off_is_sent_again(community: BotHarness) -> None:
    """16.5 meets 16.17: a card edit rendered when sent doubles nothing when repeated, so a
    connection lost on it is retried (an uncertain edit would leave the card at 0/10)."""
    bot = community
    start = (datetime.now(TZ) + timedelta(hours=3)).replace(second=0, microsecond=0)
    task_id = await bot.publish(
        f"/newtask\n标题：小区环境整治\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}\n"
        f"名额：10\n地点：田森嘉园A区 3号楼"
    )
    card = bot.last(GROUP_ID)
    bot.fake.cut_off("editMessageText", httpx.ReadError("reset"), delivered=False)
    await bot.press(MEMBERS[0], card, f"t1:join:{task_id}")
    await bot.settle_cards()
    assert "1/10" in bot.last(GROUP_ID)["text"], "the card shows 0/10 while one is signed up"
    rows = await bot.storage.db.fetchall("SELECT status FROM outbox WHERE kind = 'card'")
    assert "uncertain" not in [r[0] for r in rows]


async def test_16_5_a_dropped_connection_over_real_http_is_uncertain(tmp_path: Path) -> None:
    """16.5, with PTB's real HTTP client: the server handled the send and hung up."""
    fake = FakeTelegram()
    fake.started.update({5100, 5101})
    storage = await open_storage(str(tmp_path / "http.sqlite3"))
    with FakeBotApiServer(fake) as server:
        bot = ExtBot(
            fake.token,
            base_url=server.base_url,
            request=HTTPXRequest(connection_pool_size=4),
            rate_limiter=RetryAfterLimiter(),
        )
        await bot.initialize()

        async def no_cards(task_id: int, chat_id: int) -> None:
            return None

        sender = OutboxSender(bot, storage, Pacing(100, private_gap=0, group_gap=0), no_cards)
        try:
            fake.cut_off("sendMessage", httpx.ReadError("reset"), chat_id=5100)
            await storage.outbox.add(text_parts(5100, "你好"))
            await storage.outbox.add(text_parts(5101, "你好"))
            sender.start()
            await sender.drain(within=20)
        finally:
            await sender.stop()
            await bot.shutdown()
            rows = await storage.db.fetchall("SELECT chat_id, status, error FROM outbox")
            await storage.close()
    assert len(fake.calls_to("sendMessage", chat_id=5100)) == 1
    assert sorted((r[0], r[1]) for r in rows) == [(5100, "uncertain"), (5101, "sent")], rows


async def test_16_17_a_card_edited_by_two_processes_shows_the_truth(
    community: BotHarness, tmp_path: Path
) -> None:
    """16.17: the bot and a run-job beside it both edit a card; what it shows comes from the
    database, not from what one process remembers of its own last edit."""
    bot = community
    start = (datetime.now(TZ) + timedelta(hours=3)).replace(second=0, microsecond=0)
    task_id = await bot.publish(
        f"/newtask\n标题：小区环境整治\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}\n"
        f"名额：10\n地点：田森嘉园A区 3号楼"
    )
    card = bot.last(GROUP_ID)
    services = bot.services

    async def render(task: int, chat_id: int) -> tuple[str, InlineKeyboardMarkup | None] | None:
        return await render_card(services, task, chat_id)

    # the run-job process: its own connection to the database, its own sender
    job_storage = await open_storage(str(tmp_path / "o.sqlite3"))
    job_sender = OutboxSender(
        bot.app.bot, job_storage, Pacing(1000, private_gap=0, group_gap=0), render
    )
    try:
        await bot.press(MEMBERS[0], card, f"t1:join:{task_id}")
        await bot.settle_cards()  # the bot's sender edits the card to 1/10
        assert "1/10" in bot.last(GROUP_ID)["text"]
        await services.sender.stop()
        job_sender.start()
        await bot.press(MEMBERS[0], card, f"t1:leave:{task_id}")
        await bot.settle_cards()  # the run-job's sender edits it to 0/10
        assert "0/10" in bot.last(GROUP_ID)["text"]
        await job_sender.stop()
        services.sender.start()
        await bot.press(MEMBERS[0], card, f"t1:join:{task_id}")
        await bot.settle_cards()  # the bot's sender: 1/10 again, which it last showed itself
    finally:
        await job_sender.stop()
        await job_storage.close()
    assert "1/10" in bot.last(GROUP_ID)["text"], "the card shows 0/10 while one is signed up"


async def refused(fake: FakeTelegram, chat_id: int) -> None:
    """Until the 429 the fake was told to give this chat has been given."""
    for _ in range(500):
        if any(c.status == 429 for c in fake.calls_to("sendMessage", chat_id=chat_id)):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no 429 for {chat_id}")


async def test_16_8_a_429_for_one_group_pauses_that_group_only(community: BotHarness) -> None:
    """16.8: a 429 for the group holds the group's messages, not the others' nor replies."""
    bot = community
    too_many = "Too Many Requests: retry after 30"
    bot.fake.fail("sendMessage", 429, too_many, {"retry_after": 30}, chat_id=GROUP_ID)
    await bot.storage.outbox.add(text_parts(GROUP_ID, "群里的通知"))
    await refused(bot.fake, GROUP_ID)
    await bot.storage.outbox.add(text_parts(MEMBERS[0].id, "私信通知"))
    bot.updates.message(SECRETARY, "/start")
    await asyncio.wait_for(bot.deliver(), 5)  # the reply, and the member's notice, go out
    await bot.services.sender.drain(due_only=True, within=5)
    assert "私信通知" in bot.texts(MEMBERS[0].id)
    assert bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id)[-1].ok
    # the group's notice waits for Telegram's 30 s, and goes out then (not lost)
    rows = await bot.storage.db.fetchall(
        "SELECT status, not_before FROM outbox WHERE chat_id = ?", (GROUP_ID,)
    )
    assert [(r[0], r[1] > time.time() + 20) for r in rows] == [("pending", True)]
    assert bot.services.sender.limiter.held_for(GROUP_ID)[0] > 20  # replies there wait too


async def test_16_8_a_reply_refused_in_one_chat_holds_only_that_chat(community: BotHarness) -> None:
    """16.8: a direct reply's 429 holds later replies to that chat, not to another chat."""
    bot = community
    too_many = "Too Many Requests: retry after 30"
    bot.fake.fail("sendMessage", 429, too_many, {"retry_after": 30}, chat_id=MEMBERS[0].id)
    bot.updates.message(MEMBERS[0], "/start")
    first = asyncio.get_running_loop().create_task(bot.deliver())  # its retry waits 30 s
    await refused(bot.fake, MEMBERS[0].id)
    try:
        before = len(bot.texts(MEMBERS[1].id))
        await asyncio.wait_for(bot.send(MEMBERS[1], "/start"), 5)
        assert len(bot.texts(MEMBERS[1].id)) > before
    finally:
        first.cancel()


async def test_16_8_several_chats_refused_at_once_pause_everything(community: BotHarness) -> None:
    """16.8: 429s for several chats at once are a flood of the whole bot: everything waits."""
    bot = community
    too_many = "Too Many Requests: retry after 30"
    for user in MEMBERS[:3]:
        bot.fake.fail("sendMessage", 429, too_many, {"retry_after": 30}, chat_id=user.id)
    await bot.storage.outbox.add(
        [part for user in MEMBERS[:3] for part in text_parts(user.id, "通知")]
    )
    for user in MEMBERS[:3]:
        await refused(bot.fake, user.id)
    pace = await bot.storage.db.fetchone("SELECT next_slot FROM outbox_pace WHERE id = 1")
    assert pace is not None and pace[0] > time.time() + 20  # no process sends before then
    assert bot.services.sender.limiter.held_for(MEMBERS[4].id) > (20, True)


async def test_overlapping_reminder_runs_remind_each_member_once(community: BotHarness) -> None:
    bot = community
    now = datetime.now(TZ)
    await asyncio.gather(
        run_job(bot.app, JobName.REPORT_REMINDERS, now),
        run_job(bot.app, JobName.REPORT_REMINDERS, now),
        bot.send(SECRETARY, "/remind"),
    )
    await bot.send(SECRETARY, "/remind")  # tapped again
    await bot.flush()
    for user in MEMBERS:
        assert sum("回家日报到还未完成" in t for t in bot.texts(user.id)) == 1, user


async def test_remind_twice_reminds_once_and_answers_twice(community: BotHarness) -> None:
    bot = community
    await bot.send(SECRETARY, "/remind")
    await bot.send(SECRETARY, "/remind")
    for _ in range(100):  # the answers come when each run is done
        if sum("提醒已发送" in t for t in bot.texts(SECRETARY.id)) == 2:
            break
        await asyncio.sleep(0.05)
    done = [t for t in bot.texts(SECRETARY.id) if "提醒已发送" in t]
    assert sorted(done) == sorted(
        ["提醒已发送：5 人收到提醒，0 人无法联系。", "提醒已发送：0 人收到提醒，0 人无法联系。"]
    )
    for user in MEMBERS:
        assert sum("回家日报到还未完成" in t for t in bot.texts(user.id)) == 1


async def test_a_long_text_is_split_to_fit(community: BotHarness) -> None:
    bot = community
    line = "张" * 99
    await bot.storage.outbox.add(text_parts(GROUP_ID, "\n".join([line] * 100)))
    await bot.flush()
    sent = [
        c for c in bot.fake.calls_to("sendMessage", chat_id=GROUP_ID) if line in c.params["text"]
    ]
    assert len(sent) == 3 and all(c.ok and len(c.params["text"]) <= 4096 for c in sent)
    assert sum(c.params["text"].count(line) for c in sent) == 100


async def test_a_stopped_sender_hands_back_what_it_claimed(tmp_path: Path) -> None:
    """Rows only claimed go back to pending; a row cut off while sending becomes uncertain."""
    fake = FakeTelegram()
    storage = await open_storage(str(tmp_path / "s.sqlite3"))
    try:
        chats = list(range(900, 910))
        fake.started.update(chats)
        for chat in chats:
            await storage.outbox.add(text_parts(chat, "你好"))
        pacing = Pacing(5, private_gap=0, group_gap=0)
        now = time.time()
        claimed = await storage.outbox.claim("gone-host:1:x", now, 10, pacing)
        assert len(claimed) == 10
        assert await storage.outbox.start_sending(claimed[0].id, "gone-host:1:x", now + 1)
        assert not await storage.outbox.start_sending(claimed[1].id, "someone-else", now + 1)
        assert await storage.outbox.recover(now + 1000) == (9, 1)
        assert await storage.outbox.in_flight() == 9
    finally:
        await storage.close()


async def test_two_senders_never_send_a_row_twice_and_share_the_rate(tmp_path: Path) -> None:
    """Two processes' senders on one outbox (two connections to one SQLite file)."""
    fake = FakeTelegram()
    recipients = list(range(5000, 5060))
    fake.started.update(recipients)
    path = str(tmp_path / "shared.sqlite3")
    first, second = await open_storage(path), await open_storage(path)
    bot = ExtBot(fake.token, request=FakeRequest(fake), rate_limiter=RetryAfterLimiter())
    await bot.initialize()
    try:
        for chat in recipients:
            await first.outbox.add(message_parts(chat, f"提醒 {chat}"))
        pacing = Pacing(20, private_gap=0, group_gap=0)

        async def no_cards(task_id: int, chat_id: int) -> None:
            return None

        senders = [OutboxSender(bot, s, pacing, no_cards) for s in (first, second)]
        began = time.monotonic()
        for sender in senders:
            sender.start()
        await senders[0].drain(within=30)
        elapsed = time.monotonic() - began
        for sender in senders:
            await sender.stop()
        rows = await first.db.fetchall("SELECT send_at FROM outbox")
    finally:
        await bot.shutdown()
        await first.close()
        await second.close()
    sent = Counter(c.params["chat_id"] for c in fake.calls_to("sendMessage"))
    assert sorted(sent) == recipients and set(sent.values()) == {1}
    # the slots the two were given come from one schedule, 1/20 s apart at least, so no second
    # holds more than 20 (when each request left is the machine's business: no timing asserted)
    slots = sorted(float(at) for (at,) in rows)
    assert min(b - a for a, b in itertools.pairwise(slots)) >= 1 / 20 - 1e-6
    # and nothing left before its slot: 60 messages at 20 a second take 59/20 s at least
    assert elapsed >= 59 / 20 - 0.1, elapsed


async def test_pacing_no_second_of_arrivals_over_the_limit_however_late_requests_arrive(
    tmp_path: Path,
) -> None:
    """Pacing at high rates: requests take 0-300 ms to reach the server, so some leave on
    time and arrive late, bunched with later ones; the server counts a strict sliding second
    of arrivals and still never has more than the limit."""
    fake = FakeTelegram(rate_limit=10, retry_after=1)
    recipients = list(range(5200, 5225))
    fake.started.update(recipients)
    jitter = random.Random(16)
    storage = await open_storage(str(tmp_path / "pace.sqlite3"))
    request = FakeRequest(fake, travel=lambda: jitter.uniform(0.0, 0.3))
    bot = ExtBot(fake.token, request=request, rate_limiter=RetryAfterLimiter(10))
    await bot.initialize()

    async def no_cards(task_id: int, chat_id: int) -> None:
        return None

    sender = OutboxSender(bot, storage, Pacing(10, private_gap=0, group_gap=0), no_cards)
    try:
        await storage.outbox.add([p for chat in recipients for p in text_parts(chat, "提醒")])
        sender.start()
        await sender.drain(within=60)
    finally:
        await sender.stop()
        await bot.shutdown()
        await storage.close()
    assert fake.too_many_requests == 0
    assert sorted(c.params["chat_id"] for c in fake.calls_to("sendMessage") if c.ok) == recipients


async def test_pacing_two_processes_together_never_exceed_the_limit(tmp_path: Path) -> None:
    """Pacing at high rates: the bot and a run-job beside it, each with its own network
    (0-300 ms to the server) and its own limiter, share one window of arrivals through the
    database: the server never counts more than the limit in a second."""
    fake = FakeTelegram(rate_limit=10, retry_after=1)
    recipients = list(range(5300, 5330))
    fake.started.update(recipients)
    path = str(tmp_path / "two.sqlite3")
    jitter = random.Random(17)
    pacing = Pacing(10, private_gap=0, group_gap=0, limit=10)

    async def no_cards(task_id: int, chat_id: int) -> None:
        return None

    storages = [await open_storage(path), await open_storage(path)]
    bots = [
        ExtBot(
            fake.token,
            request=FakeRequest(fake, travel=lambda: jitter.uniform(0.0, 0.3)),
            rate_limiter=RetryAfterLimiter(10),
        )
        for _ in storages
    ]
    senders = [OutboxSender(b, s, pacing, no_cards) for b, s in zip(bots, storages, strict=True)]
    try:
        for b in bots:
            await b.initialize()
        await storages[0].outbox.add([p for chat in recipients for p in text_parts(chat, "提醒")])
        for sender in senders:
            sender.start()
        await senders[0].drain(within=60)
    finally:
        for sender in senders:
            await sender.stop()
        for b in bots:
            await b.shutdown()
        for s in storages:
            await s.close()
    assert fake.too_many_requests == 0
    sent = sorted(c.params["chat_id"] for c in fake.calls_to("sendMessage") if c.ok)
    assert sent == recipients


async def test_a_long_429_pause_never_holds_up_shutdown(tmp_path: Path, fake: FakeTelegram) -> None:
    bot = BotHarness(make_settings(tmp_path / "pause.sqlite3", fake.token), fake)
    await bot.start()
    fake.started.add(4242)
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 60", {"retry_after": 60})
    await bot.storage.outbox.add(text_parts(4242, "第一条"))
    await bot.storage.outbox.add(text_parts(4242, "第二条"))  # waits behind the first
    for _ in range(200):
        if fake.calls_to("sendMessage"):
            break
        await asyncio.sleep(0.01)
    began = time.monotonic()
    await asyncio.wait_for(bot.stop(), 10)
    assert time.monotonic() - began < 5
    storage = await open_storage(str(tmp_path / "pause.sqlite3"))
    try:
        assert await storage.outbox.in_flight() == 2  # both wait for the next start
        assert len(fake.calls_to("sendMessage")) == 1  # the second never went out
    finally:
        await storage.close()
