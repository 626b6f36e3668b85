"""Reads and writes ``wishes``: every change is one conditional UPDATE, so a double tap or
two members at once change a wish once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.timeutil import to_db
from bot.storage.db import Database, utcnow

_COLUMNS = (
    "w.id, w.community_id, w.author_id, w.text, w.status, w.claimant_id, m.name, w.created_at,"
    " w.compound, w.photo_file_id, w.proof_file_id, w.proof_note, w.claims"
)
# what needs a secretary first (waiting for approval, done and waiting for confirmation)
_URGENCY = "CASE w.status WHEN 'pending' THEN 0 WHEN 'done' THEN 1 ELSE 2 END"
_FROM = "FROM wishes w LEFT JOIN members m ON m.id = w.claimant_id"
# not done yet: when its author asks to be forgotten, the wish is withdrawn
WITHDRAWABLE = ("pending", "open", "claimed")


@dataclass(frozen=True)
class Wish:
    """A resident's wish and where it stands."""

    id: int
    community_id: int
    author_id: int | None
    text: str
    status: str
    claimant_id: int | None
    claimant_name: str | None
    created_at: str
    compound: str = ""
    photo_file_id: str | None = None  # the resident's photo (Telegram's file id)
    proof_file_id: str | None = None  # the claimant's photo of the work done
    proof_note: str = ""  # the claimant's words on the work done (17.16)
    claims: int = 0  # how many times it was taken on: the current claim's number (17.5)


def card_effect(wish_id: int) -> str:
    """The outbox effect of a wish's card: once sent, where it is is remembered."""
    return f"wish_card:{wish_id}"


def relay_effect(wish_id: int) -> str:
    """The outbox effect of a message relayed between a wish's resident and volunteer."""
    return f"relay:{wish_id}"


def _wish(row: aiosqlite.Row) -> Wish:
    return Wish(*row)


