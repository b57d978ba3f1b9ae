"""The official form as Excel workbooks in ``output/forms/``: one per unit and year, its unit
summary and a sheet per project (followed by the project's 自评表 when it has a
self-evaluation), linked from the unit's page and from each of its projects.

One workbook per unit and year rather than one per project: the sheets are the same work
either way, and a file per project would double it (each project's sheet is also in its
unit's workbook) and add a file per project to the output.  A workbook whose inputs did not
change is kept from the previous output, like a page (see :mod:`site_builder.build.cache`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Set
from functools import partial

from site_builder.build.cache import PageIndex, page_key
from site_builder.build.jinja_env import code_digest
from site_builder.core import urls
from site_builder.core.outputs import BuildContext, Made, OutputFile
from site_builder.core.producers import Edit, ProducerSpec, Update
from site_builder.export_xlsx import workbook_bytes
from site_builder.model import Project, Site

UnitKey = tuple[str, str]
"""(year, unit code)."""


def unit_keys(site: Site) -> list[UnitKey]:
    """Every unit-year that has projects, in site order: each gets a workbook."""
    return list(dict.fromkeys((p.year, p.unit_code) for p in site.projects))


def produce(context: BuildContext, part: int = 0, parts: int = 1) -> Iterator[OutputFile]:
    """The workbooks of every ``parts``-th unit-year from the ``part``-th (numbered from 0):
    a build with two processes shares them out in halves."""
    return produce_units(context, unit_keys(context.site)[part::parts])


def produce_units(context: BuildContext, keys: Iterable[UnitKey]) -> Iterator[OutputFile]:
    """The workbooks of the unit-years ``keys``, each kept from the previous output when it
    was made from the same projects, self-evaluations, unit, code and date."""
    site = context.site
    index = None if context.out_dir is None else PageIndex(context.cache_dir, context.out_dir)
    code = code_digest(context.root)
    for key in keys:
        projects = site.projects_of(*key)
        if not projects:
            continue
        path = urls.unit_workbook_path(key)
        made = page_key(code, path, repr(site.unit(*key)), _projects_text(projects),
                        _evaluations_text(site, projects), repr(context.source_date_epoch))
        kept = index.kept(path, made, _no_site) if index else None
        context.stats.made.append(Made(path, made))
        if kept is not None:
            yield OutputFile(path, b"", kept)
        else:
            yield OutputFile(path, workbook_bytes(site, projects,
                                                  epoch=context.source_date_epoch))


def _projects_text(projects: Sequence[Project]) -> str:
    """What of ``projects`` their forms show, as text (cheaper than their ``repr``, which
    also holds the positions of every field)."""
    return repr([(p.id, p.year, p.unit_code, p.name, str(p.amount), p.goals,
                  [(i.level1, i.level2, i.name, i.value) for i in p.indicators], p.notes,
                  p.table_total, p.remark) for p in projects])


def _evaluations_text(site: Site, projects: Sequence[Project]) -> str:
    """What the 自评表 sheets of ``projects`` show, as text (positions left out)."""
    return repr([(e.id, e.year, e.name, e.department, e.implementer,
                  [(f.label, f.initial, f.full_year, f.executed, f.weight, f.rate, f.score)
                   for f in e.funds], e.expected, e.achieved,
                  [(i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
                    i.reason) for i in e.indicators], e.total_weight, e.total_score, e.grade,
                  e.remark, e.notes)
                 for p in projects if (e := site.evaluation_of(p)) is not None])


def _no_site() -> str:
    return ""  # a workbook never reads the whole site


class LiveWorkbooks:
    """The workbooks' updater: those of the edited projects' unit-years."""

    def __init__(self, context: BuildContext) -> None:
        del context

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        keys = {(e.new.year, e.new.unit_code): 0 for e in edits}
        return Update(list(produce_units(context, keys)))


PRODUCER = ProducerSpec(
    "workbooks", produce, live=LiveWorkbooks,
    pieces=(partial(produce, part=0, parts=2), partial(produce, part=1, parts=2)))
"""Each unit-year's official forms as one Excel workbook."""
