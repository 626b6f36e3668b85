"""Enrollment rules: the fast-path form, member types, phone numbers."""

from __future__ import annotations

import re
import unicodedata

from bot.domain.forms import FormError, check_length, parse_form, simplified, strip_command
from bot.domain.messages import N_
from bot.domain.models import MemberType, Profile

NAME_LIMIT = 32
UNIT_LIMIT = 64
COMPOUND_LIMIT = 64

FIELD_ALIASES = {
    "name": "name",
    "姓名": "name",
    "名字": "name",
    "unit": "work_unit",
    "work unit": "work_unit",
    "work_unit": "work_unit",
    "单位": "work_unit",
    "工作单位": "work_unit",
    "type": "member_type",
    "member type": "member_type",
    "类型": "member_type",
    "身份": "member_type",
    "compound": "compound",
    "小区": "compound",
}

FIELD_LABELS = {
    "name": N_("enroll.field.name"),
    "work_unit": N_("enroll.field.work_unit"),
    "member_type": N_("enroll.field.member_type"),
    "compound": N_("enroll.field.compound"),
}

MEMBER_TYPE_LABELS = {
    MemberType.IN_SERVICE: N_("member_type.in_service"),
    MemberType.RESIDENT: N_("member_type.resident"),
    MemberType.VOLUNTEER: N_("member_type.volunteer"),
}

_TYPE_ALIASES = {
    "in-service": MemberType.IN_SERVICE,
    "in service": MemberType.IN_SERVICE,
    "in_service": MemberType.IN_SERVICE,
    "inservice": MemberType.IN_SERVICE,
    "在职": MemberType.IN_SERVICE,
    "在职党员": MemberType.IN_SERVICE,
    "resident": MemberType.RESIDENT,
    "社区党员": MemberType.RESIDENT,
    "居民党员": MemberType.RESIDENT,
    "volunteer": MemberType.VOLUNTEER,
    "志愿者": MemberType.VOLUNTEER,
}


def parse_member_type(value: str) -> MemberType:
    """The member type named in English or Chinese; FormError when unknown."""
    found = _TYPE_ALIASES.get(simplified(" ".join(value.lower().split())))
    if found is None:
        raise FormError(N_("enroll.error.member_type"), field="member_type")
    return found


_CJK_PREFIXES = ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")


def _is_cjk(text: str) -> bool:
    """True when every letter of ``text`` is Chinese, Japanese or Korean (and it has one)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith(_CJK_PREFIXES) for c in letters)


def name_from_telegram(first_name: str, last_name: str | None) -> str:
    """A person's name as they would write it, from Telegram's first and last name.

    Chinese (and Japanese, Korean) names are written family name first, without a space:
    first_name 建国 and last_name 李 make 李建国. Other names stay "First Last".
    """
    first = " ".join(first_name.split())
    last = " ".join((last_name or "").split())
    if not first or not last:
        return first or last
    if _is_cjk(first) and _is_cjk(last):
        return last + first
    return f"{first} {last}"


def check_name(value: str) -> str:
    """A member's name, trimmed; 1 to NAME_LIMIT characters."""
    return check_length("name", value, NAME_LIMIT, required=True)


def check_work_unit(value: str, member_type: MemberType) -> str:
    """The work unit; required for in-service members, whose unit sends them."""
    required = member_type is MemberType.IN_SERVICE
    return check_length("work_unit", value, UNIT_LIMIT, required=required)


def check_compound(value: str) -> str:
    """The residential compound; optional."""
    return check_length("compound", value, COMPOUND_LIMIT, required=False)


def parse_enrollment_form(text: str) -> Profile:
    """The profile in a one-message ``/enroll`` form, or FormError naming the bad field."""
    values = parse_form(strip_command(text), FIELD_ALIASES)
    name = check_name(values.get("name", ""))
    if not values.get("member_type"):
        raise FormError(N_("form.error.missing"), field="member_type")
    member_type = parse_member_type(values["member_type"])
    return Profile(
        name=name,
        work_unit=check_work_unit(values.get("work_unit", ""), member_type),
        member_type=member_type,
        compound=check_compound(values.get("compound", "")),
    )


def normalize_phone(raw: str) -> str | None:
    """Digits of a mainland mobile or any phone number, without +86; None if not a number.

    Written as people and spreadsheets write them: full-width digits, spaces, dashes, dots,
    brackets, ``+86``/``0086``, or a number cell that became ``13800001111.0``.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if text.endswith(".0"):
        text = text[:-2]
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not (digits.isascii() and digits.isdigit()):
        return None
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not 5 <= len(digits) <= 15:
        return None
    return digits
