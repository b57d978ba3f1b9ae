"""The preview's in-memory search index (:class:`LiveIndex`) equals the static export.

Primed from the Whoosh index it must give :func:`export_files`' bytes; patched after an edit it
must give what exporting the updated index gives, file for file.
"""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO

from site_builder.content.reader import load_site
from site_builder.model import Indicator, Project, Site
from site_builder.search import export
from site_builder.search import live as live_module
from site_builder.search.documents import search_doc, search_docs
from site_builder.search.export import export_files
from site_builder.search.index import update_index
from site_builder.search.live import LiveIndex

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("live-search") / "site"
    generate(root, 200, seed=3)
    return load_site(root).site


def exported(index: Path, site: Site) -> dict[str, bytes]:
    docs = search_docs(site)
    update_index(index, docs)
    return {f.path: f.data for f in export_files(index, [d.id for d in docs])}


def edited(project: Project, site: Site, rng: random.Random) -> Project:
    kind = rng.randrange(5)
    if kind == 4:  # a row of a category the project may not have yet, with new words
        level2 = rng.choice(("社会成本指标", "数量指标", "可持续影响指标"))
        extra = Indicator("成本指标" if "成本" in level2 else "", level2, "新增指标", "1项")
        return replace(project, indicators=(*project.indicators, extra))
    if kind == 0:
        return replace(project, name=rng.choice(site.projects).name + "改")
    if kind == 1 and project.indicators:
        first = replace(project.indicators[0], value="≥" + str(rng.randrange(100)) + "%")
        return replace(project, indicators=(first, *project.indicators[1:]))
    if kind == 2:
        return replace(project, indicators=project.indicators[:-1])
    return replace(project, amount=project.amount + 5, goals=(*project.goals, "新 增 目标"))


def test_primed_index_gives_the_export(generated: Site, tmp_path: Path) -> None:
    index = tmp_path / "index"
    cold = exported(index, generated)
    live = LiveIndex.prime(index, search_docs(generated))
    assert {f.path: f.data for f in live.files()} == cold


@pytest.mark.parametrize("own_file", [None, 160])
def test_patched_index_gives_the_export_of_the_edited_site(
        generated: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        own_file: int | None) -> None:
    if own_file is not None:  # many lists near the size that gives them their own file
        monkeypatch.setattr(export, "OWN_FILE", own_file)
        monkeypatch.setattr(live_module, "OWN_FILE", own_file)
    index = tmp_path / "index"
    state = exported(index, generated)
    live = LiveIndex.prime(index, search_docs(generated))
    rng, site, patched_files, dropped = random.Random(8), generated, 0, 0
    for _ in range(25):
        at = rng.randrange(len(site.projects))
        old = site.projects[at]
        new = edited(old, site, rng)
        after = Site(site.units, (*site.projects[:at], new, *site.projects[at + 1:]))
        patched = live.edit(search_doc(site, old), search_doc(after, new))
        site = after
        cold = exported(index, site)
        if patched is None:  # the mean length moved: exported again, as the preview does
            live, state = LiveIndex.prime(index, search_docs(site)), dict(cold)
            continue
        for path in patched.removed:
            del state[path]
            dropped += 1
        for item in [*patched.files, *([patched.manifest] if patched.manifest else [])]:
            state[item.path] = item.data
        patched_files += len(patched.files)
        assert state == cold, sorted(p for p in cold if state.get(p) != cold[p])[:5]
    assert patched_files > 25
    assert dropped or own_file is None, "some list lost its own file (the layout changed)"


def test_an_edit_that_moves_the_mean_length_asks_for_an_export(tmp_path: Path) -> None:
    source = REPO / "content"
    root = tmp_path / "site"
    shutil.copytree(source, root / "content")
    site = load_site(root).site
    index = tmp_path / "index"
    exported(index, site)
    live = LiveIndex.prime(index, search_docs(site))
    old = site.projects[0]
    new = replace(old, goals=(*old.goals, *(f"目标 {n} 第 {n} 项" for n in range(60))))
    after = Site(site.units, (new, *site.projects[1:]))
    assert live.edit(search_doc(site, old), search_doc(after, new)) is None
