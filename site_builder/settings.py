"""Site settings (``site.yaml``): one table drives defaults, type checks, CLI help and docs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from site_builder.content.yamlsafe import YNode, load_yaml_file
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import N_, _
from site_builder.limits import DEFAULT_LIMITS, LIMITS, LIMITS_BY_NAME, InputLimits
from site_builder.sitefiles import check_inside

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
    """What it does, for docs and ``site-builder settings`` (English; :func:`help_text` is
    the text in the language in use)."""


SETTINGS: tuple[Setting, ...] = (
    Setting("title", "text", "项目支出绩效目标公开",
            N_("Site title shown in the header and feed.")),
    Setting("description", "text", "部门预算项目支出绩效目标公开表，可浏览、可检索、可下载。",
            N_("One sentence about the site, for the home page and search engines.")),
    Setting("publisher", "text", "", N_("Who publishes the site (e.g. 祁连县财政局); shown in the "
            "header, the footer and on printed pages.")),
    Setting("base_url", "url", "", N_("Absolute address of the site (http:// or https://, no "
            "spaces), used only in sitemap.xml, robots.txt, the Atom feed, the 404 page and on "
            "printed pages; pages themselves use relative links. --base-url overrides it.")),
    Setting("recent_count", "int", 10, N_("How many recently added projects the home page lists.")),
    Setting("menu_pages", "text", "about", N_("Pages of content/pages/ the main menu links, by "
            "file name without .md, separated by spaces; the footer links every page.")),
    Setting("publish_quality_report", "bool", False, N_("Publish the 数据质量 (quality) page.")),
    Setting("checks", "mapping", {}, N_("Quality rules: rule id → off | error | warning | info.")),
    *(Setting(limit.name, "int", limit.default, f"Input limit: {limit.help}") for limit in LIMITS),
)
"""Every setting, in documentation order."""

_BY_NAME = {s.name: s for s in SETTINGS}


def help_text(setting: Setting) -> str:
    """What ``setting`` does, in the language in use (docs/settings.md keeps the English)."""
    limit = LIMITS_BY_NAME.get(setting.name)
    if limit is not None:
        return _("Input limit: {help}").format(help=_(limit.help))
    return _(setting.help)


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
        problems.append(Diagnostic(node.pos, "error", _("{file} must be a mapping of settings")
                                   .format(file=SETTINGS_FILE),
                                   _("write one 'name: value' per line"), "settings"))
        raise SiteBuilderError(problems)
    for key, (key_node, value_node) in node.value.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(_BY_NAME), n=1)
            hint = _("did you mean '{name}'?").format(name=close[0]) if close else \
                _("see {doc}").format(doc="docs/settings.md")
            problems.append(Diagnostic(key_node.pos, "error", _("unknown setting '{name}'")
                                       .format(name=key), hint, "unknown-setting"))
            continue
        try:
            values[key] = _convert(setting, value_node)
        except ValueError as exc:
            problems.append(Diagnostic(value_node.pos, "error", str(exc), help_text(setting),
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
            raise ValueError(_("'{name}' must be a mapping").format(name=setting.name))
        return {k: (v.value if v.kind == "str" else None) for k, (_k, v) in node.value.items()}
    if node.kind != "str":
        raise ValueError(_("'{name}' must be a single value, not {found}").format(
            name=setting.name, found=node.describe()))
    return _convert_text(setting, node.value)


def _convert_text(setting: Setting, text: str) -> Any:
    """The value of a single-valued setting written as ``text``; ValueError when invalid."""
    if setting.type == "int":
        if not text.strip().isdigit():
            raise ValueError(_("'{name}' must be a whole number, not {value}").format(
                name=setting.name, value=repr(text)))
        return int(text)
    if setting.type == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(_("'{name}' must be true or false, not {value}").format(
                name=setting.name, value=repr(text)))
        return text.lower() == "true"
    if setting.type == "url":
        problem = url_problem(text)
        if problem:
            raise ValueError(_("'{name}' must be a full address beginning with http:// or "
                               "https://, e.g. {example}: {problem}").format(
                                   name=setting.name, example="https://czj.example.gov.cn/jxmb/",
                                   problem=problem))
    return text


def url_problem(text: str) -> str:
    """What keeps ``text`` from being the site's address ("" when it may be: empty, or an
    absolute http(s) address without spaces, control characters, user name, query or
    fragment).  It reaches robots.txt, the sitemap, the feed and the 404 page's ``<base>``."""
    if not text:
        return ""
    if any(char.isspace() or not char.isprintable() for char in text):
        return _("an address cannot hold spaces, line breaks or control characters")
    try:
        parts = urlsplit(text)
    except ValueError:
        return _("this is not an address")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("an address begins with http:// or https://, then the site's domain name")
    if "@" in parts.netloc:
        return _("an address cannot hold a user name or password")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        return _("an address cannot hold ? or #")
    return ""


def option_value(name: str, text: str, shown: str) -> Any:
    """The value of the command-line option ``shown`` that stands for setting ``name``,
    checked like the setting; :class:`SiteBuilderError` when it is not valid."""
    setting = _BY_NAME[name]
    try:
        return _convert_text(setting, text)
    except ValueError as exc:
        raise SiteBuilderError([Diagnostic(Position(shown), "error", str(exc), help_text(setting),
                                           "setting-type")]) from None


def settings_doc() -> str:
    """Markdown table of every setting (docs/settings.md is generated from it)."""
    lines = ["| setting | type | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | {s.type} | `{s.default!r}` | {s.help} |")
    return "\n".join(lines) + "\n"
