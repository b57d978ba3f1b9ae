"""Pick part of a site for export: one project, one unit, one year."""

from __future__ import annotations

import difflib

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import _
from site_builder.model import Site


def select(site: Site, project_id: str | None = None, unit: str | None = None,
           year: str | None = None) -> Site:
    """The projects matching every filter given, with their units and self-evaluations;
    all of ``site`` if none."""
    if not (project_id or unit or year):
        return site
    projects = tuple(p for p in site.projects if (project_id in (None, p.id))
                     and (unit in (None, p.unit_code)) and (year in (None, p.year)))
    if not projects:
        raise SiteBuilderError([error("content", _nothing(site, project_id, unit, year),
                                      _hint(site, project_id, unit), code="no-match")])
    keys = {(p.year, p.unit_code) for p in projects}
    evaluated = {id(e) for p in projects if (e := site.evaluation_of(p)) is not None}
    return Site(tuple(u for u in site.units if u.key in keys), projects,
                tuple(e for e in site.evaluations if id(e) in evaluated))  # in site order


def _nothing(site: Site, project_id: str | None, unit: str | None, year: str | None) -> str:
    wanted = [_("id {id}").format(id=project_id) if project_id else "",
              _("unit {unit}").format(unit=unit) if unit else "",
              _("year {year}").format(year=year) if year else ""]
    return _("no project with {what}").format(what=_(", ").join(w for w in wanted if w))


def _hint(site: Site, project_id: str | None, unit: str | None) -> str:
    if project_id:
        close = difflib.get_close_matches(project_id, [p.id for p in site.projects], 3)
        if close:
            return _("did you mean {names}?").format(names=", ".join(close))
    if unit:
        codes = sorted({p.unit_code for p in site.projects})
        return _("units in this site: {codes}").format(codes=", ".join(codes[:20]))
    return _("run site-builder export without filters to list every project")

