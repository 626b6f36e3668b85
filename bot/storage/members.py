"""Members: enrollment, language, reachability, phone linking and erasure."""

from __future__ import annotations

import aiosqlite

from bot.domain.models import Member, MemberType, Profile, Secretary
from bot.storage.db import Database, one, utcnow

_COLUMNS = (
    "id, community_id, telegram_id, name, work_unit, member_type, compound, phone, language,"
    " reachable, created_at, updated_at"
)


_PREFIXED = ", ".join(f"m.{c.strip()}" for c in _COLUMNS.split(","))


def _member(row: aiosqlite.Row) -> Member:
    return Member(
        id=row["id"],
        community_id=row["community_id"],
        telegram_id=row["telegram_id"],
        name=row["name"],
        work_unit=row["work_unit"],
        member_type=MemberType(row["member_type"]),
        compound=row["compound"],
        phone=row["phone"],
        language=row["language"],
        reachable=bool(row["reachable"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class MemberRepository:
    """Reads and writes ``members`` (erased members keep their row, without personal data)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, member_id: int) -> Member | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM members WHERE id = ?", (member_id,))
        return _member(row) if row else None

    async def target(self, community_id: int, member_id: int) -> Member | None:
        """A member of this community someone may act on (grant, link, match): None when
        erased, as if there were no such member."""
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM members WHERE id = ? AND community_id = ?"
            " AND erased_at IS NULL",
            (member_id, community_id),
        )
        return _member(row) if row else None

    async def get_with_role(self, telegram_id: int) -> tuple[Member | None, Secretary | None]:
        """The member and the secretary role of a Telegram user, in one query."""
        row = await self.db.fetchone(
            f"SELECT {_PREFIXED}, s.telegram_id AS s_id, s.community_id AS s_community,"
            " s.reached_at AS s_reached, s.granted_by AS s_granted_by"
            " FROM (SELECT ? AS tid) q LEFT JOIN members m ON m.telegram_id = q.tid"
            " LEFT JOIN secretaries s ON s.telegram_id = q.tid",
            (telegram_id,),
        )
        if row is None:
            return None, None
        member = _member(row) if row["id"] is not None else None
        secretary = (
            Secretary(
                row["s_id"],
                row["s_community"],
                reached=row["s_reached"] is not None,
                from_setting=row["s_granted_by"] is None,
            )
            if row["s_id"] is not None
            else None
        )
        return member, secretary

    async def get_by_telegram_id(self, telegram_id: int) -> Member | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM members WHERE telegram_id = ?", (telegram_id,)
        )
        return _member(row) if row else None

    async def enroll(
        self, community_id: int, telegram_id: int, profile: Profile, language: str | None
    ) -> tuple[Member, bool]:
        """Enroll, or update the profile of someone enrolled (in the community they are in:
        enrolling never moves anyone); True when they are new."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET name = ?, work_unit = ?, member_type = ?,"
                " compound = ?, reachable = 1, updated_at = ? WHERE telegram_id = ?",
                (
                    profile.name,
                    profile.work_unit,
                    profile.member_type.value,
                    profile.compound,
                    now,
                    telegram_id,
                ),
            )
            created = cursor.rowcount == 0
            if created:
                await conn.execute(
                    "INSERT INTO members (community_id, telegram_id, name, work_unit, member_type,"
                    " compound, language, reachable, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (
                        community_id,
                        telegram_id,
                        profile.name,
                        profile.work_unit,
                        profile.member_type.value,
                        profile.compound,
                        language,
                        now,
                        now,
                    ),
                )
        member = await self.get_by_telegram_id(telegram_id)
        assert member is not None
        return member, created

    async def language_of(self, telegram_id: int) -> str | None:
        """The language someone reads: a member's, else the one remembered for a non-member."""
        row = await self.db.fetchone(
            "SELECT COALESCE((SELECT language FROM members WHERE telegram_id = :t),"
            " (SELECT locale FROM people_languages WHERE telegram_id = :t))",
            {"t": telegram_id},
        )
        return row[0] if row else None

    async def remember_language(self, telegram_id: int, locale: str) -> None:
        """A non-member's language, for the notices they get later."""
        await self.db.execute_write(
            "INSERT INTO people_languages (telegram_id, locale) VALUES (?, ?)"
            " ON CONFLICT (telegram_id) DO UPDATE SET locale = excluded.locale",
            (telegram_id, locale),
        )

    async def remembered_language(self, telegram_id: int) -> str | None:
        """The language remembered for someone who wrote to the bot (for /mydata)."""
        row = await self.db.fetchone(
            "SELECT locale FROM people_languages WHERE telegram_id = ?", (telegram_id,)
        )
        return str(row[0]) if row else None

    async def forget_language(self, telegram_id: int) -> bool:
        changed = await self.db.execute_write(
            "DELETE FROM people_languages WHERE telegram_id = ?", (telegram_id,)
        )
        return changed > 0

    async def set_language(self, telegram_id: int, language: str) -> bool:
        """Remember a member's language; False when they are not enrolled."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET language = ?, updated_at = ? WHERE telegram_id = ?",
                (language, utcnow(), telegram_id),
            )
        return cursor.rowcount > 0

    async def set_reachable(self, telegram_id: int, reachable: bool) -> None:
        """Record whether the bot can send this member private messages."""
        await self.db.execute_write(
            "UPDATE members SET reachable = ? WHERE telegram_id = ? AND reachable != ?",
            (int(reachable), telegram_id, int(reachable)),
        )

    async def attach_phone(self, telegram_id: int, phone: str) -> bool:
        """Store a member's own phone and link the roster row with it; True when linked."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET phone = ?, updated_at = ? WHERE telegram_id = ?"
                " RETURNING id, community_id",
                (phone, utcnow(), telegram_id),
            )
            row = await cursor.fetchone()
            if row is None:
                return False
            await conn.execute(
                "UPDATE roster_entries SET member_id = NULL WHERE member_id = ?", (row[0],)
            )
            cursor = await conn.execute(
                "UPDATE roster_entries SET member_id = ?"
                " WHERE community_id = ? AND phone = ? AND member_id IS NULL",
                (row[0], row[1], phone),
            )
            return cursor.rowcount > 0

    async def count_in_community(self, community_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM members WHERE community_id = ? AND erased_at IS NULL",
            (community_id,),
        )
        return int(row[0]) if row else 0

    async def list_in_community(self, community_id: int, offset: int, limit: int) -> list[Member]:
        """Enrolled members of a community, by name."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE community_id = ? AND erased_at IS NULL"
            " ORDER BY name, id LIMIT ? OFFSET ?",
            (community_id, limit, offset),
        )
        return [_member(r) for r in rows]

    async def find_by_name(self, community_id: int, name: str) -> list[Member]:
        """Members of a community with exactly this name."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE community_id = ? AND name = ?"
            " AND erased_at IS NULL ORDER BY id LIMIT 10",
            (community_id, " ".join(name.split())),
        )
        return [_member(r) for r in rows]

    async def named_starting(self, community_id: int, prefix: str, limit: int) -> list[Member]:
        """Members of a community whose name starts with ``prefix`` (suggestions by #id)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE community_id = ? AND erased_at IS NULL"
            " AND substr(name, 1, length(?)) = ? ORDER BY name, id LIMIT ?",
            (community_id, prefix, prefix, limit),
        )
        return [_member(r) for r in rows]

    async def erase(self, telegram_id: int) -> bool:
        """Erase a member's personal data; the row stays, anonymized, for points history.

        Their words go too: report notes and objection reasons are blanked; the roster row
        linked to them (name and phone from their work unit) is deleted. A row not linked to
        them stays: it may be someone else of the same name (a secretary may have unlinked it
        as such), and it is the work unit's list, not the member's words.
        """
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> bool:
            row = await one(conn, "SELECT id FROM members WHERE telegram_id = ?", (telegram_id,))
            if row is None:
                return False
            member_id = row[0]
            await conn.execute("DELETE FROM roster_entries WHERE member_id = ?", (member_id,))
            await conn.execute("DELETE FROM service_records WHERE member_id = ?", (member_id,))
            await conn.execute(
                "UPDATE monthly_reports SET note = '' WHERE member_id = ?", (member_id,)
            )
            await conn.execute(
                "UPDATE objections SET reason = '' WHERE member_id = ?", (member_id,)
            )
            await conn.execute(
                "UPDATE members SET telegram_id = NULL, name = '', work_unit = '', compound = '',"
                " phone = NULL, language = NULL, reachable = 0, updated_at = ?, erased_at = ?"
                " WHERE id = ?",
                (now, now, member_id),
            )
            return True

        return await self.db.write(work)

    async def history(
        self, member_id: int, telegram_id: int | None = None
    ) -> dict[str, list[dict[str, object]]]:
        """Everything else stored about a member, table by table (for /mydata); with their
        Telegram id, the record of the messages the bot sent them too."""
        queries = {
            "ledger_entries": "SELECT points, reason, source, created_at, served_at"
            " FROM ledger_entries"
            " WHERE member_id = ? ORDER BY id",
            "signups": "SELECT t.title, t.starts_at, s.status, s.checked_in_at,"
            " s.checkin_method, s.reject_reason FROM signups s JOIN tasks t ON t.id = s.task_id"
            " WHERE s.member_id = ? ORDER BY s.id",
            "monthly_reports": "SELECT month, reported_at, note, source FROM monthly_reports"
            " WHERE member_id = ? ORDER BY month",
            "redemptions": "SELECT w.name, d.cost, d.status, d.created_at FROM redemptions d"
            " JOIN rewards w ON w.id = d.reward_id WHERE d.member_id = ? ORDER BY d.id",
            "objections": "SELECT month, reason, status, created_at FROM objections"
            " WHERE member_id = ? ORDER BY id",
        }
        params: dict[str, tuple[object, ...]] = {name: (member_id,) for name in queries}
        if telegram_id is not None:
            queries["messages_sent"] = (
                "SELECT kind, job, period, status, created_at, finished_at,"
                " json_extract(payload, '$.text') AS text FROM outbox WHERE chat_id = ?"
                " ORDER BY id"
            )
            params["messages_sent"] = (telegram_id,)
        history = {}
        for name, sql in queries.items():
            rows = await self.db.fetchall(sql, params[name])
            history[name] = [dict(zip(row.keys(), tuple(row), strict=True)) for row in rows]
        return history
