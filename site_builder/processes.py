"""Whether this system can fork: builds spread work over forked processes where it can.

Windows (and macOS by default in some setups) has no ``fork`` start method; there every part
of a build that would fork runs in the building process instead, one after the other.  The
output is byte-for-byte the same either way; only the time differs.
"""

from __future__ import annotations

import multiprocessing


def can_fork() -> bool:
    """Whether ``multiprocessing`` offers the ``fork`` start method here."""
    return "fork" in multiprocessing.get_all_start_methods()
