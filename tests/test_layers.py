"""The package shows its layers: data -> network -> models -> analyses -> outputs, solvers beside.

Every import in ``src/nettverk`` (module level, inside functions and under ``TYPE_CHECKING``
alike) must point down or within its own unit; no module imports the facade; no cycle; no module
is over 600 lines. A new module must be given a place in :data:`RANK` first.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nettverk"

#: Each module prefix and its rank (the longest prefix wins). Lower ranks are lower layers.
RANK = [
    ("nettverk._errors", 0.0),
    ("nettverk._types", 0.0),
    ("nettverk.settings", 0.0),
    ("nettverk._version", 0.0),
    ("nettverk._files", 0.1),
    ("nettverk.solvers", 1.0),
    ("nettverk.data.vocab", 2.0),
    ("nettverk.data.codes", 2.05),
    ("nettverk.data.column_entries", 1.9),
    ("nettverk.data.column_entries_landscape", 1.95),
    ("nettverk.data.columns", 2.0),
    ("nettverk.data.checks", 2.1),
    ("nettverk.data.register", 2.15),
    ("nettverk.data.io", 2.1),
    ("nettverk.data.population", 2.2),
    ("nettverk.data.dataset", 2.3),
    ("nettverk.data.loading", 2.4),
    ("nettverk.data.broadband", 2.5),
    ("nettverk.data.kartlegging", 2.2),
    ("nettverk.data", 2.0),
    ("nettverk.network.geometry", 3.0),
    ("nettverk.network.routes", 3.1),
    ("nettverk.network.roads", 3.2),
    ("nettverk.network.sites", 3.3),
    ("nettverk.network.settlements", 3.3),
    ("nettverk.network.demand", 3.35),
    ("nettverk.network.municipalities", 3.4),
    ("nettverk.network", 3.0),
    ("nettverk.models.cost_params", 3.9),
    ("nettverk.models.costs", 4.0),
    ("nettverk.models.economics", 4.05),
    ("nettverk.models.allocation", 4.1),
    ("nettverk.models.legal_forms", 4.1),
    ("nettverk.models.trench", 4.1),
    ("nettverk.models.partner", 4.2),
    ("nettverk.models", 4.0),
    ("nettverk.analyses.group", 4.9),
    ("nettverk.analyses.validity", 5.1),
    ("nettverk.analyses", 5.0),
    ("nettverk.outputs.styles", 5.95),
    ("nettverk.outputs.qgis", 5.97),
    ("nettverk.outputs.writers", 6.0),
    ("nettverk.outputs.text", 6.0),
    ("nettverk.outputs.maps", 6.1),
    ("nettverk.outputs.report", 6.1),
    ("nettverk.outputs.cli", 6.2),
    ("nettverk.outputs", 6.0),
]
#: Packages whose submodules form one unit (they may share private names and import sideways).
UNITS = (
    "nettverk.solvers.steiner",
    "nettverk.data.checks",
    "nettverk.models.partner",
    "nettverk.analyses.clusters",
    "nettverk.analyses.digging",
    "nettverk.analyses.joining",
    "nettverk.analyses.validity",
    "nettverk.outputs.maps",
    "nettverk.outputs.report",
    "nettverk.outputs.cli",
)
MAX_LINES = 600


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_dotted(p): p for p in sorted(SRC.rglob("*.py"))}


def rank(mod: str) -> float | None:
    """The rank of a module (None for the facade or a module with no place yet)."""
    hits = [(len(p), r) for p, r in RANK if mod == p or mod.startswith(p + ".")]
    return max(hits)[1] if hits else None


def unit(mod: str) -> str:
    return next((u for u in UNITS if mod == u or mod.startswith(u + ".")), mod)


def imports(mod: str, path: Path, known: dict[str, Path]) -> list[tuple[str, str, int]]:
    """Every (target module, imported name, line) of one module, relative imports resolved."""
    is_pkg = path.name == "__init__.py"
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, "", node.lineno) for a in node.names if a.name.startswith("nettverk")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                pkg = base[: len(base) - (node.level - 1)]
                target = ".".join(pkg + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("nettverk"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                # "from nettverk import settings" imports the module, not the facade
                hit = (sub, "", node.lineno) if sub in known else (target, a.name, node.lineno)
                out.append(hit)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module",)
            and mod != "nettverk"
        ):
            out.append(("nettverk", "import_module", node.lineno))
    return out


def _edges():
    known = _modules()
    return known, [
        (mod, target, name, f"{path.relative_to(SRC.parent)}:{line}")
        for mod, path in known.items()
        for target, name, line in imports(mod, path, known)
    ]


def test_every_module_has_a_layer():
    missing = [m for m in _modules() if m != "nettverk" and rank(m) is None]
    assert not missing, f"give these modules a place in RANK: {missing}"


def test_imports_point_down_and_never_to_the_facade():
    known, edges = _edges()
    bad = []
    for a, b, name, where in edges:
        if a == "nettverk":
            continue
        if b == "nettverk":
            bad.append(f"{where} {a} imports the facade ({name})")
            continue
        ra, rb = rank(a), rank(b)
        if rb is None:
            bad.append(f"{where} {a} -> {b}: not a module of the package")
        elif rb > ra:
            bad.append(f"{where} {a} -> {b} (rank {ra} -> {rb}): upward")
        elif rb == ra and unit(a) != unit(b):
            bad.append(f"{where} {a} -> {b} (rank {ra}): sideways")
        inner = b[len(unit(b)) :].lstrip(".")
        if unit(a) != unit(b) and (
            (name.startswith("_") and name != "__version__") or inner.startswith("_")
        ):
            bad.append(f"{where} {a} -> {b}.{name}: a private name across units")
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    _, edges = _edges()
    G = nx.DiGraph((a, b) for a, b, *_ in edges if a != "nettverk")
    cycles = [sorted(c) for c in nx.strongly_connected_components(G) if len(c) > 1]
    assert not cycles, cycles


def test_no_module_is_over_600_lines():
    long = {
        m: n
        for m, p in _modules().items()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_the_facade_is_whole():
    import nettverk as nv

    missing = [name for name in nv.__all__ if not hasattr(nv, name)]
    assert not missing, missing


@pytest.mark.parametrize("module", ["scipy", "folium"])
def test_import_stays_light(module):
    """``import nettverk`` (and ``nettverk info``) loads neither scipy nor folium."""
    code = f"import sys, nettverk; print({module!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_checker_sees_a_lazy_upward_import(tmp_path):
    """The checker itself: an import inside a function is seen, and ranked."""
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from nettverk.outputs.maps import make_map\n", encoding="utf-8")
    known = {"nettverk.outputs.maps": SRC / "outputs" / "maps" / "__init__.py"}
    (target, _, line), *_ = imports("nettverk.data.fake", f, known)
    assert target == "nettverk.outputs.maps" and line == 2
    assert rank(target) > rank("nettverk.data.fake")
