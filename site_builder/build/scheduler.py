"""Who makes what, in which process: the only module of the build that knows processes,
forking and memory trimming.

A small site, or a build with one job, runs every producer's :attr:`ProducerSpec.produce`
in order, in this process.  A large site with several jobs is made by two processes: this
one (the building process) and a background one forked from it; :data:`LAYOUT` says which
pieces each makes, and the pieces it does not name are *shared*: either process takes them,
one at a time, when done with its own.  The producers' ``final`` files come last, here, from
what all the pieces noted.  Changing the process layout means changing :data:`LAYOUT`.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from site_builder import processes
from site_builder.build.writer import Staging
from site_builder.checks.finding import Finding
from site_builder.checks.gate import findings_made
from site_builder.core.background import Background, give_back_memory
from site_builder.core.outputs import BuildContext, BuildStats, Output, Producer
from site_builder.core.producers import ProducerSpec

BACKGROUND_FROM = 2000
"""Projects from which a build with several jobs is made by two processes; below, forking
costs more than it saves."""

LAYOUT: dict[str, tuple[str, ...]] = {
    "building": ("pages/0", "static"),
    "background": ("search", "pages/1"),
    "shared": ("quality/0", "open data/0", "open data/1", "open data/2", "workbooks/0",
               "workbooks/1"),
}
"""The pieces (see :meth:`ProducerSpec.piece_names`) the building process makes, the ones
the background process makes, and the order in which the shared ones are taken (pieces not
named here are shared too, after these).  The building process makes the home and project
pages; the background one the search index and the listing pages (the two take about as
long at 10,000 projects); the quality findings, the open-data files and the workbooks go to
whichever is free.  The background process also writes the content cache."""


@dataclass(frozen=True)
class Split:
    """A build's pieces shared out over two processes."""

    building: list[Producer]
    """Made in the building process."""
    background: list[Producer]
    """Made in the background process."""
    shared: list[Producer]
    """Taken by whichever process is free first."""
    final: list[Producer]
    """Made in the building process once both are done."""


def split_producers(context: BuildContext, specs: Sequence[ProducerSpec]) -> Split | None:
    """:data:`LAYOUT` applied to ``specs``, with several jobs and a large site; else None."""
    if context.jobs < 2 or len(context.site.projects) < BACKGROUND_FROM or not processes.can_fork():
        return None
    pieces = {name: piece for spec in specs for name, piece in spec.piece_names().items()}
    unknown = sorted(set(name for names in LAYOUT.values() for name in names) - set(pieces))
    if unknown:
        raise ValueError(f"scheduler.LAYOUT names pieces no producer has: {unknown}")
    placed = {name for names in LAYOUT.values() for name in names}
    return Split(building=[pieces[name] for name in LAYOUT["building"]],
                 background=[pieces[name] for name in LAYOUT["background"]],
                 shared=[pieces[name] for name in LAYOUT["shared"]]
                 + [piece for name, piece in pieces.items() if name not in placed],
                 final=[spec.final for spec in specs if spec.pieces and spec.final])


class SharedWork:
    """Producers that the building process and the background process take one at a time,
    in order, each when done with its own work: which process is done first depends on the
    site (at 10,000 projects the background one, at 50,000 the building one).  The count of
    producers taken lives in shared memory; make this before the fork."""

    def __init__(self, producers: Sequence[Producer]) -> None:
        self.producers = list(producers)
        self._taken = multiprocessing.get_context("fork").Value("i", 0)

    def take(self) -> Producer | None:
        """The next producer nobody has taken yet, or None."""
        with self._taken.get_lock():
            number = self._taken.value
            self._taken.value = number + 1
        return self.producers[number] if number < len(self.producers) else None

    def run(self, context: BuildContext, write: Callable[[Iterable[Output]], object]) -> None:
        """Take producers until none is left, handing each one's files to ``write``."""
        while (producer := self.take()) is not None:
            write(producer(context))


SaveCache = Callable[[], None]
"""Writes the content cache (in the background process when there is one)."""


@dataclass(frozen=True)
class Behind:
    """What the background process made."""

    paths: list[str]
    """Files it wrote into the staging folder."""
    stats: BuildStats
    """Its counters."""
    findings: tuple[Finding, ...] | None
    """The quality findings, if it made them."""


def _behind(context: BuildContext, staging: Staging, produce: list[Producer],
            shared: SharedWork, save_cache: SaveCache) -> Behind:
    """The background process's work: the content cache, ``produce``, then ``shared`` work.
    It reports no progress (the terminal belongs to the building process) and forks no
    workers (but search may fork one process of its own)."""
    save_cache()
    context.stats.clear()  # its own counters only
    context = replace(context, jobs=1, progress=None)
    paths: list[str] = []
    for one in produce:
        paths.extend(staging.write_unclaimed(one(context)))
        give_back_memory()
    shared.run(context, lambda files: paths.extend(staging.write_unclaimed(files)))
    return Behind(paths, context.stats, findings_made(context))


def produce(context: BuildContext, specs: Sequence[ProducerSpec], staging: Staging,
            save_cache: SaveCache) -> tuple[Finding, ...] | None:
    """Write every file of ``specs`` into ``staging`` and the content cache; the quality
    findings if the background process made them (else None: this process has them, or
    nobody made them yet)."""
    split = split_producers(context, specs)
    if split is None:
        save_cache()
        for spec in specs:
            staging.write(spec.produce(context))
        return None
    shared = SharedWork(split.shared)
    with Background(partial(_behind, context, staging, split.background, shared, save_cache)
                    ) as background:
        # The background process takes one of the jobs: a render worker more would only
        # compete with it for the cores, and hold its own copy of the site.
        here = replace(context, jobs=context.jobs - 1)
        for one in split.building:
            staging.write(one(here))
        give_back_memory()
        shared.run(context, staging.write)
        done = background.result()
    staging.claim(done.paths)
    context.stats.add(done.stats)
    for one in split.final:
        staging.write(one(context))
    return done.findings
