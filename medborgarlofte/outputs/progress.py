"""Progress of long steps: a bar on a terminal, plain lines ("PDF 120/1160") in CI logs and pipes."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from tqdm import tqdm

PLAIN_LINES = 20  # at most this many lines per step in a log


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        stream = stream or sys.stderr  # looked up now: the stream may have been replaced since import
        self.label, self.total, self.done, self.stream = label, total, 0, stream
        interactive = stream.isatty() and not os.environ.get("CI")
        self.bar = tqdm(total=total, desc=label, unit="st", file=stream, leave=False) if interactive else None
        self.every = max(1, total // PLAIN_LINES)

    def advance(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif self.done % self.every == 0 or self.done == self.total:
            print(f"{self.label} {self.done}/{self.total}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
