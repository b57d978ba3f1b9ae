"""Plan an import against the content a site already has: which file each imported unit and
project goes to, and what happens to every file (created, updated, unchanged, skipped,
absent or removed), without writing anything.

A project is matched by (year, unit code, compared name) (:mod:`site_builder.identity`), so
its id and file stay the same whatever its position in the table.  Two projects of the same
name in one unit and year are told apart by order: the k-th of that name in the table is the
k-th of that name in the site, by id.  A project that matches nothing gets the next free id.
Projects recorded as imported from the same file but no longer in it are *absent*: reported
and kept, or with ``prune`` removed.  :func:`check_plan` finds what ``validate`` would reject;
:func:`site_builder.content.writer.commit` writes the plan all or none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from site_builder.content.cache import Cached, Content
from site_builder.content.reader import CONTENT_DIR, assemble, content_files, read_entry, shown_path
from site_builder.content.schema import EVALUATION_SUFFIX, UNIT_FILE_NAME
from site_builder.content.writer import (
    Kind,
    body_of,
    content_text,
    digest,
    dump_yaml,
    evaluation_data,
    hand_edit_reason,
    project_data,
    recorded_digest,
    unit_data,
)
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import N_, _, listing
from site_builder.identity import (
    NameKey,
    format_id,
    highest_number,
    id_number,
    id_order,
    is_valid_code,
    is_valid_id,
    is_valid_year,
    name_key,
)
from site_builder.importers.base import ImportResult
from site_builder.model import Project, SelfEvaluation, Unit

Action = Literal["created", "updated", "unchanged", "skipped", "absent", "removed"]
ACTIONS: tuple[Action, ...] = ("created", "updated", "unchanged", "skipped", "absent",
                               "removed")
"""Every action, in the order reports count them."""

FIELD_NAMES: dict[str, str] = {
    "id": N_("id"), "year": N_("year"), "unit": N_("unit code"), "code": N_("unit code"),
    "name": N_("name"), "amount": N_("amount"), "goals": N_("goals"),
    "indicators": N_("indicators"), "notes": N_("notes"), "table_total": N_("table total"),
    "remark": N_("remark"), "source": N_("source"), "region": N_("region"),
    "parent_code": N_("parent code"), "declared_total": N_("declared total"),
    "title": N_("table title"),
}
"""Names of the content keys for report lines (translated where shown)."""

PROJECT_FIELDS_KEPT: tuple[str, ...] = ("goals", "notes", "table_total", "remark", "source")
"""Project fields that data may not carry (the indicator CSV): then kept from the site."""
REMOVED_SUFFIX = ".removed"
"""Added to the name of a project file that ``--prune`` takes out of the site: it is no
longer content (only ``.yaml`` files are), and its id stays taken so that no later project
gets it (a link to the old project never shows another one)."""
UNIT_FIELDS_KEPT: tuple[str, ...] = ("region", "parent_code", "declared_total", "title")
"""Unit fields that open data may not carry: then kept from the site."""


@dataclass(frozen=True)
class ImportInput:
    """One file to import, as its reader read it."""

    shown: str
    """The file as shown in messages."""
    origin: str
    """The file's name, recorded in the header of the files it writes."""
    result: ImportResult
    """What the reader found."""
    keeps_ids: bool = False
    """True when the data carries the projects' own ids (open data): a new project keeps
    its id when it is free.  A table's ids are positions and are never kept."""
    project_fields: frozenset[str] | None = None
    """The project fields the data carries (None: all); the others are kept from the site."""
    unit_fields: frozenset[str] | None = None
    """The unit fields the data carries (None: all); the others are kept from the site."""
    whole_file: bool = True
    """True when the file is the whole of what it was imported from before, so that the
    projects recorded from it but no longer in it are absent.  False for open data, which
    may be a part of a site (one unit, one project)."""


