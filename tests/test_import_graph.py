"""The package's intra-package imports form no cycle.

Every ``import`` and ``from ... import`` of a ``ctkidney`` module is an edge, module
level or inside a function alike: a function-level import only postpones a cycle to
the first call, and it is how the one cycle this test was written against
(``restoration._denoise`` <-> ``restoration._adaptive``) hid. ``from pkg import name``
is an edge to ``pkg.name`` when that is a module, else to ``pkg`` (its ``__init__``).
Imports under ``if TYPE_CHECKING:`` never run and are left out.

"""

import ast
from pathlib import Path

import ctkidney

ROOT = Path(ctkidney.__file__).parent

def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _type_checking_nodes(tree):
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _imports(name, path, modules):
    """The ``ctkidney`` modules that module ``name`` (file ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = _type_checking_nodes(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def import_graph():
    """``{module: set of ctkidney modules it imports}`` for the whole package."""
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def find_cycles(graph):
    """Every cycle of ``graph`` once, each as a list of modules from its smallest."""
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def strongly_connected(node):
        # Tarjan: each strongly connected component of two or more modules, or one
        # module importing itself, holds at least one cycle.
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                strongly_connected(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                cycles.append(_one_cycle(graph, sorted(component)))

    for node in sorted(graph):
        if node not in index:
            strongly_connected(node)
    return cycles


def _one_cycle(graph, component):
    # A shortest path back to the component's first module, for the message.
    start, members = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(graph[node] & members):
                if nxt == start:
                    return paths[node] + [start]
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return component


def test_graph_sees_the_package():
    graph = import_graph()
    assert "ctkidney.restoration._denoise" in graph
    assert "ctkidney.restoration._adaptive" in graph["ctkidney.restoration._denoise"]
    assert "ctkidney.restoration._estimate" in graph["ctkidney.restoration._adaptive"]


def test_find_cycles_reports_each_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["d", "d"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)

