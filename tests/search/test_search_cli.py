"""``site-builder search`` and the Whoosh index behind it (real subprocesses, real index)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, run_cli, run_json

from site_builder.content.reader import load_site
from site_builder.search.documents import search_docs
from site_builder.search.index import update_index
from site_builder.search.query import search

KEYS = {"id", "url", "name", "unit_code", "unit_name", "year", "amount", "score", "tier"}


def ids(data: dict[str, object]) -> list[str]:
    results = data["results"]
    assert isinstance(results, list)
    return [r["id"] for r in results]


def test_json_items_and_ids_equal_the_export() -> None:
    data = run_json("search", "医保", "--limit", "0", "--json")
    exported = {p["id"]: p for p in json.loads(run_cli("export", check=True).stdout)}
    assert data["total"] == 3 == len(data["results"])
    for item in data["results"]:
        assert set(item) >= KEYS
        project = exported[item["id"]]
        assert (item["name"], item["year"], item["amount"], item["unit_name"]) == (
            project["name"], project["year"], project["amount"], project["unit_name"])
        assert item["url"] == f"projects/{item['id']}.html"


def test_name_matches_rank_first() -> None:
    found = run_json("search", "医保", "--json")["results"]
    assert [r["tier"] for r in found] == [1, 1, 0]
    assert all("医保" in r["name"] for r in found[:2])
    assert "医保" not in found[2]["name"]


def test_limit_zero_returns_all_and_limit_n_cuts() -> None:
    everything = run_json("search", "指标", "--limit", "0", "--json")
    assert everything["total"] == 42 == len(everything["results"])
    assert len(run_json("search", "指标", "--limit", "5", "--json")["results"]) == 5
    assert len(run_json("search", "指标", "--json")["results"]) == 20


def test_filters() -> None:
    by_year = run_json("search", "宣传", "--year", "2023", "--limit", "0", "--json")
    assert by_year["results"] and {r["year"] for r in by_year["results"]} == {"2023"}
    by_unit = run_json("search", "经费", "--unit", "703001", "--limit", "0", "--json")
    assert by_unit["results"] and {r["unit_code"] for r in by_unit["results"]} == {"703001"}
    none = run_json("search", "石嘴", "--year", "2023", "--json")
    assert none["total"] == 0


def test_substrings_across_scripts_and_full_width() -> None:
    assert ids(run_json("search", "0.76万元", "--json")) == ["2023-002001-01"]
    assert ids(run_json("search", "０．７６万元", "--json")) == ["2023-002001-01"]
    assert run_json("search", "嘴镇", "--limit", "0", "--json")["total"] == 26
    assert run_json("search", "石嘴 医保", "--limit", "0", "--json")["total"] == 2


def test_text_output_and_no_match() -> None:
    shown = run_cli("search", "医保", check=True).stdout
    assert "城乡医保经费" in shown and "3 matching project(s)" in shown
    missing = run_cli("search", "不存在的词语")
    assert missing.returncode == 0 and "no project contains “不存在的词语”" in missing.stdout
    chinese = run_cli("search", "不存在的词语", env={"SITE_BUILDER_LANG": "zh_CN"})
    assert "没有找到包含“不存在的词语”的项目" in chinese.stdout


def test_bad_limit_is_a_usage_error() -> None:
    proc = run_cli("search", "医保", "--limit", "-1")
    assert proc.returncode == 2 and "must be 0" in proc.stderr and "Traceback" not in proc.stderr


def test_index_updates_incrementally(shipped_site: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    docs = search_docs(load_site(shipped_site).site)
    first = update_index(index, docs)
    assert (first.added, first.changed, first.removed) == (42, 0, 0)
    assert update_index(index, docs) == type(first)(0, 0, 0)
    project = shipped_site / "content" / "2023" / "002001" / "2023-002001-03.yaml"
    project.write_text(project.read_text("utf-8").replace("name: ", "name: 独一无二标记", 1),
                       "utf-8")
    (shipped_site / "content" / "2023" / "002001" / "2023-002001-04.yaml").unlink()
    changed = update_index(index, search_docs(load_site(shipped_site).site))
    assert (changed.added, changed.changed, changed.removed) == (0, 1, 1)
    total, hits = search(index, "独一无二标记")
    assert total == 1 and hits[0].id == "2023-002001-03" and hits[0].tier == 1
    assert all(h.id != "2023-002001-04" for h in search(index, "医保")[1])


def test_cli_keeps_the_index_current(shipped_site: Path) -> None:
    assert run_json("search", "独一无二标记", "--project", shipped_site, "--json")["total"] == 0
    project = shipped_site / "content" / "2023" / "002001" / "2023-002001-03.yaml"
    project.write_text(project.read_text("utf-8").replace("name: ", "name: 独一无二标记", 1),
                       "utf-8")
    found = run_json("search", "独一无二标记", "--project", shipped_site, "--json")
    assert ids(found) == ["2023-002001-03"]
    assert (shipped_site / ".site-builder-cache" / "search").is_dir()
    assert not (REPO / "content" / "2023" / "002001" / "独一无二标记").exists()


def test_a_damaged_index_is_rebuilt(shipped_site: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    docs = search_docs(load_site(shipped_site).site)
    update_index(index, docs)
    for segment in index.glob("*.seg"):
        segment.write_bytes(b"not an index")
    assert update_index(index, docs).added == 42
    assert search(index, "医保")[0] == 3


def test_text_edited_away_and_back_is_found_again(shipped_site: Path, tmp_path: Path) -> None:
    """A run whose only project changes is deleted; when the text comes back it is indexed
    again (Whoosh keeps a deleted document's terms in its lexicon until a merge)."""
    index = tmp_path / "index"
    path = shipped_site / "content" / "2023" / "002001" / "2023-002001-03.yaml"
    original = path.read_text("utf-8")
    marked = original.replace("name: ", "name: 独一无二标记", 1)
    for text in (original, marked, original, marked, original, marked):
        path.write_text(text, "utf-8")
        update_index(index, search_docs(load_site(shipped_site).site))
        found = [h.id for h in search(index, "独一无二标记")[1]]
        assert found == (["2023-002001-03"] if text == marked else [])