@dataclass(frozen=True)
class Change:
    """What an import does, or would do, to one content file."""

    path: str
    """The file, relative to the site (``content/2023/002001/2023-002001-01.yaml``)."""
    action: Action
    """created, updated, unchanged, skipped (edited by hand), absent (no longer in its
    table, kept) or removed (no longer in its table, deleted with ``--prune``)."""
    kind: Kind
    """A unit file or a project file."""
    id: str
    """The project's id; empty for a unit file."""
    name: str
    """The project's or the unit's name."""
    fields: tuple[str, ...] = ()
    """Keys whose values differ between the file and the table (updated, skipped)."""
    reason: str = ""
    """Why, in Chinese, where the action needs saying why (skipped, absent, removed)."""

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "action": self.action, "kind": self.kind, "id": self.id,
                "name": self.name, "fields": list(self.fields), "reason": self.reason}


@dataclass(frozen=True)
class Step:
    """What importing one file does."""

    input: ImportInput
    """The file."""
    changes: tuple[Change, ...]
    """Its unit files, then its projects in table order, then the absent projects."""
    notes: tuple[Diagnostic, ...]
    """What the import decided that the reader did not (same names, ids not kept)."""

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action == action)


@dataclass(frozen=True)
class ImportPlan:
    """Every file one import run writes or deletes, and the report of each input file."""

    steps: tuple[Step, ...]
    """One per input file, in the order given."""
    writes: dict[str, str]
    """The new text of each file written, by path relative to the site."""
    removals: dict[str, str]
    """Files taken out of the site (``--prune``): each path, relative to the site, and the
    name it is renamed to (:data:`REMOVED_SUFFIX`)."""
    warnings: tuple[Diagnostic, ...]
    """Content files that could not be read, so nothing could be matched to them."""
    entries: Cached = field(repr=False)
    """Every content file as read before the import, by shown path (for :func:`check_plan`)."""


@dataclass
class _File:
    """A content file as the import sees it: as on disk, or as the import leaves it."""

    text: str
    """Its whole text."""
    obj: Content | None
    """What it holds; None when it could not be read."""


@dataclass
class _Workspace:
    """The site's content files while a plan is made, each input file's changes applied."""

    files: dict[str, _File]
    """Every content file by path relative to the site."""
    taken: set[str]
    """Every id in use or given in this run (a removed one too), and every project file's
    name."""
    units: dict[tuple[str, str], str]
    """The file of each unit, by (year, code)."""
    writes: dict[str, str] = field(default_factory=dict)
    """Texts planned so far."""
    removals: dict[str, str] = field(default_factory=dict)
    """Files planned to be taken out, in order, with the name each is renamed to."""
    retired: set[str] = field(default_factory=set)
    """Files already taken out (``*.yaml.removed``), relative to the site."""
    highest: dict[tuple[str, str], int] = field(default_factory=dict)
    """The highest number given so far per (year, unit code), once asked for."""

    def projects(self) -> list[tuple[str, Project]]:
        return [(path, f.obj) for path, f in sorted(self.files.items())
                if isinstance(f.obj, Project)]

    def unit_path(self, unit: Unit) -> str:
        """The file of ``unit``'s year and code: the one the site has, or the usual place."""
        return self.units.get(unit.key) or \
            f"{CONTENT_DIR}/{unit.year}/{unit.code}/{UNIT_FILE_NAME}"

    def new_id(self, year: str, unit_code: str) -> str:
        """The next free ``<year>-<unit code>-<NN>``."""
        key = (year, unit_code)
        if key not in self.highest:
            self.highest[key] = highest_number(self.taken, year, unit_code)
        number = self.highest[key] + 1
        while format_id(year, unit_code, number) in self.taken:
            number += 1
        return format_id(year, unit_code, number)

    def put(self, path: str, text: str, obj: Content) -> None:
        self.files[path] = _File(text, obj)
        self.writes[path] = text
        if isinstance(obj, Unit):
            self.units.setdefault(obj.key, path)
            return
        if isinstance(obj, SelfEvaluation):
            return
        self.taken.add(obj.id)
        key = (obj.year, obj.unit_code)
        number = id_number(obj.id, *key)
        if key in self.highest and number is not None:
            self.highest[key] = max(self.highest[key], number)

    def remove(self, path: str) -> str:
        """Take ``path`` out of the site; returns the name it will be renamed to."""
        del self.files[path]
        self.writes.pop(path, None)
        aside, number = f"{path}{REMOVED_SUFFIX}", 1
        while aside in self.retired:
            number += 1
            aside = f"{path}{REMOVED_SUFFIX}.{number}"
        self.retired.add(aside)
        self.removals[path] = aside
        return aside


