"""Pick part of a site for export: one project, one unit, one year."""

from __future__ import annotations

import difflib

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.model import Site


def select(site: Site, project_id: str | None = None, unit: str | None = None,
           year: str | None = None) -> Site:
    """The projects matching every filter given, with their units; all of ``site`` if none."""
    if not (project_id or unit or year):
        return site
    projects = tuple(p for p in site.projects if (project_id in (None, p.id))
                     and (unit in (None, p.unit_code)) and (year in (None, p.year)))
    if not projects:
        raise SiteBuilderError([error("content", _nothing(site, project_id, unit, year),
                                      _hint(site, project_id, unit), code="no-match")])
    keys = {(p.year, p.unit_code) for p in projects}
    return Site(tuple(u for u in site.units if u.key in keys), projects)


def _nothing(site: Site, project_id: str | None, unit: str | None, year: str | None) -> str:
    wanted = [f"id {project_id}" if project_id else "", f"unit {unit}" if unit else "",
              f"year {year}" if year else ""]
    return "no project with " + ", ".join(w for w in wanted if w)


def _hint(site: Site, project_id: str | None, unit: str | None) -> str:
    if project_id:
        close = difflib.get_close_matches(project_id, [p.id for p in site.projects], 3)
        if close:
            return "did you mean " + ", ".join(close) + "?"
    if unit:
        codes = sorted({p.unit_code for p in site.projects})
        return "units in this site: " + ", ".join(codes[:20])
    return "run site-builder export without filters to list every project"
