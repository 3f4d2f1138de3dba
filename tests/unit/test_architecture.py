"""The import graph, built from the source: no cycle between modules, and the layers import only downwards.

Layers (README: editors -> server -> analysis -> library): the library (`neurogebra/` outside `analysis/`) imports
neither the analysis nor the server; the analysis never imports the server. `neurogebra/cli.py` (`neurogebra
check`) is a front end over the analysis beside the server: it may import the analysis, never the server.

Every `import` counts wherever it is written, inside functions too: an import deferred into a function still
makes a cycle, only a hidden one. So does a module named in a string in a package's `__init__` (by its full
name or by its name in the package), where the tables of `neurogebra.lazy.lazy_exports` name them. Imports
under `if TYPE_CHECKING:` do not count: they never execute, and annotations may name types across modules that
do not import each other. An import is an edge to the module it names: `from package import module` to the
module, `from package import name` to the package. A module's parent packages are not edges of their own, so a
package importing its modules is no cycle unless a module imports the package back.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"neurogebra": ROOT / "neurogebra", "neurogebra_lsp": ROOT / "server" / "neurogebra_lsp"}
ANALYSIS, SERVER, FRONT_END = "neurogebra.analysis", "neurogebra_lsp", "neurogebra.cli"


def module_files(sources: dict[str, Path]) -> dict[str, Path]:
    """Each module's dotted name and its file (a package is its `__init__.py`)."""
    modules = {}
    for package, directory in sources.items():
        for path in directory.rglob("*.py"):
            parts = (package, *path.relative_to(directory).with_suffix("").parts)
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def executed(tree: ast.AST):
    """Every node of the tree outside `if TYPE_CHECKING:` blocks (whose `else:` does execute)."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for node in child.orelse:
                yield node
                yield from executed(node)
        else:
            yield child
            yield from executed(child)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that one module imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def ours(dotted: str) -> str | None:  # the module itself, or the package that holds the name
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    targets = set()
    for node in executed(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(ours(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[:len(package.split(".")) + 1 - node.level]) if node.level else ""
            base = ".".join(part for part in (base, node.module) if part)
            targets.update(ours(f"{base}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and path.name == "__init__.py":
            targets.update(n for n in (node.value, f"{name}.{node.value}") if "." in n and n in modules)
    return targets - {None, name}


def import_graph(sources: dict[str, Path] = SOURCES) -> dict[str, set[str]]:
    modules = module_files(sources)
    return {name: imports_of(name, path, modules) for name, path in sorted(modules.items())}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """A shortest cycle (a path back to its start) through each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = {stack.pop()}
            while node not in group:
                group.add(stack.pop())
            if len(group) > 1:
                found.append(cycle_through(min(group), group, graph))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycle_through(start: str, group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from `start` back to itself within the group (breadth first)."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for name, targets in graph.items():
        for target in sorted(targets):
            if within(target, SERVER) and not within(name, SERVER):
                found.append(f"{name} imports the server: {target}")
            elif within(target, ANALYSIS) and not (within(name, ANALYSIS) or within(name, SERVER)
                                                   or name == FRONT_END):
                found.append(f"{name} (the library) imports the analysis: {target}")
    return found


def test_no_import_cycle():
    assert [" -> ".join(cycle) for cycle in cycles(import_graph())] == []


def test_the_layers_import_only_downwards():
    assert upward_imports(import_graph()) == []


def test_the_graph_counts_what_executes(tmp_path: Path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": 'from pkg.lazy import table\nHOMES = table("sub.deep", "pkg.a")\n',
        "lazy.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n"
                "else:\n    import json\n\ndef later():\n    from pkg.sub import deep\n",
        "b.py": "from . import a\nfrom .sub.deep import thing\nfrom pkg import HOMES\n",
        "sub/__init__.py": "",
        "sub/deep.py": "from .. import lazy\nfrom ..a import later\nthing = 'a'\n",
    }
    for name, text in files.items():
        (package / name).write_text(text)
    assert import_graph({"pkg": package}) == {
        "pkg": {"pkg.lazy", "pkg.a", "pkg.sub.deep"}, "pkg.lazy": set(), "pkg.a": {"pkg.sub.deep"}, "pkg.sub": set(),
        "pkg.b": {"pkg", "pkg.a", "pkg.sub.deep"}, "pkg.sub.deep": {"pkg.lazy", "pkg.a"}}


def test_a_cycle_is_reported_as_a_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e", "a"}}
    assert sorted(cycles(graph)) == [["a", "b", "c", "a"], ["e", "f", "e"]]


def test_only_the_front_ends_import_the_analysis():
    graph = {"neurogebra.forge": {"neurogebra.analysis.model"}, "neurogebra.cli": {"neurogebra.analysis"},
             "neurogebra.analysis.engine": {"neurogebra_lsp.worker"}, "neurogebra_lsp.worker": {"neurogebra.analysis"}}
    assert sorted(upward_imports(graph)) == [
        "neurogebra.analysis.engine imports the server: neurogebra_lsp.worker",
        "neurogebra.forge (the library) imports the analysis: neurogebra.analysis.model"]
