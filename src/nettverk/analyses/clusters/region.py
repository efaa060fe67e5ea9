"""The region a partition is solved in: natural-partner links, candidate scores and constraints."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError, InfeasibleError
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import did_you_mean
from nettverk.models.economics import ECONOMICS_PARTS, group_economics, hub_index
from nettverk.models.costs import CostModel
from nettverk.models.partner.affinity import affinity_matrix
from nettverk.models.partner.features import pair_features
from nettverk.models.partner.model import PartnerModel, load_partner_model
from nettverk.network.municipalities import municipality_graph, pair_ties

__all__ = ["existing_groups", "natural_partner_graph"]


SCORE_COLUMNS = [
    "standalone_nok",
    "joint_nok",
    "retained_nok",
    "overhead_nok",
    "travel_nok",
    "net_gain_nok",
    "net_gain_low_nok",
    "net_gain_high_nok",
    "affinity_mean",
    "score",
]


# -- the region as arrays -----------------------------------------------------------------


@dataclass(frozen=True)
class _Region:
    codes: list[str]
    pop: np.ndarray
    km: np.ndarray  # road-and-ferry km between the members' centres (the partner model's)
    adj: list[list[int]]
    ties: np.ndarray  # pair log-odds u_ij - tau of the partner model
    collabs: dict  # (i, j) -> list of collaboration ids
    affinity: np.ndarray  # pair affinity u_ij
    objective: str = "affinity"
    tau: float = 0.0
    own: np.ndarray | None = None  # the members' own yearly ICT cost (kartlegging), NaN if none


def _region(
    ds: Dataset,
    codes: list[str],
    G: nx.Graph,
    costs: CostModel,
    pre: dict | None = None,
    model: PartnerModel | None = None,
) -> _Region:
    """The region as arrays; ``pre`` caches the dataset-wide ties and centres between calls.

    Two municipalities are neighbours for clustering where they are neighbours in ``G`` and
    the partner model finds them natural partners (``u_ij > tau``): a cluster is contiguous
    through such links.
    """
    if pre is None:
        pre = {}
    model = model or pre.get("model") or load_partner_model()
    if "ties" not in pre:
        pre["ties"] = pair_ties(ds)
        pre["km"] = pair_features(ds).km
        pre["U"] = affinity_matrix(ds, model)
        pre["all_codes"] = {c: i for i, c in enumerate(ds.kommuner.index)}
    index = {c: i for i, c in enumerate(codes)}
    at = np.array([pre["all_codes"][c] for c in codes])
    U = pre["U"][np.ix_(at, at)]
    W = U - model.tau
    np.fill_diagonal(W, 0.0)
    H = G.subgraph(codes)
    objective = pre.get("objective", "affinity")
    adj = [
        sorted(index[u] for u in H[c] if objective == "money" or W[index[c], index[u]] > 0)
        for c in codes
    ]
    pop = ds.kommuner.loc[codes, "innbyggere"].to_numpy(dtype=float)
    km = pre["km"][np.ix_(at, at)]
    collabs = {}
    t = pre["ties"]
    t = t[t["u"].isin(index) & t["v"].isin(index)]
    for r in t.itertuples(index=False):
        i, j = index[r.u], index[r.v]
        if r.collaborations:
            collabs[(min(i, j), max(i, j))] = list(r.collaborations)
    own = ds.own_costs(codes)
    return _Region(codes, pop, km, adj, W, collabs, U, objective, model.tau, own)


def natural_partner_graph(
    ds: Dataset, *, graph: nx.Graph | None = None, model: PartnerModel | None = None
) -> nx.Graph:
    """The neighbours (border, ferry, bridge) that the partner model finds natural partners.

    An edge of :func:`municipality_graph` is kept where ``u_ij > tau``; it carries
    ``affinity`` (``u_ij``) and ``log_odds`` (``u_ij - tau``). Clusters are contiguous in this
    graph.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> H = natural_partner_graph(ds)
    >>> H.has_edge("3324", "3328"), H.number_of_nodes()       # Gol and Ål
    (True, 357)
    """
    model = model or load_partner_model()
    G = graph if graph is not None else municipality_graph(ds)
    U = affinity_matrix(ds, model)
    idx = {c: i for i, c in enumerate(ds.kommuner.index)}
    H = nx.Graph(**G.graph)
    H.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        if u in idx and v in idx and U[idx[u], idx[v]] > model.tau:
            H.add_edge(
                u,
                v,
                **d,
                affinity=float(U[idx[u], idx[v]]),
                log_odds=float(U[idx[u], idx[v]] - model.tau),
            )
    return H


# -- enumeration of connected sets ----------------------------------------------------------

# -- scoring ------------------------------------------------------------------------------


def _score(sets: np.ndarray, reg: _Region, costs: CostModel) -> dict[str, np.ndarray]:
    """Score each padded set; every component as an array (the money from
    :func:`~nettverk.models.economics.group_economics`, the hub its most populous member)."""
    mask = sets >= 0
    idx = np.where(mask, sets, 0)
    pops = np.where(mask, reg.pop[idx], 0.0)
    rows = np.arange(len(sets))
    hub = idx[rows, hub_index(pops)]
    km = reg.km[idx, hub[:, None]]
    own = None if reg.own is None else np.where(mask, reg.own[idx], np.nan)
    money = group_economics(pops, km, costs, own=own)
    ends = [
        group_economics(pops, km, costs.scenario(s), own=own)["net_gain_nok"]
        for s in ("pessimistic", "optimistic")
    ]
    n, total = money["n_members"], money["innbyggere"]
    # pair sums of the affinity, padding pointing at an extra row and column of zeros
    m = len(reg.codes)
    U = np.zeros((m + 1, m + 1))
    U[:m, :m] = reg.affinity
    np.fill_diagonal(U, 0.0)
    pad = np.where(mask, sets, m)
    usum = np.zeros(len(sets))
    k = sets.shape[1]
    for a in range(k):
        for b in range(a + 1, k):
            usum += U[pad[:, a], pad[:, b]]
    npairs = n * (n - 1) / 2
    affinity = usum - reg.tau * npairs  # the pairs' log-odds u_ij - tau
    net = money["net_gain_nok"]
    largest = np.where(total > 0, pops.max(axis=1) / np.where(total > 0, total, 1), 1.0)
    return {
        **{k: money[k] for k in ECONOMICS_PARTS if k not in ("hub", "joint_total_nok")},
        "net_gain_low_nok": np.minimum.reduce([ends[0], ends[1], money["net_gain_nok"]]),
        "net_gain_high_nok": np.maximum.reduce([ends[0], ends[1], money["net_gain_nok"]]),
        "own_numbers": (money["own_given"] & mask).sum(axis=1),
        "affinity_mean": np.where(npairs > 0, usum / np.maximum(npairs, 1), 0.0),
        "score": net if reg.objective == "money" else affinity,
        "largest_share": largest,
        "hub": hub,
    }


def _member_log_odds(sets: np.ndarray, reg: _Region) -> np.ndarray:
    """Each member's log-odds to the rest of its set (the sum of its ``u_ij - tau``).

    Padding gets ``+inf``, so a row's minimum is its weakest member.

    Examples
    --------
    >>> W = np.array([[0.0, 2.0, -1.0], [2.0, 0.0, 0.5], [-1.0, 0.5, 0.0]])
    >>> reg = _Region(["a", "b", "c"], np.ones(3), np.zeros((3, 3)), [[1], [0, 2], [1]], W, {}, W)
    >>> _member_log_odds(np.array([[0, 1, 2], [0, 1, -1]]), reg)
    array([[ 1. ,  2.5, -0.5],
           [ 2. ,  2. ,  inf]])
    """
    m = len(reg.codes)
    W = np.zeros((m + 1, m + 1))
    W[:m, :m] = reg.ties
    np.fill_diagonal(W, 0.0)
    pad = np.where(sets >= 0, sets, m)
    out = np.zeros(sets.shape)
    for a in range(sets.shape[1]):
        out[:, a] = W[pad[:, a][:, None], pad].sum(axis=1)
    return np.where(sets >= 0, out, np.inf)


# -- constraints ---------------------------------------------------------------------------


def _merge_groups(groups: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Merge overlapping keep-together groups; return the groups and notes on merges."""
    G = nx.Graph()
    for g in groups:
        g = list(dict.fromkeys(g))
        G.add_nodes_from(g)
        G.add_edges_from(zip(g, g[1:]))
    merged = [sorted(c) for c in nx.connected_components(G)]
    merged.sort()
    notes = []
    for m in merged:
        parts = [g for g in groups if set(g) & set(m)]
        if len(parts) > 1:
            notes.append(f"overlapping groups merged into one: {', '.join(m)}")
    return merged, notes


