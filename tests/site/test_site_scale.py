"""Pages of a large site stay small: category, year and unit pages are paginated, namesakes
are capped.

Built from a real 1000-project synthetic site (the benchmark generator), through the real CLI.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from site_builder.build import pages
from site_builder.build.pages import CATEGORY_PAGE_SIZE, SAME_NAME_SHOWN, pager_window
from site_builder.build.pipeline import build

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "site"
    generate(root, 1000, seed=7)
    result = run_cli("build", "--project", str(root))
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_category_pages_hold_at_most_one_page_of_entries_and_link_each_other(
        big_site: Path) -> None:
    pages = sorted((big_site / "categories").glob("*-2.html"))
    assert pages, "a 1000-project site has categories with more than one page"
    first = pages[0].with_name(pages[0].name.removesuffix("-2.html") + ".html")
    html = first.read_text("utf-8")
    total = int(re.search(r"(\d+) 项指标", html).group(1))  # type: ignore[union-attr]
    count = len(list(big_site.glob(f"categories/{first.stem}*.html")))
    assert count == -(-total // CATEGORY_PAGE_SIZE)
    rows = 0
    for n in range(1, count + 1):
        page = first if n == 1 else first.with_name(f"{first.stem}-{n}.html")
        text = page.read_text("utf-8")
        found = text.count('<th scope="row" class="l3">')
        assert found <= CATEGORY_PAGE_SIZE
        rows += found
        assert 'aria-label="分页"' in text and 'aria-current="page">' + str(n) + "<" in text
    assert rows == total


def test_pager_shows_first_last_and_near_pages_with_gaps() -> None:
    paths = [f"p{n}.html" for n in range(1, 21)]
    numbers = [n for n, _ in pager_window(paths, 10)]
    assert numbers == [1, 0, 7, 8, 9, 10, 11, 12, 13, 0, 20]
    assert [n for n, _ in pager_window(paths[:3], 1)] == [1, 2, 3]


def test_project_pages_list_at_most_ten_namesakes_and_point_to_search(big_site: Path) -> None:
    capped = 0
    for page in sorted((big_site / "projects").glob("*.html")):
        text = page.read_text("utf-8")
        start = text.find("其他年度或单位的同名项目")
        if start < 0:
            continue
        listed = text[start:text.find("</ul>", start)].count("<li>")
        assert listed <= SAME_NAME_SHOWN
        more = re.search(r"另有 (\d+) 个同名项目", text)
        if more:
            capped += 1
            assert listed == SAME_NAME_SHOWN and 'search.html?q=' in text
    assert capped, "common names in a 1000-project site have more than ten namesakes"


SMALL_PAGES = 50
"""Projects per listing page in the paginated build: a 1000-project site has ~140 a year."""


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 1000-project site built in-process with listing pages of :data:`SMALL_PAGES`."""
    root = tmp_path_factory.mktemp("paged") / "site"
    generate(root, 1000, seed=7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "LISTING_PAGE_SIZE", SMALL_PAGES)
        build(root, root / "output")
    return root / "output"


def _listing_pages(first: Path) -> list[Path]:
    """Every page of the listing whose first page is ``first``, in order, as its pager says."""
    pager = re.search(r"第 1 页，共 (\d+) 页", first.read_text("utf-8"))
    count = int(pager.group(1)) if pager else 1
    return [first] + [first.with_name(f"{first.stem}-p{n}.html") for n in range(2, count + 1)]


@pytest.mark.parametrize("folder", ["years", "units"])
def test_listing_pages_hold_one_page_of_projects_in_each_order(paged_site: Path,
                                                               folder: str) -> None:
    sitemap = (paged_site / "sitemap.xml").read_text("utf-8")
    paginated = 0
    for first in sorted((paged_site / folder).glob("*.html")):
        if "-p" in first.stem:
            continue
        listed = _listing_pages(first)
        paginated += len(listed) > 1
        rows: list[str] = []
        for n, page in enumerate(listed, 1):
            html = page.read_text("utf-8")
            found = re.findall(r'<td class="num">(\d+)</td>\n<th scope="row" class="name">'
                               r'<a href="\.\./(projects/[^"]+)"', html)
            assert 0 < len(found) <= SMALL_PAGES
            assert [int(number) for number, _ in found] == list(range(len(rows) + 1,
                                                                       len(rows) + len(found) + 1))
            rows.extend(path for _, path in found)
            assert page.relative_to(paged_site).as_posix() in sitemap
            if len(listed) > 1:
                assert f'aria-current="page">{n}<' in html and 'aria-label="分页"' in html
        total = re.search(r"(\d+) 个项目", listed[0].read_text("utf-8"))
        assert total and len(rows) == len(set(rows)) == int(total.group(1))
    assert paginated or folder == "units", "years of a 1000-project site hold ~140 projects"


def test_unit_pages_of_the_generator_fit_on_one_page(big_site: Path) -> None:
    assert not list((big_site / "units").glob("*-p2.html"))
    assert max(len(re.findall(r'<td class="num">\d+</td>\n<th scope="row"', p.read_text("utf-8")))
               for p in (big_site / "units").glob("*.html")) <= pages.LISTING_PAGE_SIZE
