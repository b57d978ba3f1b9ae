"""Content YAML of units and projects, and writing one import's files all or none.

Each written file starts with a header comment that records a digest of the body.  On the
next import a file whose body still matches its digest was not touched by hand and may be
replaced; any other existing file counts as edited by hand (:func:`hand_edit_reason`) and is
skipped unless ``--force`` is given (:mod:`site_builder.importers.merge` decides).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from site_builder.controls import terminal_text
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import _
from site_builder.model import Indicator, Project, SelfEvaluation, Unit, format_amount
from site_builder.sitefiles import SCHEMA_DIR, check_inside

Kind = Literal["unit", "project", "evaluation"]
"""The two kinds of content file."""
_DIGEST = re.compile(r"^# import-digest: (?P<digest>[0-9a-f]{16})$", re.M)


class _FlowMap(dict[str, str]):
    """A mapping written on one line: ``{level1: 产出指标, level2: 数量指标, …}``."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(_FlowMap, _represent_flow)


def project_data(project: Project) -> dict[str, Any]:
    """The YAML mapping of a project, keys in the documented order."""
    data: dict[str, Any] = {
        "id": project.id, "year": project.year, "unit": project.unit_code,
        "name": project.name, "amount": format_amount(project.amount),
        "goals": list(project.goals),
        "indicators": [_indicator(i) for i in project.indicators],
    }
    if project.table_total is not None:
        data["table_total"] = project.table_total
    if project.remark:
        data["remark"] = project.remark
    if project.notes:
        data["notes"] = list(project.notes)
    if project.source:
        data["source"] = project.source
    return data


def _indicator(indicator: Indicator) -> _FlowMap:
    return _FlowMap(level1=indicator.level1, level2=indicator.level2, name=indicator.name,
                    value=indicator.value)


def evaluation_data(evaluation: SelfEvaluation) -> dict[str, Any]:
    """The YAML mapping of a self-evaluation, keys in the documented order, empty ones left
    out (every value is text)."""
    data: dict[str, Any] = {"id": evaluation.id, "year": evaluation.year,
                            "unit": evaluation.unit_code, "name": evaluation.name}
    for key in ("project", "department", "implementer"):
        if getattr(evaluation, key):
            data[key] = getattr(evaluation, key)
    if evaluation.funds:
        data["funds"] = [_FlowMap({k: v for k, v in (
            ("label", f.label), ("initial", f.initial), ("full_year", f.full_year),
            ("executed", f.executed), ("weight", f.weight), ("rate", f.rate),
            ("score", f.score)) if v or k == "label"}) for f in evaluation.funds]
    for key in ("expected", "achieved"):
        if getattr(evaluation, key):
            data[key] = list(getattr(evaluation, key))
    data["indicators"] = [_FlowMap({k: v for k, v in (
        ("level1", i.level1), ("level2", i.level2), ("name", i.name), ("target", i.target),
        ("actual", i.actual), ("weight", i.weight), ("score", i.score),
        ("reason", i.reason)) if v or k in ("level1", "level2", "name")})
        for i in evaluation.indicators]
    for key in ("total_weight", "total_score", "grade", "remark"):
        if getattr(evaluation, key):
            data[key] = getattr(evaluation, key)
    if evaluation.notes:
        data["notes"] = list(evaluation.notes)
    if evaluation.source:
        data["source"] = evaluation.source
    return data


def unit_data(unit: Unit) -> dict[str, Any]:
    data: dict[str, Any] = {"code": unit.code, "year": unit.year, "name": unit.name}
    for key in ("region", "parent_code", "title"):
        if getattr(unit, key):
            data[key] = getattr(unit, key)
    if unit.declared_total is not None:
        data["declared_total"] = format_amount(unit.declared_total)
    return data


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def render_file(body: str, schema: str, origin: str) -> str:
    """A content file: schema header, provenance, digest of the body, then the body.  The
    origin (a file name) is written with its control characters escaped: YAML refuses them
    even in comments."""
    origin = terminal_text(origin).replace("\n", "\\n")
    return (f"# yaml-language-server: $schema={schema}\n"
            f"# Imported by site-builder from {origin}. Edit freely: a new import will not\n"
            f"# overwrite a file you changed unless you pass --force.\n"
            f"# import-digest: {digest(body)}\n{body}")


