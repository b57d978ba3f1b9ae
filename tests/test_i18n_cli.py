"""Every command speaks Chinese by default and English with ``--lang en``, error cases too.

Each case runs the real CLI twice: with no language chosen (``SITE_BUILDER_LANG`` empty, a
``C.UTF-8`` locale, as on a server) and with ``--lang en``.  The Chinese run fails on any line
holding an English sentence (three or more lowercase English words in a row, once paths, option
names, rule ids, quoted code and URLs are taken out); the English run fails on any Chinese that
is neither the site's own data nor a Chinese term the English messages use on purpose (the form's
name 项目支出绩效目标表, an example unit).  The failure lists exactly the lines concerned.  The
positions (``file:line:col``) and rule ids are the same in both languages.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

from site_builder.checks.registry import RULES

FIXTURE = Path(__file__).parent / "site" / "fixture"
PO_FILE = REPO / "site_builder" / "locale" / "zh_CN" / "LC_MESSAGES" / "site_builder.po"
BAD_YAML = "id: 2024-000001-01\nname: [不成对的括号\nyear: 2024\n"
"""A content file whose YAML does not parse (line 2)."""
COMMANDS = ("init", "template", "import", "validate", "check", "export", "build", "diff",
            "serve", "search")


@dataclass(frozen=True)
class Places:
    """The folders and files the cases run on (made once for the module)."""

    good: Path
    """A copy of the test fixture site (valid content)."""
    bad: Path
    """A new site with one content file that is not valid YAML."""
    empty: Path
    """A folder with no site in it (the working folder of every case)."""
    a_file: Path
    """A plain file, for options that want a folder."""
    port: int
    """A port on 127.0.0.1 that is taken for the whole module."""


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Places]:
    root = tmp_path_factory.mktemp("i18n")
    good = root / "good"
    shutil.copytree(FIXTURE, good)
    bad = root / "bad"
    run(["init", str(bad)], root, english=True)
    broken = bad / "content" / "2024" / "000001" / "2024-000001-01.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text(BAD_YAML, encoding="utf-8")
    empty = root / "empty"
    empty.mkdir()
    a_file = root / "a-file.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield Places(good, bad, empty, a_file, taken.getsockname()[1])


CASES: dict[str, list[str]] = {
    "help": ["--help"],
    **{f"{name}-help": [name, "--help"] for name in COMMANDS},
    "no-command": [],
    "unknown-command": ["frobnicate"],
    "unknown-option": ["validate", "--frobnicate"],
    "bad-lang": ["--lang", "xx", "validate"],
    "init-exists": ["init", "{good}"],
    "init-missing-dir": ["init"],
    "template-docx": ["template", "--format", "docx", "-o", "{empty}/blank.xlsx"],
    "template-suffix": ["template", "-o", "{empty}/blank.xls"],
    "template-year-only": ["template", "--year", "2024", "-o", "{empty}/blank.xlsx"],
    "template-exists": ["template", "-o", "{a_file}"],
    "import-no-file": ["import", "--project", "{bad}"],
    "import-missing-file": ["import", "--project", "{bad}", "{empty}/no-such-table.xlsx"],
    "import-bad-layout": ["import", "--layout", "nonsense", "{a_file}"],
    "validate-no-site": ["validate"],
    "validate-bad-yaml": ["validate", "--project", "{bad}"],
    "validate-bad-format": ["validate", "--project", "{good}", "--format", "xml"],
    "validate-good": ["validate", "--project", "{good}"],
    "check-no-site": ["check"],
    "check-bad-yaml": ["check", "--project", "{bad}"],
    "check-bad-format": ["check", "--project", "{good}", "--format", "pdf"],
    "export-bad-yaml": ["export", "--project", "{bad}"],
    "export-unknown-id": ["export", "--project", "{good}", "--project-id", "2099-999999-99"],
    "export-unwritable": ["export", "--project", "{good}", "-o", "{empty}/no-such-folder/x.json"],
    "build-no-site": ["build"],
    "build-bad-yaml": ["build", "--project", "{bad}", "--out", "{empty}/out"],
    "build-bad-jobs": ["build", "--project", "{good}", "--jobs", "many"],
    "diff-against-a-file": ["diff", "--project", "{good}", "--against", "{a_file}"],
    "diff-bad-yaml": ["diff", "--project", "{bad}"],
    "diff-bad-limit": ["diff", "--project", "{good}", "--limit", "all"],
    "serve-port-in-use": ["serve", "--project", "{good}", "--port", "{port}", "--out",
                          "{empty}/preview"],
    "serve-bad-port": ["serve", "--project", "{good}", "--port", "eighty"],
    "search-no-query": ["search", "--project", "{good}"],
    "search-bad-limit": ["search", "--project", "{good}", "--limit", "-1", "经费"],
    "search-nothing-found": ["search", "--project", "{good}", "不存在的词语"],
    "search-found": ["search", "--project", "{good}", "--limit", "1", "经费"],
}
"""Each case: the arguments, with {good}, {bad}, {empty}, {a_file} and {port} filled in."""


def chinese_environment() -> dict[str, str]:
    """The environment of a server whose owner chose nothing: no SITE_BUILDER_LANG, C locale."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    return {**env, "SITE_BUILDER_LANG": "", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}


