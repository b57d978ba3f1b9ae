"""Open data in ``output/data/``: all projects as JSON, indicators as CSV, one JSON per project,
a Frictionless ``datapackage.json`` describing them, and the 数据下载 page listing them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from site_builder.build import urls
from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.build.pages import chrome_of, render
from site_builder.build.renderer import PageJob
from site_builder.build.views import years
from site_builder.export import (
    CSV_COLUMNS,
    dumps_indented,
    json_array_bytes,
    project_text,
    to_csv,
)
from site_builder.model import Site

CSV_TYPES: dict[str, str] = {"year": "year", "amount": "number", "value_number": "number"}
"""Frictionless field types of the CSV columns that are not plain strings."""


@dataclass(frozen=True)
class Download:
    """A data file as listed on the download page."""

    title: str
    """What it is."""
    path: str
    """Site-relative path."""
    format: str
    """File format for people (``CSV``)."""
    size: str
    """Size for people (``12.3 KB``)."""
    bytes: int
    """Exact size in bytes."""


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _json_bytes(data: Any) -> bytes:
    return (dumps_indented(data) + "\n").encode("utf-8")


def _resource(name: str, path: str, data: bytes, fmt: str, title: str) -> dict[str, Any]:
    return {
        "name": name, "path": path.removeprefix(f"{urls.DATA_DIR}/"), "title": title,
        "format": fmt, "mediatype": {"json": "application/json", "csv": "text/csv"}[fmt],
        "encoding": "utf-8", "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
    }


def data_date(context: BuildContext) -> str:
    """The data date shown on the download page: SOURCE_DATE_EPOCH when set, else the newest
    budget year (a build never reads the clock, so that it stays reproducible)."""
    if context.source_date_epoch is not None:
        return datetime.fromtimestamp(context.source_date_epoch, UTC).strftime("%Y-%m-%d")
    newest = years(context.site)
    return f"{newest[0]}年度预算" if newest else "—"


class DataFiles:
    """Every open-data file, made one by one and forgotten once handed on (at 50,000 projects
    ``projects.json`` alone is 250 MB); what the data package and the download page need of
    each file (size, checksum) is kept as it goes.  The data package comes last."""

    def __init__(self, site: Site, settings: dict[str, Any]) -> None:
        self.site, self.settings = site, settings
        self.resources: list[dict[str, Any]] = []
        """Data-package resources of the files made so far."""
        self.sizes: dict[str, int] = {}
        """Bytes of each file made so far, by path."""

    def __iter__(self) -> Iterator[OutputFile]:
        site = self.site
        texts = [project_text(site, p).encode("utf-8") for p in site.projects]
        yield self._made(urls.PROJECTS_JSON, json_array_bytes(texts) + b"\n", "projects",
                         "json", "全部项目")
        yield self._made(urls.INDICATORS_CSV, to_csv(site).encode("utf-8"), "indicators", "csv",
                         "绩效指标（每行一个指标）", CSV_DETAILS)
        for project, text in zip(site.projects, texts, strict=True):
            yield self._made(urls.project_data_path(project), text + b"\n",
                             f"project-{project.id}".lower(), "json", project.name)
        package = _json_bytes(datapackage(self.settings, self.resources))
        self.sizes[urls.DATAPACKAGE] = len(package)
        yield OutputFile(urls.DATAPACKAGE, package)

    def _made(self, path: str, data: bytes, name: str, fmt: str, title: str,
              details: dict[str, Any] | None = None) -> OutputFile:
        self.resources.append({**_resource(name, path, data, fmt, title), **(details or {})})
        self.sizes[path] = len(data)
        return OutputFile(path, data)


CSV_DETAILS: dict[str, Any] = {
    "profile": "tabular-data-resource", "encoding": "utf-8-sig",
    "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
    "schema": {"fields": [{"name": c, "type": CSV_TYPES.get(c, "string")} for c in CSV_COLUMNS],
               "missingValues": [""]},
}
"""What the data package says of indicators.csv beyond name, path, size and checksum."""


def datapackage(settings: dict[str, Any], resources: Sequence[object]) -> dict[str, Any]:
    """A Frictionless Data Package (v1) of ``resources`` (dictionaries, or their JSON text
    made by :func:`~site_builder.export.encoded`)."""
    return {
        "profile": "data-package", "name": "project-performance-targets",
        "title": str(settings["title"]), "description": str(settings["description"]),
        **({"contributors": [{"title": settings["publisher"], "role": "publisher"}]}
           if settings["publisher"] else {}),
        "resources": resources,
    }


def downloads(sizes: dict[str, int]) -> tuple[Download, ...]:
    titles = {urls.PROJECTS_JSON: ("全部项目及其绩效指标", "JSON"),
              urls.INDICATORS_CSV: ("全部绩效指标，每行一个（Excel 可直接打开）", "CSV"),
              urls.DATAPACKAGE: ("数据包说明（Frictionless Data Package）", "JSON")}
    return tuple(Download(title, path, fmt, human_size(sizes[path]), sizes[path])
                 for path, (title, fmt) in titles.items())


def produce(context: BuildContext) -> Iterator[OutputFile]:
    files = DataFiles(context.site, context.settings)
    yield from files
    yield from render(context, [downloads_job(context, files.sizes)])


def downloads_job(context: BuildContext, sizes: dict[str, int]) -> PageJob:
    """The 数据下载 page, given the size of every open-data file by path."""
    prefix = f"{urls.DATA_DIR}/projects/"
    per_project = sum(size for path, size in sizes.items() if path.startswith(prefix))
    return PageJob(urls.DOWNLOADS, "downloads.html", {
        "chrome": chrome_of(context), "downloads": downloads(sizes),
        "data_date": data_date(context), "project_files": len(context.site.projects),
        "project_files_size": human_size(per_project)})
