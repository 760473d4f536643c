"""Progress of a long build, shown on a terminal and nowhere else.

A person watching a terminal wants to see that a build of many pages is moving; a CI log
wants no carriage-return animations. So progress is drawn on one line of stderr, redrawn
at most a few times a second and erased at the end, only when stderr is a terminal.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1


class Progress:
    """Counts rendered pages; ``step`` is the callback :func:`build.render_site` calls."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._drawn = 0.0
        self._width = 0

    def step(self, done: int, total: int, what: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        text = f"Rendering {what}: {done}/{total}"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(text))

    def finish(self) -> None:
        """Erase the progress line so the summary starts on a clean line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