def run(arguments: list[str], cwd: Path, english: bool,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    chosen = env if env is not None else chinese_environment()
    command = [sys.executable, "-m", "site_builder", *(["--lang", "en"] if english else []),
               *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=chosen, timeout=300, stdin=subprocess.DEVNULL)


def filled(arguments: list[str], places: Places) -> list[str]:
    values = {"good": places.good, "bad": places.bad, "empty": places.empty,
              "a_file": places.a_file, "port": places.port}
    return [argument.format(**values) for argument in arguments]


# --- what counts as English in a Chinese message --------------------------------------------

NOT_WORDS = [
    re.compile(r"https?://\S+"),                        # addresses
    re.compile(r"(?<![\w.])[\w.~-]*[/\\][^\s，。；：（）、]*"),  # paths (anything with a slash)
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`"),    # quoted code: 'site-builder init DIR'
    re.compile(r"\{[^{}\s]*\}"),                        # argparse's choice lists {a,b,c}
    re.compile(r"(?<!\w)--?[a-zA-Z][\w-]*"),            # option names
    re.compile(r"\b[a-z0-9]+(?:[-_.][a-z0-9]+)+\b"),    # rule ids, codes, file names, site-builder
]
"""Texts that are code, not sentences: removed before looking for English words."""
ENGLISH_RUN = re.compile(r"\b[a-z]{2,}(?:[ ,]+[a-z]+){2,}\b")
"""Three or more lowercase English words in a row: an untranslated sentence."""
ALLOWED_ENGLISH = ("python3 -m site_builder",)
"""Lowercase runs that are code a clerk types."""
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
"""Chinese characters and full-width punctuation."""


def english_lines(text: str) -> list[str]:
    """The lines of ``text`` that hold an English sentence."""
    found = []
    for line in text.splitlines():
        rest = line
        for allowed in ALLOWED_ENGLISH:
            rest = rest.replace(allowed, " ")
        for pattern in NOT_WORDS:
            rest = pattern.sub(" ", rest)
        if ENGLISH_RUN.search(rest):
            found.append(line)
    return found


def site_texts(places: Places) -> str:
    """The site's own data (content and settings), whose Chinese stays Chinese in English."""
    parts = [path.read_text(encoding="utf-8") for site in (places.good, places.bad)
             for path in sorted(site.rglob("*")) if path.suffix in (".yaml", ".md")
             and "output" not in path.parts]
    return "\n".join(parts)


def english_message_terms() -> str:
    """The Chinese the English messages hold on purpose (the form's name, example units): the
    catalog's msgid lines, i.e. the English source texts."""
    return "\n".join(line for line in PO_FILE.read_text(encoding="utf-8").splitlines()
                     if line.startswith(("msgid ", "msgid_plural ", '"')))


def check_rule_texts() -> str:
    """The check rules' titles and descriptions: Chinese by design in both languages (the
    findings of ``check`` are written in Chinese, see docs/checks.md)."""
    return "\n".join(f"{rule.title}\n{rule.description}" for rule in RULES)


def chinese_lines(text: str, allowed: str) -> list[str]:
    """The lines of ``text`` with Chinese that is not in ``allowed`` (data and terms)."""
    return [line for line in text.splitlines()
            if any(run not in allowed for run in CJK.findall(line))]


POSITION = re.compile(r"^(\S+?:\d+(?::\d+)?): ")
"""``path:line:col: `` at the start of a diagnostic."""
RULE_ID = re.compile(r"\[([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\]|\b([a-z]+(?:-[a-z]+)+)\b")
"""A rule id or code, as a check finding shows it."""


def positions(text: str) -> list[str]:
    return [found.group(1) for line in text.splitlines() if (found := POSITION.match(line))]


# --- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_every_command_speaks_chinese_by_default_and_english_on_request(
        case: str, places: Places) -> None:
    arguments = filled(CASES[case], places)
    chinese = run(arguments, places.empty, english=False)
    english = run(arguments, places.empty, english=True)
    for proc in (chinese, english):
        assert "Traceback" not in proc.stderr, proc.stderr
    assert chinese.returncode == english.returncode, (chinese.stderr, english.stderr)
    chinese_text = chinese.stdout + chinese.stderr
    english_text = english.stdout + english.stderr
    assert chinese_text.strip(), "the command said nothing"
    allowed = "\n".join([site_texts(places), english_message_terms(), check_rule_texts(),
                         *arguments])
    untranslated = english_lines(chinese_text)
    not_english = chinese_lines(english_text, allowed)
    report = (["English in the default (Chinese) run:", *untranslated] if untranslated else [])
    report += (["Chinese in the --lang en run:", *not_english] if not_english else [])
    assert not report, "\n".join(report)
    assert positions(chinese_text) == positions(english_text)


def test_positions_and_rule_ids_are_the_same_in_both_languages(places: Places) -> None:
    """The check findings of the fixture site: the same places and rule ids in Chinese and in
    English, so that a message stays greppable whatever the language."""
    arguments = ["check", "--project", str(places.good)]
    chinese = run(arguments, places.empty, english=False)
    english = run(arguments, places.empty, english=True)
    assert chinese.returncode == english.returncode
    chinese_lines_ = chinese.stdout.splitlines()
    english_lines_ = english.stdout.splitlines()
    assert len(chinese_lines_) == len(english_lines_) > 1
    for zh, en in zip(chinese_lines_, english_lines_, strict=True):
        assert POSITION.findall(zh) == POSITION.findall(en), (zh, en)
        assert RULE_ID.findall(zh) == RULE_ID.findall(en), (zh, en)
    assert positions(chinese.stdout), chinese.stdout


def test_a_diagnostic_keeps_its_position_first_and_says_its_severity_in_chinese(
        places: Places) -> None:
    arguments = ["validate", "--project", str(places.bad)]
    chinese = run(arguments, places.empty, english=False)
    english = run(arguments, places.empty, english=True)
    [zh] = [line for line in chinese.stdout.splitlines() if "2024-000001-01.yaml:" in line]
    [en] = [line for line in english.stdout.splitlines() if "2024-000001-01.yaml:" in line]
    zh_position, en_position = POSITION.match(zh), POSITION.match(en)
    assert zh_position and en_position and zh_position.group(1) == en_position.group(1)
    assert ":2:" in zh_position.group(1)
    assert zh[zh_position.end():].startswith("错误：") and en[en_position.end():].startswith(
        "error: ")
    assert "个文件" in chinese.stdout and "file(s)" in english.stdout
    json_run = run([*arguments, "--format", "json"], places.empty, english=False)
    assert '"severity": "error"' in json_run.stdout  # JSON keeps the English values


@pytest.mark.parametrize(("locale", "language"), [
    ("en_US.UTF-8", "en"), ("C.UTF-8", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"), ("POSIX", "zh_CN"),
])
def test_the_locale_chooses_english_only_when_it_is_english(
        locale: str, language: str, tmp_path: Path) -> None:
    env = {**chinese_environment(), "LANG": locale}
    proc = run(["validate"], tmp_path, english=False, env=env)
    assert proc.returncode == 1
    if language == "en":
        assert "no site here" in proc.stderr and "error:" in proc.stderr, proc.stderr
    else:
        assert "这里没有网站" in proc.stderr and "错误：" in proc.stderr, proc.stderr


def test_the_option_and_the_variable_win_over_the_locale(tmp_path: Path) -> None:
    english_locale = {**chinese_environment(), "LANG": "en_US.UTF-8"}
    chinese = run(["--lang", "zh_CN", "validate"], tmp_path, english=False, env=english_locale)
    assert "这里没有网站" in chinese.stderr, chinese.stderr
    by_variable = run(["validate"], tmp_path, english=False,
                      env={**english_locale, "SITE_BUILDER_LANG": "zh_CN"})
    assert "这里没有网站" in by_variable.stderr, by_variable.stderr
    english = run(["validate"], tmp_path, english=False,
                  env={**chinese_environment(), "SITE_BUILDER_LANG": "en"})
    assert "no site here" in english.stderr, english.stderr


def test_the_preview_error_page_speaks_the_language_in_use() -> None:
    """The page the preview shows while a build fails (rendered in a subprocess per language,
    the way the preview renders it)."""
    script = ("import sys\n"
              "from site_builder.i18n import set_language\n"
              "from site_builder.diagnostics import error\n"
              "from site_builder.build.serve import error_page\n"
              "set_language(sys.argv[1])\n"
              "page = error_page([error('content/a.yaml', 'x', line=3, col=5)], 1)\n"
              "sys.stdout.write(page.decode())\n")
    pages = {}
    for language in ("zh_CN", "en"):
        proc = subprocess.run([sys.executable, "-c", script, language], capture_output=True,
                              text=True, encoding="utf-8", timeout=60, check=True,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        pages[language] = proc.stdout
    assert '<html lang="zh-CN">' in pages["zh_CN"] and "<h1>构建失败</h1>" in pages["zh_CN"]
    assert "content/a.yaml:3:5: 错误：x" in pages["zh_CN"]
    assert '<html lang="en">' in pages["en"] and "<h1>Build failed</h1>" in pages["en"]
    assert "content/a.yaml:3:5: error: x" in pages["en"]
    assert not english_lines(re.sub(r"<[^>]+>", " ", pages["zh_CN"]))


def test_the_detectors_find_sentences_not_code() -> None:
    """The English detector sees sentences, not paths, options, rule ids or quoted commands;
    the Chinese one sees Chinese that is not allowed."""
    assert english_lines("content/a.yaml:2:3: error: no site here (no site.yaml)") != []
    assert english_lines("Compared with output, this build would:") != []
    assert english_lines(
        "content/2024/a-b.yaml:2:3: 错误：用 --port 换一个端口（--no-such-option）；"
        "'site-builder init DIR'；empty-value；http://127.0.0.1:8000/a/b c\n"
        "用法：site-builder build [-h] [--project DIR]\n"
        "  {init,template,import,validate}") == []
    assert chinese_lines("a.yaml:1:1: error: 文件不存在", "项目支出绩效目标表") != []
    assert chinese_lines("wrote a blank 项目支出绩效目标表: x.xlsx", "项目支出绩效目标表") == []
