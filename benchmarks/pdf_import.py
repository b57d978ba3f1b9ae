"""PDF import: time, peak memory and accuracy, with pdfplumber and with PyMuPDF.

Makes two PDFs of the official form the way an office does, LibreOffice printing the workbook
of ``site-builder export --format xlsx``: the seeds (the shipped content: 42 projects) and a
generated site of N projects (``benchmarks/generate.py``, 1,000 by default).  Each is then read
in a fresh process, once per way of reading it:

* ``pdfplumber`` — the shipped reader (``site_builder.importers.pdf.read``);
* ``pymupdf`` — the same geometry and form reader fed with PyMuPDF's glyphs and lines
  (``pdf.read_pages``), so only the library differs;
* ``pdfplumber-tables`` and ``pymupdf-tables`` — each library's own table finder
  (``find_tables().extract()``), merged 一级/二级 cells filled down and wrapped lines joined,
  scored on the indicator rows alone (titles and goals need the text around the tables).
  PyMuPDF's finder runs on the large PDF only with ``--all-ways`` (over 10 minutes of CPU
  for 1,000 pages).

Accuracy is indicator by indicator against the content the PDF was made from (the seeds'
content is the text import of the published tables): an indicator counts when 一级, 二级,
三级 and 指标值 are all exact; for the two full readers, also every other field of every
project (amount, goals, notes).  PyMuPDF is not a dependency (AGPL): ``pip install pymupdf``
to run its rows.

Usage: ``python benchmarks/pdf_import.py [--projects 1000] [--workdir DIR] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
WAYS = ("pdfplumber", "pymupdf", "pdfplumber-tables", "pymupdf-tables")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--all-ways", action="store_true",
                        help="also PyMuPDF's own table finder on the large PDF (slow)")
    parser.add_argument("--measure", nargs=3, metavar=("WAY", "PDF", "EXPECTED"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        way, path, expected = args.measure
        print(json.dumps(score(way, Path(path), Path(expected)), ensure_ascii=False))
        return 0
    work = args.workdir or Path(tempfile.gettempdir()) / f"site-builder-pdf-{args.projects}"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    out = args.json or work / "pdf-results.json"
    for label, pdf, expected, made in inputs(work, args.projects):
        for way in WAYS:
            if way.startswith("pymupdf") and not _has("pymupdf"):
                print(f"{way}: skipped (pip install pymupdf)", file=sys.stderr)
                continue
            if way == "pymupdf-tables" and label != "seeds" and not args.all_ways:
                continue
            run = measure.run([sys.executable, __file__, "--measure", way, pdf, expected],
                              cwd=REPO)
            found = json.loads(run.output.strip().splitlines()[-1])
            rows.append({"pdf": label, "way": way, "seconds": round(run.seconds, 2),
                         "peak_rss_mb": round(run.peak_rss / 2**20), **made, **found})
            print(f"{label} {way}: {run.seconds:.2f} s, {run.peak_rss / 2**20:.0f} MB, "
                  f"{found['exact']}/{found['indicators']}", file=sys.stderr, flush=True)
            out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(rows))
    return 0


def inputs(work: Path, projects: int) -> Iterator[tuple[str, Path, Path, dict[str, Any]]]:
    """(label, PDF, expected projects as JSON, facts about the PDF) for seeds and N."""
    site = work / f"site{projects}"
    for label, project in (("seeds", REPO), (f"{projects} projects", site)):
        stem = "seeds" if project == REPO else f"site{projects}"
        if project == site and not (site / "content").exists():
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"),
                            "--projects", str(projects), "--out", str(site)], check=True,
                           timeout=3600)
        pdf, expected = work / f"{stem}.pdf", work / f"{stem}.json"
        if not pdf.exists():
            workbook = work / f"{stem}.xlsx"
            _cli("export", "--project", project, "--format", "xlsx", "-o", workbook)
            soffice = shutil.which("soffice") or "soffice"
            subprocess.run([soffice, f"-env:UserInstallation=file://{work}/lo-profile",
                            "--headless", "--convert-to", "pdf", "--outdir", str(work),
                            str(workbook)], check=True, capture_output=True, timeout=3600)
        if not expected.exists():
            expected.write_text(_cli("export", "--project", project), encoding="utf-8")
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                               check=True).stdout
        count = next(int(line.split()[-1]) for line in pages.splitlines()
                     if line.startswith("Pages:"))
        yield label, pdf, expected, {"pages": count, "mb": round(pdf.stat().st_size / 1e6, 1)}


def _cli(*args: str | Path) -> str:
    return subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, check=True, timeout=3600).stdout


def _has(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


# --- in the measured process --------------------------------------------------------------


def score(way: str, path: Path, expected_json: Path) -> dict[str, Any]:
    expected = json.loads(expected_json.read_text(encoding="utf-8"))
    wanted = [tuple(i[k] for k in ("level1", "level2", "name", "value"))
              for p in expected for i in p["indicators"]]
    if way.endswith("-tables"):
        found = _library_tables(way.removesuffix("-tables"), path)
        hits = sum((Counter(wanted) & Counter(found)).values())
        return {"indicators": len(wanted), "exact": hits, "projects_exact": None,
                "rows_found": len(found)}
    from site_builder.importers import pdf
    if way == "pdfplumber":
        result = pdf.read(path, path.name)
    else:
        result = pdf.read_pages(_pymupdf_pages(path), path.name, path.name)
    return _compare(expected, result)


def _compare(expected: list[dict[str, Any]], result: Any) -> dict[str, Any]:
    """Indicators exact, and projects whose every field is exact, matched in order by
    (year, unit, name)."""
    by_key: dict[tuple[str, str, str], list[Any]] = {}
    for project in result.projects:
        by_key.setdefault((project.year, project.unit_code, project.name), []).append(project)
    exact = total = whole = 0
    for want in expected:
        rows = [tuple(i[k] for k in ("level1", "level2", "name", "value"))
                for i in want["indicators"]]
        total += len(rows)
        left = by_key.get((want["year"], want["unit_code"], want["name"]), [])
        if not left:
            continue
        got = left.pop(0)
        found = [(i.level1, i.level2, i.name, i.value) for i in got.indicators]
        exact += sum(1 for a, b in zip(rows, found, strict=False) if a == b)
        whole += (found == rows and str(got.amount) == want["amount"]
                  and list(got.goals) == want["goals"] and list(got.notes) == want["notes"])
    return {"indicators": total, "exact": exact, "projects": len(expected),
            "projects_exact": whole, "projects_read": len(result.projects)}


def _library_tables(library: str, path: Path) -> list[tuple[str, ...]]:
    """Indicator rows of every table the library's own finder extracts, in page order."""
    found: list[tuple[str, ...]] = []
    if library == "pdfplumber":
        import pdfplumber
        with pdfplumber.open(path) as document:
            for page in document.pages:
                for table in page.find_tables():
                    found.extend(_indicator_rows(table.extract()))
                page.close()
    else:
        import pymupdf
        with pymupdf.open(path) as document:
            for page in document:
                for table in page.find_tables().tables:
                    found.extend(_indicator_rows(table.extract()))
    return found


