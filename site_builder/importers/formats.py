"""Read a published table in whatever format it comes: chosen by content, not by file name.

======================  ==========================================================
the file is             read by
======================  ==========================================================
PDF (``%PDF``)          :mod:`site_builder.importers.pdf`
.docx                   :mod:`site_builder.importers.docx`
.xlsx / .xlsm           :mod:`site_builder.importers.xlsx`
.doc .wps .rtf .odt     LibreOffice → .docx (:mod:`site_builder.importers.convert`)
.xls .et .ods           LibreOffice → .xlsx
text                    decoded (:mod:`site_builder.importers.textfile`), its layout
                        detected (flat or three-level)
======================  ==========================================================

Every reader stops with a Chinese message naming the position when the file is a table of
another kind (a 部门整体支出 form …, :mod:`site_builder.importers.kinds`), holds no project, or
exceeds an input limit (:mod:`site_builder.limits`).  A 项目支出绩效自评表, which the readers of
the target table refuse as another kind, is read as self-evaluations instead, in every format
(:mod:`site_builder.importers.evaluation_form`, :mod:`site_builder.importers.evaluation_text`).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.importers import (
    LAYOUTS,
    detect_layout,
    evaluation_form,
    evaluation_text,
    layout_named,
    pdf,
    xlsx,
)
from site_builder.importers import docx as docx_reader
from site_builder.importers.base import ImportResult
from site_builder.importers.convert import converted
from site_builder.importers.kinds import form_of_row, is_evaluation_refusal, refusal
from site_builder.importers.residue import prepare
from site_builder.importers.sniff import (
    DOC,
    DOCX,
    ODS,
    ODT,
    PDF,
    RTF,
    SHEET_KINDS,
    WORD_KINDS,
    XLS,
    XLSX,
    Sniffed,
    sniff,
)
from site_builder.importers.textfile import decode, split_lines
from site_builder.limits import DEFAULT_LIMITS, InputLimits

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
"""File name endings openpyxl accepts; a workbook named otherwise is read through a link."""
_SUFFIX_FOR_LIBREOFFICE = {DOC: ".doc", RTF: ".rtf", ODT: ".odt", XLS: ".xls", ODS: ".ods"}
_HEADER_WORDS = ("单位及项目名称", "一级指标", "三级指标", "绩效指标")


def read(path: Path, layout_name: str | None = None,
         limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """The units and projects of the table at ``path``, whatever its format."""
    shown = str(path)
    if not path.is_file():
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", _("The file does not exist or is not a file; nothing was "
                                        "imported"),
            _("Check the file name and the path"), "no-file")])
    limits.check_file(path, shown)
    found = sniff(path, shown)
    if found.kind == PDF:
        return _pdf(path, shown, limits)
    if found.kind == DOCX:
        return _document(path, shown, limits)
    if found.kind == XLSX:
        return _xlsx(path, shown, limits)
    if found.kind in WORD_KINDS | SHEET_KINDS:
        return _converted(path, shown, found, limits)
    return _text(path, shown, layout_name, limits)


def _or_evaluations(targets: Callable[[], ImportResult],
                    evaluations: Callable[[], ImportResult]) -> ImportResult:
    """What the target-table reader ``targets`` reads; or, when it refuses the file as a
    自评表, what the self-evaluation reader ``evaluations`` reads."""
    try:
        return targets()
    except SiteBuilderError as exc:
        if not any(is_evaluation_refusal(d) for d in exc.diagnostics):
            raise
    return evaluations()


def _pdf(path: Path, shown: str, limits: InputLimits) -> ImportResult:
    """PDF files of target tables (:mod:`site_builder.importers.pdf`); or, when the
    target-table reader finds a 自评表 instead, its self-evaluations."""
    return _or_evaluations(lambda: pdf.read(path, shown, limits),
                           lambda: evaluation_form.read_pdf(path, shown, limits))


def _text(path: Path, shown: str, layout_name: str | None, limits: InputLimits
          ) -> ImportResult:
    """A text table (:func:`read_text`); or, when it is a 自评表, its self-evaluations."""
    return _or_evaluations(lambda: read_text(path, shown, layout_name, limits),
                           lambda: evaluation_text.read(path, shown, limits))


def _xlsx(path: Path, shown: str, limits: InputLimits) -> ImportResult:
    if path.suffix.lower() in OPENPYXL_SUFFIXES:
        return _workbook(path, shown, limits)
    with tempfile.TemporaryDirectory(prefix="site-builder-xlsx-") as folder:
        link = Path(folder) / f"{path.stem or 'workbook'}.xlsx"
        shutil.copyfile(path, link)
        return _renamed(_workbook(link, shown, limits), link.name, path.name)


def _document(path: Path, shown: str, limits: InputLimits) -> ImportResult:
    """A Word document of target tables; or, when the target-table reader finds a 自评表
    instead, its self-evaluations."""
    return _or_evaluations(lambda: docx_reader.read(path, shown, limits),
                           lambda: evaluation_form.read_document(path, shown, limits))


def _workbook(path: Path, shown: str, limits: InputLimits) -> ImportResult:
    """A workbook of target tables; or, when the target-table reader finds a 自评表, its
    self-evaluations with the target tables of its other sheets (a workbook the export
    wrote holds both)."""
    try:
        return xlsx.read(path, shown, limits)
    except SiteBuilderError as exc:
        if not any(is_evaluation_refusal(d) for d in exc.diagnostics):
            raise
    evaluations = evaluation_form.read_workbook(path, shown, limits)
    try:
        result = xlsx.read(path, shown, limits, skip_evaluations=True)
    except SiteBuilderError as exc:
        if all(d.code == "no-table" for d in exc.diagnostics):
            return evaluations  # nothing but 自评表
        raise
    result.evaluations = evaluations.evaluations
    result.diagnostics += [d for d in evaluations.diagnostics if d not in result.diagnostics]
    return result  # (a cell both readers read is reported once)


def _converted(path: Path, shown: str, found: Sniffed, limits: InputLimits) -> ImportResult:
    target = "docx" if found.kind in WORD_KINDS else "xlsx"
    deadline = limits.deadline(shown)
    with converted(path, shown, found.what, _SUFFIX_FOR_LIBREOFFICE[found.kind], target,
                   deadline) as result_path:
        if target == "docx":
            result = _document(result_path, shown, limits)
        else:
            result = _workbook(result_path, shown, limits)
    result.layout = f"{found.kind} ({target})"
    return _renamed(result, result_path.name, path.name)


def _renamed(result: ImportResult, read_name: str, file_name: str) -> ImportResult:
    """Sources name the clerk's file, not the copy that was read."""
    result.projects = [
        dataclasses.replace(p, source=file_name + p.source[len(read_name):])
        if p.source.startswith(read_name) else p for p in result.projects]
    result.evaluations = [
        dataclasses.replace(e, source=file_name + e.source[len(read_name):])
        if e.source.startswith(read_name) else e for e in result.evaluations]
    return result


