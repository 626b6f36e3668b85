"""Typed callback data: each button's data is a frozen dataclass with a versioned prefix.

``pack()`` makes the data (``t1:join:42``); ``parse()`` reads it back, or returns None for
anything that is not exactly what the bot makes (forged, stale after an upgrade, too long),
and ``matches`` is the pattern a ``CallbackQueryHandler`` is registered with. Fields are
ints (1–12 digits), enums (their values) or short tokens ([0-9A-Za-z_-], 1–32 characters).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self, get_type_hints

from bot.domain.models import MemberType
from bot.domain.periods import PeriodKind
from bot.domain.text_limits import CALLBACK_DATA_BYTES

_INT = re.compile(r"[0-9]{1,12}")
_TOKEN = re.compile(r"[0-9A-Za-z_-]{1,32}")


def _encode(value: object) -> str:
    text = value.value if isinstance(value, StrEnum) else str(value)
    if ":" in text or not text:
        raise ValueError(f"callback field cannot be {text!r}")
    return text


def _decode(kind: Any, text: str) -> object | None:
    if kind is int:
        return int(text) if _INT.fullmatch(text) else None
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(text) if text in kind._value2member_map_ else None
    return text if _TOKEN.fullmatch(text) else None


@dataclass(frozen=True)
class Callback:
    """Base of every callback data class; ``PREFIX`` is set by ``prefix=`` on the subclass."""

    PREFIX: ClassVar[str] = ""

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.PREFIX = prefix

    def pack(self) -> str:
        """The callback data Telegram carries (at most 64 bytes)."""
        data = ":".join([self.PREFIX, *(_encode(getattr(self, f.name)) for f in fields(self))])
        if len(data.encode()) > CALLBACK_DATA_BYTES:
            raise ValueError(f"callback data over {CALLBACK_DATA_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """The button's values, or None when ``data`` is not this kind of button."""
        if not isinstance(data, str) or len(data.encode()) > CALLBACK_DATA_BYTES:
            return None
        parts = data.split(":")
        head = cls.PREFIX.split(":")
        if parts[: len(head)] != head:
            return None
        values = parts[len(head) :]
        own = fields(cls)
        if len(values) != len(own):
            return None
        hints = get_type_hints(cls)
        decoded = [_decode(hints[f.name], text) for f, text in zip(own, values, strict=True)]
        if any(value is None for value in decoded):
            return None
        return cls(*decoded)

    @classmethod
    def matches(cls, data: object) -> bool:
        """For ``CallbackQueryHandler(pattern=...)``: True for this kind of button."""
        return cls.parse(data) is not None


# --- the bot's buttons, feature by feature -------------------------------------------------


class TaskAction(StrEnum):
    JOIN = "join"
    LEAVE = "leave"
    CHECK_IN = "ci"


@dataclass(frozen=True)
class TaskButton(Callback, prefix="t1"):
    """Join / Leave / Check in, on a card or in /mytasks."""

    action: TaskAction
    task_id: int


@dataclass(frozen=True)
class TasksPage(Callback, prefix="t1:page"):
    """A page of /tasks."""

    page: int


@dataclass(frozen=True)
class MyTasksPage(Callback, prefix="t1:mine"):
    """A page of /mytasks."""

    page: int


class ManageAction(StrEnum):
    PUBLISH = "pub"
    DROP = "drop"
    CLOSE = "close"
    CANCEL = "cancel"
    CANCEL_CONFIRMED = "cancelok"
    QR = "qr"
    MANAGE = "manage"
    BACK_ENTRY = "attend"
    SHEET = "sheet"
    EDIT = "edit"


@dataclass(frozen=True)
class TaskManageButton(Callback, prefix="t1"):
    """A secretary's buttons on a task: publish, drop, close, cancel, QR code."""

    action: ManageAction
    task_id: int


@dataclass(frozen=True)
class NewTaskChoice(Callback, prefix="n2:v"):
    """A value picked in the guided /newtask (category number, points, capacity) at one
    step: a second tap, once the step has passed, is not taken as the next step's answer."""

    step: int
    value: int


@dataclass(frozen=True)
class NewTaskCancel(Callback, prefix="n1:cancel"):
    """Leave the guided /newtask."""


class MembersView(StrEnum):
    ENROLLED = "e"
    ROSTER = "r"


