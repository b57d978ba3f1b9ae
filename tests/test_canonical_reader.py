"""The line reader of project files in site-builder's own layout gives exactly what the YAML
loader and validation give, or gives up."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content import reader as content
from site_builder.content.canonical import read_fields
from site_builder.content.schema import EVALUATION_FIELDS, PROJECT_FIELDS, UNIT_FIELDS, FieldSpec
from site_builder.content.validate_fields import Fields, check_mapping
from site_builder.content.writer import dump_yaml, evaluation_data, project_data, render_file
from site_builder.content.yamlsafe import load_yaml_text
from site_builder.diagnostics import Position, SiteBuilderError
from site_builder.model import Indicator, Project

SHOWN = "content/2023/002001/x.yaml"


def general(text: str, specs: tuple[FieldSpec, ...] = PROJECT_FIELDS
            ) -> tuple[Fields, dict[str, Position]] | None:
    """What the loader and ``check_mapping`` read, when they find no problem."""
    try:
        node = load_yaml_text(text, SHOWN)
    except SiteBuilderError:
        return None
    values, positions, problems = check_mapping(node, specs, "file", Position(SHOWN, 1, 1))
    return None if problems else (values, positions)


def assert_same(text: str, specs: tuple[FieldSpec, ...] = PROJECT_FIELDS) -> bool:
    """Both paths agree (the line reader may give up); True when the line reader read it."""
    fast = read_fields(text, SHOWN, specs)
    if fast is None:
        return False
    assert fast == general(text, specs)
    assert list(fast[0]) == list(fast[1]) == list(general(text, specs)[0])  # type: ignore[index]
    return True


def written(project: Project) -> str:
    return render_file(dump_yaml(project_data(project)), "../../../schema/project.schema.json",
                       "a test")


def test_every_shipped_and_generated_file_is_read_alike(tmp_path: Path) -> None:
    from benchmarks.generate import generate

    generate(tmp_path / "site", 300)
    files = [path for root in (REPO, tmp_path / "site") for path in content.content_files(root)]
    assert len(files) > 300
    for path in files:
        specs = UNIT_FIELDS if path.name == "_unit.yaml" else PROJECT_FIELDS
        assert assert_same(path.read_text(encoding="utf-8"), specs), path
        mutated = path.read_text(encoding="utf-8").replace("\n", " \n", 1)
        assert_same(mutated, specs)


TRICKY = ["", " ", "  ", ": ", ":", " #", "#", "'", "''", '"', "{", "}", "[", "]", ",", "?",
          "-", "- ", "&a ", "*a", "!t ", "|", ">", "%", "@", "`", "~", "null", "Null", "\t",
          "\r", "\u2028", "\x85", "\ufeff", "\u00a0", "\n", "\n ", "\n\n", "\n- x", "...",
          "---", "\\", "\\n", "1", "2023", "3.28", "yes", "产出指标", "≥95%", "a: b", "x, y"]


def _variant(rng: random.Random, base: str) -> str:
    pieces = [rng.choice(TRICKY) for _ in range(rng.randint(1, 3))]
    spot = rng.randint(0, len(base))
    return base[:spot] + "".join(pieces) + base[spot:]


FIELDS = ["name", "remark", "source", "table_total", "goal", "notes", "level1", "level2",
          "indicator", "value", "amount", "id", "year", "unit"]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(FIELDS), st.integers(0, 2**32))
def test_mutated_values_are_read_alike_or_left_to_the_loader(field: str, seed: int) -> None:
    rng = random.Random(seed)
    indicator = Indicator("产出指标", "数量指标", "培训次数", "≥2次")
    values: dict[str, object] = {"id": "2023-002001-01", "year": "2023", "unit": "002001",
                                 "name": "村级运转经费", "amount": "3.28", "goal": "目标一：保障运转",
                                 "notes": "", "remark": "", "source": "", "table_total": None}
    key = field if field in values else "name"
    values[key] = _variant(rng, str(values[key] or ""))
    parts = {"level1": "产出指标", "level2": "数量指标", "indicator": "培训次数", "value": "≥2次"}
    if field in parts:
        parts[field] = _variant(rng, parts[field])
        indicator = Indicator(parts["level1"], parts["level2"], parts["indicator"],
                              parts["value"])
    project = Project(str(values["id"]), str(values["year"]), str(values["unit"]),
                      str(values["name"]), Decimal(0), goals=(str(values["goal"]),),
                      indicators=(indicator,), notes=tuple(filter(None, [str(values["notes"])])),
                      remark=str(values["remark"]), source=str(values["source"]),
                      table_total=values["table_total"])  # type: ignore[arg-type]
    text = written(project).replace("amount: '0.00'", f"amount: '{values['amount']}'")
    assert_same(text)
    lines = text.split("\n")  # and the same file mutated at any place of a line
    spot = rng.randrange(len(lines))
    lines[spot] = _variant(rng, lines[spot])
    assert_same("\n".join(lines))


def test_usual_edits_by_hand_are_read_by_the_line_reader() -> None:
    base = ("id: 2023-002001-01\nyear: '2023'\nunit: '002001'\nname: 村级运转经费\n"
            "amount: '3.28'\ngoals:\n- 目标一：保障村级组织运转\nindicators:\n"
            "- {level1: 产出指标, level2: 数量指标, name: 培训次数, value: ≥2次}\n"
            "- {level1: 满意度指标, name: 群众满意度, value: ''}\nnotes: []\nremark: 备注\n")
    assert assert_same(base)
    assert assert_same(base.replace("remark: 备注", "remark: 'it''s: quoted'"))
    assert assert_same(base + "table_total: ''\n")
    assert assert_same(base + "# a comment\nsource: 原表.xlsx:12\n")


def test_anything_else_goes_to_the_loader() -> None:
    base = "id: a-1\nyear: '2023'\nunit: '1'\nname: x\namount: '1.00'\n"
    assert assert_same(base)
    for other in ["name: x # comment", "name: |\n  x", "name: &a x", "name: 'x", "name: \"x\"",
                  "name: x\n  y", "name:", "amount: 1,00", "year: '23'", "nome: x",
                  "indicators:\n- {level1: 产出乙, name: x}", "indicators:\n- {value: 1}",
                  "goals: x", "goals:\n- ~", "goals:\n  - x"]:
        key = other.split(":")[0]
        lines = [line for line in base.split("\n") if not line.startswith(key + ":")]
        text = "\n".join(lines) + other + "\n"
        assert read_fields(text, SHOWN) is None, other
        assert_same(text)
    assert read_fields(base + "name: y\n", SHOWN) is None  # a repeated key


def test_a_site_loads_alike_either_way(shipped_site: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    quick = content.load_site(shipped_site)
    monkeypatch.setattr(content, "read_fields", lambda *args: None)
    slow = content.load_site(shipped_site)
    assert quick == slow
    assert [p.field_pos for p in quick.site.projects] == [p.field_pos for p in slow.site.projects]


EXAMPLE = REPO / "examples" / "self-evaluation"


def test_every_self_evaluation_written_by_site_builder_is_read_alike(tmp_path: Path) -> None:
    """The example's files and the benchmark's (fictional, written as the importer writes
    them), and each of them with one line mutated."""
    from benchmarks.evaluations import evaluation_of
    from benchmarks.generate import generate

    rng = random.Random(3)
    site = content.load_site(generate(tmp_path / "site", 60)).site
    texts = [path.read_text(encoding="utf-8") for path in EXAMPLE.glob("content/*/*/*.yaml")
             if path.name.endswith(".evaluation.yaml")]
    texts += [render_file(dump_yaml(evaluation_data(evaluation_of(project, rng))),
                          "../../../schema/evaluation.schema.json", "a test")
              for project in site.projects]
    assert len(texts) == 62
    for text in texts:
        assert assert_same(text, EVALUATION_FIELDS), text[:300]
        lines = text.split("\n")
        for _ in range(20):
            spot = rng.randrange(len(lines))
            mutated = lines[:spot] + [_variant(rng, lines[spot])] + lines[spot + 1:]
            assert_same("\n".join(mutated), EVALUATION_FIELDS)


def test_rows_the_line_reader_leaves_to_the_loader() -> None:
    base = ("id: 2023-002001-01\nyear: '2023'\nunit: '002001'\nname: 经费\n"
            "funds:\n- {label: 年度资金总额, initial: '3.28', rate: 97.56%}\n"
            "indicators:\n- {level1: 产出指标, name: 培训次数, target: 5次, actual: 4次}\n")
    assert assert_same(base, EVALUATION_FIELDS)
    for other in ["funds:\n- {initial: '3.28'}", "funds:\n- {label: ''}",
                  "funds:\n- {label: x, label: y}", "funds:\n- {label: x, rate: a: b}",
                  "funds:\n- label: x", "funds:\n- {label: x, levl: y}", "funds: x",
                  "indicators:\n- {level1: 产出指标, target: 5次}",
                  "indicators:\n- {name: x, value: 5次}", "indicators:\n- {name: [x]}"]:
        key = other.split(":")[0]
        kept, skip = [], False
        for line in base.split("\n"):
            skip = line.startswith(key + ":") or (skip and line.startswith("- "))
            if not skip:
                kept.append(line)
        text = "\n".join(kept) + other + "\n"
        assert read_fields(text, SHOWN, EVALUATION_FIELDS) is None, other
        assert_same(text, EVALUATION_FIELDS)


def test_the_example_site_loads_alike_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    quick = content.load_site(EXAMPLE)
    assert len(quick.site.evaluations) == 2
    monkeypatch.setattr(content, "read_fields", lambda *args: None)
    slow = content.load_site(EXAMPLE)
    assert quick == slow
    assert [e.field_pos for e in quick.site.evaluations] == \
        [e.field_pos for e in slow.site.evaluations]
