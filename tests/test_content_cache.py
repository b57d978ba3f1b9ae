"""The parsed-content cache: same results as a fresh read, and only changed files re-read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.content import reader as content
from site_builder.content.reader import load_site
from site_builder.export import to_json


def test_cached_load_equals_fresh_load(shipped_site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    fresh = load_site(shipped_site)
    first = load_site(shipped_site, cache)
    second = load_site(shipped_site, cache)
    assert cache.exists()
    assert fresh == first == second
    assert to_json(second.site) == to_json(fresh.site)


def test_only_changed_files_are_read_again(shipped_site: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache.json"
    load_site(shipped_site, cache)
    target = shipped_site / "content/2023/002001/2023-002001-01.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("组织召开专委会", "组织召开专委会会议"),
                      encoding="utf-8")
    os.utime(target, ns=(1, 1))  # a different mtime, whatever the clock says
    reads: list[str] = []
    original = content.quick_entry  # every file read starts there
    monkeypatch.setattr(content, "quick_entry",
                        lambda path, shown, *rest: reads.append(shown) or original(path, shown,
                                                                                   *rest))
    result = load_site(shipped_site, cache)
    assert reads == ["content/2023/002001/2023-002001-01.yaml"]
    project = next(p for p in result.site.projects if p.id == "2023-002001-01")
    assert project.indicators[0].name == "组织召开专委会会议"
    kept = cache.read_bytes()  # unchanged files' records were copied, the edited one encoded
    cache.unlink()
    assert load_site(shipped_site, cache) == result
    assert cache.read_bytes() == kept


@pytest.mark.parametrize("garbage", ["", "{", '{"format": "old", "files": {}}',
                                     '{"format": 1}', "[1, 2]"])
def test_unreadable_cache_is_ignored(shipped_site: Path, tmp_path: Path, garbage: str) -> None:
    cache = tmp_path / "cache.json"
    cache.write_text(garbage, encoding="utf-8")
    assert load_site(shipped_site, cache) == load_site(shipped_site)


def test_errors_are_cached_too(shipped_site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    broken = shipped_site / "content/2023/002001/broken.yaml"
    broken.write_text("id: [x\n", encoding="utf-8")
    first = load_site(shipped_site, cache)
    second = load_site(shipped_site, cache)
    assert [d.format() for d in first.diagnostics] == [d.format() for d in second.diagnostics]
    assert any(d.format().startswith("content/2023/002001/broken.yaml:1:7: error: the '[' at "
                                     "line 1, column 5 has no matching ']'")
               for d in second.diagnostics)


def test_every_field_survives_the_cache(tmp_path: Path) -> None:
    from decimal import Decimal

    from site_builder.content.cache import read_cache, write_cache
    from site_builder.diagnostics import Diagnostic, Position
    from site_builder.model import Indicator, Project, Unit

    shown = "content/2023/002001/a.yaml"
    project = Project(
        "2023-002001-01", "2023", "002001", "项目", Decimal("1.50"), ("目标一", "目标二"),
        (Indicator("产出指标", "", "名称", "≥95%", Position(shown, 12, 3)),
         Indicator("", "数量指标", "n", "", Position("elsewhere.yaml", 1, 2))),
        ("note",), "", "备注", "source.xlsx:3", Position(shown, 1, 1),
        {"id": Position(shown, 5, 5), "name": Position("other.yaml", 6, 7)})
    unit = Unit("002001", "2023", "单位", "祁连县", "703", Decimal("1E+3"), "表",
                Position("content/2023/002001/_unit.yaml", 1, 1))
    bare = Project("x", "2023", "002001", "n", Decimal("0"), table_total=None)
    warning = Diagnostic(Position(shown, 3, 4), "warning", "m", "h", "c")
    entries = {shown: ([1, 2], (project, [warning])),
               "content/2023/002001/_unit.yaml": ([3, 4], (unit, [])),
               "content/b.yaml": ([5, 6], (bare, [])),
               "content/bad.yaml": ([7, 8], (None, [warning]))}
    cache = tmp_path / "cache.json"
    write_cache(cache, entries)
    again, records = read_cache(cache)
    assert sorted(records) == sorted(entries)
    assert again == entries
    assert repr(sorted(again.items())) == repr(sorted(entries.items()))
    assert [p.field_pos for p in (again[shown][1][0],)] == [project.field_pos]


def test_shown_paths_resolve_links_like_shown_path(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    folder = site / "content/2023/x"
    folder.mkdir(parents=True)
    outside.mkdir()
    (folder / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    (outside / "b.yaml").write_text("a: 1\n", encoding="utf-8")
    (folder / "out.yaml").symlink_to(outside / "b.yaml")
    (folder / "in.yaml").symlink_to(folder / "a.yaml")
    (site / "content/2023/linked").symlink_to(folder)
    for root in (site, site / "content" / "..", tmp_path / "site/"):
        files = [*content.content_files(root), root / "content/2023/linked/a.yaml",
                 root / "content/2023/x/../x/a.yaml"]
        assert content._shown_paths(files, root) == [content.shown_path(p, root)
                                                      for p in files]
