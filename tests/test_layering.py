"""One-way data flow between claimlint's layers, checked on the source with ``ast``.

A module may import from its own layer and from the layers before it, never from a later one:

    values (errors, findings, exit_codes) < documents < registry < nlp < claims < matching
        < rules < engine < report < cli

``config`` stands aside: it may import only the value modules, and only ``engine``, ``cli``,
``audit`` and the package's public API (``claimlint/__init__.py``) may import it. The package
root counts as part of the engine layer (it is the library API over ``Linter``); ``__main__``
belongs to cli.

Every ``claimlint`` import counts wherever it is written: at module level, inside functions, in
``TYPE_CHECKING`` blocks, relative imports, and ``importlib.import_module("claimlint...")``.
The one exception: ``rules/base.py`` may import later layers under ``TYPE_CHECKING`` for type
hints, which never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "claimlint"
SRC = Path(__file__).resolve().parents[1] / "src" / PACKAGE

VALUES = "values"
CONFIG = "config"
LAYERS = ("values", "documents", "registry", "nlp", "claims", "matching", "rules", "engine",
          "report", "cli")
RANK = {layer: i for i, layer in enumerate(LAYERS)}

# Top-level module or subpackage (the first name under claimlint) -> layer.
LAYER_OF = {
    "errors": VALUES,
    "findings": VALUES,
    "exit_codes": VALUES,
    "deadline": VALUES,  # the per-file time limit (a signal alarm); imports nothing of ours
    "documents": "documents",
    "registry": "registry",
    "nlp": "nlp",
    "claims": "claims",
    "matching": "matching",
    "rules": "rules",
    "engine": "engine",
    "": "engine",  # the package root: the public library API over the engine
    # Library API over findings, beside the engine: its cache, baselines, changed lines.
    "cache": "engine",
    "baseline": "engine",
    "gitdiff": "engine",
    "fixes": "engine",  # applies the fixes findings carry, re-linting through the engine
    # Crawl audits on Dask: reads records, lints them with Linter(settings) on the workers.
    "audit": "engine",
    "report": "report",
    "evaluate": "report",  # scores findings against labels, like a reporter consumes them
    "cli": "cli",
    "__main__": "cli",
    "progress": "cli",  # the terminal progress bar the cli feeds from the engine
    "config": CONFIG,
}
# audit builds each worker's Linter from the client's Settings, as the package API does.
CONFIG_IMPORTERS = frozenset({"engine", "cli", "", "audit"})
# Modules that may import later layers under TYPE_CHECKING (type hints, never run).
TYPE_CHECKING_ALLOWED = frozenset({"claimlint.rules.base"})


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported claimlint module, dotted
    line: int
    type_checking: bool


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve_from(module: str, package: bool, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from ... import`` statement reads from."""
    if node.level == 0:
        return node.module
    base = module.split(".")
    if not package:
        base = base[:-1]  # a plain module's relative imports start from its package
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _submodule_exists(dotted: str, src: Path) -> bool:
    parts = dotted.split(".")[1:]
    if not parts:
        return True
    path = src.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def collect_imports(source: str, module: str, package: bool, src: Path = SRC) -> list[Import]:
    """Every claimlint import in one module's source."""
    tree = ast.parse(source)
    found: list[Import] = []

    def add(target: str, node: ast.AST, type_checking: bool) -> None:
        if target == PACKAGE or target.startswith(PACKAGE + "."):
            found.append(Import(module, target, getattr(node, "lineno", 0), type_checking))

    def visit(node: ast.AST, type_checking: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_checking)
            visit(node.test, type_checking)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node, type_checking)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(module, package, node)
            if base:
                for alias in node.names:
                    # ``from claimlint import engine`` imports the submodule, not the root.
                    candidate = f"{base}.{alias.name}"
                    is_module = alias.name != "*" and _submodule_exists(candidate, src)
                    add(candidate if is_module else base, node, type_checking)
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            arg = node.args[0]
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            add(arg.value, node, type_checking)
        for sub in ast.iter_child_nodes(node):
            visit(sub, type_checking)

    visit(tree, False)
    return found


