"""Every parser against hostile input (Hypothesis): no crash; garbage refused, saying why.

A parser may only return a value or raise FormError; the FormError's message exists in every
catalog and renders with its parameters, and a field-level error names a field the user
can find in the form.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bot.domain import enrollment, tasks
from bot.domain.deeplinks import parse_start_payload
from bot.domain.enrollment import normalize_phone, parse_enrollment_form
from bot.domain.forms import FormError, FormErrors, check_length, printable, whole_number
from bot.domain.periods import FIRST_YEAR, LAST_YEAR, parse_month
from bot.domain.points import MAX_GRANT, parse_grant
from bot.domain.roster import HEADER_ROWS, header_column, parse_roster_csv
from bot.domain.roster_file import read_roster_file
from bot.domain.shop import parse_new_reward
from bot.domain.spoken_time import spoken_day
from bot.domain.tasks import Category, parse_category_args, parse_task_form
from bot.domain.timeutil import parse_local_datetime, parse_local_time
from bot.domain.units import GrantUnit, parse_quarter, parse_units_command, quarter_months
from bot.i18n import Translations
from bot.views import callbacks
from bot.views.spreadsheet import write_row
from bot.views.times import month_text, quarter_text

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)
CATEGORIES = [Category(1, "文明实践", 5), Category(2, "平安创建", 3)]
TRANSLATIONS = Translations("zh_CN")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text as people (and attackers) send it: any Unicode, with the characters forms care about
hostile = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(":：\n\r\t$=+-@<>&#²５٣\x00\x07\u202e ")),
    ),
    max_size=300,
)


def refused_clearly(error: FormError, fields: set[str]) -> None:
    """The refusal renders in every language, and names a known field when it has one
    (each of them, when a form had several problems)."""
    for one in error.errors if isinstance(error, FormErrors) else (error,):
        assert not one.field or one.field in fields, one.field
        for tr in TRANSLATIONS.all():
            assert one.key in tr.catalog, one.key
            assert tr(one.key, field="field", **one.params)  # every placeholder given


def form_lines(keys: list[str]) -> st.SearchStrategy[str]:
    """Forms whose keys are real (in any case, either colon) and whose values are hostile."""
    line = st.tuples(st.sampled_from(keys), st.sampled_from([":", "：", " : "]), hostile)
    return st.lists(line, max_size=9).map(
        lambda lines: "\n".join(f"{k}{sep}{v.replace(chr(10), ' ')}" for k, sep, v in lines)
    )


@FUZZ
@given(st.one_of(hostile, form_lines(list(enrollment.FIELD_ALIASES))))
@example("/enroll\nname: 张三\ntype: in-service")
@example("name:\x00\ntype: 在职党员")
def test_enroll_form(text: str) -> None:
    try:
        profile = parse_enrollment_form(text)
    except FormError as error:
        refused_clearly(error, set(enrollment.FIELD_LABELS))
        return
    assert profile.name and profile.name == printable(profile.name)
    assert len(profile.name) <= enrollment.NAME_LIMIT


han = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=3)
latin = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=1)


@FUZZ
@given(han, han)
@example("建国", "李")
@example("ひろし", "山田")
def test_17_12_chinese_telegram_names_read_family_name_first(first: str, last: str) -> None:
    """17.12: a CJK first_name/last_name pair becomes last + first, without a space."""
    assert enrollment.name_from_telegram(first, last) == last + first


@FUZZ
@given(latin, latin)
@example("Bob", "Smith")
def test_17_12_latin_telegram_names_stay_first_last(first: str, last: str) -> None:
    assert enrollment.name_from_telegram(first, last) == f"{first} {last}"


@FUZZ
@given(hostile, st.one_of(st.none(), hostile))
@example("建国", None)
@example("建国", "Li")
@example("  ", "李")
def test_17_12_any_telegram_name_keeps_both_parts(first: str, last: str | None) -> None:
    """Whatever Telegram holds, both parts are kept (spaces tidied), in one order or the other."""
    name = enrollment.name_from_telegram(first, last)
    given_, family = " ".join(first.split()), " ".join((last or "").split())
    expected = {f"{given_} {family}", family + given_} if given_ and family else {given_ or family}
    assert name in expected
    assert not name.startswith(" ") and "  " not in name


@FUZZ
@given(st.one_of(hostile, form_lines(list(tasks.FIELD_ALIASES))))
@example("title: 巡逻\ncategory: 平安创建\nstart: 2026-11-28 09:00\nend: 11:00\nplace: A区")
@example("title: x\ncategory: 0\npoints: ²\nstart: 11-28 9:00\nend: 2026-11-28 08:00\nplace: A")
def test_newtask_form(text: str) -> None:
    try:
        draft = parse_task_form(text, CATEGORIES, TZ, NOW)
    except FormError as error:
        refused_clearly(error, set(tasks.FIELD_LABELS))
        return
    assert draft.starts_at > NOW and draft.ends_at > draft.starts_at
    assert draft.category in {c.name for c in CATEGORIES}
    assert draft.capacity is None or draft.capacity >= 1


FULL_WIDTH = str.maketrans("0123456789:", "０１２３４５６７８９：")


def spoken_clock(hour: int, minute: int, style: str) -> str:
    """A time of day as a secretary types it: 9:00, 9：30, 上午9点, 下午2点半."""
    if style == "clock":
        return f"{hour}:{minute:02d}"
    part = "上午" if hour < 12 else "中午" if hour == 12 else "下午" if hour < 19 else "晚上"
    shown = hour - 12 if hour > 12 else hour
    return f"{part}{shown}点" + ("半" if minute == 30 else "")


@FUZZ
@given(
    offset=st.integers(min_value=1, max_value=27),
    hour=st.integers(min_value=7, max_value=20),
    hours=st.integers(min_value=1, max_value=3),
    minute=st.sampled_from([0, 30]),
    day_style=st.sampled_from(["月日", "号", "iso", "dash"]),
    clock_style=st.sampled_from(["clock", "spoken"]),
    separator=st.sampled_from(["到", "至", "-", "－", " - ", "~", "～", "—", "–"]),
    layout=st.sampled_from(["时间", "开始", "日期", "开始结束"]),
    full_width=st.booleans(),
    places=st.integers(min_value=1, max_value=1000),
    places_style=st.sampled_from(["{}", "{}人", "{} 人", "限{}人", "{}名"]),
    places_key=st.sampled_from(["名额", "人数", "capacity"]),
)
@example(0 + 5, 9, 2, 0, "月日", "clock", "-", "开始", True, 5, "{}人", "名额")  # 9：00-11：00
@example(3, 9, 2, 0, "号", "spoken", "到", "时间", False, 5, "{}人", "人数")  # 19号上午9点到11点
def test_17_11_a_task_time_as_a_secretary_types_it(
    offset: int,
    hour: int,
    hours: int,
    minute: int,
    day_style: str,
    clock_style: str,
    separator: str,
    layout: str,
    full_width: bool,
    places: int,
    places_style: str,
    places_key: str,
) -> None:
    """17.11: any day, time, range and capacity written the ways people write them is read
    as meant (时间 as a range, full-width colons and dashes, 19号, 5人)."""
    day = NOW.date() + timedelta(days=offset)
    day_text = {
        "月日": f"{day.month}月{day.day}日",
        "号": f"{day.day}号",
        "iso": f"{day:%Y-%m-%d}",
        "dash": f"{day.month}-{day.day}",
    }[day_style]
    first = spoken_clock(hour, minute, clock_style)
    last = spoken_clock(hour + hours, minute, clock_style)
    if full_width:
        first, last = first.translate(FULL_WIDTH), last.translate(FULL_WIDTH)
    when = {
        "时间": f"时间：{day_text} {first}{separator}{last}",
        "开始": f"开始：{day_text} {first}{separator}{last}",
        "日期": f"日期：{day_text}\n时间：{first}{separator}{last}",
        "开始结束": f"开始：{day_text} {first}\n结束：{last}",
    }[layout]
    text = (
        f"/newtask\n标题：楼道清理\n类别：文明实践\n{when}\n"
        f"{places_key}：{places_style.format(places)}\n地点：A区"
    )
    draft = parse_task_form(text, CATEGORIES, TZ, NOW)
    start = datetime.combine(day, time(hour, minute), TZ)
    assert (draft.starts_at, draft.ends_at) == (start, start + timedelta(hours=hours)), text
    assert draft.capacity == places


BROKEN = {  # a field, the line that breaks it, and the fields its problems name
    "title": ("标题：", {"title"}),
    "category": ("类别：跳舞", {"category"}),
    "points": ("积分：很多", {"points"}),
    "time": ("时间：随便哪天", {"time"}),
    "capacity": ("人数：好多人", {"capacity"}),
    "place": ("", {"place"}),
    "unknown": ("颜色：红", {""}),
}
GOOD = {
    "title": "标题：楼道清理",
    "category": "类别：文明实践",
    "points": "积分：5分",
    "time": "时间：明天上午9点到11点",
    "capacity": "人数：5人",
    "place": "地点：A区",
    "unknown": "",
}


@FUZZ
@given(st.sets(st.sampled_from(sorted(BROKEN)), min_size=1), st.randoms())
def test_17_11_every_problem_of_a_form_at_once(broken: set[str], order: Random) -> None:
    """17.11: a form with several bad lines is refused with every one of them, once each."""
    lines = [BROKEN[f][0] if f in broken else GOOD[f] for f in BROKEN]
    order.shuffle(lines)
    try:
        parse_task_form("/newtask\n" + "\n".join(lines), CATEGORIES, TZ, NOW)
    except FormError as error:
        problems = error.errors if isinstance(error, FormErrors) else (error,)
        refused_clearly(error, set(tasks.FIELD_LABELS))
    else:
        raise AssertionError("a broken form was accepted")
    expected = [name for f in sorted(broken) for name in sorted(BROKEN[f][1])]
    assert sorted(p.field for p in problems) == sorted(expected)


@FUZZ
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["号", "日", "號"]),
)
@example(date(2026, 11, 30), 31, "号")
@example(date(2026, 12, 20), 19, "号")
def test_17_11_a_day_of_the_month_alone(today: date, number: int, word: str) -> None:
    """17.11: 19号 is the next 19th from today (this month's, or a later month's)."""
    found, _ = spoken_day(f"{number}{word}上午", today)
    if not 1 <= number <= 31:
        assert found is None
        return
    if number <= 28:
        assert found is not None
    if found is not None:
        assert found.day == number and today <= found and (found - today).days < 93


@FUZZ
@given(hostile, st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
@example("2026-02-30 09:00", date(2026, 1, 1))
@example("12-31 23:59", date(9999, 12, 31))
@example("２０２６-１１-２８ ９:００", date(2026, 11, 1))
def test_dates(text: str, today: date) -> None:
    moment = parse_local_datetime(text, TZ, today)
    assert moment is None or moment.tzinfo is TZ
    clock = parse_local_time(text)
    assert clock is None or (0 <= clock.hour <= 23 and 0 <= clock.minute <= 59)


@FUZZ
@given(st.one_of(hostile, st.from_regex(r"\A[0-9０-９]{1,5}-[0-9]{1,3}\Z")))
@example("0000-01")
@example("0001-01")
@example("9999-12")
@example("2026-00")
@example("２０２６-１１")
def test_16_21_month(text: str) -> None:
    """A YYYY-MM the bot can hold, or a refusal that says which months are accepted."""
    try:
        month = parse_month(text)
    except FormError as error:
        refused_clearly(error, set())
        return
    year, number = (int(part) for part in month.split("-"))
    assert FIRST_YEAR <= year <= LAST_YEAR and 1 <= number <= 12
    assert parse_month(month) == month


@FUZZ
@given(
    st.sampled_from(["zh_CN", "zh_TW", "en"]),
    st.integers(FIRST_YEAR, LAST_YEAR),
    st.integers(1, 12),
)
def test_17_6_a_month_as_shown_is_read_back(locale: str, year: int, number: int) -> None:
    """17.6: what month_text prints (2026年12月, December 2026), parse_month reads back."""
    tr = TRANSLATIONS.get(locale)
    shown = month_text(tr, f"{year:04d}-{number:02d}")
    assert "-" not in shown
    assert parse_month(shown) == f"{year:04d}-{number:02d}"


@FUZZ
@given(
    st.sampled_from(["zh_CN", "zh_TW", "en"]),
    st.integers(FIRST_YEAR, LAST_YEAR),
    st.integers(1, 4),
)
def test_17_6_a_quarter_as_shown_is_read_back(locale: str, year: int, number: int) -> None:
    """17.6: what quarter_text prints (2026年第四季度, Q4 2026), parse_quarter reads back."""
    tr = TRANSLATIONS.get(locale)
    label = f"{year}-Q{number}"
    shown = quarter_text(tr, label)
    assert "-Q" not in shown
    quarter = parse_quarter(shown)
    assert quarter is not None and quarter.label == label


@FUZZ
@given(st.lists(hostile, max_size=6))
@example(["张三", "²", "好事"])
@example(["#²", "5", "x"])
@example(["#12", "+５", "好事"])
def test_grant(args: list[str]) -> None:
    try:
        readings = parse_grant(args)
    except FormError as error:
        refused_clearly(error, {"points", "reason"})
        return
    assert readings
    for grant in readings:
        assert grant.points != 0 and grant.reason
        assert (grant.member_id is None) != (grant.member_name == "")
    names = [len(g.member_name.split()) for g in readings]
    assert names == sorted(names, reverse=True)  # the longest name is tried first


word = st.text(st.characters(codec="utf-8", exclude_categories=("Z", "C")), min_size=1, max_size=8)


@FUZZ
@given(
    st.lists(word, min_size=1, max_size=4),
    st.integers(-MAX_GRANT, MAX_GRANT).filter(bool),
    st.lists(word, min_size=1, max_size=4),
)
@example(["Bob", "Smith"], 5, ["helped", "3", "neighbours"])
@example(["王", "5"], 3, ["好事"])
@example(["#５"], 3, ["好事"])
@example(["#0", "0"], 1, ["0"])
def test_16_15_grant_reads_the_whole_name(name: list[str], points: int, reason: list[str]) -> None:
    """Whatever the name's words (digits among them), one reading is exactly this name,
    these points and this reason; a name never swallows a #id."""
    words = [*name, f"{points:+d}" if points < 0 else str(points), *reason]
    if name[0].startswith("#") and whole_number(name[0][1:]) is not None:
        try:  # "#12 …" names a member by id: never read as a name
            assert all(g.member_id is not None for g in parse_grant(words))
        except FormError as error:
            refused_clearly(error, {"points", "reason"})
        return
    readings = parse_grant(words)
    wanted = (" ".join(name), points, " ".join(reason))
    assert wanted in [(g.member_name, g.points, g.reason) for g in readings]


