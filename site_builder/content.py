"""Gather and validate all content of a site: unit files, project files, integrity rules."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from site_builder.content_cache import Cached, Entry, file_key, read_cache, write_cache
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.model import Indicator, Project, Site, Unit, format_amount
from site_builder.schema import PROJECT_FIELDS, UNIT_FIELDS, UNIT_FILE_NAME
from site_builder.validate_fields import check_mapping
from site_builder.yamlsafe import load_yaml_file

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


def content_files(root: Path) -> list[Path]:
    """Every YAML file under ``root/content`` (pages excluded), sorted."""
    base = root / CONTENT_DIR
    if not base.is_dir():
        return []
    files = [p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(p for p in files if PAGES_DIR not in p.relative_to(base).parts[:1])


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _shown_paths(files: list[Path], root: Path) -> list[str]:
    """:func:`shown_path` of each file, resolving each folder once for all its files (a file
    that is itself a link is resolved on its own) instead of every folder of every path."""
    inside = str(root.resolve()).rstrip("/") + "/"
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
        shown.append(resolved.removeprefix(inside) if resolved.startswith(inside)
                     else path.as_posix())
    return shown


def read_entry(path: Path, shown: str) -> Entry:
    """Read one content file into its object (or None) and diagnostics."""
    try:
        if path.name == UNIT_FILE_NAME:
            return read_unit(path, shown)
        return read_project(path, shown)
    except SiteBuilderError as exc:
        return None, exc.diagnostics


def read_entries(files: list[tuple[Path, str]], jobs: int = 1) -> list[Entry]:
    """:func:`read_entry` of each (path, shown), in order; with ``jobs`` > 1 and enough files,
    in that many worker processes."""
    if jobs < 2 or len(files) < PARALLEL_FROM:
        return [read_entry(path, shown) for path, shown in files]
    chunk = max(1, len(files) // (jobs * 4))
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_read_star, files, chunksize=chunk))


def _read_star(item: tuple[Path, str]) -> Entry:
    return read_entry(*item)


def load_site(root: Path, cache: Path | None = None, jobs: int = 1) -> LoadResult:
    """Read and validate all content under ``root``.

    With ``cache`` (a file path), files whose mtime and size are unchanged since the last
    call are taken from the cache instead of being parsed again.  Files to parse are read by
    ``jobs`` worker processes when there are many.
    """
    return assemble(load_entries(root, cache, jobs))


def load_entries(root: Path, cache: Path | None = None, jobs: int = 1) -> Cached:
    """What every content file holds, by shown path, with the key it was read at (see
    :func:`load_site`); :func:`assemble` makes the site of them."""
    cached, records = read_cache(cache) if cache else ({}, {})
    entries: Cached = {}
    missing: list[tuple[Path, str]] = []
    files = content_files(root)
    for path, shown in zip(files, _shown_paths(files, root), strict=True):
        key = file_key(path)
        hit = cached.get(shown)
        if hit and hit[0] == key:
            entries[shown] = (key, hit[1])
        else:
            entries[shown] = (key, (None, []))
            missing.append((path, shown))
            records.pop(shown, None)
    for (_, shown), entry in zip(missing, read_entries(missing, jobs), strict=True):
        entries[shown] = (entries[shown][0], entry)
    if cache and (missing or len(entries) != len(cached)):  # else entries == cached
        write_cache(cache, entries, records)
    return entries


def assemble(entries: Cached) -> LoadResult:
    """The site of the files' ``entries``, with the rules across files checked."""
    units: list[Unit] = []
    projects: list[Project] = []
    problems: list[Diagnostic] = []
    for _, (obj, found) in entries.values():
        if isinstance(obj, Unit):
            units.append(obj)
        elif isinstance(obj, Project):
            projects.append(obj)
        problems.extend(found)
    units.sort(key=lambda u: u.key)
    projects.sort(key=project_order)
    problems.extend(check_integrity(units, projects))
    problems.sort(key=lambda d: (d.pos, d.message))
    return LoadResult(Site(tuple(units), tuple(projects)), tuple(problems))


