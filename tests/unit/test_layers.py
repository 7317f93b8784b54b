"""The package's layers run one way (README, Layout): a module imports only from its own
package and from layers below it, never from a layer above or from a sibling package of its
own layer, and no two modules import each other, directly or around a circle.

Every import counts: at module level, inside functions, and under ``TYPE_CHECKING`` (a type
that names a higher layer is a dependency on it all the same)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "twin"

LAYERS: list[tuple[str, ...]] = [
    ("twin.errors", "twin.vocab", "twin.schemas", "twin.jit"),
    ("twin.series", "twin.variables"),
    ("twin.config",),
    ("twin.network",),
    ("twin.io", "twin.importers"),
    ("twin.hydro",),
    ("twin.quality",),
    ("twin.forcing",),
    ("twin.assess",),
    ("twin.observe",),
    ("twin.run",),
    ("twin.compare", "twin.forecast"),
    ("twin.calibrate",),
    ("twin.cli",),
    ("twin.__main__",),
]
"""Bottom-up. ``twin`` itself (``__version__``) may be imported from anywhere."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every twin module or package a file imports, resolved to absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "twin")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "twin":
                continue
            for a in node.names:
                # `from pkg import module` depends on the module, not only the package
                full = f"{target}.{a.name}"
                out.add(full if _is_module(full) else target)
    return out


def _is_module(name: str) -> bool:
    p = ROOT.parent.joinpath(*name.split("."))
    return p.with_suffix(".py").exists() or (p / "__init__.py").exists()


def layer_of(name: str) -> tuple[int, str] | None:
    """(layer index, the layer entry it falls under); None for ``twin`` itself."""
    best = None
    for i, layer in enumerate(LAYERS):
        for entry in layer:
            if (name == entry or name.startswith(entry + ".")) and (
                best is None or len(entry) > len(best[1])
            ):
                best = (i, entry)
    return best


@functools.lru_cache(maxsize=1)
def _graph() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((module_name(p), frozenset(imports_of(p))) for p in sorted(ROOT.rglob("*.py")))


def graph() -> dict[str, set[str]]:
    """Module -> the twin modules it imports (parsed once per test session; a fresh copy
    each call, so a test may add a wrong import to it)."""
    return {m: set(deps) for m, deps in _graph()}


def violations(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for mod, deps in g.items():
        here = layer_of(mod)
        if here is None:
            continue
        for dep in deps:
            there = layer_of(dep)
            if there is None or there[1] == here[1]:
                continue
            if there[0] > here[0]:
                bad.append(f"{mod} imports {dep}: upward ({here[1]} is below {there[1]})")
            elif there[0] == here[0]:
                bad.append(f"{mod} imports {dep}: sideways ({here[1]} and {there[1]})")
    return sorted(bad)


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in g:
        if v not in index:
            visit(v)
    return out


def test_every_module_falls_in_a_layer():
    unplaced = [m for m in graph() if m != "twin" and layer_of(m) is None]
    assert unplaced == []


def test_no_import_runs_upward_or_sideways():
    assert violations(graph()) == []


def test_no_import_circles():
    assert cycles(graph()) == []


@pytest.mark.parametrize(
    ("module", "source", "kind"),
    [
        # the upward imports of the layout before the layers were drawn
        ("twin.config.checks", "from ..forcing.loads import EFFLUENT_PRESETS", "upward"),
        ("twin.config.quality", "from ..quality.species import ALL_NAMES", "upward"),
        ("twin.config.checks", "from ..forcing.runoff import LAND_USE_CLASSES", "upward"),
        ("twin.config.interventions", "from ..quality.species import DERIVED", "upward"),
        ("twin.quality.solver", "from ..config.sources import SOURCE_GROUPS", None),
        ("twin.network.topology", "from ..hydro.sections import build_table", "upward"),
        ("twin.hydro.solver", "from ..quality.solver import QualitySolver", "upward"),
        ("twin.io.netcdf", "from ..run.model import Model", "upward"),
        ("twin.compare.report", "from ..forecast.summary import summarise", "sideways"),
    ],
)
def test_the_check_catches_a_wrong_import(module, source, kind):
    g = graph()
    rel = ast.parse(source).body[0]
    package = module.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - rel.level + 1]
    g[module] = g[module] | {".".join([*base, rel.module])}
    found = [v for v in violations(g) if v.startswith(module + " ")]
    if kind is None:
        assert found == []  # downward: allowed
    else:
        assert found and kind in found[0]


def test_the_check_catches_a_circle():
    g = graph()
    g["twin.config.model"] = g["twin.config.model"] | {"twin.config.loader"}
    assert any("twin.config.model" in c for c in cycles(g))
