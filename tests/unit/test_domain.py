"""Pure rules: the enrollment form, phone numbers, deep links, roster CSV, paging."""

from __future__ import annotations

import pytest

from bot.domain.deeplinks import (
    COMMAND_LINKS,
    CommandLink,
    EnrollLink,
    UnknownLink,
    command_payload,
    enroll_payload,
    parse_start_payload,
)
from bot.domain.enrollment import normalize_phone, parse_enrollment_form
from bot.domain.forms import FormError
from bot.domain.models import MemberType
from bot.domain.paging import page_of
from bot.domain.roster import parse_roster_csv
from bot.views.menus import LIAISON_COMMANDS, MEMBER_COMMANDS, SECRETARY_COMMANDS


def test_form_in_chinese_with_full_width_colons() -> None:
    text = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员\n小区：A区"
    profile = parse_enrollment_form(text)
    assert profile.name == "张三" and profile.member_type is MemberType.IN_SERVICE
    assert (profile.work_unit, profile.compound) == ("市税务局", "A区")


def test_form_in_english_with_bot_mention_and_spacing() -> None:
    text = "/enroll@community_test_bot\n  Name :  Li   Si \nTYPE: Resident\n\n"
    profile = parse_enrollment_form(text)
    assert (profile.name, profile.member_type, profile.work_unit) == (
        "Li Si",
        MemberType.RESIDENT,
        "",
    )


@pytest.mark.parametrize(
    ("text", "key", "field"),
    [
        ("/enroll\ntype: volunteer", "form.error.missing", "name"),
        ("/enroll\nname: A", "form.error.missing", "member_type"),
        ("/enroll\nname: A\ntype: boss", "enroll.error.member_type", "member_type"),
        ("/enroll\nname: A\ntype: in-service", "form.error.missing", "work_unit"),
        ("/enroll\nname: A\nname: B\ntype: volunteer", "form.error.repeated", "name"),
        ("/enroll\nname A", "form.error.no_colon", ""),
        ("/enroll\nphone: 138", "form.error.unknown_key", ""),
        ("/enroll\nname: " + "长" * 33 + "\ntype: volunteer", "form.error.too_long", "name"),
    ],
)
def test_form_errors_name_the_field(text: str, key: str, field: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_enrollment_form(text)
    assert (caught.value.key, caught.value.field) == (key, field)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138-0000-1111", "13800001111"),
        ("8613800001111", "13800001111"),
        ("13800001111", "13800001111"),
        ("abc", None),
        ("12", None),
    ],
)
def test_phone_normalization(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_start_payloads() -> None:
    assert parse_start_payload(None) is None
    assert parse_start_payload(enroll_payload("abc123def456")) == EnrollLink("abc123def456")
    assert isinstance(parse_start_payload("c_"), UnknownLink)
    assert isinstance(parse_start_payload("c_<script>"), UnknownLink)
    assert isinstance(parse_start_payload("x" * 65), UnknownLink)


def test_17_15_command_links_run_only_listed_commands() -> None:
    assert parse_start_payload(command_payload("report") or "") == CommandLink("report")
    assert command_payload("forgetme") is None and command_payload("grant") is None
    assert parse_start_payload("do_forgetme") == UnknownLink(command=True)
    assert parse_start_payload("do_") == UnknownLink(command=True)
    ours = {name for name, _ in MEMBER_COMMANDS + SECRETARY_COMMANDS + LIAISON_COMMANDS}
    assert COMMAND_LINKS.issubset(ours)  # every command a link may run is one the bot has


def test_roster_csv_reports_every_bad_row_with_line_numbers() -> None:
    text = (
        "\ufeff姓名,手机,单位,类型,小区\n"
        "张三,13800001111,市税务局,在职党员,A区\n"
        ",13800001112,市税务局,在职党员,A区\n"
        "王五,not-a-phone,市税务局,在职党员,A区\n"
        "赵六,13800001111,区财政局,在职党员,B区\n"
        "\n"
        "钱七,13800001113,,志愿者,\n"
    )
    parsed = parse_roster_csv(text)
    assert [(e.line, e.error.key) for e in parsed.errors] == [
        (3, "form.error.missing"),
        (4, "roster.error.phone"),
        (5, "roster.error.duplicate_phone"),
    ]
    assert [r.name for r in parsed.rows] == ["张三", "钱七"]
    assert parsed.rows[1].member_type is MemberType.VOLUNTEER


def test_roster_csv_needs_name_and_phone_columns() -> None:
    parsed = parse_roster_csv("name,unit\nA,B\n")
    assert parsed.errors[0].error.params["columns"] == ("phone",)
    from bot.i18n import Translations
    from bot.views.roster_report import roster_errors

    assert "手机号" in roster_errors(Translations("zh_CN").get(None), parsed)[0]


def test_paging_clamps_stale_pages() -> None:
    assert page_of(0, 3, 20).number == 0
    page = page_of(45, 9, 20)
    assert (page.number, page.count, page.offset, page.has_next, page.has_prev) == (
        2,
        3,
        40,
        False,
        True,
    )


def test_17_11_the_newtask_help_example_is_ahead_and_understood_in_every_language() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from bot.domain.tasks import Category, example_params, parse_task_form
    from bot.i18n import Translations

    tz = ZoneInfo("Asia/Shanghai")
    translations = Translations("zh_CN")
    for days in range(0, 370, 17):  # any day of the year, Saturdays and year ends included
        now = datetime(2026, 12, 26, 10, tzinfo=tz) + timedelta(days=days)
        for tr in translations.all():
            help_text = tr("newtask.form_help", **example_params(now.date()))
            example = help_text.split("<code>")[1].split("</code>")[0]
            draft = parse_task_form(example, [Category(1, "文明实践", 5)], tz, now)
            assert timedelta(days=2) < draft.starts_at - now < timedelta(days=10), tr.locale


def test_dates_as_people_write_them() -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.domain.timeutil import parse_local_datetime, parse_local_time

    tz = ZoneInfo("Asia/Shanghai")
    sunday = date(2026, 11, 22)

    def read(text: str) -> str:
        moment = parse_local_datetime(text, tz, sunday)
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "—"

    assert read("明天上午9点") == "2026-11-23 09:00"
    assert read("11月28日 9:00") == "2026-11-28 09:00"
    assert read("11月28号上午十点") == "2026-11-28 10:00"
    assert read("周六上午") == "2026-11-28 09:00"
    assert read("下周三晚上7点半") == "2026-12-02 19:30"
    assert read("后天下午3点") == "2026-11-24 15:00"
    assert read("2026-11-28 09:00") == "2026-11-28 09:00"
    assert read("１１月２８日 ９:００") == "2026-11-28 09:00"
    assert read("明天") == "—" and read("随便") == "—"  # a day without a time is not enough
    assert parse_local_time("十一点半") is not None and parse_local_time("下午4点").hour == 16  # type: ignore[union-attr]


def test_newtask_form_reads_a_spoken_range() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.domain.tasks import Category, parse_task_form

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 22, 10, tzinfo=tz)
    form = "标题：巡逻\n类别：平安创建\n开始：周六下午2点到4点半\n地点：A区"
    draft = parse_task_form(form, [Category(1, "平安创建", 3)], tz, now)
    assert f"{draft.starts_at:%m-%d %H:%M}" == "11-28 14:00"
    assert f"{draft.ends_at:%H:%M}" == "16:30"
