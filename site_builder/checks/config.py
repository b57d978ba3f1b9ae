"""The ``checks`` setting of ``site.yaml``: rule id → off | error | warning | info."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from site_builder.checks.registry import BY_ID, RULES
from site_builder.content.yamlsafe import YNode, load_yaml_file
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.i18n import _
from site_builder.settings import SETTINGS_FILE

Level = Literal["off", "error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("off", "error", "warning", "info")
"""What a rule may be set to."""


@dataclass(frozen=True)
class CheckConfig:
    """The effective level of every rule."""

    levels: dict[str, Level]
    """Rule id → level, for every rule in the registry."""

    def enabled(self) -> frozenset[str]:
        return frozenset(rule for rule, level in self.levels.items() if level != "off")


def default_config() -> CheckConfig:
    return CheckConfig({rule.id: rule.severity for rule in RULES})


def load_check_config(root: Path) -> CheckConfig:
    """Read the ``checks`` mapping; unknown rules and levels are errors with ``file:line``."""
    path = root / SETTINGS_FILE
    node = load_yaml_file(path, SETTINGS_FILE) if path.is_file() else None
    entry = node.value.get("checks") if node is not None and node.kind == "map" else None
    if entry is None or entry[1].kind == "null":
        return default_config()
    return configure(entry[1])


def configure(node: YNode) -> CheckConfig:
    """Apply a ``checks`` mapping node to the defaults."""
    if node.kind != "map":
        raise SiteBuilderError([Diagnostic(
            node.pos, "error", _("'{name}' must be a mapping of rule id to level").format(
                name="checks"),
            _("write one '{example}' per line; see {doc}").format(
                example="rule-id: off|error|warning|info", doc="docs/checks.md"),
            "checks-setting")])
    levels = dict(default_config().levels)
    problems: list[Diagnostic] = []
    for rule, (key, value) in node.value.items():
        level = value.value.strip().lower() if value.kind == "str" else ""
        if rule not in BY_ID:
            close = difflib.get_close_matches(rule, list(BY_ID), n=1, cutoff=0.5)
            hint = _("did you mean '{name}'?").format(name=close[0]) if close else \
                _("see {doc} for rule ids").format(doc="docs/checks.md")
            problems.append(Diagnostic(key.pos, "error", _("unknown check rule '{rule}'").format(
                rule=rule), hint, "unknown-rule"))
        elif level not in LEVELS:
            problems.append(Diagnostic(
                value.pos, "error", _("rule '{rule}' is set to {value}, not a level").format(
                    rule=rule, value=_shown(value)),
                _("use off, error, warning or info"), "checks-level"))

        else:
            levels[rule] = cast(Level, level)
    if problems:
        raise SiteBuilderError(problems)
    return CheckConfig(levels)


def _shown(node: YNode) -> str:
    return repr(node.value) if node.kind == "str" else node.describe()
