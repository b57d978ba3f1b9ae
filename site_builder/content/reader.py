"""Gather and validate all content of a site: unit files, project files, integrity rules."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from pathlib import Path

from site_builder.content import canonical
from site_builder.content.cache import Cached, Entry, file_key, read_cache, write_cache
from site_builder.content.canonical import read_fields
from site_builder.content.evaluations import (
    check_evaluations,
    evaluation_of,
    is_evaluation_file,
    read_evaluation,
)
from site_builder.content.schema import (
    EVALUATION_FIELDS,
    PROJECT_FIELDS,
    UNIT_FIELDS,
    UNIT_FILE_NAME,
)
from site_builder.content.validate_fields import Fields, check_mapping
from site_builder.content.yamlsafe import control_warnings, load_yaml_file
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.model import Indicator, Project, SelfEvaluation, Site, Unit, format_amount
from site_builder.processes import can_fork
from site_builder.settings import SETTINGS_FILE, limits_for
from site_builder.sitefiles import FOLDERS_READ, link_problems, links_under

CONTENT_DIR = "content"
"""Folder of the site that holds the YAML content."""
PAGES_DIR = "pages"
"""Sub-folder of content/ with Markdown pages; not read as YAML."""
PARALLEL_FROM = 500
"""Files to parse from which :func:`load_site` uses worker processes (when given jobs)."""


@dataclass(frozen=True)
class LoadResult:
    """The site model and every diagnostic found while reading it."""

    site: Site
    """Everything that could be read."""
    diagnostics: tuple[Diagnostic, ...]
    """Problems found, sorted by position."""
    save_cache: Callable[[], None] | None = field(default=None, compare=False)
    """With ``save_later``: writes the content cache (None when it is up to date)."""


def content_files(root: Path) -> list[Path]:
    """Every YAML file under ``root/content`` (pages excluded), sorted; links that lead
    outside the site are left out (see :func:`scan_site`)."""
    return scan_site(root)[0]


def scan_site(root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every YAML file under ``root/content`` (pages excluded), sorted, and an error for each
    link in the site's parts that site-builder reads (``site.yaml``, ``content/`` with its
    pages, ``templates/``, ``static/``, ``schema/``) leading outside the site or to a hidden
    place in it (:mod:`~site_builder.sitefiles`); such links are not read."""
    base = root / CONTENT_DIR
    linked = os.path.islink(base)
    parts = [root / SETTINGS_FILE, *(root / folder for folder in FOLDERS_READ),
             base if linked else base / PAGES_DIR]
    problems, refused = link_problems(root, [link for part in parts
                                             for link in links_under(part)])
    found: list[str] = []
    if base.is_dir() and os.fspath(base) not in refused:
        content_links: list[str] = []
        _yaml_files(os.fspath(base), found, content_links, top=True)
        more, refused = link_problems(root, content_links)
        problems += more
        found = [path for path in found if path not in refused]
    files = [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]
    return files, problems


