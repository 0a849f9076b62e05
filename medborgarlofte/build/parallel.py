"""`Workers`: the one way work runs on several cores, handed to the stages that keep one core busy for a second or
more at national scale (reading the kommun folders, encoding the data, rendering the pages and feeds).

Forked workers start with everything the build has already made, without copying it, so a task needs to hand over
only its result. Where there is no fork (Windows), or it is not safe because the process runs another thread (`serve`,
a test's browser), the tasks run here, one after another: the same results, in the same order, in more time.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from medborgarlofte.build.interrupt import checkpoint, in_worker

Item = TypeVar("Item")
Result = TypeVar("Result")
# Parts per worker: a worker done early takes another part, so both finish at about the same time.
PARTS_PER_WORKER = 4
# Whether this platform can fork: not Windows. On macOS forking is possible, though not Python's default.
FORK = "fork" in multiprocessing.get_all_start_methods()

WORKER_DIED = "en arbetsprocess avslutades oväntat, kanske för att minnet tog slut. Inget skrevs; försök igen."


class WorkerError(Exception):
    """A worker process died before its part was done; nothing of the build was written."""


class Workers:
    """Runs a task over many items, in forked workers (one per core) where `fork` allows it and no other thread
    runs, else here."""

    def __init__(self, fork: bool | None = None) -> None:
        self.fork = FORK if fork is None else fork

    def forking(self) -> bool:
        """A forked child gets a copy of every lock, also of one another thread holds, and that lock is never
        released: so work is forked only while no other thread runs."""
        return self.fork and threading.active_count() == 1

    def map(
        self,
        task: Callable[[Item], Result],
        items: Sequence[Item],
        minimum: int,
        together: Callable[[Item], str] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> list[Result]:
        """`task` of every item, in order; in forked workers when there are at least `minimum` items. `task` may be
        any callable (the workers inherit it, it is not pickled); its results are pickled. Items for which
        `together` gives the same key go to the same worker (see `_parts`). `meanwhile` is work of this process's own,
        done once while the workers run, since this process would otherwise only wait; where the tasks run here, it is
        done after them, as it may wait for something that runs beside them (Pagefind)."""
        cores = os.cpu_count() or 1
        if len(items) < minimum or cores == 1 or not self.forking():
            results = [_checked(task, item) for item in items]
            if meanwhile:
                meanwhile()
            return results
        parts = _parts(items, cores * PARTS_PER_WORKER, together)
        # Not multiprocessing.Pool: it replaces a worker that dies (killed, out of memory) and waits for ever for
        # the part that worker had; this pool reports it. The task and items reach the workers through the fork,
        # as the initializer's arguments, which a forked process is started with, not sent.
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(cores, mp_context=context, initializer=_start_worker, initargs=(task, items))
        try:
            running = pool.map(_run_part, parts)  # every worker forked: the pool's own thread runs from here on
            if meanwhile:
                meanwhile()
            results = list(running)
        except BrokenProcessPool as error:
            checkpoint()  # SIGTERM to the whole process group ends the workers first: the build was stopped
            raise WorkerError(WORKER_DIED) from error
        finally:
            pool.shutdown(cancel_futures=True)  # after a second Ctrl+C, the parts not yet begun are dropped
        checkpoint()
        ordered: list[Any] = [None] * len(items)
        for part, found in zip(parts, results, strict=True):
            for index, result in zip(part, found, strict=True):
                ordered[index] = result
        return ordered


def _parts(items: Sequence[Item], count: int, together: Callable[[Item], str] | None) -> list[list[int]]:
    """The items' indexes in `count` parts (fewer if there are fewer items or groups): every n-th item, or with
    `together`, every n-th group. Items of one kind come together (all pages, then the feeds), so parts of consecutive
    items would differ in cost, and a worker would be left alone with the dearest at the end. A group is what one
    worker should do all of: what a worker works out for one item of it (a kommun's summaries, its texts as HTML) is
    then worked out once, not once in each worker."""
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(together(item) if together else str(index), []).append(index)
    ordered = list(groups.values())
    count = min(count, len(ordered))
    return [[index for group in ordered[first::count] for index in group] for first in range(count)]


def _checked(task: Callable[[Item], Result], item: Item) -> Result:
    """One item done here, stopping first if a stop was asked for (a forked worker leaves that to the build)."""
    checkpoint()
    return task(item)


# What a worker process was started with (see `_start_worker`): set in the worker only, never in the build.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _start_worker(task: Callable[[Any], Any], items: Sequence[Any]) -> None:
    global _work
    _work = (task, items)
    in_worker()


def _run_part(indexes: list[int]) -> list[Any]:
    assert _work is not None
    task, items = _work
    return [task(items[index]) for index in indexes]