class WishRepository:
    """The wish wall's table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        community_id: int,
        author_id: int | None,
        text: str,
        compound: str = "",
        photo_file_id: str | None = None,
    ) -> int:
        """A new wish, waiting for a secretary; its id."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO wishes (community_id, author_id, text, compound, photo_file_id,"
                " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
                (community_id, author_id, text, compound, photo_file_id, now, now),
            )
            return int(cursor.lastrowid or 0)

    async def get(self, wish_id: int) -> Wish | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} {_FROM} WHERE w.id = ?", (wish_id,))
        return _wish(row) if row else None

    async def _change(self, sql: str, params: tuple[object, ...]) -> bool:
        changed = await self.db.execute_write(sql, params)
        return changed == 1

    async def approve(self, wish_id: int, community_id: int) -> bool:
        """Pending → open (on the wall)."""
        return await self._change(
            "UPDATE wishes SET status = 'open', updated_at = ? WHERE id = ?"
            " AND community_id = ? AND status = 'pending'",
            (utcnow(), wish_id, community_id),
        )

    async def decline(self, wish_id: int, community_id: int, reason: str) -> bool:
        """Pending → declined, with the reason the resident reads."""
        return await self._change(
            "UPDATE wishes SET status = 'declined', decline_reason = ?, updated_at = ?"
            " WHERE id = ? AND community_id = ? AND status = 'pending'",
            (reason, utcnow(), wish_id, community_id),
        )

    async def claim(self, wish_id: int, member_id: int) -> bool:
        """Open → claimed by this member of the wish's community (one claimant only)."""
        return await self._change(
            "UPDATE wishes SET status = 'claimed', claimant_id = ?, claims = claims + 1,"
            " updated_at = ? WHERE id = ? AND status = 'open'"
            " AND community_id = (SELECT community_id FROM members WHERE id = ?"
            " AND erased_at IS NULL)",  # an erased member (erased mid-tap) claims nothing
            (member_id, utcnow(), wish_id, member_id),
        )

    async def release(self, wish_id: int, member_id: int) -> bool:
        """Claimed → open again, by its claimant."""
        return await self._change(
            "UPDATE wishes SET status = 'open', claimant_id = NULL, updated_at = ?"
            " WHERE id = ? AND status = 'claimed' AND claimant_id = ?",
            (utcnow(), wish_id, member_id),
        )

    async def reopen(self, wish_id: int, community_id: int) -> int | None:
        """Claimed or done → open again, by a secretary (the proof goes with the claim); the
        member who had it, or None when it was not taken on."""
        row = await self.db.fetchone(
            "SELECT claimant_id FROM wishes WHERE id = ? AND community_id = ?"
            " AND status IN ('claimed', 'done') AND claimant_id IS NOT NULL",
            (wish_id, community_id),
        )
        if row is None:
            return None
        claimant = int(row[0])
        reopened = await self._change(
            "UPDATE wishes SET status = 'open', claimant_id = NULL, proof_file_id = NULL,"
            " proof_note = '', updated_at = ? WHERE id = ? AND status IN ('claimed', 'done')"
            " AND claimant_id = ?",
            (utcnow(), wish_id, claimant),
        )
        return claimant if reopened else None

    async def release_all(self, member_id: int) -> list[int]:
        """Every wish the member took on and has not done goes back on the wall; their ids."""
        rows = await self.db.fetchall(
            "SELECT id FROM wishes WHERE claimant_id = ? AND status = 'claimed'", (member_id,)
        )
        ids = [int(r[0]) for r in rows]
        await self.db.execute_write(
            "UPDATE wishes SET status = 'open', claimant_id = NULL, updated_at = ?"
            " WHERE claimant_id = ? AND status = 'claimed'",
            (utcnow(), member_id),
        )
        return ids

    async def mark_done(self, wish_id: int, member_id: int) -> bool:
        """Claimed → done (waiting for the secretary), by its claimant."""
        return await self._change(
            "UPDATE wishes SET status = 'done', updated_at = ?"
            " WHERE id = ? AND status = 'claimed' AND claimant_id = ?",
            (utcnow(), wish_id, member_id),
        )

    async def settle(self, wish_id: int, community_id: int, ledger_entry_id: int) -> bool:
        """Done → fulfilled, with the claimant's ledger entry."""
        changed = await self.db.execute_write(
            "UPDATE wishes SET status = 'fulfilled', ledger_entry_id = ?, updated_at = ?"
            " WHERE id = ? AND community_id = ? AND status = 'done'",
            (ledger_entry_id, utcnow(), wish_id, community_id),
        )
        return changed == 1

    async def add_card(self, wish_id: int, chat_id: int, message_id: int) -> None:
        """Remember where a wish's card was posted, so a change edits it."""
        await self.db.execute_write(
            "INSERT OR REPLACE INTO wish_cards (wish_id, chat_id, message_id) VALUES (?, ?, ?)",
            (wish_id, chat_id, message_id),
        )

    async def cards(self, wish_id: int) -> dict[int, int]:
        """Chat id → message id of every card of the wish."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM wish_cards WHERE wish_id = ?", (wish_id,)
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def card_on_its_way(self, wish_id: int, chat_id: int) -> bool:
        """A card of the wish is in the outbox for this chat, not sent yet."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE chat_id = ? AND effect = ?"
            " AND status IN ('pending', 'claimed', 'sending') LIMIT 1",
            (chat_id, card_effect(wish_id)),
        )
        return row is not None

    async def in_community(
        self, community_id: int, statuses: tuple[str, ...], limit: int = 20, offset: int = 0
    ) -> list[Wish]:
        """The community's wishes in these states: those waiting for a secretary first, then
        the oldest (a page of them: ``limit`` from ``offset``)."""
        marks = ",".join("?" * len(statuses))
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} {_FROM} WHERE w.community_id = ? AND w.status IN ({marks})"
            f" ORDER BY {_URGENCY}, w.id LIMIT ? OFFSET ?",
            (community_id, *statuses, limit, offset),
        )
        return [_wish(r) for r in rows]

    async def count_in(self, community_id: int, statuses: tuple[str, ...]) -> int:
        marks = ",".join("?" * len(statuses))
        row = await self.db.fetchone(
            f"SELECT COUNT(*) FROM wishes WHERE community_id = ? AND status IN ({marks})",
            (community_id, *statuses),
        )
        return int(row[0]) if row else 0

    async def pending_of(self, author_id: int) -> int:
        """How many of this resident's wishes wait for a secretary."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM wishes WHERE author_id = ? AND status = 'pending'",
            (author_id,),
        )
        return int(row[0]) if row else 0

    async def add_proof(self, wish_id: int, member_id: int, file_id: str) -> bool:
        """The claimant's photo of the work done (while it waits for confirmation)."""
        return await self._change(
            "UPDATE wishes SET proof_file_id = ? WHERE id = ? AND claimant_id = ?"
            " AND status = 'done'",
            (file_id, wish_id, member_id),
        )

    async def add_proof_note(self, wish_id: int, member_id: int, note: str) -> bool:
        """The claimant's words on the work done (while it waits for confirmation)."""
        return await self._change(
            "UPDATE wishes SET proof_note = ? WHERE id = ? AND claimant_id = ? AND status = 'done'",
            (note, wish_id, member_id),
        )

    async def forget_claimant_words(self, member_id: int) -> list[int]:
        """A claimant asked to be forgotten: their notes on work done go; the ids of the
        wishes they had taken on and not seen fulfilled (their relays end)."""

        async def work(conn: aiosqlite.Connection) -> list[int]:
            rows = await conn.execute_fetchall(
                "SELECT id FROM wishes WHERE claimant_id = ? AND status IN ('claimed', 'done')",
                (member_id,),
            )
            await conn.execute(
                "UPDATE wishes SET proof_note = '' WHERE claimant_id = ?", (member_id,)
            )
            return [int(r[0]) for r in rows]

        return await self.db.write(work)

    async def count_relayed(self, wish_id: int, side: str, day: str) -> int:
        """How many messages this side of the wish relayed on ``day``."""
        row = await self.db.fetchone(
            "SELECT sent FROM wish_relay_counts WHERE wish_id = ? AND side = ? AND day = ?",
            (wish_id, side, day),
        )
        return int(row[0]) if row else 0

    async def count_relay(self, wish_id: int, side: str, day: str, limit: int) -> bool:
        """Count one more message relayed by this side of the wish on ``day``; False (and
        nothing counted) when it has relayed ``limit`` already. Earlier days' counts go."""

        async def work(conn: aiosqlite.Connection) -> bool:
            await conn.execute("DELETE FROM wish_relay_counts WHERE day < ?", (day,))
            cursor = await conn.execute(
                "INSERT INTO wish_relay_counts (wish_id, side, day, sent) VALUES (?, ?, ?, 1)"
                " ON CONFLICT (wish_id, side, day) DO UPDATE SET sent = sent + 1"
                " WHERE sent < ?",
                (wish_id, side, day, limit),
            )
            return cursor.rowcount == 1

        return await self.db.write(work)

    async def claimed_by(self, member_id: int, offset: int = 0, limit: int = 20) -> list[Wish]:
        """A member's claimed (and done, not yet confirmed) wishes, a page of them."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} {_FROM} WHERE w.claimant_id = ? AND w.status IN"
            " ('claimed', 'done') ORDER BY w.id LIMIT ? OFFSET ?",
            (member_id, limit, offset),
        )
        return [_wish(r) for r in rows]

    async def count_claimed_by(self, member_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM wishes WHERE claimant_id = ? AND status IN ('claimed', 'done')",
            (member_id,),
        )
        return int(row[0]) if row else 0

    async def claimed_before(self, member_id: int, wish_id: int) -> int:
        """How many of the member's claimed (and done) wishes come before this one."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM wishes WHERE claimant_id = ? AND status IN ('claimed', 'done')"
            " AND id < ?",
            (member_id, wish_id),
        )
        return int(row[0]) if row else 0

    async def fulfilled(
        self,
        start: datetime,
        end: datetime,
        *,
        member_id: int | None = None,
        community_id: int | None = None,
    ) -> int:
        """Wishes confirmed fulfilled in [start, end): a member's, or a community's."""
        column, value = (
            ("claimant_id", member_id) if member_id is not None else ("community_id", community_id)
        )
        row = await self.db.reader.fetchone(
            f"SELECT COUNT(*) FROM wishes WHERE {column} = ? AND status = 'fulfilled'"
            " AND updated_at >= ? AND updated_at < ?",
            (value, to_db(start), to_db(end)),
        )
        return int(row[0]) if row else 0

    async def by_author(self, telegram_id: int) -> list[Wish]:
        """The wishes this person made (for /mydata)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} {_FROM} WHERE w.author_id = ? ORDER BY w.id", (telegram_id,)
        )
        return [_wish(r) for r in rows]

    async def forget_author(self, telegram_id: int) -> int:
        """A resident asked to be forgotten: their wishes stay, no longer theirs."""
        return await self.db.execute_write(
            "UPDATE wishes SET author_id = NULL WHERE author_id = ?", (telegram_id,)
        )

    async def erase_author(self, telegram_id: int, erased_text: str) -> list[Wish]:
        """A resident asked to be forgotten: every wish they made loses their words (the text
        becomes ``erased_text``), compound and photo, and is no longer theirs; one not done yet
        is withdrawn (nobody can approve, claim or finish it). The wishes as they were."""
        marks = ",".join("?" * len(WITHDRAWABLE))

        async def work(conn: aiosqlite.Connection) -> list[Wish]:
            rows = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} {_FROM} WHERE w.author_id = ? ORDER BY w.id", (telegram_id,)
            )
            await conn.execute(
                f"UPDATE wishes SET status = CASE WHEN status IN ({marks}) THEN 'withdrawn'"
                " ELSE status END, text = ?, compound = '', photo_file_id = NULL,"
                " author_id = NULL, updated_at = ? WHERE author_id = ?",
                (*WITHDRAWABLE, erased_text, utcnow(), telegram_id),
            )
            return [_wish(r) for r in rows]

        return await self.db.write(work)
