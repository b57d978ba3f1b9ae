"""HTML pages of the site: one job per page, rendered (or reused from the cache) together.

Page types: home, year and unit listings (one page per order), project, indicator categories,
Markdown pages, search, 404.  Paths come from :mod:`site_builder.core.urls`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import chain, islice
from typing import Any
from urllib.parse import urlsplit

from site_builder.achievement import EVALUATION_FILTERS
from site_builder.build import charts, views
from site_builder.build.category_views import Category, CategoryHead, categories, mix
from site_builder.build.evaluation_views import (
    evaluation_jobs,
    evaluation_view,
    unit_summary,
    year_summary,
)
from site_builder.build.feeds import site_address
from site_builder.build.history_views import Histories
from site_builder.build.jinja_env import code_digest
from site_builder.build.markdown_pages import MarkdownPage, read_pages
from site_builder.build.renderer import PageJob, stream_pages
from site_builder.categories import LEVEL1
from site_builder.core import urls
from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import ProducerSpec, Updater
from site_builder.export_xlsx import evaluation_sheet_name, sheet_name
from site_builder.model import Project, Site, Unit, format_amount


@dataclass(frozen=True)
class Chrome:
    """What every page shows around its content: navigation and footer links."""

    years: tuple[str, ...]
    """Budget years, newest first."""
    pages: tuple[tuple[str, str], ...]
    """Markdown pages as (title, path), all linked from the footer."""
    menu: tuple[tuple[str, str], ...] = ()
    """The Markdown pages the main menu links too (setting ``menu_pages``), as (title, path)."""
    data_date: str = ""
    """The data date (see :func:`~site_builder.build.views.data_date`), shown in the footer
    and on printed pages."""
    address: str = ""
    """The site's absolute address ending in '/' (``base_url``), or "" when unknown: printed
    pages show their address."""


@dataclass(frozen=True)
class Order:
    """One order of a listing and the page that shows it."""

    slug: str
    """``amount`` or ``order``."""
    label: str
    """What the order is called on the page."""
    path: str
    """Site-relative path of the page in this order."""


def _orders(path_of: Any) -> tuple[Order, ...]:
    return tuple(Order(slug, label, path_of(slug)) for slug, label in urls.ORDERS)


LISTING_PAGE_SIZE = 300
"""Projects per year or unit page, in each order (a year of a large site holds thousands)."""


def listing_page_jobs(template: str, data: dict[str, Any], projects: Sequence[Project],
                      listings: views.Listings,
                      path_of: Callable[[str, int], str]) -> Iterator[PageJob]:
    """The pages of a year or unit listing (``path_of(order, page)``): in each order,
    :data:`LISTING_PAGE_SIZE` projects a page.  Each page gets only its own rows
    (``projects``, numbered from ``first``) and the length of the whole listing
    (``project_count``), so that an edit changes the cache keys of the pages it shows on."""
    orders = _orders(lambda slug: path_of(slug, 1))
    for order in orders:
        listing = listings.refs(projects, order.slug)
        pages = paged(len(listing), LISTING_PAGE_SIZE, partial(path_of, order.slug))
        for number, (path, start) in enumerate(pages, 1):
            yield PageJob(path, template, {
                **data, "orders": orders, "order": order,
                "projects": listing[start:start + LISTING_PAGE_SIZE],
                "project_count": len(listing), "first": start + 1, "page": number,
                "page_count": len(pages), "pages": pager_window([p for p, _ in pages], number)})


def home_job(site: Site, chrome: Chrome, settings: dict[str, Any],
             listings: views.Listings) -> PageJob:
    years = views.year_summaries(site)
    items = [(f"{u.year}年 {u.name}", Decimal(u.total), f"{u.total} 万元")
             for y in years for u in y.units]
    chart = charts.bar_chart("chart-units", "各年度各单位项目金额（万元）", items)
    recent = views.recent(site, int(settings["recent_count"]), listings)
    return PageJob(urls.HOME, "index.html", {
        "chrome": chrome, "years": years, "chart": chart, "recent": recent,
        "project_count": len(site.projects),
        "total": format_amount(views.total(site.projects))})


def listing_jobs(site: Site, chrome: Chrome, listings: views.Listings) -> Iterator[PageJob]:
    """Year and unit pages, each in every order."""
    summaries = {y.year: y for y in views.year_summaries(site)}
    yield from year_jobs(site, chrome, summaries, listings)
    yield from unit_jobs(site, chrome, summaries, listings)


def year_jobs(site: Site, chrome: Chrome, summaries: dict[str, views.YearSummary],
              listings: views.Listings, only: Iterable[str] | None = None) -> Iterator[PageJob]:
    """The pages of every year (or of the years ``only``)."""
    for year in summaries if only is None else only:
        summary = summaries[year]
        projects = [p for p in site.projects if p.year == year]
        evaluations = year_summary(site, year, f"{year}年各单位绩效自评平均得分")
        yield from listing_page_jobs("year.html", {"chrome": chrome, "summary": summary,
                                                   "evaluations": evaluations},
                                     projects, listings, partial(urls.year_path, year))


def unit_jobs(site: Site, chrome: Chrome, summaries: dict[str, views.YearSummary],
              listings: views.Listings, only: Iterable[Unit] | None = None
              ) -> Iterator[PageJob]:
    """The pages of every unit (or of the units ``only``)."""
    named = SameUnit(summaries)
    for unit in site.units if only is None else only:
        projects = list(site.projects_of(*unit.key))
        summary = named.summary(unit)
        chart_items = [(p.name, p.amount, f"{format_amount(p.amount)} 万元")
                       for p in sorted(projects, key=lambda p: (-p.amount, p.id))]
        chart = charts.bar_chart("chart-split", f"{unit.name}{unit.year}年预算在各项目间的分配",
                                 chart_items)
        others = tuple(views.UnitYear.of(u) for u in named.every_year(unit)
                       if u.year != unit.year)
        yield from listing_page_jobs(
            "unit.html", {"chrome": chrome, "unit": unit, "summary": views.UnitFacts.of(summary),
                          "chart": chart, "workbook_path": urls.unit_workbook_path(unit)
                          if projects else "",
                          "other_years": others,
                          "evaluations": unit_summary(site, unit.year, unit.code,
                                                      f"{unit.name}{unit.year}年各项目绩效自评总分")},
            projects, listings, partial(urls.unit_path, unit))


class SameUnit:
    """Finds a unit's summaries by code or name without scanning every unit each time."""

    def __init__(self, summaries: dict[str, views.YearSummary]) -> None:
        self.flat = [u for y in summaries.values() for u in y.units]
        self.by_code: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_key: dict[tuple[str, str], views.UnitSummary] = {}
        for index, summary in enumerate(self.flat):
            self.by_code[summary.code].append(index)
            self.by_name[summary.name].append(index)
            self.by_key.setdefault((summary.year, summary.code), summary)

    def summary(self, unit: Unit) -> views.UnitSummary:
        """The summary of ``unit`` itself."""
        return self.by_key[unit.key]

    def every_year(self, unit: Unit) -> list[views.UnitSummary]:
        """The same unit in every year (same code or same name), in summary order."""
        found = set(self.by_code.get(unit.code, ())) | set(self.by_name.get(unit.name, ()))
        return [self.flat[index] for index in sorted(found)]