@FUZZ
@given(st.lists(hostile, max_size=6))
@example(["毛巾", "²", "3"])
def test_reward_and_category(args: list[str]) -> None:
    try:
        name, cost, stock = parse_new_reward(args)
        assert name and cost >= 1 and stock >= 0
    except FormError as error:
        refused_clearly(error, {"name", "cost", "stock"})
    try:
        category, points = parse_category_args(args)
        assert category and points >= 1
    except FormError as error:
        refused_clearly(error, {"name", "points"})


@FUZZ
@given(hostile)
def test_numbers_and_text_fields(text: str) -> None:
    number = whole_number(text, signed=True)
    assert number is None or isinstance(number, int)
    try:
        cleaned = check_length("note", text, 200, required=False)
    except FormError as error:
        refused_clearly(error, {"note"})
    else:
        assert cleaned == printable(cleaned) and "\n" not in cleaned
    phone = normalize_phone(text)
    assert phone is None or (phone.isascii() and phone.isdigit() and 5 <= len(phone) <= 15)


ROSTER_HEADERS = ["姓名", "手机号", "单位", "类型", "小区", "name", "phone", "序号", "x"]


@FUZZ
@given(
    st.lists(
        st.lists(hostile.map(lambda t: t[:40]), max_size=6),
        max_size=8,
    ),
    st.lists(st.sampled_from(ROSTER_HEADERS), max_size=6),
)
def test_roster_rows(rows: list[list[str]], header: list[str]) -> None:
    text = "\n".join(",".join(cells) for cells in [header, *rows])
    parsed = parse_roster_csv(text)
    for row_error in parsed.errors:
        assert row_error.line >= 1
        refused_clearly(row_error.error, {"name", "phone", "work_unit", "member_type", "compound"})
    phones = [row.phone for row in parsed.rows]
    assert len(phones) == len(set(phones))


