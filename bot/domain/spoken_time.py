"""Dates and times as people write them in Chinese: 明天上午9点, 11月28日 9:00, 周六下午,
下周三晚上7点半, 9点到11点 — besides 2026-11-28 09:00.

No library reads these well (the general ones guess English first), and the forms people use
for a volunteer task are few: a day (today, tomorrow, a weekday, a month and day, a full
date), a part of the day, an hour (and minutes or 半).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta

_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# the hour a part of the day means on its own (周六上午 → 9:00), and how it shifts an hour
_PARTS = {
    "凌晨": (6, 0),
    "早上": (8, 0),
    "早晨": (8, 0),
    "上午": (9, 0),
    "中午": (12, 12),
    "下午": (14, 12),
    "傍晚": (18, 12),
    "晚上": (19, 12),
    "今晚": (19, 12),
}
_CHINESE_NUMBERS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
)
# 19号 or 19日 alone: a day of this month (or the next)
_DAY_OF_MONTH = re.compile(r"(?<![\d月/.-])(?P<d>\d{1,2})\s*[日号](?![\d楼])")
_WEEKDAY = re.compile(r"(?P<next>下个?|这个?|本)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天])")
_CLOCK = re.compile(
    r"(?P<H>\d{1,2})\s*(?:(?:[:：]\s*(?P<M>\d{2}))|点\s*(?:(?P<half>半)|(?P<M2>\d{1,2})\s*分?)?|时)"
)


# 到, 至, a tilde or a dash; a hyphen only after a time, or between an hour and a time
# (9:00-11:00, 9点-11点, 9-11点; 2026-11-28 and 11-28 9:00 are dates, not ranges)
_RANGE = re.compile(
    r"\s*(?:到|至|~|〜|—|–|(?<=[点分半])\s*-|(?<=\d:\d\d)\s*-"
    r"|(?<=\d)\s*-(?=\s*\d{1,2}\s*(?:[点时]|:\d\d)))\s*"
)

_BARE_HOUR = re.compile(r"(?<![\d:.\-/])\d{1,2}\s*$")
_END_UNIT = re.compile(r"\s*\d{1,2}\s*(?P<unit>[点时]|:\d\d)")

# Traditional characters of the words above, read as their Simplified forms
_TRADITIONAL = str.maketrans("點後週禮號時兩個", "点后周礼号时两个")


def _digits(text: str) -> str:
    """Full-width digits as ASCII, and 十一点 / 九点 written in characters as numbers."""
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)

    def number(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.startswith("十"):
            return str(10 + _CHINESE_NUMBERS.get(word[1:], 0))
        if "十" in word:
            tens, _, ones = word.partition("十")
            return str(_CHINESE_NUMBERS[tens] * 10 + _CHINESE_NUMBERS.get(ones, 0))
        return str(_CHINESE_NUMBERS[word])

    # only numbers before 点 or 时 (a weekday's 六 stays a weekday)
    return re.sub(r"[零一二两三四五六七八九十]{1,3}(?=\s*[点时])", number, text)


def spoken_day(text: str, today: date) -> tuple[date | None, str]:
    """The day ``text`` names (None if it names none) and the rest of the text."""
    text = text.translate(_TRADITIONAL)
    for word, offset in sorted(_DAY_WORDS.items(), key=lambda item: -len(item[0])):
        if word in text:
            return today + timedelta(days=offset), text.replace(word, " ", 1)
    match = _WEEKDAY.search(text)
    if match:
        weekday = _WEEKDAYS[match["w"]]
        ahead = (weekday - today.weekday()) % 7
        if match["next"] and match["next"].startswith("下"):
            ahead = ahead + 7 if ahead else 7  # 下周三: the one in next week
        day = today + timedelta(days=ahead)
        return day, text[: match.start()] + " " + text[match.end() :]
    match = _DATE.search(text)
    if match:
        year = int(match["y"]) if match["y"] else today.year
        try:
            day = date(year, int(match["m"]), int(match["d"]))
        except ValueError:
            return None, text
        if not match["y"] and day < today:
            try:
                day = day.replace(year=year + 1)
            except ValueError:
                return None, text
        return day, text[: match.start()] + " " + text[match.end() :]
    match = _DAY_OF_MONTH.search(text)
    if match:
        found = _next_day_of_month(int(match["d"]), today)
        return found, text[: match.start()] + " " + text[match.end() :]
    return None, text


def _next_day_of_month(number: int, today: date) -> date | None:
    """19号: the next 19th from ``today`` on (this month's, or a later month's)."""
    year, month = today.year, today.month
    for _ in range(3):  # the 31st may skip a month or two
        try:
            day = date(year, month, number)
        except ValueError:
            day = None
        if day is not None and day >= today:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if year > 9999:
            return None
    return None


def spoken_time(text: str) -> time | None:
    """The time of day in ``text`` (下午3点 is 15:00, 周六上午 alone is 9:00); None if none."""
    text = _digits(text)
    part = next((p for p in sorted(_PARTS, key=len, reverse=True) if p in text), None)
    match = _CLOCK.search(text)
    if match is None:
        return time(_PARTS[part][0]) if part else None
    hour = int(match["H"])
    minute = 30 if match["half"] else int(match["M"] or match["M2"] or 0)
    if part and hour < 12:
        hour += _PARTS[part][1]
        if part == "中午" and hour >= 24:
            hour -= 12
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def split_range(text: str) -> tuple[str, str | None]:
    """``明天9点到11点`` → (``明天9点``, ``11点``): a start and, when given, an end.

    Full-width colons and dashes read as ASCII ones (9：00－11：00), as people type them.
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    parts = _RANGE.split(text, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        start, end = parts
        unit = _END_UNIT.match(end)
        if unit and _BARE_HOUR.search(start):  # 9-11点, 上午9到11点: the start is 9点
            start = start.rstrip() + (unit["unit"] if unit["unit"] in "点时" else ":00")
        return start, end
    return text, None