def project_jobs(site: Site, chrome: Chrome, listings: views.Listings,
                 only: Iterable[Project] | None = None) -> Iterator[PageJob]:
    """The pages of every project (or of the projects ``only``)."""
    namesakes = views.Namesakes(site)
    histories = Histories(site)
    unit: tuple[tuple[str, str], tuple[views.ProjectRef, ...]] | None = None
    for project in site.projects if only is None else only:
        key = project_key(project)
        if unit is None or unit[0] != key:  # each unit's listing once (projects come in
            unit = (key, listings.refs(site.projects_of(*key), "amount"))  # site order)
        listing = unit[1]
        own = next(r for r in listing if r.id == project.id)
        same, namesake_count = namesakes.nearest(project, SAME_NAME_SHOWN)
        categories_mix = mix(project)
        evaluation = site.evaluation_of(project)
        yield PageJob(urls.project_path(project), "project.html", {
            "chrome": chrome, "project": project, "unit": site.unit(*project_key(project)),
            "unit_path": urls.unit_path(project_key(project)),
            "year_path": urls.year_path(project.year),
            "amount": format_amount(project.amount), "share": own.share,
            "mix": tuple((one, two, count, urls.category_path(one, two))
                         for one, two, count in categories_mix),
            "mix_chart": charts.stacked_bar([count for _, _, count in categories_mix]),
            "workbook_path": urls.unit_workbook_path(project_key(project)),
            "sheet": sheet_name(project.id),
            "evaluation_sheet": evaluation_sheet_name(project.id) if evaluation else "",
            "siblings": tuple(r for r in listing if r.id != project.id),
            "same_name": tuple(listings.alone(p) for p in same),
            "same_name_more": max(0, namesake_count - SAME_NAME_SHOWN),
            "data_path": urls.project_data_path(project),
            "history_path": histories.path_of(project),
            "evaluation": evaluation_view(evaluation) if evaluation else None})


