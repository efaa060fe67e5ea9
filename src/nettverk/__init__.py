"""nettverk: the collaboration network between Norwegian municipalities.

>>> import nettverk as nv
>>> ds = nv.load_default()
>>> len(ds.kommuner)
357
"""

from importlib.metadata import PackageNotFoundError, version

from ._errors import (
    AmbiguousMunicipalityError,
    DataValidationError,
    InfeasibleError,
    NettverkError,
    UnknownMunicipalityError,
    UnreachableError,
)
from .codes import CodeBook, normalise_code
from .dataset import Dataset, get_path, load_default, read_dataset
from .graph import centres, graph_to_gdfs, municipality_graph, pair_ties
from .io import read_table, write_result, write_tables
from .legal_forms import advise_legal_form, legal_forms
from .overview import collaboration_graph, overview

# The analyses load on first use (scipy, folium), so `import nettverk` and `nettverk info`
# stay fast. This table is the rest of the public surface: name -> module.
_LAZY = {
    "CostModel": "costs",
    "load_costs": "costs",
    "candidate_clusters": "clusters",
    "partners": "clusters",
    "score_clusters": "clusters",
    "corridor_graph": "digging",
    "shared_digging": "digging",
    "best_areas_for": "joining",
    "joining_effect": "joining",
    "steiner_tree": "steiner",
}
_SUBMODULES = {"allocation", "clusters", "costs", "digging", "joining", "maps", "steiner"}


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nettverk' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)


try:
    __version__ = version("nettverk")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "maps",
    "advise_legal_form",
    "collaboration_graph",
    "legal_forms",
    "overview",
    "allocation",
    "best_areas_for",
    "joining_effect",
    "CostModel",
    "candidate_clusters",
    "corridor_graph",
    "load_costs",
    "partners",
    "score_clusters",
    "shared_digging",
    "steiner_tree",
    "AmbiguousMunicipalityError",
    "CodeBook",
    "DataValidationError",
    "Dataset",
    "InfeasibleError",
    "NettverkError",
    "UnknownMunicipalityError",
    "UnreachableError",
    "centres",
    "get_path",
    "graph_to_gdfs",
    "load_default",
    "municipality_graph",
    "normalise_code",
    "pair_ties",
    "read_dataset",
    "read_table",
    "write_result",
    "write_tables",
]
