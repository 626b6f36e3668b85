"""The outbox: messages to send as rows, claimed atomically and paced across processes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.domain.timeutil import from_db
from bot.storage.db import Database, one, utcnow

# Rows in these states are still on their way; the others are final.
IN_FLIGHT = ("pending", "claimed", "sending")
_IN_FLIGHT_SQL = "('pending', 'claimed', 'sending')"


@dataclass(frozen=True)
class OutboxItem:
    """One part of a message to write to the outbox (text, document, photo or card edit)."""

    chat_id: int
    kind: str
    payload: dict[str, Any]
    content: bytes | None = None
    member_telegram_id: int | None = None
    priority: int = 0
    effect: str | None = None
    coalesce_key: str | None = None
    delay: float = 0.0  # seconds before it may be sent (card edits wait to coalesce)


@dataclass(frozen=True)
class Delivery:
    """A job's message to one recipient: its parts, sent in order (text first)."""

    recipient: str
    parts: Sequence[OutboxItem]


@dataclass(frozen=True)
class OutboxRow:
    """A claimed row, ready to send at ``send_at``."""

    id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]
    content: bytes | None
    member_telegram_id: int | None
    effect: str | None
    attempts: int
    send_at: float


@dataclass(frozen=True)
class Pacing:
    """How fast the bot may send: overall, and per private chat and per group.

    ``limit``: at most this many sends of all processes in any one second of arrivals at the
    server (a send counts from leaving until a second after its answer); None: not counted.
    """

    per_second: float
    private_gap: float
    group_gap: float
    lease: float = 60.0
    limit: float | None = None

    def gap(self, chat_id: int) -> float:
        return self.group_gap if chat_id < 0 else self.private_gap