SAME_NAME_SHOWN = 10
"""Namesakes listed on a project page; the rest are one search away.  (A common name such as
村级运转经费 has hundreds of namesakes in a county's site; listing them all made pages of
100 KB and the whole site grow with the square of its size.)"""


def project_key(project: Project) -> tuple[str, str]:
    return (project.year, project.unit_code)


def category_jobs(found: tuple[Category, ...], chrome: Chrome) -> Iterator[PageJob]:
    """The overview of the categories and the pages of each."""
    yield categories_overview_job(found, chrome)
    for category in found:
        yield from category_page_jobs(category, chrome)


def categories_overview_job(found: tuple[Category, ...], chrome: Chrome) -> PageJob:
    groups = tuple((one, tuple(c for c in found if c.level1 == one))
                   for one in dict.fromkeys([*LEVEL1, *(c.level1 for c in found)])
                   if any(c.level1 == one for c in found))
    overview = tuple((one, tuple((c.level2, c.path, len(c.entries), c.projects) for c in cats))
                     for one, cats in groups)
    return PageJob(urls.CATEGORIES, "categories.html", {"chrome": chrome, "groups": overview})


def category_page_jobs(category: Category, chrome: Chrome) -> Iterator[PageJob]:
    """The pages of one category: each gets its own entries (``entries``, numbered from
    ``first``) and the category without its entries (``category``), so that an edit changes
    the cache keys of the pages it shows on only."""
    head = CategoryHead(category.level1, category.level2, category.path,
                        len(category.entries), category.projects)
    pages = category_pages(category)
    for number, (path, start) in enumerate(pages, 1):
        yield PageJob(path, "category.html", {
            "chrome": chrome, "category": head,
            "entries": category.entries[start:start + CATEGORY_PAGE_SIZE],
            "first": start + 1, "page": number, "page_count": len(pages),
            "pages": pager_window([p for p, _ in pages], number)})


CATEGORY_PAGE_SIZE = 300
"""Indicators per category page (a category of a large site holds tens of thousands)."""


PAGER_NEAR = 3
"""Pages linked on either side of the current one (plus the first and the last)."""


def pager_window(paths: Sequence[str], current: int) -> tuple[tuple[int, str], ...]:
    """(number, path) of the pages a pager links: first, last and those near ``current``;
    (0, "") marks a gap."""
    shown = [n for n in range(1, len(paths) + 1)
             if n in (1, len(paths)) or abs(n - current) <= PAGER_NEAR]
    items: list[tuple[int, str]] = []
    for n in shown:
        if items and n - items[-1][0] > 1:
            items.append((0, ""))
        items.append((n, paths[n - 1]))
    return tuple(items)


def category_pages(category: Category) -> list[tuple[str, int]]:
    """(path, index of the first entry) of each page of a category; page 1 is its own path."""
    stem = category.path.removesuffix(".html")
    return paged(len(category.entries), CATEGORY_PAGE_SIZE,
                 lambda n: category.path if n == 1 else f"{stem}-{n}.html")


