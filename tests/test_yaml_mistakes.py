"""Mistakes of Chinese typing and common YAML syntax errors, named at the mistake."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from site_builder.content import yamlsafe
from site_builder.content.yamlsafe import control_warnings, load_yaml_text
from site_builder.diagnostics import SiteBuilderError
from site_builder.i18n import set_language


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def composer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case with both composers: the messages do not depend on which one runs."""
    monkeypatch.setattr(yamlsafe, "_FAST", request.param == "libyaml")
    return str(request.param)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """These cases read the messages a clerk reads: the default Chinese."""
    set_language("zh_CN")
    yield
    set_language("en")


def first_error(text: str) -> str:
    with pytest.raises(SiteBuilderError) as caught:
        load_yaml_text(text, "p.yaml")
    assert len(caught.value.diagnostics) == 1
    return caught.value.diagnostics[0].format()


PROJECT = "id: p1\nyear: '2023'\nunit: '002001'\nname: 测试项目\namount: '1.00'\n"

SLIPS = [
    # a full-width colon after a key: the parser notices only at the next line
    (PROJECT.replace("amount: '1.00'", "amount： '1.00'") + "remark: x\n",
     "p.yaml:5:7: 错误：第 5 行第 7 列的键名后用了全角冒号“：”，请改为半角“:”"),
    (PROJECT.replace("name: 测试项目", "name：测试项目"),
     "p.yaml:4:5: 错误：第 4 行第 5 列的键名后用了全角冒号“：”，请改为半角“:”"),
    ("amount： 12\nyear: 2023\n",
     "p.yaml:1:7: 错误：第 1 行第 7 列的键名后用了全角冒号“：”，请改为半角“:”"),
    ("indicators:\n- name： 次数\n  value: 5次\n",
     "p.yaml:2:7: 错误：第 2 行第 7 列的键名后用了全角冒号“：”，请改为半角“:”"),
    ("indicators:\n- name： 次数\n",  # parses, as the text "name： 次数": the item is no mapping
     "p.yaml:2:7: 错误：第 2 行第 7 列的键名后用了全角冒号“：”，请改为半角“:”"),
    ("name: 测试项目\n  amount： 12\n",  # parses, folded into the name
     "p.yaml:2:9: 错误：第 2 行第 9 列的键名后用了全角冒号“：”，请改为半角“:”"),
    ("indicators:\n- {level1： 产出指标, name: 次数, value: 5次}\n",
     "p.yaml:2:10: 错误：第 2 行第 10 列的键名“level1： 产出指标”中用了全角冒号“：”，请改为半角“:”"),
    # a full-width comma, brace or quote in a flow mapping
    ("indicators:\n- {level1: 产出指标， name: 次数, value: 5次}\n",
     "p.yaml:2:16: 错误：第 2 行第 16 列用了全角逗号“，”，请改为半角“,”"),
    ("indicators:\n- {level1: 产出指标, name: 次数｝\n- {level1: 产出指标}\n",
     "p.yaml:2:26: 错误：第 2 行第 26 列用了全角花括号“｝”，请改为半角“}”"),
    ("name: “项目: 一”\n", "p.yaml:1:7: 错误：第 1 行第 7 列值的开头用了全角引号““”，请改为半角“\"”"),
    ("“name”: 测试\n",
     "p.yaml:1:1: 错误：第 1 行第 1 列的键名““name””中用了全角引号““”，请改为半角“\"”"),
    ("notes:\n- {name: ‘a, b’}\n",
     "p.yaml:2:15: 错误：第 2 行第 15 列的键名“b’”中用了全角单引号“’”，请改为半角“'”"),
    # full-width parentheses, digits and spaces in keys and indentation
    ("amount（万元）: 12\n",
     "p.yaml:1:7: 错误：第 1 行第 7 列的键名“amount（万元）”中用了全角括号“（”，请改为半角“(”"),
    ("【name】: 12\n", "p.yaml:1:1: 错误：第 1 行第 1 列的键名“【name】”中用了方头括号“【”，请改为半角“[”"),
    ("level１: 产出指标\n",
     "p.yaml:1:6: 错误：第 1 行第 6 列的键名“level１”中用了全角数字“１”，请改为半角“1”"),
    ("indicators:\n- name: 次数\n　　value: 5次\n",
     "p.yaml:3:1: 错误：第 3 行第 1 列的键名“　　value”中用了全角空格，请改为半角空格"),
    ("name:　测试项目\nyear: 2023\n",
     "p.yaml:1:6: 错误：第 1 行第 6 列的冒号后用了全角空格，请改为半角空格"),
    ("goals:\n  -　目标一\n  - 目标二\n",
     "p.yaml:2:4: 错误：第 2 行第 4 列的“-”后用了全角空格，请改为半角空格"),
]


@pytest.mark.parametrize(("text", "expected"), SLIPS)
def test_full_width_slip_named_where_it_is(text: str, expected: str) -> None:
    message = first_error(text)
    assert message.startswith(expected), message
    # the hint says what to type instead, and never repeats the wrong character
    named = re.search(r"用了[^“]*“(.)”", expected)
    wrong = named[1] if named else "\u3000"
    hint = message[len(expected):][1:-1]  # what follows the message: （the hint）
    assert "半角" in hint and wrong not in hint, (wrong, hint)


