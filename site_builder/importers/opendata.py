"""Our own open data read back, so that a portal can be rebuilt from another site's data.

* JSON: ``site-builder export --format json``, a site's ``data/projects.json`` (a list of
  projects) or one ``data/projects/<id>.json`` (one project).  Every content field is in it
  except the unit's ``parent_code``, ``declared_total`` and ``title``, which are kept from the
  site when it has the unit.
* CSV: ``site-builder export --format csv`` or a site's ``data/indicators.csv`` (one row per
  indicator).  It has the project's id, year, unit, name and amount and its indicators; the
  goals, notes, 合计, 备注 and source are kept from the site when it has the project.

The data's ids are the projects' own: a new project keeps its id when the site has it free.
Recognised by content (a JSON array or object; the CSV's header row), not by the file's name.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.export import CSV_COLUMNS
from site_builder.i18n import N_, _
from site_builder.importers.base import AMOUNT, ImportResult
from site_builder.importers.residue import region_of
from site_builder.model import Indicator, Project, Unit

JSON_NAME = "json"
CSV_NAME = "csv"
MAX_BYTES = 512 * 1024 * 1024
"""Largest open-data file read (a site's projects.json is about 5 KB per project)."""
CSV_PROJECT_FIELDS = frozenset({"name", "amount", "indicators"})
"""The project fields the indicator CSV carries."""
JSON_UNIT_FIELDS = frozenset({"name", "region"})
"""The unit fields a project's JSON carries."""
CSV_UNIT_FIELDS = frozenset({"name"})
"""The unit fields the indicator CSV carries."""
_CSV_HEADER = ",".join(CSV_COLUMNS[:6])
_SPACE = re.compile(r"[ \t\n\r]*")
_HINT = N_("This should be the output of site-builder export --format json, or the content "
           "of the site's data/projects.json or data/projects/<id>.json")


def kind_of(path: Path) -> str | None:
    """``json`` or ``csv`` when ``path`` holds open data of ours, else None."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text[:1] in ("[", "{"):
        return JSON_NAME
    return CSV_NAME if text.startswith(_CSV_HEADER) else None


def read(path: Path, shown: str) -> ImportResult:
    """The units and projects of an open-data file (:func:`kind_of` says which kind)."""
    if path.stat().st_size > MAX_BYTES:
        raise SiteBuilderError([error(shown, _("The file is larger than {size} MB and is not "
                                               "read").format(size=MAX_BYTES // 1024 // 1024),
                                      _("Export by unit or by year (export --unit/--year) and "
                                        "import those"),
                                      code="too-large")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SiteBuilderError([error(shown, _("The file is not in the UTF-8 encoding (from "
                                               "byte {offset} on)").format(offset=exc.start + 1),
                                      _("Files exported by site-builder are UTF-8; do not save "
                                        "them again with other software"),
                                      code="encoding")]) from None
    if kind_of(path) == CSV_NAME:
        return _Reader(shown, path.name, CSV_NAME).read_csv(text)
    return _Reader(shown, path.name, JSON_NAME).read_json(text)


@dataclass
class _Reader:
    """Reads one file, collecting every problem before refusing it."""

    shown: str
    """The file as shown in messages."""
    file_name: str
    """The file's name, for the ``source`` of projects that have none."""
    layout: str
    """json or csv."""
    problems: list[Diagnostic] = field(default_factory=list)
    """Errors found so far."""
    units: dict[tuple[str, str], Unit] = field(default_factory=dict)
    """Units seen, by (year, code)."""

    def fail(self, pos: Position, message: str, hint: str = "") -> None:
        self.problems.append(Diagnostic(pos, "error", message, hint or _(_HINT),
                                        "bad-open-data"))

    def result(self, projects: list[Project]) -> ImportResult:
        if self.problems:
            raise SiteBuilderError(self.problems)
        return ImportResult(self.shown, self.layout, list(self.units.values()), projects)

    def unit(self, year: str, code: str, name: str, region: str, pos: Position,
             result: list[Diagnostic]) -> None:
        found = self.units.setdefault((year, code), Unit(code, year, name, region, pos=pos))
        if (found.name, found.region) != (name, region):
            result.append(Diagnostic(pos, "warning",
                                     _("The unit {code} ({year}) is called '{name}' here and "
                                       "'{earlier}' before: the earlier name is used").format(
                                         code=code, year=year, name=name, earlier=found.name),
                                     code="unit-name"))

    # --- JSON ---------------------------------------------------------------------------

    def read_json(self, text: str) -> ImportResult:
        warnings: list[Diagnostic] = []
        projects = []
        for number, (pos, item) in enumerate(self.json_items(text), 1):
            project = self.json_project(number, pos, item, warnings)
            if project is not None:
                projects.append(project)
        result = self.result(projects)
        result.diagnostics = warnings
        return result

    def json_items(self, text: str) -> list[tuple[Position, Any]]:
        """Each top-level item with the position where it starts."""
        decoder = json.JSONDecoder(parse_float=Decimal)
        start = _SPACE.match(text).end()  # type: ignore[union-attr]
        try:
            if text[start:start + 1] == "{":
                item, end = decoder.raw_decode(text, start)
                self.expect_end(text, end)
                return [(self.position(text, start), item)]
            if text[start:start + 1] != "[":
                self.fail(self.position(text, start),
                          _("Not a JSON list of projects (it should start with "
                                "[)"))
                return []
            items, index = [], _SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
            if text[index:index + 1] == "]":
                self.expect_end(text, index + 1)
                return []
            while True:
                item, end = decoder.raw_decode(text, index)
                items.append((self.position(text, index), item))
                index = _SPACE.match(text, end).end()  # type: ignore[union-attr]
                if text[index:index + 1] == ",":
                    index = _SPACE.match(text, index + 1).end()  # type: ignore[union-attr]
                    continue
                if text[index:index + 1] != "]":
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, index)
                self.expect_end(text, index + 1)
                return items
        except json.JSONDecodeError as exc:
            self.fail(Position(self.shown, exc.lineno, exc.colno),
                      _("Not valid JSON: {reason}").format(reason=exc.msg),
                      _("The file may be incomplete or damaged; download or export it again"))
            return []

    def expect_end(self, text: str, end: int) -> None:
        rest = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if rest < len(text):
            raise json.JSONDecodeError("Extra data", text, rest)

    def position(self, text: str, index: int) -> Position:
        line = text.count("\n", 0, index) + 1
        return Position(self.shown, line, index - text.rfind("\n", 0, index))

    def json_project(self, number: int, pos: Position, item: Any,
                     warnings: list[Diagnostic]) -> Project | None:
        if not isinstance(item, dict):
            self.fail(pos, _("Item {number} is not a project (it should be a {{…}} "
                             "object)").format(number=number))
            return None
        where = _("project {number}").format(number=number)
        found = {key: self.text(item, key, where, pos, required=True)
                 for key in ("id", "unit_code", "name")}
        found["year"] = self.year(item.get("year"), where, pos)
        for key in ("unit_name", "region", "remark", "source"):
            found[key] = self.text(item, key, where, pos)
        amount = self.amount(item.get("amount"), where, pos)
        total = item.get("table_total")
        if total is not None and not isinstance(total, str):
            self.fail(pos, _("{where}: 'table_total' should be text").format(where=where))
        goals, notes = (self.texts(item, key, where, pos) for key in ("goals", "notes"))
        indicators = self.indicators(item.get("indicators", []), where, pos)
        values = {key: value for key, value in found.items() if value is not None}
        if (amount is None or len(values) < len(found) or goals is None or notes is None
                or indicators is None):
            return None
        self.unit(values["year"], values["unit_code"], values["unit_name"], values["region"],
                  pos, warnings)
        return Project(
            id=values["id"], year=values["year"], unit_code=values["unit_code"],
            name=values["name"], amount=amount, goals=goals, indicators=indicators,
            notes=notes, table_total=total if isinstance(total, str) else None,
            remark=values["remark"], source=values["source"], pos=pos)

    def text(self, item: dict[str, Any], key: str, where: str, pos: Position,
             required: bool = False) -> str | None:
        value = item.get(key)
        if value is None and not required:
            return ""
        if value is None:
            self.fail(pos, _("{where}: '{key}' is missing").format(where=where, key=key))
            return None
        if not isinstance(value, str):
            shown = json.dumps(value, default=str, ensure_ascii=False)
            self.fail(pos, _("{where}: '{key}' should be text in quotes; here it is "
                             "{value}").format(where=where, key=key, value=shown),
                      _("Write codes and ids as text (\"002001\") so that leading zeros are "
                        "not lost"))
            return None
        return value

    def year(self, value: Any, where: str, pos: Position) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}", value):
            self.fail(pos, _("{where}: 'year' should be a year of four digits; here it is "
                             "{value}").format(
                                 where=where,
                                 value=json.dumps(value, default=str, ensure_ascii=False)))
            return None
        return value

    def amount(self, value: Any, where: str, pos: Position) -> Decimal | None:
        text = str(value) if isinstance(value, (str, Decimal, int)) and \
            not isinstance(value, bool) else ""
        if not AMOUNT.match(text):
            self.fail(pos, _("{where}: 'amount' should be an amount in 万元 (such as "
                             "\"3.28\"); here it is {value}").format(
                                 where=where,
                                 value=json.dumps(value, default=str, ensure_ascii=False)))
            return None
        return Decimal(text)

    def texts(self, item: dict[str, Any], key: str, where: str,
              pos: Position) -> tuple[str, ...] | None:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(pos, _("{where}: '{key}' should be a list of texts").format(where=where,
                                                                                   key=key))
            return None
        return tuple(value)

    def indicators(self, value: Any, where: str, pos: Position
                   ) -> tuple[Indicator, ...] | None:
        if not isinstance(value, list):
            self.fail(pos, _("{where}: 'indicators' should be a list of "
                             "indicators").format(where=where))
            return None
        found = []
        for number, row in enumerate(value, 1):
            cells = [row.get(key, "") if isinstance(row, dict) else None
                     for key in ("level1", "level2", "name", "value")]
            texts = [c for c in cells if isinstance(c, str)]
            if len(texts) < len(cells):
                self.fail(pos, _("{where}: indicator {number} should have level1, level2, "
                                 "name and value as text").format(where=where, number=number))
                return None
            found.append(Indicator(texts[0], texts[1], texts[2], texts[3], pos))
        return tuple(found)

    # --- CSV ----------------------------------------------------------------------------

    def read_csv(self, text: str) -> ImportResult:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            self.fail(Position(self.shown, 1, 1),
                      _("The header lacks the columns {columns}").format(
                          columns=", ".join(missing)),
                      _("This should be the output of site-builder export --format csv or the "
                        "site's data/indicators.csv"))
            return self.result([])
        column = {name: header.index(name) for name in CSV_COLUMNS}
        drafts: dict[str, _CsvDraft] = {}
        warnings: list[Diagnostic] = []
        line = reader.line_num
        for row in reader:
            pos, line = Position(self.shown, line + 1), reader.line_num
            if not any(row):
                continue
            cells = {name: row[i] if i < len(row) else "" for name, i in column.items()}
            self.csv_row(cells, pos, drafts, warnings)
        projects = [d.project() for d in drafts.values()]
        result = self.result(projects)
        result.diagnostics = warnings
        return result

    def csv_row(self, cells: dict[str, str], pos: Position, drafts: dict[str, _CsvDraft],
                warnings: list[Diagnostic]) -> None:
        head = (cells["id"], cells["year"], cells["unit_code"], cells["name"], cells["amount"])
        draft = drafts.get(cells["id"])
        if draft is None:
            where = _("row {number}").format(number=pos.line)
            if not all(head[:4]):
                self.fail(pos, _("{where}: the project's id, year, unit_code or name is "
                                 "missing").format(where=where))
                return
            if not re.fullmatch(r"[0-9]{4}", cells["year"]):
                self.fail(pos, _("{where}: the year '{value}' is not a year of four "
                                 "digits").format(where=where, value=cells["year"]))
                return
            if not AMOUNT.match(cells["amount"]):
                self.fail(pos, _("{where}: the amount '{value}' is not an amount in 万元 (such "
                                 "as 3.28)").format(where=where, value=cells["amount"]))
                return
            draft = drafts[cells["id"]] = _CsvDraft(head, pos, f"{self.file_name}:{pos.line}")
            self.unit(cells["year"], cells["unit_code"], cells["unit_name"],
                      region_of(cells["unit_name"]), pos, warnings)
        elif draft.head != head:
            warnings.append(Diagnostic(pos, "warning",
                                       _("The year, unit, name or amount of the id {id} differ "
                                         "from row {line}: those of row {line} are "
                                         "used").format(id=cells["id"], line=draft.pos.line),
                                       code="csv-project-differs"))
        indicator = (cells["level1"], cells["level2"], cells["indicator"], cells["value"])
        if any(indicator):
            draft.indicators.append(Indicator(*indicator, pos))


@dataclass
class _CsvDraft:
    """A project while its CSV rows are read."""

    head: tuple[str, str, str, str, str]
    """Its id, year, unit code, name and amount as on its first row."""
    pos: Position
    """Its first row."""
    source: str
    """``file:line`` of its first row."""
    indicators: list[Indicator] = field(default_factory=list)
    """Its indicators, one per row."""

    def project(self) -> Project:
        project_id, year, code, name, amount = self.head
        return Project(id=project_id, year=year, unit_code=code, name=name,
                       amount=Decimal(amount), indicators=tuple(self.indicators),
                       source=self.source, pos=self.pos)