@dataclass(frozen=True)
class MembersPage(Callback, prefix="m1"):
    """A page of /members: enrolled members or the roster."""

    view: MembersView
    page: int


@dataclass(frozen=True)
class NotEnrolledSheet(Callback, prefix="m1:sheet"):
    """The sheet of roster people who never enrolled (/members missing)."""


@dataclass(frozen=True)
class EnrollStart(Callback, prefix="e1:start"):
    """Begin the guided /enroll."""


@dataclass(frozen=True)
class EnrollCommunity(Callback, prefix="e1:c"):
    """The community to enroll in, when there are several."""

    community_id: int


@dataclass(frozen=True)
class EnrollTelegramName(Callback, prefix="e1:name:tg"):
    """Use my Telegram name."""


@dataclass(frozen=True)
class EnrollKeep(Callback, prefix="e1:keep"):
    """Keep the current value."""


@dataclass(frozen=True)
class EnrollSkip(Callback, prefix="e1:skip"):
    """Leave this field empty."""


@dataclass(frozen=True)
class EnrollType(Callback, prefix="e1:type"):
    """The member type."""

    member_type: MemberType


@dataclass(frozen=True)
class EnrollCancel(Callback, prefix="e1:cancel"):
    """Leave the guided /enroll."""


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class ForgetAnswer(Callback, prefix="f1"):
    """/forgetme: confirmed or not."""

    answer: Answer


@dataclass(frozen=True)
class ReviewPage(Callback, prefix="r1:p"):
    """A page of /review."""

    page: int


class Verdict(StrEnum):
    APPROVE = "ok"
    REJECT = "no"


@dataclass(frozen=True)
class ReviewDecision(Callback, prefix="r1"):
    """Approve, or ask for the reason to reject (the page to come back to)."""

    verdict: Verdict
    signup_id: int
    page: int


class RejectReason(StrEnum):
    ABSENT = "absent"
    PROOF = "proof"
    DUPLICATE = "duplicate"
    OTHER = "other"


@dataclass(frozen=True)
class ReviewReject(Callback, prefix="r1:rj"):
    """Reject a check-in with this reason."""

    signup_id: int
    page: int
    reason: RejectReason


@dataclass(frozen=True)
class ReviewRejected(Callback, prefix="r1:rd"):
    """A page of the rejected check-ins a secretary may reopen."""

    page: int


@dataclass(frozen=True)
class ReviewReopen(Callback, prefix="r1:ro"):
    """Reopen a rejected check-in: approve it after all (the page to come back to)."""

    signup_id: int
    page: int


@dataclass(frozen=True)
class RewardBuy(Callback, prefix="w1:buy"):
    """Redeem: asks to confirm."""

    reward_id: int


@dataclass(frozen=True)
class RewardsPage(Callback, prefix="w1:page"):
    """A page of /rewards."""

    page: int


@dataclass(frozen=True)
class RewardRetire(Callback, prefix="w1:retire"):
    """Take a reward off the shelf."""

    reward_id: int


@dataclass(frozen=True)
class RedeemCancel(Callback, prefix="w1:no"):
    """Cancel a redemption before confirming it."""


@dataclass(frozen=True)
class RedeemConfirm(Callback, prefix="w1:ok"):
    """Confirm a redemption; ``key`` makes a double tap redeem once."""

    reward_id: int
    key: str


class SettleAction(StrEnum):
    HAND_OVER = "give"
    REFUND = "undo"


@dataclass(frozen=True)
class RedemptionSettle(Callback, prefix="w1"):
    """Handed over, or cancelled with a refund."""

    action: SettleAction
    redemption_id: int


@dataclass(frozen=True)
class LanguageChoice(Callback, prefix="l1"):
    """/lang: the chosen locale."""

    locale: str


@dataclass(frozen=True)
class ObjectionEntry(Callback, prefix="o1:e"):
    """The ledger entry a member objects to."""

    entry_id: int


@dataclass(frozen=True)
class ObjectionCheckIn(Callback, prefix="o1:s"):
    """The check-in (sign-up) that earned nothing a member objects to."""

    signup_id: int


@dataclass(frozen=True)
class ObjectionCancel(Callback, prefix="o1:x"):
    """Leave /object."""


class ObjectionVerdict(StrEnum):
    KEEP = "k"
    CORRECT = "c"
    REOPEN = "r"  # a check-in objected to: approve it after all


