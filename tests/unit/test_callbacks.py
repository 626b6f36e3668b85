"""Typed callback data: what the bot packs parses back; anything else parses to None."""

from __future__ import annotations

import pytest

from bot.domain.models import MemberType
from bot.domain.periods import PeriodKind
from bot.views.callbacks import (
    Callback,
    EnrollCancel,
    EnrollType,
    ManageAction,
    RankPeriod,
    RedeemConfirm,
    RejectReason,
    ReviewDecision,
    ReviewPage,
    ReviewReject,
    TaskAction,
    TaskButton,
    TaskManageButton,
    Verdict,
    any_of,
)

MADE: list[Callback] = [
    TaskButton(TaskAction.JOIN, 42),
    TaskManageButton(ManageAction.CANCEL_CONFIRMED, 7),
    ReviewPage(3),
    ReviewDecision(Verdict.REJECT, 12, 0),
    ReviewReject(12, 0, RejectReason.PROOF),
    RedeemConfirm(5, "a1b2c3d4e5f6"),
    EnrollType(MemberType.IN_SERVICE),
    EnrollCancel(),
    RankPeriod(PeriodKind.QUARTER),
]


@pytest.mark.parametrize("made", MADE, ids=lambda m: type(m).__name__)
def test_what_the_bot_packs_parses_back_to_the_same_button(made: Callback) -> None:
    data = made.pack()
    assert len(data.encode()) <= 64
    assert type(made).parse(data) == made
    others = [type(m) for m in MADE if type(m) is not type(made)]
    assert not any(kind.matches(data) for kind in others), "two kinds read the same data"


@pytest.mark.parametrize(
    "forged",
    [
        "t1:join:",
        "t1:join:-1",
        "t1:join:1:2",
        "t1:dance:1",
        "t1:join:9999999999999",
        "t1:join:４２",  # full-width digits
        "r1:rj:1:0:because",
        "w1:ok:5:" + "x" * 40,
        "e1:type:admin",
        "e1:cancel:now",
        "k1:w",
        "",
        None,
        "t1:join:1" + " " * 60,
    ],
)
def test_forged_or_stale_data_does_not_parse(forged: object) -> None:
    kinds = {type(m) for m in MADE}
    assert not any(kind.matches(forged) for kind in kinds)


def test_a_pattern_can_take_several_kinds() -> None:
    either = any_of(ReviewPage, EnrollCancel)
    assert either("r1:p:2") and either("e1:cancel") and not either("r1:ok:1:2")
