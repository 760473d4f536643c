"""``sitegen serve`` run as an editor runs it, for the tests: a subprocess of
``python -m sitegen serve --port 0``, its output read as it comes (the URL it prints,
each rebuild, each error), and pages fetched over HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

START_TIMEOUT_S = 60.0
SERVING = re.compile(r"^Serving (http://\S+/) \(Ctrl\+C to stop\)$")


@dataclass(frozen=True)
class Fetched:
    status: int
    body: str
    headers: dict[str, str]


def _as_in_a_terminal() -> None:
    """Ctrl+C reaches a command started in a terminal; a test runner started in the
    background may pass SIGINT on ignored, so restore the default for the server."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class ServeProcess:
    """``sitegen serve`` on ``site``; use as a context manager (stopped on exit)."""

    def __init__(self, site: Path, *extra: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1", "PYTHONHASHSEED": "0"}
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0",
             *extra],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            encoding="utf-8", env=env, preexec_fn=_as_in_a_terminal)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = ""

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def __enter__(self) -> ServeProcess:
        self.url = self.wait_for(SERVING, timeout=START_TIMEOUT_S).group(1)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def wait_for(self, pattern: re.Pattern[str] | str, timeout: float = 15.0,
                 after: int = 0) -> re.Match[str]:
        """The first output line from index ``after`` on that matches ``pattern``."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[after:]:
                    found = regex.search(line)
                    if found:
                        return found
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and self._reader_done()):
                    raise AssertionError(
                        f"no line matching {regex.pattern!r}; output:\n{self.output}")
                self._changed.wait(min(left, 0.1))

    def _reader_done(self) -> bool:
        return not self._reader.is_alive()

    def fetch(self, path: str, accept: str = "text/html") -> Fetched:
        request = urllib.request.Request(self.url + path.lstrip("/"),
                                         headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Fetched(response.status, response.read().decode("utf-8"),
                               dict(response.headers.items()))
        except urllib.error.HTTPError as error:
            return Fetched(error.code, error.read().decode("utf-8"),
                           dict(error.headers.items()))

    def poll(self, path: str, until: str, timeout: float = 15.0) -> Fetched:
        """Fetch ``path`` until its body contains ``until``."""
        deadline = time.monotonic() + timeout
        while True:
            fetched = self.fetch(path)
            if until in fetched.body:
                return fetched
            assert time.monotonic() < deadline, (
                f"{path} never contained {until!r} (HTTP {fetched.status}); "
                f"output:\n{self.output}")
            time.sleep(0.05)

    def interrupt(self, timeout: float = 15.0) -> int:
        """Ctrl+C: SIGINT, then the exit status."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code
