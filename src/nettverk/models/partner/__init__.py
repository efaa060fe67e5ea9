"""The partner model: who partners with whom, learned from the real collaboration network.

``features`` builds the pair features, ``model`` fits and loads the conditional logit,
``affinity`` uses it (see :mod:`nettverk.models.partner.model` for the method).
"""

from .affinity import affinity_matrix, explain_pair, group_affinity
from .features import FEATURES, PairFeatures, pair_features
from .model import (
    ChoiceSet,
    PartnerModel,
    choice_sets,
    data_version,
    fit_partner_model,
    load_partner_model,
    set_matrices,
    set_weights,
    training_sets,
)

__all__ = [
    "FEATURES",
    "PartnerModel",
    "PairFeatures",
    "ChoiceSet",
    "pair_features",
    "fit_partner_model",
    "load_partner_model",
    "data_version",
    "choice_sets",
    "training_sets",
    "set_matrices",
    "set_weights",
    "affinity_matrix",
    "group_affinity",
    "explain_pair",
]
