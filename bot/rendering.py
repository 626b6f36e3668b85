"""Charts, sheets and PDFs are drawn in worker processes, not threads.

matplotlib and openpyxl are mostly Python: in a thread they hold the GIL and the event loop
(everyone else's taps) waits. A small process pool, started on first use and shared by the
process, draws instead; the event loop only waits for the bytes.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

WORKERS = 2
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn: a fresh interpreter, never a fork of a process with threads running
        _pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"))
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


async def render(draw: Callable[..., bytes], *args: Any) -> bytes:
    """``draw(*args)`` in a worker process (``draw`` and its arguments must pickle)."""
    return await asyncio.get_running_loop().run_in_executor(_executor(), draw, *args)


def close() -> None:
    """Stop the workers (they start again on the next use)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
