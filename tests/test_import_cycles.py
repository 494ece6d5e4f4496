"""No import loop in `budget/`: each module can be read after the modules it imports.

grimp (which import-linter uses) finds every import, inside functions too. Importing
`a.b.c` also runs the package `a.b`'s __init__, so that counts as importing `a.b`, unless the
importer is itself inside `a.b` (the package is then already being imported). The root package
`budget` is left out: its __init__ only defines create_app.
"""
from __future__ import annotations

import importlib.util
import re

import grimp

from_package = re.compile(r"from \.+ import (?P<names>[\w ,]+)")


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(2, len(parts))]


def _compiled_extension(graph, importer: str, package: str) -> bool:
    """`from . import _mescore`: grimp sees the package, but the name is a C extension."""
    for detail in graph.get_import_details(importer=importer, imported=package):
        found = from_package.match(detail["line_contents"])
        if not found:
            return False
        for name in (n.strip() for n in found["names"].split(",")):
            module = f"{package}.{name}"
            if module in graph.modules or importlib.util.find_spec(module) is None:
                return False
    return True


def import_edges() -> dict[str, set[str]]:
    graph = grimp.build_graph("budget", cache_dir=None)
    edges: dict[str, set[str]] = {module: set() for module in graph.modules}
    for importer in graph.modules:
        own_packages = set(_ancestors(importer)) | {importer}
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported in own_packages and _compiled_extension(graph, importer, imported):
                continue
            edges[importer].add(imported)
            edges[importer].update(p for p in _ancestors(imported) if p not in own_packages)
    return edges


def import_loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    loops.append(sorted(component))
    return loops


def test_the_loop_finder_finds_a_loop_through_a_package():
    edges = {"budget.a": {"budget.b.c", "budget.b"}, "budget.b": {"budget.b.c"},
             "budget.b.c": {"budget.a"}, "budget.d": set()}
    assert import_loops(edges) == [["budget.a", "budget.b", "budget.b.c"]]


def test_no_module_of_budget_imports_itself_through_others():
    assert import_loops(import_edges()) == []
