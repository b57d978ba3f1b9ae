"""Property: no sequence of imports (batches, corrections, removals, hand edits, --prune,
--force) loses or duplicates a project, and --dry-run predicts exactly what the import does.

Each step writes a small fictional table in the three-level text layout and runs the
``import`` command in this process (``cli.main``, the same code as the console script) with
``--dry-run`` and then for real, checking the files on disk against both reports."""

from __future__ import annotations

import io
import json
import tempfile
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from import_tables import Row, write_table

from site_builder.cli import main
from site_builder.content.reader import load_site
from site_builder.identity import name_key
from site_builder.importers.merge import REMOVED_SUFFIX
from site_builder.model import Project

NAMES = ("甲工作经费", "甲 工作经费", "乙(一)经费", "乙（一）经费", "丙经费", "丁经费", "戊经费")
"""Fictional names; some pairs are the same project written differently."""
PLACES = (("2023", "009001"),) * 3 + (("2023", "009002"), ("2022", "009001"))
"""Mostly one unit and year, so that tables meet."""
FILES = ("t1.txt", "t2.txt")

row = st.builds(Row, st.sampled_from(NAMES), st.sampled_from(["1.00", "2.50"]),
                st.sampled_from(["5次", "6次"]))
rows = st.one_of(*[st.lists(row, min_size=1, max_size=4)] * 4, st.just([]))
imports = st.tuples(st.just("import"), st.sampled_from(FILES), st.sampled_from(PLACES), rows,
                    st.booleans(), st.integers(0, 5))  # prune; force when 0
edits = st.tuples(st.just("edit"), st.integers(0, 50))


def cli(*args: str | Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue()


def files(root: Path) -> dict[str, bytes]:
    content = root / "content"
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(content.rglob("*")) if p.is_file()} if content.is_dir() else {}


def projects(root: Path) -> dict[str, Project]:
    result = load_site(root)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    found = {p.id: p for p in result.site.projects}
    assert len(found) == len(result.site.projects)
    return found


def keys(found: dict[str, Project]) -> Counter[tuple[str, str, str]]:
    return Counter(name_key(p.year, p.unit_code, p.name) for p in found.values())


P = PLACES[0]


@settings(max_examples=150, deadline=None)
@example(steps=[("import", "t1.txt", P, [Row(NAMES[0]), Row(NAMES[4])], False, 1),
                ("edit", 0), ("import", "t1.txt", P, [Row(NAMES[4])], True, 1)])
@example(steps=[("import", "t1.txt", P, [Row(NAMES[2]), Row(NAMES[3], "2.50")], False, 1),
                ("import", "t2.txt", P, [Row(NAMES[3]), Row(NAMES[5])], False, 1),
                ("import", "t1.txt", P, [Row(NAMES[2], "2.50")], True, 1)])
@given(steps=st.lists(st.one_of(imports, imports, edits), min_size=2, max_size=8))
def test_imports_never_lose_or_duplicate_a_project(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root, tables = Path(folder, "site"), Path(folder)
        edited: set[str] = set()
        ever: set[str] = set()
        for step in steps:
            if step[0] == "edit":
                _edit(root, step[1], edited)
            else:
                _import(root, tables, step, edited, ever)


def _edit(root: Path, pick: int, edited: set[str]) -> None:
    candidates = sorted(p for p in files(root) if p.endswith(".yaml")
                        and not p.endswith("_unit.yaml"))
    if not candidates:
        return
    path = root / candidates[pick % len(candidates)]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 开展次数, value: ", "name: 开展次数, value: 约"),
                    encoding="utf-8")
    edited.add(candidates[pick % len(candidates)])


def _import(root: Path, tables: Path, step: tuple[Any, ...], edited: set[str],
            ever: set[str]) -> None:
    _, name, (year, code), table_rows, prune, force_pick = step
    force = force_pick == 0
    table = write_table(tables / name, year, code, table_rows)
    flags = [*(["--prune"] if prune else []), *(["--force"] if force else [])]
    before, old = files(root), projects(root) if root.exists() else {}
    ever.update(old)
    dry_code, dry_out = cli("import", "--project", root, "--format", "json", "--dry-run",
                            *flags, table)
    assert files(root) == before, "--dry-run wrote something"
    status, out = cli("import", "--project", root, "--format", "json", *flags, table)
    assert status == dry_code
    after = files(root)
    if not table_rows:
        assert status == 1 and after == before  # no project: refused, nothing written
        return
    assert status == 0
    report, predicted = json.loads(out), json.loads(dry_out)
    assert [dict(item, dry_run=False) for item in predicted] == report
    changes = report[0]["files"]
    _check_files(before, after, changes, edited, force)
    new = projects(root)
    removed = {c["id"] for c in changes if c["action"] == "removed"}
    assert set(old) - set(new) == removed, "a project was lost"
    created = {c["id"] for c in changes if c["action"] == "created" and c["kind"] == "project"}
    assert created.isdisjoint(ever), "an id was given again"
    table_keys = Counter(name_key(year, code, row.name) for row in table_rows)
    removed_keys = Counter(name_key(old[i].year, old[i].unit_code, old[i].name)
                           for i in removed)
    before_keys, after_keys = keys(old), keys(new)
    for key in before_keys | table_keys:
        expected = max(before_keys[key], table_keys[key]) - removed_keys[key]
        assert after_keys[key] == expected, f"{key}: {after_keys[key]} ≠ {expected}"
    rows_changes = [c for c in changes if c["kind"] == "project"][:len(table_rows)]
    for row, change in zip(table_rows, rows_changes, strict=True):
        project = new[change["id"]]
        assert name_key(year, code, project.name) == name_key(year, code, row.name)
        if change["action"] != "skipped":
            assert (project.name, str(project.amount), project.indicators[0].value) == (
                row.name, row.amount, row.value)
    for change in changes:
        if change["action"] in ("created", "updated"):
            edited.discard(change["path"])


def _check_files(before: dict[str, bytes], after: dict[str, bytes],
                 changes: list[dict[str, Any]], edited: set[str], force: bool) -> None:
    """The files on disk changed exactly as the report says, and no other file did."""
    expected_new: set[str] = set()
    for change in changes:
        path, action = change["path"], change["action"]
        if action == "created":
            assert path not in before and path in after
            expected_new.add(path)
        elif action == "updated":
            assert before[path] != after[path]
        elif action == "removed":
            assert path not in after
            aside = next(p for p in after if p.startswith(path + REMOVED_SUFFIX)
                         and p not in before)
            assert after[aside] == before[path]
            expected_new.add(aside)
        else:
            assert before[path] == after[path], f"{action} but changed: {path}"
    mentioned = {c["path"] for c in changes}
    assert set(after) - set(before) == expected_new
    for path, data in before.items():
        if path not in mentioned:
            assert after.get(path) == data, f"not in the report but changed: {path}"
        if path in edited and not force:
            assert after.get(path) == data, f"hand edit lost: {path}"