def _yaml_files(folder: str, found: list[str], links: list[str], top: bool = False) -> None:
    """Add the YAML files under ``folder`` to ``found``, as ``Path.rglob`` finds them (links
    to files included, linked folders not entered) but from each folder's listing, without a
    ``stat`` of every file; and every link met (to a file or a folder) to ``links``."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                links.append(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if not (top and entry.name == PAGES_DIR):
                    _yaml_files(entry.path, found, links)
            elif _suffix(entry.name) in (".yaml", ".yml") and entry.is_file():
                found.append(entry.path)


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _shown_paths(files: list[Path], root: Path) -> list[str]:
    """:func:`shown_path` of each file, resolving each folder once for all its files (a file
    that is itself a link is resolved on its own) instead of every folder of every path."""
    inside = os.path.join(str(root.resolve()), "")  # ends in the separator (\\ on Windows)
    folders: dict[str, str] = {}
    shown: list[str] = []
    for path in files:
        text = str(path)
        parent, name = os.path.split(text)
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = os.path.realpath(parent)
        resolved = os.path.realpath(text) if os.path.islink(text) else \
            os.path.join(folder, name)
        shown.append(resolved.removeprefix(inside).replace(os.sep, "/")
                     if resolved.startswith(inside) else path.as_posix())
    return shown


def read_entry(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> Entry:
    """Read one content file into its object (or None) and diagnostics."""
    max_bytes = limits.max_bytes("limit_yaml_mb")
    return quick_entry(path, shown, max_bytes) or _general_entry(path, shown, limits)


def quick_entry(path: Path, shown: str,
                max_bytes: int = DEFAULT_LIMITS.max_bytes("limit_yaml_mb")) -> Entry | None:
    """A file in site-builder's own layout, read line by line
    (:mod:`~site_builder.content.canonical`); None for any other file, for one larger than
    ``max_bytes``, and for one that validation would find something to say about."""
    raw = _read_limited(path, max_bytes)
    if len(raw) > max_bytes:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if is_evaluation_file(path):
        fields = read_fields(text, shown, EVALUATION_FIELDS)
        return None if fields is None else (evaluation_of(*fields, shown), [])
    if path.name == UNIT_FILE_NAME:
        fields = read_fields(text, shown, UNIT_FIELDS)
        return None if fields is None else (_unit(fields[0], shown), [])
    fields = read_fields(text, shown)
    return None if fields is None else (_project(*fields, shown), [])


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, or its first ``max_bytes + 1``: one small read for a usual
    file (asking for 2 MB at once made Python set aside 2 MB for every file)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        data = os.read(handle, 1 << 16)
        while len(data) <= max_bytes:
            more = os.read(handle, max_bytes + 1 - len(data))
            if not more:
                break
            data += more
    finally:
        os.close(handle)
    return data


def _general_entry(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> Entry:
    """Any content file read through the YAML loader and validation."""
    try:
        if path.name == UNIT_FILE_NAME:
            return read_unit(path, shown, limits)
        if is_evaluation_file(path):
            return read_evaluation(path, shown, limits)
        return read_project(path, shown, limits)
    except SiteBuilderError as exc:
        return None, exc.diagnostics


def read_entries(files: list[tuple[Path, str]], jobs: int = 1,
                 limits: InputLimits = DEFAULT_LIMITS) -> list[Entry]:
    """:func:`read_entry` of each (path, shown), in order.  Files in site-builder's own layout
    are read here (faster than handing them to worker processes and their objects back); the
    others, when there are many and ``jobs`` > 1, in that many worker processes."""
    max_bytes = limits.max_bytes("limit_yaml_mb")
    entries = [quick_entry(path, shown, max_bytes) for path, shown in files]
    rest = [item for item, entry in zip(files, entries, strict=True) if entry is None]
    if not rest:
        return entries  # type: ignore[return-value]
    general = iter(_general_entries(rest, jobs, limits))
    return [entry or next(general) for entry in entries]


def _general_entries(files: list[tuple[Path, str]], jobs: int,
                     limits: InputLimits) -> list[Entry]:
    if jobs < 2 or len(files) < PARALLEL_FROM:
        return [_general_entry(path, shown, limits) for path, shown in files]
    chunk = max(1, len(files) // (jobs * 4))
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(partial(_general_star, limits=limits), files, chunksize=chunk))


def _general_star(item: tuple[Path, str], limits: InputLimits) -> Entry:
    return _general_entry(*item, limits)


def load_site(root: Path, cache: Path | None = None, jobs: int = 1,
              save_later: bool = False) -> LoadResult:
    """Read and validate all content under ``root``.

    With ``cache`` (a file path), files whose mtime and size are unchanged since the last
    call are taken from the cache instead of being parsed again; the cache is then updated,
    or with ``save_later`` left to :attr:`LoadResult.save_cache` (a build does it in its
    second process).  Files not in site-builder's own layout are read by ``jobs`` worker
    processes when there are many.
    """
    entries, save = _read_all(root, cache, jobs)
    if save and not save_later:
        save()
        save = None
    return replace(assemble(entries), save_cache=save)


def load_entries(root: Path, cache: Path | None = None, jobs: int = 1) -> Cached:
    """What every content file holds, by shown path, with the key it was read at (see
    :func:`load_site`, the cache is updated); :func:`assemble` makes the site of them."""
    entries, save = _read_all(root, cache, jobs)
    if save:
        save()
    return entries


def _read_all(root: Path, cache: Path | None, jobs: int
              ) -> tuple[Cached, Callable[[], None] | None]:
    """Every file's entry, and what writes the cache (None: it is up to date)."""
    jobs = jobs if can_fork() else 1  # the worker processes are forked
    cached, records = read_cache(cache) if cache else ({}, {})
    entries: Cached = {}
    missing: list[tuple[Path, str]] = []
    files, refused = scan_site(root)
    limits = _site_limits(root)
    for path, shown in zip(files, _shown_paths(files, root), strict=True):
        key = file_key(path)
        hit = cached.get(shown)
        if hit and hit[0] == key and not (hit[1][1] and _over_limit(hit[1][1])):
            entries[shown] = (key, hit[1])
        else:
            entries[shown] = (key, (None, []))
            missing.append((path, shown))
            records.pop(shown, None)
    for (_path, shown), entry in zip(missing, read_entries(missing, jobs, limits), strict=True):
        entries[shown] = (entries[shown][0], entry)
    canonical.forget()
    save = None
    if cache and (missing or len(entries) != len(cached)):  # else entries == cached
        save = partial(write_cache, cache, dict(entries), records)
    for problem in refused:  # never cached: checked on every read
        entries[problem.pos.path] = ([], (None, [problem]))
    return entries, save


