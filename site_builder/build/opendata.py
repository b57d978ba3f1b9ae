"""Open data in ``output/data/``: all projects as JSON, indicators as CSV, one JSON per project,
a Frictionless ``datapackage.json`` describing them, and the 数据下载 page listing them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from site_builder.build import views
from site_builder.build.pages import chrome_of, render
from site_builder.build.renderer import PageJob
from site_builder.core import urls
from site_builder.core.outputs import BuildContext, Output, OutputFile, OutputStream
from site_builder.core.producers import ProducerSpec, Updater
from site_builder.export import (
    CSV_COLUMNS,
    EVALUATION_COLUMNS,
    csv_chunks,
    dumps_indented,
    evaluations_csv,
    evaluations_json,
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


def json_bytes(data: Any) -> bytes:
    """``data`` as the open-data files hold JSON: indented, UTF-8, a final newline."""
    return (dumps_indented(data) + "\n").encode("utf-8")


def file_resource(name: str, path: str, data: bytes, fmt: str, title: str) -> dict[str, Any]:
    """The data-package resource of the file ``path`` holding ``data`` (``fmt``: ``json`` or
    ``csv``; ``name`` and ``title`` as the package lists it)."""
    return _resource_of(name, path, len(data), hashlib.sha256(data), fmt, title)


def _resource_of(name: str, path: str, size: int, digest: Any, fmt: str, title: str
                 ) -> dict[str, Any]:
    """A file's data-package resource from its size and checksum (``hashlib`` object)."""
    return {
        "name": name, "path": path.removeprefix(f"{urls.DATA_DIR}/"), "title": title,
        "format": fmt, "mediatype": {"json": "application/json", "csv": "text/csv"}[fmt],
        "encoding": "utf-8", "bytes": size, "hash": f"sha256:{digest.hexdigest()}",
    }


def data_date(context: BuildContext) -> str:
    """The data date shown on the download page (see :func:`views.data_date`)."""
    return views.data_date(context.site, context.source_date_epoch)


def produce(context: BuildContext) -> Iterator[Output]:
    """Every open-data file and the download page, in one process: each project's JSON text
    is made once, for its own file and for ``projects.json``."""
    texts: list[bytes] = []
    yield from produce_files(context, texts)
    yield from produce_whole(context, texts)
    del texts
    yield from produce_package(context)


def produce_files(context: BuildContext, keep: list[bytes] | None = None, part: int = 0,
                  parts: int = 1) -> Iterator[OutputFile]:
    """Each project's own JSON file (its text also added to ``keep``); of every ``parts``
    projects, the ``part``-th (numbered from 0)."""
    for project in context.site.projects[part::parts]:
        text = project_text(context.site, project).encode("utf-8")
        if keep is not None:
            keep.append(text)
        path, data = urls.project_data_path(project), text + b"\n"
        _note(context, path, file_resource(f"project-{project.id}".lower(), path, data, "json",
                                       project.name))
        yield OutputFile(path, data)


def produce_whole(context: BuildContext, texts: list[bytes] | None = None
                  ) -> Iterator[OutputStream]:
    """``projects.json`` (from ``texts``, each let go once written, or made again) and
    ``indicators.csv``, written a project at a time: at 50,000 projects they are 250 and
    120 MB."""
    site = context.site
    chunks = json_array_chunks(_taken(texts) if texts else
                               (project_text(site, p).encode("utf-8") for p in site.projects))
    yield from _streamed(context, urls.PROJECTS_JSON, _lines(chunks), "projects", "json",
                         "全部项目")
    yield from _streamed(context, urls.INDICATORS_CSV,
                         (chunk.encode("utf-8") for chunk in csv_chunks(site)),
                         "indicators", "csv", "绩效指标（每行一个指标）", CSV_DETAILS)
    for made in evaluation_files(site):
        _note(context, made.path, evaluation_resource(made))
        yield OutputStream(made.path, iter((made.data,)))


def evaluation_files(site: Site) -> list[OutputFile]:
    """``evaluations.json`` and ``evaluations.csv`` when the site has self-evaluations."""
    if not site.evaluations:
        return []
    return [OutputFile(urls.EVALUATIONS_JSON, evaluations_json(site).encode("utf-8")),
            OutputFile(urls.EVALUATIONS_CSV, evaluations_csv(site).encode("utf-8"))]


def evaluation_resource(made: OutputFile) -> dict[str, Any]:
    """The data-package resource of one of :func:`evaluation_files`."""
    if made.path == urls.EVALUATIONS_JSON:
        return file_resource("evaluations", made.path, made.data, "json", "全部绩效自评")
    return {**file_resource("evaluation-indicators", made.path, made.data, "csv",
                            "绩效自评指标（每行一个指标：年度指标值与实际完成值）"),
            **EVALUATION_CSV_DETAILS}


