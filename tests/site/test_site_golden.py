"""Golden-output test: the fixture site builds to exactly the files in tests/site/golden/.

Regenerate after an intended change with ``REGEN_GOLDEN=1 pytest tests/site/test_site_golden.py``
and review the diff like any other code change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from site_helpers import GOLDEN, build, copy_fixture, tree


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    if os.environ.get("REGEN_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    built, golden = tree(out), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; REGEN_GOLDEN=1 to accept"
    changed = [path for path in built if built[path] != golden[path]]
    assert not changed, f"contents differ: {changed[:10]}; REGEN_GOLDEN=1 to accept"
