"""Smaller safety rules: images and links to other hosts in Markdown pages, the site address
(``base_url``), ids and unit codes that cannot be file names on every system."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, serve_dir

PAGE = """# 外部内容

段落 ![示意图](https://evil.example/x.png) 和 [财政部](https://www.mof.gov.cn/) 以及 [本站](about.html)

![内嵌](data:image/png;base64,iVBORw0KGgo=) [本站网址](https://czj.example.gov.cn/jxmb/index.html)

[参考][ref]

[ref]: https://other.example/ref
"""


@pytest.fixture
def remote_site(shipped_site: Path) -> Path:
    (shipped_site / "content" / "pages" / "outside.md").write_text(PAGE, encoding="utf-8")
    settings = shipped_site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "base_url:", "base_url: https://czj.example.gov.cn/jxmb/"), encoding="utf-8")
    return shipped_site


def where(address: str) -> str:
    """line:column of ``address`` in PAGE."""
    for number, line in enumerate(PAGE.splitlines(), 1):
        if address in line:
            return f"{number}:{line.index(address) + 1}"
    raise AssertionError(address)


def test_validate_warns_of_images_and_links_to_other_hosts(remote_site: Path) -> None:
    proc = run_cli("validate", "--project", remote_site)
    assert proc.returncode == 0, proc.stdout
    lines = [line for line in proc.stdout.splitlines() if "outside.md" in line]
    addresses = ["https://evil.example/x.png", "https://www.mof.gov.cn/",
                 "data:image/png;base64,iVBORw0KGgo=", "https://other.example/ref"]
    assert [line.split(": warning: ")[0] for line in lines] == [
        f"content/pages/outside.md:{where(address)}" for address in addresses]
    assert where(addresses[0]) == "3:11"  # in characters
    assert "the image comes from outside the site (https://evil.example/x.png)" in lines[0]
    assert "only a link to it is shown here" in lines[0]
    assert "the link leads to another site (www.mof.gov.cn)" in lines[1]
    assert "only its description is shown here" in lines[2]
    assert "the link leads to another site (other.example)" in lines[3]
    assert "0 error(s), 4 warning(s)" in proc.stdout
    assert run_cli("validate", "--project", remote_site, "--strict").returncode == 1
    report = json.loads(run_cli("validate", "--project", remote_site, "--format",
                                "json").stdout)
    assert [d["code"] for d in report["diagnostics"]].count("remote-address") == 4


def test_remote_images_are_never_loaded(remote_site: Path, tmp_path: Path, page: Any) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", "--project", remote_site, "--out", out, check=True)
    assert "content/pages/outside.md:3:11: warning: the image comes from outside" in proc.stderr
    html = (out / "pages" / "outside.html").read_text(encoding="utf-8")
    assert "<img" not in html
    assert '<a href="https://evil.example/x.png">图片：示意图</a>' in html
    assert "（图片：内嵌）" in html and "data:image" not in html
    assert '<a href="https://www.mof.gov.cn/">财政部</a>' in html  # links stay links
    server, url = serve_dir(out)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(url + "pages/outside.html")
        page.wait_for_load_state("networkidle")
    finally:
        server.shutdown()
    assert requested and all(r.startswith(url) for r in requested), requested


@pytest.mark.parametrize("address, reason", [
    ("https://czj.example.gov.cn/\\nDisallow: /", "cannot hold spaces, line breaks or control"),
    ("javascript:alert(1)", "an address begins with http:// or https://"),
    ("//czj.example.gov.cn/", "an address begins with http:// or https://"),
    ("https://user:secret@czj.example.gov.cn/", "an address cannot hold a user name or password"),
    ("https://czj.example.gov.cn/?a=1", "an address cannot hold ? or #"),
    ("https://czj.example.gov.cn/a b/", "cannot hold spaces, line breaks or control"),
])
def test_base_url_must_be_an_http_address(shipped_site: Path, tmp_path: Path, address: str,
                                          reason: str) -> None:
    settings = shipped_site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "base_url:", f'base_url: "{address}"'), encoding="utf-8")
    line = next(n for n, text in enumerate(settings.read_text("utf-8").splitlines(), 1)
                if text.startswith("base_url:"))
    message = (f"site.yaml:{line}:11: error: 'base_url' must be a full address beginning with "
               "http:// or https://")
    proc = run_cli("validate", "--project", shipped_site)
    assert proc.returncode == 1
    assert message in proc.stdout and reason in proc.stdout
    out = tmp_path / "out"
    proc = run_cli("build", "--project", shipped_site, "--out", out)
    assert proc.returncode == 1 and message in proc.stderr and not out.exists()
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        f'base_url: "{address}"', "base_url:"), encoding="utf-8")
    typed = address.replace("\\n", "\n")
    proc = run_cli("build", "--project", shipped_site, "--out", out, "--base-url", typed)
    assert proc.returncode == 1 and "--base-url: error: 'base_url' must be" in proc.stderr
    assert reason in proc.stderr and not out.exists()


def test_a_valid_base_url_reaches_robots_and_the_404_page(shipped_site: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("build", "--project", shipped_site, "--out", out, "--base-url",
            "https://czj.example.gov.cn/jxmb/", check=True)
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert robots.splitlines()[-1] == "Sitemap: https://czj.example.gov.cn/jxmb/sitemap.xml"
    assert '<base href="/jxmb/">' in (out / "404.html").read_text(encoding="utf-8")


def _copy(site: Path, source_id: str, new_id: str) -> Path:
    source = next((site / "content").rglob(f"{source_id}.yaml"))
    target = source.with_name(f"{new_id}.yaml")
    target.write_text(source.read_text(encoding="utf-8").replace(
        f"id: {source_id}", f"id: {new_id}"), encoding="utf-8")
    return target


def test_windows_reserved_ids_and_case_duplicates_are_refused(shipped_site: Path,
                                                              tmp_path: Path) -> None:
    units = shipped_site / "content" / "2023"
    for code in ("con", "ABC", "abc"):
        folder = units / code
        shutil.copytree(units / "002001", folder)
        unit = folder / "_unit.yaml"
        unit.write_text(unit.read_text(encoding="utf-8").replace("code: '002001'",
                                                                 f"code: '{code}'"),
                        encoding="utf-8")
        for path in folder.glob("2023-*.yaml"):
            path.unlink()
    for new_id in ("CON", "nul.2023", "Lpt1", "2023-002001-01X", "2023-002001-01x"):
        _copy(shipped_site, "2023-002001-01", new_id)
    _copy(shipped_site, "2023-002001-02", "aux-2023")  # not reserved: only AUX and AUX.*
    proc = run_cli("validate", "--project", shipped_site)
    assert proc.returncode == 1
    found = {line.split(": ")[0]: line for line in proc.stdout.splitlines() if ": error: " in line}
    assert sorted(found) == [
        "content/2023/002001/2023-002001-01x.yaml:5:5", "content/2023/002001/CON.yaml:5:5",
        "content/2023/002001/Lpt1.yaml:5:5", "content/2023/002001/nul.2023.yaml:5:5",
        "content/2023/abc/_unit.yaml:1:1", "content/2023/con/_unit.yaml:1:1"]
    assert "project id 'CON' begins with the Windows reserved name CON" in found[
        "content/2023/002001/CON.yaml:5:5"]
    assert "reserved name NUL:" in found["content/2023/002001/nul.2023.yaml:5:5"]
    assert "reserved name LPT1:" in found["content/2023/002001/Lpt1.yaml:5:5"]
    assert ("project id '2023-002001-01x' differs from '2023-002001-01X' of "
            "content/2023/002001/2023-002001-01X.yaml only in upper and lower case") in found["content/2023/002001/2023-002001-01x.yaml:5:5"]
    assert "unit code 'con' is the Windows reserved name CON" in found["content/2023/con/_unit.yaml:1:1"]
    assert ("unit code 'abc' differs from 'ABC' (2023) of content/2023/ABC/_unit.yaml only in "
            "upper and lower case") in found[
        "content/2023/abc/_unit.yaml:1:1"]
    out = tmp_path / "out"
    proc = run_cli("build", "--project", shipped_site, "--out", out)
    assert proc.returncode == 1 and not out.exists()
