"""`in_background`: work done in a forked, low-priority process while the build goes on (the feeds, while Pagefind
indexes the pages). It must run at the lowest priority, be waited for, be stopped when the build fails, report a
process that died, and run in-process where forking is not safe or not possible (Windows), as the workers' tasks do.

The forking cases run in a process of their own: the test session may run other threads (a browser test's server),
and then nothing is forked."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO

from medborgarlofte import parallel
from medborgarlofte.parallel import forked_map, in_background

PRELUDE = """
import os, signal, sys, time
from pathlib import Path
from medborgarlofte.parallel import WORKER_DIED, WorkerError, in_background
folder = Path(sys.argv[1])
"""


def _run(script: str, folder: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + script, str(folder)], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.posix
def test_the_task_runs_in_another_process_at_the_lowest_priority_and_is_waited_for(tmp_path: Path) -> None:
    script = """
def task():
    time.sleep(0.3)
    (folder / "klar").write_text(f"{os.getpid()} {os.nice(0)}")
with in_background(task):
    assert not (folder / "klar").exists()
pid, niceness = (folder / "klar").read_text().split()
print(int(pid) != os.getpid(), niceness)
"""
    assert _run(script, tmp_path) == "True 19"


@pytest.mark.posix
def test_a_failure_in_the_block_stops_the_task(tmp_path: Path) -> None:
    script = """
def task():
    (folder / "startad").write_text(str(os.getpid()))
    time.sleep(60)
try:
    with in_background(task):
        while not (folder / "startad").is_file() or not (folder / "startad").read_text():
            time.sleep(0.01)
        raise RuntimeError("bygget misslyckades")
except RuntimeError as error:
    print(error)
try:
    os.kill(int((folder / "startad").read_text()), 0)
    print("lever")
except ProcessLookupError:
    print("borta")
"""
    assert _run(script, tmp_path).splitlines() == ["bygget misslyckades", "borta"]


@pytest.mark.posix
def test_a_task_that_dies_fails_in_swedish(tmp_path: Path) -> None:
    """As the kernel ends a process that takes too much memory."""
    script = """
try:
    with in_background(lambda: os.kill(os.getpid(), signal.SIGKILL)):
        pass
except WorkerError as error:
    print(str(error) == WORKER_DIED)
"""
    assert _run(script, tmp_path) == "True"


def test_where_another_thread_runs_the_task_runs_here_when_the_block_ends() -> None:
    """`serve` has a server thread: forking then could copy a lock held by it, so nothing is forked."""
    ran: list[int] = []
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with in_background(lambda: ran.append(os.getpid())):
            assert ran == []
    finally:
        stop.set()
        other.join()
    assert ran == [os.getpid()]


def test_where_there_is_no_fork_the_tasks_run_here_in_order(monkeypatch) -> None:
    """Windows has no fork: with the one switch off, the workers' tasks and the background task run in this
    process (on Linux, with no other thread, they would otherwise be forked)."""
    monkeypatch.setattr(parallel, "FORK", False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    here = os.getpid()
    assert forked_map(lambda n: (n, os.getpid()), range(10), minimum=1) == [(n, here) for n in range(10)]
    ran: list[int] = []
    with in_background(lambda: ran.append(os.getpid())):
        assert ran == []
    assert ran == [here]
