"""Quick rebuilds for the preview server: an edit of project files in a second or less.

A full build reads every content file and makes every output file (about 10 s at 10,000
projects, most of the files unchanged).  ``site-builder serve`` keeps what the last build made
in memory instead (:class:`LiveBuild`): the content read, and each producer's updater (its
:attr:`~site_builder.core.producers.ProducerSpec.live`), which keeps what that producer needs
to follow an edit (the category index, the static search index, the open data…).  When only
project files changed, and each still has its id, year and unit, it reads just those files
and asks every updater for the files they change, the same bytes a full build would make (a
property test builds both and compares).  An edit of a self-evaluation file that keeps its
link to its project (id, year, unit, ``project:`` and name) is an edit of that project
(:attr:`Edit.evaluation`).  Anything else (a unit file, a new or removed file,
templates, settings, pages, static files) takes a full build, after which the updaters are
made again; so does a site with a producer that has no updater.

Everything is made before anything is written; the files that changed are then written one by
one (:func:`~site_builder.build.writer.update_in_place`).  A quick rebuild that fails leaves
the output as it was and the next rebuild is a full one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.build import feeds
from site_builder.build.cache import save_index
from site_builder.build.collector import young_collections_only
from site_builder.build.jinja_env import templates_reading_site
from site_builder.build.pipeline import (
    CACHE_DIR,
    CONTENT_CACHE,
    BuildReport,
    build_site,
    make_context,
)
from site_builder.build.registry import producers
from site_builder.build.writer import update_in_place
from site_builder.content.cache import Cached, file_key
from site_builder.content.reader import (
    CONTENT_DIR,
    PAGES_DIR,
    assemble,
    load_entries,
    read_entry,
    shown_path,
)
from site_builder.content.schema import UNIT_FILE_NAME
from site_builder.core.outputs import BuildContext, BuildStats, OutputFile
from site_builder.core.producers import Edit, Updater
from site_builder.diagnostics import SiteBuilderError
from site_builder.model import Project, SelfEvaluation


@dataclass
class _Memory:
    """What the last build made, kept for quick rebuilds."""

    context: BuildContext
    """Its context (settings, site, diagnostics)."""
    entries: Cached
    """Every content file's entry, by shown path."""
    updaters: list[Updater]
    """Every producer's updater (see :attr:`ProducerSpec.live`), in registry order."""
    paths: set[str]
    """Every file of its output."""


