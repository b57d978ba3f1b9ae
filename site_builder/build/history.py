"""The pages of projects seen across years (``history/…html``, see
:mod:`~site_builder.build.history_views`): a producer, with its updater for the preview."""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set

from site_builder.build.history_views import Histories, history_jobs, history_key
from site_builder.build.pages import chrome_of, render_stream
from site_builder.core import urls
from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import Edit, ProducerSpec, Update


def produce(context: BuildContext) -> Iterable[OutputFile]:
    histories = Histories(context.site)
    if not histories.groups:
        return []
    return render_stream(context, list(history_jobs(context.site, chrome_of(context),
                                                    histories)))


class LiveHistories:
    """The updater: the pages of the groups the edited projects were and are in; a group
    that no longer spans two years loses its page, one that now does gains one."""

    def __init__(self, context: BuildContext) -> None:
        self.chrome = chrome_of(context)

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        histories = Histories(context.site)
        keys = {history_key(e.old) for e in edits} | {history_key(e.new) for e in edits}
        jobs = list(history_jobs(context.site, self.chrome, histories, only=keys))
        gone = frozenset(path for path in (urls.history_path(*key) for key in keys
                                           if key not in histories.groups)
                         if path in paths)
        return Update(list(render_stream(context, jobs)) if jobs else [], gone)


PRODUCER = ProducerSpec("history", produce, live=LiveHistories)
"""The pages of projects seen across years."""
