"""Golden-output test: the fixture site builds to exactly the files in tests/site/golden/.

Regenerate after an intended change with ``REGEN_GOLDEN=1 pytest tests/site/test_site_golden.py``
and review the diff like any other code change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from site_helpers import GOLDEN, build, copy_fixture, tree

import site_builder
from site_builder.search.producer import client_files

PACKAGE = Path(site_builder.__file__).parent


def package_source(path: str) -> Path | None:
    """The package file an output file is a plain copy of (static assets)."""
    folder, _, name = path.rpartition("/")
    source = PACKAGE / folder / name if folder == "static" else None
    return source if source is not None and source.is_file() else None


BUILT_CLIENTS = tuple(f.path for f in client_files(b""))
"""The search scripts, made from the package's files (the manifest built into two of them):
checked against what the producer makes of them and not kept in golden/."""


def check_built_clients(built: dict[str, bytes]) -> None:
    module = (PACKAGE / "search/search.js").read_bytes()
    assert module.count(b'\nimport "./engine.js";\n') == 1
    for made in client_files(built["search/manifest.js"]):
        assert built.pop(made.path) == made.data, made.path
    assert b"SiteBuilderSearch.receive(\"manifest\"" in built["search/manifest.js"]


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    built = tree(out)
    check_built_clients(built)
    copies = {path: package_source(path) for path in built}
    for path, source in copies.items():
        if source is not None:  # compared with the package file, not kept twice in golden/
            assert built.pop(path) == source.read_bytes(), f"{path} differs from {source}"
    if os.environ.get("REGEN_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
        for path, source in copies.items():
            if source is not None:
                (GOLDEN / path).unlink()
        for path in BUILT_CLIENTS:
            (GOLDEN / path).unlink()
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; REGEN_GOLDEN=1 to accept"
    changed = [path for path in built if built[path] != golden[path]]
    assert not changed, f"contents differ: {changed[:10]}; REGEN_GOLDEN=1 to accept"
