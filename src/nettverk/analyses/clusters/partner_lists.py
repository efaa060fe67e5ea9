"""One municipality's partners: the clusters that contain it, ranked from its point of view."""

from __future__ import annotations

import math
from dataclasses import replace

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError, InfeasibleError
from nettverk._types import Municipality
from nettverk.data.dataset import Dataset
from nettverk.models.costs import CostModel, as_cost_model
from nettverk.models.partner.model import PartnerModel
from nettverk.network.municipalities import municipality_graph
from nettverk.solvers.partition import connected_sets

from .candidates import candidate_clusters, cluster_assignment
from .region import _is_block, _member_log_odds, _Region, _region, _rows, _score

__all__ = ["partners"]


def partners(
    ds: Dataset,
    kommunenummer: Municipality,
    *,
    top: int = 10,
    max_members: int = 10,
    min_members: int = 2,
    min_population: float | None = None,
    max_population: float | None = None,
    within_county: bool = False,
    rank_by: str = "partition",
    costs: CostModel | None = None,
    graph: nx.Graph | None = None,
    model: PartnerModel | None = None,
) -> gpd.GeoDataFrame:
    """Rank the feasible contiguous clusters that contain one municipality, as its partners.

    The ranking (``rank_by="partition"``, the default):

    1. the municipality's cluster in the best partition of the area around it
       (:func:`candidate_clusters` on the municipalities within ``max_members - 1`` natural-partner
       links; column ``best_partition``), where it is not alone there;
    2. then the clusters in which every member belongs (each member's log-odds to the rest, the
       sum of its ``u_ij - tau``, is at least 0; column ``all_belong``), by the municipality's own
       log-odds to the others (``own_log_odds``);
    3. then the rest; ties by the cluster's total score.

    ``rank_by="own"`` leaves out step 1; ``rank_by="total"`` ranks by the total score alone (the
    ranking before 2026-11, kept for comparison: it favours big clusters whose pairs mostly do
    not involve the municipality, so Bykle got Setesdal with Østre Agder's eight).
    ``weakest_member`` names the member whose log-odds to the rest is lowest. Partners may come
    from across the county border (``within_county=True`` keeps them inside). Each row keeps the
    money parts beside the score. ``benchmarks/validity.py`` (section 4) checks the three
    rankings against real partners out of sample.

    Parameters
    ----------
    ds : Dataset
    kommunenummer : code or name
    top : int
        How many clusters to return.
    max_members, min_members : int
        Cluster size, the municipality included.
    min_population, max_population : float, optional
        Bounds on a cluster's population.
    within_county : bool
        Only partners in the municipality's own county.
    rank_by : {"partition", "own", "total"}
    costs : CostModel, optional
    graph : networkx.Graph, optional
        A precomputed :func:`municipality_graph`.
    model : PartnerModel, optional
        Default: the shipped model.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster, ranked (``rank``), with the columns of :func:`candidate_clusters`
        and ``own_log_odds``, ``all_belong``, ``best_partition``, ``weakest_member``; the
        members' union as geometry. ``attrs["alone_in_best_partition"]`` says when the
        municipality stands alone in the best partition; ``attrs["partition_apart_reason"]``
        why its cluster there stays apart from the cluster next to it.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> p = partners(ds, "Gol", top=3, max_members=4)
    >>> len(p), all("3324" in m.split(",") for m in p["members"])
    (3, True)
    >>> best = partners(ds, "Flå", top=1)                                      # Hallingdal
    >>> sorted(best["member_names"].iloc[0].split(", ")), bool(best["best_partition"].iloc[0])
    (['Flå', 'Gol', 'Hemsedal', 'Hol', 'Nesbyen', 'Ål'], True)
    """
    costs = as_cost_model(costs)
    if min_members > max_members:
        raise InfeasibleError(f"min_members ({min_members}) is above max_members ({max_members})")
    if rank_by not in ("partition", "own", "total"):
        raise DataValidationError(f"rank_by must be 'partition', 'own' or 'total', not {rank_by!r}")
    code = ds.code(kommunenummer)
    G = graph if graph is not None else municipality_graph(ds)
    if within_county:
        f = ds.kommuner.at[code, "fylkesnummer"]
        G = G.subgraph(
            [c for c in G if c in ds.kommuner.index and ds.kommuner.at[c, "fylkesnummer"] == f]
        )
    reg, root, ball = _partner_region(ds, code, G, costs, model, max_members)
    no_natural = ball is None
    bounds = dict(
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
    )
    sets, _ = connected_sets(
        reg.adj,
        max_members,
        reg.pop,
        max_population if max_population is not None else math.inf,
        roots=[root],
    )
    sc = _score(sets, reg, costs)
    ok = _partner_feasible(sc, **bounds)
    if not ok.any():
        raise InfeasibleError(
            f"{code} {ds.kommuner.at[code, 'kommunenavn']} cannot reach any partner under the "
            "constraints; relax them"
        )
    member = _member_log_odds(sets, reg)
    own = member[sets == root]
    belong = member.min(axis=1) >= 0
    block = np.zeros(len(sets), dtype=bool)
    apart = ""
    if rank_by == "partition" and not no_natural:
        best, apart = _partition_block(ds, code, ball, G, costs, model, **bounds)
        block = _is_block(sets, reg, best)
    keys = (-sc["score"],) if rank_by == "total" else (-sc["score"], -own, ~belong, ~block)
    order = [i for i in np.lexsort((np.arange(len(sets)),) + keys) if ok[i]][:top]
    rows = _rows([list(sets[i][sets[i] >= 0]) for i in order], reg, costs, ds)
    rows.insert(0, "rank", np.arange(1, len(rows) + 1))
    _add_partner_columns(
        rows, ds, reg, sets[order], member[order], own[order], belong[order], block[order]
    )
    geom = [ds.kommuner.geometry.loc[m.split(",")].union_all() for m in rows["members"]]
    out = gpd.GeoDataFrame(rows, geometry=geom, crs=ds.kommuner.crs)
    out.attrs.update(
        {
            "kommunenummer": code,
            "n_candidates": int(ok.sum()),
            "rank_by": rank_by,
            "alone_in_best_partition": rank_by == "partition" and not block.any(),
            "partition_apart_reason": apart,
            "no_natural_partner": no_natural,
        }
    )
    return out


