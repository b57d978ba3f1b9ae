"""How the user started site-builder, so that hints name commands that work as typed.

A clerk who installed with ``py -m pip install`` on Windows often has no ``site-builder`` on
the PATH and runs ``py -m site_builder``; the hints then say so.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path


def command() -> str:
    """``site-builder``, or ``py -m site_builder`` (``python3 -m site_builder`` outside
    Windows) when this process was started with ``-m``."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name in ("site_builder", "site_builder.__main__"):
        return ("py" if os.name == "nt" else "python3") + " -m site_builder"
    return "site-builder"


def argument(path: Path | str) -> str:
    """``path`` as it is typed in the user's shell (quoted when it holds a space)."""
    text = str(path)
    if os.name == "nt":
        return f'"{text}"' if any(ch in text for ch in " &()[]{}^=;!'+,`~") else text
    return text if _PLAIN.fullmatch(text) else shlex.quote(text)


_PLAIN = re.compile(r"[\w@%+=:,./\-\u0080-\U0010ffff]+")
"""Arguments a POSIX shell takes as they are (Chinese file names included)."""
