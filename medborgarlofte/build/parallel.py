"""Forked workers for the stages that keep one core busy for a second or more at national scale: reading the kommun
folders, encoding the data and rendering the pages and feeds.

Forked workers start with everything the build has already made, without copying it, so a task needs to hand over
only its result. Where there is no fork (Windows), or it is not safe because the process runs another thread (`serve`,
a test's browser), the tasks run here, one after another: the same results, in the same order, in more time.
Whether to fork is decided in one place, `forking`.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from medborgarlofte.build.interrupt import checkpoint

Item = TypeVar("Item")
Result = TypeVar("Result")
# Parts per worker: a worker done early takes another part, so both finish at about the same time.
PARTS_PER_WORKER = 4
_task: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()
# Whether this platform can fork: not Windows. On macOS forking is possible, though not Python's default.
FORK = "fork" in multiprocessing.get_all_start_methods()


WORKER_DIED = "en arbetsprocess avslutades oväntat, kanske för att minnet tog slut. Inget skrevs; försök igen."


class WorkerError(Exception):
    """A worker process died before its part was done; nothing of the build was written."""


def forked_map(task: Callable[[Item], Result], items: Sequence[Item], minimum: int) -> list[Result]:
    """`task` of every item, in order; in forked workers, one per core, when there are at least `minimum` items.
    `task` may be any callable (it is not pickled, the workers inherit it); its results are pickled."""
    workers = os.cpu_count() or 1
    if len(items) < minimum or workers == 1 or not forking():
        return [task(item) for item in items]
    global _task, _items
    _task, _items = task, items
    # Every n-th item in a part: items of one kind come together (all pages, then the feeds), so parts of consecutive
    # items would differ in cost, and a worker would be left alone with the dearest at the end.
    count = min(len(items), workers * PARTS_PER_WORKER)
    parts = [range(first, len(items), count) for first in range(count)]
    # Not multiprocessing.Pool: it replaces a worker that dies (killed, out of memory) and waits for ever for the
    # part that worker had; this pool reports it.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_signals)
    try:
        results = list(pool.map(_run_part, parts))
    except BrokenProcessPool as error:
        checkpoint()  # SIGTERM to the whole process group ends the workers first: the build was stopped
        raise WorkerError(WORKER_DIED) from error
    finally:
        pool.shutdown(cancel_futures=True)  # after a second Ctrl+C, the parts not yet begun are dropped
        _task, _items = None, ()
    checkpoint()
    ordered: list[Any] = [None] * len(items)
    for part, found in zip(parts, results, strict=True):
        for index, result in zip(part, found, strict=True):
            ordered[index] = result
    return ordered


def forking() -> bool:
    """Whether work may go to forked processes: only where fork exists, and only while no other thread runs, since a
    forked child gets a copy of every lock, also of one another thread holds, and that lock is never released."""
    return FORK and threading.active_count() == 1


def _run_part(indexes: range) -> list[Any]:
    assert _task is not None
    return [_task(_items[index]) for index in indexes]


def _worker_signals() -> None:
    """A worker ends at once on SIGTERM (sent to the whole process group when a job is stopped), and leaves Ctrl+C to
    the build (interrupt.py), instead of inheriting the build's handlers, which only note a signal."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
