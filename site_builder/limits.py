"""Input limits: one table of the bounds every reader enforces (bytes, cells, pages, time).

Each limit is also a setting of ``site.yaml`` (see :mod:`site_builder.settings`), so a site whose
real tables are larger can raise it. Readers take an :class:`InputLimits` and call the checks
below; a limit that is exceeded stops the reader with a positioned message that names
the limit and the setting that raises it, before the rest of the file is read.
"""

from __future__ import annotations

import math
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import N_, _


@dataclass(frozen=True)
class Limit:
    """One bound on what a reader accepts."""

    name: str
    """The setting in ``site.yaml`` that raises it, e.g. ``limit_file_mb``."""
    default: int
    """The value used when ``site.yaml`` does not set it."""
    unit: str
    """A quantity of it as messages show it (``{count} MB``, ``{count} rows`` …; translated
    where shown)."""
    what: str
    """What is counted, for messages (``file size``; translated where shown)."""
    help: str
    """What it bounds, for docs/settings.md (English there; translated where a message or
    ``site-builder settings`` shows it)."""


LIMITS: tuple[Limit, ...] = (
    Limit("limit_file_mb", 100, N_("{count} MB"), N_("file size"),
          N_("Largest input file read (table, workbook, document, PDF, JSON), in MB.")),
    Limit("limit_yaml_mb", 10, N_("{count} MB"), N_("YAML file size"),
          N_("Largest YAML file read (content files, site.yaml), in MB; a YAML file is parsed "
             "whole in memory, so this is lower than limit_file_mb.")),
    Limit("limit_unpacked_mb", 300, N_("{count} MB"), N_("unpacked size"),
          N_("Largest total size of the parts of an .xlsx/.docx/.ods file once unpacked, in "
             "MB.")),
    Limit("limit_zip_members", 5000, N_("{count} parts"), N_("number of parts in the archive"),
          N_("Most parts an .xlsx/.docx/.ods file (a zip archive) may hold.")),
    Limit("limit_rows", 100_000, N_("{count} rows"), N_("number of rows"),
          N_("Most rows read from one sheet, Word table or text table.")),
    Limit("limit_columns", 200, N_("{count} columns"), N_("number of columns"),
          N_("Most columns read from one sheet or table.")),
    Limit("limit_cells", 300_000, N_("{count} cells"), N_("number of cells"),
          N_("Most non-empty cells read from one workbook or document.")),
    Limit("limit_indicators", 2_000, N_("{count} indicators"),
          N_("number of indicators of one project"),
          N_("Most indicators one project may have.")),
    Limit("limit_projects", 20_000, N_("{count} projects"), N_("number of projects in one file"),
          N_("Most projects one imported file may hold.")),
    Limit("limit_pages", 5_000, N_("{count} pages"), N_("number of pages"),
          N_("Most pages read from one PDF.")),
    Limit("limit_seconds", 300, N_("{count} seconds"), N_("reading time"),
          N_("Longest time spent reading one input file, in seconds.")),
)
"""Every input limit, in documentation order."""

LIMITS_BY_NAME: Mapping[str, Limit] = {limit.name: limit for limit in LIMITS}
"""The limits by setting name."""


@dataclass(frozen=True)
class InputLimits:
    """The limits in force for one command: defaults, raised or lowered by ``site.yaml``."""

    values: Mapping[str, int] = field(
        default_factory=lambda: {limit.name: limit.default for limit in LIMITS})
    """Value of every limit, by setting name."""

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> InputLimits:
        """The limits of a site's settings (missing ones at their defaults)."""
        return cls({limit.name: int(settings.get(limit.name, limit.default))
                    for limit in LIMITS})

    def __getitem__(self, name: str) -> int:
        return self.values[name]

    def check(self, name: str, actual: int, pos: Position) -> None:
        """Stop with :func:`exceeded` when ``actual`` is above the limit ``name``."""
        if actual > self.values[name]:
            raise exceeded(name, actual, self.values[name], pos)

    def check_file(self, path: Path, shown: str, name: str = "limit_file_mb") -> None:
        """Refuse a file larger than the limit ``name`` (in MB) before it is read."""
        self.check_size(path.stat().st_size, shown, name)

    def check_size(self, size: int, shown: str, name: str = "limit_file_mb") -> None:
        """Refuse ``size`` bytes (of the file ``shown``) when above the limit ``name`` in MB."""
        limit_mb = self.values[name]
        if size > limit_mb * 1_000_000:
            raise exceeded(name, _mb(size), limit_mb, Position(shown))

    def max_bytes(self, name: str) -> int:
        """The limit ``name`` (in MB) in bytes."""
        return self.values[name] * 1_000_000

    def check_zip(self, archive: zipfile.ZipFile, shown: str) -> None:
        """Refuse a zip archive with too many parts or too large once unpacked.

        The sizes are those the archive declares; :mod:`zipfile` never unpacks more than a
        part declares, so the declared total bounds what reading it can cost.
        """
        members = archive.infolist()
        self.check("limit_zip_members", len(members), Position(shown))
        unpacked = sum(member.file_size for member in members)
        limit_mb = self.values["limit_unpacked_mb"]
        if unpacked > limit_mb * 1_000_000:
            raise exceeded("limit_unpacked_mb", _mb(unpacked), limit_mb, Position(shown))

    def deadline(self, shown: str) -> Deadline:
        """A clock for reading one file, stopped at ``limit_seconds``."""
        return Deadline(shown, self.values["limit_seconds"], time.monotonic())


DEFAULT_LIMITS = InputLimits()
"""The limits when no site sets any."""


@dataclass(frozen=True)
class Deadline:
    """The time allowed for reading one file; readers call :meth:`check` as they go."""

    shown: str
    """The file as shown in messages."""
    seconds: int
    """The time allowed."""
    start: float
    """``time.monotonic()`` when reading began."""

    def check(self, pos: Position | None = None) -> None:
        """Stop when the time allowed has passed (``pos``: where the reader is)."""
        elapsed = time.monotonic() - self.start
        if elapsed > self.seconds:
            raise exceeded("limit_seconds", math.ceil(elapsed), self.seconds,
                           pos or Position(self.shown))


def exceeded(name: str, actual: int, allowed: int, pos: Position,
             what: str = "") -> SiteBuilderError:
    """The error for a limit that was exceeded: what, how much, and the setting to raise.

    ``what`` names what was counted when it is not the limit's own quantity (e.g. the XML
    elements of a workbook, bounded by a multiple of ``limit_cells``)."""
    limit = LIMITS_BY_NAME[name]
    message = _("{what} over the limit: {actual} (the limit is {allowed}); reading stopped and "
                "nothing was written").format(
                    what=what or _(limit.what), actual=_(limit.unit).format(count=actual),
                    allowed=_(limit.unit).format(count=allowed))
    hint = _("check that the file is the right one; if a table this large really must be read, "
             "raise {name} in site.yaml (e.g. {name}: {example})").format(
                 name=name, example=max(allowed * 2, 1))
    return SiteBuilderError([Diagnostic(pos, "error", message, hint, "input-limit")])


def _mb(size: int) -> int:
    return -(-size // 1_000_000)


def limits_doc() -> str:
    """Markdown table of every limit (part of docs/settings.md)."""
    lines = ["| setting | default | what it bounds |", "| --- | --- | --- |"]
    for limit in LIMITS:
        lines.append(f"| `{limit.name}` | {limit.default} | {limit.help} |")
    return "\n".join(lines) + "\n"
