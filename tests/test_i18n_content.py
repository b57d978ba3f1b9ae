"""The content messages a clerk reads: Chinese by default, English with ``--lang en``, at the
same positions in both."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

UNIT = "code: '002001'\nyear: '2023'\nname: 测试单位\n"
HEAD = "year: '2023'\nunit: '002001'\nname: 测试项目\n"
DEFAULT = {"SITE_BUILDER_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
"""No language asked for: the tool's default (the tests otherwise run English)."""


def site_with_mistakes(root: Path) -> Path:
    """A unit, and three fictional project files: a wrong decimal, a full-width colon after a
    key, a ``[`` never closed."""
    folder = root / "content/2023/002001"
    folder.mkdir(parents=True)
    (folder / "_unit.yaml").write_text(UNIT, encoding="utf-8")
    (folder / "p1.yaml").write_text("id: p1\n" + HEAD + "amount: '两万元'\n", encoding="utf-8")
    (folder / "p2.yaml").write_text("id: p2\n" + HEAD + "amount：'1.00'\n", encoding="utf-8")
    (folder / "p3.yaml").write_text("id: p3\n" + HEAD + "amount: '1.00'\ngoals: [目标一\n",
                                    encoding="utf-8")
    return root


def errors(stdout: str) -> dict[str, str]:
    """Each error line by its position (what comes before ``: error: `` or ``: 错误：``)."""
    found = {}
    for line in stdout.splitlines():
        for word in (": error: ", ": 错误："):
            if word in line:
                position, message = line.split(word, 1)
                found[position] = message
    return found


def test_validate_speaks_chinese_by_default_and_english_when_asked(tmp_path: Path) -> None:
    site = site_with_mistakes(tmp_path)
    chinese = run_cli("validate", "--project", site, env=DEFAULT)
    english = run_cli("--lang", "en", "validate", "--project", site, env=DEFAULT)
    assert chinese.returncode == english.returncode == 1
    assert "Traceback" not in chinese.stdout + chinese.stderr + english.stdout + english.stderr
    zh, en = errors(chinese.stdout), errors(english.stdout)
    decimal = "content/2023/002001/p1.yaml:5:9"
    colon = "content/2023/002001/p2.yaml:5:7"
    bracket = "content/2023/002001/p3.yaml:6:12"  # the end of the line, where "]" goes
    assert sorted(zh) == sorted(en) == sorted([decimal, colon, bracket]), (chinese.stdout,
                                                                         english.stdout)
    assert zh[decimal].startswith("“amount”是 '两万元'，不是有效的数字（金额）（金额以万元为单位"), zh
    assert en[decimal].startswith("'amount' is '两万元', which is not a valid decimal number "
                                  "(write the amount in 万元 with a dot"), en
    assert zh[colon].startswith("第 5 行第 7 列的键名后用了全角冒号“：”，请改为半角“:”"), zh
    assert en[colon].startswith("line 5, column 7 (after the key): full-width colon '：'; type "
                                "the half-width ':' instead"), en
    assert zh[bracket].startswith("第 6 行第 8 列的“[”没有配对的“]”（在这一行末尾补上“]”"), zh
    assert en[bracket].startswith("the '[' at line 6, column 8 has no matching ']' (add the ']' "
                                  "at the end of this line"), en
    for line in zh.values():  # nothing English left in the Chinese messages but data and names
        assert "must" not in line and "line " not in line, line