NAME_HEADERS = ["姓名", "姓 名", "*姓名", "姓名（必填）", "Name"]
PHONE_HEADERS = ["手机号", "手机号码", "联系电话", "电话", "手机号码(必填)", "Phone", "联系方式："]
OTHER_HEADERS = ["序号", "小区", "备注", ""]
title_cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters='\r\n\x00"'),
    max_size=30,
)
title_row = st.lists(title_cell, max_size=5).filter(
    lambda cells: not {"name", "phone"} <= {header_column(c) for c in cells}
)


def roster_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@FUZZ
@given(
    st.lists(title_row, max_size=HEADER_ROWS - 1),
    st.sampled_from(NAME_HEADERS),
    st.sampled_from(PHONE_HEADERS),
    st.lists(st.sampled_from(OTHER_HEADERS), max_size=3),
    st.randoms(use_true_random=False),
    st.lists(st.integers(0, 10**8 - 1), unique=True, max_size=6),
)
def test_17_4_headers_are_found_below_title_rows(
    titles: list[list[str]],
    name_header: str,
    phone_header: str,
    others: list[str],
    shuffle: random.Random,
    phones: list[int],
) -> None:
    """17.4: whatever title, note or blank rows come above it (within the first rows), the
    header row with the required columns, in any of the words people use, is the one read."""
    header = [name_header, phone_header, "工作单位", *others]
    shuffle.shuffle(header)
    data = []
    for number in phones:
        cells = {name_header: "张三", phone_header: f"139{number:08d}", "工作单位": "市税务局"}
        data.append([cells.get(h, "") for h in header])
    parsed = parse_roster_csv(roster_csv([*titles, header, *data]))
    assert parsed.errors == []
    assert [row.phone for row in parsed.rows] == [f"139{n:08d}" for n in phones]
    assert {row.name for row in parsed.rows} <= {"张三"}