class LiveBuild:
    """Builds a site again and again in one process, quickly when only projects changed."""

    def __init__(self, root: Path, out: Path, jobs: int = 1, base_url: str | None = None
                 ) -> None:
        self.root, self.out, self.jobs, self.base_url = root, out, jobs, base_url
        self._memory: _Memory | None = None
        self._pending: tuple[BuildContext, Cached] | None = None

    @property
    def ready(self) -> bool:
        """Whether the next project edit can be rebuilt quickly."""
        return self._memory is not None

    def rebuild(self, changed: Iterable[Path] | None = None) -> BuildReport:
        """Build again after ``changed`` files (None: anything may have changed)."""
        if changed is not None and self._memory is not None:
            report = self.quick(set(changed))
            if report is not None:
                return report
        return self.full()

    @young_collections_only()
    def full(self) -> BuildReport:
        """A full build; :meth:`prime` makes the memory for quick rebuilds afterwards."""
        self._memory = self._pending = None
        started = time.perf_counter()
        entries = load_entries(self.root, self.root / CACHE_DIR / CONTENT_CACHE, self.jobs)
        context = make_context(self.root, self.jobs, self.base_url, loaded=assemble(entries))
        report = build_site(context, self.out, started=started)
        self._pending = (context, entries)
        return report

    @young_collections_only()
    def prime(self) -> float:
        """Make the memory of the last full build (a few seconds at 10,000 projects); returns
        the seconds it took."""
        if self._pending is None:
            return 0.0
        started = time.perf_counter()
        context, entries = self._pending
        if templates_reading_site(self.root):
            self._pending = None  # any edit may change any page: every build is a full one
            return time.perf_counter() - started
        specs = producers()
        if any(spec.live is None for spec in specs):
            self._pending = None  # a producer that cannot follow edits: every build is full
            return time.perf_counter() - started
        self._memory = _Memory(context, entries, [spec.live(context) for spec in specs
                                                  if spec.live is not None], _files(self.out))
        self._pending = None
        return time.perf_counter() - started

    @young_collections_only()
    def quick(self, changed: set[Path]) -> BuildReport | None:
        """A quick rebuild after ``changed`` files, or None when they need a full build."""
        memory = self._memory
        assert memory is not None
        started = time.perf_counter()
        found = self._edits(memory, changed)
        if found is None:
            return None
        edits, entries = found
        if not edits:  # saved without a change
            memory.entries = entries
            return BuildReport(0, time.perf_counter() - started, tuple(
                d for d in memory.context.diagnostics if d.severity != "error"))
        try:
            report = self._quick(memory, edits, entries, started)
        except BaseException:
            self._memory = None  # half updated: the next rebuild is a full one
            raise
        if report is None:
            self._memory = None  # a producer asked for a full build
        return report

    def _edits(self, memory: _Memory, changed: set[Path]
               ) -> tuple[list[Edit], Cached] | None:
        """The edits in ``changed`` with the content entries after them, or None when the
        change is not only edits of projects.  Errors in the files read are raised."""
        entries = dict(memory.entries)
        edits: list[Edit] = []
        for path in sorted(changed):
            shown = shown_path(path, self.root)
            entry = memory.entries.get(shown)
            if entry is None or not _project_file(path, self.root) or not path.is_file() \
                    or path.is_symlink():  # a link: the full build checks where it leads
                return None
            old = entry[1][0]
            key = file_key(path)
            obj, found = read_entry(path, shown)
            errors = [d for d in found if d.severity == "error"]
            if errors:
                raise SiteBuilderError(errors)
            if isinstance(old, SelfEvaluation) and isinstance(obj, SelfEvaluation):
                linked = _same_link(memory.context, old, obj)
                if linked is None:
                    return None
                entries[shown] = (key, (obj, found))
                if obj != old or obj.field_pos != old.field_pos:
                    edits.append(Edit(linked, linked, evaluation=True))
                continue
            if not (isinstance(old, Project) and isinstance(obj, Project)
                    and (obj.id, obj.year, obj.unit_code) == (old.id, old.year, old.unit_code)):
                return None
            entries[shown] = (key, (obj, found))
            if obj != old or obj.field_pos != old.field_pos:
                edits.append(Edit(old, obj))
        return edits, entries

    def _quick(self, memory: _Memory, edits: list[Edit], entries: Cached,
               started: float) -> BuildReport | None:
        result = assemble(entries)
        errors = [d for d in result.diagnostics if d.severity == "error"]
        if errors:
            raise SiteBuilderError(errors)
        site = result.site
        context = replace(memory.context, site=site, diagnostics=result.diagnostics,
                          stats=BuildStats(), jobs=1, progress=None, out_dir=self.out)
        edits = _merged([Edit(e.old, site.project(e.new.id), e.evaluation) for e in edits])
        files: list[OutputFile] = []
        removed: set[str] = set()
        for updater in memory.updaters:
            update = updater.update(context, edits, memory.paths)
            if update is None:
                return None
            files += update.files
            removed |= update.removed
        paths = (memory.paths | {f.path for f in files}) - removed
        files += self._machine_files(context, paths, memory.paths != paths)
        written = update_in_place(self.out, files, removed)
        save_index(context.cache_dir, self.out, context.stats.made, merge=True)
        memory.context, memory.entries, memory.paths = context, entries, paths
        warnings = tuple(d for d in result.diagnostics if d.severity != "error")
        return BuildReport(written, time.perf_counter() - started, warnings,
                           context.stats.pages, context.stats.rendered)

    def _machine_files(self, context: BuildContext, paths: set[str], moved: bool
                       ) -> list[OutputFile]:
        """The feed, and the sitemap when pages came or went."""
        made = [feeds.feed(context)]
        if moved:
            made += feeds.sitemap(context, paths)
        return made


def _same_link(context: BuildContext, old: SelfEvaluation, new: SelfEvaluation
               ) -> Project | None:
    """The project a self-evaluation evaluates before and after an edit that keeps its id,
    year, unit, ``project:`` and name (so its link); None for any other edit, or one whose
    project the site does not have (its own page and the listings change: a full build)."""
    keys = [(e.id, e.year, e.unit_code, e.project, e.name) for e in (old, new)]
    return context.site.evaluated_project(old) if keys[0] == keys[1] else None


def _merged(edits: list[Edit]) -> list[Edit]:
    """One edit per project (a project and its self-evaluation edited together are one)."""
    found: dict[str, Edit] = {}
    for edit in edits:
        had = found.get(edit.new.id)
        found[edit.new.id] = edit if had is None else Edit(
            had.old, edit.new, had.evaluation or edit.evaluation)
    return list(found.values())


def _project_file(path: Path, root: Path) -> bool:
    """Whether ``path`` is a project file of the site (not a unit file, not a page)."""
    try:
        parts = path.resolve().relative_to((root / CONTENT_DIR).resolve()).parts
    except ValueError:
        return False
    return (path.suffix in (".yaml", ".yml") and path.name != UNIT_FILE_NAME
            and parts[:1] != (PAGES_DIR,))


def _files(out: Path) -> set[str]:
    """Every file under ``out``, as site-relative paths."""
    found: set[str] = set()
    base = str(out)
    for folder, _, names in os.walk(out):
        relative = os.path.relpath(folder, base)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names)
    return found