def _site_limits(root: Path) -> InputLimits:
    """The site's input limits; the defaults when its ``site.yaml`` has errors (reported by
    every command that reads the settings)."""
    try:
        return limits_for(root)
    except SiteBuilderError:
        return DEFAULT_LIMITS


def _over_limit(found: list[Diagnostic]) -> bool:
    """Whether a file was refused for a limit (read again: the limit may have been raised)."""
    return any(d.code == "input-limit" for d in found)


def assemble(entries: Cached) -> LoadResult:
    """The site of the files' ``entries``, with the rules across files checked."""
    units: list[Unit] = []
    projects: list[Project] = []
    evaluations: list[SelfEvaluation] = []
    problems: list[Diagnostic] = []
    for _key, (obj, found) in entries.values():
        if isinstance(obj, Unit):
            units.append(obj)
        elif isinstance(obj, Project):
            projects.append(obj)
        elif isinstance(obj, SelfEvaluation):
            evaluations.append(obj)
        problems.extend(found)
    units.sort(key=lambda u: u.key)
    projects.sort(key=project_order)
    evaluations.sort(key=lambda e: (e.year, e.unit_code, e.id))
    problems.extend(check_integrity(units, projects))
    problems.extend(check_evaluations(units, projects, evaluations))
    problems.sort(key=lambda d: (d.pos, d.message))
    return LoadResult(Site(tuple(units), tuple(projects), tuple(evaluations)), tuple(problems))


def project_order(project: Project) -> tuple[str, str, str]:
    """Where a project stands in the site: by year, unit code and id."""
    return (project.year, project.unit_code, project.id)


def read_unit(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
              ) -> tuple[Unit | None, list[Diagnostic]]:
    node = load_yaml_file(path, shown, limits)
    values, _positions, problems = check_mapping(node, UNIT_FIELDS, "unit",
                                                 Position(shown, 1, 1))
    if problems:
        return None, problems
    return _unit(values, shown), control_warnings(node)


def _unit(values: Fields, shown: str) -> Unit:
    """The unit of a file's checked fields."""
    return Unit(
        code=str(values["code"]), year=str(values["year"]), name=str(values["name"]),
        region=str(values.get("region") or ""), parent_code=str(values.get("parent_code") or ""),
        declared_total=_decimal_or_none(values.get("declared_total")),
        title=str(values.get("title") or ""), pos=Position(shown, 1, 1),
    )


def read_project(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
                 ) -> tuple[Project | None, list[Diagnostic]]:
    node = load_yaml_file(path, shown, limits)
    values, positions, problems = check_mapping(node, PROJECT_FIELDS, "project",
                                                Position(shown, 1, 1))
    if any(d.severity == "error" for d in problems):
        return None, problems
    return _project(values, positions, shown), problems + control_warnings(node)


def _project(values: Fields, positions: dict[str, Position], shown: str) -> Project:
    """The project of a file's checked fields."""
    indicators: tuple[Indicator, ...] = values.get("indicators") or ()  # type: ignore[assignment]
    total = values.get("table_total")
    return Project(
        id=str(values["id"]), year=str(values["year"]), unit_code=str(values["unit"]),
        name=str(values["name"]), amount=values["amount"],  # type: ignore[arg-type]
        goals=tuple(values.get("goals") or ()),  # type: ignore[arg-type]
        indicators=indicators, notes=tuple(values.get("notes") or ()),  # type: ignore[arg-type]
        table_total=None if total is None else str(total),
        remark=str(values.get("remark") or ""), source=str(values.get("source") or ""),
        pos=Position(shown, 1, 1), field_pos=positions,
    )


def _decimal_or_none(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                              *(f"LPT{n}" for n in range(10))})
"""File names Windows keeps for devices, whatever the case and extension (``nul.html`` too)."""


