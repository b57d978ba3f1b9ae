"""The shipped JSON Schemas accept the shipped content and reject what validate rejects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO

from site_builder.content.reader import content_files
from site_builder.content.schema import UNIT_FILE_NAME


def schema(kind: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((REPO / "schema" / f"{kind}.schema.json").read_text())
    return data


def as_editor_reads(path: Path) -> object:
    """YAML as an editor's language server would read it (standard resolvers)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_content_file_validates_in_editors() -> None:
    files = content_files(REPO)
    assert len(files) == 44
    for path in files:
        kind = "unit" if path.name == UNIT_FILE_NAME else "project"
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("# yaml-language-server: $schema=")
        referenced = (path.parent / first_line.split("=", 1)[1]).resolve()
        assert referenced == (REPO / "schema" / f"{kind}.schema.json").resolve()
        jsonschema.validate(as_editor_reads(path), schema(kind))


@pytest.mark.parametrize("change", [
    {"nmae": "x"}, {"amount": "1,00"}, {"indicators": [{"level1": "产出指标"}]},
    {"id": "a b/c"},
])
def test_schema_rejects_bad_files(change: dict[str, object]) -> None:
    data = {"id": "p1", "year": 2023, "unit": "002001", "name": "项目", "amount": "1.00"}
    jsonschema.validate(data, schema("project"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, **change}, schema("project"))


EXAMPLE = REPO / "examples" / "self-evaluation"


def test_the_example_self_evaluations_validate_in_editors() -> None:
    files = sorted(EXAMPLE.glob("content/*/*/*.evaluation.yaml"))
    assert len(files) == 2
    for path in files:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        referenced = (path.parent / first_line.split("=", 1)[1]).resolve()
        assert referenced == (EXAMPLE / "schema" / "evaluation.schema.json").resolve()
        assert referenced.read_bytes() == (REPO / "schema" / "evaluation.schema.json").read_bytes()
        jsonschema.validate(as_editor_reads(path), schema("evaluation"))


@pytest.mark.parametrize("change", [
    {"fund": []}, {"funds": [{"initial": "1"}]}, {"indicators": [{"name": "x", "actua": "1"}]},
])
def test_the_evaluation_schema_rejects_bad_files(change: dict[str, object]) -> None:
    data = {"id": "e1", "year": "2023", "unit": "002001", "name": "项目"}
    jsonschema.validate(data, schema("evaluation"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, **change}, schema("evaluation"))
