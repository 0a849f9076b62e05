"""`forked_map`: the one way work runs in parallel. Where there is no fork (Windows), or it is not safe, the tasks
run in this process, in order, with the same results."""

from __future__ import annotations

import os

from medborgarlofte.build import parallel
from medborgarlofte.build.parallel import forked_map


def test_where_there_is_no_fork_the_tasks_run_here_in_order(monkeypatch) -> None:
    """Windows has no fork: with the one switch off, the workers' tasks run in this process (on Linux, with no other
    thread, they would otherwise be forked)."""
    monkeypatch.setattr(parallel, "FORK", False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    here = os.getpid()
    assert forked_map(lambda n: (n, os.getpid()), range(10), minimum=1) == [(n, here) for n in range(10)]
