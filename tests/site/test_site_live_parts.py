"""The parts quick rebuilds are made of: open data and categories kept in memory give what a
full build makes; the watcher tells project edits from other changes; sites whose templates
read the whole site get no quick rebuilds."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO

from site_builder.build.category_views import CategoryIndex, categories
from site_builder.build.jinja_env import templates_reading_site
from site_builder.build.live import LiveBuild
from site_builder.build.live_data import LiveData
from site_builder.build.opendata import DataFiles
from site_builder.build.watch import Changes, classify
from site_builder.content.reader import load_site
from site_builder.model import Indicator, Site
from site_builder.settings import load_settings

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    root = tmp_path_factory.mktemp("live-parts") / "site"
    generate(root, 150, seed=4)
    return root, load_site(root).site


def with_project(site: Site, at: int, project: object) -> Site:
    return Site(site.units, (*site.projects[:at], project, *site.projects[at + 1:]))  # type: ignore[arg-type]


def test_open_data_kept_in_memory_equals_a_full_build(generated: tuple[Path, Site]) -> None:
    root, site = generated
    settings = load_settings(root)
    live = LiveData(site, settings)
    assert [(f.path, f.data) for f in live.files()] == \
        [(f.path, f.data) for f in DataFiles(site, settings)]
    rng = random.Random(2)
    for _ in range(5):
        at = rng.randrange(len(site.projects))
        old = site.projects[at]
        new = replace(old, name=old.name + "甲", amount=old.amount + 2,
                      indicators=old.indicators[:-1])
        site = with_project(site, at, new)
        changed = {f.path: f.data for f in live.edit_many(site, [new])}
        full = {f.path: f.data for f in DataFiles(site, settings)}
        assert all(full[path] == data for path, data in changed.items())
        assert {f.path: f.data for f in live.files()} == full


def test_category_index_after_edits_equals_a_fresh_one(generated: tuple[Path, Site]) -> None:
    _, site = generated
    index = CategoryIndex(site)
    rng = random.Random(6)
    for _ in range(8):
        at = rng.randrange(len(site.projects))
        old = site.projects[at]
        extra = Indicator("成本指标", "社会成本指标", "新增", "1项")
        new = replace(old, name=old.name + "乙",
                      indicators=rng.choice((old.indicators[1:], (*old.indicators, extra))))
        site = with_project(site, at, new)
        changed = index.replace(site, old, new)
        assert changed, "its entries name the project"
        assert index.categories() == categories(site)
        for category in index.categories():
            start, count = index.span((category.level1, category.level2), new.id)
            shown = {e.project_path for e in category.entries[start:start + count]}
            assert shown <= {f"projects/{new.id}.html"}
            assert count == sum(e.project_path == f"projects/{new.id}.html"
                                for e in category.entries)


@pytest.mark.parametrize(("path", "files", "anything"), [
    ("content/2023/001/2023-001-01.yaml", 1, False),
    ("content/2023/001/_unit.yaml", 1, False),  # a unit file: the build decides
    ("content/2023/001/.2023-001-01.yaml.swp", 0, False),
    ("content/2023/001/2023-001-01.yaml~", 0, False),
    ("content/pages/about.md", 0, True),
    ("templates/project.html", 0, True),
    ("static/site.css", 0, True),
    ("site.yaml", 0, True),
    ("output/index.html", 0, False),
    (".site-builder-cache/content.json", 0, False),
])
def test_watcher_tells_project_edits_from_other_changes(path: str, files: int,
                                                        anything: bool) -> None:
    root = Path("/site")
    changes = Changes()
    classify(root, root / path, False, changes)
    assert (len(changes.files), changes.anything) == (files, anything)


def test_a_new_content_folder_takes_a_full_build() -> None:
    changes = Changes()
    classify(Path("/site"), Path("/site/content/2024"), True, changes)
    assert changes.anything


def test_templates_reading_the_whole_site_turn_quick_rebuilds_off(tmp_path: Path) -> None:
    root = tmp_path / "site"
    generate(root, 20, seed=1)
    assert templates_reading_site(root) == []
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "project.html").write_text(
        '{% extends "default:project.html" %}{% block title %}{{ site.projects | length }}'
        "{% endblock %}", encoding="utf-8")
    assert templates_reading_site(root) == ["project.html"]
    live = LiveBuild(root, root / "output")
    live.rebuild()
    live.prime()
    assert not live.ready