def paged(count: int, size: int, path_of: Callable[[int], str]) -> list[tuple[str, int]]:
    """(path, index of the first item) of each page of ``count`` items, ``size`` a page; there
    is always a first page, even for no items."""
    return [(path_of(start // size + 1), start) for start in range(0, max(1, count), size)]


def page_jobs(pages: tuple[MarkdownPage, ...], chrome: Chrome) -> Iterator[PageJob]:
    for page in pages:
        yield PageJob(page.path, "page.html", {"chrome": chrome, "page": page})


def search_job(site: Site, chrome: Chrome, found: tuple[Category, ...] | None = None) -> PageJob:
    """The search page (its template and script belong to the search feature)."""
    units = tuple(sorted(site.units, key=lambda u: (u.name, u.year)))
    found = categories(site) if found is None else found
    return PageJob(urls.SEARCH, "search.html", {
        "chrome": chrome, "years": views.years(site), "units": units,
        "categories": tuple(dict.fromkeys(c.level2 or c.level1 for c in found)),
        "evaluation_filters": tuple(EVALUATION_FILTERS.items())
        if any(site.evaluated_project(e) for e in site.evaluations) else ()})


def chrome_of(context: BuildContext, pages: tuple[MarkdownPage, ...] | None = None) -> Chrome:
    """Navigation data shared by every page."""
    if pages is None:
        pages = read_pages(context.root)
    menu = str(context.settings.get("menu_pages") or "").replace(",", " ").split()
    return Chrome(views.years(context.site), tuple((p.title, p.path) for p in pages),
                  tuple((p.title, p.path) for p in pages if p.stem in menu),
                  views.data_date(context.site, context.source_date_epoch),
                  site_address(context))


def all_jobs(context: BuildContext) -> list[PageJob]:
    """Every page of the site."""
    pages = read_pages(context.root)
    chrome = chrome_of(context, pages)
    return [*own_jobs(context, chrome, pages), *listing_jobs_of(context, chrome)]


def own_jobs(context: BuildContext, chrome: Chrome | None = None,
             pages: tuple[MarkdownPage, ...] | None = None) -> list[PageJob]:
    """The home page, project pages, Markdown pages and the 404 page."""
    site = context.site
    pages = read_pages(context.root) if pages is None else pages
    chrome = chrome_of(context, pages) if chrome is None else chrome
    listings = views.Listings(site)
    jobs: list[PageJob] = [home_job(site, chrome, context.settings, listings)]
    jobs.extend(project_jobs(site, chrome, listings))
    jobs.extend(evaluation_jobs(site, chrome))
    jobs.extend(page_jobs(pages, chrome))
    base = urlsplit(site_address(context)).path
    jobs.append(PageJob(urls.NOT_FOUND, "404.html", {"chrome": chrome, "base": base}))
    return jobs


def listing_jobs_of(context: BuildContext, chrome: Chrome | None = None) -> list[PageJob]:
    """Year, unit and category pages, and the search page (which lists the categories)."""
    site = context.site
    chrome = chrome_of(context) if chrome is None else chrome
    found = categories(site)
    jobs = list(listing_jobs(site, chrome, views.Listings(site)))
    jobs.extend(category_jobs(found, chrome))
    jobs.append(search_job(site, chrome, found))
    return jobs


def render(context: BuildContext, jobs: list[PageJob]) -> list[OutputFile]:
    """Render ``jobs`` (through the render cache) with progress reported to the context.

    Other producers render their pages with this too; a job without ``chrome`` gets the
    standard navigation, so any template extending ``base.html`` works.
    """
    return list(render_stream(context, jobs))


def render_stream(context: BuildContext, jobs: list[PageJob]) -> Iterator[OutputFile]:
    """:func:`render` handing each page over as soon as it is done (in no fixed order)."""
    if any("chrome" not in job.data for job in jobs):
        chrome = chrome_of(context)
        jobs = [job if "chrome" in job.data else
                PageJob(job.path, job.template, {**job.data, "chrome": chrome}) for job in jobs]
    return render_batches(context, [jobs], len(jobs))


def render_batches(context: BuildContext, batches: Iterable[list[PageJob]], total: int
                   ) -> Iterator[OutputFile]:
    """The pages of ``batches`` of jobs (``total`` in all, for the progress shown), each
    batch's jobs made only when the one before is rendered: the jobs of 50,000 project pages
    held at once were 180 MB."""
    done = 0
    code = code_digest(context.root)

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if context.progress:
            context.progress(done, total)

    for jobs in batches:
        for page in stream_pages(context, jobs, code, advance):
            context.stats.pages += 1
            yield page


def produce(context: BuildContext) -> Iterable[OutputFile]:
    return render_stream(context, all_jobs(context))


OWN_BATCH = 5000
"""Project pages whose jobs :func:`produce_own` makes at a time."""


def produce_own(context: BuildContext) -> Iterable[OutputFile]:
    """:func:`produce` split in two, for builds that make the listings in another process:
    the home, Markdown, 404 and project pages, the latter :data:`OWN_BATCH` at a time."""
    site = context.site
    pages = read_pages(context.root)
    chrome = chrome_of(context, pages)
    listings = views.Listings(site)
    base = urlsplit(site_address(context)).path
    first = [home_job(site, chrome, context.settings, listings), *page_jobs(pages, chrome),
             PageJob(urls.NOT_FOUND, "404.html", {"chrome": chrome, "base": base})]
    made = project_jobs(site, chrome, listings)
    batches = chain([first], iter(lambda: list(islice(made, OWN_BATCH)), []))
    return render_batches(context, batches, len(first) + len(site.projects))


def produce_listings(context: BuildContext) -> Iterable[OutputFile]:
    return render_stream(context, listing_jobs_of(context))


def live(context: BuildContext) -> Updater:
    """What keeps the pages current in the preview (:class:`~.live_pages.LivePages`)."""
    from site_builder.build.live_pages import LivePages  # it builds on this module

    return LivePages(context)


PRODUCER = ProducerSpec("pages", produce, pieces=(produce_own, produce_listings), live=live)
"""The HTML pages: the home, project, Markdown and 404 pages; the listings."""
