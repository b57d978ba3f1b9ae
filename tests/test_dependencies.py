"""Which way the packages of ``site_builder`` depend (see docs/architecture.md).

Every module is parsed with :mod:`ast` (nothing is imported), so a violation is found even in
a module no test runs.  The rules:

- search, the quality checks and the open-data formats never import :mod:`site_builder.build`
  (the pipeline, the page renderer and the writer); what they share with it lives in
  :mod:`site_builder.core`;
- :mod:`site_builder.core` and the content package (:mod:`site_builder.content`) import no
  feature package (build, search, checks, importers, commands);
- no module imports another module's private (``_name``) names, neither ``from x import _y``
  nor ``x._y``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"

NOT_BUILD = ("site_builder.search", "site_builder.checks", "site_builder.export",
             "site_builder.export_xlsx", "site_builder.export_evaluation_xlsx",
             "site_builder.xlsx_layout")
"""Modules (and packages) that must not import the pipeline or the writer's package."""
FEATURES = ("site_builder.build", "site_builder.search", "site_builder.checks",
            "site_builder.importers", "site_builder.commands", "site_builder.cli")
"""Packages the core and the content package must not import."""


@dataclass(frozen=True)
class Imported:
    """One name a module takes from another site_builder module."""

    module: str
    """The importing module's dotted name."""
    line: int
    """Line of the import or attribute access."""
    target: str
    """The dotted name of the module imported from."""
    name: str
    """The name taken from it ("" for ``import target``)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    """Every module of site_builder, parsed, by dotted name."""
    return {module_name(path): ast.parse(path.read_text("utf-8"), str(path))
            for path in sorted(PACKAGE.rglob("*.py"))}


def is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def resolved(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from … import`` (relative ones too)."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[:len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(module: str, tree: ast.Module, is_package: bool, known: set[str]
            ) -> list[Imported]:
    """Every name ``module`` takes from site_builder, and every ``alias._name`` it reads of a
    site_builder module it imported."""
    found: list[Imported] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_within(alias.name, "site_builder"):
                    found.append(Imported(module, node.lineno, alias.name, ""))
                    if alias.asname:
                        aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            target = resolved(module, is_package, node)
            if not is_within(target, "site_builder"):
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in known:  # a submodule: ``from site_builder.build import urls``
                    found.append(Imported(module, node.lineno, full, ""))
                    aliases[alias.asname or alias.name] = full
                else:
                    found.append(Imported(module, node.lineno, target, alias.name))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and private(node.attr)):
            found.append(Imported(module, node.lineno, aliases[node.value.id], node.attr))
    return found


def all_imports() -> list[Imported]:
    parsed = modules()
    known = set(parsed)
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    return [one for name, tree in parsed.items()
            for one in imports(name, tree, name in packages, known)]


def private(name: str) -> bool:
    """A private name: ``_x``, but not ``__x__`` nor ``_`` (gettext's, see
    :mod:`site_builder.i18n`)."""
    return name.startswith("_") and name != "_" and not name.startswith("__")


def shown(found: list[Imported]) -> list[str]:
    return [f"{one.module}:{one.line} imports {one.target}"
            + (f".{one.name}" if one.name else "") for one in found]


def test_the_features_do_not_import_the_build_package() -> None:
    found = [one for one in all_imports()
             if any(is_within(one.module, p) for p in NOT_BUILD)
             and is_within(one.target, "site_builder.build")]
    assert shown(found) == []


def test_the_core_imports_no_feature() -> None:
    found = [one for one in all_imports() if is_within(one.module, "site_builder.core")
             and any(is_within(one.target, p) for p in FEATURES)]
    assert shown(found) == []


def test_the_content_package_imports_no_feature() -> None:
    found = [one for one in all_imports() if is_within(one.module, "site_builder.content")
             and any(is_within(one.target, p) for p in FEATURES)]
    assert shown(found) == []


def test_no_module_imports_private_names_of_another() -> None:
    found = [one for one in all_imports() if private(one.name) and one.target != one.module]
    assert shown(found) == []


def test_the_checker_sees_what_it_looks_for() -> None:
    """The rules above find each kind of import they forbid (so an empty list means
    something)."""
    tree = ast.parse("from site_builder.build.pages import render\n"
                     "from site_builder.export import _impact\n"
                     "from . import urls\n"
                     "import site_builder.search.export as export\n"
                     "export._Tables\n")
    known = {"site_builder.build.pages", "site_builder.export", "site_builder.search.urls",
             "site_builder.search.export"}
    found = imports("site_builder.search.live", tree, False, known)
    assert [(one.target, one.name) for one in found] == [
        ("site_builder.build.pages", "render"), ("site_builder.export", "_impact"),
        ("site_builder.search.urls", ""), ("site_builder.search.export", ""),
        ("site_builder.search.export", "_Tables")]
