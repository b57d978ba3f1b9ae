"""Open data in ``output/data/``: all projects as JSON, indicators as CSV, one JSON per project,
a Frictionless ``datapackage.json`` describing them, and the 数据下载 page listing them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
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


def data_files(site: Site, settings: dict[str, Any]) -> list[OutputFile]:
    """Every open-data file, the data package last (it describes the others)."""
    texts = [project_text(site, p).encode("utf-8") for p in site.projects]
    files = [OutputFile(urls.PROJECTS_JSON, json_array_bytes(texts) + b"\n"),
             OutputFile(urls.INDICATORS_CSV, to_csv(site).encode("utf-8"))]
    files += [OutputFile(urls.project_data_path(p), text + b"\n")
              for p, text in zip(site.projects, texts, strict=True)]
    package = datapackage(site, settings, files)
    return [*files, OutputFile(urls.DATAPACKAGE, _json_bytes(package))]


def datapackage(site: Site, settings: dict[str, Any], files: list[OutputFile]) -> dict[str, Any]:
    """A Frictionless Data Package (v1) describing ``files``."""
    data = {f.path: f.data for f in files}
    fields = [{"name": c, "type": CSV_TYPES.get(c, "string")} for c in CSV_COLUMNS]
    csv_resource = {
        **_resource("indicators", urls.INDICATORS_CSV, data[urls.INDICATORS_CSV], "csv",
                    "绩效指标（每行一个指标）"),
        "profile": "tabular-data-resource", "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {"fields": fields, "missingValues": [""]},
    }
    resources = [_resource("projects", urls.PROJECTS_JSON, data[urls.PROJECTS_JSON], "json",
                           "全部项目"), csv_resource]
    resources += [_resource(f"project-{p.id}".lower(), urls.project_data_path(p),
                            data[urls.project_data_path(p)], "json", p.name)
                  for p in site.projects]
    return {
        "profile": "data-package", "name": "project-performance-targets",
        "title": str(settings["title"]), "description": str(settings["description"]),
        **({"contributors": [{"title": settings["publisher"], "role": "publisher"}]}
           if settings["publisher"] else {}),
        "resources": resources,
    }


def downloads(files: list[OutputFile], site: Site) -> tuple[Download, ...]:
    titles = {urls.PROJECTS_JSON: ("全部项目及其绩效指标", "JSON"),
              urls.INDICATORS_CSV: ("全部绩效指标，每行一个（Excel 可直接打开）", "CSV"),
              urls.DATAPACKAGE: ("数据包说明（Frictionless Data Package）", "JSON")}
    return tuple(Download(titles[f.path][0], f.path, titles[f.path][1], human_size(len(f.data)),
                          len(f.data)) for f in files if f.path in titles)


def produce(context: BuildContext) -> Iterable[OutputFile]:
    files = data_files(context.site, context.settings)
    per_project = sum(len(f.data) for f in files if f.path.startswith(f"{urls.DATA_DIR}/projects/"))
    job = PageJob(urls.DOWNLOADS, "downloads.html", {
        "chrome": chrome_of(context), "downloads": downloads(files, context.site),
        "data_date": data_date(context), "project_files": len(context.site.projects),
        "project_files_size": human_size(per_project)})
    return [*files, *render(context, [job])]

