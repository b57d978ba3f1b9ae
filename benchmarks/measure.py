"""Run a command and measure its wall time and the peak memory of its whole process tree.

Peak RSS is the larger of two readings: the kernel's own maximum for the process (``wait4``
rusage, exact but per process) and the sum of the RSS of the process and all its descendants
sampled every 10 ms from /proc (catches worker processes that run at the same time; pages
shared between forked workers are counted once per process, so this errs high).

Peak PSS is the sum of the *proportional* set size of the process tree (``smaps_rollup``: a page
shared by n processes counts 1/n in each), sampled every 0.5 s (reading it walks the page
tables): the memory the tree really occupies, with pages that forked workers share with their
parent counted once.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
PSS_EVERY = 50
"""PSS is read at every this many RSS samples (RSS: every 10 ms)."""


@dataclass(frozen=True)
class Measured:
    """One command run."""

    seconds: float
    """Wall time from start to exit."""
    peak_rss: int
    """Peak resident memory of the process tree, in bytes."""
    output: str
    """Its stdout and stderr."""
    peak_pss: int = 0
    """Peak proportional set size of the process tree (shared pages counted once), in bytes."""


class CommandFailed(RuntimeError):
    pass


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree_rss(pid: int, reading: Callable[[int], int] = _rss) -> int:
    """Resident memory (or another ``reading``) of ``pid`` and all its descendants, in bytes."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += reading(current)
        stack.extend(_children(current))
    return total


def run(command: Sequence[str | Path], cwd: Path | None = None,
        env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` to completion; raises :class:`CommandFailed` on a non-zero exit."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen([str(c) for c in command], cwd=cwd, stdout=log,
                                   stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        peak = [0, 0]
        done = threading.Event()

        def sample() -> None:
            ticks = 0
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(process.pid))
                if ticks % PSS_EVERY == 0:
                    peak[1] = max(peak[1], tree_rss(process.pid, _pss))
                ticks += 1
                done.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise CommandFailed(f"{' '.join(map(str, command))} exited {process.returncode}:\n"
                            f"{output[-4000:]}")
    return Measured(seconds, max(peak[0], usage.ru_maxrss * 1024), output,
                    peak[1] or usage.ru_maxrss * 1024)


def combine(parts: Sequence[Measured]) -> Measured:
    """Steps run one after the other: times add up, the peak is the largest."""
    return Measured(sum(p.seconds for p in parts), max(p.peak_rss for p in parts),
                    "".join(p.output for p in parts), max(p.peak_pss for p in parts))


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.95 for p95)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def folder_size(folder: Path) -> tuple[int, int]:
    """(total bytes, file count) of every file under ``folder``; (0, 0) when missing."""
    total = count = 0
    for path, _, files in os.walk(folder):
        for name in files:
            total += os.path.getsize(os.path.join(path, name))
            count += 1
    return total, count
