"""Benchmark: the quality checks on a large synthetic site (run on demand, not in CI).

    .venv/bin/python -m benchmarks.bench_checks [PROJECTS]

Projects are the shipped ones repeated with distinct names, ids and amounts, so the copy-paste
rule sees realistic shared rows (群众满意度 ≥95% everywhere) and every shipped copy repeats.
"""

from __future__ import annotations

import dataclasses
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

from site_builder.checks import run_checks
from site_builder.content.reader import load_site
from site_builder.model import Project, Site

REPO = Path(__file__).resolve().parents[1]


def synthetic_site(count: int) -> Site:
    """``count`` projects derived from the shipped ones, each made distinct by its number."""
    base = load_site(REPO).site
    projects: list[Project] = []
    for n in range(count):
        p = base.projects[n % len(base.projects)]
        tag = f"{n}号"
        indicators = tuple(dataclasses.replace(i, name=f"{i.name}{tag}") if k % 2 else i
                           for k, i in enumerate(p.indicators))
        projects.append(dataclasses.replace(
            p, id=f"{p.id}-{n}", name=f"{p.name}{tag}", amount=p.amount + Decimal(n % 7),
            goals=tuple(f"{g}{tag}" for g in p.goals), indicators=indicators))
    projects.sort(key=lambda p: (p.year, p.unit_code, p.id))
    return Site(base.units, tuple(projects))


def main(count: int) -> None:
    site = synthetic_site(count)
    indicators = sum(len(p.indicators) for p in site.projects)
    started, cpu_started = time.perf_counter(), time.process_time()
    findings = run_checks(site)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} projects, {indicators} indicators: {len(findings)} findings in "
          f"{seconds:.1f} s wall, {cpu:.1f} s CPU ({1e6 * cpu / count:.0f} µs/project), "
          f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
