"""`Workers`: the one way work runs in parallel. Where there is no fork (Windows), or it is not safe, the tasks
run in this process, in order, with the same results."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO

from medborgarlofte.build import parallel
from medborgarlofte.build.parallel import Workers


def test_where_there_is_no_fork_the_tasks_run_here_in_order(monkeypatch) -> None:
    """Windows has no fork: with the one switch off, the workers' tasks run in this process (on Linux, with no other
    thread, they would otherwise be forked)."""
    monkeypatch.setattr(parallel, "FORK", False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    here = os.getpid()
    assert Workers().map(lambda n: (n, os.getpid()), range(10), minimum=1) == [(n, here) for n in range(10)]
    assert Workers(fork=False).map(lambda n: (n, os.getpid()), range(10), minimum=1) == [(n, here) for n in range(10)]


FORKED = """
import os, threading
from medborgarlofte.build import parallel
lock = threading.Lock()
found = parallel.Workers().map(lambda n: (n * n, os.getpid(), lock.locked()), range(20), minimum=1)
assert [square for square, _, _ in found] == [n * n for n in range(20)], found
assert {pid for _, pid, _ in found} - {os.getpid()}, "nothing ran in a worker"
assert parallel._work is None, "the build's own module state was set"
print("ok")
"""


@pytest.mark.posix
def test_forked_workers_inherit_the_task_and_give_results_in_order() -> None:
    """The task is a closure over something no pickle can carry (a lock): the workers inherit it through the fork.
    In a process of its own, since the test session may run other threads, and then nothing is forked."""
    done = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


TOGETHER = """
import os
from medborgarlofte.build import parallel
found = parallel.Workers().map(lambda n: (n, os.getpid()), range(40), minimum=1, together=lambda n: str(n % 5))
assert [n for n, _ in found] == list(range(40)), found
workers = {n % 5: set() for n in range(40)}
for n, pid in found:
    workers[n % 5].add(pid)
assert all(len(pids) == 1 for pids in workers.values()), workers
assert set.union(*workers.values()) - {os.getpid()}, "nothing ran in a worker"
print("ok")
"""


@pytest.mark.posix
def test_items_that_belong_together_go_to_one_worker() -> None:
    """A kommun's pages, search documents and feed are rendered by one worker, which then works out the kommun's
    summaries once: items with the same key run in the same process, the results still in order."""
    done = subprocess.run([sys.executable, "-c", TOGETHER], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_parts_hold_whole_groups_and_every_item_once() -> None:
    parts = parallel._parts(list(range(30)), 8, together=lambda n: str(n // 10))
    assert sorted(len(part) for part in parts) == [10, 10, 10]
    assert sorted(index for part in parts for index in part) == list(range(30))
    assert parallel._parts(list(range(30)), 8, together=None) == [list(range(f, 30, 8)) for f in range(8)]


def test_meanwhile_is_done_here_once_after_the_tasks_where_nothing_forks() -> None:
    """After, not before: the build's `meanwhile` may wait for Pagefind, which runs beside the tasks."""
    done: list[int] = []
    found = Workers(fork=False).map(
        lambda n: (n, len(done)), range(3), minimum=1, meanwhile=lambda: done.append(os.getpid())
    )
    assert done == [os.getpid()]
    assert found == [(0, 0), (1, 0), (2, 0)]


MEANWHILE = """
import os, time
from medborgarlofte.build import parallel
def task(n):
    time.sleep(0.5)
    return os.getpid(), time.monotonic()
done = []
meanwhile = lambda: done.append((os.getpid(), time.monotonic()))
found = parallel.Workers().map(task, range(4), minimum=1, meanwhile=meanwhile)
assert [pid for pid, _ in done] == [os.getpid()], done
assert done[0][1] < min(finished for _, finished in found), "meanwhile waited for the tasks"
assert {pid for pid, _ in found} - {os.getpid()}, "nothing ran in a worker"
print("ok")
"""


@pytest.mark.posix
def test_meanwhile_is_done_here_once_while_the_forked_workers_run() -> None:
    """The build compiles the templates while the kommun folders are read: in this process, once, before the
    workers are done."""
    done = subprocess.run([sys.executable, "-c", MEANWHILE], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