@FUZZ
@given(st.lists(title_row, min_size=1, max_size=HEADER_ROWS + 3), st.booleans())
def test_17_4_no_header_row_is_refused_naming_the_row_read(
    titles: list[list[str]], header_too_late: bool
) -> None:
    """17.4: without a header row in the first rows the file is refused once, on the row read
    as the headers (one of the first rows), saying which columns it lacks."""
    rows = titles
    if header_too_late:  # the right headers, but below the rows where they are looked for
        padding = [["说明"]] * max(0, HEADER_ROWS - len(titles))
        rows = [*titles, *padding, ["姓名", "手机号"], ["张三", "13900001111"]]
    parsed = parse_roster_csv(roster_csv(rows))
    assert parsed.rows == [] and len(parsed.errors) == 1
    error = parsed.errors[0]
    if error.error.key == "roster.error.columns":
        assert 1 <= error.line <= HEADER_ROWS
        assert error.error.params["columns"] in {("name", "phone"), ("name",), ("phone",)}
    refused_clearly(error.error, set())


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["名册.csv", "名册.xlsx", "名册.xls", "x"]))
@example(b"PK\x03\x04garbage", "名册.xlsx")
@example("姓名,手机\n张三,13800001111\n".encode("gbk"), "名册.csv")
def test_roster_files(data: bytes, name: str) -> None:
    parsed = read_roster_file(name, data)
    for row_error in parsed.errors:
        refused_clearly(row_error.error, {"name", "phone", "work_unit", "member_type", "compound"})


