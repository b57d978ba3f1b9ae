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
from site_builder.i18n import N_, _
from site_builder.limits import Deadline, exceeded

ENVIRONMENT = "SITE_BUILDER_LIBREOFFICE"
"""Environment variable naming the LibreOffice program (``soffice``) to use."""
PROGRAMS = ("soffice", "libreoffice")
"""Names LibreOffice is looked for under on ``PATH``."""

INSTALL_HINT = N_("Install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                  "libreoffice-calc-nogui; Windows: install LibreOffice and add its program "
                  "folder to PATH), or name the soffice program with the environment variable "
                  "{variable}; you can also save the file as .docx or .xlsx in Word, Excel or "
                  "WPS and import that")
"""What to do when LibreOffice is missing (``{variable}`` is :data:`ENVIRONMENT`)."""


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

    ``what`` names the file's kind in messages (English, translated when shown);
    ``source_suffix`` is the extension the copy given to LibreOffice gets (it picks its
    import filter partly by name).
    """
    program = libreoffice()
    if program is None:
        message = (_("This file ({what}) needs LibreOffice to be read, and LibreOffice was not "
                     "found on this computer (the program {variable} names does not exist); "
                     "nothing was imported") if os.environ.get(ENVIRONMENT) else
                   _("This file ({what}) needs LibreOffice to be read, and LibreOffice was not "
                     "found on this computer; nothing was imported"))
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", message.format(what=_(what), variable=ENVIRONMENT),
            _(INSTALL_HINT).format(variable=ENVIRONMENT), "no-libreoffice")])
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
                Position(shown), "error",
                _("LibreOffice could not convert this file ({what}) to .{target} (the file may "
                  "be damaged, have a password, or not be the format its extension says); "
                  "nothing was imported").format(what=_(what), target=target),
                _("Open it in Word, Excel or WPS, save it as .{target}, then import "
                  "it").format(target=target),
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
        output, _stderr = process.communicate(timeout=max(left, 1))
    except subprocess.TimeoutExpired:
        _kill(process)
        raise exceeded("limit_seconds", int(time.monotonic() - deadline.start),
                       deadline.seconds, Position(shown)) from None
    finally:
        _kill(process)
    if process.returncode != 0:
        last = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
        message = (_("LibreOffice failed converting this file ({what}) (exit code {code}: "
                     "{output}); nothing was imported") if last else
                   _("LibreOffice failed converting this file ({what}) (exit code {code}); "
                     "nothing was imported"))
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", message.format(what=_(what), code=process.returncode,
                                                     output=last[0][:200] if last else ""),
            _("Open the file in Word, Excel or WPS, save it as .docx or .xlsx, then import "
              "it"),
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
