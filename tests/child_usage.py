"""A child process's CPU time and peak memory, read from the kernel when it ends."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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


_WRAPPER = """
import os, sys
report, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} "
              f"{usage.ru_maxrss}")
"""
"""Starts the measured process from a small Python process: a process's peak RSS counts the
memory of the process it was forked from until it execs (the kernel keeps the larger), so a
child forked straight from a long test run would be charged the test runner's size."""


def measured_argv(argv: list[str]) -> Run:
    """Run ``argv``; its usage is read by ``os.wait4`` when it ends (killed after 300 s)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage"
        proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(report), *argv], cwd=REPO,
                              env=env, capture_output=True, timeout=300)
        code, cpu, peak = report.read_text(encoding="utf-8").split()
    return Run(int(code), proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"),
               float(cpu), time.monotonic() - started, int(peak) / 1024)