@pytest.mark.parametrize("text", [
    "name: 乡镇（街道）综合治理经费\n",
    "goals:\n- 目标：为发挥乡镇人大的监督职责，提供必要的工作经费。\n- PPP：项目合作\n",
    "remark: “十四五”规划项目，备注：无\n",
    "indicators:\n- {level1: 产出指标, name: 甲，乙, value: 【重点】5次}\n",
    "name: 【重点】项目\namount: '１２'\nnotes: [第一，第二]\n",
    "name: 测试\u3000项目\n",
])
def test_full_width_characters_in_values_are_data(text: str) -> None:
    import yaml

    node = load_yaml_text(text, "p.yaml")
    assert node is not None

    def plain(node: yamlsafe.YNode) -> object:
        if node.kind == "map":
            return {k: plain(v) for k, (_, v) in node.value.items()}
        if node.kind == "seq":
            return [plain(item) for item in node.value]
        return node.value

    assert plain(node) == yaml.load(text, Loader=yaml.BaseLoader)  # every text as written


SYNTAX = [
    # a "{" or "[" not closed: the parser notices on the next line; the mistake is here
    (PROJECT + "indicators:\n- {level1: 产出指标, name: 次数\n- {level1: 产出指标}\n",
     "p.yaml:7:26: 错误：第 7 行第 3 列的“{”没有配对的“}”"),
    (PROJECT.replace("name: 测试项目", "name: [测试"),
     "p.yaml:4:10: 错误：第 4 行第 7 列的“[”没有配对的“]”"),
    ("goals: [目标一, 目标二\n", "p.yaml:1:17: 错误：第 1 行第 8 列的“[”没有配对的“]”"),
    # a quote not closed: reported where it opens, not at the end of the file
    (PROJECT.replace("name: 测试项目", 'name: "测试项目') + "remark: x\n",
     "p.yaml:4:7: 错误：第 4 行第 7 列的引号“\"”没有结束"),
    ('name: "测试项目”\nyear: 2023\n',
     "p.yaml:1:12: 错误：第 1 行第 12 列（引号的结尾）用了全角引号“””，请改为半角“\"”"),
    # a key without its colon
    (PROJECT.replace("amount: '1.00'", "amount '1.00'") + "remark: x\n",
     "p.yaml:5:1: 错误：第 5 行缺少键名后面的半角冒号“:”"),
    # already on the right line: a colon inside a value, bad indentation, a tab
    ("name: 测试: 项目\n", "p.yaml:1:9: 错误：YAML 格式有误：mapping values are not allowed"),
    ("indicators:\n  - name: a\n - name: b\n", "p.yaml:3:2: 错误：YAML 格式有误："),
    ("name: a\n\tyear: 2023\n", "p.yaml:2:1: 错误：YAML 格式有误："),
]


@pytest.mark.parametrize(("text", "expected"), SYNTAX)
def test_syntax_error_at_the_line_of_the_mistake(text: str, expected: str) -> None:
    message = first_error(text)
    assert message.startswith(expected), message


@pytest.mark.parametrize(("text", "expected"), [
    ("name: a\x01b\n", "p.yaml:1:8: 错误：第 1 行第 8 列有控制字符 U+0001"),
    ("name: x\nremark: a\x1b[31mb\n", "p.yaml:2:10: 错误：第 2 行第 10 列有控制字符 U+001B"),
    ("name: a\x85b\n", "p.yaml:1:8: 错误：第 1 行第 8 列有控制字符 U+0085"),
    ("name: a\x7fb\n", "p.yaml:1:8: 错误：第 1 行第 8 列有控制字符 U+007F"),
])
def test_control_characters_at_their_position(text: str, expected: str) -> None:
    message = first_error(text)
    assert message.startswith(expected), message


@pytest.mark.parametrize(("text", "expected"), [
    ('name: x\nremark: "a\\x1b[31mb"\n', "p.yaml:2:9: 警告：第 2 行第 9 列有控制字符 U+001B"),
    ('name: "a\\fb"\n', "p.yaml:1:7: 警告：第 1 行第 7 列有控制字符 U+000C"),
    ('indicators:\n  - {name: "a\\u0007b"}\n', "p.yaml:2:12: 警告：第 2 行第 12 列有控制字符 U+0007"),
])
def test_escaped_control_characters_are_read_and_warned_at_their_text(text: str,
                                                                      expected: str) -> None:
    """Written as escapes, they are readable: kept as published, with a warning."""
    node = load_yaml_text(text, "p.yaml")
    warnings = [d.format() for d in control_warnings(node)]
    assert len(warnings) == 1 and warnings[0].startswith(expected), warnings
    assert "已按原样保留" in warnings[0]


def test_tabs_and_newlines_in_values_are_kept() -> None:
    node = load_yaml_text('remark: "a\\tb\\nc"\nname: "x\ty"\n', "p.yaml")
    assert node is not None
    assert node.value["remark"][1].value == "a\tb\nc"
    assert node.value["name"][1].value == "x\ty"


def test_validate_names_the_slip_in_a_content_file(tmp_path: Path) -> None:
    folder = tmp_path / "content/2023/002001"
    folder.mkdir(parents=True)
    (folder / "_unit.yaml").write_text("code: '002001'\nyear: '2023'\nname: 测试单位\n",
                                       encoding="utf-8")
    (folder / "p1.yaml").write_text(
        "id: 2023-002001-01\nyear: '2023'\nunit: '002001'\nname: 测试项目\namount：'1.00'\n"
        "indicators:\n- {level1: 产出指标, level2: 数量指标, name: 次数, value: 5次}\n",
        encoding="utf-8")
    proc = run_cli("validate", "--project", tmp_path, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1
    assert ("content/2023/002001/p1.yaml:5:7: 错误：第 5 行第 7 列的键名后用了全角冒号“：”，"

            "请改为半角“:”") in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
