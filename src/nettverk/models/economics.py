"""A group's economics, computed in one place for every command.

For a group running one service area (``drift`` by default) together, with its hub at the most
populous member (:func:`hub_index`)::

    alone_i    = w * a * P_i**beta  (or the member's own cost, ``kartlegging``)
    standalone = sum_i alone_i                              each member alone
    retained   = r * standalone                             what stays in-house (security lead,
                                                            system owners)
    joint      = (1 - r) * L * w * a * (sum_i P_i)**beta    the scale curve for the whole group
    overhead   = w * (coordination_fixed + per_member * (n - 1))
    travel     = sum_i km_i * (w * trips * 2 * NOK/km + alone_i * dispersion / 100 km)
    net gain   = standalone - retained - joint - overhead - travel     (NOK per year)

``L`` is the members' own level: the sum of their costs (own numbers where given) over the
model's for them, so a group whose members spend more than the model says saves more in kroner
while the scale curve keeps its shape.

``w`` is the area's share of full ICT operations (:data:`~nettverk.models.costs.AREA_WEIGHTS`),
``km_i`` the road-and-ferry km from member ``i``'s centre to the hub (the partner model's
travel). ``clusters``, ``partners``, ``join`` and ``rapport`` all call :func:`group_economics`,
so a group has one gain whatever the command.
"""

from __future__ import annotations

import numpy as np

from .costs import AREA_WEIGHTS, CostModel

__all__ = [
    "group_economics",
    "hub_index",
    "cash_flow",
    "realised_share",
    "ECONOMICS_PARTS",
    "PLAN_YEARS",
]

#: The parts :func:`group_economics` returns (NOK per year, but ``n_members``, ``innbyggere``
#: and ``hub``).
ECONOMICS_PARTS = (
    "n_members",
    "innbyggere",
    "standalone_nok",
    "joint_nok",
    "retained_nok",
    "overhead_nok",
    "travel_nok",
    "joint_total_nok",
    "net_gain_nok",
    "hub",
)


def hub_index(pops: np.ndarray) -> np.ndarray:
    """The hub of each group (row): its most populous member (the first of equals).

    Examples
    --------
    >>> hub_index(np.array([[100.0, 300.0, 300.0], [5.0, 0.0, 0.0]])).tolist()
    [1, 0]
    """
    pops = np.atleast_2d(np.asarray(pops, dtype=float))
    return np.argmax(np.where(pops > 0, pops, -1.0), axis=1)


def group_economics(
    pops: np.ndarray,
    km_to_hub: np.ndarray,
    costs: CostModel,
    *,
    area: str = "drift",
    own: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Standalone, joint, retained, overhead, travel and net gain of groups (rows; zeros pad).

    Parameters
    ----------
    pops : array (groups x members)
        Inhabitants of each member; 0 marks padding. A 1-D array is one group.
    km_to_hub : array like ``pops``
        Road-and-ferry km from each member to its group's hub (:func:`hub_index`).
    costs : CostModel
    area : str
        The service area (its share of full operations, ``AREA_WEIGHTS``).
    own : array like ``pops``, optional
        The members' own yearly ICT operations cost (NaN where not given): used instead of the
        model's ``a * P**beta`` for that member (scaled by the area's weight).

    Returns
    -------
    dict of arrays, one value per group: the parts of :data:`ECONOMICS_PARTS`, ``alone_nok``
    (groups x members, each member's own cost) and ``own_given`` (members with their own number).

    Examples
    --------
    >>> c = CostModel()
    >>> e = group_economics(np.array([10_000.0, 10_000.0]), np.array([0.0, 25.0]), c)
    >>> round(float(e["standalone_nok"][0])), round(float(e["joint_nok"][0]))
    (22083507, 16143643)
    >>> parts = e["joint_nok"] + e["retained_nok"] + e["overhead_nok"] + e["travel_nok"]
    >>> bool(np.allclose(e["net_gain_nok"], e["standalone_nok"] - parts))
    True
    """
    pops = np.atleast_2d(np.asarray(pops, dtype=float))
    km = np.atleast_2d(np.asarray(km_to_hub, dtype=float))
    mask = pops > 0
    w = AREA_WEIGHTS.get(area, 1.0)
    n = mask.sum(axis=1)
    total = pops.sum(axis=1)
    model = w * costs.scale_a * np.power(np.where(mask, pops, 0.0), costs.scale_beta) * mask
    given = np.zeros_like(mask)
    alone = model
    if own is not None:
        own = np.atleast_2d(np.asarray(own, dtype=float))
        given = mask & np.isfinite(own)
        alone = np.where(given, w * np.where(given, own, 0.0), model)
    standalone = alone.sum(axis=1)
    level = np.where(model.sum(axis=1) > 0, standalone / np.maximum(model.sum(axis=1), 1e-9), 1.0)
    r = costs.retained_share
    retained = r * standalone
    joint = (1 - r) * level * w * costs.scale_a * np.power(total, costs.scale_beta)
    overhead = w * np.where(
        n > 1, costs.coordination_fixed_nok + costs.coordination_per_member_nok * (n - 1), 0.0
    )
    single = n <= 1  # one member alone: nothing is shared, nothing retained apart
    joint = np.where(single, standalone, joint)
    retained = np.where(single, 0.0, retained)
    km = np.where(mask, km, 0.0)
    travel = (km.sum(axis=1) * w * costs.travel_per_km()) + (alone * km).sum(
        axis=1
    ) * costs.dispersion_per_100km / 100
    joint_total = joint + retained + overhead + travel
    return {
        "n_members": n,
        "innbyggere": total,
        "standalone_nok": standalone,
        "joint_nok": joint,
        "retained_nok": retained,
        "overhead_nok": overhead,
        "travel_nok": travel,
        "joint_total_nok": joint_total,
        "net_gain_nok": standalone - joint_total,
        "hub": hub_index(pops),
        "alone_nok": alone,
        "own_given": given,
    }


#: The years of the municipal economic plan (økonomiplan) a cash flow covers.
PLAN_YEARS = 4


def realised_share(costs: CostModel, years: int = PLAN_YEARS) -> np.ndarray:
    """The share of the full yearly gain realised in each year: none in the first (set-up), then
    rising evenly to all after ``realisation_years`` more.

    Examples
    --------
    >>> realised_share(CostModel()).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    t = np.arange(years, dtype=float)
    return np.minimum(1.0, t / max(costs.realisation_years, 1e-9))


def cash_flow(
    yearly_gain: np.ndarray, one_off: np.ndarray, costs: CostModel, years: int = PLAN_YEARS
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's money year by year over the economic plan, and the year it pays back.

    Year ``t`` brings the yearly gain times :func:`realised_share`, less the one-off transition
    cost in the first year. The payback year is the first whose running sum reaches 0 (0 where
    it does not within ``years``).

    Examples
    --------
    >>> flows, back = cash_flow(np.array([1.0e6, 0.2e6]), np.array([0.8e6, 0.8e6]), CostModel())
    >>> (flows[0] / 1e6).round(2).tolist(), back.tolist()
    ([-0.8, 0.5, 1.0, 1.0], [3, 0])
    """
    gain = np.atleast_1d(np.asarray(yearly_gain, dtype=float))
    once = np.atleast_1d(np.asarray(one_off, dtype=float))
    flows = gain[:, None] * realised_share(costs, years)[None, :]
    flows[:, 0] -= once
    run = np.cumsum(flows, axis=1)
    ok = run >= 0
    back = np.where(ok.any(axis=1), ok.argmax(axis=1) + 1, 0)
    return flows, back
