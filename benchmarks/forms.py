"""Benchmark: the official-form workbooks of a site (``forms/<year>-<code>.xlsx``), written
as the build writes them, without its cache (run on demand, not in CI).

    .venv/bin/python -m benchmarks.forms SITE [--runs K] [--units N]

Loads the site once (reading only), then makes every unit-year's workbook K times and prints
the median CPU seconds, workbooks per second and form sheets per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from site_builder.build.forms import unit_keys
from site_builder.content.reader import load_site
from site_builder.export_xlsx import workbook_bytes
from site_builder.model import Project, Site


def make_all(site: Site, groups: list[tuple[Project, ...]]) -> tuple[float, int]:
    """CPU seconds to make the workbook of every group, and their total size in bytes."""
    start = time.process_time()
    size = sum(len(workbook_bytes(site, projects)) for projects in groups)
    return time.process_time() - start, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the site's folder (read, never written)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions (median shown)")
    parser.add_argument("--units", type=int, default=0, help="only the first N unit-years")
    args = parser.parse_args(argv)
    site = load_site(args.site).site
    keys = unit_keys(site)[:args.units] if args.units else unit_keys(site)
    groups = [site.projects_of(*key) for key in keys]
    sheets = sum(len(projects) + 1 for projects in groups)  # with the unit summary
    times = []
    for run in range(args.runs):
        seconds, size = make_all(site, groups)
        times.append(seconds)
        print(f"run {run + 1}: {seconds:.2f} s CPU", file=sys.stderr)
    median = statistics.median(times)
    print(f"{len(groups)} workbooks, {sheets} sheets, {size / 1e6:.1f} MB: "
          f"median {median:.2f} s CPU, {len(groups) / median:.0f} workbooks/s, "
          f"{sheets / median:.0f} sheets/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
