"""Seeds a community as large and as untidy as real ones, for the scale tests and benchmarks.

    python -m benchmarks.seed_community DATABASE [--members 2000] [--today 2026-11-22]

Members (60% in service) with long Chinese names, units and compounds, a roster that also
lists people who never enrolled, 10 bound groups, tasks spread over the last twelve months
(and some to come) with their sign-ups, the ledger that follows (tasks, grants, corrections,
redemptions), twelve months of reports (about 70% of those in service), a shop, open
objections and check-ins waiting for review. Rows go in with one transaction per table, so
100,000 members take seconds, not hours. Deterministic for a given size.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.storage import Storage, open_storage

TZ = ZoneInfo("Asia/Shanghai")
FIRST_TELEGRAM_ID = 10_000_000
FIRST_GROUP_ID = -1_002_000_000_000
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "欧阳", "司马", "上官", "诸葛"]
GIVEN = ["建国", "秀英", "志强", "海燕", "德华", "丽娟", "晓明", "春花", "国庆", "卫东", "文"]
LONG_NAMES = ["阿卜杜热合曼·买买提依明", "德吉卓玛·次仁旺堆", "欧阳诸葛长名字测试员"]
UNITS = [
    "市税务局",
    "某某市某某区人力资源和社会保障局劳动保障监察支队第三大队",
    "区教育局基础教育科",
    "某某省某某市中级人民法院执行局第二执行庭",
    "市第一人民医院心血管内科",
]
COMPOUNDS = ["田森嘉园A区", "田森嘉园B区", "幸福里小区", "某某街道某某社区某某花园三期北区"]
TITLES = ["小区环境整治", "政策宣讲进楼栋", "平安巡逻", "关爱空巢老人", "文明交通劝导"]
LIAISONS = 10
FIRST_LIAISON_ID = 9_000_000
CATEGORIES = ["理论宣讲", "平安创建", "文明实践", "爱心帮扶", "环境整治"]


@dataclass(frozen=True)
class Seeded:
    """What was made, for the tests that check it."""

    community_id: int
    members: int
    in_service: int
    groups: list[int]
    tasks: int


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _name(rng: random.Random, n: int) -> str:
    if n % 97 == 0:
        return LONG_NAMES[n % len(LONG_NAMES)]
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + ("" if n % 3 else rng.choice(GIVEN))


async def seed_community(
    storage: Storage,
    members: int = 2000,
    *,
    today: date | None = None,
    secretary_id: int = 1001,
    groups: int = 10,
) -> Seeded:
    """Fill the database's first community (made if there is none)."""
    rng = random.Random(members)
    today = today or datetime.now(TZ).date()
    now = datetime.combine(today, time(10), TZ)
    communities = await storage.communities.list_all()
    community = communities[0] if communities else await storage.communities.create("我的社区")
    cid = community.id
    created = _iso(now - timedelta(days=400))
    types = ["in_service"] * 6 + ["resident"] * 3 + ["volunteer"]
    # a few big employers and many small ones (one unit per 40 members)
    units = UNITS + [f"某某集团第{k}分公司党支部" for k in range(max(1, members // 40))]
    member_rows = []
    for n in range(members):
        kind = types[n % len(types)]
        member_rows.append(
            (
                cid,
                FIRST_TELEGRAM_ID + n,
                _name(rng, n),
                (rng.choice(UNITS) if n % 2 else rng.choice(units)) if kind == "in_service" else "",
                kind,
                rng.choice(COMPOUNDS),
                f"139{n:08d}",
                int(n % 23 != 0),  # some never opened the bot
                created,
                created,
            )
        )
    tasks_total = max(30, members * 300 // 2000)
    db = storage.db
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO members (community_id, telegram_id, name, work_unit, member_type,"
            " compound, phone, reachable, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            member_rows,
        )
        cursor = await conn.execute(
            "SELECT id, member_type FROM members WHERE community_id = ? ORDER BY id", (cid,)
        )
        ids = [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]
        in_service = [mid for mid, kind in ids if kind == "in_service"]
        everyone = [mid for mid, _ in ids]
        # the roster: those in service, and a tenth more who never enrolled
        roster: list[tuple[object, ...]] = [
            (cid, row[2], row[6], row[3], row[4], row[5], created, mid)
            for row, (mid, _) in zip(member_rows, ids, strict=False)
            if row[4] == "in_service"
        ]
        roster += [
            (cid, _name(rng, n), f"138{n:08d}", rng.choice(UNITS), "in_service", "", created, None)
            for n in range(members // 10)
        ]
        await conn.executemany(
            "INSERT INTO roster_entries (community_id, name, phone, work_unit, member_type,"
            " compound, imported_at, member_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            roster,
        )
        group_ids = [FIRST_GROUP_ID - g for g in range(groups)]
        await conn.executemany(
            "INSERT OR IGNORE INTO group_chats (chat_id, community_id, title, bound_by,"
            " bound_at, active) VALUES (?, ?, ?, ?, ?, 1)",
            [
                (g, cid, f"{COMPOUNDS[i % 4]}志愿者群{i + 1}", secretary_id, created)
                for i, g in enumerate(group_ids)
            ],
        )
        # tasks: most in the last twelve months, a tenth still to come
        task_rows = []
        for n in range(tasks_total):
            days = rng.randint(-360, -1) if n % 10 else rng.randint(1, 20)
            start = (now + timedelta(days=days)).replace(hour=rng.choice([9, 14, 19]), minute=0)
            task_rows.append(
                (
                    cid,
                    f"{rng.choice(TITLES)}（第{n + 1}期）",
                    rng.choice(CATEGORIES),
                    rng.choice([1, 2, 3, 5]),
                    _iso(start),
                    _iso(start + timedelta(hours=2)),
                    rng.choice([None, 10, 20, 40]),
                    rng.choice(COMPOUNDS) + f" {rng.randint(1, 30)}号楼",
                    "open",
                    f"seed{cid}x{n}",
                    secretary_id,
                    created,
                    created,
                    _iso(start + timedelta(hours=5)) if days < 0 else None,
                )
            )
        await conn.executemany(
            "INSERT INTO tasks (community_id, title, category, points, starts_at, ends_at,"
            " capacity, place, status, checkin_token, created_by, created_at, published_at,"
            " settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            task_rows,
        )
        cursor = await conn.execute(
            "SELECT id, starts_at, points, capacity, settled_at, title FROM tasks"
            " WHERE community_id = ?",
            (cid,),
        )
        signups, ledger = [], []
        for task_id, starts_at, points, capacity, settled, title in await cursor.fetchall():
            takers = rng.sample(everyone, min(len(everyone), capacity or 15))
            for seq, mid in enumerate(takers):
                if settled is None:
                    status = "joined"
                elif seq % 9 == 0:
                    status = "no_show"
                elif seq % 13 == 0:
                    status = "checked_in"  # waiting for review
                else:
                    status = "approved"
                served = starts_at if status in ("approved", "checked_in") else None
                signups.append((task_id, mid, status, starts_at, seq, served, starts_at))
                if status == "approved":
                    ledger.append((mid, cid, points, title, "task", task_id, starts_at))
        await conn.executemany(
            "INSERT INTO signups (task_id, member_id, status, queued_at, queue_seq,"
            " checked_in_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            signups,
        )
        for n, mid in enumerate(everyone[:: max(1, members // 200)]):
            at = _iso(now - timedelta(days=rng.randint(1, 360)))
            ledger.append((mid, cid, rng.choice([2, 3, 5, -1]), "社区表彰", "grant", None, at))
            if n % 5 == 0:
                ledger.append((mid, cid, -2, "毛巾", "redemption", None, at))
        await conn.executemany(
            "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
            " task_id, author_id, created_at, served_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
            [(*entry, entry[-1]) for entry in ledger],
        )
        # twelve months of reports, about 70% of those in service each month
        reports = []
        for back in range(12):
            first = (today.replace(day=1) - timedelta(days=back * 30)).replace(day=1)
            month = f"{first:%Y-%m}"
            at = _iso(datetime.combine(first + timedelta(days=24), time(20), TZ))
            reports += [
                (mid, month, at, "已报到，参加小区环境整治" if mid % 4 else "", "command")
                for mid in in_service
                if rng.random() < 0.7
            ]
        await conn.executemany(
            "INSERT OR IGNORE INTO monthly_reports (member_id, month, reported_at, note, source)"
            " VALUES (?, ?, ?, ?, ?)",
            reports,
        )
        await conn.executemany(
            "INSERT INTO rewards (community_id, name, cost, stock, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (cid, name, cost, 50, created, created)
                for name, cost in (("毛巾", 2), ("洗衣液", 5), ("电影票两张（某某影城）", 12))
            ],
        )
    await _liaisons(storage, cid, secretary_id)
    return Seeded(cid, members, len(in_service), group_ids, tasks_total)


async def _liaisons(storage: Storage, community_id: int, secretary_id: int) -> None:
    """The first units (the biggest employers among them) have a liaison each."""
    await storage.units.sync(community_id)
    rows = await storage.db.fetchall(
        "SELECT id FROM units WHERE community_id = ? ORDER BY id LIMIT ?",
        (community_id, LIAISONS),
    )
    for n, (unit_id,) in enumerate(rows):
        code = f"seed{unit_id:08d}"
        await storage.units.invite(unit_id, code, secretary_id)
        await storage.units.accept(
            code, FIRST_LIAISON_ID + n, f"联络人{n}", "zh_CN", datetime(2000, 1, 1, tzinfo=UTC)
        )


async def _main(database: Path, members: int, today: date) -> None:
    storage = await open_storage(str(database))
    try:
        seeded = await seed_community(storage, members, today=today)
    finally:
        await storage.close()
    print(
        f"community {seeded.community_id}: {seeded.members} members "
        f"({seeded.in_service} in service), {len(seeded.groups)} groups, {seeded.tasks} tasks"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--today", type=date.fromisoformat, default=datetime.now(TZ).date())
    args = parser.parse_args()
    asyncio.run(_main(args.database, args.members, args.today))
