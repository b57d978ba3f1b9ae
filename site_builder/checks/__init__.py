"""Data-quality checks (审核) of 项目支出绩效目标表: one module per rule family.

:func:`run_checks` runs every enabled rule over a :class:`~site_builder.model.Site` and returns
the findings with the severities ``site.yaml`` asks for, sorted by position.  Checks only point
mistakes out; the published values are never changed.
"""

from __future__ import annotations

from site_builder.checks import copypaste, evaluation, money, structure, timing, values
from site_builder.checks.config import CheckConfig, default_config
from site_builder.checks.finding import Finding
from site_builder.model import Site

FAMILY_MODULES = (structure, values, money, timing, copypaste, evaluation)
"""Each rule family's module, in the order of :data:`registry.FAMILIES`."""


def run_checks(site: Site, config: CheckConfig | None = None) -> list[Finding]:
    """Every finding of the enabled rules, with configured severities, sorted by position."""
    config = config or default_config()
    enabled = config.enabled()
    found: list[Finding] = []
    for module in FAMILY_MODULES:
        for finding in module.check(site, enabled):
            level = config.levels[finding.rule]
            if level != "off":
                found.append(finding if level == finding.severity else
                             finding.with_severity(level))
    found.sort(key=lambda f: (f.pos.path, f.pos.line, f.pos.col, f.rule, f.message))
    return found