def _feasible(
    sc: dict,
    sets: np.ndarray,
    *,
    min_members: int,
    max_members: int,
    min_population: float | None,
    max_population: float | None,
    group_of: np.ndarray,
    group_size: np.ndarray,
    must_join: np.ndarray,
) -> np.ndarray:
    n = sc["n_members"]
    single = n == 1
    ok = (n >= min_members) & (n <= max_members)
    if min_population is not None:
        ok &= sc["innbyggere"] >= min_population
    if max_population is not None:
        ok &= sc["innbyggere"] <= max_population
    mask = sets >= 0
    idx = np.where(mask, sets, 0)
    if len(group_size):
        gid = np.where(mask, group_of[idx], -1)
        for g, size in enumerate(group_size):
            cnt = (gid == g).sum(axis=1)
            ok &= (cnt == 0) | (cnt == size)
            single &= (cnt == 0) | (cnt == size)
    single &= ~np.where(mask, must_join[idx], False).any(axis=1)
    return ok | single


def _rows(sets_idx: list[list[int]], reg: _Region, costs: CostModel, ds: Dataset) -> pd.DataFrame:
    sc = _score(_pad(sets_idx), reg, costs)
    names = ds.kommuner["kommunenavn"]
    rows = []
    for i, s in enumerate(sets_idx):
        codes = sorted(reg.codes[j] for j in s)
        shared = set()
        for a in s:
            for b in s:
                if a < b:
                    shared.update(reg.collabs.get((a, b), []))
        largest = max(codes, key=lambda c: (ds.kommuner.at[c, "innbyggere"], c))
        rows.append(
            {
                "members": ",".join(codes),
                "member_names": ", ".join(names[c] for c in codes),
                "n_members": int(sc["n_members"][i]),
                "innbyggere": int(sc["innbyggere"][i]),
                **{
                    c: round(float(sc[c][i]), 1 if c.endswith("_nok") else 4) for c in SCORE_COLUMNS
                },
                "cost_source": _cost_source(int(sc["own_numbers"][i]), len(s)),
                "largest_member": f"{largest} {names[largest]}",
                "largest_share": round(float(sc["largest_share"][i]), 3),
                "hub": f"{reg.codes[int(sc['hub'][i])]} {names[reg.codes[int(sc['hub'][i])]]}",
                "shared_collaborations": ", ".join(sorted(shared)),
                "alone": bool(sc["n_members"][i] == 1),
            }
        )
    return pd.DataFrame(rows)


