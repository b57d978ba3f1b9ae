"""Open data held in memory by the preview server, made again for one edited project.

A build (:func:`~site_builder.build.opendata.produce`) encodes every project each time (a
second at 10,000 projects) and streams ``projects.json`` and ``indicators.csv`` to disk.  The
preview keeps each project's JSON text (indented as ``projects.json`` holds it), its CSV rows
and its data-package resource, so that after an edit it encodes that project only and joins
the rest: the same bytes as a build writes (:class:`~site_builder.build.opendata.DataFiles`
makes them whole for the tests that compare).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from site_builder.build.opendata import (
    CSV_DETAILS,
    datapackage,
    downloads_job,
    evaluation_files,
    evaluation_resource,
    file_resource,
    json_bytes,
)
from site_builder.build.pages import render
from site_builder.core import urls
from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import Edit, Update
from site_builder.export import CSV_HEADER, dumps_indented, encoded, project_csv, project_text
from site_builder.model import Project, Site

_LINE_END = b"\r\n"


class LiveData:
    """Every open-data file of a site, kept to be made again after an edit."""

    def __init__(self, site: Site, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.ids = {p.id: n for n, p in enumerate(site.projects)}
        self.paths = [urls.project_data_path(p) for p in site.projects]
        self.items: list[bytes] = []
        """By project: its JSON text as ``projects.json`` holds it (indented by two)."""
        self.rows: list[bytes] = []
        """By project: its CSV rows with their line ends."""
        self.evaluations = evaluation_files(site)
        """evaluations.json and evaluations.csv, when the site has self-evaluations (an
        edit that keeps each project's name keeps them; see :class:`LiveOpenData`)."""
        self.head = 2 + len(self.evaluations)
        """Where the projects' own files start among :attr:`resources`."""
        self.resources: list[str] = ["", "", *(dumps_indented(evaluation_resource(made))
                                               for made in self.evaluations)]
        """The data package's resources as JSON text: projects.json, indicators.csv, the
        self-evaluation files, then each project's file in site order."""
        self.sizes: dict[str, int] = {}
        """Bytes of every file, by path (the download page shows them)."""
        self.sizes.update({made.path: len(made.data) for made in self.evaluations})
        self.own: dict[str, bytes] = {}
        """Each project's file made by the last :meth:`edit`, by path."""
        for project in site.projects:
            self.rows.append(project_csv(site, project).encode("utf-8"))
            self.resources.append(self._project(project, project_text(site, project)))
        self.own.clear()

    def _project(self, project: Project, text: str) -> str:
        """Note a project's JSON ``text``; returns its resource."""
        data = text.encode("utf-8")
        item = data.replace(b"\n", b"\n  ")
        number = self.ids[project.id]
        if number < len(self.items):
            self.items[number] = item
        else:
            self.items.append(item)
        path = urls.project_data_path(project)
        made = self.own[path] = data + b"\n"
        self.sizes[path] = len(made)
        return dumps_indented(file_resource(f"project-{project.id}".lower(), path, made, "json",
                                        project.name))

    def edit_many(self, site: Site, projects: Iterable[Project], evaluations: bool = False
                  ) -> list[OutputFile]:
        """The files that change when ``projects`` (each keeping its id and place) are edited
        in ``site``; ``evaluations``: when some of their self-evaluations were edited too."""
        if evaluations:
            self._evaluations(site)
        for project in projects:
            number = self.ids[project.id]
            self.rows[number] = project_csv(site, project).encode("utf-8")
            self.resources[self.head + number] = self._project(project,
                                                               project_text(site, project))
        own = [OutputFile(path, data) for path, data in self.own.items()]
        self.own.clear()
        return [*self._joined(), *own, self._package()]

    def _evaluations(self, site: Site) -> None:
        """evaluations.json and evaluations.csv made again (the site keeps as many
        self-evaluation files: an edit never adds or removes one)."""
        self.evaluations = evaluation_files(site)
        for number, made in enumerate(self.evaluations):
            self.resources[2 + number] = dumps_indented(evaluation_resource(made))
            self.sizes[made.path] = len(made.data)

    def _joined(self) -> list[OutputFile]:
        """projects.json and indicators.csv, with their resources noted (each joined with
        one copy of its 50 MB at 10,000 projects, both checksums made at once)."""
        projects = _joined(b",\n  ", self.items, b"[\n  ", b"\n]\n") if self.items else b"[]\n"
        rows = _joined(b"", self.rows, CSV_HEADER.encode("utf-8") + _LINE_END, b"")
        made = [(urls.PROJECTS_JSON, projects, "projects", "json", "全部项目", {}),
                (urls.INDICATORS_CSV, rows, "indicators", "csv", "绩效指标（每行一个指标）",
                 CSV_DETAILS)]
        with ThreadPoolExecutor(len(made)) as pool:  # hashlib lets go of the GIL
            resources = list(pool.map(lambda m: file_resource(m[2], m[0], m[1], m[3], m[4]), made))
        for index, ((path, data, _, _, _, details), resource) in enumerate(
                zip(made, resources, strict=True)):
            self.resources[index] = dumps_indented({**resource, **details})
            self.sizes[path] = len(data)
        return [*(OutputFile(path, data) for path, data, *_ in made), *self.evaluations]

    def _package(self) -> OutputFile:
        data = json_bytes(datapackage(self.settings, [encoded(r) for r in self.resources]))
        self.sizes[urls.DATAPACKAGE] = len(data)
        return OutputFile(urls.DATAPACKAGE, data)

    def files(self) -> list[OutputFile]:
        """Every open-data file, in the order :class:`DataFiles` makes them."""
        joined = self._joined()
        own = [OutputFile(path, item.replace(b"\n  ", b"\n") + b"\n")
               for path, item in zip(self.paths, self.items, strict=True)]
        return [*joined, *own, self._package()]


class LiveOpenData:
    """The open data's updater (see :data:`site_builder.build.opendata.PRODUCER`): the
    edited projects' files, the joined files, the data package and the download page."""

    def __init__(self, context: BuildContext) -> None:
        self.data = LiveData(context.site, context.settings)

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        if context.site.renames_move_evaluations((e.old, e.new) for e in edits):
            return None  # a self-evaluation linked by name may now belong to another project
        files = self.data.edit_many(context.site, [e.new for e in edits],
                                    any(e.evaluation for e in edits))
        files += render(context, [downloads_job(context, self.data.sizes)])
        return Update(files)


def _joined(separator: bytes, items: list[bytes], head: bytes, tail: bytes) -> bytes:
    """``head + separator.join(items) + tail``, copying the items once."""
    if not items:
        return head + tail
    parts = list(items)
    parts[0] = head + parts[0]
    parts[-1] = parts[-1] + tail
    return separator.join(parts)