CALLBACK_KINDS = [
    kind
    for kind in vars(callbacks).values()
    if isinstance(kind, type) and issubclass(kind, callbacks.Callback) and kind.PREFIX
]


@FUZZ
@given(
    st.one_of(
        hostile,
        st.tuples(st.sampled_from([k.PREFIX for k in CALLBACK_KINDS]), hostile).map(
            lambda pair: f"{pair[0]}:{pair[1]}"
        ),
    )
)
@example("t1:join:²")
@example("t1:join:٣")
@example("t1:join:" + "9" * 60)
def test_callback_data(data: str) -> None:
    for kind in CALLBACK_KINDS:
        parsed = kind.parse(data)
        if parsed is not None:
            assert parsed.pack() == data  # only exactly what the bot makes


@FUZZ
@given(st.data())
def test_callback_data_round_trips(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(CALLBACK_KINDS))
    instance = data.draw(st.builds(kind, **_field_strategies(kind)))
    packed = instance.pack()
    assert len(packed.encode()) <= 64
    assert kind.parse(packed) == instance


def _field_strategies(kind: type[callbacks.Callback]) -> dict[str, st.SearchStrategy[object]]:
    from dataclasses import fields
    from enum import StrEnum
    from typing import get_type_hints

    hints = get_type_hints(kind)
    found: dict[str, st.SearchStrategy[object]] = {}
    for item in fields(kind):
        hint = hints[item.name]
        if hint is int:
            found[item.name] = st.integers(min_value=0, max_value=10**12 - 1)
        elif isinstance(hint, type) and issubclass(hint, StrEnum):
            found[item.name] = st.sampled_from(list(hint))
        else:
            found[item.name] = st.from_regex(r"[0-9A-Za-z_-]{1,16}", fullmatch=True)
    return found


