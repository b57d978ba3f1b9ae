"""Quick rebuilds (``serve``'s :class:`LiveBuild`) make exactly what a full build makes.

A generated 300-project site (the benchmark generator) is built once, then edited again and
again in the ways publishing staff edit tables (names, amounts, values, indicators added and
removed, goals, categories); each edit is rebuilt quickly, and the whole output is compared
byte for byte with a full build of the same content.  Pages are made small (listing and
category pages of a few rows) so that page boundaries move too.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO
from site_helpers import tree

from site_builder.build import pages
from site_builder.build.live import LiveBuild
from site_builder.build.pipeline import build
from site_builder.content.reader import load_site
from site_builder.content.writer import dump_yaml, project_data
from site_builder.diagnostics import SiteBuilderError
from site_builder.model import Indicator, Project, Site

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402

Change = Callable[[Project, Site, random.Random], Project]


def renamed(project: Project, site: Site, rng: random.Random) -> Project:
    if rng.random() < 0.5:  # to another project's name: namesake lists change on both sides
        return replace(project, name=rng.choice(site.projects).name)
    return replace(project, name=project.name + "（修订）")


def new_amount(project: Project, site: Site, rng: random.Random) -> Project:
    return replace(project, amount=project.amount + rng.choice((1, 7, 250)))


def new_value(project: Project, site: Site, rng: random.Random) -> Project:
    if not project.indicators:
        return project
    indicators = list(project.indicators)
    at = rng.randrange(len(indicators))
    indicators[at] = replace(indicators[at], value=rng.choice(("≥96%", "≅90%", "12次", "")))
    return replace(project, indicators=tuple(indicators))


def fewer_indicators(project: Project, site: Site, rng: random.Random) -> Project:
    return replace(project, indicators=project.indicators[:rng.randrange(len(project.indicators)
                                                                         + 1)])


def more_indicators(project: Project, site: Site, rng: random.Random) -> Project:
    other = rng.choice(site.projects)
    return replace(project, indicators=project.indicators + other.indicators[:3])


def new_goals(project: Project, site: Site, rng: random.Random) -> Project:
    return replace(project, goals=(*project.goals, "目标三：完成 新增 的 工作 任务 100%"))


def odd_category(project: Project, site: Site, rng: random.Random) -> Project:
    """An indicator filed under a category the generated site has none of (a new category
    page; removing it again removes the page)."""
    level2 = rng.choice(("社会成本指标", "生态环境成本指标"))
    extra = Indicator("成本指标", level2, "新增指标", "1项")
    return replace(project, indicators=(*project.indicators, extra))


CHANGES: tuple[Change, ...] = (renamed, new_amount, new_value, fewer_indicators,
                               more_indicators, new_goals, odd_category)


def write(root: Path, project: Project) -> Path:
    path = root / "content" / project.year / project.unit_code / f"{project.id}.yaml"
    path.write_text(dump_yaml(project_data(project)), encoding="utf-8")
    return path


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "LISTING_PAGE_SIZE", 7)
    monkeypatch.setattr(pages, "CATEGORY_PAGE_SIZE", 40)


@pytest.fixture
def site_root(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "site"
    generate(root, 300, seed=11)
    yield root


def primed(root: Path, out: Path) -> LiveBuild:
    """A full build of ``root`` into ``out``, kept for quick rebuilds."""
    live = LiveBuild(root, out)
    live.rebuild()
    live.prime()
    assert live.ready
    return live


def same_as_full_build(root: Path, out: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    build(root, cold, jobs=1)
    live, full = tree(out), tree(cold)
    assert live.keys() == full.keys(), sorted(live.keys() ^ full.keys())[:10]
    assert live == full, sorted(path for path in full if live[path] != full[path])[:10]


def test_quick_rebuilds_make_what_a_full_build_makes(site_root: Path, tmp_path: Path,
                                                     small_pages: None) -> None:
    out = site_root / "output"
    live = primed(site_root, out)
    rng = random.Random(5)
    site = load_site(site_root).site
    for round_ in range(4):
        for _ in range(3):
            targets = rng.sample(site.projects, rng.choice((1, 1, 2)))
            paths = [write(site_root, rng.choice(CHANGES)(p, site, rng)) for p in targets]
            report = live.rebuild(paths)
            assert live.ready, "a quick rebuild kept what the next one needs"
            assert report.files > 0 or report.rendered == 0
            site = load_site(site_root).site
        same_as_full_build(site_root, out, tmp_path / str(round_))


def test_other_changes_take_a_full_build_and_quick_ones_resume(
        site_root: Path, tmp_path: Path) -> None:
    out = site_root / "output"
    live = primed(site_root, out)
    unit_file = next((site_root / "content").rglob("_unit.yaml"))
    unit_file.write_text(unit_file.read_text("utf-8").replace("name: ", "name: 新"), "utf-8")
    assert live.quick({unit_file}) is None  # a unit file: not a quick rebuild
    live.rebuild({unit_file})
    assert not live.ready
    live.prime()
    site = load_site(site_root).site
    project = site.projects[3]
    moved = replace(project, id=project.id + "x")
    new_file = write(site_root, moved)
    assert live.quick({new_file}) is None  # a new file
    new_file.unlink()
    path = write(site_root, replace(project, name="新名称项目"))
    assert live.quick({path}) is not None
    same_as_full_build(site_root, out, tmp_path)


def test_a_broken_file_keeps_the_output_and_the_next_edit_is_quick(
        site_root: Path, tmp_path: Path) -> None:
    out = site_root / "output"
    live = primed(site_root, out)
    before = tree(out)
    project = load_site(site_root).site.projects[10]
    path = write(site_root, project)
    good = path.read_text("utf-8")
    path.write_text(good + "indicators: [\n", encoding="utf-8")
    with pytest.raises(SiteBuilderError) as failed:
        live.rebuild({path})
    assert failed.value.diagnostics[0].pos.path.endswith(path.name)
    assert tree(out) == before
    assert live.ready
    write(site_root, replace(project, amount=project.amount + 3))
    assert live.quick({path}) is not None
    same_as_full_build(site_root, out, tmp_path)


def test_quick_rebuilds_keep_the_published_quality_page_current(site_root: Path,
                                                                 tmp_path: Path) -> None:
    settings = site_root / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace(
        "publish_quality_report: false", "publish_quality_report: true"), encoding="utf-8")
    out = site_root / "output"
    live = primed(site_root, out)
    site = load_site(site_root).site
    first, second = site.projects[0], site.projects[1]
    paths = [write(site_root, replace(first, indicators=first.indicators[:1])),
             write(site_root, replace(second, goals=first.goals))]
    assert live.quick(set(paths)) is not None
    assert "quality.html" in tree(out)
    same_as_full_build(site_root, out, tmp_path)
