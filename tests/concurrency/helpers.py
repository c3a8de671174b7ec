"""Run one action from many threads at once, bounded in count and time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
DEADLINE_SECONDS = 120


def together(count: int, action: Callable[[int], T]) -> list[T]:
    """Call action(0..count-1) from `count` threads released at the same moment; all results."""
    barrier = threading.Barrier(count, timeout=DEADLINE_SECONDS)

    def run(i: int) -> T:
        barrier.wait()
        return action(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run, i) for i in range(count)]
        return [f.result(timeout=DEADLINE_SECONDS) for f in futures]
