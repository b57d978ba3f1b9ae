"""Installing for Windows clerks: a wheel that holds the whole package, the whole flow with
``python -m site_builder`` only, and builds that need neither fork nor hard links."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run_cli, run_json
from test_start_from_form import fill

PACKAGE = REPO / "site_builder"

NO_FORK = '''
import atexit, multiprocessing, os, sys
mode = sys.argv[1]
calls = {"fork": 0, "link": 0}
real_context, real_link = multiprocessing.get_context, os.link

def context(method=None):
    if method == "fork":
        calls["fork"] += 1
        if mode == "windows":
            raise ValueError("cannot find context for 'fork'")
    return real_context(method)

def link(*args, **kwargs):
    calls["link"] += 1
    if mode == "windows":
        raise OSError(1, "pretend: this file system has no hard links")
    return real_link(*args, **kwargs)

multiprocessing.get_context, os.link = context, link
if mode == "windows":
    multiprocessing.get_all_start_methods = lambda: ["spawn"]
from site_builder.build import renderer, scheduler
from site_builder.search import producer
# a small site takes every path a large one takes: two processes, workers, search apart
scheduler.BACKGROUND_FROM = producer.INDEX_APART_FROM = 1
renderer.PARALLEL_MINIMUM = 2
atexit.register(lambda: print(f"calls {calls['fork']} {calls['link']}", file=sys.stderr))
from site_builder.cli import main
sys.exit(main(sys.argv[2:]))
'''
"""Runs the CLI as on Windows ("windows": no fork start method, no hard links) or as usual
("normal"), counting what it asked for."""


def tree_differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    found = [f"{a}: {n}" for n in cmp.left_only + cmp.right_only]
    found += [f"{a}/{n}" for n in cmp.common_files
              if (a / n).read_bytes() != (b / n).read_bytes()]
    for sub in cmp.common_dirs:
        found += tree_differences(a / sub, b / sub)
    return found


def build_as(mode: str, site: Path, out: Path, wrapper: Path) -> tuple[int, int]:
    """Build ``site`` into ``out`` with three jobs; returns (forks asked for, links asked for)."""
    proc = subprocess.run([sys.executable, wrapper, mode, "build", "--project", site,
                           "--jobs", "3", "--out", out], capture_output=True, text=True,
                          encoding="utf-8", timeout=600,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stderr
    counts = next(line for line in proc.stderr.splitlines() if line.startswith("calls "))
    forks, links = counts.split()[1:]
    return int(forks), int(links)


def test_builds_without_fork_or_hard_links_are_byte_identical(tmp_path: Path,
                                                              shipped_site: Path) -> None:
    wrapper = tmp_path / "as_windows.py"
    wrapper.write_text(NO_FORK, encoding="utf-8")
    other = tmp_path / "other"
    shutil.copytree(shipped_site, other)
    usual, windows = tmp_path / "usual", tmp_path / "windows"
    for rebuild in (False, True):  # a first build, then one that keeps unchanged files
        forks, links = build_as("normal", shipped_site, usual, wrapper)
        assert forks > 0 and (links > 0) == rebuild  # the usual build did fork (and link)
        forks, links = build_as("windows", other, windows, wrapper)
        assert forks == 0  # never even asked for
        assert (links > 0) == rebuild  # every link failed, and the file was copied
        assert tree_differences(usual, windows) == []
    assert not any(p.is_symlink() for p in windows.rglob("*"))


def test_the_whole_flow_with_python_m_only(tmp_path: Path) -> None:
    """init → import the official Excel form → validate → check → build, in a fresh folder
    whose path holds a space and Chinese characters, with nothing but ``python -m``."""
    form = tmp_path / "项目支出绩效目标表 2021-2023.xlsx"
    run_cli("export", "--project", REPO, "--format", "xlsx", "-o", form, check=True)
    site = tmp_path / "县财政局 网站"
    run_cli("init", site, "--title", "祁连县项目支出绩效目标公开", "--publisher", "祁连县财政局",
            cwd=tmp_path, check=True)
    imported = run_cli("import", "--project", site, form, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    report = run_json("validate", "--project", site, "--format", "json", cwd=tmp_path)
    assert report["ok"] and (report["projects"], report["units"]) == (42, 2)
    checked = run_cli("check", "--project", site, cwd=tmp_path)
    assert checked.returncode == 1  # the one error of the published tables
    assert "1 error(s)" in checked.stdout and "Traceback" not in checked.stderr
    built = run_cli("build", "--project", site, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    home = (site / "output/index.html").read_text(encoding="utf-8")
    assert "祁连县项目支出绩效目标公开" in home
    assert len(list((site / "output/projects").glob("*.html"))) == 42


def _package_files() -> set[str]:
    return {p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a clean copy: no build folders left in the repository
    top = {".git", ".venv", "node_modules", "output", ".site-builder-cache", "build", "dist"}

    def ignored(folder: str, names: list[str]) -> set[str]:
        skip = top if Path(folder) == REPO else set()
        return {n for n in names if n in skip or n == "__pycache__" or n.endswith(".egg-info")}

    shutil.copytree(REPO, source, ignore=ignored)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out,
                    source], check=True, capture_output=True, timeout=600)
    [found] = out.glob("site_builder-*.whl")
    return found


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert _package_files() - names == set()
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt")))
    assert b"site-builder = site_builder.cli:main" in entry


def test_the_wheel_installed_in_a_fresh_venv_runs_the_flow(wheel: Path, tmp_path: Path) -> None:
    """pip install of the wheel into a new environment (its dependencies taken from this
    one, so nothing is downloaded), then the installed ``site-builder`` outside the
    repository: template → fill in → init → import → validate → build."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel],
                   check=True, capture_output=True, timeout=600)
    purelib = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                   "['purelib'])"], check=True, capture_output=True,
                                  text=True).stdout.strip())
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n",
                                              encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONIOENCODING"] = "utf-8"
    work = tmp_path / "work"
    work.mkdir()

    def installed(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([bin_dir / "site-builder", *map(str, args)], cwd=work, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=600,
                              stdin=subprocess.DEVNULL)

    where = subprocess.run([python, "-c", "import site_builder; print(site_builder.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(purelib)
    for args in (("init", "s"), ("template", "-o", "blank.xlsx")):
        proc = installed(*args)
        assert proc.returncode == 0, proc.stderr
    fill(work / "blank.xlsx", work / "表.xlsx")
    for args in (("import", "--project", "s", "表.xlsx"), ("validate", "--project", "s"),
                 ("build", "--project", "s")):
        proc = installed(*args)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    output = work / "s/output"
    assert (output / "projects/2024-002001-01.html").is_file()
    assert (output / "search/search.js").is_file() and (output / "static/site.css").is_file()
