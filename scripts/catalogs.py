"""Keep the message catalogs in step with the code (Babel; a developer's tool, not run by a build).

    python scripts/catalogs.py update   # extract the marked messages, merge them into
                                        # site_builder/locale/zh_CN/LC_MESSAGES/site_builder.po
                                        # (new ones untranslated), compile the .mo
    python scripts/catalogs.py compile  # compile the .po into the .mo only
    python scripts/catalogs.py check    # list untranslated or fuzzy messages, a stale .mo
    python scripts/catalogs.py merge OTHER.po   # take OTHER's translations of messages this
                                                # catalog leaves untranslated (after a git merge)

Messages are marked in the code with ``_()``, ``N_()``, ``ngettext()`` and ``pgettext()`` of
:mod:`site_builder.i18n`. argparse's own messages (``usage: ``, ``the following arguments are
required: %s``…) are extracted from the running Python's ``argparse`` module, so that the
catalog translates them too.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "site_builder"
LOCALE = "zh_CN"
PO_FILE = PACKAGE / "locale" / LOCALE / "LC_MESSAGES" / "site_builder.po"
MO_FILE = PO_FILE.with_suffix(".mo")
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2),
                            "pgettext": ((1, "c"), 2)}


def template() -> Catalog:
    """Every message marked in the package, plus argparse's own."""
    catalog = Catalog(project="site-builder", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, locations=[(f"site_builder/{filename}", lineno)],
                    auto_comments=comments, context=context)
    with open(argparse.__file__, "rb") as source:
        for lineno, message, comments, context in extract_from_file(
                "python", source.name, keywords={"_": None, "ngettext": (1, 2)}):
            del comments, lineno
            catalog.add(message, locations=[("argparse.py", 0)], context=context)
    return catalog


def read_catalog() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale=LOCALE)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, omit_header=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update() -> None:
    """Merge the code's messages into the .po (translations kept) and compile the .mo."""
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    if PO_FILE.exists():
        catalog = read_catalog()
    else:
        catalog = Catalog(locale=LOCALE, project="site-builder", fuzzy=False)
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date = catalog.creation_date = catalog.creation_date.replace(
        year=2026, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    PO_FILE.write_bytes(po_bytes(catalog))
    compile_mo()


def compile_mo() -> None:
    MO_FILE.write_bytes(mo_bytes(read_catalog()))


def merge(other: Path) -> None:
    """Fill this catalog's untranslated messages from ``other`` (a branch's copy), then update."""
    catalog = read_catalog()
    with other.open("rb") as handle:
        theirs = read_po(handle, locale=LOCALE)
    for message in theirs:
        if not message.id or not message.string:
            continue
        ours = catalog.get(message.id, message.context)
        if ours is None:
            catalog[message.id] = message
        elif not ours.string or (isinstance(ours.string, tuple) and not all(ours.string)):
            ours.string = message.string
            ours.flags.discard("fuzzy")
    PO_FILE.write_bytes(po_bytes(catalog))
    update()


def problems() -> list[str]:
    """What is wrong with the catalog: untranslated, fuzzy or missing messages, a stale .mo."""
    if not PO_FILE.exists():
        return [f"{PO_FILE} is missing: run python scripts/catalogs.py update"]
    catalog = read_catalog()
    wanted = {message.id for message in template() if message.id}
    found: list[str] = []
    present = set()
    for message in catalog:
        if not message.id:
            continue
        present.add(message.id)
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            found.append(f"untranslated: {key!r}")
        elif message.fuzzy:
            found.append(f"fuzzy: {key!r}")
        for check_error in message.check(catalog):
            found.append(f"format: {key!r}: {check_error}")
    for missing in sorted(str(m) for m in wanted - present):
        found.append(f"not in the catalog (run update): {missing!r}")
    if not MO_FILE.exists() or MO_FILE.read_bytes() != mo_bytes(catalog):
        found.append(f"{MO_FILE.name} is stale: run python scripts/catalogs.py compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_mo()
    elif command == "merge":
        merge(Path(argv[1]))
    found = problems()
    for line in found:
        print(line)
    if command == "check":
        return 1 if found else 0
    print(f"{len(found)} problem(s) left in {PO_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
