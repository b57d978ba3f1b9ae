"""The scheduler and the producer protocol: the layout names real pieces, every piece is
made once, a producer registered in one line is built in one process and in two, and the
preview falls back on full builds for a producer that cannot follow an edit."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace
from pathlib import Path

import extra_producer
import pytest
from site_helpers import copy_fixture, tree

from site_builder.build import pipeline, registry, scheduler
from site_builder.build.live import LiveBuild
from site_builder.core.outputs import BuildContext
from site_builder.core.producers import Edit, Update


@pytest.fixture()
def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "BACKGROUND_FROM", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_every_piece_is_placed_once(tmp_path: Path, two_processes: None) -> None:
    context = pipeline.make_context(copy_fixture(tmp_path / "site"), jobs=2)
    specs = registry.producers()
    split = scheduler.split_producers(context, specs)
    assert split is not None
    placed = split.building + split.background + split.shared
    pieces = [piece for spec in specs for piece in spec.piece_names().values()]
    assert sorted(map(id, placed)) == sorted(map(id, pieces))
    assert split.final == [spec.final for spec in specs if spec.final]
    assert scheduler.split_producers(replace(context, jobs=1), specs) is None


def test_a_layout_naming_no_piece_is_refused(tmp_path: Path, two_processes: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    context = pipeline.make_context(copy_fixture(tmp_path / "site"), jobs=2)
    monkeypatch.setitem(scheduler.LAYOUT, "building", ("pages/0", "static", "pagez/1"))
    with pytest.raises(ValueError, match="pagez/1"):
        scheduler.split_producers(context, registry.producers())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_registered_producer_is_built(tmp_path: Path, two_processes: None,
                                        monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    site = copy_fixture(tmp_path / "site")
    monkeypatch.setattr(registry, "PRODUCER_MODULES",
                        (*registry.PRODUCER_MODULES, "extra_producer"))
    pipeline.build(site, tmp_path / "out", jobs=jobs)
    built = tree(tmp_path / "out")
    count = len(pipeline.make_context(site).site.projects)
    assert built["extra/count.txt"] == f"{count}\n".encode()
    assert "index.html" in built and "data/datapackage.json" in built


class _AsksForFullBuilds:
    def __init__(self, context: BuildContext) -> None:
        del context

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        return None


def _edited(site: Path) -> Path:
    """A project file with one of its values changed."""
    path = sorted(p for p in (site / "content").rglob("*.yaml") if p.name != "_unit.yaml")[-1]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: ", "name: 改", 1), encoding="utf-8")
    return path


def test_the_preview_follows_a_producer_that_declares_no_updater_with_full_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_fixture(tmp_path / "site")
    monkeypatch.setattr(registry, "PRODUCER_MODULES",
                        (*registry.PRODUCER_MODULES, "extra_producer"))
    live = LiveBuild(site, tmp_path / "out")
    live.rebuild()
    live.prime()
    assert not live.ready  # extra_producer has no live updater


def test_an_updater_asking_for_a_full_build_gets_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_fixture(tmp_path / "site")
    monkeypatch.setattr(extra_producer, "PRODUCER",
                        replace(extra_producer.PRODUCER, live=_AsksForFullBuilds))
    monkeypatch.setattr(registry, "PRODUCER_MODULES",
                        (*registry.PRODUCER_MODULES, "extra_producer"))
    out = tmp_path / "out"
    live = LiveBuild(site, out)
    live.rebuild()
    live.prime()
    assert live.ready
    edited = _edited(site)
    assert live.quick({edited}) is None
    assert not live.ready  # half made: the next rebuild is a full one
    report = live.rebuild({edited})
    built = tree(out)
    assert report.pages == sum(path.endswith(".html") for path in built)  # a full build
    pipeline.build(site, tmp_path / "cold")
    assert built == tree(tmp_path / "cold")
