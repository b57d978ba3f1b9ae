"""The checks inside ``site-builder build``: report findings, stop on errors with ``--strict``."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.checks import run_checks
from site_builder.checks.config import CheckConfig, load_check_config
from site_builder.checks.finding import Finding
from site_builder.core.outputs import BuildContext
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.model import Site


@dataclass
class _LastRun:
    """The findings of the last site checked, so the build checks each site only once."""

    site: Site | None = None
    config: CheckConfig | None = None
    findings: tuple[Finding, ...] = ()


_last = _LastRun()


def build_findings(context: BuildContext) -> tuple[Finding, ...]:
    """The findings for the site being built (computed once per build)."""
    config = load_check_config(context.root)
    if _last.site is not context.site or _last.config != config:
        _last.findings = tuple(run_checks(context.site, config))
        _last.site, _last.config = context.site, config
    return _last.findings


def findings_made(context: BuildContext) -> tuple[Finding, ...] | None:
    """The findings for the site being built if this process has made them, else None."""
    if _last.site is context.site and _last.config == load_check_config(context.root):
        return _last.findings
    return None


def quality_gate(context: BuildContext, strict: bool,
                 found: tuple[Finding, ...] | None = None) -> tuple[Diagnostic, ...]:
    """Every finding (``found``, else the site's) as a diagnostic; with ``strict``, raise when
    any is an error."""
    findings = build_findings(context) if found is None else found
    errors = [f.to_diagnostic() for f in findings if f.severity == "error"]
    if strict and errors:
        raise SiteBuilderError(errors)
    return tuple(f.to_diagnostic() for f in findings)