def produce_package(context: BuildContext) -> Iterator[OutputFile]:
    """``datapackage.json`` and the download page, from the files the other two producers
    noted in :attr:`BuildStats.data_files` (in this process or the background one)."""
    package, sizes = _package(context)
    yield package
    yield from render(context, [downloads_job(context, sizes)])


def _package(context: BuildContext) -> tuple[OutputFile, dict[str, int]]:
    """``datapackage.json``, and the size of every open-data file by path."""
    made = context.stats.data_files
    resources = [made[urls.PROJECTS_JSON], made[urls.INDICATORS_CSV],
                 *(made[path] for path in (urls.EVALUATIONS_JSON, urls.EVALUATIONS_CSV)
                   if path in made),
                 *(made[urls.project_data_path(p)] for p in context.site.projects)]
    package = json_bytes(datapackage(context.settings, resources))
    sizes = {path: resource["bytes"] for path, resource in made.items()}
    sizes[urls.DATAPACKAGE] = len(package)
    return OutputFile(urls.DATAPACKAGE, package), sizes


class DataFiles:
    """Every open-data file whole, in memory, for callers that compare them (a build streams
    the two large ones instead): ``projects.json``, ``indicators.csv``, each project's file,
    then ``datapackage.json``.  :attr:`sizes` holds their sizes once iterated."""

    def __init__(self, site: Site, settings: dict[str, Any]) -> None:
        self.site, self.settings = site, settings
        self.sizes: dict[str, int] = {}
        """Bytes of each file, by path."""

    def __iter__(self) -> Iterator[OutputFile]:
        context = BuildContext(root=Path(), site=self.site, settings=self.settings,
                               cache_dir=Path())
        texts: list[bytes] = []
        own = list(produce_files(context, texts))
        for stream in produce_whole(context, texts):
            yield OutputFile(stream.path, b"".join(stream.chunks))
        yield from own
        package, self.sizes = _package(context)
        yield package


def _note(context: BuildContext, path: str, resource: dict[str, Any]) -> None:
    context.stats.data_files[path] = resource


def _taken(texts: list[bytes]) -> Iterator[bytes]:
    """The items of ``texts``, each let go once taken."""
    for number, text in enumerate(texts):
        texts[number] = b""
        yield text


def _streamed(context: BuildContext, path: str, chunks: Iterable[bytes], name: str, fmt: str,
              title: str, details: dict[str, Any] | None = None) -> Iterator[OutputStream]:
    """The file ``path`` as a stream, noted once the writer has written it all."""
    digest, size = hashlib.sha256(), [0]

    def counted() -> Iterator[bytes]:
        for chunk in chunks:
            digest.update(chunk)
            size[0] += len(chunk)
            yield chunk
        _note(context, path, {**_resource_of(name, path, size[0], digest, fmt, title),
                              **(details or {})})

    yield OutputStream(path, counted())
    if path not in context.stats.data_files:
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

EVALUATION_CSV_DETAILS: dict[str, Any] = {
    **CSV_DETAILS,
    "schema": {"fields": [{"name": c, "type": "year" if c == "year" else "string"}
                          for c in EVALUATION_COLUMNS], "missingValues": [""]},
}
"""What the data package says of evaluations.csv (every cell is text as published; outcome is
site-builder's reading: met, missed, not-comparable)."""


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
              urls.EVALUATIONS_JSON: ("全部绩效自评（项目支出绩效自评表）", "JSON"),
              urls.EVALUATIONS_CSV: ("全部绩效自评指标，每行一个，年度指标值与实际完成值并列",
                                     "CSV"),
              urls.DATAPACKAGE: ("数据包说明（Frictionless Data Package）", "JSON")}
    return tuple(Download(title, path, fmt, human_size(sizes[path]), sizes[path])
                 for path, (title, fmt) in titles.items() if path in sizes)


def downloads_job(context: BuildContext, sizes: dict[str, int]) -> PageJob:
    """The 数据下载 page, given the size of every open-data file by path."""
    prefix = f"{urls.DATA_DIR}/projects/"
    per_project = sum(size for path, size in sizes.items() if path.startswith(prefix))
    return PageJob(urls.DOWNLOADS, "downloads.html", {
        "chrome": chrome_of(context), "downloads": downloads(sizes),
        "data_date": data_date(context), "project_files": len(context.site.projects),
        "workbooks": len({(p.year, p.unit_code) for p in context.site.projects}),
        "evaluated": any(context.site.evaluation_of(p) is not None
                         for p in context.site.projects),
        "project_files_size": human_size(per_project)})


def live(context: BuildContext) -> Updater:
    """What keeps the open data current in the preview (:class:`~.live_data.LiveOpenData`)."""
    from site_builder.build.live_data import LiveOpenData  # it builds on this module

    return LiveOpenData(context)


PRODUCER = ProducerSpec(
    "open data", produce, live=live,
    pieces=(partial(produce_files, part=0, parts=2), partial(produce_files, part=1, parts=2),
            produce_whole),
    final=produce_package)
"""The open-data files, then the data package and the download page, which list them."""
