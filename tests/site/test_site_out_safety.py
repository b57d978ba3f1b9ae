"""``build --out`` and ``serve --out`` never replace what no build made; one build at a time
writes an output folder; what a killed build leaves beside the output is removed next time.

Every case runs the real CLI; "nothing touched" is a hash over names, types, modes, time
stamps and bytes of the whole tree around the site, taken before and after.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from site_helpers import EPOCH, build, copy_fixture, tree

from site_builder.build import jinja_env, outfolder, pipeline, static
from site_builder.build.outfolder import MARKER_NAME, MARKER_TEXT
from site_builder.build.outlock import hold_output
from site_builder.content.reader import CONTENT_DIR

SLOW_PROJECT_PAGE = ('{% extends "default:project.html" %}\n{% block title %}'
                     "{% for i in range(12000000) %}{% endfor %}{{ super() }}{% endblock %}\n")
"""A project template that takes about a second per page: builds slow enough to be caught in
the middle (the fixture has eight projects)."""


def snapshot(folder: Path) -> str:
    """A hash of everything under ``folder``: names, types, modes, time stamps, bytes and link
    targets (links are not followed)."""
    digest = hashlib.sha256()
    for top, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(folders + files):
            path = Path(top, name)
            info = os.lstat(path)
            digest.update(f"{path.relative_to(folder)}\0{info.st_mode}\0{info.st_mtime_ns}\0"
                          f"{info.st_size}\0".encode())
            if stat.S_ISREG(info.st_mode):
                digest.update(path.read_bytes())
            elif stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(path).encode())
    return digest.hexdigest()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The fixture site with its own templates/ and static/ folders, in a Git repository, a
    home folder beside it."""
    root = copy_fixture(tmp_path / "site")
    (root / "templates").mkdir()
    (root / "templates/README.txt").write_text("own templates\n", encoding="utf-8")
    (root / "static").mkdir()
    (root / "static/logo.txt").write_text("own static file\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("private\n", encoding="utf-8")
    return root


def refused(site: Path, command: str, out: str | Path, *extra: str) -> str:
    """Run ``command --out out`` in ``site`` (home: the fixture's) and check it is refused
    with exit 2 and a Chinese message; returns stderr."""
    args = ["--port", "0"] if command == "serve" else []
    proc = run_cli(command, "--out", out, *args, *extra, cwd=site,
                   env={"HOME": str(site.parent / "home"), "SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "错误：" in proc.stderr, proc.stderr
    assert "输出文件夹" in proc.stderr or "输出位置" in proc.stderr, proc.stderr
    return proc.stderr


def other_repository(tmp_path: Path) -> str:
    repository = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "index.html").write_text("mine\n", encoding="utf-8")
    return str(repository)


def unmarked_folder(tmp_path: Path) -> str:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/report.docx").write_bytes(b"a clerk's file")
    return str(tmp_path / "docs")


def a_file(tmp_path: Path) -> str:
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    return str(tmp_path / "notes.txt")


def link_to_content(tmp_path: Path) -> str:
    (tmp_path / "shortcut").symlink_to(tmp_path / "site" / "content")
    return str(tmp_path / "shortcut")


def half_an_old_build(tmp_path: Path) -> str:
    (tmp_path / "public").mkdir()
    (tmp_path / "public/index.html").write_text("<p>my own page</p>\n", encoding="utf-8")
    (tmp_path / "public/search").mkdir()
    return str(tmp_path / "public")


CASES: dict[str, tuple[Callable[[Path], str], str]] = {
    "content": (lambda t: "content", "content/ 文件夹"),
    "content-inside": (lambda t: "content/2023/new", "content/ 文件夹"),
    "templates": (lambda t: "templates", "templates/ 文件夹"),
    "static": (lambda t: "static", "static/ 文件夹"),
    "static-inside": (lambda t: "static/site", "static/ 文件夹"),
    "cache": (lambda t: ".site-builder-cache", ".site-builder-cache/ 文件夹"),
    "the-site": (lambda t: ".", "站点文件夹"),
    "the-site-spelled-otherwise": (lambda t: "output/..", "站点文件夹"),
    "above-the-site": (lambda t: "..", "站点文件夹"),
    "home": (lambda t: str(t / "home"), "主目录"),
    "inside-git": (lambda t: ".git/site", ".git 文件夹"),
    "a-git-repository": (other_repository, "Git 仓库"),
    "unmarked": (unmarked_folder, "不是 site-builder 构建的"),
    "half-an-old-build": (half_an_old_build, "不是 site-builder 构建的"),
    "a-file": (a_file, "不是文件夹"),
    "a-link-to-content": (link_to_content, "content/ 文件夹"),
}


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_an_output_folder_no_build_made_is_refused_and_untouched(
        tmp_path: Path, site: Path, command: str, case: str) -> None:
    make, message = CASES[case]
    out = make(tmp_path)
    before = snapshot(tmp_path)
    stderr = refused(site, command, out)
    assert message in stderr, stderr
    assert "--out" in stderr, stderr  # says what to do
    assert snapshot(tmp_path) == before, "something was touched"


@pytest.mark.parametrize("command", ["build", "serve"])
def test_the_root_folder_is_refused(tmp_path: Path, site: Path, command: str) -> None:
    before = sorted(os.listdir("/")), snapshot(tmp_path)
    assert "根目录" in refused(site, command, "/")
    assert (sorted(os.listdir("/")), snapshot(tmp_path)) == before


def test_a_git_repository_deep_inside_a_built_folder_is_refused(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    subprocess.run(["git", "init", "-q", str(out / "data" / "mine")], check=True)
    before = snapshot(tmp_path)
    proc = build(site, out, check=False)
    assert proc.returncode == 2 and "data/mine/.git" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


def test_built_folders_are_marked_and_replaced(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new" / "deep", tmp_path / "empty"):
        build(site, out)
        assert (out / MARKER_NAME).read_bytes() == MARKER_TEXT
        (out / "stray.html").write_text("made by hand\n", encoding="utf-8")
        build(site, out)  # marked: replaced whole
        assert not (out / "stray.html").exists()
    assert tree(tmp_path / "new" / "deep") == tree(tmp_path / "empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "new", "site"]


def test_an_output_built_before_the_marker_is_recognised(tmp_path: Path) -> None:
    """A folder the previous version built has no marker; its known files (index.html,
    404.html, search/, data/datapackage.json) say what it is, and it is replaced."""
    site = copy_fixture(tmp_path / "site")
    out = site / "output"
    build(site, out)
    fresh = tree(out)
    (out / MARKER_NAME).unlink()
    (out / "index.html").write_text("<p>old</p>\n", encoding="utf-8")
    proc = build(site, out)
    assert proc.returncode == 0
    assert tree(out) == fresh


def test_the_marker_names_match_the_site_layout() -> None:
    assert outfolder.CACHE_NAME == pipeline.CACHE_DIR
    assert outfolder.SITE_FOLDERS == (CONTENT_DIR, jinja_env.TEMPLATES_DIR, static.STATIC_DIR,
                                      pipeline.CACHE_DIR)


def _wait(check: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _start_build(site: Path, out: Path) -> subprocess.Popen[str]:
    """``site-builder build`` as a process group of its own (to kill it whole, as kill -9 of
    a terminal's job does)."""
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder", "build", "--project", str(site), "--out",
         str(out), "--jobs", "1"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", start_new_session=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def _refused_preview(site: Path, out: Path) -> str | None:
    """What ``serve --out out`` said when it stopped with exit code 2 (None: it started, or
    stopped otherwise; it is stopped after a minute at most)."""
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--project",
                             str(site), "--out", str(out), "--port", "0"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    return stderr if proc.returncode == 2 else None


def _staging(parent: Path, name: str) -> list[Path]:
    return sorted(parent.glob(f".{name}.new-*"))


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    before = snapshot(out)
    (site / "templates").mkdir()
    (site / "templates/project.html").write_text(SLOW_PROJECT_PAGE, encoding="utf-8")
    proc = _start_build(site, out)
    try:
        _wait(lambda: any((s / "index.html").exists() or (s / "projects").exists()
                          for s in _staging(tmp_path, "out")), 120, "the build to write")
        assert proc.poll() is None, "the build ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    killed = _staging(tmp_path, "out")
    assert len(killed) == 1 and (killed[0] / MARKER_NAME).is_file()
    assert snapshot(out) == before, "the killed build touched the output"
    # A leftover of a build killed while swapping (the previous output, marked), and two
    # folders named like leftovers that no build made: those stay.
    shutil.copytree(out, tmp_path / ".out.old-abcd1234", symlinks=True)
    (tmp_path / ".out.new-mine0000").mkdir()
    (tmp_path / ".out.new-mine0000/draft.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / ".out.old-x").mkdir()
    (site / "templates/project.html").unlink()
    build(site, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".out.new-mine0000", ".out.old-x", "out", "site"]
    assert (tmp_path / ".out.new-mine0000/draft.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_second_build_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates/project.html").write_text(SLOW_PROJECT_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    first = _start_build(site, out)
    try:
        _wait(lambda: _staging(tmp_path, "out"), 120, "the first build to start writing")
        staging = _staging(tmp_path, "out")
        # Paused while the others try (it keeps its lock), so that a busy machine cannot let
        # it finish first.
        os.killpg(first.pid, signal.SIGSTOP)
        try:
            second = build(site, out, check=False)
            preview = _refused_preview(site, out)
            running = first.poll() is None
        finally:
            os.killpg(first.pid, signal.SIGCONT)
    finally:
        stdout, stderr = first.communicate(timeout=300)
    assert running, "the first build ended before the second started: make it slower"
    assert second.returncode == 2, second.stderr
    assert re.search(rf"another build is writing .*out/ \(site-builder build, process "
                     rf"{first.pid}\)", second.stderr), second.stderr
    assert "Traceback" not in second.stderr
    assert preview is not None and "another build is writing" in preview, preview
    assert first.returncode == 0, stderr  # its staging folder was left alone
    assert not any(path.exists() for path in staging)
    build(site, tmp_path / "fresh")
    assert tree(out) == tree(tmp_path / "fresh")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "out", "site"]


def test_a_build_while_the_preview_runs_is_refused_and_the_preview_stays_right(
        tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = site / "output"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    preview = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--project",
                                str(site), "--port", "0"], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env)
    try:
        assert preview.stdout is not None
        lines = []
        for line in preview.stdout:
            lines.append(line)
            if line.startswith("ready for quick rebuilds") or len(lines) > 50:
                break
        assert any(line.startswith("serving") for line in lines), lines
        project = site / "content/2023/100002/2023-100002-02.yaml"
        text = project.read_text(encoding="utf-8")
        amount = re.search(r"^amount: '?([\d.]+)'?$", text, re.M)
        assert amount is not None
        project.write_text(text.replace(amount.group(0), "amount: '51.50'"), encoding="utf-8")
        proc = build(site, out, check=False)  # while the preview rebuilds
        assert proc.returncode == 2, proc.stderr
        assert re.search(rf"another build is writing .*site/output/ \(site-builder serve, "
                         rf"process {preview.pid}\)", proc.stderr), proc.stderr
        for line in preview.stdout:
            assert not line.startswith("build failed"), line
            if line.startswith("rebuilt"):
                break
        page = out / "projects/2023-100002-02.html"
        assert "51.50" in page.read_text(encoding="utf-8")
    finally:
        preview.kill()  # kill -9: the lock goes with the process
        preview.wait(timeout=60)
    build(site, tmp_path / "fresh")
    assert tree(out) == tree(tmp_path / "fresh")  # what the preview wrote is a whole build
    build(site, out)  # the preview is gone: its lock too
    assert not (site / ".output.lock").exists()


def test_the_lock_is_the_holders_not_its_forked_processes(tmp_path: Path) -> None:
    """A process forked by a build (a render worker) does not keep the output locked once
    the build is gone; while the build holds the lock, other processes are refused."""
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    fork = multiprocessing.get_context("fork")
    with hold_output(out, "site-builder build"):
        child = fork.Process(target=time.sleep, args=(120,))
        child.start()
        held = build(site, out, check=False)
    try:
        assert held.returncode == 2 and f"process {os.getpid()}" in held.stderr, held.stderr
        assert build(site, out).returncode == 0
        assert child.is_alive()
    finally:
        child.kill()
        child.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]
