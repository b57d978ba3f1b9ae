"""The writer's streamed files: written piece by piece, linked when unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.build.writer import Staging, put_stream, safe_relative
from site_builder.core.outputs import OutputFile, OutputStream
from site_builder.diagnostics import SiteBuilderError


def test_a_streamed_file_is_written_in_order(tmp_path: Path) -> None:
    with Staging(tmp_path / "out") as staging:
        staging.write([OutputStream("data/big.json", iter([b"[", b"1,", b"2]"])),
                       OutputFile("small.txt", b"x")])
        staging.commit()
    assert (tmp_path / "out/data/big.json").read_bytes() == b"[1,2]"


@pytest.mark.parametrize(("old", "new", "linked"), [
    (b"abcdef", [b"abc", b"def"], True), (b"abcdef", [b"abc", b"deg"], False),
    (b"abcdef", [b"abc", b"de"], False), (b"abcde", [b"abc", b"def"], False),
    (b"", [], True), (b"", [b"a"], False)])
def test_an_unchanged_streamed_file_is_linked(tmp_path: Path, old: bytes, new: list[bytes],
                                              linked: bool) -> None:
    previous, target = tmp_path / "previous", tmp_path / "target"
    previous.write_bytes(old)
    put_stream(target, iter(new), previous)
    assert target.read_bytes() == b"".join(new)
    assert (target.stat().st_ino == previous.stat().st_ino) is linked


def test_a_streamed_file_never_links_to_a_symbolic_link(tmp_path: Path) -> None:
    real, previous, target = tmp_path / "real", tmp_path / "previous", tmp_path / "target"
    real.write_bytes(b"same")
    previous.symlink_to(real)
    put_stream(target, iter([b"same"]), previous)
    assert target.read_bytes() == b"same" and real.stat().st_nlink == 1
    put_stream(tmp_path / "fresh", iter([b"x"]), tmp_path / "missing")
    assert (tmp_path / "fresh").read_bytes() == b"x"


@pytest.mark.parametrize("path", ["a/..", "a/x\\y", "a/x\0y", "/a/b", "~x", "a/~x",
                                  "a/../b", "a//c.html", "a/./d.html", "../a/e.html"])
def test_paths_in_a_known_folder_are_checked_like_any(tmp_path: Path, path: str) -> None:
    with Staging(tmp_path / "out") as staging:
        staging.write([OutputFile("a/first.html", b"1")])  # the folder "a" is known now
        try:
            safe_relative(path)
            expected = True
        except SiteBuilderError:
            expected = False
        if expected:
            staging.write([OutputFile(path, b"2")])
            assert (staging.root / safe_relative(path)).read_bytes() == b"2"
        else:
            with pytest.raises(SiteBuilderError):
                staging.write([OutputFile(path, b"2")])
