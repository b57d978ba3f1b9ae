"""Benchmark harness: site-builder against Hugo + Pagefind on the same synthetic content.

    python benchmarks/run.py --projects 10000 --peers [--runs 3] [--workdir DIR]

Generates (or reuses) a site of N projects with :mod:`benchmarks.generate`, then measures in
one run: cold build time and peak RSS (median of ``--runs``), rebuild after editing one
project and after adding one, output size and file count, search index size, and in headless
Debian Chromium the bytes and latency of a visitor's first and later queries, and recall and
precision of substring queries. With ``--peers`` the same content is built as a Hugo site,
indexed with Pagefind and measured the same way, runs interleaved with ours; the table shows
ours/theirs ratios. Results also go to ``results.json`` in the work folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import browser, peers, preview  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    Measured,
    combine,
    folder_size,
    median,
    percentile,
    run,
)
from benchmarks.queries import Query, quality, query_set  # noqa: E402
from benchmarks.report import print_report  # noqa: E402
from site_builder.build.pipeline import CACHE_DIR  # noqa: E402
from site_builder.content.reader import load_site  # noqa: E402
from site_builder.content.writer import dump_yaml, project_data  # noqa: E402
from site_builder.model import Project, Site  # noqa: E402

STARTED = time.perf_counter()
MARK = "基准修订"
DIRTY = "site.dirty"
"""Present in the work folder while the rebuild steps have the site edited."""
"""Text the rebuild steps put into a project, then look for in the output."""


def log(message: str) -> None:
    """Progress on stderr, so a long run shows where it is."""
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def prepare_site(workdir: Path, projects: int, seed: int) -> Path:
    """The generated site in ``workdir/site``, reused when made with the same parameters."""
    site, stamp = workdir / "site", workdir / "site.params.json"
    wanted = {"projects": projects, "seed": seed}
    if (site.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted
            and not (workdir / DIRTY).exists()):
        log(f"reusing the site in {site}")
        return site
    shutil.rmtree(site, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"generating {projects} projects")
    generate(site, projects, seed)
    stamp.write_text(json.dumps(wanted))
    (workdir / DIRTY).unlink(missing_ok=True)
    return site


def our_build(site: Path, out: Path, jobs: int, cold: bool) -> Measured:
    if cold:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / CACHE_DIR, ignore_errors=True)
    return run([sys.executable, "-m", "site_builder", "build", "--project", site,
                "--out", out, "--jobs", str(jobs)])


def page_of(out: Path, project_id: str) -> Path | None:
    """Our output page of a project: the HTML file whose name holds its id."""
    for path in out.rglob(f"*{project_id}*.html"):
        return path
    return None


class Edits:
    """Edits one project and adds another in both sites, and undoes it all afterwards."""

    def __init__(self, site_dir: Path, hugo_dir: Path | None, site: Site) -> None:
        self.site_dir, self.hugo_dir, self.site = site_dir, hugo_dir, site
        self.undo: list[tuple[Path, str | None]] = []
        self.units = {u.key: u.name for u in site.units}

    def _remember(self, path: Path) -> None:
        self.undo.append((path, path.read_text("utf-8") if path.exists() else None))

    def _write(self, project: Project) -> None:
        ours = self.site_dir / "content" / project.year / project.unit_code / f"{project.id}.yaml"
        self._remember(ours)
        ours.write_text(dump_yaml(project_data(project)), encoding="utf-8")
        if self.hugo_dir is not None:
            self._remember(peers.project_file(self.hugo_dir, project))
            peers.write_project(self.hugo_dir, project,
                                self.units.get((project.year, project.unit_code), ""))

    def edit(self, round_: int) -> Project:
        """Rename project number ``round_`` (spread over the site) in both sites."""
        original = self.site.projects[(round_ * 7919) % len(self.site.projects)]
        changed = _renamed(original, f"{original.name}{MARK}{round_}")
        self._write(changed)
        return changed

    def add(self, round_: int) -> Project:
        """A new project in an existing unit, in both sites."""
        template = self.site.projects[(round_ * 104729 + 1) % len(self.site.projects)]
        added = _renamed(template, f"新增{MARK}{round_}",
                         new_id=f"{template.year}-{template.unit_code}-9{round_}")
        self._write(added)
        return added

    def restore(self) -> None:
        for path, text in reversed(self.undo):
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")
        self.undo.clear()


def _renamed(project: Project, name: str, new_id: str | None = None) -> Project:
    return replace(project, name=name, id=new_id or project.id)


def _check_page(path: Path | None, text: str, what: str) -> None:
    if path is None or text not in path.read_text("utf-8"):
        raise SystemExit(f"rebuild check failed: {what} does not show {text!r}")


def measure_builds(args: argparse.Namespace, site_dir: Path, hugo_dir: Path | None,
                   site: Site) -> dict[str, Any]:
    """Cold builds (interleaved with the peer's), then rebuilds after an edit and an add."""
    out = args.workdir / "output"
    results: dict[str, list[Measured]] = {k: [] for k in (
        "ours_cold", "ours_edit", "ours_add", "peer_cold", "hugo_cold", "pagefind_cold",
        "peer_edit", "peer_add")}
    for number in range(args.runs):
        results["ours_cold"].append(our_build(site_dir, out, args.jobs, cold=True))
        log(f"cold build {number + 1}: ours {results['ours_cold'][-1].seconds:.1f} s")
        if hugo_dir is not None:
            total, hugo, pagefind = peers.cold_build_peer(hugo_dir)
            results["peer_cold"].append(total)
            results["hugo_cold"].append(hugo)
            results["pagefind_cold"].append(pagefind)
            log(f"cold build {number + 1}: Hugo {hugo.seconds:.1f} s + Pagefind "
                f"{pagefind.seconds:.1f} s")
    edits = Edits(site_dir, hugo_dir, site)
    (args.workdir / DIRTY).touch()
    try:
        for round_ in range(args.runs):
            for kind in ("edit", "add"):
                project = edits.edit(round_) if kind == "edit" else edits.add(round_)
                results[f"ours_{kind}"].append(our_build(site_dir, out, args.jobs, cold=False))
                log(f"rebuild after {kind} {round_ + 1}: ours "
                    f"{results[f'ours_{kind}'][-1].seconds:.1f} s")
                _check_page(page_of(out, project.id), project.name, f"our page of {project.id}")
                if hugo_dir is not None:
                    results[f"peer_{kind}"].append(_peer_rebuild(hugo_dir))
                    log(f"rebuild after {kind} {round_ + 1}: peer "
                        f"{results[f'peer_{kind}'][-1].seconds:.1f} s")
                    _check_page(hugo_dir / "public" / project.year / project.unit_code /
                                project.id / "index.html", project.name, "the Hugo page")
    finally:
        edits.restore()
        (args.workdir / DIRTY).unlink()
    # Leave both outputs matching the unedited content for the browser measurements.
    our_build(site_dir, out, args.jobs, cold=False)
    if hugo_dir is not None:
        _peer_rebuild(hugo_dir)
    return {key: [asdict(m) | {"output": m.output[-300:]} for m in runs]
            for key, runs in results.items() if runs}


def measure_preview(args: argparse.Namespace, site_dir: Path, site: Site) -> dict[str, Any]:
    """Rebuilds in ``site-builder serve`` after an edit and an add, the server's peak RSS."""
    out = args.workdir / "output"
    edits = Edits(site_dir, None, site)
    found: list[preview.PreviewRebuild] = []
    (args.workdir / DIRTY).touch()
    try:
        with preview.preview(site_dir, out) as server:
            for round_ in range(args.runs):
                for kind in ("edit", "add"):
                    def write(kind: str = kind, round_: int = round_) -> tuple[Path, str]:
                        project = edits.edit(round_) if kind == "edit" else edits.add(round_)
                        return out / "projects" / f"{project.id}.html", project.name
                    found.append(preview.rebuild(server, kind, write))
                    log(f"preview rebuild after {kind} {round_ + 1}: "
                        f"{found[-1].reported:.2f} s reported, {found[-1].seen:.2f} s seen"
                        f"{' (quick)' if found[-1].quick else ''}")
            peak = server.peak_rss
    finally:
        edits.restore()
        (args.workdir / DIRTY).unlink()
    our_build(site_dir, out, args.jobs, cold=False)
    return {"rebuilds": [asdict(r) for r in found], "peak_rss": peak}


def _peer_rebuild(hugo_dir: Path) -> Measured:
    return combine(peers.build_peer(hugo_dir))


def sizes(out: Path, index: str) -> dict[str, int]:
    total, files = folder_size(out)
    index_bytes, index_files = folder_size(out / index)
    return {"bytes": total, "files": files, "index_bytes": index_bytes,
            "index_files": index_files}


def measure_browser(args: argparse.Namespace, queries: list[Query],
                    hugo_dir: Path | None) -> dict[str, Any]:
    engines = [browser.Engine("ours", args.workdir / "output", browser.OURS_SHOWN,
                              browser.OURS_ALL, browser.project_id)]
    if hugo_dir is not None:
        public = hugo_dir / "public"
        engines.append(browser.Engine("peer", public, browser.PAGEFIND_SHOWN,
                                      browser.PAGEFIND_ALL, browser.pagefind_key_to_id(public)))
    texts = [q.text for q in queries]
    found: dict[str, Any] = {}
    with browser.chromium() as chromium:
        for engine in engines:
            log(f"Chromium: {len(texts)} queries on {engine.name}")
            measured = browser.measure(chromium, engine, texts, args.limit)
            found[engine.name] = {
                "first": [asdict(r) for r in measured.first],
                "later": [asdict(r) for r in measured.later],
                "quality": asdict(quality(queries, measured.found)),
                "per_query": {q.text: {"truth": len(q.truth),
                                       "found": len(measured.found.get(q.text, set())),
                                       "hits": len(measured.found.get(q.text, set()) & q.truth)}
                              for q in queries},
            }
    return found


def summarize_runs(runs: list[dict[str, Any]]) -> dict[str, float]:
    values = [r["ms"] for r in runs]
    return {"ms_median": median(values), "ms_p95": percentile(values, 0.95),
            "wire_median": median([r["wire"] for r in runs]),
            "raw_median": median([r["raw"] for r in runs])}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True, help="size of the site")
    parser.add_argument("--peers", action="store_true", help="also measure Hugo + Pagefind")
    parser.add_argument("--runs", type=int, default=3, help="runs per build figure (median)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="--jobs for our build (default: all CPUs)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--limit", type=int, default=10, help="results shown per query")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="work folder (default: $TMPDIR/site-builder-bench-N; reused)")
    parser.add_argument("--queries", type=int, default=None,
                        help="use only the first N queries of the fixed set")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium measurements")
    parser.add_argument("--no-preview", action="store_true",
                        help="skip the rebuilds in site-builder serve")
    parser.add_argument("--json", type=Path, default=None, help="results file")
    args = parser.parse_args(argv)
    if args.workdir is None:
        args.workdir = Path(tempfile.gettempdir()) / f"site-builder-bench-{args.projects}"
    args.workdir = args.workdir.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups
    site_dir = prepare_site(args.workdir, args.projects, args.seed)
    site = load_site(site_dir).site
    log(f"loaded {len(site.projects)} projects")
    hugo_dir = peers.write_hugo_site(site, args.workdir / "hugo") if args.peers else None
    queries = query_set(site)[: args.queries]
    results: dict[str, Any] = {
        "projects": len(site.projects), "units": len(site.units), "runs": args.runs,
        "jobs": args.jobs, "cpus": os.cpu_count(), "load_before": os.getloadavg(),
        "queries": [{"text": q.text, "kind": q.kind, "truth": len(q.truth)} for q in queries],
    }
    results["builds"] = measure_builds(args, site_dir, hugo_dir, site)
    if not args.no_preview:
        results["preview"] = measure_preview(args, site_dir, site)
    results["sizes"] = {"ours": sizes(args.workdir / "output", "search")}
    if hugo_dir is not None:
        results["sizes"]["peer"] = sizes(hugo_dir / "public", "pagefind")
    if not args.no_browser:
        results["browser"] = measure_browser(args, queries, hugo_dir)
        for engine in results["browser"].values():
            engine["first_summary"] = summarize_runs(engine["first"])
            engine["later_summary"] = summarize_runs(engine["later"])
    results["load_after"] = os.getloadavg()
    target = args.json or args.workdir / "results.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print_report(results)
    print(f"\nfull results: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
