"""The optional published 数据质量 page (``quality.html``), when ``publish_quality_report``."""

from __future__ import annotations

from collections.abc import Iterable

from site_builder.build.pages import chrome_of, render
from site_builder.build.renderer import PageJob
from site_builder.checks.gate import build_findings
from site_builder.checks.report import html_context
from site_builder.core.outputs import BuildContext, OutputFile, ProducerSpec

QUALITY_PAGE = "quality.html"
"""Output path of the published quality page."""


def produce(context: BuildContext) -> Iterable[OutputFile]:
    if not context.settings.get("publish_quality_report"):
        return []
    data = html_context(context.site, build_findings(context), show_source=False)
    job = PageJob(QUALITY_PAGE, "quality.html", {"chrome": chrome_of(context), **data})
    return render(context, [job])



def produce_with_findings(context: BuildContext) -> Iterable[OutputFile]:
    """The quality findings, made whether or not the site publishes them (for the build's
    quality gate, in whichever process is free), and the page."""
    build_findings(context)
    return produce(context)


PRODUCER = ProducerSpec("quality", produce, pieces=(produce_with_findings,))
"""The published 数据质量 page; as a piece, the findings too."""