def load_workspace(root: Path) -> tuple[_Workspace, Cached, list[Diagnostic]]:
    """The site's content files, their entries by shown path, and a warning for each
    project file that cannot be read."""
    files: dict[str, _File] = {}
    entries: Cached = {}
    taken: set[str] = set()
    units: dict[tuple[str, str], str] = {}
    warnings: list[Diagnostic] = []
    for path in content_files(root):
        relative = path.relative_to(root).as_posix()
        shown = shown_path(path, root)
        entry = read_entry(path, shown)
        entries[shown] = ([], entry)
        obj = entry[0]
        files[relative] = _File(path.read_text(encoding="utf-8", errors="replace"), obj)
        if path.name != UNIT_FILE_NAME:
            taken.add(path.stem)
        if isinstance(obj, Project):
            taken.add(obj.id)
        elif isinstance(obj, Unit):
            units.setdefault(obj.key, relative)
        elif obj is None and path.name != UNIT_FILE_NAME:
            warnings.append(Diagnostic(
                Position(shown), "warning",
                _("This project file cannot be read, so the import cannot match the table's "
                  "projects to it, and a second project of the same name may appear"),
                _("Find and correct the errors with site-builder validate first, then import"),
                "unreadable-content"))
    retired = {path.relative_to(root).as_posix() for path in _removed_files(root)}
    taken.update(PurePosixPath(path).name.split(".yaml" + REMOVED_SUFFIX)[0]
                 for path in retired)
    return _Workspace(files, taken, units, retired=retired), entries, warnings


def _removed_files(root: Path) -> list[Path]:
    """The project files ``--prune`` took out of the site before."""
    folder = root / CONTENT_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(f"*.yaml{REMOVED_SUFFIX}*") if p.is_file())


def plan_import(root: Path, inputs: list[ImportInput], force: bool = False,
                prune: bool = False) -> ImportPlan:
    """What importing ``inputs`` (in order, each seeing the ones before) would do to the site
    at ``root``.  Raises :class:`SiteBuilderError` when a year, unit code or id cannot be a
    file name."""
    workspace, entries, warnings = load_workspace(root)
    steps = tuple(_step(workspace, item, force, prune) for item in inputs)
    return ImportPlan(steps, workspace.writes, workspace.removals, tuple(warnings), entries)


def _step(ws: _Workspace, item: ImportInput, force: bool, prune: bool) -> Step:
    result = item.result
    _refuse_unsafe(result)
    changes: list[Change] = []
    notes: list[Diagnostic] = []
    for unit in result.units:
        path = ws.unit_path(unit)
        current = ws.files.get(path)
        if item.unit_fields is not None and current and isinstance(current.obj, Unit):
            unit = _kept(unit, current.obj, UNIT_FIELDS_KEPT, item.unit_fields)
        changes.append(_write(ws, path, unit, item.origin, force))
    targets = _match(ws, item)
    notes += _same_name_notes(result)
    claimed: set[str] = set()
    for project, target in zip(result.projects, targets, strict=True):
        if target is None:
            project_id = _new_id(ws, project, item, notes)
            path = f"{CONTENT_DIR}/{project.year}/{project.unit_code}/{project_id}.yaml"
            claimed.add(path)
            changes.append(_write(ws, path, dataclasses.replace(project, id=project_id),
                                  item.origin, force))
            continue
        claimed.add(target)
        stored = ws.files[target].obj
        assert isinstance(stored, Project)
        project = dataclasses.replace(project, id=stored.id)
        if item.project_fields is not None:
            project = _kept(project, stored, PROJECT_FIELDS_KEPT, item.project_fields)
        changes.append(_write(ws, target, project, item.origin, force))
    changes += _absent(ws, item, claimed, force, prune)
    for evaluation in result.evaluations:
        placed = _placed(ws, evaluation)
        path = (f"{CONTENT_DIR}/{placed.year}/{placed.unit_code}/{placed.id}"
                f"{EVALUATION_SUFFIX}")
        changes.append(_write(ws, path, placed, item.origin, force))
    return Step(item, tuple(changes), tuple(notes))