def _partner_region(
    ds: Dataset,
    code: str,
    G: nx.Graph,
    costs: CostModel,
    model: PartnerModel | None,
    max_members: int,
) -> tuple[_Region, int, list[str] | None]:
    """The municipalities within ``max_members - 1`` links as a region (they hold every candidate
    cluster), the municipality's index in it, and its natural partners within as many
    natural-partner links (the ball the best partition is solved on; ``None`` when it has no
    natural partner, and then the region links every neighbour instead)."""
    near = sorted(nx.single_source_shortest_path_length(G, code, cutoff=max_members - 1))
    reg = _region(ds, near, G, costs, {"model": model} if model else None)
    root = near.index(code)
    links = nx.Graph([(i, j) for i, nb in enumerate(reg.adj) for j in nb])
    links.add_node(root)
    natural = nx.single_source_shortest_path_length(links, root, cutoff=max_members - 1)
    if len(natural) > 1:
        return reg, root, sorted(near[i] for i in natural)
    index = {c: i for i, c in enumerate(near)}
    H = G.subgraph(near)
    return replace(reg, adj=[sorted(index[u] for u in H[c]) for c in near]), root, None


def _add_partner_columns(
    rows: pd.DataFrame,
    ds: Dataset,
    reg: _Region,
    sets: np.ndarray,
    member: np.ndarray,
    own: np.ndarray,
    belong: np.ndarray,
    block: np.ndarray,
) -> None:
    """After ``score``: the municipality's own log-odds, whether all belong, whether the cluster
    is the best partition's, and the weakest member with its log-odds to the rest."""
    names = ds.kommuner["kommunenavn"]
    weakest = [reg.codes[int(s[np.argmin(m)])] for s, m in zip(sets, member)]
    at = rows.columns.get_loc("score") + 1
    columns = {
        "own_log_odds": [round(float(v), 4) for v in own],
        "all_belong": [bool(v) for v in belong],
        "best_partition": [bool(v) for v in block],
        "weakest_member": [f"{c} {names[c]} ({m.min():.2f})" for c, m in zip(weakest, member)],
    }
    for k, (col, values) in enumerate(columns.items()):
        rows.insert(at + k, col, values)


def _partner_feasible(
    sc: dict,
    *,
    min_members: int,
    max_members: int,
    min_population: float | None,
    max_population: float | None,
) -> np.ndarray:
    """The candidate clusters of :func:`partners` that meet the size and population bounds."""
    ok = (sc["n_members"] >= max(2, min_members)) & (sc["n_members"] <= max_members)
    if min_population is not None:
        ok &= sc["innbyggere"] >= min_population
    if max_population is not None:
        ok &= sc["innbyggere"] <= max_population
    return ok


def _partition_block(
    ds: Dataset,
    code: str,
    ball: list[str],
    G: nx.Graph,
    costs: CostModel,
    model: PartnerModel | None,
    *,
    min_members: int,
    max_members: int,
    min_population: float | None,
    max_population: float | None,
) -> tuple[list[str], str]:
    """The municipality's cluster in the best partition of ``ball`` (its natural partners within
    ``max_members - 1`` links), and why that cluster stays apart from the one next to it.

    A cluster is contiguous through natural-partner links, so the municipality's cluster lies in
    this ball. On the embedded data the ball gives the same cluster as the whole connected part
    (checked for Flå, Bykle and Stord) and the same cluster at radius 6 as at 9 (Flå, Bykle,
    Stord, Hamar, Trondheim, Lillestrøm; Kongsberg gains Sigdal from radius 6), in 1 to 3 s.
    """
    res = candidate_clusters(
        ds,
        municipalities=ball,
        graph=G,
        model=model,
        costs=costs,
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        progress=False,
    )
    assign = cluster_assignment(res)
    cid = assign[code]
    reason = res.loc[res["cluster_id"] == cid, "apart_reason"].iloc[0]
    return sorted(assign.index[assign == cid]), reason
