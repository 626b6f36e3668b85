"""Migration 18 rebuilds ``wishes`` (for the ``withdrawn`` state, issue 16.2): every wish
stays as it was, and a wish can then be withdrawn."""

from __future__ import annotations

from pathlib import Path

from bot.storage.db import Database


async def test_16_2_wishes_survive_the_rebuild_and_can_be_withdrawn(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = await Database.open(path, migrate=False)
    await db.migrate(target=17)
    await db.execute_write(
        "INSERT INTO communities (id, name, enroll_code, created_at) VALUES (1, 'c', 'x', 'now')"
    )
    await db.execute_write(
        "INSERT INTO wishes (community_id, author_id, text, status, created_at, updated_at,"
        " compound, photo_file_id) VALUES (1, 7, '修水管', 'open', 'a', 'b', 'A区', 'p1')"
    )
    await db.execute_write("INSERT INTO wish_cards VALUES (1, -100, 55)")
    await db.close()
    db = await Database.open(path)
    try:
        row = await db.fetchone(
            "SELECT id, author_id, text, status, compound, photo_file_id, proof_file_id,"
            " created_at, updated_at FROM wishes"
        )
        assert row is not None
        assert tuple(row) == (1, 7, "修水管", "open", "A区", "p1", None, "a", "b")
        await db.execute_write("UPDATE wishes SET status = 'withdrawn'")
        indexes = await db.fetchall("SELECT name FROM sqlite_master WHERE tbl_name = 'wishes'")
        assert {"wishes_community_status", "wishes_claimant", "wishes_author"} <= {
            r[0] for r in indexes
        }
        assert list(await db.fetchall("PRAGMA foreign_key_check")) == []
        cards = await db.fetchall("SELECT wish_id, chat_id, message_id FROM wish_cards")
        assert [tuple(c) for c in cards] == [(1, -100, 55)]
        schema = await db.fetchone("SELECT sql FROM sqlite_master WHERE name = 'wish_cards'")
        assert schema is not None and 'REFERENCES "wishes"' in schema[0]
    finally:
        await db.close()