def _placed(ws: _Workspace, evaluation: SelfEvaluation) -> SelfEvaluation:
    """``evaluation`` with its unit's code (found by the name of its 实施单位 or 主管部门 among
    the site's units of that year), and the id and ``project:`` of the project of that name
    (else an id of its own)."""
    where = evaluation.field_pos.get("implementer", evaluation.pos)
    if not is_valid_year(evaluation.year):
        raise SiteBuilderError([_unsafe(evaluation.pos, _(
            "The self-evaluation states no year (the form's heading has （2023年度）)"),
            _("Write the year in the form's heading, e.g. （2023年度）"))])
    names = {evaluation.implementer.strip(), evaluation.department.strip()} - {""}
    units = sorted(f.obj.code for f in ws.files.values() if isinstance(f.obj, Unit)
                   and f.obj.year == evaluation.year and f.obj.name.strip() in names)
    if not units:
        raise SiteBuilderError([_unsafe(where, _(
            "No unit of {year} is named {names}: the self-evaluation's unit code is found by "
            "the unit's name").format(year=evaluation.year, names=listing(sorted(names)) or "''"),
            _("Import the unit's 项目支出绩效目标表 first, or check the 实施单位 as written"))])
    code = units[0]
    project = next((p for _, p in ws.projects() if (p.year, p.unit_code) == (evaluation.year,
                    code) and p.name.strip() == evaluation.name.strip()), None)
    if project is not None:
        return dataclasses.replace(evaluation, unit_code=code, id=project.id,
                                   project=project.id)
    mark = hashlib.sha256(evaluation.name.encode("utf-8")).hexdigest()[:6]
    return dataclasses.replace(evaluation, unit_code=code,
                               id=f"{evaluation.year}-{code}-e{mark}")


def _refuse_unsafe(result: ImportResult) -> None:
    """Stop when a year or unit code could not be a folder name (ids are checked when they
    are given)."""
    problems = []
    places = [(u.year, u.code, u.pos) for u in result.units]
    for year, code, pos in (*places, *((p.year, p.unit_code, p.pos) for p in result.projects)):
        if not is_valid_year(year):
            problems.append(_unsafe(pos, _("The year '{year}' is not a year of four "
                                           "digits").format(year=year),
                                    _("Write the year as four digits, e.g. 2023")))
        if not is_valid_code(code):
            problems.append(_unsafe(pos, _("The unit code '{code}' cannot be used as a folder "
                                           "name (only letters, digits, - and _, at most "
                                           "32)").format(code=code),
                                    _("Write the unit code as the published table has it, e.g. "
                                      "002001")))
    if problems:
        raise SiteBuilderError(problems)


def _unsafe(pos: Position, message: str, hint: str) -> Diagnostic:
    return Diagnostic(pos, "error", message, hint, "unsafe-name")


def _kept(new: Any, stored: Any, keys: tuple[str, ...], carried: frozenset[str]) -> Any:
    """``new`` with the fields of ``keys`` that the data does not carry taken from ``stored``."""
    return dataclasses.replace(new, **{k: getattr(stored, k) for k in keys if k not in carried})


