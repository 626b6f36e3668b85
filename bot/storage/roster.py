"""The roster a community imports from work units, matched to members by phone."""

from __future__ import annotations

import aiosqlite

from bot.domain.models import MemberType, RosterEntry
from bot.domain.roster import RosterRow
from bot.storage.db import Database, utcnow

_COLUMNS = "id, community_id, name, phone, work_unit, member_type, compound, member_id"


def _entry(row: aiosqlite.Row) -> RosterEntry:
    return RosterEntry(
        id=row["id"],
        community_id=row["community_id"],
        name=row["name"],
        phone=row["phone"],
        work_unit=row["work_unit"],
        member_type=MemberType(row["member_type"]),
        compound=row["compound"],
        member_id=row["member_id"],
    )


class RosterRepository:
    """Reads and writes ``roster_entries``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def import_rows(self, community_id: int, rows: list[RosterRow]) -> tuple[int, int]:
        """Insert new rows and update known phones, all or nothing; (added, updated)."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT phone FROM roster_entries WHERE community_id = ?", (community_id,)
            )
            known = {r[0] for r in await cursor.fetchall()}
            await conn.executemany(
                "INSERT INTO roster_entries (community_id, name, phone, work_unit, member_type,"
                " compound, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (community_id, phone) DO UPDATE SET name = excluded.name,"
                " work_unit = excluded.work_unit, member_type = excluded.member_type,"
                " compound = excluded.compound, imported_at = excluded.imported_at",
                [
                    (
                        community_id,
                        r.name,
                        r.phone,
                        r.work_unit,
                        r.member_type.value,
                        r.compound,
                        now,
                    )
                    for r in rows
                ],
            )
            # members who already shared this phone are linked right away
            await conn.execute(
                "UPDATE roster_entries SET member_id = (SELECT m.id FROM members m"
                "  WHERE m.community_id = roster_entries.community_id"
                "  AND m.phone = roster_entries.phone AND m.erased_at IS NULL"
                "  AND m.id NOT IN (SELECT member_id FROM roster_entries WHERE member_id"
                "  IS NOT NULL) LIMIT 1)"
                " WHERE community_id = ? AND member_id IS NULL",
                (community_id,),
            )
        added = sum(1 for r in rows if r.phone not in known)
        return added, len(rows) - added

    async def get_for_member(self, member_id: int) -> RosterEntry | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM roster_entries WHERE member_id = ?", (member_id,)
        )
        return _entry(row) if row else None

    async def by_phone(self, community_id: int, phone: str) -> RosterEntry | None:
        """The community's roster row with this phone."""
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM roster_entries WHERE community_id = ? AND phone = ?",
            (community_id, phone),
        )
        return _entry(row) if row else None

    async def unlinked_named(self, community_id: int, name: str) -> list[RosterEntry]:
        """Roster rows of this name nobody is linked to yet."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM roster_entries WHERE community_id = ? AND name = ?"
            " AND member_id IS NULL ORDER BY id LIMIT 10",
            (community_id, name),
        )
        return [_entry(r) for r in rows]

    async def link(self, roster_id: int, member_id: int) -> bool:
        """Link a roster row to a member of its community, both still unlinked; the member
        takes the roster's compound when they gave none. False when either was taken, or the
        member erased their data."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE roster_entries SET member_id = ? WHERE id = ? AND member_id IS NULL"
                " AND community_id = (SELECT community_id FROM members WHERE id = ?"
                "  AND erased_at IS NULL)"
                " AND NOT EXISTS (SELECT 1 FROM roster_entries WHERE member_id = ?)",
                (member_id, roster_id, member_id, member_id),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE members SET compound = (SELECT compound FROM roster_entries WHERE id = ?)"
                " WHERE id = ? AND compound = ''",
                (roster_id, member_id),
            )
        return True

    async def unlink(self, member_id: int) -> bool:
        """Undo a member's link to the roster; False when there was none."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE roster_entries SET member_id = NULL WHERE member_id = ?", (member_id,)
            )
        return cursor.rowcount > 0

    async def counts(self, community_id: int) -> tuple[int, int]:
        """(rows on the roster, of them linked to an enrolled member)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*), COUNT(member_id) FROM roster_entries WHERE community_id = ?",
            (community_id,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def list_unenrolled(
        self, community_id: int, offset: int, limit: int
    ) -> list[RosterEntry]:
        """Roster rows nobody has enrolled as yet, by name."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM roster_entries WHERE community_id = ? AND member_id IS NULL"
            " ORDER BY name, id LIMIT ? OFFSET ?",
            (community_id, limit, offset),
        )
        return [_entry(r) for r in rows]

    async def unenrolled(
        self, community_id: int, work_unit: str | None = None
    ) -> list[RosterEntry]:
        """Every roster row nobody has enrolled as (of one work unit, or all, by unit), by
        name: the secretary's and the liaisons' follow-up list."""
        unit = "" if work_unit is None else " AND work_unit = :u"
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM roster_entries WHERE community_id = :c"
            f" AND member_id IS NULL{unit} ORDER BY work_unit, name, id",
            {"c": community_id, "u": work_unit},
        )
        return [_entry(r) for r in rows]
