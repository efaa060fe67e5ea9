"""nettverk: the collaboration network between Norwegian municipalities.

>>> import nettverk as nv
>>> ds = nv.load_default()
>>> len(ds.kommuner)
357
"""

from ._errors import (
    AmbiguousMunicipalityError,
    DataValidationError,
    InfeasibleError,
    NettverkError,
    UnknownMunicipalityError,
    UnreachableError,
)
from ._version import __version__  # noqa: F401
from .analyses.overview import collaboration_graph, overview
from .data.codes import CodeBook, normalise_code
from .data.dataset import Dataset, get_path
from .data.io import read_table
from .data.loading import load_default, read_dataset
from .models.legal_forms import advise_legal_form, legal_forms
from .network.municipalities import graph_to_gdfs, municipality_graph, pair_ties
from .network.sites import centres
from .outputs.writers import write_result, write_tables

# The analyses load on first use (scipy, folium), so `import nettverk` and `nettverk info`
# stay fast. This table is the rest of the public surface: name -> module.
_LAZY = {
    "CostModel": "models.costs",
    "load_costs": "models.costs",
    "candidate_clusters": "analyses.clusters",
    "partners": "analyses.clusters",
    "score_clusters": "analyses.clusters",
    "corridor_graph": "models.trench",
    "shared_digging": "analyses.digging",
    "best_areas_for": "analyses.joining",
    "joining_effect": "analyses.joining",
    "steiner_tree": "solvers.steiner",
    "settlements": "network.settlements",
    "household_demand": "network.demand",
}
#: Short names for the subpackages a notebook reaches for (``nv.clusters.cluster_assignment``).
_SUBMODULES = {
    "allocation": "models.allocation",
    "clusters": "analyses.clusters",
    "costs": "models.costs",
    "digging": "analyses.digging",
    "joining": "analyses.joining",
    "maps": "outputs.maps",
    "steiner": "solvers.steiner",
}


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{_SUBMODULES[name]}", __name__)
    raise AttributeError(f"module 'nettverk' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))


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
    "settlements",
    "household_demand",
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
