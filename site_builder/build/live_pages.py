"""The pages an edit of some projects can change, for the preview server's quick rebuilds.

An edit keeps each project's id, year and unit (see :mod:`~site_builder.build.live`), so no
page appears or goes away except category pages.  A project's name, amount, goals and
indicators show on:

* its own page, the pages of its unit's other projects (the unit's list) and of the projects
  that have (or had) the same name (their lists of namesakes);
* its unit's pages, and the pages of the same unit in other years (their totals); when its
  amount changed, the pages of every unit of its year (their share of the year);
* its year's pages; the home page (totals, newest projects); the categories it has (or had)
  indicators in, the categories overview and the search page (the category filter).

Pages are made through the same job makers as a full build, then compared with what the render
cache holds, so a page whose data did not change is not rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from site_builder.build import pages, views
from site_builder.build.category_views import Category, CategoryIndex, Key
from site_builder.build.renderer import PageJob
from site_builder.core.outputs import BuildContext
from site_builder.core.producers import Edit, Update
from site_builder.model import Project, Site, Unit


@dataclass(frozen=True)
class PageChanges:
    """The pages to make again after some edits, and those that no longer exist."""

    jobs: list[PageJob]
    """Jobs of every page the edits can change."""
    removed: set[str]
    """Paths of pages the site no longer has (category pages it needs fewer of)."""


def edit_pages(context: BuildContext, edits: Sequence[Edit], index: CategoryIndex,
               chrome: pages.Chrome) -> PageChanges:
    """The pages of ``context.site`` that ``edits`` can change; ``index`` is brought up to
    date with the edits."""
    site = context.site
    before = {(c.level1, c.level2): c for c in index.categories()}
    counts = {e.old.id: index.counts(e.old.id) for e in edits}
    changed: set[Key] = set()
    for edit in edits:
        changed |= index.replace(site, edit.old, edit.new)
    found = index.categories()
    spans: dict[Key, list[tuple[int, int]] | None] = {}
    for key in changed:  # where the edited projects' entries are now; None: some moved
        places = [index.span(key, e.new.id) for e in edits]
        same = all(count == counts[e.old.id].get(key, 0)
                   for (_, count), e in zip(places, edits, strict=True))
        spans[key] = places if same else None
    listings = views.Listings(site)
    summaries = {y.year: y for y in views.year_summaries(site)}
    jobs = [pages.home_job(site, chrome, context.settings, listings)]
    jobs += pages.project_jobs(site, chrome, listings, only=_projects(site, edits))
    jobs += pages.year_jobs(site, chrome, summaries, listings,
                            only=sorted({e.new.year for e in edits}))
    jobs += pages.unit_jobs(site, chrome, summaries, listings, only=_units(site, edits))
    jobs.append(pages.categories_overview_job(found, chrome))
    now = {(c.level1, c.level2): c for c in found}
    for key in sorted(changed):
        if key in now:
            jobs += _category_jobs(now[key], spans[key], chrome)
    jobs.append(pages.search_job(site, chrome, found))
    gone = {path for key in changed if key in before for path in _category_paths(before[key])}
    gone -= {path for key in changed if key in now for path in _category_paths(now[key])}
    return PageChanges(jobs, gone)


class LivePages:
    """The pages' updater (see :data:`site_builder.build.pages.PRODUCER`): keeps the category
    index and the navigation of the last build."""

    def __init__(self, context: BuildContext) -> None:
        self.categories = CategoryIndex(context.site)
        self.chrome = pages.chrome_of(context)

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        if context.site.renames_move_evaluations((e.old, e.new) for e in edits):
            return None  # a self-evaluation linked by name may now belong to another project
        changes = edit_pages(context, edits, self.categories, self.chrome)
        return Update(list(pages.render_stream(context, changes.jobs)),
                      frozenset(changes.removed))


def _category_jobs(category: Category, spans: list[tuple[int, int]] | None,
                   chrome: pages.Chrome) -> list[PageJob]:
    """The pages of a category that edits changed: those showing the edited projects' entries
    when each project has as many entries there as before (``spans``: where they are), else
    all of them (entries moved, and each page shows the counts)."""
    made = list(pages.category_page_jobs(category, chrome))
    if spans is None:
        return made
    size = pages.CATEGORY_PAGE_SIZE
    shown = {index // size for start, count in spans for index in range(start, start + count)}
    return [job for number, job in enumerate(made) if number in shown]


def _category_paths(category: Category) -> list[str]:
    return [path for path, _ in pages.category_pages(category)]


def _projects(site: Site, edits: Sequence[Edit]) -> list[Project]:
    """The edited projects, their units' projects and their old and new namesakes, in site
    order."""
    names = {_name(e.old) for e in edits} | {_name(e.new) for e in edits}
    units = {(e.new.year, e.new.unit_code) for e in edits}
    return [p for p in site.projects
            if (p.year, p.unit_code) in units or _name(p) in names]


def _name(project: Project) -> str:
    """The name namesakes are found by (white space ignored, as :func:`views.same_name`)."""
    return "".join(project.name.split())


def _units(site: Site, edits: Iterable[Edit]) -> list[Unit]:
    """The edited projects' units and the same units in other years (by code or name: they
    link to one another with their totals), and when an amount changed, every unit of that
    year (each states its share of the year)."""
    keys = {(e.new.year, e.new.unit_code) for e in edits}
    years = {e.new.year for e in edits if e.new.amount != e.old.amount}
    mine = [u for u in site.units if u.key in keys]
    codes, names = {u.code for u in mine}, {u.name for u in mine}
    return [u for u in site.units if u.code in codes or u.name in names or u.year in years]
