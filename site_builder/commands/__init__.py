"""Sub-commands of ``site-builder``; each module has NAME, HELP, add_arguments and run."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from types import ModuleType
from typing import Protocol

from site_builder.commands import (
    build_cmd,
    check_cmd,
    diff_cmd,
    export_cmd,
    import_cmd,
    init_cmd,
    search_cmd,
    serve_cmd,
    template_cmd,
    validate_cmd,
)


class Command(Protocol):
    NAME: str
    HELP: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: tuple[ModuleType, ...] = (
    init_cmd,
    template_cmd,
    import_cmd,
    validate_cmd,
    check_cmd,
    export_cmd,
    build_cmd,
    diff_cmd,
    serve_cmd,
    search_cmd,
)
"""Every sub-command, in the order ``--help`` lists them."""
