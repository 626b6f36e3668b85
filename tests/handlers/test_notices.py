"""17.20: a secretary's /notice reaches every enrolled, reachable member (or, /notice group,
the bound groups) through the outbox, after a preview with the number of recipients; a
second tap of Send sends nothing twice; members cannot send notices."""

from __future__ import annotations

from bot.domain.notices import NOTICE_JOB, NoticeAudience
from bot.usecases.notices import send_notice
from bot.views.callbacks import NoticeCancel, NoticeSend
from bot.views.notices import notice_text
from tests.fakes.updates import button_data
from tests.harness import ALICE, BOB, CAROL, GROUP_ID, SECRETARY, BotHarness


def _zh(bot: BotHarness, key: str, **params: object) -> str:
    """The message as the reader sees it (Telegram keeps the text, not the HTML)."""
    return bot.services.translations.get("zh_CN").plain(key, **params)


def _en(bot: BotHarness, key: str, **params: object) -> str:
    return bot.services.translations.get("en").plain(key, **params)


async def _community(bot: BotHarness) -> str:
    return (await bot.storage.communities.list_all())[0].name


async def _planned(bot: BotHarness) -> int:
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM outbox WHERE job = ?", (NOTICE_JOB,))
    return int(row[0]) if row else 0


async def test_17_20_notice_preview_then_send_reaches_each_member_once(bot: BotHarness) -> None:
    """The preview counts the recipients; Send puts one row per member in the outbox, each
    in the member's language; a second tap of Send is stale and sends nothing more."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.enroll(BOB)
    await bot.enroll(CAROL)
    await bot.storage.members.set_reachable(CAROL.id, False)  # blocked the bot: not counted
    await bot.send(SECRETARY, "/notice 明天上午 9 点至 12 点停水，请提前储水。")
    shown = bot.last(SECRETARY.id)
    assert shown["text"].startswith(
        _zh(bot, "notice.preview", audience=_zh(bot, "notice.audience_members"), count=2)
    )
    send = next(d for d in button_data(shown) if NoticeSend.parse(d))
    assert NoticeCancel().pack() in button_data(shown)
    assert await _planned(bot) == 0  # nothing before Send

    await bot.press(SECRETARY, shown, send)
    await bot.flush()
    assert bot.last(SECRETARY.id)["text"] == _zh(bot, "notice.sent", count=2)
    text = "明天上午 9 点至 12 点停水，请提前储水。"
    community = await _community(bot)
    assert bot.last(ALICE.id)["text"] == _zh(bot, "notice.text", community=community, text=text)
    assert bot.last(BOB.id)["text"] == _en(bot, "notice.text", community=community, text=text)
    assert await _planned(bot) == 2

    await bot.press(SECRETARY, shown, send)  # a double tap
    await bot.flush()
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params.get("text", "")
    assert answer == _zh(bot, "callback.stale")
    assert await _planned(bot) == 2
    assert bot.texts(ALICE.id).count(bot.texts(ALICE.id)[-1]) == 1
    # the same notice planned again (a replayed update) plans nobody
    token = NoticeSend.parse(send).token  # type: ignore[union-attr]
    again = await send_notice(
        bot.services, SECRETARY.id, NoticeAudience.MEMBERS, text, token, notice_text
    )
    assert again == 0 and await _planned(bot) == 2
    assert all(text not in t for t in bot.texts(CAROL.id))


async def test_17_20_notice_to_the_groups(bot: BotHarness) -> None:
    """/notice group …: posted in the community's bound group."""
    await bot.send(SECRETARY, "/start")
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/notice group 周六上午大扫除，欢迎参加")
    shown = bot.last(SECRETARY.id)
    assert shown["text"].startswith(
        _zh(bot, "notice.preview", audience=_zh(bot, "notice.audience_groups"), count=1)
    )
    await bot.press(SECRETARY, shown, next(d for d in button_data(shown) if NoticeSend.parse(d)))
    await bot.flush()
    community = await _community(bot)
    expected = _zh(bot, "notice.text", community=community, text="周六上午大扫除，欢迎参加")
    assert bot.last(GROUP_ID)["text"] == expected
    assert all("大扫除" not in t for t in bot.texts(ALICE.id))


async def test_17_20_notice_refusals_and_cancel(bot: BotHarness) -> None:
    """A member gets the secretaries-only refusal; no words get the usage; Cancel sends
    nothing; a forged Send for another draft is stale."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(ALICE, "/notice 大家好")
    assert bot.last(ALICE.id)["text"] == _zh(bot, "role.secretary_only")
    await bot.send(SECRETARY, "/notice")
    assert bot.last(SECRETARY.id)["text"] == _zh(bot, "notice.usage")
    await bot.send(SECRETARY, "/notice 测试通知")
    shown = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, shown, NoticeSend(999999).pack())
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params.get("text", "")
    assert answer == _zh(bot, "callback.stale")
    await bot.press(SECRETARY, shown, NoticeCancel().pack())
    assert bot.last(SECRETARY.id)["text"] == _zh(bot, "notice.cancelled")
    await bot.flush()
    assert await _planned(bot) == 0
    assert all("测试通知" not in t for t in bot.texts(ALICE.id))
