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
from . import costs  # noqa: F401  (nv.costs.CostModel)
from .clusters import candidate_clusters, partners, score_clusters
from .costs import CostModel, load_costs
from .digging import corridor_graph, shared_digging
from .joining import best_areas_for, joining_effect
from .legal_forms import advise_legal_form, legal_forms
from .overview import collaboration_graph, overview
from . import maps
from . import allocation
from .steiner import steiner_tree

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
