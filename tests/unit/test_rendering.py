"""Drawing in worker processes: a dead worker does not break the drawings after it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest

from bot import rendering


def _drawing(text: str) -> bytes:
    return text.encode()


def _niceness() -> bytes:
    return str(os.nice(0)).encode()


def _worker_dies(text: str) -> bytes:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return text.encode()


@pytest.fixture(autouse=True)
def fresh_pool() -> Iterator[None]:
    rendering.close()
    yield
    rendering.close()


async def test_16_3_a_killed_worker_is_replaced_and_the_next_drawing_succeeds() -> None:
    """Issue 16.3: the workers are killed between two drawings; the next one still comes."""
    assert await rendering.render(_drawing, "one") == b"one"
    pool = rendering._pool
    assert pool is not None
    for process in list(pool._processes.values()):  # every worker: the pool is broken
        process.kill()
        process.join()
    assert await rendering.render(_drawing, "two") == b"two"
    assert rendering._pool is not pool


async def test_16_3_a_drawing_that_kills_its_worker_fails_alone() -> None:
    """Issue 16.3: a drawing whose worker dies (twice: it is tried once more) fails; the
    drawings after it do not."""
    with pytest.raises(BrokenProcessPool):
        await rendering.render(_worker_dies, "boom")
    assert await rendering.render(_drawing, "after") == b"after"


async def test_16_7_drawing_yields_the_cpu_to_the_bot() -> None:
    """Issue 16.7: the workers run at a lower priority than the bot, so on a busy machine the
    taps are answered while the charts are drawn, not after."""
    assert int(await rendering.render(_niceness)) == min(19, os.nice(0) + rendering.NICENESS)
