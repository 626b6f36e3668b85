"""How long a full roster takes: reading a 20,000-row .xlsx with a title row (17.4), and
writing the sheet of 20,000 never-enrolled people (17.21). Prints figures; not a test.

    .venv/bin/python -m benchmarks.bench_roster [--rows N]
"""

from __future__ import annotations

import argparse
import io
import time

from openpyxl import Workbook

from bot.domain.enrollment import MEMBER_TYPE_LABELS
from bot.domain.models import MemberType, RosterEntry
from bot.domain.roster import MAX_ROWS
from bot.domain.roster_file import read_roster_file
from bot.i18n import Translations
from bot.views.spreadsheet import not_enrolled_sheet


def titled_roster(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["某某街道在职党员名册"])
    sheet.append(["序号", "姓名", "手机号码", "工作单位", "人员类型", "小区"])
    for n in range(rows):
        sheet.append([n + 1, f"成员{n:05d}", f"139{n:08d}", f"单位{n % 300}", "在职党员", "A区"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rows", type=int, default=MAX_ROWS, help="roster rows (default: the most)"
    )
    data = titled_roster(min(parser.parse_args().rows, MAX_ROWS))
    started = time.perf_counter()
    parsed = read_roster_file("名册.xlsx", data)
    read = time.perf_counter() - started
    print(f"read {len(parsed.rows)} rows ({len(data) / 1e6:.1f} MB .xlsx): {read:.2f} s")
    tr = Translations("zh_CN").get(None)
    entries = [
        RosterEntry(n, 1, r.name, r.phone, r.work_unit, MemberType.IN_SERVICE, r.compound, None)
        for n, r in enumerate(parsed.rows)
    ]
    types = {str(k): tr.plain(v) for k, v in MEMBER_TYPE_LABELS.items()}
    started = time.perf_counter()
    sheet = not_enrolled_sheet(tr, "田森社区 名册中尚未登记的人", entries, types)
    wrote = time.perf_counter() - started
    size = len(sheet) / 1e6
    print(f"wrote the 未登记 sheet of {len(entries)} people ({size:.1f} MB): {wrote:.2f} s")


if __name__ == "__main__":
    main()
