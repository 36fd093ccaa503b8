"""What a long run is doing, on one line of a terminal; nothing when stderr is not a terminal.

CI logs and pipes get only the final summary line: the status line is drawn only on a TTY and
never when `CI` is set.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Status:
    """A status line redrawn in place: `restref: rendering pages (2.1 s)`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._shown = self._stream.isatty() and not os.environ.get("CI")
        self._started = time.monotonic()
        self._width = 0

    def step(self, what: str) -> None:
        """Show that the run has moved on to `what`."""
        if not self._shown:
            return
        line = f"restref: {what} ({time.monotonic() - self._started:.1f} s)"
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def done(self) -> None:
        """Clear the line, before the summary is printed."""
        if self._shown and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
