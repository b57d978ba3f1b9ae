"""The cost of self-evaluations: one generated site built with and without a (fictional)
self-evaluation for every project, in one run.

    python benchmarks/evaluations.py --projects 10000 [--runs 3] [--edits 3]

The site is the one :mod:`benchmarks.run` generates (same seed); a copy of it gets an
``<id>.evaluation.yaml`` beside every project, written as the importer writes them, made
from the project's own indicators (the target as published, an actual that meets it or
falls short, scores that add up, labelled as fictional benchmark data in ``notes``).  Cold
builds alternate between the two sites; compare the **ratios**.  The preview is measured on
the site with self-evaluations: an edit of a project file and of a self-evaluation file
(both the quick path).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import preview  # noqa: E402
from benchmarks.generate import fast_dump, write_content  # noqa: E402
from benchmarks.measure import median  # noqa: E402
from benchmarks.run import log, prepare_site  # noqa: E402
from benchmarks.versions import REPO, cold_build, preview_edits  # noqa: E402
from site_builder.content import writer as content_writer  # noqa: E402
from site_builder.content.reader import load_site  # noqa: E402
from site_builder.model import (  # noqa: E402
    EvaluatedIndicator,
    FundsRow,
    Project,
    SelfEvaluation,
)
from site_builder.values import parse_value  # noqa: E402

WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def evaluation_of(project: Project, rng: random.Random) -> SelfEvaluation:
    """A fictional self-evaluation of ``project`` whose scores add up."""
    groups: dict[str, list[int]] = {}
    for number, indicator in enumerate(project.indicators):
        level = indicator.category1 if indicator.category1 in WEIGHTS else "产出指标"
        groups.setdefault(level, []).append(number)
    weights = [Decimal(0)] * len(project.indicators)
    for level, members in groups.items():
        share = Decimal(WEIGHTS[level]) / len(members)
        for number in members:
            weights[number] = share.quantize(Decimal("0.01"))
    rows, total = [], Decimal(0)
    for indicator, weight in zip(project.indicators, weights, strict=True):
        parsed = parse_value(indicator.value)
        actual, score, reason = indicator.value, weight, ""
        if parsed.kind == "quantity" and parsed.number and rng.random() < 0.2:
            done = (Decimal(parsed.number) * Decimal("0.8")).quantize(Decimal("0.01"))
            actual, score = f"{done}{parsed.unit or ''}", (weight * Decimal("0.8")).quantize(
                Decimal("0.01"))
            reason = "（基准测试用虚构数据）部分任务顺延至下年度完成"
        total += score
        rows.append(EvaluatedIndicator(indicator.level1, indicator.level2, indicator.name,
                                       indicator.value, actual, str(weight), str(score),
                                       reason))
    executed = (project.amount * Decimal(rng.randint(90, 100)) / 100).quantize(Decimal("0.01"))
    rate = (executed / project.amount * 100).quantize(Decimal("0.01")) if project.amount else \
        Decimal(0)
    funds_score = (rate / 10).quantize(Decimal("0.01"))
    total += funds_score
    funds = FundsRow("年度资金总额", str(project.amount), str(project.amount), str(executed),
                     "10", f"{rate}%", str(funds_score))
    return SelfEvaluation(project.id, project.year, project.unit_code, project.name,
                          project=project.id, funds=(funds,), expected=project.goals,
                          achieved=("（基准测试用虚构数据）按计划完成。",),
                          indicators=tuple(rows), total_weight="100", total_score=str(total),
                          notes=("基准测试用虚构数据，不是公开数据。",))


def with_evaluations(site: Path, target: Path, seed: int) -> Path:
    """A copy of ``site`` with a self-evaluation beside every project (made once)."""
    stamp = target.parent / "evaluated.params.json"
    wanted = {"site": str(site), "seed": seed}
    if target.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(".site-builder-cache"))
    rng = random.Random(seed)
    for project in load_site(site).site.projects:
        path = target / "content" / project.year / project.unit_code / \
            f"{project.id}.evaluation.yaml"
        write_content(path, fast_dump(content_writer.evaluation_data(evaluation_of(project, rng))),
                      "evaluation")
    stamp.write_text(json.dumps(wanted))
    return target


def evaluation_edit(site: Path, out: Path) -> float:
    """Seconds from saving an edited self-evaluation to its page showing it."""
    path = next((site / "content").glob("*/*/*.evaluation.yaml"))
    text = path.read_text(encoding="utf-8")
    page = out / "projects" / path.name.replace(".evaluation.yaml", ".html")
    try:
        with preview.preview(site, out) as server:
            def write() -> tuple[Path, str]:
                path.write_text(text.replace("按计划完成。", "按计划完成（已核）。"),
                                encoding="utf-8")
                return page, "按计划完成（已核）。"
            return preview.rebuild(server, "edit", write).seen
    finally:
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True, help="size of the site")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each (median)")
    parser.add_argument("--edits", type=int, default=3, help="preview project edits")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="build --jobs")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="work folder (default: a folder under /tmp)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / f"sb-evaluations-{args.projects}"
    sites = {"without": prepare_site(workdir, args.projects, args.seed)}
    log("writing a self-evaluation for every project")
    sites["with"] = with_evaluations(sites["without"], workdir / "evaluated", args.seed)
    builds: dict[str, list[tuple[float, int]]] = {"without": [], "with": []}
    for number in range(args.runs):
        for name in (("without", "with") if number % 2 == 0 else ("with", "without")):
            builds[name].append(cold_build(REPO, sites[name], workdir / f"out-{name}",
                                           args.jobs))
            log(f"{name}: cold build {builds[name][-1][0]:.2f} s, "
                f"{builds[name][-1][1] / 2**20:.0f} MB")
    edits = preview_edits(REPO, sites["with"], workdir / "out-with", args.edits)
    full = evaluation_edit(sites["with"], workdir / "out-with")
    figures = {name: {"cold_build_s": median([b[0] for b in builds[name]]),
                      "peak_rss_mb": median([b[1] / 2**20 for b in builds[name]]),
                      "builds": builds[name]} for name in builds}
    result = {"projects": args.projects, **figures, "project_edits_s": edits,
              "evaluation_edit_s": full}
    (workdir / "evaluations.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("| metric | without | with self-evaluations | with/without |")
    print("|---|---:|---:|---:|")
    for key, label in (("cold_build_s", "cold build (s, median)"),
                       ("peak_rss_mb", "peak RSS, cold build (MB)")):
        one, two = figures["without"][key], figures["with"][key]
        print(f"| {label} | {one:.2f} | {two:.2f} | {two / one:.2f} |")
    print(f"| preview: project edit until shown (s, median) | | {median(edits):.2f} | |")
    print(f"| preview: self-evaluation edit until shown (s) | | {full:.2f} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
