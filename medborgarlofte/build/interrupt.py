"""Ctrl+C and SIGTERM (and Ctrl+Break on Windows): a build stops at its next safe point, removing its staging folder
on the way out.

Python's own handling raises an exception wherever the program happens to be, and an exception raised inside a
finaliser or an at-fork handler is printed and swallowed: the build went on, and at national scale once hung (seen
in CI). So the signal only sets a flag, and the pipeline asks for it between its steps (`checkpoint`), where raising
is safe and the `finally` blocks that remove the staging folder run. The longest step between two checkpoints is
Pagefind's indexing, a few seconds; a second Ctrl+C does not wait for it.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# The signals that ask a program to stop, as this platform has them: SIGBREAK (Ctrl+Break) only on Windows, where
# SIGTERM can be handled but is never sent (another program ends a process there without a signal).
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name))
_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop; `code` is the exit code a shell expects (128 + the signal's number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


def checkpoint() -> None:
    """Stop here if a stop was asked for."""
    if _received:
        raise Interrupted(_received[0])


def _note(signum: int, frame: object) -> None:
    if _received:  # asked twice: stop now, wherever the build is
        raise Interrupted(signum)
    _received.append(signum)
    print("Avbryter bygget …", file=sys.stderr, flush=True)


def in_worker() -> None:
    """A forked worker ends at once on SIGTERM (sent to the whole process group when a job is stopped) and leaves
    Ctrl+C to the build, instead of inheriting the build's handlers, which only note a signal."""
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def on_stop(act: Callable[[], None]) -> None:
    """Ctrl+C and SIGTERM call `act` (for `serve`, to shut the server down) instead of raising where the program is:
    an exception raised while the collector runs a finaliser is swallowed, and the server would go on serving."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in SIGNALS:
        signal.signal(signum, lambda signum, frame: act())


@contextmanager
def stop_at_checkpoints() -> Iterator[None]:
    """Within the block, the SIGNALS are noted and acted on at the next checkpoint; the previous handlers
    are back afterwards (the command line may be called from a test, or from another program)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Callable | int | None] = {s: signal.getsignal(s) for s in SIGNALS}
    _received.clear()
    for signum in SIGNALS:
        signal.signal(signum, _note)
    try:
        yield  # a stop asked for after the last checkpoint comes too late: the work is done
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _received.clear()
