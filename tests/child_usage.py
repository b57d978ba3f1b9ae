"""A child process's CPU time and peak memory, read from the kernel when it ends."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

CPU_SECONDS = 5.0
"""CPU seconds a refusal may cost (CPU rather than wall time: the test machine is shared)."""
PEAK_MB = 500
"""Peak resident memory a refusal may cost."""


@dataclass(frozen=True)
class Run:
    """How a child process ended and what it cost."""

    returncode: int
    stdout: str
    stderr: str
    cpu: float
    """User and system CPU seconds of the child."""
    wall: float
    peak_mb: float
    """Peak resident memory of the child."""


def measured(*args: str | Path) -> Run:
    """``python -m site_builder ARGS`` in a child process, with its CPU time and peak RSS."""
    return measured_argv([sys.executable, "-m", "site_builder", *map(str, args)])


def measured_argv(argv: list[str]) -> Run:
    """Run ``argv``; its usage is read by ``os.wait4`` when it ends (killed after 300 s)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    started = time.monotonic()
    child = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    output: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda name=name, stream=stream:
                                output.__setitem__(name, stream.read()))
               for name, stream in (("out", child.stdout), ("err", child.stderr))]
    for reader in readers:
        reader.start()
    timer = threading.Timer(300, child.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    for reader in readers:
        reader.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    child.stderr.close()
    return Run(child.returncode, output["out"].decode("utf-8"), output["err"].decode("utf-8"),
               usage.ru_utime + usage.ru_stime, time.monotonic() - started,
               usage.ru_maxrss / 1024)
