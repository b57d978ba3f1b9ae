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

PACKAGE = Path(site_builder.__file__).parent


def package_source(path: str) -> Path | None:
    """The package file an output file is a plain copy of (static assets, search scripts)."""
    folder, _, name = path.rpartition("/")
    source = PACKAGE / folder / name if folder in ("static", "search") else None
    return source if source is not None and source.is_file() else None


BUILT_CLIENTS = ("search/engine.js", "search/search.js")
"""The package's scripts with the index manifest built in: checked against the package's files
and not kept in golden/."""


def check_built_clients(built: dict[str, bytes]) -> None:
    engine = (PACKAGE / "search/engine.js").read_bytes() + built["search/manifest.js"]
    module = (PACKAGE / "search/search.js").read_bytes()
    assert module.count(b'\nimport "./engine.js";\n') == 1
    assert built.pop("search/engine.js") == engine
    assert built.pop("search/search.js") == module.replace(b'import "./engine.js";\n', engine)


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
