"""Old and other office formats converted by LibreOffice, then read as .docx or .xlsx.

Word 97-2003 (``.doc``), WPS (``.wps``), RTF and OpenDocument text become ``.docx``; Excel
97-2003 (``.xls``), WPS spreadsheets (``.et``) and OpenDocument spreadsheets (``.ods``) become
``.xlsx``.  LibreOffice keeps sheet names, cell addresses, merged cells and number formats, so
positions in messages still name the clerk's own sheets and cells.

LibreOffice is the program named by the ``SITE_BUILDER_LIBREOFFICE`` environment variable,
else ``soffice`` or ``libreoffice`` found on ``PATH``.  Each conversion runs headless with a
profile of its own in a temporary folder (so it never touches, or waits for, a LibreOffice the
clerk has open), without macros, within the time left of ``limit_seconds``; the temporary
folder is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.limits import Deadline, exceeded

ENVIRONMENT = "SITE_BUILDER_LIBREOFFICE"
"""Environment variable naming the LibreOffice program (``soffice``) to use."""
PROGRAMS = ("soffice", "libreoffice")
"""Names LibreOffice is looked for under on ``PATH``."""

INSTALL_HINT = ("请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui "
                "libreoffice-calc-nogui；Windows：安装 LibreOffice 后把其 program 文件夹加入 "
                f"PATH），或用环境变量 {ENVIRONMENT} 指明 soffice 程序的位置；也可以在 Word、"
                "Excel 或 WPS 中把文件另存为 .docx 或 .xlsx 后再导入")
"""What to do when LibreOffice is missing."""


def libreoffice() -> str | None:
    """The LibreOffice program to run, or None when there is none."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        found = shutil.which(named)
        return found if found else None
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


@contextmanager
def converted(path: Path, shown: str, what: str, source_suffix: str, target: str,
              deadline: Deadline) -> Iterator[Path]:
    """The file at ``path`` converted to ``target`` (``docx`` or ``xlsx``) in a temporary folder.

    ``what`` names the file's kind in messages; ``source_suffix`` is the extension the copy
    given to LibreOffice gets (it picks its import filter partly by name).
    """
    program = libreoffice()
    if program is None:
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", f"这是{what}，读取它需要 LibreOffice，但本机没有找到"
            f"{'（' + ENVIRONMENT + ' 指向的程序不存在）' if os.environ.get(ENVIRONMENT) else ''}"
            "，没有导入", INSTALL_HINT, "no-libreoffice")])
    with tempfile.TemporaryDirectory(prefix="site-builder-convert-") as folder:
        work = Path(folder)
        source = work / f"input{source_suffix}"
        shutil.copyfile(path, source)
        out = work / "out"
        out.mkdir()
        _run([program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
              "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
              "--convert-to", target, "--outdir", str(out), str(source)],
             work, shown, what, deadline)
        result = out / f"input.{target}"
        if not result.is_file():
            raise SiteBuilderError([Diagnostic(
                Position(shown), "error", f"LibreOffice 无法把这个{what}转换为 .{target}"
                "（文件可能已损坏、设有密码，或并不是它的扩展名所说的格式），没有导入",
                f"请用 Word、Excel 或 WPS 打开它，另存为 .{target} 后再导入",
                "conversion-failed")])
        yield result


def _run(command: list[str], work: Path, shown: str, what: str, deadline: Deadline) -> None:
    """Run LibreOffice in a process group of its own, killed whole when time runs out."""
    left = deadline.seconds - (time.monotonic() - deadline.start)
    if left <= 0:
        deadline.check()
    env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp", "LANG": "C.UTF-8"}
    process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=max(left, 1))
    except subprocess.TimeoutExpired:
        _kill(process)
        raise exceeded("limit_seconds", int(time.monotonic() - deadline.start),
                       deadline.seconds, Position(shown)) from None
    finally:
        _kill(process)
    if process.returncode != 0:
        last = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", f"LibreOffice 转换这个{what}时出错（退出码 "
            f"{process.returncode}{'：' + last[0][:200] if last else ''}），没有导入",
            "请用 Word、Excel 或 WPS 打开它，另存为 .docx 或 .xlsx 后再导入",
            "conversion-failed")])


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End the LibreOffice process group (it may have started helpers of its own); on
    Windows, which has no process groups of this kind, the process itself."""
    with suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    process.wait()
