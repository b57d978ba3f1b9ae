"""Search benchmarks: index and export sizes at scale, and a first query on the shipped site.

    python -m benchmarks.search_bench --projects 20000     # synthetic projects from the seeds
    python -m benchmarks.search_bench --shipped             # shipped site in Chromium

The synthetic run reports what a query downloads (manifest, shards, posting files, display data
of one page of results, plus verification of candidates for terms of three or more characters)
as the client would fetch it.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from site_builder.content.reader import load_site
from site_builder.search.analyzer import gram_hash, is_exact, query_terms, required_grams
from site_builder.search.documents import SearchDoc, search_docs
from site_builder.search.export import DOC_BLOCK, export_files
from site_builder.search.index import update_index
from site_builder.search.query import search

REPO = Path(__file__).resolve().parents[1]
PLACE_CHARS = "东西南北上下青石嘴门源祁连阿柔峨堡扎麻什默勒野牛沟八宝央隆达玉多隆哈拉河浩门川"
QUERIES = ["医保", "石嘴", "村干部", "0.76万元", "95%", "宣传活动", "满意度 宣传", "指标"]


def synthetic(seed_docs: list[SearchDoc], count: int, seed: int = 7) -> list[SearchDoc]:
    """``count`` projects recombined from the seeds with new places, amounts and numbers."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        base = rng.choice(seed_docs)
        place = "".join(rng.choice(PLACE_CHARS) for _ in range(rng.randint(2, 4)))
        unit = f"{place}{rng.choice(['镇政府', '乡人民政府', '卫生院', '学校'])}"
        amount = f"{rng.randint(0, 500)}.{rng.randint(0, 99):02d}"
        parts = [p.replace(base.unit_name, unit).replace("青石嘴", place).replace("阿柔", place)
                 for p in base.parts]
        parts = [p.replace(base.amount, amount) for p in parts]
        out.append(replace(base, id=f"{2020 + n % 5}-{n // 40:06d}-{n:06d}",
                           url=f"projects/{n}.html", unit_code=f"{n // 40:06d}",
                           unit_name=unit, year=str(2020 + n % 5), amount=amount,
                           parts=tuple(parts)))
    return sorted(out, key=lambda d: (d.year, d.unit_code, d.id))


def downloads(files: dict[str, int], manifest: dict[str, Any], query: str,
              docs: list[SearchDoc], page: int = 20) -> int:
    """Bytes the browser fetches for ``query`` (no cache), following engine.js."""
    terms = query_terms(query)
    keys = {g for t in terms for g in required_grams(t)}
    shards = {f"search/s/{gram_hash(k) & (manifest['shards'] - 1):x}.js" for k in keys}
    total = files["search/manifest.js"] + sum(files[s] for s in shards)
    own = [p for p in files if p.startswith("search/p/")]
    total += sum(files[p] for p in own if any(p.startswith(f"search/p/{gram_hash(k):08x}-")
                                              for k in keys))
    wanted = [n for n, d in enumerate(docs) if all(t in d.text for t in terms)]
    candidates = len(wanted) if not all(is_exact(t) for t in terms) else min(page, len(wanted))
    for n in wanted[:candidates]:
        total += files[f"search/d/{n // DOC_BLOCK}/{n}.js"]
    return total


def run_synthetic(count: int) -> dict[str, Any]:
    seeds = search_docs(load_site(REPO).site)
    docs = synthetic(seeds, count)
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        started = time.perf_counter()
        update_index(index, docs)
        indexed = time.perf_counter() - started
        files = export_files(index, [d.id for d in docs])
        exported = time.perf_counter() - started - indexed
        sizes = {f.path: len(f.data) for f in files}
        manifest = json.loads(files[-1].data.decode().split(",", 1)[1].rsplit(")", 1)[0])
        started = time.perf_counter()
        for query in QUERIES:
            search(index, query)
        cli = (time.perf_counter() - started) / len(QUERIES)
        return {
            "projects": count,
            "whoosh_index_bytes": sum(p.stat().st_size for p in index.iterdir()),
            "export_bytes": sum(sizes.values()),
            "postings_bytes": sum(v for k, v in sizes.items() if k.startswith(("search/s/",
                                                                              "search/p/"))),
            "shards": manifest["shards"],
            "largest_shard": max(v for k, v in sizes.items() if k.startswith("search/s/")),
            "index_seconds": round(indexed, 1), "export_seconds": round(exported, 1),
            "cli_query_seconds": round(cli, 3),
            "first_query_bytes": {q: downloads(sizes, manifest, q, docs) for q in QUERIES},
        }


def run_shipped() -> dict[str, Any]:
    """Build the shipped site and time a first query in Chromium over local HTTP."""
    from playwright.sync_api import sync_playwright

    from site_builder.build.pipeline import build
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_dir

    out = Path(tempfile.mkdtemp()) / "output"
    build(REPO, out)
    server, url = serve_dir(out)
    result: dict[str, Any] = {"export_bytes": sum(
        p.stat().st_size for p in (out / "search").rglob("*") if p.is_file())}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in QUERIES:
            page = browser.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda r, s=sizes: s.append(
                r.sizes()["responseBodySize"]) if "/search/" in r.url and
                not r.url.endswith(("engine.js", "ui.js")) else None)
            page.goto(f"{url}search.html")
            page.wait_for_function("window.SiteBuilderSearch")
            ms = page.evaluate("""async (q) => { const t = performance.now();
                await SiteBuilderSearch.search(q, {limit: 20}); return performance.now() - t; }""",
                               query)
            result[query] = {"bytes": sum(sizes), "requests": len(sizes), "ms": round(ms, 1)}
            page.close()
        browser.close()
    server.shutdown()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=0)
    parser.add_argument("--shipped", action="store_true")
    args = parser.parse_args()
    report = run_shipped() if args.shipped else run_synthetic(args.projects or 2000)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
