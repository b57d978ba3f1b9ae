"""The build's speed-ups keep their meaning: indexed lookups, one-pass JSON, cache across jobs."""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.cache import page_key
from site_builder.build.collector import young_collections_only
from site_builder.build.pages import all_jobs
from site_builder.build.pipeline import make_context
from site_builder.build.renderer import PageJob, PageKeys
from site_builder.build.views import Namesakes
from site_builder.content.reader import load_site
from site_builder.export import json_array, project_json, to_json
from site_builder.model import Project, Site, Unit
from site_builder.values import parse_value

RENDERED = re.compile(r"\((\d+) files, (\d+) rendered, (\d+) from cache\)")


def _site() -> Site:
    units = (Unit("001", "2023", "甲单位"), Unit("001", "2023", "重复的甲单位"),
             Unit("002", "2023", "乙单位"), Unit("001", "2024", "甲单位"))
    projects = tuple(Project(f"{year}-{code}-{n}", year, code, f"项目{n}", Decimal(n))
                     for year, code, n in (("2023", "001", 1), ("2023", "001", 2),
                                           ("2023", "003", 3), ("2024", "001", 4)))
    return Site(units, projects)


def test_site_lookups_answer_like_a_scan() -> None:
    site = _site()
    for year, code in [("2023", "001"), ("2023", "002"), ("2023", "003"), ("2024", "001"),
                       ("2025", "001")]:
        scanned = next((u for u in site.units if u.key == (year, code)), None)
        assert site.unit(year, code) is scanned  # the first of a repeated key, as before
        assert site.projects_of(year, code) == tuple(
            p for p in site.projects if (p.year, p.unit_code) == (year, code))
    assert [site.unit_name(p) for p in site.projects] == ["甲单位", "甲单位", "", "甲单位"]


def test_site_indexes_stay_out_of_repr_and_equality() -> None:
    site, twin = _site(), _site()
    site.unit("2023", "001")  # builds the indexes of one of them only
    assert repr(site) == repr(twin) and site == twin
    changed = replace(site, units=site.units[2:])
    assert changed.unit("2023", "001") is None and changed.unit("2023", "002") is not None


def test_projects_json_is_json_dumps_of_the_list() -> None:
    site = load_site(REPO).site
    items = [project_json(site, p) for p in site.projects]
    assert to_json(site) == json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    assert json_array([]) == json.dumps([], indent=2)


@given(st.lists(st.dictionaries(st.text(max_size=5), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=8), max_size=4), max_size=4))
def test_json_array_matches_json_dumps(items: list[dict[str, object]]) -> None:
    texts = [json.dumps(item, ensure_ascii=False, indent=2) for item in items]
    assert json_array(texts) == json.dumps(items, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("text", ["≥95%", "≦0.3万元", "2021年12月31日", "2021年1月至12月",
                                  "每季度", "稳步提升", "", "每场1.45万元以内", "0次", "0000年"])
def test_parsed_value_json_keeps_its_fields(text: str) -> None:
    parsed = parse_value(text)
    expected = {k: v for k, v in asdict(parsed).items() if v not in (None, False)}
    assert parsed.to_json() == expected
    assert list(parsed.to_json()) == list(expected)  # same key order in the JSON files


def test_young_collections_only_restores_the_collector() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), young_collections_only():
        assert gc.get_threshold()[1:] != before[1:] and gc.get_freeze_count() > 0
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_parallel_builds_keep_the_render_cache(shipped_site: Path, tmp_path: Path) -> None:
    """With two jobs the workers check which pages of the output they can keep; what they
    kept and rendered must all be in the index the build leaves, so the next build renders
    nothing.  Another output folder is rendered afresh (the index describes one folder)."""
    counts = []
    first_page = b""
    for name in ("a", "a", "a", "b"):
        proc = run_cli("build", "--project", shipped_site, "--out", tmp_path / name,
                       "--jobs", "2", check=True)
        found = RENDERED.search(proc.stdout)
        assert found, proc.stdout
        counts.append(tuple(map(int, found.groups())))
        first_page = first_page or (tmp_path / name / "index.html").read_bytes()
    (_, first, _), (_, second, kept2), (_, third, kept3), (_, other, _) = counts
    assert first > 48 and second == third == 0 and kept2 == kept3 == first
    assert other == first
    assert (tmp_path / "b" / "index.html").read_bytes() == first_page


def _nearest_by_sorting(project: Project, site: Site) -> list[Project]:
    """The namesake order spelled out as one sort of the whole group."""
    others = [p for p in site.projects
              if "".join(p.name.split()) == "".join(project.name.split()) and p.id != project.id]
    others.sort(key=lambda p: (p.unit_code != project.unit_code, p.year != project.year,
                               -int(p.year), p.year, p.unit_code, p.id))
    return others


@given(st.lists(st.tuples(st.sampled_from(["2021", "2022", "2023"]),
                          st.sampled_from(["001", "002", "010"]),
                          st.sampled_from(["村级运转经费", "村级 运转经费", "办公经费"])),
                max_size=40), st.integers(min_value=0, max_value=12))
def test_namesakes_index_orders_like_a_full_sort(rows: list[tuple[str, str, str]],
                                                  count: int) -> None:
    projects = tuple(Project(f"{year}-{code}-{n:02d}", year, code, name, Decimal(n))
                     for n, (year, code, name) in enumerate(rows))
    site = Site((), projects)
    namesakes = Namesakes(site)
    for project in projects:
        expected = _nearest_by_sorting(project, site)
        assert namesakes.nearest(project, count) == (expected[:count], len(expected))


def test_page_keys_read_the_whole_page_data(shipped_site: Path) -> None:
    """Shared values stand in the key as the digest of their text: the key still covers all
    the data, and changes with a shared value."""
    context = make_context(shipped_site)
    jobs = all_jobs(context)
    keys = PageKeys(("code", "settings"), jobs)
    uses = Counter(id(value) for job in jobs for value in job.data.values())

    def text(value: object) -> str:
        if uses[id(value)] == 1:
            return repr(value)
        return f"<shared {hashlib.sha256(repr(value).encode('utf-8')).hexdigest()}>"

    for job in jobs:
        data = "[" + ", ".join(f"({name!r}, {text(value)})"
                               for name, value in sorted(job.data.items())) + "]"
        assert keys.key(job) == page_key("code", "settings", job.path, job.template, data)
    assert len({keys.key(job) for job in jobs}) == len(jobs)
    chrome = jobs[0].data["chrome"]
    assert all(job.data["chrome"] is chrome for job in jobs)
    other = replace(chrome, years=(*chrome.years, "1999"))
    moved = [PageJob(job.path, job.template, {**job.data, "chrome": other}) for job in jobs]
    changed = PageKeys(("code", "settings"), moved)
    assert all(changed.key(a) != keys.key(b) for a, b in zip(moved, jobs, strict=True))
