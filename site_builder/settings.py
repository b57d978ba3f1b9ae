"""Site settings (``site.yaml``): one table drives defaults, type checks, CLI help and docs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.limits import DEFAULT_LIMITS, LIMITS, InputLimits
from site_builder.sitefiles import check_inside
from site_builder.yamlsafe import YNode, load_yaml_file

SETTINGS_FILE = "site.yaml"
"""Name of the settings file at the root of a site."""

SettingType = Literal["text", "int", "bool", "url", "mapping"]


@dataclass(frozen=True)
class Setting:
    """One key of ``site.yaml``."""

    name: str
    """The key."""
    type: SettingType
    """How the value is read: text, int, bool (true/false), url (an absolute http or https
    address, or empty) or a mapping."""
    default: Any
    """Value used when the key is absent."""
    help: str
    """What it does, for docs and ``site-builder settings``."""


SETTINGS: tuple[Setting, ...] = (
    Setting("title", "text", "项目支出绩效目标公开", "Site title shown in the header and feed."),
    Setting("description", "text", "部门预算项目支出绩效目标公开表，可浏览、可检索、可下载。",
            "One sentence about the site, for the home page and search engines."),
    Setting("publisher", "text", "", "Who publishes the site (e.g. 祁连县财政局); shown in the "
            "header, the footer and on printed pages."),
    Setting("base_url", "url", "", "Absolute address of the site (http:// or https://, no "
            "spaces), used only in sitemap.xml, robots.txt, the Atom feed, the 404 page and on "
            "printed pages; pages themselves use relative links. --base-url overrides it."),
    Setting("recent_count", "int", 10, "How many recently added projects the home page lists."),
    Setting("menu_pages", "text", "about", "Pages of content/pages/ the main menu links, by "
            "file name without .md, separated by spaces; the footer links every page."),
    Setting("publish_quality_report", "bool", False, "Publish the 数据质量 (quality) page."),
    Setting("checks", "mapping", {}, "Quality rules: rule id → off | error | warning | info."),
    *(Setting(limit.name, "int", limit.default, f"Input limit: {limit.help}") for limit in LIMITS),
)
"""Every setting, in documentation order."""

_BY_NAME = {s.name: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}


def load_settings(root: Path) -> dict[str, Any]:
    """Read ``site.yaml`` (all defaults when absent); raise :class:`SiteBuilderError` on errors."""
    values = defaults()
    path = root / SETTINGS_FILE
    if not path.exists():
        return values
    check_inside(root, path)  # a link to outside the site is never read
    node = load_yaml_file(path, SETTINGS_FILE)
    if node is None:
        return values
    problems: list[Diagnostic] = []
    if node.kind != "map":
        problems.append(Diagnostic(node.pos, "error", "site.yaml must be a mapping of settings",
                                   "write one 'name: value' per line", "settings"))
        raise SiteBuilderError(problems)
    for key, (key_node, value_node) in node.value.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(_BY_NAME), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see docs/settings.md"
            problems.append(Diagnostic(key_node.pos, "error", f"unknown setting '{key}'", hint,
                                       "unknown-setting"))
            continue
        try:
            values[key] = _convert(setting, value_node)
        except ValueError as exc:
            problems.append(Diagnostic(value_node.pos, "error", str(exc), setting.help,
                                       "setting-type"))
    if problems:
        raise SiteBuilderError(problems)
    return values


def limits_for(root: Path) -> InputLimits:
    """The input limits of the site at ``root``: the ``limit_*`` settings of its ``site.yaml``
    (defaults for those it leaves out; all defaults when there is no ``site.yaml``).  A
    ``site.yaml`` with errors raises :class:`SiteBuilderError`, so that a raised limit is never
    silently ignored."""
    if not (root / SETTINGS_FILE).is_file():
        return DEFAULT_LIMITS
    return InputLimits.from_settings(load_settings(root))


def _convert(setting: Setting, node: YNode) -> Any:
    if node.kind == "null":
        return setting.default
    if setting.type == "mapping":
        if node.kind != "map":
            raise ValueError(f"'{setting.name}' must be a mapping")
        return {k: (v.value if v.kind == "str" else None) for k, (_, v) in node.value.items()}
    if node.kind != "str":
        raise ValueError(f"'{setting.name}' must be a single value, not {node.describe()}")
    return _convert_text(setting, node.value)


def _convert_text(setting: Setting, text: str) -> Any:
    """The value of a single-valued setting written as ``text``; ValueError when invalid."""
    if setting.type == "int":
        if not text.strip().isdigit():
            raise ValueError(f"'{setting.name}' must be a whole number, not {text!r}")
        return int(text)
    if setting.type == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"'{setting.name}' must be true or false, not {text!r}")
        return text.lower() == "true"
    if setting.type == "url":
        problem = url_problem(text)
        if problem:
            raise ValueError(f"“{setting.name}”必须是以 http:// 或 https:// 开头的完整网址，"
                             f"例如 https://czj.example.gov.cn/jxmb/：{problem}")
    return text


def url_problem(text: str) -> str:
    """What keeps ``text`` from being the site's address ("" when it may be: empty, or an
    absolute http(s) address without spaces, control characters, user name, query or
    fragment).  It reaches robots.txt, the sitemap, the feed and the 404 page's ``<base>``."""
    if not text:
        return ""
    if any(char.isspace() or not char.isprintable() for char in text):
        return "网址里不能有空格、换行或控制字符"
    try:
        parts = urlsplit(text)
    except ValueError:
        return "这不是一个网址"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "网址要以 http:// 或 https:// 开头，后面是网站的域名"
    if "@" in parts.netloc:
        return "网址里不能有用户名或密码"
    if parts.query or parts.fragment or "?" in text or "#" in text:
        return "网址里不能有 ? 或 #"
    return ""


def option_value(name: str, text: str, shown: str) -> Any:
    """The value of the command-line option ``shown`` that stands for setting ``name``,
    checked like the setting; :class:`SiteBuilderError` when it is not valid."""
    setting = _BY_NAME[name]
    try:
        return _convert_text(setting, text)
    except ValueError as exc:
        raise SiteBuilderError([Diagnostic(Position(shown), "error", str(exc), setting.help,
                                           "setting-type")]) from None


def settings_doc() -> str:
    """Markdown table of every setting (docs/settings.md is generated from it)."""
    lines = ["| setting | type | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | {s.type} | `{s.default!r}` | {s.help} |")
    return "\n".join(lines) + "\n"
