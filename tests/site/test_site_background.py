"""The search producer in a forked process (large sites with several jobs), in-process so that
the threshold can be lowered to the fixture's size."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from site_helpers import copy_fixture, tree

from site_builder.build import pipeline, renderer, scheduler
from site_builder.build.scheduler import SharedWork, Split
from site_builder.content import reader as content
from site_builder.core.background import Background
from site_builder.core.outputs import BuildContext, OutputFile, Producer
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.search import producer as search


@pytest.fixture()
def background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "BACKGROUND_FROM", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_background_search_gives_the_same_site(tmp_path: Path, background: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_fixture(tmp_path / "site")
    (site / "site.yaml").write_text((site / "site.yaml").read_text(encoding="utf-8")
                                    + "publish_quality_report: true\n", encoding="utf-8")
    first = pipeline.build(site, tmp_path / "one", jobs=1)
    (site / ".site-builder-cache").rename(tmp_path / "cache-of-one")
    monkeypatch.setattr(renderer, "PARALLEL_MINIMUM", 1)  # render workers where allowed
    report = pipeline.build(site, tmp_path / "two", jobs=3)
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert any(path.startswith("search/s/") for path in two)
    assert "quality.html" in two and "data/projects.json" in two
    assert one == two
    assert report.files == len(two)
    assert (report.pages, report.rendered) == (first.pages, first.rendered)
    assert report.diagnostics == first.diagnostics
    assert any(d.severity == "error" for d in report.diagnostics)


def test_the_background_process_writes_the_content_cache(tmp_path: Path, background: None,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    site = copy_fixture(tmp_path / "site")
    cache = site / ".site-builder-cache" / "content.json"
    parent = os.getpid()
    writers: list[int] = []
    original = content.write_cache
    monkeypatch.setattr(content, "write_cache", lambda *args: writers.append(os.getpid())
                        or original(*args))
    pipeline.build(site, tmp_path / "out", jobs=2)
    assert cache.exists() and not writers  # not written by this process
    monkeypatch.setattr(content, "read_entry", None)  # everything comes from the cache
    monkeypatch.setattr(content, "quick_entry", None)
    assert content.load_site(site, cache) == content.load_site(site, cache, save_later=True)
    assert pipeline.build(site, tmp_path / "again", jobs=1).files
    assert writers == [] and os.getpid() == parent


def test_an_index_updated_apart_gives_the_same_site(tmp_path: Path, background: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_fixture(tmp_path / "site")
    pipeline.build(site, tmp_path / "one", jobs=2)
    (site / ".site-builder-cache").rename(tmp_path / "cache-of-one")
    monkeypatch.setattr(search, "INDEX_APART_FROM", 1)
    parent, original = os.getpid(), search._indexed
    monkeypatch.setattr(search, "_indexed", lambda path, context: [] if os.getpid() == parent
                        else original(path, context))  # this process must not index
    pipeline.build(site, tmp_path / "two", jobs=2)
    pipeline.build(site, tmp_path / "three", jobs=1)
    assert tree(tmp_path / "one") == tree(tmp_path / "two") == tree(tmp_path / "three")


def test_strict_fails_on_findings_made_in_the_background(tmp_path: Path,
                                                         background: None) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    pipeline.build(site, out, jobs=2)
    before = tree(out)
    with pytest.raises(SiteBuilderError) as raised:
        pipeline.build(site, out, jobs=2, strict=True)
    assert all(d.severity == "error" for d in raised.value.diagnostics)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def _failing_search(context: BuildContext) -> Iterator[OutputFile]:
    yield OutputFile("search/first.js", b"1")
    raise SiteBuilderError([error("content/x.yaml", "search failed on purpose")])


def _crashing_search(context: BuildContext) -> Iterable[OutputFile]:
    raise ZeroDivisionError("on purpose")


@pytest.mark.parametrize(("produce", "message"), [
    (_failing_search, "content/x.yaml: error: search failed on purpose"),
    (_crashing_search, "ZeroDivisionError: on purpose"),
])
def test_background_failure_keeps_output(tmp_path: Path, background: None,
                                         monkeypatch: pytest.MonkeyPatch, produce: object,
                                         message: str) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    pipeline.build(site, out, jobs=2)
    before = tree(out)
    monkeypatch.setattr(search, "PRODUCER", replace(search.PRODUCER, produce=produce))
    with pytest.raises(SiteBuilderError) as raised:
        pipeline.build(site, out, jobs=2)
    assert message in "\n".join(d.format() for d in raised.value.diagnostics)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_failure_in_front_stops_the_background(tmp_path: Path, background: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    pipeline.build(site, out, jobs=2)
    before = tree(out)
    started = tmp_path / "started"

    def slow_search(context: BuildContext) -> Iterator[OutputFile]:
        started.touch()
        time.sleep(20)
        (tmp_path / "finished").touch()  # only if the failed build waited for it
        yield OutputFile("search/late.js", b"")

    def broken_pages(context: BuildContext) -> Iterator[OutputFile]:
        while not started.exists():
            pass
        raise SiteBuilderError([error("templates/x.html", "pages failed on purpose")])
        yield

    monkeypatch.setattr(scheduler, "split_producers",
                        lambda context, specs: Split([broken_pages], [slow_search], [], []))
    with pytest.raises(SiteBuilderError, match="pages failed on purpose"):
        pipeline.build(site, out, jobs=2)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site", "started"]


def _large_result() -> list[str]:
    return [f"path/{n}.html" for n in range(300_000)]  # ~6 MB pickled: far more than a pipe


def test_the_background_process_exits_before_its_result_is_read() -> None:
    with Background(_large_result) as background:
        background._process.join(timeout=30)  # returns once the process has exited
        assert background._process.exitcode == 0
        assert background.result() == _large_result()


def test_shared_work_is_taken_once_by_either_process(tmp_path: Path) -> None:
    made = tmp_path / "made"
    made.mkdir()

    def producer(number: int) -> Producer:
        def produce(context: BuildContext) -> Iterator[OutputFile]:
            (made / f"{number}-{os.getpid()}").touch()
            time.sleep(0.05)
            yield OutputFile(f"file-{number}", b"")
        return produce

    shared = SharedWork([producer(n) for n in range(12)])
    context = pipeline.make_context(copy_fixture(tmp_path / "site"))
    written: list[str] = []
    with Background(lambda: shared.run(context, list)) as other:
        shared.run(context, lambda files: written.extend(f.path for f in files))
        other.result()
    numbers = sorted(int(name.name.split("-")[0]) for name in made.iterdir())
    assert numbers == list(range(12))  # each taken exactly once
    assert len({name.name.split("-")[1] for name in made.iterdir()}) == 2  # by both
    assert 0 < len(written) < 12
