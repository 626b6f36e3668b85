"""Guided conversations whose every step has a deadline, kept with the user's draft.

PTB's ``conversation_timeout`` is a job in memory: after a restart a persisted conversation
waits for its answer forever, and a secretary's unrelated words days later became the "other
reason" for rejecting a check-in. Here the deadline of the current step is stored in the
user's data (persisted with the draft, so it survives a restart), and checked when the next
update reaches the conversation: a step past its deadline ends, its draft is dropped, and the
answer gets "that step expired, start again with /…" instead of being taken, unless the
user's live step of another guided conversation takes it (that is whom it was meant for).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.handlers.common import Context, caller, reply

logger = logging.getLogger(__name__)

EXPIRED = "step.expired"  # the answer to a step past its deadline
DEADLINES = "step_deadlines"  # user data: conversation name → when its current step expires

AnyHandler = BaseHandler[Update, Any, Any]


class GuidedConversation(ConversationHandler[Any]):
    """A named, persistent conversation (in private chats) whose steps expire.

    ``conversation_timeout`` is how long each step waits (seconds); ``drafts`` are the user
    data keys the conversation keeps its draft in; ``command`` is the one that starts it
    again (named in the "expired" answer); ``expired_keys`` gives a state's own "expired"
    answer (a message key, given ``command`` too) where starting again is done otherwise.
    """

    def __init__(
        self,
        *,
        entry_points: list[AnyHandler],
        states: dict[object, list[AnyHandler]],
        fallbacks: list[AnyHandler],
        name: str,
        conversation_timeout: float,
        drafts: Sequence[str],
        command: str,
        allow_reentry: bool = True,
        persistent: bool = True,
        expired_keys: Mapping[object, str] | None = None,
    ) -> None:
        # no conversation_timeout for PTB: its jobs are in memory; the deadline is ours
        super().__init__(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            name=name,
            persistent=persistent,
            allow_reentry=allow_reentry,
        )
        self.title = name  # ``name``, typed as given
        self.step_timeout = timedelta(seconds=conversation_timeout)
        self.drafts = tuple(drafts)
        self.command = command
        keys = expired_keys or {}
        answers = {id(h): keys.get(state, EXPIRED) for state, hs in states.items() for h in hs}
        steps = [*fallbacks, *(h for hs in states.values() for h in hs)]
        for handler in {id(h): h for h in [*entry_points, *steps]}.values():
            handler.callback = self._timed(
                handler.callback,
                starts=handler in entry_points,
                expired_key=answers.get(id(handler), EXPIRED),
            )

    def _timed(self, callback: Any, *, starts: bool, expired_key: str = EXPIRED) -> Any:
        """``callback``, refused when its step is past its deadline (unless it ``starts`` the
        conversation afresh), noting the deadline of the step it leads to."""

        async def timed(update: Update, context: Context) -> object:
            if not starts and self.expired(context):
                logger.info("conversation %s expired", self.title)
                self._forget(context)
                if await self._hand_over(update, context):
                    return self.END
                return await self._expired(update, context, expired_key)
            if starts and self.title in _deadlines(context) and self.expired(context):
                self._forget(context)  # a stale step's draft is not carried into the new start
            state = await callback(update, context)
            deadlines = _deadlines(context)
            if state == self.END:
                deadlines.pop(self.title, None)
            elif state is not None or self.title in deadlines:
                deadlines[self.title] = context.services.now() + self.step_timeout
            return state

        timed.__doc__, timed.__name__ = callback.__doc__, callback.__name__
        return timed

    async def _hand_over(self, update: Update, context: Context) -> bool:
        """Give the update to the user's live step of another guided conversation, if one
        takes it (True): registered earlier, an expired step would otherwise swallow an
        answer meant for a later one (a week-old /newtask taking the points of a correction)."""
        deadlines = _deadlines(context)
        for handlers in context.application.handlers.values():
            for handler in handlers:
                if (
                    handler is self
                    or not isinstance(handler, GuidedConversation)
                    or handler.title not in deadlines
                    or handler.expired(context)
                ):
                    continue
                check = handler.check_update(update)
                if check is None:
                    continue
                logger.info("conversation %s handed over to %s", self.title, handler.title)
                await handler.handle_update(update, context.application, check, context)
                return True
        return False

    def expired(self, context: Context) -> bool:
        """True when the user's step of this conversation is past its deadline (or has none:
        a step persisted before deadlines were kept)."""
        deadline: datetime | None = _deadlines(context).get(self.title)
        return deadline is None or context.services.now() >= deadline

    def _forget(self, context: Context) -> None:
        data = context.user_data
        if data is not None:
            for draft in self.drafts:
                data.pop(draft, None)
        _deadlines(context).pop(self.title, None)

    async def _expired(self, update: Update, context: Context, key: str = EXPIRED) -> object:
        """The step waited too long: nothing is taken from this answer; say how to start again."""
        who = await caller(update, context)
        text = who.tr(key, command=self.command)
        if update.callback_query:
            await update.callback_query.answer(
                who.tr.plain(key, command=self.command), show_alert=True
            )
        else:
            await reply(update, text)
        return self.END


def _deadlines(context: Context) -> dict[str, datetime]:
    data = context.user_data
    if data is None:  # no user (a channel post): nothing to keep
        return {}
    found: dict[str, datetime] = data.setdefault(DEADLINES, {})
    return found
