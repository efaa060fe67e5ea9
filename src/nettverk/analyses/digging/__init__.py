"""Shared digging: one trench network to a hub against each municipality alone, and a fair split.

The corridor graph it digs on is :func:`nettverk.models.trench.corridor_graph`.
"""

from nettverk.models.trench import corridor_graph, corridor_topology, scenario_routes

from .result import DIG_COLUMNS, TOTALS_LABELS, DiggingResult
from .shared import SPLITS, digging_sensitivity, shared_digging, steiner_instance

__all__ = [
    "shared_digging",
    "digging_sensitivity",
    "steiner_instance",
    "DiggingResult",
    "SPLITS",
    "DIG_COLUMNS",
    "TOTALS_LABELS",
    "corridor_graph",
    "corridor_topology",
    "scenario_routes",
]