@FUZZ
@given(st.one_of(st.none(), hostile))
@example("c_" + "a" * 64)
@example("ci_../../etc")
def test_deep_link_payloads(payload: str | None) -> None:
    parse_start_payload(payload)  # a StartAction or None; never raises


@settings(max_examples=60, deadline=None)
@given(st.lists(hostile.map(lambda t: t[:200]), min_size=1, max_size=6))
@example(['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\x00\x07", "$5$"])
def test_any_text_reaches_a_sheet_as_text(values: list[str]) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    write_row(book.add_worksheet("x"), 0, values)
    book.close()
    for cell in load_workbook(buffer).active[1]:
        assert cell.data_type != "f"  # never a formula: text as it was written
        assert cell.value is None or isinstance(cell.value, str)


@settings(max_examples=8, deadline=None)
@given(st.lists(hostile.map(lambda t: t[:30]), min_size=1, max_size=3))
@example(["$", "a$b", r"\frac{1}{2}$x"])
def test_any_text_reaches_a_chart_and_a_pdf(labels: list[str]) -> None:
    from bot.charts import category_chart, record_pdf
    from tests.unit.test_charts import record_document

    assert category_chart(labels[0], [(label, 1) for label in labels], labels[-1]).startswith(
        b"\x89PNG"
    )
    assert record_pdf(record_document(labels[0], labels)).startswith(b"%PDF")


def test_a_utc_now_is_not_a_problem() -> None:
    # the forms compare with an aware "now" in any zone
    with_utc = NOW.astimezone(UTC)
    text = "title: 巡逻\ncategory: 平安创建\nstart: 2026-11-28 09:00\nend: 11:00\nplace: A区"
    assert parse_task_form(text, CATEGORIES, TZ, with_utc).starts_at.hour == 9


@FUZZ
@given(hostile)
@example("2026-Q3")
@example("２０２６年第三季度")
@example("1999q4")
def test_quarter(text: str) -> None:
    quarter = parse_quarter(text)
    if quarter is not None:
        assert (quarter.end_day.month - quarter.first_day.month) % 12 == 3
        assert parse_quarter(quarter.label) == quarter


@FUZZ
@given(st.lists(hostile, max_size=6))
@example(["merge", "5", "3"])
@example(["grant", "3", "20", "共建", "活动"])
@example(["加分", "3", "1001", "x"])
@example(["merge", "²", "3"])
def test_units_command(args: list[str]) -> None:
    try:
        command = parse_units_command(args)
    except FormError as error:
        refused_clearly(error, {"reason"})
        return
    if isinstance(command, GrantUnit):
        assert 1 <= command.points <= 1000 and command.reason == printable(command.reason)


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4))
def test_quarter_labels_round_trip(year: int, number: int) -> None:
    quarter = parse_quarter(f"{year}-Q{number}")
    assert quarter is not None and quarter.label == f"{year}-Q{number}"
    assert parse_quarter(f"{year}年第{'一二三四'[number - 1]}季度") == quarter
    assert len(quarter_months(quarter)) == 3