def _indicator_rows(rows: list[list[str | None]]) -> Iterator[tuple[str, ...]]:
    """(一级, 二级, 三级, 指标值) of the rows below the form's header: a covered cell (None)
    takes the category above it, lines are joined without a separator."""
    level1 = level2 = ""
    started = False
    for row in rows:
        cells = [None if c is None else c.replace("\n", "") for c in row]
        if len(cells) < 8:
            continue
        if cells[6] == "三级指标":
            started = True
            continue
        if not started:
            continue
        if cells[4] is not None:
            level1, level2 = cells[4], ""
        if cells[5] is not None:
            level2 = cells[5]
        if cells[6] or cells[7]:
            yield level1, level2, cells[6] or "", cells[7] or ""


def _pymupdf_pages(path: Path) -> Iterator[Any]:
    """PyMuPDF's glyphs and lines as the geometry reader takes them."""
    import pymupdf

    from site_builder.importers.pdf_layout import Glyph, PageContent, Rule
    with pymupdf.open(path) as document:
        for number, page in enumerate(document, 1):
            glyphs = []
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", ()):
                    for span in line["spans"]:
                        for char in span["chars"]:
                            x0, top, x1, bottom = char["bbox"]
                            glyphs.append(Glyph(char["c"], x0, x1, top, bottom))
            rules = []
            for drawing in page.get_drawings():
                for item in drawing["items"]:
                    if item[0] == "l":
                        a, b = item[1], item[2]
                        rules.append(Rule(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x),
                                          max(a.y, b.y)))
                    elif item[0] == "re":
                        r = item[1]
                        rules += [Rule(r.x0, r.y0, r.x1, r.y0), Rule(r.x0, r.y1, r.x1, r.y1),
                                  Rule(r.x0, r.y0, r.x0, r.y1), Rule(r.x1, r.y0, r.x1, r.y1)]
            width, height = page.rect.width, page.rect.height
            inside = tuple(g for g in glyphs if 0 <= (g.x0 + g.x1) / 2 <= width
                           and 0 <= g.middle <= height)
            yield PageContent(number, width, height, inside, tuple(rules),
                              len(page.get_images()))


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| PDF | pages | read with | time (s) | peak RSS (MB) | indicators exact | "
             "projects exact |", "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    for row in rows:
        whole = ("–" if row["projects_exact"] is None
                 else f"{row['projects_exact']}/{row['projects']}")
        lines.append(f"| {row['pdf']} | {row['pages']} | {row['way']} | {row['seconds']} | "
                     f"{row['peak_rss_mb']} | {row['exact']}/{row['indicators']} | {whole} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
