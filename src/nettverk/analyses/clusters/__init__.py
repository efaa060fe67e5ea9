"""Candidate partner clusters: the best partition of a region under the partner model.

``region`` sets up the area (natural-partner links, scores, constraints), ``solve`` finds the
exact set partition, ``candidates`` is the public entry, ``partner_lists`` ranks the clusters around
one municipality.
"""

from .candidates import candidate_clusters, cluster_assignment, score_clusters
from .partner_lists import partners
from .region import SCORE_COLUMNS, existing_groups, natural_partner_graph

__all__ = [
    "candidate_clusters",
    "score_clusters",
    "cluster_assignment",
    "partners",
    "existing_groups",
    "natural_partner_graph",
    "SCORE_COLUMNS",
]
