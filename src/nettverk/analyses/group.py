"""One group's money, the way every command computes it (clusters, partners, join, rapport).

:func:`group_money` asks :func:`nettverk.models.economics.group_economics` with the partner
model's road-and-ferry km to the group's hub (its most populous member), so the rapport's gain
for Hallingdal is the gain ``clusters`` and ``partners`` print for the same six.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from nettverk._types import Municipalities
from nettverk.data.dataset import Dataset
from nettverk.models.costs import CostModel, as_cost_model
from nettverk.models.economics import group_economics, hub_index
from nettverk.models.partner.features import pair_features

__all__ = ["group_money", "kartlegging_template", "economics_sensitivity"]


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
        "net_gain_low": float(
            min(low["net_gain_nok"], high["net_gain_nok"], whole["net_gain_nok"])
        ),
        "net_gain_high": float(
            max(low["net_gain_nok"], high["net_gain_nok"], whole["net_gain_nok"])
        ),
        "retained": float(whole["retained_nok"]),
        "own_given": dict(zip(codes, np.asarray(whole["own_given"], dtype=bool).tolist())),
        "hub": whole["hub"],
        "alone": dict(zip(codes, np.asarray(whole["alone_nok"], dtype=float).tolist())),
        "cost_of": cost_of,
    }


def kartlegging_template(
    ds: Dataset, members: Municipalities, *, costs: CostModel | str | None = None
) -> pd.DataFrame:
    """The kartlegging template for a group: one row per member, pre-filled with the model's
    yearly ICT cost and its range, marked ``kilde = modell`` until the member writes its own.

    Examples
    --------
    >>> t = kartlegging_template(nv.load_default(), ["Gol", "Ål"])
    >>> list(t["kilde"]), bool((t["lav_nok"] <= t["ikt_kostnad_nok"]).all())
    (['modell', 'modell'], True)
    """
    from nettverk.models.costs import ECON_RANGES

    costs = as_cost_model(costs)
    codes = sorted(dict.fromkeys(ds.codes(members)))
    k = ds.kommuner.loc[codes]
    pop = k["innbyggere"].astype(float).to_numpy()
    model = costs.standalone_cost(pop)
    lo, hi = (ECON_RANGES["scale_a"][i] / costs.scale_a * model for i in (0, 1))
    own = ds.own_costs(codes)
    given = np.isfinite(own)
    return pd.DataFrame(
        {
            "kommunenummer": codes,
            "kommunenavn": k["kommunenavn"].to_numpy(),
            "innbyggere": pop.astype(int),
            "ikt_kostnad_nok": np.where(given, own, model.round(-3)),
            "lav_nok": lo.round(-3),
            "hoy_nok": hi.round(-3),
            "modell_nok": model.round(-3),
            "ikt_arsverk": "",
            "hovedsystemer": "",
            "leverandorer": "",
            "kontrakt_slutt_aar": "",
            "beholdes": "",
            "kilde": np.where(given, "egne tall", "modell"),
        }
    )


#: The economics parameters a group's sensitivity table varies (what moves its yearly gain).
GAIN_PARAMETERS = (
    "scale_a",
    "scale_beta",
    "coordination_fixed_nok",
    "coordination_per_member_nok",
    "retained_share",
    "travel_nok_km",
    "dispersion_per_100km",
)


def economics_sensitivity(
    ds: Dataset,
    groups: list[list[str]],
    *,
    area: str = "drift",
    costs: CostModel | str | None = None,
) -> pd.DataFrame:
    """Each group's yearly net gain with every economics parameter at its low and high end (one at
    a time, a tornado), and all at the least and most favourable end, each with its source.

    Examples
    --------
    >>> s = economics_sensitivity(nv.load_default(), [["Gol", "Ål", "Hol"]])
    >>> lo = s.set_index("scenario").loc["minst gunstig", "net_gain_nok"]
    >>> bool(lo < s.loc[0, "net_gain_nok"])
    True
    """
    from nettverk.models.costs import ALL_RANGES, sensitivity_cases

    base = as_cost_model(costs)
    rows = []
    for label, name, level, model in sensitivity_cases(base, GAIN_PARAMETERS):
        gains = [group_money(ds, g, area=area, costs=model)["net_gain"] for g in groups]
        rows.append(
            {
                "scenario": label,
                "parameter": name or "basis",
                "level": level or "base",
                "value": getattr(model, name) if name not in ("", "*") else None,
                "net_gain_nok": round(float(sum(gains)), 1),
                "source": ALL_RANGES[name][3] if name in ALL_RANGES else "",
            }
        )
    return pd.DataFrame(rows)
