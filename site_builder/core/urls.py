"""Where every page of the site lives: one function per page type, all paths site-relative.

Paths use ASCII only (ids, codes, fixed slugs) so that the output can be uploaded to any web
server or CMS and opened from disk.  Links between pages are made relative at render time.
"""

from __future__ import annotations

import hashlib

from site_builder.categories import LEVEL1, LEVEL2
from site_builder.model import Project, SelfEvaluation, Unit

ORDERS: tuple[tuple[str, str], ...] = (("amount", "按金额从高到低"), ("order", "按公开顺序"))
"""Orders in which year and unit pages list their projects: (slug, label); the first is default."""

LEVEL1_SLUGS: dict[str, str] = {
    "产出指标": "output", "效益指标": "benefit", "满意度指标": "satisfaction", "成本指标": "cost",
}
"""ASCII slug of each canonical 一级指标."""

LEVEL2_SLUGS: dict[str, str] = {
    "数量指标": "quantity", "质量指标": "quality", "时效指标": "timeliness", "成本指标": "cost",
    "经济效益指标": "economic", "社会效益指标": "social", "生态效益指标": "ecological",
    "可持续影响指标": "sustainable", "服务对象满意度指标": "satisfaction",
    "经济成本指标": "economic-cost", "社会成本指标": "social-cost",
    "生态环境成本指标": "environmental-cost",
}
"""ASCII slug of each canonical 二级指标."""

assert set(LEVEL1_SLUGS) == set(LEVEL1)
assert {n for names in LEVEL2.values() for n in names} == set(LEVEL2_SLUGS)

HOME = "index.html"
SEARCH = "search.html"
DOWNLOADS = "downloads.html"
NOT_FOUND = "404.html"
CATEGORIES = "categories/index.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STYLESHEET = "static/site.css"
PRINT_STYLESHEET = "static/print.css"
ICON = "static/icon.svg"
DATA_DIR = "data"
PROJECTS_JSON = f"{DATA_DIR}/projects.json"
INDICATORS_CSV = f"{DATA_DIR}/indicators.csv"
DATAPACKAGE = f"{DATA_DIR}/datapackage.json"
EVALUATIONS_JSON = f"{DATA_DIR}/evaluations.json"
"""Every self-evaluation (only in a site that has some)."""
EVALUATIONS_CSV = f"{DATA_DIR}/evaluations.csv"
"""Every self-evaluated indicator, a row each (only in a site that has some)."""
FORMS_DIR = "forms"
PRINT_SCRIPT = "static/print.js"
MODE_SCRIPT = "static/mode.js"


def _suffix(order: str, page: int = 1) -> str:
    return ("" if order == ORDERS[0][0] else f"-by-{order}") + ("" if page == 1 else f"-p{page}")


def project_path(project: Project) -> str:
    """A project's page (search results link here: keep stable)."""
    return f"projects/{project.id}.html"


def project_data_path(project: Project) -> str:
    """A project's open-data JSON file."""
    return f"{DATA_DIR}/projects/{project.id}.json"


def unit_workbook_path(unit: Unit | tuple[str, str]) -> str:
    """A unit-year's official forms as an Excel workbook (a sheet per project)."""
    year, code = unit.key if isinstance(unit, Unit) else unit
    return f"{FORMS_DIR}/{year}-{code}.xlsx"


def year_path(year: str, order: str = ORDERS[0][0], page: int = 1) -> str:
    """A year's page listing its projects in ``order`` (page ``page`` of that listing)."""
    return f"years/{year}{_suffix(order, page)}.html"


def unit_path(unit: Unit | tuple[str, str], order: str = ORDERS[0][0], page: int = 1) -> str:
    """A unit-year's page listing its projects in ``order`` (page ``page`` of that listing)."""
    year, code = unit.key if isinstance(unit, Unit) else unit
    return f"units/{year}-{code}{_suffix(order, page)}.html"


def _slug(text: str, known: dict[str, str]) -> str:
    if text in known:
        return known[text]
    if not text:
        return "blank"
    return "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def category_path(category1: str, category2: str) -> str:
    """The page listing every indicator of one (一级, 二级) category across projects."""
    return f"categories/{_slug(category1, LEVEL1_SLUGS)}-{_slug(category2, LEVEL2_SLUGS)}.html"


def markdown_page_path(stem: str) -> str:
    """A page written in Markdown as ``content/pages/<stem>.md``."""
    return f"pages/{stem}.html"


def evaluation_path(evaluation: SelfEvaluation) -> str:
    """The page of a self-evaluation whose project the site does not have (one whose project
    it has is shown on the project's page, at ``#self-evaluation``)."""
    return f"evaluations/{evaluation.id}.html"


def history_path(unit_code: str, name: str) -> str:
    """The page of a project seen across years: the projects of one unit code and one name
    (white space ignored), one per year.  Named by the code and a digest of the name, so that
    it keeps its address as years are added."""
    digest = hashlib.sha256("".join(name.split()).encode("utf-8")).hexdigest()[:12]
    return f"history/{unit_code}-{digest}.html"
