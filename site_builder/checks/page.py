"""The optional published 数据质量 page (``quality.html``), when ``publish_quality_report``."""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.build.outputs import BuildContext, OutputFile, relative_root
from site_builder.build.render import make_environment
from site_builder.checks.gate import build_findings
from site_builder.checks.report import html_context

QUALITY_PAGE = "quality.html"
"""Output path of the published quality page."""


def produce(context: BuildContext) -> Iterator[OutputFile]:
    if not context.settings.get("publish_quality_report"):
        return
    findings = build_findings(context)
    env = make_environment(context.root)
    html = env.get_template("quality.html").render(
        root=relative_root(QUALITY_PAGE), settings=context.settings, site=context.site,
        **html_context(context.site, findings, show_source=False))
    yield OutputFile(QUALITY_PAGE, html.encode("utf-8"))
