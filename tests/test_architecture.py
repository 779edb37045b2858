"""The layering ARCHITECTURE.md describes, checked from the source: the library never
imports the command line (or click and rich), renderers never import the command line,
module-level imports form no cycle, and no public name of the package is shadowed by a
submodule of the same name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bouncefix

PACKAGE = Path(bouncefix.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """Absolute names of the modules `path` imports (every import, or only those run
    when the module is imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = (tree.body if top_level_only else list(ast.walk(tree)))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If) and top_level_only:
            continue  # `if TYPE_CHECKING:` blocks
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("name", [n for n in MODULES
                                  if not n.startswith(("bouncefix.cli", "bouncefix.render"))
                                  and n != "bouncefix.__main__"])
def test_the_library_never_imports_the_command_line(name: str) -> None:
    imported = _imports(MODULES[name], top_level_only=False)
    bad = {i for i in imported if i.split(".")[0] in ("click", "rich")
           or i.startswith(("bouncefix.cli", "bouncefix.render"))}
    assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("bouncefix.render")])
def test_renderers_never_import_the_command_line(name: str) -> None:
    imported = _imports(MODULES[name], top_level_only=False)
    assert not {i for i in imported if i.startswith(("bouncefix.cli", "click"))}, name


def test_module_level_imports_form_no_cycle() -> None:
    """Imports run when a module is imported (not those inside functions, which are
    how a module reaches a heavier one lazily) form a directed acyclic graph; a
    package's __init__ re-exporting its own submodules is not counted."""
    graph = {name: sorted(i for i in _imports(path, top_level_only=True)
                          if i in MODULES and i != name and not i.startswith(name + "."))
             for name, path in MODULES.items()}
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for child in graph[node]:
            if child in path:
                raise AssertionError("import cycle: " + " -> ".join(
                    [*path[path.index(child):], child]))
            if child not in done:
                visit(child, [*path, child])
        done.add(node)

    for name in sorted(graph):
        if name not in done:
            visit(name, [name])


def test_public_names_are_not_shadowed_by_submodules() -> None:
    """``from bouncefix import analyze`` must give the function even after some code has
    imported a submodule: a submodule of the same name would replace it."""
    for name in bouncefix.__all__:
        assert f"bouncefix.{name}" not in MODULES, name
    import importlib

    importlib.import_module("bouncefix.analysis")  # as a scan does
    from bouncefix import analyze

    assert callable(analyze)