def read_text(path: Path, shown: str, layout_name: str | None,
              limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """A text table: decoded, checked, its page furniture removed, its layout read."""
    deadline = limits.deadline(shown)
    decoded = decode(path.read_bytes(), shown)
    lines = split_lines(decoded.text)
    limits.check("limit_rows", len(lines), Position(shown))
    widest = max((line.count("\t") + 1 for line in lines), default=0)
    limits.check("limit_columns", widest, Position(shown))
    _refuse_other_forms(lines, shown)
    _refuse_fixed_width(lines, shown)
    text, found = prepare(decoded.text, shown)
    layout = layout_named(layout_name) if layout_name else detect_layout(text)
    if layout is None:
        names = "、".join(layout.name for layout in LAYOUTS)
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error",
            _("The table's format was not recognised: the text has no header of a project "
              "expenditure performance target table (单位编码、单位及项目名称、金额、绩效目标、"
              "绩效指标); nothing was imported"),
            _("Make sure this is a department budget project expenditure performance target "
              "table; if it is, name its format with --layout ({names})").format(names=names),
            "unknown-layout")])
    result = layout.parse(text, path.name)
    deadline.check()
    result.diagnostics = [*found, *(_shown(d, shown) for d in result.diagnostics)]
    if decoded.encoding not in ("utf-8", "utf-8-bom"):
        result.diagnostics.insert(0, Diagnostic(
            Position(shown), "info", _("The file was read as {encoding}").format(
                encoding=decoded.shown_encoding), code="encoding"))
    if not result.projects:
        raise SiteBuilderError([*[d for d in result.diagnostics if d.severity != "info"][:20],
                                Diagnostic(Position(shown), "error",
                                           _("No project was read in the {layout} format; "
                                             "nothing was imported").format(layout=layout.name),
                                           _("Check that the file is complete and that it is "
                                             "the right file"), "no-project")])
    _check_counts(result, limits, shown)
    return result


def _refuse_other_forms(lines: list[str], shown: str) -> None:
    """Stop at the first title or header row of a form this importer does not read."""
    for number, line in enumerate(lines, 1):
        cells = [cell.strip().lstrip("#").strip() for cell in line.split("\t")]
        if form := form_of_row(cells):
            raise refusal(form, Position(shown, number))


def _refuse_fixed_width(lines: list[str], shown: str) -> None:
    """Refuse a table whose columns are lined up with spaces instead of separated by tabs.

    Cells of such text cannot be told apart reliably (a cell may itself hold spaces, an empty
    cell leaves no trace, ``pdftotext -layout`` wraps long cells over several lines), so it
    is refused rather than guessed at.
    """
    from_pdf = any("\f" in line for line in lines)  # pdftotext ends each page with \f
    no_tabs = not any("\t" in line for line in lines)
    for number, line in enumerate(lines, 1):
        header = "\t" not in line and sum(1 for word in _HEADER_WORDS if word in line) >= 2
        if header or (from_pdf and no_tabs and "绩效" in line):
            message = (_("This looks like text taken out of a PDF with a tool such as "
                         "pdftotext: the table's columns are lined up with spaces instead of "
                         "separated by tabs, so its cells cannot be told apart reliably; "
                         "nothing was imported") if from_pdf else
                       _("The table's columns are lined up with spaces instead of separated "
                         "by tabs, so its cells cannot be told apart reliably; nothing was "
                         "imported"))
            raise SiteBuilderError([Diagnostic(
                Position(shown, number), "error", message,
                _("Import the original PDF, Word or Excel file, or copy the table from "
                  "Excel/WPS into a text file (then its columns are separated by tabs)"),
                "fixed-width")])


def _check_counts(result: ImportResult, limits: InputLimits, shown: str) -> None:
    limits.check("limit_projects", len(result.projects), Position(shown))
    for project in result.projects:
        limits.check("limit_indicators", len(project.indicators), project.pos)


def _shown(diagnostic: Diagnostic, shown: str) -> Diagnostic:
    return dataclasses.replace(diagnostic, pos=dataclasses.replace(diagnostic.pos, path=shown))


__all__ = ["read", "read_text"]