def windows_reserved(name: str) -> str:
    """The reserved device name ``name`` stands for as a file name on Windows, else ""."""
    stem = name.split(".", 1)[0].upper()
    return stem if stem in WINDOWS_RESERVED else ""


def check_integrity(units: list[Unit], projects: list[Project]) -> list[Diagnostic]:
    """Rules across files: duplicate ids and units, ids and codes that cannot be file names
    on every system, missing units, declared totals."""
    problems: list[Diagnostic] = []
    seen: dict[str, Project] = {}
    folded: dict[str, Project] = {}
    for project in projects:
        first = seen.setdefault(project.id, project)
        pos = project.field_pos.get("id", project.pos)
        if first is not project:
            problems.append(Diagnostic(
                pos, "error",
                _("duplicate id '{id}' (also used by {path})").format(id=project.id,
                                                                      path=first.pos.path),
                _("give each project its own id; ids are used in URLs"), "duplicate-id"))
            continue
        other = folded.setdefault(project.id.lower(), project)
        if other is not project:
            problems.append(Diagnostic(
                pos, "error", _("project id '{id}' differs from '{other}' of {path} only in "
                                "upper and lower case: on Windows and macOS the two projects' "
                                "pages and data files are the same file").format(
                                    id=project.id, other=other.id, path=other.pos.path),
                _("give each project an id that differs in more than case"), "case-duplicate"))
        reserved = windows_reserved(project.id)
        if reserved:
            problems.append(Diagnostic(
                pos, "error", _("project id '{id}' begins with the Windows reserved name "
                                "{reserved}: pages and data files named after it cannot be "
                                "saved or opened on Windows").format(id=project.id,
                                                                     reserved=reserved),
                _("choose another id, e.g. 'year-unit code-number': 2023-002001-01"),
                "reserved-name"))
    unit_keys: dict[tuple[str, str], Unit] = {}
    folded_units: dict[tuple[str, str], Unit] = {}
    for unit in units:
        if unit.key in unit_keys:
            problems.append(Diagnostic(unit.pos, "error", _(
                "unit {code} ({year}) is defined twice (also in {path})").format(
                    code=unit.code, year=unit.year, path=unit_keys[unit.key].pos.path),
                _("keep one unit file per unit and year"), "duplicate-unit"))
            continue
        unit_keys[unit.key] = unit
        other_unit = folded_units.setdefault((unit.year, unit.code.lower()), unit)
        if other_unit is not unit:
            problems.append(Diagnostic(
                unit.pos, "error", _("unit code '{code}' differs from '{other}' ({year}) of "
                                     "{path} only in upper and lower case: on Windows and macOS "
                                     "the two units' folders and pages are the same").format(
                                         code=unit.code, other=other_unit.code, year=unit.year,
                                         path=other_unit.pos.path),
                _("check the unit codes; each unit has its own code"), "case-duplicate"))
        reserved = windows_reserved(unit.code)
        if reserved:
            problems.append(Diagnostic(
                unit.pos, "error", _("unit code '{code}' is the Windows reserved name "
                                     "{reserved}: the folder {folder} cannot be made on "
                                     "Windows").format(code=unit.code, reserved=reserved,
                                                       folder=f"content/{unit.year}/{unit.code}/"),
                _("check the unit code; if it really is this code, write it another way (e.g. "
                  "with the parent unit's code in front)"), "reserved-name"))
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for project in projects:
        sums[(project.year, project.unit_code)] += project.amount
        if (project.year, project.unit_code) not in unit_keys:
            problems.append(Diagnostic(
                project.field_pos.get("unit", project.pos), "error",
                _("unit '{code}' of year {year} has no unit file").format(
                    code=project.unit_code, year=project.year),
                _("create {path}").format(
                    path=f"content/{project.year}/{project.unit_code}/{UNIT_FILE_NAME}"),
                "unknown-unit"))
    for key, unit in sorted(unit_keys.items()):
        total = sums.get(key, Decimal(0))
        if unit.declared_total is not None and unit.declared_total != total:
            problems.append(Diagnostic(
                unit.pos, "warning",
                _("unit {code} ({year}) declares a total of {declared} 万元 but its projects "
                  "add up to {total} 万元").format(
                    code=unit.code, year=unit.year,
                    declared=format_amount(unit.declared_total), total=format_amount(total)),
                _("check the amounts, or the declared_total as published"), "total-mismatch"))

    return problems