_INSERT = (
    "INSERT OR IGNORE INTO outbox (chat_id, kind, payload, content, member_telegram_id,"
    " priority, effect, coalesce_key, job, period, recipient, part, not_before, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# A message relayed between two people (effect ``relay:<wish id>``) keeps its words only
# until its send ends (17.5).
_FORGET_RELAYED = (
    "payload = CASE WHEN effect LIKE 'relay:%' THEN '{}' ELSE payload END,"
    " content = CASE WHEN effect LIKE 'relay:%' THEN NULL ELSE content END"
)
_ROW = "id, chat_id, kind, payload, content, member_telegram_id, effect, attempts"


def _values(
    item: OutboxItem, now: float, job: tuple[str, str, str, int] | None = None
) -> tuple[Any, ...]:
    job_key = job or (None, None, None, 0)
    return (
        item.chat_id,
        item.kind,
        json.dumps(item.payload, ensure_ascii=False),
        item.content,
        item.member_telegram_id,
        item.priority,
        item.effect,
        item.coalesce_key,
        *job_key,
        now + item.delay,
        utcnow(),
    )


class OutboxRepository:
    """Reads and writes ``outbox``, ``outbox_pace`` and ``outbox_chats``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.on_added: Callable[[], None] = lambda: None  # the sender wakes up
        self._answered: dict[int, float] = {}  # row → when its request was answered

    def answered(self, row_id: int) -> None:
        """The row's request was just answered (or failed): its outcome, written next, says
        when (the window of ``start_sending`` counts from then, not from the write)."""
        self._answered[row_id] = time.time()

    async def add(self, items: Iterable[OutboxItem], now: float | None = None) -> int:
        """Write messages to send (inside the caller's transaction, if any); rows added.

        A card edit with a pending row for the same card is already on its way: the pending
        row renders the card when it is sent, so the newest content wins.
        """
        moment = time.time() if now is None else now
        items = list(items)
        if not items:
            return 0
        async with self.db.transaction() as conn:
            before = conn.total_changes
            await conn.executemany(_INSERT, [_values(item, moment) for item in items])
            added = conn.total_changes - before
        if any(item.delay == 0 for item in items):
            self.on_added()  # due now; delayed card edits are found by the next look
        return added

    async def fold(
        self, key: str, item: OutboxItem, *, add: bool, quiet: float | None = None
    ) -> None:
        """A notice standing for several events: it replaces the text of its unsent
        predecessor with the same key, so the reader gets one message that counts; when
        none is waiting, it is added only if ``add``, or (``quiet`` seconds) when the last
        one with the key was made that long ago."""
        changed = await self.db.execute_write(
            "UPDATE outbox SET payload = ? WHERE coalesce_key = ? AND status = 'pending'",
            (json.dumps(item.payload, ensure_ascii=False), key),
        )
        if changed:
            return
        if not add and quiet is not None:
            row = await self.db.fetchone(
                "SELECT MAX(created_at) FROM outbox WHERE coalesce_key = ?", (key,)
            )
            last = row[0] if row else None
            add = last is None or from_db(str(last)).timestamp() < time.time() - quiet
        if add:
            await self.add([replace(item, coalesce_key=key)])

    async def add_card_edits(self, task_id: int, delay: float, now: float | None = None) -> None:
        """An edit of every card of the task, in one statement (a tap's hot path)."""
        moment = time.time() if now is None else now
        await self.db.execute_write(
            "INSERT OR IGNORE INTO outbox (chat_id, kind, payload, coalesce_key, not_before,"
            " created_at) SELECT chat_id, 'card', json_object('task_id', task_id,"
            " 'message_id', message_id), 'card:' || chat_id || ':' || message_id, ?, ?"
            " FROM task_cards WHERE task_id = ?",
            (moment + delay, utcnow(), task_id),
        )
        if delay == 0:
            self.on_added()

    async def plan(
        self, job: str, period: str, deliveries: Sequence[Delivery], now: float | None = None
    ) -> set[str]:
        """Rows for each recipient this (job, period) has not planned before; those planned now."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT recipient FROM outbox WHERE job = ? AND period = ? AND part = 0",
                (job, period),
            )
            known = {str(r[0]) for r in rows}
            new = [d for d in deliveries if d.recipient not in known]
            await conn.executemany(
                _INSERT,
                [
                    _values(
                        part, time.time() if now is None else now, (job, period, d.recipient, n)
                    )
                    for d in new
                    for n, part in enumerate(d.parts)
                ],
            )
        self.on_added()
        return {d.recipient for d in new}

    async def delivery_status(self, job: str, period: str) -> dict[str, str]:
        """Each recipient's state: in flight while any part is; else its worst outcome."""
        rows = await self.db.fetchall(
            "SELECT recipient, status FROM outbox WHERE job = ? AND period = ? ORDER BY part",
            (job, period),
        )
        parts: dict[str, list[str]] = {}
        for r in rows:
            parts.setdefault(str(r[0]), []).append(str(r[1]))
        rank = {
            "sent": 0,
            "failed": 1,
            "uncertain": 2,
            "unreachable": 3,
            **dict.fromkeys(IN_FLIGHT, 4),
        }
        return {who: max(states, key=rank.__getitem__) for who, states in parts.items()}

    async def claim(self, owner: str, now: float, batch: int, pacing: Pacing) -> list[OutboxRow]:
        """Take up to ``batch`` due rows, at most one per chat, each with its paced slot.

        One transaction: two senders (two processes) never take the same row, and the slots
        come from one shared schedule, so together they never exceed the rate.
        """
        async with self.db.transaction() as conn:
            found = await conn.execute_fetchall(
                f"SELECT {_ROW} FROM outbox o WHERE o.status = 'pending' AND o.not_before <= ?"
                " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id"
                "   AND (p.status IN ('claimed', 'sending')"
                "        OR (p.status = 'pending' AND p.id < o.id)))"
                " AND NOT EXISTS (SELECT 1 FROM outbox_chats c WHERE c.chat_id = o.chat_id"
                "   AND c.next_at > ?)"
                " ORDER BY o.priority, o.id LIMIT ?",
                (now, now, batch),
            )
            if not found:
                return []
            pace = await one(conn, "SELECT next_slot FROM outbox_pace WHERE id = 1")
            first = max(float(pace[0]) if pace else 0.0, now)
            step = 1 / pacing.per_second
            claimed = []
            for n, r in enumerate(found):
                slot = first + n * step
                claimed.append(
                    OutboxRow(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7], slot)
                )
            await conn.executemany(
                "UPDATE outbox SET status = 'claimed', claimed_by = ?, send_at = ?,"
                " claimed_until = ? WHERE id = ?",
                [(owner, c.send_at, c.send_at + pacing.lease, c.id) for c in claimed],
            )
            await conn.executemany(
                "INSERT INTO outbox_chats (chat_id, next_at) VALUES (?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET next_at = excluded.next_at",
                [(c.chat_id, c.send_at + pacing.gap(c.chat_id)) for c in claimed],
            )
            await conn.execute(
                "UPDATE outbox_pace SET next_slot = ? WHERE id = 1", (claimed[-1].send_at + step,)
            )
            return claimed

    async def start_sending(
        self, row_id: int, owner: str, until: float, limit: float | None = None
    ) -> bool | float:
        """The request is about to leave: from now on a crash makes the row uncertain.

        False when the claim lapsed (another sender may have the row now): do not send.
        With a ``limit``, the row leaves only while fewer than that many sends (of every
        process) are in flight or were answered within the last second; when as many are,
        the seconds to wait before asking again.
        """
        now = time.time()
        window = ""
        params: tuple[Any, ...] = (until, row_id, owner)
        if limit is not None:
            window = (
                " AND (SELECT COUNT(*) FROM outbox w WHERE (w.status = 'sending'"
                " AND w.claimed_until > ?) OR w.answered_at > ?) < ?"
            )
            params += (now, now - 1.0, limit)
        changed = await self.db.execute_write(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_until = ?"
            " WHERE id = ? AND status = 'claimed' AND claimed_by = ?" + window,
            params,
        )
        if changed == 1:
            return True
        if limit is None:
            return False
        row = await self.db.fetchone(
            "SELECT (SELECT status = 'claimed' AND claimed_by = ? FROM outbox WHERE id = ?),"
            " (SELECT MIN(answered_at) FROM outbox WHERE answered_at > ?)",
            (owner, row_id, now - 1.0),
        )
        if row is None or not row[0]:
            return False  # the claim lapsed
        # full: until the oldest answer leaves the window (all in flight: a moment)
        return max(0.001, float(row[1]) + 1.0 - now) if row[1] is not None else 0.01

    async def finish(
        self, row_id: int, status: str, error: str | None = None, message_id: int | None = None
    ) -> None:
        """Record how a send ended (final)."""
        await self.db.execute_write(
            "UPDATE outbox SET status = ?, error = ?, message_id = ?, finished_at = ?,"
            f" claimed_by = NULL, answered_at = ?, {_FORGET_RELAYED} WHERE id = ?",
            (status, error, message_id, utcnow(), self._answered.pop(row_id, time.time()), row_id),
        )

    async def retry(self, row_id: int, not_before: float, error: str | None) -> None:
        """Back to pending, to be sent again from ``not_before``."""
        await self.db.execute_write(
            "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, claimed_by = NULL,"
            " answered_at = CASE WHEN status = 'sending' THEN ? ELSE answered_at END"
            " WHERE id = ?",
            (not_before, error, self._answered.pop(row_id, time.time()), row_id),
        )

    async def pause_all(self, until: float) -> None:
        """Telegram said 429: no process sends anything before ``until``."""
        await self.db.execute_write(
            "UPDATE outbox_pace SET next_slot = MAX(next_slot, ?) WHERE id = 1", (until,)
        )

    async def pause_chat(self, chat_id: int, until: float) -> None:
        """Telegram said 429 for this chat: no process sends to it before ``until``."""
        await self.db.execute_write(
            "INSERT INTO outbox_chats (chat_id, next_at) VALUES (?, ?) ON CONFLICT (chat_id)"
            " DO UPDATE SET next_at = MAX(next_at, excluded.next_at)",
            (chat_id, until),
        )

    async def follow_migration(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: what is still to send goes to its new id."""
        await self.db.execute_write(
            f"UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status IN {_IN_FLIGHT_SQL}",
            (new_chat_id, old_chat_id),
        )

    async def release(self, owner: str) -> int:
        """Claimed rows this sender will not send (it is stopping) go back to pending."""
        return await self.db.execute_write(
            "UPDATE outbox SET status = 'pending', claimed_by = NULL"
            " WHERE status = 'claimed' AND claimed_by = ?",
            (owner,),
        )

    async def senders(self) -> list[str]:
        """Owners that hold claimed or sending rows."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT claimed_by FROM outbox WHERE status IN ('claimed', 'sending')"
            " AND claimed_by IS NOT NULL"
        )
        return [str(r[0]) for r in rows]

    async def recover(self, now: float, dead_owner: str | None = None) -> tuple[int, int]:
        """Rows a dead sender held: never attempted (or a card edit) → pending; a message
        attempted → uncertain.

        A sender is dead when its lease ran out, or (``dead_owner``) when its process is
        known to be gone.
        """
        if dead_owner is None:
            which, params = "claimed_until < ?", (now,)
        else:
            which, params = "claimed_by = ?", (dead_owner,)  # type: ignore[assignment]
        async with self.db.transaction() as conn:
            # a card edit is rendered when sent: one cut off mid-send is simply sent again
            back = await conn.execute(
                f"UPDATE outbox SET status = 'pending', claimed_by = NULL"
                f" WHERE (status = 'claimed' OR (status = 'sending' AND kind = 'card'))"
                f" AND {which}",
                params,
            )
            lost = await conn.execute(
                f"UPDATE outbox SET status = 'uncertain', finished_at = ?, claimed_by = NULL,"
                f" error = 'the sender stopped while sending', {_FORGET_RELAYED}"
                f" WHERE status = 'sending'"
                f" AND {which}",
                (utcnow(), *params),
            )
            return back.rowcount, lost.rowcount

    async def in_flight(
        self, job: str | None = None, period: str | None = None, *, due_before: float | None = None
    ) -> int:
        """Rows not yet final: all, one job's period, or those due before a moment."""
        sql = f"SELECT COUNT(*) FROM outbox WHERE status IN {_IN_FLIGHT_SQL}"
        params: list[object] = []
        if job is not None:
            sql += " AND job = ? AND period = ?"
            params += [job, period]
        if due_before is not None:
            sql += " AND not_before <= ?"
            params.append(due_before)
        row = await self.db.fetchone(sql, params)
        return int(row[0]) if row else 0

    async def forget_content(self, before: str) -> int:
        """Drop the bytes and texts of rows that ended before ``before`` (the keys stay)."""
        return await self.db.execute_write(
            f"UPDATE outbox SET content = NULL, payload = '{{}}' WHERE status NOT IN"
            f" {_IN_FLIGHT_SQL} AND finished_at < ? AND payload <> '{{}}'",
            (before,),
        )

    async def forget_posts(self, effects: Sequence[str]) -> None:
        """Posts whose words were erased (by what their send records, ``wish_card:<id>``):
        those not sent yet are not sent; those sent keep their key and message id only."""
        if not effects:
            return
        marks = ",".join("?" * len(effects))
        async with self.db.transaction() as conn:
            await conn.execute(
                f"DELETE FROM outbox WHERE effect IN ({marks})"
                " AND status IN ('pending', 'claimed')",
                tuple(effects),
            )
            await conn.execute(
                f"UPDATE outbox SET payload = '{{}}', content = NULL WHERE effect IN ({marks})",
                tuple(effects),
            )

    async def forget_chat(self, chat_id: int) -> None:
        """A person asked to be forgotten: nothing more is sent to them, and what was sent
        keeps its key (so job runs stay idempotent) but no longer their chat or words."""
        async with self.db.transaction() as conn:
            await conn.execute(
                f"DELETE FROM outbox WHERE chat_id = ? AND status IN {_IN_FLIGHT_SQL}"
                " AND status <> 'sending'",
                (chat_id,),
            )
            await conn.execute(
                "UPDATE outbox SET chat_id = 0, member_telegram_id = NULL, payload = '{}',"
                " content = NULL WHERE chat_id = ?",
                (chat_id,),
            )
