"""Two versions of site-builder on the same site, measured in one run: cold build, peak RSS,
edit latency in the preview, and whether the outputs are the same bytes.

    python benchmarks/versions.py --projects 10000 --before REV [--after REV] [--runs 3]

``--before`` (and ``--after``, default: the working tree) name git revisions; each is taken
out with ``git archive`` into the work folder and run with ``PYTHONPATH`` pointing at it, in
the same virtual environment.  Builds alternate (before, after, after, before, …) so that a
machine getting busier or quieter weighs on both; compare the **ratios**.  The site is the
one :mod:`benchmarks.run` generates (same seed, reused when present).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import preview  # noqa: E402
from benchmarks.measure import median, run  # noqa: E402
from benchmarks.run import Edits, log, prepare_site  # noqa: E402
from site_builder.content.reader import load_site  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1700000000"
"""SOURCE_DATE_EPOCH for every build, so that two outputs can be compared byte for byte."""


def checkout(revision: str | None, folder: Path) -> Path:
    """The package of ``revision`` (None: the working tree) as a folder to put on
    PYTHONPATH."""
    if revision is None:
        return REPO
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "site_builder"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


@contextmanager
def using(tree: Path) -> Any:
    """``PYTHONPATH`` set to ``tree`` for the processes started meanwhile."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def cold_build(tree: Path, site: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Seconds and peak RSS (bytes) of a build with no output and no cache."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".site-builder-cache", ignore_errors=True)
    measured = run([sys.executable, "-m", "site_builder", "--lang", "en", "build", "--project",
                    site, "--out", out, "--jobs", str(jobs)],
                   env={"PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": EPOCH})
    return measured.seconds, measured.peak_rss


def same_tree(one: Path, two: Path) -> list[str]:
    """Paths that differ between two folders (missing on either side, or other bytes)."""
    differ: list[str] = []

    def walk(compared: filecmp.dircmp[str], prefix: str) -> None:
        differ.extend(prefix + name for name in compared.left_only + compared.right_only)
        _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right,
                                               compared.common_files, shallow=False)
        differ.extend(prefix + name for name in mismatch + errors)
        for name, sub in sorted(compared.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(one, two), "")
    return sorted(differ)


def preview_edits(tree: Path, site: Path, out: Path, edits: int) -> list[float]:
    """Seconds from saving an edited project to its page showing the edit, in ``serve``."""
    loaded = load_site(site).site
    changes = Edits(site, None, loaded)
    seen: list[float] = []
    try:
        with using(tree), preview.preview(site, out) as server:
            for round_ in range(edits):
                def write(round_: int = round_) -> tuple[Path, str]:
                    project = changes.edit(round_)
                    return out / "projects" / f"{project.id}.html", project.name
                rebuilt = preview.rebuild(server, "edit", write)
                if not rebuilt.quick:
                    raise SystemExit("an edit in the preview took a full build")
                seen.append(rebuilt.seen)
    finally:
        changes.restore()
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True, help="size of the site")
    parser.add_argument("--before", required=True, help="git revision measured first")
    parser.add_argument("--after", default=None, help="git revision (default: working tree)")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each (median)")
    parser.add_argument("--edits", type=int, default=3, help="preview edits of each")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="build --jobs")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="work folder (default: a folder under /tmp)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / f"sb-versions-{args.projects}"
    site = prepare_site(workdir, args.projects, args.seed)
    trees = {"before": checkout(args.before, workdir / "before"),
             "after": checkout(args.after, workdir / "after")}
    builds: dict[str, list[tuple[float, int]]] = {"before": [], "after": []}
    for number in range(args.runs):
        order = ("before", "after") if number % 2 == 0 else ("after", "before")
        for name in order:
            builds[name].append(cold_build(trees[name], site, workdir / f"out-{name}",
                                           args.jobs))
            log(f"{name}: cold build {builds[name][-1][0]:.2f} s, "
                f"{builds[name][-1][1] / 2**20:.0f} MB")
    differ = same_tree(workdir / "out-before", workdir / "out-after")
    log(f"outputs: {'the same bytes' if not differ else f'{len(differ)} paths differ'}")
    edits = {name: preview_edits(trees[name], site, workdir / f"out-{name}", args.edits)
             for name in ("before", "after")}
    figures = {name: {"cold_build_s": median([b[0] for b in builds[name]]),
                      "peak_rss_mb": median([b[1] / 2**20 for b in builds[name]]),
                      "preview_edit_s": median(edits[name]),
                      "builds": builds[name], "edits": edits[name]}
               for name in ("before", "after")}
    result = {"projects": args.projects, "before": args.before, "after": args.after or "tree",
              "same_bytes": not differ, "differ": differ[:20], **figures}
    (workdir / "versions.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"| metric | before ({args.before}) | after ({args.after or 'tree'}) | after/before |")
    print("|---|---:|---:|---:|")
    for key, label in (("cold_build_s", "cold build (s, median)"),
                       ("peak_rss_mb", "peak RSS, cold build (MB)"),
                       ("preview_edit_s", "preview: edit until shown (s, median)")):
        one, two = figures["before"][key], figures["after"][key]
        print(f"| {label} | {one:.2f} | {two:.2f} | {two / one:.2f} |")
    print(f"| same bytes | | | {'yes' if not differ else 'no: ' + ', '.join(differ[:5])} |")
    return 0 if not differ else 1


if __name__ == "__main__":
    raise SystemExit(main())
