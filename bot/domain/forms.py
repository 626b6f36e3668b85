"""The one-message fast-path forms: ``key: value`` lines with English or Chinese keys."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import ParamSpec, TypeVar

from bot.domain.messages import N_

P = ParamSpec("P")
T = TypeVar("T")


class FormError(Exception):
    """What is wrong with a form: a message key, the field it concerns and details."""

    def __init__(self, key: str, field: str = "", params: Mapping[str, object] | None = None):
        super().__init__(key, field)
        self.key = key
        self.field = field
        self.params: Mapping[str, object] = params or {}


class FormErrors(FormError):
    """Every problem of one form, told at once (it reads as its first one where a single
    error is expected)."""

    def __init__(self, errors: Sequence[FormError]):
        first = errors[0]
        super().__init__(first.key, first.field, first.params)
        self.errors: tuple[FormError, ...] = tuple(errors)


class Problems:
    """The problems found so far in a form: each check runs, and what fails is kept."""

    def __init__(self, errors: Sequence[FormError] = ()) -> None:
        self.errors: list[FormError] = list(errors)

    def check(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """``check(...)``, or None (and the problem kept) when it raises FormError."""
        try:
            return check(*args, **kwargs)
        except FormErrors as errors:
            self.errors.extend(errors.errors)
        except FormError as error:
            self.errors.append(error)
        return None

    def raise_any(self) -> None:
        """FormErrors with every problem, if there is one."""
        if self.errors:
            raise FormErrors(self.errors)


def strip_command(text: str) -> str:
    """The text after a leading ``/command`` (with or without ``@botname``)."""
    stripped = text.lstrip()
    if not stripped.startswith("/"):
        return stripped
    parts = stripped.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


# The Traditional characters of the form's keys, member types and default categories, so a
# member who writes 單位：稅務局 or 身份：在職黨員 is understood (no converter needed for these).
_TRADITIONAL = str.maketrans(
    "單類區職黨員願標題別積開結額點稱實踐論講環愛幫創內號碼時間數動務",
    "单类区职党员愿标题别积开结额点称实践论讲环爱帮创内号码时间数动务",
)


def simplified(text: str) -> str:
    """``text`` with the Traditional characters the forms know read as Simplified."""
    return text.translate(_TRADITIONAL)


def read_form(body: str, aliases: Mapping[str, str]) -> tuple[dict[str, str], Problems]:
    """Read ``key: value`` lines (``:`` or ``：``) into canonical field names, and the
    problems of the lines that could not be read (every one, not the first).

    ``aliases`` maps every accepted key, lower-case, to its field name. Blank lines are
    skipped; a line without a colon, an unknown key or a repeated field is a problem.
    """
    values: dict[str, str] = {}
    problems = Problems()
    for raw_line in body.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        key, sep, value = line.replace("：", ":", 1).partition(":")
        if not sep:
            problems.errors.append(FormError(N_("form.error.no_colon"), params={"line": line[:40]}))
            continue
        name = aliases.get(simplified(" ".join(key.lower().split())))
        if name is None:
            error = FormError(N_("form.error.unknown_key"), params={"key": key.strip()[:40]})
            problems.errors.append(error)
        elif name in values:
            problems.errors.append(FormError(N_("form.error.repeated"), field=name))
        else:
            values[name] = value.strip()
    return values, problems


def parse_form(body: str, aliases: Mapping[str, str]) -> dict[str, str]:
    """:func:`read_form`, raising :class:`FormErrors` when a line could not be read."""
    values, problems = read_form(body, aliases)
    problems.raise_any()
    return values


def whole_number(raw: str, signed: bool = False) -> int | None:
    """``raw`` as a whole number (full-width digits as people type them: ５ is 5), or None.
    Only 0-9 count: ``isdigit()`` would take ², which ``int()`` then refuses."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if signed and text.startswith(("+", "-")):
        sign, text = (-1 if text[0] == "-" else 1), text[1:]
    else:
        sign = 1
    if not text or len(text) > 12 or not (text.isascii() and text.isdigit()):
        return None
    return sign * int(text)


def printable(value: str) -> str:
    """``value`` without control characters (a NUL or a bell breaks sheets and PDFs)."""
    if value.isprintable():  # nearly always: checked in C, no copy
        return value
    return "".join(ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")


def check_length(field_name: str, value: str, limit: int, *, required: bool) -> str:
    """``value`` trimmed, spaces folded, control characters dropped; FormError if empty
    (when required) or longer than ``limit``."""
    cleaned = " ".join(printable(value).split())
    if required and not cleaned:
        raise FormError(N_("form.error.missing"), field=field_name)
    if len(cleaned) > limit:
        raise FormError(N_("form.error.too_long"), field=field_name, params={"limit": limit})
    return cleaned