def project_order(project: Project) -> tuple[str, str, str]:
    """Where a project stands in the site: by year, unit code and id."""
    return (project.year, project.unit_code, project.id)


def read_unit(path: Path, shown: str) -> tuple[Unit | None, list[Diagnostic]]:
    node = load_yaml_file(path, shown)
    values, _, problems = check_mapping(node, UNIT_FIELDS, "unit", Position(shown, 1, 1))
    if problems:
        return None, problems
    unit = Unit(
        code=str(values["code"]), year=str(values["year"]), name=str(values["name"]),
        region=str(values.get("region") or ""), parent_code=str(values.get("parent_code") or ""),
        declared_total=_decimal_or_none(values.get("declared_total")),
        title=str(values.get("title") or ""), pos=Position(shown, 1, 1),
    )
    return unit, []


def read_project(path: Path, shown: str) -> tuple[Project | None, list[Diagnostic]]:
    node = load_yaml_file(path, shown)
    values, positions, problems = check_mapping(node, PROJECT_FIELDS, "project",
                                                Position(shown, 1, 1))
    if any(d.severity == "error" for d in problems):
        return None, problems
    indicators: tuple[Indicator, ...] = values.get("indicators") or ()  # type: ignore[assignment]
    total = values.get("table_total")
    project = Project(
        id=str(values["id"]), year=str(values["year"]), unit_code=str(values["unit"]),
        name=str(values["name"]), amount=values["amount"],  # type: ignore[arg-type]
        goals=tuple(values.get("goals") or ()),  # type: ignore[arg-type]
        indicators=indicators, notes=tuple(values.get("notes") or ()),  # type: ignore[arg-type]
        table_total=None if total is None else str(total),
        remark=str(values.get("remark") or ""), source=str(values.get("source") or ""),
        pos=Position(shown, 1, 1), field_pos=positions,
    )
    return project, problems


def _decimal_or_none(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def check_integrity(units: list[Unit], projects: list[Project]) -> list[Diagnostic]:
    """Rules across files: duplicate ids and units, missing units, declared totals."""
    problems: list[Diagnostic] = []
    seen: dict[str, Project] = {}
    for project in projects:
        first = seen.setdefault(project.id, project)
        if first is not project:
            problems.append(Diagnostic(
                project.field_pos.get("id", project.pos), "error",
                f"duplicate id '{project.id}' (also used by {first.pos.path})",
                "give each project its own id; ids are used in URLs", "duplicate-id"))
    unit_keys: dict[tuple[str, str], Unit] = {}
    for unit in units:
        if unit.key in unit_keys:
            problems.append(Diagnostic(unit.pos, "error", f"unit {unit.code} ({unit.year}) is "
                                       f"defined twice (also in {unit_keys[unit.key].pos.path})",
                                       "keep one unit file per unit and year", "duplicate-unit"))
        unit_keys.setdefault(unit.key, unit)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for project in projects:
        sums[(project.year, project.unit_code)] += project.amount
        if (project.year, project.unit_code) not in unit_keys:
            problems.append(Diagnostic(
                project.field_pos.get("unit", project.pos), "error",
                f"unit '{project.unit_code}' of year {project.year} has no unit file",
                f"create content/{project.year}/{project.unit_code}/{UNIT_FILE_NAME}",
                "unknown-unit"))
    for key, unit in sorted(unit_keys.items()):
        total = sums.get(key, Decimal(0))
        if unit.declared_total is not None and unit.declared_total != total:
            problems.append(Diagnostic(
                unit.pos, "warning",
                f"unit {unit.code} ({unit.year}) declares a total of "
                f"{format_amount(unit.declared_total)} 万元 "
                f"but its projects add up to {format_amount(total)} 万元",
                "check the amounts, or the declared_total as published", "total-mismatch"))
    return problems