def _match(ws: _Workspace, item: ImportInput) -> list[str | None]:
    """The existing file of each imported project, or None for a new project.

    First by name (the k-th of a name in the table takes the k-th of that name in the site,
    by id); then, for what is left, open data by id within the same unit and year, and a
    table by the digest of a file edited by hand after it was imported from this very row."""
    by_key: dict[NameKey, list[tuple[tuple[int, int, str], str]]] = {}
    by_unit: dict[tuple[str, str], list[tuple[str, Project]]] = {}
    for path, stored in ws.projects():
        key = name_key(stored.year, stored.unit_code, stored.name)
        by_key.setdefault(key, []).append((id_order(stored.id, stored.year, stored.unit_code),
                                           path))
        by_unit.setdefault((stored.year, stored.unit_code), []).append((path, stored))
    free = {key: [path for _number, path in sorted(found)] for key, found in by_key.items()}
    targets: list[str | None] = []
    for project in item.result.projects:
        waiting = free.get(name_key(project.year, project.unit_code, project.name), [])
        targets.append(waiting.pop(0) if waiting else None)
    claimed = {t for t in targets if t is not None}
    for index, project in enumerate(item.result.projects):
        if targets[index] is None:
            group = by_unit.get((project.year, project.unit_code), [])
            found = _second_match(ws, item, project, group, claimed)
            if found is not None:
                targets[index] = found
                claimed.add(found)
    return targets


def _second_match(ws: _Workspace, item: ImportInput, project: Project,
                  group: list[tuple[str, Project]], claimed: set[str]) -> str | None:
    """A file of the same unit and year left over by name matching that is this project."""
    for path, stored in group:
        if path in claimed:
            continue
        if item.keeps_ids:
            if stored.id == project.id:
                return path
            continue
        text = ws.files[path].text
        if hand_edit_reason(text) and recorded_digest(text) == digest(
                dump_yaml(project_data(dataclasses.replace(project, id=stored.id)))):
            return path
    return None


def _same_name_notes(result: ImportResult) -> list[Diagnostic]:
    counts = Counter(name_key(p.year, p.unit_code, p.name) for p in result.projects)
    notes = []
    for project in result.projects:
        key = name_key(project.year, project.unit_code, project.name)
        if counts.pop(key, 1) > 1:
            notes.append(Diagnostic(
                project.pos, "info",
                _("The project name '{name}' appears more than once in the table of the unit "
                  "{code} for {year}: in the table's order, the first is matched with the "
                  "project of that name with the smallest id on the site, the second with the "
                  "next, and so on; any more become new projects").format(
                      name=project.name, year=project.year, code=project.unit_code),
                code="same-name"))
    return notes


def _new_id(ws: _Workspace, project: Project, item: ImportInput,
            notes: list[Diagnostic]) -> str:
    wanted = project.id
    if item.keeps_ids and is_valid_id(wanted) and wanted not in ws.taken:
        return wanted
    given = ws.new_id(project.year, project.unit_code)
    if item.keeps_ids:
        message = (_("The id '{wanted}' of the project '{name}' is used by another project on "
                     "the site; the new id {given} is used instead") if is_valid_id(wanted) else
                   _("The id '{wanted}' of the project '{name}' cannot be used as a file name; "
                     "the new id {given} is used instead"))
        notes.append(Diagnostic(project.pos, "info",
                                message.format(wanted=wanted, name=project.name, given=given),
                                code="new-id"))
    return given


