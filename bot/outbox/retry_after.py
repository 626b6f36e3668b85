"""Telegram's ``retry_after``, in seconds."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning


def seconds_of(error: RetryAfter) -> float:
    """``retry_after`` in seconds (PTB 22 warns that it will become a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = error.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)
