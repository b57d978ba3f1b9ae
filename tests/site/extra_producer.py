"""A producer made for the scheduler's tests (not part of the product): one text file."""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import ProducerSpec


def produce(context: BuildContext) -> Iterator[OutputFile]:
    yield OutputFile("extra/count.txt", f"{len(context.site.projects)}\n".encode())


PRODUCER = ProducerSpec("extra", produce)
"""What a new producer declares: a name and what makes its files."""
