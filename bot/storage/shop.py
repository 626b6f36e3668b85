"""Rewards and redemptions: stock and balance checked in the same transaction as the entry."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.domain.shop import RedeemOutcome, Reward, decide_redeem
from bot.storage.db import Database, one, utcnow

_COLUMNS = "id, community_id, name, cost, stock, photo_file_id, active"


def _reward(row: aiosqlite.Row) -> Reward:
    return Reward(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


@dataclass(frozen=True)
class Redemption:
    """A member's redemption, as the secretary sees it."""

    id: int
    reward_name: str
    member_id: int
    member_name: str
    telegram_id: int | None
    language: str | None
    cost: int
    status: str
    created_at: str


@dataclass(frozen=True)
class Settled:
    """The result of handing over or cancelling a redemption."""

    changed: bool
    redemption: Redemption | None


class ShopRepository:
    """Reads and writes ``rewards`` and ``redemptions`` (and their ledger entries)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self, community_id: int, name: str, cost: int, stock: int, photo_file_id: str | None
    ) -> int:
        """A new reward on the shelf; its id."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> int:
            cursor = await conn.execute(
                "INSERT INTO rewards (community_id, name, cost, stock, photo_file_id,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (community_id, name, cost, stock, photo_file_id, now, now),
            )
            return int(cursor.lastrowid or 0)

        return await self.db.write(work)

    async def update(self, reward_id: int, community_id: int, column: str, value: object) -> bool:
        """Change a reward's name, cost, stock or shelf status (``active``)."""
        if column not in ("name", "cost", "stock", "active"):
            raise ValueError(column)
        changed = await self.db.execute_write(
            f"UPDATE rewards SET {column} = ?, updated_at = ? WHERE id = ? AND community_id = ?",
            (value, utcnow(), reward_id, community_id),
        )
        return changed == 1

    async def get(self, reward_id: int) -> Reward | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM rewards WHERE id = ?", (reward_id,))
        return _reward(row) if row else None

    async def on_shelf(self, community_id: int) -> list[Reward]:
        """Active rewards, cheapest first."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM rewards WHERE community_id = ? AND active = 1"
            " ORDER BY cost, id",
            (community_id,),
        )
        return [_reward(r) for r in rows]

    async def redeem(self, reward_id: int, member_id: int, request_key: str) -> RedeemOutcome:
        """Redeem once per confirmation: never past the balance or the stock."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> RedeemOutcome:
            if await one(conn, "SELECT 1 FROM redemptions WHERE request_key = ?", (request_key,)):
                return RedeemOutcome.ALREADY
            found = await one(conn, f"SELECT {_COLUMNS} FROM rewards WHERE id = ?", (reward_id,))
            balance = await one(
                conn,
                "SELECT IFNULL(SUM(points), 0) FROM ledger_entries WHERE member_id = ?",
                (member_id,),
            )
            assert found is not None and balance is not None
            reward = _reward(found)
            outcome = decide_redeem(reward.active, reward.stock, int(balance[0]), reward.cost)
            if outcome is not RedeemOutcome.REDEEMED:
                return outcome
            entry = (
                await conn.execute(
                    "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
                    " created_at, served_at) VALUES (?, ?, ?, ?, 'redemption', ?, ?)",
                    (member_id, reward.community_id, -reward.cost, reward.name, now, now),
                )
            ).lastrowid
            await conn.execute(
                "INSERT INTO redemptions (reward_id, member_id, cost, status, request_key,"
                " ledger_entry_id, created_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)",
                (reward_id, member_id, reward.cost, request_key, entry, now),
            )
            await conn.execute("UPDATE rewards SET stock = stock - 1 WHERE id = ?", (reward_id,))
            return outcome

        return await self.db.write(work)

    async def pending(self, community_id: int, limit: int = 20) -> list[Redemption]:
        """Redemptions waiting to be handed over, oldest first."""
        rows = await self.db.fetchall(
            "SELECT d.id, w.name, m.id, m.name, m.telegram_id, m.language, d.cost, d.status,"
            " d.created_at FROM redemptions d JOIN rewards w ON w.id = d.reward_id"
            " JOIN members m ON m.id = d.member_id WHERE w.community_id = ?"
            " AND d.status = 'pending' ORDER BY d.id LIMIT ?",
            (community_id, limit),
        )
        return [Redemption(*r) for r in rows]

    async def settle(
        self, redemption_id: int, community_id: int, by: int, handed_over: bool
    ) -> Settled:
        """Hand over, or cancel with a refund entry and the item back on the shelf."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> bool:
            row = await one(
                conn,
                "SELECT d.member_id, d.cost, d.reward_id, w.name FROM redemptions d"
                " JOIN rewards w ON w.id = d.reward_id WHERE d.id = ? AND d.status = 'pending'"
                " AND w.community_id = ?",
                (redemption_id, community_id),
            )
            if row is None:
                return False
            if handed_over:
                await conn.execute(
                    "UPDATE redemptions SET status = 'handed_over', settled_at = ?,"
                    " settled_by = ? WHERE id = ?",
                    (now, by, redemption_id),
                )
                return True
            refund = (
                await conn.execute(
                    "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
                    " author_id, created_at, served_at) VALUES (?, ?, ?, ?, 'refund', ?, ?, ?)",
                    (row[0], community_id, row[1], row[3], by, now, now),
                )
            ).lastrowid
            await conn.execute(
                "UPDATE redemptions SET status = 'cancelled', settled_at = ?, settled_by = ?,"
                " refund_entry_id = ? WHERE id = ?",
                (now, by, refund, redemption_id),
            )
            await conn.execute("UPDATE rewards SET stock = stock + 1 WHERE id = ?", (row[2],))
            return True

        changed = await self.db.write(work)
        row = await self.db.fetchone(
            "SELECT d.id, w.name, m.id, m.name, m.telegram_id, m.language, d.cost, d.status,"
            " d.created_at FROM redemptions d JOIN rewards w ON w.id = d.reward_id"
            " JOIN members m ON m.id = d.member_id WHERE d.id = ?",
            (redemption_id,),
        )
        return Settled(changed, Redemption(*row) if row else None)