@dataclass(frozen=True)
class ObjectionResolve(Callback, prefix="o1"):
    """Keep the entry (or the check-in's decision), correct it, or reopen the check-in."""

    verdict: ObjectionVerdict
    objection_id: int


@dataclass(frozen=True)
class ObjectionCorrectTo(Callback, prefix="o1:to"):
    """Correct the entry to this many points."""

    objection_id: int
    points: int


@dataclass(frozen=True)
class ObjectionsBack(Callback, prefix="o1:back"):
    """Back to the list of objections."""


@dataclass(frozen=True)
class RosterMatch(Callback, prefix="m1:match"):
    """A secretary's answer: this member is this roster row."""

    member_id: int
    roster_id: int


class WishAction(StrEnum):
    CLAIM = "claim"
    RELEASE = "release"
    DONE = "done"


@dataclass(frozen=True)
class WishButton(Callback, prefix="h1"):
    """A member's button on a wish: claim it (on the card), release it, say it is done."""

    action: WishAction
    wish_id: int


class WishVerdict(StrEnum):
    APPROVE = "ok"
    CONFIRM = "confirm"
    REOPEN = "reopen"
    NOT_A_WISH = "scope"
    INCOMPLETE = "info"
    ALREADY_HELPED = "solved"


@dataclass(frozen=True)
class WishReview(Callback, prefix="h1:r"):
    """A secretary's decision on a wish: approve, decline (with a reason), confirm done, or
    put one taken on back on the wall."""

    verdict: WishVerdict
    wish_id: int


@dataclass(frozen=True)
class RankPeriod(Callback, prefix="k1"):
    """/rank: the period shown."""

    period: PeriodKind


def any_of(*kinds: type[Callback]) -> Callable[[object], bool]:
    """A handler pattern that takes any of these kinds of button."""
    return lambda data: any(kind.matches(data) for kind in kinds)


@dataclass(frozen=True)
class UnitsPage(Callback, prefix="u1:p"):
    """A page of ``/units``."""

    page: int


@dataclass(frozen=True)
class UnitInvite(Callback, prefix="u1:i"):
    """Make an invitation link for this unit's liaison."""

    unit_id: int


@dataclass(frozen=True)
class UnitReceived(Callback, prefix="u1:ok"):
    """The liaison has received the unit's feedback for this quarter (``YYYY-Qn``)."""

    unit_id: int
    quarter: str


@dataclass(frozen=True)
class WishesMinePage(Callback, prefix="h1:mp"):
    """A page of /mywishes."""

    page: int


@dataclass(frozen=True)
class WishStep(Callback, prefix="h1:g"):
    """Skip a step of the guided /wish (``photo`` or ``compound``)."""

    step: str


@dataclass(frozen=True)
class WishCancel(Callback, prefix="h1:x"):
    """Cancel the guided /wish."""


@dataclass(frozen=True)
class WishMessage(Callback, prefix="h1:m"):
    """Write to the other side of a wish through the bot (17.5): its resident, or the
    volunteer of its ``claim``-th claim (a button of an earlier claim is refused)."""

    wish_id: int
    claim: int


@dataclass(frozen=True)
class WishStepEnd(Callback, prefix="h1:se"):
    """End the step after a wish's Done (no more proof) or its message (nothing sent)."""


@dataclass(frozen=True)
class WishWallPage(Callback, prefix="h1:wall"):
    """A page of the secretaries' /wishes."""

    page: int


@dataclass(frozen=True)
class WishPhoto(Callback, prefix="h1:ph"):
    """Show a wish's photos to a secretary."""

    wish_id: int


@dataclass(frozen=True)
class QuestionReply(Callback, prefix="q1:r"):
    """A secretary answers a member's question (17.20)."""

    question_id: int


@dataclass(frozen=True)
class QuestionFromText(Callback, prefix="q1:f"):
    """Send the words the bot did not understand to the secretaries as a question (17.20);
    the words are kept in the member's user data, never in the button."""


@dataclass(frozen=True)
class QuestionCancel(Callback, prefix="q1:x"):
    """End the step of a question or its answer, sending nothing."""


@dataclass(frozen=True)
class NoticeSend(Callback, prefix="q1:ns"):
    """Send the secretary's previewed notice; ``token`` names the draft (the /notice
    message), so a stale preview's button sends nothing."""

    token: int


@dataclass(frozen=True)
class NoticeCancel(Callback, prefix="q1:nx"):
    """Drop the previewed notice."""
