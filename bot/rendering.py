"""Charts, sheets and PDFs are drawn in worker processes, not threads.

matplotlib and openpyxl are mostly Python: in a thread they hold the GIL and the event loop
(everyone else's taps) waits. A small process pool, started on first use and shared by the
process, draws instead; the event loop only waits for the bytes. A worker that dies (killed
for memory, say) breaks the whole pool: the next drawing starts a new pool and tries once more.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

logger = logging.getLogger(__name__)

WORKERS = 2
# Drawing yields the CPU to the bot's own process: taps are answered first, charts come after.
NICENESS = 10
_pool: ProcessPoolExecutor | None = None


def _yield_cpu() -> None:
    """In each worker, first: a lower priority than the bot's (where the OS has them)."""
    if hasattr(os, "nice"):
        os.nice(NICENESS)


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn: a fresh interpreter, never a fork of a process with threads running
        _pool = ProcessPoolExecutor(
            WORKERS,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_yield_cpu,
        )
    return _pool


def _discard(broken: ProcessPoolExecutor) -> None:
    """Forget a broken pool (once, however many drawings it failed); the next use starts one."""
    global _pool
    if _pool is broken:
        _pool = None
        logger.warning("a drawing worker died; starting the workers again")
    broken.shutdown(wait=False, cancel_futures=True)


async def render(draw: Callable[..., bytes], *args: Any) -> bytes:
    """``draw(*args)`` in a worker process (``draw`` and its arguments must pickle); on a
    broken pool, once more in a new one."""
    loop = asyncio.get_running_loop()
    pool = _executor()
    try:
        return await loop.run_in_executor(pool, draw, *args)
    except BrokenProcessPool:
        _discard(pool)
    return await loop.run_in_executor(_executor(), draw, *args)


@atexit.register
def close() -> None:
    """Stop the workers (they start again on the next use)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
