"""17.20: a member asks the community's secretaries through the bot (/ask, or words the bot
did not understand, offered as a question); a secretary answers from the Reply button, once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.questions import OPEN_PER_ASKER, QuestionStatus
from bot.views.callbacks import QuestionFromText, QuestionReply
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, SECRETARY, BotHarness, make_settings

SECOND = TgUser(1002, "李书记")


@pytest.fixture
async def two(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotHarness]:
    """The bot with two secretaries of the default community."""
    settings = make_settings(
        tmp_path / "q.sqlite3", fake.token, secretary_ids=(SECRETARY.id, SECOND.id)
    )
    bot = BotHarness(settings, fake)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


def _zh(bot: BotHarness, key: str, **params: object) -> str:
    """The message as the reader sees it (Telegram keeps the text, not the HTML)."""
    return bot.services.translations.get("zh_CN").plain(key, **params)


def _en(bot: BotHarness, key: str, **params: object) -> str:
    return bot.services.translations.get("en").plain(key, **params)


def _alert(bot: BotHarness) -> str:
    text: str = bot.fake.calls_to("answerCallbackQuery")[-1].params.get("text", "")
    return text


async def _ready(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.send(SECOND, "/start")
    await bot.enroll(ALICE)
    await bot.enroll(BOB)


async def test_17_20_ask_reaches_the_secretaries_and_the_answer_reaches_the_asker(
    two: BotHarness,
) -> None:
    """/ask alone asks for the question; each secretary is told (the asker's name escaped)
    with a Reply button; the answer reaches the asker in the asker's language, once."""
    bot = two
    await _ready(bot)
    await bot.send(BOB, "/ask")
    assert bot.last(BOB.id)["text"] == _en(bot, "question.ask_prompt")
    await bot.send(BOB, "When is <the> next 回家日?")
    question = (await bot.storage.questions.of_member(2))[0]
    assert question.text == "When is <the> next 回家日?"
    assert bot.last(BOB.id)["text"] == _en(bot, "question.sent", number=question.id)
    await bot.flush()
    told = bot.last(SECRETARY.id)
    name = (await bot.storage.members.get_by_telegram_id(BOB.id)).name  # type: ignore[union-attr]
    expected = _zh(bot, "question.to_secretary", number=question.id, name=name, text=question.text)
    assert told["text"] == expected
    assert "&lt;the&gt;" in bot.texts(SECRETARY.id)[-1]  # escaped in the HTML sent
    assert QuestionReply(question.id).pack() in button_data(told)
    assert bot.last(SECOND.id)["text"] == expected

    await bot.press(SECRETARY, told, QuestionReply(question.id).pack())
    assert bot.last(SECRETARY.id)["text"] == _zh(bot, "question.answer_prompt", number=question.id)
    await bot.send(SECRETARY, "12月25日起，到社区报到即可。")
    await bot.flush()
    answered = await bot.storage.questions.get(question.id)
    assert answered is not None and answered.status is QuestionStatus.ANSWERED
    assert answered.answered_by == SECRETARY.id
    assert bot.last(BOB.id)["text"] == _en(
        bot,
        "question.answered",
        number=question.id,
        question=question.text,
        answer="12月25日起，到社区报到即可。",
    )

    # the second secretary is told who answered; nothing more reaches the asker
    sent_to_bob = len(bot.texts(BOB.id))
    await bot.press(SECOND, bot.last(SECOND.id), QuestionReply(question.id).pack())
    assert _alert(bot) == _zh(bot, "question.already_answered", name=SECRETARY.first_name)
    await bot.send(SECOND, "我也来回答")
    await bot.flush()
    assert len(bot.texts(BOB.id)) == sent_to_bob
    assert (await bot.storage.questions.get(question.id)).answer == answered.answer  # type: ignore[union-attr]


async def test_17_20_forged_or_stale_reply_and_non_secretary_change_nothing(
    bot: BotHarness,
) -> None:
    """A Reply button for no question is stale; a member tapping Reply is refused."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(ALICE, "/ask 周六的活动几点开始？")
    question = (await bot.storage.questions.of_member(1))[0]
    await bot.flush()
    told = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, told, QuestionReply(question.id + 40).pack())
    assert _alert(bot) == _zh(bot, "callback.stale")
    await bot.press(SECRETARY, told, "q1:r:abc")
    assert _alert(bot) == _zh(bot, "callback.stale")
    await bot.press(ALICE, told, QuestionReply(question.id).pack())
    assert _alert(bot) == _zh(bot, "role.secretary_only")
    await bot.send(ALICE, "我自己回答")
    still = await bot.storage.questions.get(question.id)
    assert still is not None and still.status is QuestionStatus.OPEN and still.answer == ""


async def test_17_20_a_sixth_open_question_and_a_too_long_one_are_refused(
    bot: BotHarness,
) -> None:
    """At most five unanswered questions at a time; words over 1000 characters are refused;
    neither stores anything."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    for n in range(OPEN_PER_ASKER):
        await bot.send(ALICE, f"/ask 问题 {n}")
    await bot.send(ALICE, "/ask 第六个问题")
    assert bot.last(ALICE.id)["text"] == _zh(bot, "question.too_many", limit=OPEN_PER_ASKER)
    assert len(await bot.storage.questions.of_member(1)) == OPEN_PER_ASKER
    await bot.send(ALICE, "/ask")
    assert bot.last(ALICE.id)["text"] == _zh(bot, "question.too_many", limit=OPEN_PER_ASKER)


async def test_17_20_a_too_long_question_is_refused(bot: BotHarness) -> None:
    """Words over 1000 characters get the length and the limit, and nothing is stored."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(ALICE, "/ask " + "长" * 1001)
    assert bot.last(ALICE.id)["text"] == _zh(bot, "question.too_long", limit=1000, length=1001)
    assert await bot.storage.questions.of_member(1) == []


async def test_17_20_words_the_bot_did_not_understand_become_a_question(
    bot: BotHarness,
) -> None:
    """Free text gets the usual pointer and a button; the words (kept server-side, not in
    the button) become a question; a second tap of the same button asks nothing more."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(ALICE, "楼下路灯坏了好几天了")
    offer = bot.last(ALICE.id)
    assert offer["text"] == _zh(bot, "fallback.member")
    assert button_data(offer) == [QuestionFromText().pack()]
    await bot.press(ALICE, offer, QuestionFromText().pack())
    questions = await bot.storage.questions.of_member(1)
    assert [q.text for q in questions] == ["楼下路灯坏了好几天了"]
    assert bot.last(ALICE.id)["text"] == _zh(bot, "question.sent", number=questions[0].id)
    await bot.flush()
    assert "楼下路灯坏了好几天了" in bot.last(SECRETARY.id)["text"]
    await bot.press(ALICE, offer, QuestionFromText().pack())
    assert len(await bot.storage.questions.of_member(1)) == 1


async def test_17_20_a_visitor_cannot_ask(bot: BotHarness) -> None:
    """Not enrolled: told to enroll first, nothing stored."""
    await bot.send(SECRETARY, "/start")
    await bot.send(ALICE, "/ask 你好")
    assert bot.last(ALICE.id)["text"] == _zh(bot, "question.members_only")


async def test_17_20_mydata_lists_the_questions_and_forgetme_erases_them(
    bot: BotHarness,
) -> None:
    """/mydata's file has the member's questions and answers; /forgetme deletes them."""
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(ALICE, "/ask 我家楼道灯坏了")
    await bot.send(ALICE, "/mydata")
    document = bot.fake.calls_to("sendDocument", chat_id=ALICE.id)[-1]
    exported = json.loads(bot.fake.files[document.result["document"]["file_id"]])
    assert [(q["question"], q["status"]) for q in exported["questions"]] == [
        ("我家楼道灯坏了", "open")
    ]
    await bot.send(ALICE, "/forgetme")
    await bot.press(ALICE, bot.last(ALICE.id), "f1:yes")
    assert await bot.storage.questions.of_member(1) == []
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM questions WHERE text LIKE '%楼道灯%'")
    assert row is not None and row[0] == 0
