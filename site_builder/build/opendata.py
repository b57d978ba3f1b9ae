"""Open data in ``output/data/``: all projects as JSON, indicators as CSV, one JSON per project,
a Frictionless ``datapackage.json`` describing them, and the 数据下载 page listing them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from site_builder.build import urls
from site_builder.build.outputs import BuildContext, Output, OutputFile, OutputStream
from site_builder.build.pages import chrome_of, render
from site_builder.build.renderer import PageJob
from site_builder.build.views import years
from site_builder.export import (
    CSV_COLUMNS,
    csv_chunks,
    dumps_indented,
    json_array_chunks,
    project_text,
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


def _resource(name: str, path: str, size: int, digest: Any, fmt: str, title: str
              ) -> dict[str, Any]:
    return {
        "name": name, "path": path.removeprefix(f"{urls.DATA_DIR}/"), "title": title,
        "format": fmt, "mediatype": {"json": "application/json", "csv": "text/csv"}[fmt],
        "encoding": "utf-8", "bytes": size, "hash": f"sha256:{digest.hexdigest()}",
    }


def data_date(context: BuildContext) -> str:
    """The data date shown on the download page: SOURCE_DATE_EPOCH when set, else the newest
    budget year (a build never reads the clock, so that it stays reproducible)."""
    if context.source_date_epoch is not None:
        return datetime.fromtimestamp(context.source_date_epoch, UTC).strftime("%Y-%m-%d")
    newest = years(context.site)
    return f"{newest[0]}年度预算" if newest else "—"


class DataFiles:
    """Every open-data file, made one by one and forgotten once handed on; the two large ones
    (at 50,000 projects ``projects.json`` is 250 MB, ``indicators.csv`` 120 MB) are written a
    project at a time.  What the data package and the download page need of each file (size,
    checksum) is kept as it goes.  The data package comes last."""

    def __init__(self, site: Site, settings: dict[str, Any]) -> None:
        self.site, self.settings = site, settings
        self.resources: dict[str, dict[str, Any]] = {}
        """Data-package resources of the files made so far, by path."""
        self.sizes: dict[str, int] = {}
        """Bytes of each file made so far, by path."""

    def __iter__(self) -> Iterator[Output]:
        site = self.site
        texts = [project_text(site, p).encode("utf-8") for p in site.projects]
        yield from self._streamed(urls.PROJECTS_JSON, _lines(json_array_chunks(texts)),
                                  "projects", "json", "全部项目")
        for number, project in enumerate(site.projects):
            text, texts[number] = texts[number], b""  # each let go once written
            yield self._made(urls.project_data_path(project), text + b"\n",
                             f"project-{project.id}".lower(), "json", project.name)
        del texts
        yield from self._streamed(urls.INDICATORS_CSV,
                                  (chunk.encode("utf-8") for chunk in csv_chunks(site)),
                                  "indicators", "csv", "绩效指标（每行一个指标）", CSV_DETAILS)
        package = _json_bytes(datapackage(self.settings, self._in_order()))
        self.sizes[urls.DATAPACKAGE] = len(package)
        yield OutputFile(urls.DATAPACKAGE, package)

    def _in_order(self) -> list[dict[str, Any]]:
        """The resources as the data package lists them: projects.json, indicators.csv, then
        each project's file."""
        first = [self.resources.pop(urls.PROJECTS_JSON), self.resources.pop(urls.INDICATORS_CSV)]
        return first + list(self.resources.values())

    def _made(self, path: str, data: bytes, name: str, fmt: str, title: str) -> OutputFile:
        self.resources[path] = _resource(name, path, len(data), hashlib.sha256(data), fmt,
                                         title)
        self.sizes[path] = len(data)
        return OutputFile(path, data)

    def _streamed(self, path: str, chunks: Iterable[bytes], name: str, fmt: str, title: str,
                  details: dict[str, Any] | None = None) -> Iterator[OutputStream]:
        """The file ``path`` as a stream, noted once the writer has written it all."""
        digest, size = hashlib.sha256(), [0]

        def counted() -> Iterator[bytes]:
            for chunk in chunks:
                digest.update(chunk)
                size[0] += len(chunk)
                yield chunk
            self.resources[path] = {**_resource(name, path, size[0], digest, fmt, title),
                                    **(details or {})}
            self.sizes[path] = size[0]

        yield OutputStream(path, counted())
        if path not in self.sizes:
            raise RuntimeError(f"{path} was not written before the next file was asked for")


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks`` and a final newline."""
    yield from chunks
    yield b"\n"


CSV_DETAILS: dict[str, Any] = {
    "profile": "tabular-data-resource", "encoding": "utf-8-sig",
    "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
    "schema": {"fields": [{"name": c, "type": CSV_TYPES.get(c, "string")} for c in CSV_COLUMNS],
               "missingValues": [""]},
}
"""What the data package says of indicators.csv beyond name, path, size and checksum."""


def datapackage(settings: dict[str, Any], resources: list[dict[str, Any]]) -> dict[str, Any]:
    """A Frictionless Data Package (v1) of ``resources``."""
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


def produce(context: BuildContext) -> Iterator[Output]:
    files = DataFiles(context.site, context.settings)
    yield from files
    prefix = f"{urls.DATA_DIR}/projects/"
    per_project = sum(size for path, size in files.sizes.items() if path.startswith(prefix))
    job = PageJob(urls.DOWNLOADS, "downloads.html", {
        "chrome": chrome_of(context), "downloads": downloads(files.sizes),
        "data_date": data_date(context), "project_files": len(context.site.projects),
        "project_files_size": human_size(per_project)})
    yield from render(context, [job])
