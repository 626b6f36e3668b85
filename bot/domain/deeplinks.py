"""``/start`` payloads carried by deep links (``t.me/<bot>?start=<payload>``)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# Telegram allows A-Z, a-z, 0-9, _ and - in a start payload, up to 64 characters.
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CODE = re.compile(r"^[A-Za-z0-9]{6,32}$")

ENROLL_PREFIX = "c_"
ENROLL_ANY = "enroll"
REPORT_PAYLOAD = "report"
CHECKIN_PREFIX = "ci_"
VERIFY_PREFIX = "v_"
LIAISON_PREFIX = "u_"
COMMAND_PREFIX = "do_"  # not c_: c_ and a code of letters is an enrollment link
# Commands a link may run: they take no arguments, or start a guided flow. Nothing that acts
# at once on others (/remind), destroys (/forgetme) or needs words to mean anything (/grant).
COMMAND_LINKS = frozenset(
    {
        "report", "tasks", "mytasks", "points", "rank", "rewards", "record", "object",
        "wish", "mywishes", "enroll", "mydata", "privacy", "lang", "help", "unitreport",
        "newtask", "review", "unreported", "summary", "export", "stats", "redemptions",
        "objections", "wishes", "units", "members", "community", "poster", "category",
    }
)  # fmt: skip
_NUMBER = re.compile(r"^[0-9A-F]{8,20}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


@dataclass(frozen=True)
class EnrollLink:
    """Enroll, into the community with this code (or the one the member picks when None)."""

    community_code: str | None


@dataclass(frozen=True)
class CheckInLink:
    """Check in to the task whose secret check-in token this is (its QR code)."""

    token: str


@dataclass(frozen=True)
class VerifyLink:
    """Is the service record printed with this number genuine?"""

    number: str


@dataclass(frozen=True)
class LiaisonLink:
    """Become the liaison of the work unit this invitation was made for."""

    code: str


@dataclass(frozen=True)
class ReportLink:
    """File this month's 回家日 report."""


@dataclass(frozen=True)
class CommandLink:
    """Run this command, as if typed in the private chat (the button under "private only")."""

    command: str


@dataclass(frozen=True)
class UnknownLink:
    """A payload we cannot read (mistyped, forged or from an older version); ``command``
    when it asked for a command no link may run."""

    command: bool = False


StartAction = (
    EnrollLink
    | CheckInLink
    | ReportLink
    | VerifyLink
    | LiaisonLink
    | CommandLink
    | UnknownLink
    | None
)


def new_code() -> str:
    """A fresh, unguessable code for a deep link."""
    return secrets.token_hex(6)


def enroll_payload(community_code: str) -> str:
    """The payload that enrolls into a community."""
    return f"{ENROLL_PREFIX}{community_code}"


def deep_link(bot_username: str, payload: str) -> str:
    """The t.me link that opens the bot's private chat with ``/start payload``."""
    return f"https://t.me/{bot_username}?start={payload}"


def parse_start_payload(payload: str | None) -> StartAction:
    """What a ``/start`` payload asks for; None when there is none."""
    if not payload:
        return None
    if not _PAYLOAD.match(payload):
        return UnknownLink()
    if payload == ENROLL_ANY:
        return EnrollLink(None)
    if payload == REPORT_PAYLOAD:
        return ReportLink()
    if payload.startswith(CHECKIN_PREFIX) and _TOKEN.match(payload[len(CHECKIN_PREFIX) :]):
        return CheckInLink(payload[len(CHECKIN_PREFIX) :])
    if payload.startswith(VERIFY_PREFIX) and _NUMBER.match(payload[len(VERIFY_PREFIX) :]):
        return VerifyLink(payload[len(VERIFY_PREFIX) :])
    if payload.startswith(LIAISON_PREFIX) and _TOKEN.match(payload[len(LIAISON_PREFIX) :]):
        return LiaisonLink(payload[len(LIAISON_PREFIX) :])
    if payload.startswith(COMMAND_PREFIX):
        command = payload[len(COMMAND_PREFIX) :]
        return CommandLink(command) if command in COMMAND_LINKS else UnknownLink(command=True)
    if payload.startswith(ENROLL_PREFIX) and _CODE.match(payload[len(ENROLL_PREFIX) :]):
        return EnrollLink(payload[len(ENROLL_PREFIX) :])
    return UnknownLink()


def command_payload(command: str) -> str | None:
    """The payload that runs ``command`` in the private chat; None when no link may run it."""
    return f"{COMMAND_PREFIX}{command}" if command in COMMAND_LINKS else None


def checkin_payload(token: str) -> str:
    """The payload of a task's QR code."""
    return f"{CHECKIN_PREFIX}{token}"


def verify_payload(number: str) -> str:
    """The payload that checks a printed service record."""
    return f"{VERIFY_PREFIX}{number}"


def liaison_payload(code: str) -> str:
    """The payload of a unit liaison's invitation."""
    return f"{LIAISON_PREFIX}{code}"
