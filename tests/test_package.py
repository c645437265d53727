"""The shape of the package: no import cycles, a curated public API, notebooks that use it."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import basewatch

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "basewatch"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
#: The modules whose ``__all__`` is the public API: the package (end to end) and its
#: stage subpackages (the steps inside a stage, as scikit-image's subpackages).
PUBLIC_MODULES = (
    "basewatch",
    "basewatch.imagery",
    "basewatch.detect",
    "basewatch.corroborate",
    "basewatch.outputs",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.AST) -> Iterator[ast.ImportFrom | ast.Import]:
    """Every import statement that runs (at module level or in a function), skipping
    ``if TYPE_CHECKING:`` blocks, which only type checkers read."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for s in node.orelse for n in _runtime_imports(s))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            yield from _runtime_imports(node)


def import_graph() -> dict[str, set[str]]:
    """Module -> the basewatch modules it imports when it runs."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            targets = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            )
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that returns to its start), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_module_of_the_package_imports_itself_back() -> None:
    graph = import_graph()
    assert "basewatch.pipeline" in graph and "basewatch.detect.changed" in graph
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_stages_import_only_earlier_stages() -> None:
    """detect/ is pure (no imagery, outputs, corroboration or commands); only imagery/
    reads rasters; no library module imports a command."""
    graph = import_graph()
    for module, edges in graph.items():
        if module.startswith("basewatch.detect"):
            bad = {e for e in edges if e.split(".")[1] in {"imagery", "outputs", "cli"}}
            bad |= {
                e for e in edges if e.startswith(("basewatch.corroborate", "basewatch.pipeline"))
            }
            assert not bad, f"{module} imports {sorted(bad)}"
        if not module.startswith("basewatch.cli"):
            assert not {e for e in edges if e.startswith("basewatch.cli")}, module
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "import rasterio" in text or "from rasterio" in text:
            # and a Dask worker's task, which sets the client's GDAL options around its reads;
            # outputs write COGs and trace detection outlines (GDAL writers, no reads);
            # basewatch._gdal hands arrays to GDAL (memory datasets, the warper) for both
            readers = (
                "basewatch._gdal",
                "basewatch.imagery",
                "basewatch.scale.tasks",
                "basewatch.outputs.raster",
                "basewatch.outputs.vector",
            )
            assert _module_name(path).startswith(readers), path
        if "import matplotlib" in text or "from matplotlib" in text:
            assert _module_name(path) == "basewatch.outputs.render", path


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_name_loads_and_is_documented(module: str) -> None:
    package = importlib.import_module(module)
    assert (package.__doc__ or "").strip()
    assert package.__all__ == sorted(set(package.__all__)) or module == "basewatch"
    for name in package.__all__:
        obj = getattr(package, name)
        if name not in {"__version__", "SAMPLE"}:
            assert (obj.__doc__ or "").strip(), f"{module}.{name} has no docstring"


def test_unknown_public_names_say_so() -> None:
    with pytest.raises(AttributeError, match="no attribute 'detect_pairs'"):
        _ = basewatch.detect_pairs  # type: ignore[attr-defined]


def test_importing_the_package_loads_no_heavy_library() -> None:
    code = (
        "import sys, basewatch; "
        "print(sorted(m for m in ('rasterio', 'matplotlib', 'numba', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _notebook_imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found: list[tuple[str, tuple[str, ...]]] = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse("\n".join(ln for ln in source.splitlines() if not ln.startswith("%")))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((node.module, tuple(a.name for a in node.names)))
            elif isinstance(node, ast.Import):
                found += [(a.name, ()) for a in node.names]
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_use_only_the_public_api(notebook: Path) -> None:
    imports = _notebook_imports(notebook)
    ours = [(m, names) for m, names in imports if m.split(".")[0] == "basewatch"]
    assert ours, f"{notebook.name} does not use basewatch"
    for module, names in ours:
        assert module in PUBLIC_MODULES, f"{notebook.name} imports {module} (not the public API)"
        public = importlib.import_module(module).__all__
        hidden = [n for n in names if n not in public]
        assert not hidden, f"{notebook.name} imports {hidden}, not in {module}.__all__"


def test_notebooks_are_stored_without_outputs() -> None:
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [] and cell.get("execution_count") is None, path


def test_every_public_module_has_an_api_reference_entry() -> None:
    """Each public module (not ``_private``, not a thin ``cli`` command) is rendered
    in the API reference (``docs/api/*.md``, built by ``mkdocs build --strict``)."""
    root = Path(__file__).resolve().parents[1]
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (root / "docs" / "api").glob("*.md"))
    missing = []
    for path in sorted((root / "src" / "basewatch").rglob("*.py")):
        parts = path.relative_to(root / "src").with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts) or "cli" in parts:
            continue
        if f"::: {'.'.join(parts)}\n" not in pages + "\n":
            missing.append(".".join(parts))
    assert not missing, f"not in docs/api/*.md: {missing}"
