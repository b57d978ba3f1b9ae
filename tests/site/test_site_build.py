"""``site-builder build`` on the fixture site: determinism, atomicity, incremental, errors."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from site_helpers import build, copy_fixture, parse, tree

SUMMARY = re.compile(r"^built (\d+) pages \((\d+) files, (\d+) rendered, (\d+) from cache\) "
                     r"in \d+\.\d\d s -> .+$")


def test_build_is_deterministic_across_jobs_and_cache(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    build(site, tmp_path / "a", "--jobs", "1")
    build(site, tmp_path / "b", "--jobs", "2")  # from the cache
    (site / ".site-builder-cache").rename(tmp_path / "old-cache")
    build(site, tmp_path / "c", "--jobs", "2")  # cache deleted: everything rendered again
    assert tree(tmp_path / "a") == tree(tmp_path / "b") == tree(tmp_path / "c")


def test_summary_line_when_not_a_terminal(tmp_path: Path) -> None:
    proc = build(copy_fixture(tmp_path / "site"), tmp_path / "out")
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), proc.stdout
    pages, files, rendered, cached = map(int, SUMMARY.match(lines[0]).groups())  # type: ignore[union-attr]
    assert pages == len(list((tmp_path / "out").rglob("*.html")))
    assert files == len([p for p in (tmp_path / "out").rglob("*") if p.is_file()])
    assert (rendered, cached) == (pages, 0)
    assert "\r" not in proc.stderr and "Traceback" not in proc.stderr  # findings may follow


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    main, secondary = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "site_builder", "build", "--project", str(site),
                           "--out", str(tmp_path / "out")], stderr=secondary,
                          stdout=subprocess.PIPE, cwd=REPO, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1"})
    os.close(secondary)
    shown = os.read(main, 65536).decode("utf-8", "replace")
    os.close(main)
    assert proc.returncode == 0
    assert re.search(r"\[#+ *\] \d+/\d+ pages", shown), shown


def test_incremental_build_rerenders_only_affected_pages(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    before = tree(out)
    project = site / "content/2023/100002/2023-100002-01.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("明显改善", "显著改善"),
                       encoding="utf-8")
    proc = build(site, out)
    match = SUMMARY.match(proc.stdout.strip())
    assert match, proc.stdout
    after = tree(out)
    changed_pages = sorted(p for p in after if p.endswith(".html") and before.get(p) != after[p])
    # same length: the data files keep their sizes, so the download page is not affected
    assert changed_pages == ["categories/benefit-ecological.html", "projects/2023-100002-01.html"]
    assert int(match.group(3)) == len(changed_pages)
    # a build without the cache gives the same bytes
    (site / ".site-builder-cache").rename(tmp_path / "old-cache")
    build(site, tmp_path / "fresh")
    assert tree(tmp_path / "fresh") == after


def test_no_stale_files_and_no_temporary_folders(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    (site / "content/2023/100002/2023-100002-02.yaml").unlink()
    build(site, out)
    assert not (out / "stale.html").exists()
    assert not (out / "projects/2023-100002-02.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_unchanged_files_are_linked_from_the_previous_output(tmp_path: Path) -> None:
    """A rebuild hard-links files whose bytes did not change (cheaper than writing, and their
    time stamps stay, so sync tools upload only what changed); it never follows a link."""
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    inode = {path: (out / path).stat().st_ino for path in tree(out)}
    outside = tmp_path / "outside.css"
    outside.write_bytes((out / "static/site.css").read_bytes())
    (out / "static/site.css").unlink()
    (out / "static/site.css").symlink_to(outside)
    project = site / "content/2023/100002/2023-100002-02.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace(
        "name: 镇村道路养护经费", "name: 镇村道路养护经费（改）"), encoding="utf-8")
    build(site, out)
    again = {path: (out / path).stat().st_ino for path in tree(out)}
    assert again["projects/2023-100001-01.html"] == inode["projects/2023-100001-01.html"]
    assert again["projects/2023-100002-02.html"] != inode["projects/2023-100002-02.html"]
    assert not (out / "static/site.css").is_symlink()
    assert again["static/site.css"] != outside.stat().st_ino
    assert outside.stat().st_nlink == 1
    elsewhere = tmp_path / "elsewhere"  # a folder of the output that links out of it
    (out / "static").rename(elsewhere)
    (out / "static").symlink_to(elsewhere)
    build(site, out)
    assert not (out / "static").is_symlink()
    assert (elsewhere / "site.css").stat().st_nlink == 1


def test_broken_yaml_fails_with_position_and_keeps_output(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    before = tree(out)
    broken = site / "content/2023/100001/2023-100001-01.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "goals: [unclosed\n", encoding="utf-8")
    proc = build(site, out, check=False)
    assert proc.returncode == 1
    assert re.search(r"content/2023/100001/2023-100001-01\.yaml:\d+:\d+: error: ", proc.stderr)
    assert "Traceback" not in proc.stderr
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_failure_after_files_were_written_keeps_output(tmp_path: Path) -> None:
    """Files stream into the staging folder while pages render: a page failing late (the
    404 page renders last), with workers, must still leave the previous output as it was."""
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    before = tree(out)
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "default:404.html" %}\n{% block title %}{{ no_such_value.x }}'
        "{% endblock %}\n", encoding="utf-8")
    (site / "content/2023/100001/2023-100001-01.yaml").unlink()
    for jobs in ("1", "2"):
        proc = build(site, out, "--jobs", jobs, check=False)
        assert proc.returncode == 1, proc.stderr
        assert "templates/404.html:2: error: template error" in proc.stderr, proc.stderr
        assert tree(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_template_error_names_the_template_line(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates/project.html").write_text(
        '{% extends "default:project.html" %}\n{% block title %}\n{{ no_such_value.x }}\n'
        "{% endblock %}\n", encoding="utf-8")
    proc = build(site, tmp_path / "out", check=False)
    assert proc.returncode == 1
    assert "templates/project.html:3: error: template error" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_template_reading_the_whole_site_is_rendered_again_when_it_changes(
        tmp_path: Path) -> None:
    """A page whose template reads ``site`` is cached under a digest of the whole site."""
    site = copy_fixture(tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "default:404.html" %}\n{% block title %}{{ site.projects|length }} 个项目'
        "{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    build(site, out)
    before = re.search(r"<title>(\d+) 个项目", (out / "404.html").read_text(encoding="utf-8"))
    assert before
    build(site, out)  # from the cache
    assert f"<title>{before[1]} 个项目" in (out / "404.html").read_text(encoding="utf-8")
    (site / "content/2023/100002/2023-100002-02.yaml").unlink()
    build(site, out)
    assert f"<title>{int(before[1]) - 1} 个项目" in (out / "404.html").read_text(encoding="utf-8")


def test_site_template_overrides_and_extends_the_default(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates/project.html").write_text(
        '{% extends "default:project.html" %}\n{% block title %}覆盖：{{ project.name }}'
        "{% endblock %}\n", encoding="utf-8")
    build(site, tmp_path / "out")
    page = (tmp_path / "out/projects/2023-100002-02.html").read_text(encoding="utf-8")
    assert "<title>覆盖：镇村道路养护经费</title>" in page
    assert 'id="indicators"' in page  # the rest comes from the built-in template


def test_content_is_escaped_and_markdown_html_is_off(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(copy_fixture(tmp_path / "site"), out)
    project = (out / "projects/2023-100002-01.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in project
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in project
    assert "镇级&lt;环境&gt;整治经费 &amp; 保洁" in project
    about = (out / "pages/about.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;raw html&lt;/b&gt;" in about and "<b>raw html</b>" not in about
    assert "<strong>Markdown</strong>" in about


def test_base_url_makes_sitemap_feed_and_404_absolute(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(copy_fixture(tmp_path / "site"), out, "--base-url", "https://czj.example.gov.cn/zwgk/jxmb")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://czj.example.gov.cn/zwgk/jxmb/projects/2023-100002-01.html</loc>" in sitemap
    assert "404.html" not in sitemap
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://czj.example.gov.cn/zwgk/jxmb/sitemap.xml" in robots
    assert 'xml:base="https://czj.example.gov.cn/zwgk/jxmb/"' in (out / "feed.xml").read_text(
        encoding="utf-8")
    assert parse(out / "404.html").base == "/zwgk/jxmb/"
    assert parse(out / "index.html").base is None


def test_source_date_epoch_is_the_only_clock(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    build(site, tmp_path / "with", epoch="1700000000")
    build(site, tmp_path / "without", epoch=None)
    downloads = (tmp_path / "with/downloads.html").read_text(encoding="utf-8")
    assert "2023-11-14" in downloads
    assert "<updated>2023-11-14T22:13:20Z</updated>" in (tmp_path / "with/feed.xml").read_text(
        encoding="utf-8")
    assert "2023年度预算" in (tmp_path / "without/downloads.html").read_text(encoding="utf-8")
    build(site, tmp_path / "again", epoch=None)
    assert tree(tmp_path / "without") == tree(tmp_path / "again")


def test_open_data_files_and_datapackage(tmp_path: Path) -> None:
    import hashlib

    out = tmp_path / "out"
    build(copy_fixture(tmp_path / "site"), out)
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in package["resources"]]
    assert names[:2] == ["projects", "indicators"] and len(names) == 2 + 5
    for resource in package["resources"]:
        data = (out / "data" / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    csv = (out / "data/indicators.csv").read_bytes()
    assert csv.startswith("\ufeffid,year".encode())
    fields = package["resources"][1]["schema"]["fields"]
    assert [f["name"] for f in fields] == csv.decode("utf-8-sig").splitlines()[0].split(",")
    project = json.loads((out / "data/projects/2022-100001-01.json").read_text(encoding="utf-8"))
    assert project["indicators"][1]["value"] == "≦3.5万元"  # kept exactly as published
    assert "../data/projects/2022-100001-01.json" in parse(
        out / "projects/2022-100001-01.html").links
    downloads = (out / "downloads.html").read_text(encoding="utf-8")
    size = len((out / "data/indicators.csv").read_bytes())
    assert f"{size / 1024:.1f} KB" in downloads or f"{size} B" in downloads
