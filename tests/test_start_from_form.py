"""Starting from the form: ``init`` with title and publisher, ``template`` writes a blank
official form that imports back, and the next-step hints work as typed."""

from __future__ import annotations

import os
import pty
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli, run_json
from openpyxl import load_workbook

TITLE = "祁连县阿柔乡人民政府2024年部门预算项目支出绩效目标公开表"
ROWS = [("产出指标", "数量指标", "乡镇用餐人数", "31人次"), ("", "质量指标", "保证干部用餐", "100%"),
        ("", "时效指标", "保障乡镇工作人员就餐", "2024全年"), ("", "成本指标", "购买食材", "≤6.08万元"),
        ("效益指标", "社会效益指标", "社会和谐稳定", "稳步提升"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%")]
"""What a clerk types into the blank form (a 一级 only on its first row, as on paper)."""


def fill(blank: Path, target: Path, title: str | None = TITLE) -> None:
    """Fill in the blank form as a clerk would, cell by cell."""
    book = load_workbook(blank)
    sheet = book.active
    assert sheet is not None
    if title is not None:
        sheet["A1"] = title
    sheet["A4"], sheet["B4"], sheet["C4"] = "002001", "乡镇食堂伙食补助", 7.44
    sheet["D4"] = "目标1：解决干部就餐。\n目标2：提升乡镇干部伙食质量。"
    for offset, (one, two, name, value) in enumerate(ROWS):
        if one:
            sheet.cell(4 + offset, 5, one)
        sheet.cell(4 + offset, 6, two)
        sheet.cell(4 + offset, 7, name)
        sheet.cell(4 + offset, 8, value)
    book.save(target)


def no_tty(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with its input not a terminal (a pipe with nothing in it)."""
    return subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)], cwd=cwd,
                          input="", capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)


def test_init_writes_title_and_publisher_and_the_site_shows_them(tmp_path: Path) -> None:
    proc = no_tty("init", "县站", "--title", "祁连县项目支出绩效目标公开", "--publisher",
                  "祁连县财政局'办公室'", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    settings = yaml.safe_load((tmp_path / "县站/site.yaml").read_text(encoding="utf-8"))
    assert settings["title"] == "祁连县项目支出绩效目标公开"
    assert settings["publisher"] == "祁连县财政局'办公室'"
    run_cli("build", "--project", tmp_path / "县站", check=True)
    home = (tmp_path / "县站/output/index.html").read_text(encoding="utf-8")
    assert "<title>祁连县项目支出绩效目标公开" in home and "祁连县财政局&#39;办公室&#39;" in home


def test_init_never_asks_when_input_is_not_a_terminal(tmp_path: Path) -> None:
    proc = no_tty("init", "s", cwd=tmp_path)
    assert proc.returncode == 0 and "Site title" not in proc.stdout
    text = (tmp_path / "s/site.yaml").read_text(encoding="utf-8")
    assert "title: 项目支出绩效目标公开\n" in text and "publisher:\n" in text


def test_init_asks_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen([sys.executable, "-m", "site_builder", "init", "s"],
                                 cwd=tmp_path, stdin=follower, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE,
                                 env={**os.environ, "PYTHONIOENCODING": "utf-8",
                                      "SITE_BUILDER_LANG": "zh_CN"})
        os.write(leader, "门源县项目公开\n门源县财政局\n".encode())
        out, err = child.communicate(timeout=120)
    finally:
        os.close(leader)
        os.close(follower)
    assert child.returncode == 0, err.decode()
    assert "网站标题（直接回车：项目支出绩效目标公开）：" in out.decode()
    settings = yaml.safe_load((tmp_path / "s/site.yaml").read_text(encoding="utf-8"))
    assert (settings["title"], settings["publisher"]) == ("门源县项目公开", "门源县财政局")


def test_the_next_steps_of_init_work_as_typed(tmp_path: Path) -> None:
    """Run each command init suggests, exactly as printed (filling the form in between)."""
    proc = no_tty("init", "我的网站", cwd=tmp_path)
    commands = [line.split(". ", 1)[1].split("    ")[0] for line in proc.stdout.splitlines()
                if line.startswith("  ") and ". " in line]
    assert [c.split()[3] for c in commands] == ["template", "import", "check", "build", "serve"]
    assert commands[0] == "python3 -m site_builder template -o 项目支出绩效目标表.xlsx"
    assert commands[1].endswith("import --project 我的网站 项目支出绩效目标表.xlsx")
    for command in commands[:4]:
        words = shlex.split(command)
        assert words[:3] == ["python3", "-m", "site_builder"]
        done = no_tty(*words[3:], cwd=tmp_path)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if words[3] == "template":
            form = tmp_path / "项目支出绩效目标表.xlsx"
            fill(form, form)
    assert (tmp_path / "我的网站/output/projects/2024-002001-01.html").is_file()


def test_template_imports_back_with_nothing_but_empty(tmp_path: Path) -> None:
    run_cli("init", tmp_path / "s", check=True)
    blank = tmp_path / "blank.xlsx"
    proc = run_cli("template", "-o", blank, cwd=tmp_path)
    assert proc.returncode == 0 and "wrote a blank 项目支出绩效目标表" in proc.stdout
    imported = run_cli("import", "--project", tmp_path / "s", blank)
    assert imported.returncode == 1
    lines = imported.stderr.strip().splitlines()
    assert len(lines) == 1 and "No project table was found" in lines[0], imported.stderr
    assert not (tmp_path / "s/content/2024").exists()


def test_template_filled_in_imports_and_validates(tmp_path: Path) -> None:
    run_cli("init", tmp_path / "s", check=True)
    blank, filled = tmp_path / "blank.xlsx", tmp_path / "filled.xlsx"
    run_cli("template", "-o", blank, check=True)
    fill(blank, filled)
    proc = run_cli("import", "--project", tmp_path / "s", filled)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # not a single finding about the form itself
    report = run_json("validate", "--project", tmp_path / "s", "--format", "json")
    assert report["ok"] and report["diagnostics"] == [] and report["projects"] == 1
    [project] = run_json("export", "--project", tmp_path / "s")
    assert (project["id"], project["unit_name"], project["amount"]) == (
        "2024-002001-01", "祁连县阿柔乡人民政府", "7.44")
    assert project["goals"] == ["目标1：解决干部就餐。", "目标2：提升乡镇干部伙食质量。"]
    assert [(i["level1"], i["level2"], i["name"], i["value"]) for i in project["indicators"]] == [
        (one or "产出指标", two, name, value) for one, two, name, value in ROWS]
    findings = run_json("check", "--project", tmp_path / "s", "--format", "json")
    assert [f for f in findings if f["severity"] == "error"] == []


def test_template_title_from_options_and_lists_of_names(tmp_path: Path) -> None:
    form = tmp_path / "t.xlsx"
    run_cli("template", "-o", form, "--unit", "祁连县阿柔乡人民政府", "--year", "2024",
            check=True)
    sheet = load_workbook(form).active
    assert sheet is not None and sheet["A1"].value == TITLE
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists == ['"产出指标,效益指标,满意度指标,成本指标"',
                     '"数量指标,质量指标,时效指标,成本指标,经济效益指标,社会效益指标,生态效益指标,'
                     '可持续影响指标,服务对象满意度指标,经济成本指标,社会成本指标,生态环境成本指标"']
    again = tmp_path / "again.xlsx"
    run_cli("template", "-o", again, "--unit", "祁连县阿柔乡人民政府", "--year", "2024",
            check=True)
    assert again.read_bytes() == form.read_bytes()  # same input, same bytes


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "docx", "-o", "表.xlsx"), "文件名应以 .docx 结尾"),
    (("--year", "2024"), "表头需要单位名称和四位数的预算年度"),
    (("--unit", "某单位", "--year", "24"), "表头需要单位名称和四位数的预算年度"),
    (("-o", "表.xls"), "文件名应以 .xlsx 结尾"),
])
def test_template_refuses_with_a_clear_message(tmp_path: Path, args: tuple[str, ...],
                                               message: str) -> None:
    proc = run_cli("template", *args, cwd=tmp_path, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_template_never_overwrites_without_force(tmp_path: Path) -> None:
    form = tmp_path / "表.xlsx"
    form.write_bytes(b"filled in already")
    proc = run_cli("template", "-o", form, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1 and "这个文件已经存在，没有覆盖" in proc.stderr
    assert form.read_bytes() == b"filled in already"
    run_cli("template", "-o", form, "--force", check=True)
    assert form.read_bytes().startswith(b"PK")


def test_the_form_survives_libreoffice_and_imports(tmp_path: Path) -> None:
    """Opened and saved again by a real office suite, the blank form keeps its lists and
    still imports once filled in."""
    blank = tmp_path / "blank.xlsx"
    run_cli("template", "-o", blank, check=True)
    saved = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    saved, blank], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    resaved = saved / "blank.xlsx"
    sheet = load_workbook(resaved).active
    assert sheet is not None
    assert any(v.type == "list" and "产出指标" in (v.formula1 or "")
               for v in sheet.data_validations.dataValidation)
    filled = tmp_path / "filled.xlsx"
    fill(resaved, filled)
    run_cli("init", tmp_path / "s", check=True)
    proc = run_cli("import", "--project", tmp_path / "s", filled)
    assert proc.returncode == 0, proc.stderr
    assert run_json("validate", "--project", tmp_path / "s", "--format", "json")["ok"]


def test_readme_lists_the_template_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "site-builder template" in readme and "docs/快速开始.md" in readme