def _cost_source(own: int, n: int) -> str:
    """Where a group's ICT costs come from: the members' own numbers or the model."""
    if own == 0:
        return "modell"
    return "egne tall" if own == n else f"egne tall for {own} av {n}, modell for resten"


def _parse_groups(ds: Dataset, keep_together) -> list[list[str]]:
    groups = []
    for g in keep_together or ():
        groups.append(ds.codes(g) if not isinstance(g, str) else ds.codes(g))
    return groups


def existing_groups(ds: Dataset, area: str) -> list[list[str]]:
    """Members of each active collaboration in one area, as keep-together groups."""
    from nettverk.data.vocab import AREAS, normalise_term

    term = normalise_term(area)
    if term not in AREAS:
        raise DataValidationError(
            f"unknown area {area!r}{did_you_mean(area, AREAS)}; use one of {', '.join(AREAS)}"
        )
    med = ds.active_memberships(area=term)
    return [sorted(set(g["kommunenummer"])) for _, g in med.groupby("samarbeid_id", sort=True)]


def _check_groups(G: nx.Graph, codes: list[str], groups: list[list[str]], max_members: int) -> None:
    for g in groups:
        if len(g) > max_members:
            raise InfeasibleError(
                f"keep-together group {', '.join(g)} has {len(g)} members, above max_members "
                f"{max_members}"
            )
        if not nx.is_connected(G.subgraph(g)) and not _connected_within(
            G.subgraph(codes), g, max_members
        ):
            raise InfeasibleError(
                f"keep-together group {', '.join(g)} cannot form one contiguous cluster of at most "
                f"{max_members}"
            )


def _pad(parts: list[list[int]]) -> np.ndarray:
    k = max(len(p) for p in parts)
    arr = np.full((len(parts), k), -1, dtype=np.int32)
    for i, p in enumerate(parts):
        arr[i, : len(p)] = sorted(p)
    return arr


def _is_block(sets: np.ndarray, reg: _Region, block: list[str]) -> np.ndarray:
    """Which padded sets are exactly ``block``."""
    want = np.zeros(len(reg.codes) + 1, dtype=bool)
    idx = {c: i for i, c in enumerate(reg.codes)}
    if len(block) < 2 or any(c not in idx for c in block):
        return np.zeros(len(sets), dtype=bool)
    want[[idx[c] for c in block]] = True
    pad = np.where(sets >= 0, sets, len(reg.codes))
    n = (sets >= 0).sum(axis=1)
    return (n == len(block)) & (want[pad] | (sets < 0)).all(axis=1)


def _connected_within(H: nx.Graph, group: list[str], kmax: int) -> bool:
    """Whether a group can be joined into one connected set of at most kmax vertices."""
    from networkx.algorithms.approximation import steiner_tree

    if not all(nx.has_path(H, group[0], g) for g in group[1:]):
        return False
    T = steiner_tree(H, group)
    return T.number_of_nodes() <= kmax