def _write(ws: _Workspace, path: str, obj: Content, origin: str, force: bool) -> Change:
    kind: Kind = ("unit" if isinstance(obj, Unit) else
                  "project" if isinstance(obj, Project) else "evaluation")
    data = (unit_data(obj) if isinstance(obj, Unit) else
            project_data(obj) if isinstance(obj, Project) else evaluation_data(obj))
    body = dump_yaml(data)
    project_id = "" if isinstance(obj, Unit) else obj.id
    current = ws.files.get(path)
    if current is None:
        ws.put(path, content_text(path, body, kind, origin), obj)
        return Change(path, "created", kind, project_id, obj.name)
    if body_of(current.text) == body:
        return Change(path, "unchanged", kind, project_id, obj.name)
    fields = _changed(current.obj, data)
    reason = hand_edit_reason(current.text)
    if reason and not force:
        return Change(path, "skipped", kind, project_id, obj.name, fields, reason)
    ws.put(path, content_text(path, body, kind, origin), obj)
    return Change(path, "updated", kind, project_id, obj.name, fields,
                  _("{reason}; overwritten as --force asks").format(reason=reason)
                  if reason else "")


def _changed(stored: Content | None, data: dict[str, Any]) -> tuple[str, ...]:
    """The keys whose values differ between ``stored`` and ``data`` (all when unreadable)."""
    if isinstance(stored, Unit):
        old = unit_data(stored)
    elif isinstance(stored, Project):
        old = project_data(stored)
    elif isinstance(stored, SelfEvaluation):
        old = evaluation_data(stored)
    else:
        return tuple(data)
    return tuple(k for k in (*data, *(k for k in old if k not in data))
                 if old.get(k) != data.get(k))


def source_file(source: str) -> str:
    """The file part of a project's ``source`` (``002.txt:10`` → ``002.txt``)."""
    return source.split(":", 1)[0]


def _absent(ws: _Workspace, item: ImportInput, claimed: set[str], force: bool,
            prune: bool) -> list[Change]:
    """The projects recorded as imported from this input's file(s) that it no longer has."""
    if not item.whole_file:
        return []
    scope = {item.origin, *(source_file(p.source) for p in item.result.projects)} - {""}
    changes = []
    for path, stored in ws.projects():
        origin = source_file(stored.source)
        if path in claimed or origin not in scope:
            continue
        where = _("The project '{name}' was imported from {origin}, and {shown}, imported "
                  "now, no longer has it").format(name=stored.name, origin=origin,
                                                  shown=item.shown)
        edited = hand_edit_reason(ws.files[path].text)
        if prune and (force or not edited):
            aside = PurePosixPath(ws.remove(path)).name
            changes.append(Change(path, "removed", "project", stored.id, stored.name,
                                  reason=_("{where}; taken off the site as --prune asks, and "
                                           "the file renamed {aside} (its id is never given to "
                                           "another project)").format(where=where,
                                                                       aside=aside)))
        elif prune:
            changes.append(Change(path, "absent", "project", stored.id, stored.name,
                                  reason=_("{where}; {edited}, and --prune does not delete "
                                           "files edited by hand (add --force as well to delete "
                                           "it)").format(where=where, edited=edited)))
        else:
            changes.append(Change(path, "absent", "project", stored.id, stored.name,
                                  reason=_("{where}; the file is kept (add --prune to delete "
                                           "it if it is really not wanted)").format(
                                               where=where)))
    return changes


def check_plan(root: Path, plan: ImportPlan) -> list[Diagnostic]:
    """The errors ``validate`` would report once the plan is written that it does not report
    now (the new texts are read from a temporary folder outside the site)."""
    before = plan.entries
    after = dict(before)
    with tempfile.TemporaryDirectory(prefix="site-builder-import-") as folder:
        for relative, text in plan.writes.items():
            staged = Path(folder, relative)
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(text, encoding="utf-8", newline="\n")
            shown = shown_path(root / relative, root)
            after[shown] = ([], read_entry(staged, shown))
    for relative in plan.removals:
        after.pop(shown_path(root / relative, root), None)
    old = {_signature(d) for d in assemble(before).diagnostics if d.severity == "error"}
    return [d for d in assemble(after).diagnostics
            if d.severity == "error" and _signature(d) not in old]


def _signature(diagnostic: Diagnostic) -> tuple[str, str, str]:
    return (diagnostic.pos.path, diagnostic.code, diagnostic.message)
