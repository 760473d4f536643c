"""Work spread over the machine's cores, results in the order of the tasks.

Worker processes are forked after the shared inputs are loaded, so each starts with them
(and with the compiled templates) in memory instead of reading them again. Every result
is computed from its task alone and results are consumed in task order, so a build on
several processes writes the same bytes as a build on one. Where fork is not available,
or there is too little work to share, tasks run in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_STATE: Any = None  # the workspace, set before forking and inherited by the workers


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _call(job: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, task = job
    return function(task, _STATE)


class Workers:
    """``jobs`` processes sharing ``state``; ``map`` runs ``function(task, state)``."""

    def __init__(self, state: Any, jobs: int) -> None:
        global _STATE
        _STATE = state
        self.state = state
        self.jobs = jobs if "fork" in multiprocessing.get_all_start_methods() else 1
        self._pool: Any = None

    def map(self, function: Callable[[T, Any], R], tasks: Iterable[T],
            inline: bool = False) -> Iterator[R]:
        """Results in task order; ``inline`` runs them here (for little work)."""
        if inline or self.jobs <= 1:
            for task in tasks:
                yield function(task, self.state)
            return
        if self._pool is None:
            self._pool = multiprocessing.get_context("fork").Pool(self.jobs)
        yield from self._pool.imap(_call, ((function, task) for task in tasks))

    @property
    def started(self) -> bool:
        """Whether worker processes run (they are started by the first ``map`` that is
        not inline)."""
        return self._pool is not None

    def close(self) -> None:
        global _STATE
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _STATE = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
