"""sitemap.xml: one file up to the sitemaps.org limit, a sitemap index above it."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from site_helpers import copy_fixture

from site_builder.build import feeds, pipeline

NS = {"s": feeds.SITEMAP_NS}


def _locs(path: Path, tag: str) -> list[str]:
    root = ET.parse(path).getroot()
    return [loc.text or "" for loc in root.findall(f"s:{tag}/s:loc", NS)]


def test_large_site_gets_a_sitemap_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    pipeline.build(site, out, base_url="https://example.gov.cn/jxmb/")
    single = _locs(out / "sitemap.xml", "url")
    assert len(single) > 20 and not (out / "sitemap-1.xml").exists()
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 20)
    pipeline.build(site, out, base_url="https://example.gov.cn/jxmb/")
    parts = _locs(out / "sitemap.xml", "sitemap")
    count = -(-len(single) // 20)
    assert parts == [f"https://example.gov.cn/jxmb/sitemap-{n}.xml" for n in range(1, count + 1)]
    listed = [loc for n in range(1, count + 1) for loc in _locs(out / f"sitemap-{n}.xml", "url")]
    assert listed == single
    assert all(len(_locs(out / f"sitemap-{n}.xml", "url")) <= 20 for n in range(1, count + 1))
    assert "Sitemap: https://example.gov.cn/jxmb/sitemap.xml" in (out / "robots.txt").read_text()


def test_sitemap_escapes_addresses(tmp_path: Path) -> None:
    context = pipeline.make_context(copy_fixture(tmp_path / "site"))
    [made] = feeds.sitemap(context, ["a&b<c>.html", "x.html"])
    assert _locs_of(made.data) == ["a&b<c>.html", "x.html"]


def _locs_of(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return [loc.text or "" for loc in root.findall("s:url/s:loc", NS)]
