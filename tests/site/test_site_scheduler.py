"""The scheduler: the layout names real pieces, every piece is made once, a producer
registered in one line is built in one process and in two."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from site_helpers import copy_fixture, tree

from site_builder.build import pipeline, registry, scheduler


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
