"""The shape of the code a newcomer reads: no import cycle, a core without Streamlit, and a live frame
that passes through few files (tools/frame_files.py prints them)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_FRAME_FILES = 12


def project_modules() -> dict[str, Path]:
    modules = {}
    for folder in ("core", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module `path` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} & modules.keys()
            found |= {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), or a module importing itself."""
    index, low, on_stack, stack, groups, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph[v]:
                groups.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return groups


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_core_and_ui():
    modules = project_modules()
    graph = {name: imports_of(path, modules) - {name} for name, path in modules.items()}
    # a package's __init__ importing its own submodule, and back, is still a cycle: none is allowed
    assert cycles(graph) == [], "modules that import each other in a cycle"


def test_core_never_imports_streamlit():
    for name, path in project_modules().items():
        if name.startswith("core"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
            assert "streamlit" not in imported, f"{path.relative_to(ROOT)} imports streamlit"


def test_a_live_2d_frame_passes_through_at_most_twelve_files():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from frame_files import frame_files
    finally:
        sys.path.remove(str(ROOT / "tools"))
    files, curves = frame_files()
    assert curves, "no frame redrew the curves within the tool's time limit"
    assert files[0] == "ui/live_view.py" and "pages/1_playground_2d.py" in files
    assert len(files) <= MAX_FRAME_FILES, f"a live frame passes through {len(files)} files: {files}"