def edited_by_hand(text: str) -> bool:
    """True when ``text`` has no import digest or its body no longer matches it."""
    match = _DIGEST.search(text)
    if match is None:
        return True
    return digest(text[match.end() + 1:]) != match["digest"]


def schema_ref(relative: str, kind: Kind) -> str:
    """The ``$schema`` reference of a content file at ``relative`` (to the site)."""
    depth = len(PurePosixPath(relative).parts) - 1
    return "../" * depth + f"{SCHEMA_DIR}/{kind}.schema.json"


def content_text(relative: str, body: str, kind: Kind, origin: str) -> str:
    """The whole text of the content file at ``relative`` holding ``body``."""
    return render_file(body, schema_ref(relative, kind), origin)


def body_of(text: str) -> str:
    """The YAML body of a content file: what follows its digest line (all of a file that
    has none)."""
    match = _DIGEST.search(text)
    return text if match is None else text[match.end() + 1:]


def recorded_digest(text: str) -> str:
    """The digest in the file's header; empty when it has none."""
    match = _DIGEST.search(text)
    return "" if match is None else match["digest"]


def hand_edit_reason(text: str) -> str:
    """Why a content file counts as edited by hand (translated); empty when it does not."""
    match = _DIGEST.search(text)
    if match is None:
        return _("the file has no import digest (import-digest): it was written by hand or its "
                 "head was changed")
    if digest(text[match.end() + 1:]) != match["digest"]:
        return _("the file's content does not match the digest recorded when it was imported "
                 "(import-digest): it was edited by hand after the import")
    return ""


@dataclass(frozen=True)
class _Done:
    """A file already replaced or removed by :func:`commit`, and how to put it back."""

    target: Path
    """The file."""
    original: bytes | None
    """Its bytes before; None when it did not exist (or was moved)."""
    moved_to: Path | None = None
    """Where it was moved; None when it was written."""


def commit(root: Path, writes: Mapping[str, str], moves: Mapping[str, str]) -> None:
    """Write every file of ``writes`` (text by path relative to ``root``) and rename every
    file of ``moves`` (path → new path) out of the way, all or none: each text is first
    written to a temporary file next to its target, then all are renamed into place; on any
    failure the files already replaced get their old bytes back, moved files go back, new
    files and new folders are removed, and a :class:`SiteBuilderError` says which file
    failed."""
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    done: list[_Done] = []
    current = root
    try:
        for relative, text in writes.items():
            current = root / relative
            check_inside(root, current)  # never write through a link to outside the site
            _make_folders(current.parent, made)
            temp = _temp_of(current)
            staged.append((temp, current))
            temp.write_text(text, encoding="utf-8", newline="\n")
        for temp, target in staged:
            current = target
            original = target.read_bytes() if target.exists() else None
            os.replace(temp, target)
            done.append(_Done(target, original))
        for relative, aside in moves.items():
            current = root / relative
            if (root / aside).exists():
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), aside)
            os.rename(current, root / aside)
            done.append(_Done(current, None, root / aside))
    except BaseException as exc:
        _undo(done, staged, made)
        if isinstance(exc, OSError):
            raise SiteBuilderError([error(
                str(current), _("Writing failed: {reason}; every change of this import was "
                                "undone, and the content files are exactly as before the "
                                "import").format(reason=exc.strerror or exc),
                _("Check the disk space and the folder's write permission, then import "
                  "again"),
                code="write-failed")]) from None
        raise


def _temp_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.import-{os.getpid()}.tmp")


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Create ``folder`` and its missing parents, noting each created one in ``made``."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        made.append(new)


def _undo(done: list[_Done], staged: list[tuple[Path, Path]], made: list[Path]) -> None:
    """Put back what :func:`commit` changed (best effort: each step is tried)."""
    for step in reversed(done):
        with contextlib.suppress(OSError):
            if step.moved_to is not None:
                os.rename(step.moved_to, step.target)
            elif step.original is None:
                step.target.unlink(missing_ok=True)
            else:
                temp = _temp_of(step.target)
                temp.write_bytes(step.original)
                os.replace(temp, step.target)
    for temp, _target in staged:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()
