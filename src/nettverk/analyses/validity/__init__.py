"""The partner model checked out of sample, next to plain baselines.

``ranks``: leave one member out, refit, and see where it ranks. ``recovery``: leave one
collaboration out and see whether the clusters and partner lists find it again.
"""

from .ranks import (
    BASELINES,
    leave_one_member_out,
    link_prediction_scores,
    pair_scores,
    summarise_ranks,
    without_collaboration,
)
from .recovery import (
    RANKINGS,
    cluster_recovery,
    council_recovery,
    ict_groups,
    partition_scores,
    partner_recovery,
    pooled_f1,
    recall_ceiling,
)

__all__ = [
    "BASELINES",
    "RANKINGS",
    "leave_one_member_out",
    "link_prediction_scores",
    "pair_scores",
    "summarise_ranks",
    "without_collaboration",
    "cluster_recovery",
    "council_recovery",
    "ict_groups",
    "partition_scores",
    "partner_recovery",
    "pooled_f1",
    "recall_ceiling",
]
