"""The /mydata file: what is stored, with its times in the community's zone (17 Polish)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

# a moment as stored: ISO 8601 with an offset (UTC in the database)
_STORED_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)$"
)


def zone_label(tz: ZoneInfo, moment: datetime) -> str:
    """``Asia/Shanghai (UTC+08:00)``: the zone by name and its offset at ``moment``."""
    offset = moment.astimezone(tz).isoformat()[-6:]
    return f"{tz.key} (UTC{offset})"


def local_times(value: object, tz: ZoneInfo) -> object:
    """``value`` with every stored moment in it written in ``tz``, offset included
    (``2026-12-19T08:30:00+08:00``); dates, months and other text unchanged."""
    if isinstance(value, dict):
        return {key: local_times(item, tz) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [local_times(item, tz) for item in value]
    if isinstance(value, str) and _STORED_MOMENT.match(value):
        moment = datetime.fromisoformat(value)
        return moment.astimezone(tz).isoformat(timespec="seconds")
    return value


def export_json(export: dict[str, object], tz: ZoneInfo, now: datetime) -> bytes:
    """The file's bytes: which zone its times are in first (when it holds any), then
    everything, times local."""
    local = {key: local_times(item, tz) for key, item in export.items()}
    zone = {"time_zone": zone_label(tz, now)} if local != export else {}
    content = {**zone, **local}
    return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")
