"""One group's money, the way every command computes it (clusters, partners, join, rapport).

:func:`group_money` asks :func:`nettverk.models.economics.group_economics` with the partner
model's road-and-ferry km to the group's hub (its most populous member), so the rapport's gain
for Hallingdal is the gain ``clusters`` and ``partners`` print for the same six.
"""

from __future__ import annotations


import numpy as np

from nettverk._types import Municipalities
from nettverk.data.dataset import Dataset
from nettverk.models.costs import CostModel, as_cost_model
from nettverk.models.economics import group_economics, hub_index
from nettverk.models.partner.features import pair_features

__all__ = ["group_money"]


def group_money(
    ds: Dataset,
    members: Municipalities,
    *,
    area: str = "drift",
    costs: CostModel | str | None = None,
) -> dict:
    """A group's economics as numbers and each member's own cost, with the cost of any sub-group.

    Returns a dict: ``standalone``, ``joint``, ``retained``, ``overhead``, ``travel``,
    ``joint_total`` (joint + retained + overhead + travel), ``net_gain`` with
    ``net_gain_low``/``net_gain_high`` (the pessimistic and optimistic ends of every range, NOK per
    year), ``hub`` (code), ``alone`` (code -> NOK per year; the member's own number where the
    data has a ``kartlegging``), ``own_given`` (code -> whether it did) and ``cost_of`` (a
    function of a set of codes: that sub-group's ``joint_total``, for the win-win test).

    Examples
    --------
    >>> ds = nv.load_default()
    >>> g = group_money(ds, ["Gol", "Ål", "Hol", "Hemsedal", "Nesbyen", "Flå"])
    >>> from nettverk.analyses.clusters import score_clusters
    >>> s = score_clusters(ds, [["Gol", "Ål", "Hol", "Hemsedal", "Nesbyen", "Flå"]])
    >>> bool(abs(g["net_gain"] - s.loc[0, "net_gain_nok"]) < 1)
    True
    """
    costs = as_cost_model(costs)
    codes = sorted(dict.fromkeys(ds.codes(members)))
    pf = pair_features(ds)
    pop = ds.kommuner["innbyggere"].astype(float)

    def econ(group: list[str], model: CostModel = costs) -> dict:
        p = pop.loc[group].to_numpy()
        hub = group[int(hub_index(p)[0])]
        km = pf.km[[pf.index[c] for c in group], pf.index[hub]]
        e = group_economics(p, km, model, area=area, own=ds.own_costs(group))
        return {**{k: v[0] for k, v in e.items()}, "hub": hub}

    whole = econ(codes)
    low = econ(codes, costs.scenario("pessimistic"))
    high = econ(codes, costs.scenario("optimistic"))
    cache: dict[frozenset, float] = {}

    def cost_of(group) -> float:
        key = frozenset(group)
        if key not in cache:
            cache[key] = float(econ(sorted(key))["joint_total_nok"])
        return cache[key]

    return {
        "members": codes,
        "standalone": float(whole["standalone_nok"]),
        "joint": float(whole["joint_nok"]),
        "overhead": float(whole["overhead_nok"]),
        "travel": float(whole["travel_nok"]),
        "joint_total": float(whole["joint_total_nok"]),
        "net_gain": float(whole["net_gain_nok"]),
        "net_gain_low": float(low["net_gain_nok"]),
        "net_gain_high": float(high["net_gain_nok"]),
        "retained": float(whole["retained_nok"]),
        "own_given": dict(zip(codes, np.asarray(whole["own_given"], dtype=bool).tolist())),
        "hub": whole["hub"],
        "alone": dict(zip(codes, np.asarray(whole["alone_nok"], dtype=float).tolist())),
        "cost_of": cost_of,
    }
