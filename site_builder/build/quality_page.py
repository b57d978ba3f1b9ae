"""The optional published 数据质量 page (``quality.html``), when ``publish_quality_report``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set

from site_builder.build.pages import chrome_of, render
from site_builder.build.renderer import PageJob
from site_builder.checks.gate import build_findings
from site_builder.checks.report import html_context
from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import Edit, ProducerSpec, Update

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


class LiveQuality:
    """The quality page's updater: the page made again (the checks run on the edited site)."""

    def __init__(self, context: BuildContext) -> None:
        del context

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        return Update(list(produce(context)))


PRODUCER = ProducerSpec("quality", produce, pieces=(produce_with_findings,), live=LiveQuality)
"""The published 数据质量 page; as a piece, the findings too."""