def _dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return (name in ("import_module", "__import__") and bool(node.args)
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def layer_key(module: str) -> str:
    """The first name under claimlint ("" for the package root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> str:
    key = layer_key(module)
    if key not in LAYER_OF:
        raise KeyError(f"{module} is in no layer; add {key!r} to LAYER_OF in {__file__}")
    return LAYER_OF[key]


def violation(imp: Import) -> str | None:
    """Why ``imp`` breaks the layering, or None if it is allowed."""
    source, target = layer_of(imp.module), layer_of(imp.target)
    where = f"{imp.module} (line {imp.line}) imports {imp.target}"
    if source == CONFIG:
        if target not in (CONFIG, VALUES):
            return f"{where}: config may import only errors, findings and exit_codes"
        return None
    if target == CONFIG:
        if layer_key(imp.module) not in CONFIG_IMPORTERS:
            return f"{where}: only engine, cli and the package API may import config"
        return None
    if RANK[target] <= RANK[source]:
        return None
    if imp.type_checking and imp.module in TYPE_CHECKING_ALLOWED:
        return None
    return f"{where}: layer {source!r} must not import the later layer {target!r}"


def project_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        yield module_name(path), path


def project_imports() -> list[Import]:
    out = []
    for module, path in project_modules():
        out.extend(collect_imports(path.read_text(encoding="utf-8"), module, is_package(path)))
    return out


# --------------------------------------------------------------------------------------------
# The project


def test_every_module_has_a_layer() -> None:
    modules = [module for module, _ in project_modules()]
    assert len(modules) > 20
    unplaced = [m for m in modules if layer_key(m) not in LAYER_OF]
    assert not unplaced, f"modules in no layer (add them to LAYER_OF): {unplaced}"


def test_imports_flow_one_way() -> None:
    imports = project_imports()
    problems = [v for imp in imports if (v := violation(imp))]
    assert not problems, "layering violations:\n" + "\n".join(problems)


def test_the_import_graph_is_not_empty() -> None:
    """Guards the check itself: known edges of each kind are seen."""
    edges = {(i.module, i.target) for i in project_imports()}
    assert ("claimlint.engine", "claimlint.claims") in edges
    assert ("claimlint.claims", "claimlint.nlp") in edges
    assert ("claimlint.cli", "claimlint.config") in edges
    # A function-level import in the cli.
    assert ("claimlint.cli", "claimlint.engine") in edges


# --------------------------------------------------------------------------------------------
# The checker, on made-up modules (so a broken checker cannot pass the project vacuously)


def _violations(source: str, module: str, package: bool = False) -> list[str]:
    return [v for imp in collect_imports(source, module, package) if (v := violation(imp))]


@pytest.mark.parametrize(("module", "source"), [
    ("claimlint.documents.markdown", "from claimlint.engine import Linter\n"),
    ("claimlint.documents.markdown", "import claimlint.report.text\n"),
    ("claimlint.registry.loader", "def f():\n    from claimlint.nlp import build_pipeline\n"),
    ("claimlint.nlp.pipeline", "from typing import TYPE_CHECKING\n"
                               "if TYPE_CHECKING:\n    from claimlint.claims import Claim\n"),
    ("claimlint.rules.language", "from ..engine import Linter\n"),
    ("claimlint.matching", "from . import rules\n"),
    ("claimlint.report.text", "from claimlint import cli\n"),
    ("claimlint.report.text", "from claimlint.config import Settings\n"),
    ("claimlint.rules.base", "from claimlint.config import Settings\n"),
    ("claimlint.config", "from claimlint.engine import Linter\n"),
    ("claimlint.config", "from claimlint.documents import discovery\n"),
    ("claimlint.findings", "import importlib\nimportlib.import_module('claimlint.cli')\n"),
    ("claimlint.rules.language", "import typing\n"
                                 "if typing.TYPE_CHECKING:\n    from claimlint.engine import X\n"),
])
def test_checker_catches(module: str, source: str) -> None:
    assert _violations(source, module), source


@pytest.mark.parametrize(("module", "source"), [
    ("claimlint.engine", "from claimlint.config import Settings\n"),
    ("claimlint.cli", "from claimlint.report import render\n"),
    ("claimlint.rules.language", "from claimlint.matching import ClaimMatch\n"),
    ("claimlint.rules.language", "from .base import Rule\n"),
    ("claimlint.report.json", "from claimlint import __version__\n"),
    ("claimlint.config", "from claimlint.errors import ConfigError\n"),
    ("claimlint.rules.base", "from typing import TYPE_CHECKING\n"
                             "if TYPE_CHECKING:\n    from claimlint.engine import Linter\n"),
    ("claimlint.registry.loader", "import yaml\nfrom os import path\n"),
])
def test_checker_allows(module: str, source: str) -> None:
    assert not _violations(source, module), source


def test_relative_imports_resolve() -> None:
    found = collect_imports("from . import model\nfrom .offsets import LineIndex\n"
                            "from .. import errors\n", "claimlint.documents", package=True)
    assert [i.target for i in found] == ["claimlint.documents.model", "claimlint.documents.offsets",
                                         "claimlint.errors"]
    found = collect_imports("from .model import Document\n", "claimlint.documents.html",
                            package=False)
    assert [i.target for i in found] == ["claimlint.documents.model"]
