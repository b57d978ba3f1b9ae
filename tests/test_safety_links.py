"""Links (symbolic links) in a site: a file read from the site must be in its folder.  Links
leading outside the site, or to a hidden place in it (.git), are refused by ``validate`` and
``build`` with the link and its target named, and the previous output stays as it was; links
inside the site are read."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli

MARKER = "SECRET-OUTSIDE-THE-SITE"
PROJECT = "2023-002001-01"


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def first_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site built once: the previous output of every case."""
    out = tmp_path_factory.mktemp("first") / "output"
    run_cli("build", "--out", out, check=True)
    return out


def _secret_file(outside: Path) -> Path:
    path = outside / "secret.txt"
    path.write_text(f"{MARKER}\n", encoding="utf-8")
    return path


def _project_file(site: Path, outside: Path) -> Path:
    source = next((site / "content").rglob(f"{PROJECT}.yaml"))
    text = source.read_text(encoding="utf-8").replace(f"id: {PROJECT}", "id: 2023-002001-99")
    path = outside / "project.yaml"
    path.write_text(text.replace("乡级人大代表活动经费", MARKER), encoding="utf-8")
    return path


def _unit_folder(site: Path, outside: Path) -> Path:
    folder = outside / "2023" / "002001"
    shutil.copytree(site / "content" / "2023" / "002001", folder)
    project = folder / f"{PROJECT}.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace(
        "乡级人大代表活动经费", MARKER), encoding="utf-8")
    shutil.rmtree(site / "content" / "2023")
    return outside / "2023"


def _unit_file(site: Path, outside: Path) -> Path:
    path = outside / "_unit.yaml"
    unit = site / "content" / "2023" / "002001" / "_unit.yaml"
    path.write_text(unit.read_text(encoding="utf-8").replace("祁连县阿柔乡人民政府", MARKER),
                    encoding="utf-8")
    return path


def _template(site: Path, outside: Path) -> Path:
    path = outside / "page.html"
    path.write_text('{% extends "default:page.html" %}{% block main %}' + MARKER +
                    "{% endblock %}", encoding="utf-8")
    return path


def _settings(site: Path, outside: Path) -> Path:
    path = outside / "site.yaml"
    path.write_text(f"title: {MARKER}\n", encoding="utf-8")
    (site / "site.yaml").unlink()
    return path


def _folder(site: Path, outside: Path) -> Path:
    _secret_file(outside)
    return outside


CASES: dict[str, tuple[str, Callable[[Path, Path], Path]]] = {
    "page": ("content/pages/leak.md", lambda site, outside: _secret_file(outside)),
    "static file": ("static/passwd.txt", lambda site, outside: _secret_file(outside)),
    "static folder": ("static/more", _folder),
    "project file": ("content/2023/002001/2023-002001-99.yaml", _project_file),
    "unit file": ("content/2023/002001/_unit.yaml", _unit_file),
    "year folder": ("content/2023", _unit_folder),
    "template": ("templates/page.html", _template),
    "settings": ("site.yaml", _settings),
    "schema": ("schema/project.schema.json", lambda site, outside: _secret_file(outside)),
    "templates folder": ("templates", _folder),
}
"""Each kind of file read from a site: where the link is, and what it leads to."""


@pytest.mark.parametrize("kind", list(CASES))
def test_link_to_outside_the_site_is_refused(kind: str, shipped_site: Path, tmp_path: Path,
                                             first_output: Path) -> None:
    where, make = CASES[kind]
    outside = tmp_path / "outside"
    outside.mkdir()
    target = make(shipped_site, outside)
    link = shipped_site / where
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    link.unlink(missing_ok=True)
    link.symlink_to(target, target_is_directory=target.is_dir())
    message = f"{where}: error: this is a link to outside the site folder ({target})"

    proc = run_cli("validate", "--project", shipped_site)
    assert proc.returncode == 1, proc.stdout
    assert message in proc.stdout + proc.stderr
    assert MARKER not in proc.stdout + proc.stderr
    out = tmp_path / "output"
    shutil.copytree(first_output, out)
    before = tree_digest(out)
    proc = run_cli("build", "--project", shipped_site, "--out", out)
    assert proc.returncode == 1, proc.stdout
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert tree_digest(out) == before  # the previous output is untouched
    assert MARKER not in proc.stdout + proc.stderr
    for command in (("export",), ("check",), ("search", "经费")):
        proc = run_cli(*command, "--project", shipped_site)
        assert proc.returncode == 1 and message in proc.stderr, command
        assert MARKER not in proc.stdout


def test_import_never_writes_through_a_link(shipped_site: Path, tmp_path: Path,
                                            seeds: list[Path]) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(shipped_site / "content" / "2023", outside)
    before = tree_digest(outside)
    shutil.rmtree(shipped_site / "content" / "2023")
    (shipped_site / "content" / "2023").symlink_to(outside, target_is_directory=True)
    proc = run_cli("import", "--project", shipped_site, seeds[1], "--force")
    assert proc.returncode == 1
    assert ("content/2023/002001/_unit.yaml: error: this path leads through a link to outside "
            f"the site folder ({outside}") in proc.stderr
    assert tree_digest(outside) == before
    (shipped_site / "content" / "2023").unlink()
    shutil.copytree(outside, shipped_site / "content" / "2023")
    schema = shipped_site / "schema" / "project.schema.json"
    secret = _secret_file(tmp_path)
    schema.unlink()
    schema.symlink_to(secret)
    proc = run_cli("import", "--project", tmp_path / "new", seeds[1])
    assert proc.returncode == 0, proc.stderr  # another site: fine
    proc = run_cli("import", "--project", shipped_site, seeds[1])
    assert proc.returncode == 1 and "schema/project.schema.json: error:" in proc.stderr
    assert secret.read_text(encoding="utf-8") == f"{MARKER}\n"


def test_links_inside_the_site_are_read(shipped_site: Path, tmp_path: Path) -> None:
    (shipped_site / "static").mkdir()
    (shipped_site / "static" / "about.txt").symlink_to(Path("../content/pages/about.md"))
    pages = shipped_site / "content" / "pages"
    (pages / "about-again.md").symlink_to(Path("about.md"))
    out = tmp_path / "output"
    run_cli("build", "--project", shipped_site, "--out", out, check=True)
    assert (out / "static" / "about.txt").read_bytes() == (pages / "about.md").read_bytes()
    title = (pages / "about.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert f"<h1>{title}</h1>" in (out / "pages" / "about-again.html").read_text("utf-8")


def test_links_to_hidden_places_in_the_site_are_refused(shipped_site: Path) -> None:
    (shipped_site / ".git").mkdir()
    (shipped_site / ".git" / "config").write_text(f"url = https://{MARKER}@example\n",
                                                  encoding="utf-8")
    (shipped_site / "static").mkdir()
    (shipped_site / "static" / "config.txt").symlink_to(Path("../.git/config"))
    proc = run_cli("validate", "--project", shipped_site)
    assert proc.returncode == 1
    assert ("static/config.txt: error: this is a link to a hidden place in the site folder "
            "(.git/config)" in proc.stdout)
    proc = run_cli("build", "--project", shipped_site)
    assert proc.returncode == 1 and not (shipped_site / "output").exists()
