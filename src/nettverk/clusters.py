"""Candidate partner clusters: contiguous, constrained, optimal where the region allows.

The region's municipality graph (borders, ferries, bridges) is searched for every connected
set of municipalities that meets the constraints; each set is scored under the cost model,
and the set partition with the highest total score is solved exactly: the LP relaxation by
column generation with HiGHS (``scipy.optimize.linprog``) gives a bound and reduced costs, and a
depth-first search over the columns that can still beat the best known partition proves the
optimum (or stops at ``time_limit`` with the gap). The search starts from a plain greedy merge
improved by local search, so the result is never worse than the greedy merge, whose objective
is reported too.

Score of a cluster S (the partner model, :mod:`nettverk.partner_model`)::

    score = sum over pairs i < j in S of (u_ij - tau)

the log-odds that the members belong together: ``u_ij`` is the fitted affinity of the pair
(travel, border, commuting, BA-region, regional council, other shared collaborations, size
gap, ...), ``tau`` the threshold fitted on real groups. Clusters are contiguous through
*natural-partner links*: neighbours (border, ferry, bridge) with ``u_ij > tau``
(:func:`natural_partner_graph`); keep-together groups and municipalities that must join may
link through any neighbour. The money is shown beside the score, in NOK per year:

- ``standalone_nok``: sum of the members' standalone ICT cost ``a * P_i**beta``;
- ``joint_nok``: ``a * (sum P_i)**beta``, the scale economy of one operation;
- ``overhead_nok``: coordination, fixed plus per member beyond the first;
- ``travel_nok``: straight-line km from each member's centre to the hub (the most populous
  member) times trips per year, plus the dispersion loss;
- ``net_gain_nok = standalone_nok - joint_nok - overhead_nok - travel_nok``.

``objective="money"`` maximises ``net_gain_nok`` alone over the plain neighbour graph instead
(the old model, kept for comparison: the biggest town always wins).
A singleton scores 0: a municipality may be best alone, and is flagged ``alone``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from . import settings
from ._errors import DataValidationError, InfeasibleError
from .costs import CostModel, as_cost_model
from .dataset import Dataset
from .graph import centres, municipality_graph, pair_ties
from .partition import Deadline, connected_sets, solve_partition
from .partner_model import PartnerModel, affinity_matrix, load_partner_model
from ._types import Counties, Municipalities, Municipality
from .columns import number_text

__all__ = [
    "candidate_clusters",
    "partners",
    "score_clusters",
    "cluster_assignment",
    "existing_groups",
    "natural_partner_graph",
    "cluster_summary_lines",
]

SCORE_COLUMNS = [
    "standalone_nok",
    "joint_nok",
    "overhead_nok",
    "travel_nok",
    "net_gain_nok",
    "affinity_mean",
    "score",
]


# -- the region as arrays -----------------------------------------------------------------


@dataclass(frozen=True)
class _Region:
    codes: list[str]
    pop: np.ndarray
    xy: np.ndarray
    adj: list[list[int]]
    ties: np.ndarray  # pair log-odds u_ij - tau of the partner model
    collabs: dict  # (i, j) -> list of collaboration ids
    affinity: np.ndarray  # pair affinity u_ij
    objective: str = "affinity"
    tau: float = 0.0


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
        pre["centres"] = centres(ds)
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
    cen = pre["centres"].loc[codes]
    xy = np.column_stack([cen.x.to_numpy(), cen.y.to_numpy()])
    collabs = {}
    t = pre["ties"]
    t = t[t["u"].isin(index) & t["v"].isin(index)]
    for r in t.itertuples(index=False):
        i, j = index[r.u], index[r.v]
        if r.collaborations:
            collabs[(min(i, j), max(i, j))] = list(r.collaborations)
    return _Region(codes, pop, xy, adj, W, collabs, U, objective, model.tau)


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
    """Score each padded set; every component as an array."""
    mask = sets >= 0
    idx = np.where(mask, sets, 0)
    pops = np.where(mask, reg.pop[idx], 0.0)
    n = mask.sum(axis=1)
    total = pops.sum(axis=1)
    standalone = (costs.scale_a * np.power(pops, costs.scale_beta) * mask).sum(axis=1)
    joint = costs.scale_a * np.power(total, costs.scale_beta)
    overhead = np.where(
        n > 1, costs.coordination_fixed_nok + costs.coordination_per_member_nok * (n - 1), 0.0
    )
    hub = idx[np.arange(len(sets)), np.argmax(np.where(mask, pops, -1), axis=1)]
    d = (
        np.hypot(reg.xy[idx, 0] - reg.xy[hub, 0][:, None], reg.xy[idx, 1] - reg.xy[hub, 1][:, None])
        / 1000
    )
    own = costs.scale_a * np.power(pops, costs.scale_beta)
    travel = (d * mask).sum(axis=1) * costs.travel_per_km() + (own * d * mask).sum(
        axis=1
    ) * costs.dispersion_per_100km / 100
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
    net = standalone - joint - overhead - travel
    largest = np.where(total > 0, pops.max(axis=1) / np.where(total > 0, total, 1), 1.0)
    return {
        "n_members": n,
        "innbyggere": total,
        "standalone_nok": standalone,
        "joint_nok": joint,
        "overhead_nok": overhead,
        "travel_nok": travel,
        "net_gain_nok": net,
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
    >>> reg = _Region(["a", "b", "c"], np.ones(3), np.zeros((3, 2)), [[1], [0, 2], [1]], W, {}, W)
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
                "largest_member": f"{largest} {names[largest]}",
                "largest_share": round(float(sc["largest_share"][i]), 3),
                "hub": f"{reg.codes[int(sc['hub'][i])]} {names[reg.codes[int(sc['hub'][i])]]}",
                "shared_collaborations": ", ".join(sorted(shared)),
                "alone": bool(sc["n_members"][i] == 1),
            }
        )
    return pd.DataFrame(rows)


def _parse_groups(ds: Dataset, keep_together) -> list[list[str]]:
    groups = []
    for g in keep_together or ():
        groups.append(ds.codes(g) if not isinstance(g, str) else ds.codes(g))
    return groups


def existing_groups(ds: Dataset, area: str) -> list[list[str]]:
    """Members of each active collaboration in one area, as keep-together groups."""
    from ._validate import AREAS, normalise_term

    term = normalise_term(area)
    if term not in AREAS:
        raise DataValidationError(f"unknown area {area!r}; use one of {', '.join(AREAS)}")
    med = ds.active_memberships(area=term)
    return [sorted(set(g["kommunenummer"])) for _, g in med.groupby("samarbeid_id", sort=True)]


@dataclass(frozen=True)
class _Solved:
    """One region solved: the clusters as lists of codes and what is proven about them."""

    parts: list[list[str]]
    objective: float
    bound: float | None
    status: str
    greedy_objective: float
    n_candidates: int


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


def _feasible_columns(
    ds: Dataset,
    codes: list[str],
    sets: np.ndarray,
    sc: dict,
    *,
    min_members: int,
    max_members: int,
    min_population,
    max_population,
    groups: list[list[str]],
    must: set[str],
) -> np.ndarray:
    """The columns (over ``codes``) that meet the constraints; an error naming every municipality
    none covers."""
    index = {c: i for i, c in enumerate(codes)}
    group_of = np.full(len(codes), -1)
    groups = [g for g in groups if g[0] in index]
    for gi, g in enumerate(groups):
        group_of[[index[c] for c in g]] = gi
    ok = _feasible(
        sc,
        sets,
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        group_of=group_of,
        group_size=np.array([len(g) for g in groups], dtype=int),
        must_join=np.array([c in must for c in codes], dtype=bool),
    )
    covered = np.zeros(len(codes), dtype=bool)
    covered[sets[ok][sets[ok] >= 0]] = True
    if not covered.all():
        bad = [
            f"{codes[i]} {ds.kommuner.at[codes[i], 'kommunenavn']}"
            for i in np.flatnonzero(~covered)
        ]
        raise InfeasibleError(
            f"no feasible cluster for {', '.join(bad)} under the constraints (size "
            f"{min_members}-{max_members}, "
            f"population {min_population or 0:,.0f}-{max_population or math.inf:,.0f}, "
            "keep-together/include); relax them"
        )
    return ok


def _components(adj: list[list[int]]) -> list[list[int]]:
    """Connected parts of the clustering graph; clusters never span two, so each is solved alone."""
    seen = np.zeros(len(adj), dtype=bool)
    out = []
    for v in range(len(adj)):
        if seen[v]:
            continue
        comp, stack = [], [v]
        seen[v] = True
        while stack:
            u = stack.pop()
            comp.append(u)
            for w in adj[u]:
                if not seen[w]:
                    seen[w] = True
                    stack.append(w)
        out.append(sorted(comp))
    return out


def _solve_component(
    ds: Dataset,
    reg: _Region,
    comp: list[int],
    costs: CostModel,
    starts,
    *,
    min_members: int,
    max_members: int,
    min_population,
    max_population,
    groups,
    must,
    deadline: Deadline,
    progress: bool = False,
) -> _Solved:
    """Enumerate, score and partition one connected part of the region."""
    local = {v: i for i, v in enumerate(comp)}
    adj = [[local[w] for w in reg.adj[v]] for v in comp]
    codes = [reg.codes[v] for v in comp]
    max_pop = max_population if max_population is not None else math.inf
    sets, complete = connected_sets(adj, max_members, reg.pop[comp], max_pop, deadline=deadline)
    glob = np.where(sets >= 0, np.asarray(comp)[np.where(sets >= 0, sets, 0)], -1)
    sc = _score(glob, reg, costs)
    ok = _feasible_columns(
        ds,
        codes,
        sets,
        sc,
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        groups=groups,
        must=must,
    )
    sets, scores = sets[ok], sc["score"][ok]
    idx = {c: i for i, c in enumerate(codes)}
    local_starts = [
        [tuple(sorted(idx[c] for c in p)) for p in st if all(c in idx for c in p)] for st in starts
    ]
    local_starts = [st for st in local_starts if sum(len(p) for p in st) == len(comp)]
    sol = solve_partition(
        sets,
        scores,
        len(comp),
        adj,
        starts=local_starts,
        deadline=deadline,
        complete=complete,
        progress=progress,
    )
    if sol.columns is None:
        raise InfeasibleError("no partition of the region meets the constraints; relax them")
    parts = [sorted(codes[i] for i in sets[j][sets[j] >= 0]) for j in sol.columns]
    return _Solved(
        parts,
        float(scores[sol.columns].sum()),
        sol.bound,
        sol.status,
        sol.greedy_objective,
        int(len(sets)),
    )


def _combine(solved: list[_Solved]) -> _Solved:
    """Parts solved on their own, as one: sums, and the weakest status."""
    bounds = [r.bound for r in solved]
    return _Solved(
        [p for r in solved for p in r.parts],
        sum(r.objective for r in solved),
        None if any(b is None for b in bounds) else sum(bounds),
        next((r.status for r in solved if r.status != "optimal"), "optimal"),
        sum(r.greedy_objective for r in solved),
        sum(r.n_candidates for r in solved),
    )


def _solve_codes(
    ds: Dataset,
    codes: list[str],
    G: nx.Graph,
    costs: CostModel,
    *,
    min_members: int,
    max_members: int,
    min_population,
    max_population,
    groups: list[list[str]],
    must: set[str],
    deadline: Deadline,
    progress: bool,
    starts=None,
    pre: dict | None = None,
) -> _Solved:
    """Solve one region: its arrays, then each connected part of its clustering graph on its own.

    A cluster is connected in the clustering graph, so the partition splits exactly along its
    connected parts; each is enumerated, bounded and searched alone (the objectives and bounds
    add up).
    """
    reg = _region(ds, codes, G, costs, pre)
    index = {c: i for i, c in enumerate(codes)}
    _open_links(reg, G, index, groups, must)
    _check_groups(G, codes, groups, max_members)
    comps = _components(reg.adj)
    it = comps
    if progress and len(comps) > 1:
        from tqdm.auto import tqdm

        it = tqdm(comps, desc="Løser sammenhengende deler", unit="del", leave=False)
    opts = dict(
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        groups=groups,
        must=must,
        deadline=deadline,
        progress=progress,
    )
    starts = [st for st in (starts or []) if st]
    return _combine([_solve_component(ds, reg, comp, costs, starts, **opts) for comp in it])


def _solve_counties(
    ds: Dataset,
    codes: list[str],
    G: nx.Graph,
    costs: CostModel,
    counties_in: list[str],
    cross_county: bool,
    opts: dict,
    notes: list[str],
) -> _Solved:
    """A region of several counties: as a whole (default), or county by county
    (``cross_county=False``).

    As a whole the region still splits into the connected parts of its clustering graph, so
    crossing county borders costs little more than solving each county.
    """
    groups, must = opts["groups"], opts["must"]
    if cross_county:
        notes.append(
            f"clusters may cross county borders ({len(counties_in)} counties solved as one region)"
        )
        return _solve_codes(ds, codes, G, costs, **opts)
    for g in groups:
        spans = sorted({ds.kommuner.at[c, "fylkesnummer"] for c in g})
        if len(spans) > 1:
            raise InfeasibleError(
                f"keep-together group {', '.join(g)} spans counties {', '.join(spans)}; "
                "let clusters cross county borders (drop --per-county)"
            )
    by_county = {
        f: [c for c in codes if ds.kommuner.at[c, "fylkesnummer"] == f] for f in counties_in
    }
    it = by_county.items()
    if opts["progress"]:
        from tqdm.auto import tqdm

        it = tqdm(list(it), desc="Fylker", unit="fylke", leave=False)
    solved = []
    for _f, sub in it:
        sub_groups = [g for g in groups if set(g) <= set(sub)]
        try:
            solved.append(
                _solve_codes(
                    ds, sub, G, costs, **{**opts, "groups": sub_groups, "must": must & set(sub)}
                )
            )
        except InfeasibleError as exc:
            raise InfeasibleError(
                f"{exc} (the region was solved county by county; drop --per-county to let "
                "clusters cross county borders)"
            ) from exc
    notes.append(
        f"solved county by county ({len(counties_in)} counties, --per-county): clusters stay "
        "within a county"
    )
    return _combine(solved)


def _open_links(
    reg: _Region, G: nx.Graph, index: dict, groups: list[list[str]], must: set[str]
) -> None:
    """Let the user's constraints join through any neighbour link, natural partners or not.

    Members of a keep-together group may link to each other, and a municipality that must
    join a cluster may link to any neighbour.
    """
    pairs = [(u, v) for g in groups for u in g for v in G[u] if v in g]
    pairs += [(c, v) for c in must if c in index for v in G[c]]
    for u, v in pairs:
        if u in index and v in index:
            i, j = index[u], index[v]
            if j not in reg.adj[i]:
                reg.adj[i].append(j)
                reg.adj[i].sort()
                reg.adj[j].append(i)
                reg.adj[j].sort()


def _pad(parts: list[list[int]]) -> np.ndarray:
    k = max(len(p) for p in parts)
    arr = np.full((len(parts), k), -1, dtype=np.int32)
    for i, p in enumerate(parts):
        arr[i, : len(p)] = sorted(p)
    return arr


def candidate_clusters(
    ds: Dataset,
    *,
    counties: Counties | None = None,
    municipalities: Municipalities | None = None,
    min_members: int = 2,
    max_members: int = 10,
    min_population: float | None = None,
    max_population: float | None = None,
    include: Municipalities = (),
    exclude: Municipalities = (),
    keep_together: Iterable[Municipalities] = (),
    keep_existing: str | None = None,
    costs: CostModel | str | None = None,
    time_limit: float | None = None,
    cross_county: bool = True,
    graph: nx.Graph | None = None,
    progress: bool | None = None,
    model: PartnerModel | None = None,
    objective: str = "affinity",
) -> gpd.GeoDataFrame:
    """Partition a region into contiguous candidate clusters with the highest total score.

    Parameters
    ----------
    ds : Dataset
    counties, municipalities : optional
        The region: counties by number or name, and/or municipalities by code or name
        (default: all of the dataset).
    min_members, max_members : int
        Size of a cluster of several municipalities. A municipality may still stand alone
        (flagged ``alone``) when it has no natural partner. Real collaborations have 2 to 14
        members; on the embedded data the partner model's clusters have at most 9, so the
        default 10 loses nothing and keeps all of Norway at about 3 s (14: about 50 s).
    min_population, max_population : float, optional
        Bounds on a cluster's population (clusters of several municipalities).
    include : codes or names
        Municipalities that must join a cluster (may not stand alone).
    exclude : codes or names
        Municipalities kept out of every cluster (reported as ``excluded`` rows).
    keep_together : iterable of groups
        Groups that must end up in the same cluster; overlapping groups are merged, and the
        result says so in ``attrs["notes"]``.
    keep_existing : str, optional
        An area (e.g. ``"drift"``): keep the members of each active collaboration in that
        area together, so the question becomes where the others should go.
    costs : CostModel or path to TOML, optional
    time_limit : float, optional
        Seconds for the whole run (enumeration, LP and search); past it the best partition
        found is returned with its gap (``None`` where the enumeration itself was cut short).
    cross_county : bool
        Let clusters cross county borders (default). A region of several counties is first
        solved county by county, and that optimum starts the search over the whole region;
        ``False`` (CLI ``--per-county``) stops after the counties.
    graph : networkx.Graph, optional
        A precomputed :func:`municipality_graph` of ``ds``.
    model : PartnerModel, optional
        The partner model (default: the shipped one, :func:`load_partner_model`).
    objective : {"affinity", "money"}
        ``affinity`` (default) maximises the partner model's log-odds; ``money`` maximises the
        cost model's net gain alone, for comparison (the old ranking, in which the biggest
        town always wins).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster: ``cluster_id``, ``members`` (comma-separated kommunenummer),
        ``member_names``, ``n_members``, ``innbyggere``, the score parts ``standalone_nok``,
        ``joint_nok``, ``overhead_nok``, ``travel_nok``, ``net_gain_nok``, ``affinity_mean``
        (mean pair affinity), ``score`` (log-odds), the size mix (``largest_member``,
        ``largest_share``),
        ``hub``, ``shared_collaborations``, ``alone``, ``excluded``; geometry = union of the
        members. ``attrs`` holds ``objective``, ``bound``, ``gap``, ``status``,
        ``greedy_objective``, ``n_candidates``, ``seconds``, ``notes`` and ``assignment``
        (kommunenummer -> cluster_id).

    Raises
    ------
    InfeasibleError
        When the constraints cannot be met (named in the message).

    Examples
    --------
    >>> ds = nv.load_default()
    >>> res = candidate_clusters(ds, counties=["Buskerud"], max_members=6)
    >>> res.attrs["gap"]
    0.0
    >>> int(res["n_members"].sum())
    18
    """
    t0 = time.perf_counter()
    costs = as_cost_model(costs)
    _check_options(objective, min_members, max_members, min_population, max_population)
    G = graph if graph is not None else municipality_graph(ds)
    codes, excluded = _region_codes(ds, counties, municipalities, exclude, min_population)
    notes: list[str] = []
    groups, must = _constraints(ds, codes, keep_together, keep_existing, include, notes)
    counties_in = sorted(set(ds.kommuner.loc[codes, "fylkesnummer"]))
    show = settings.PROGRESS if progress is None else progress
    opts = dict(
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        groups=groups,
        must=must,
        deadline=Deadline(time_limit),
        progress=bool(show),
        pre={"model": model or load_partner_model(), "objective": objective},
    )
    if len(counties_in) > 1:
        solved = _solve_counties(ds, codes, G, costs, counties_in, cross_county, opts, notes)
    else:
        solved = _solve_codes(ds, codes, G, costs, **opts)
    reg = _region(ds, codes, G, costs, opts["pre"])
    out = _result_frame(ds, reg, solved, costs, excluded)
    out.insert(
        out.columns.get_loc("alone") + 1,
        "alone_reason",
        _alone_reasons(ds, out, reg, G, opts["pre"]["U"], max_members=max_members),
    )
    out.attrs.update(_proof(solved, notes))
    out.attrs.update(
        seconds=round(time.perf_counter() - t0, 3),
        notes=notes,
        objective_kind=objective,
        assignment=dict(
            sorted(
                (c, cid) for cid, m in zip(out["cluster_id"], out["members"]) for c in m.split(",")
            )
        ),
    )
    return out


def _check_options(
    objective: str, min_members: int, max_members: int, min_population, max_population
) -> None:
    if objective not in ("affinity", "money"):
        raise InfeasibleError(f"unknown objective {objective!r}; use affinity or money")
    if min_members < 1 or max_members < 1:
        raise InfeasibleError("min_members and max_members must be at least 1")
    if min_members > max_members:
        raise InfeasibleError(
            f"min_members ({min_members}) is above max_members ({max_members}); "
            "lower min_members or raise max_members"
        )
    if (
        min_population is not None
        and max_population is not None
        and min_population > max_population
    ):
        raise InfeasibleError(
            f"min_population ({min_population:g}) is above max_population ({max_population:g})"
        )


def _region_codes(
    ds: Dataset, counties, municipalities, exclude, min_population
) -> tuple[list[str], set[str]]:
    """The municipalities to partition, and those the user excluded."""
    region = (
        ds.select(counties=counties, municipalities=municipalities)
        if (counties or municipalities)
        else ds
    )
    excluded = set(ds.codes(list(exclude))) if exclude else set()
    missing = excluded - set(region.kommuner.index)
    if missing:
        raise InfeasibleError(
            f"excluded municipalities {', '.join(sorted(missing))} are not in the region"
        )
    codes = [c for c in region.kommuner.index if c not in excluded]
    if not codes:
        raise InfeasibleError("the region is empty after exclusions; exclude fewer municipalities")
    total_pop = float(region.kommuner.loc[codes, "innbyggere"].sum())
    if min_population is not None and min_population > total_pop:
        raise InfeasibleError(
            f"min_population {min_population:,.0f} is above the region's total population "
            f"{total_pop:,.0f}; lower it"
        )
    return codes, excluded


def _constraints(
    ds: Dataset, codes: list[str], keep_together, keep_existing, include, notes: list[str]
) -> tuple[list[list[str]], set[str]]:
    """Keep-together groups (the user's and, if asked, the existing collaborations') and must-join
    codes."""
    index = set(codes)
    groups = _parse_groups(ds, keep_together)
    if keep_existing:
        ex = [[c for c in g if c in index] for g in existing_groups(ds, keep_existing)]
        ex = [g for g in ex if len(g) > 1]
        notes.append(
            f"kept together: members of {len(ex)} active collaboration(s) in area {keep_existing}"
        )
        groups += ex
    for g in groups:
        outside = [c for c in g if c not in index]
        if outside:
            raise InfeasibleError(
                f"keep-together group {', '.join(g)}: {', '.join(outside)} not in the region (or "
                "excluded)"
            )
    groups, merge_notes = _merge_groups(groups) if groups else ([], [])
    notes += merge_notes
    must = set(ds.codes(list(include))) if include else set()
    for c in sorted(must):
        if c not in index:
            raise InfeasibleError(f"{c} must be included but is not in the region (or is excluded)")
    return groups, must


def _proof(solved: _Solved, notes: list[str]) -> dict:
    """Objective, bound, gap and status as the result states them."""
    bound, objective, status = solved.bound, solved.objective, solved.status
    if status == "optimal" and bound is not None:
        bound = max(bound, objective)
    gap = None if bound is None else max(0.0, (bound - objective) / max(1.0, abs(bound)))
    if gap is not None and gap < 1e-9:
        gap = 0.0
    greedy = solved.greedy_objective
    if status != "optimal" and greedy is not None and greedy > objective + 1e-6:
        notes.append("warning: the greedy merge beat the search's incumbent within the time limit")
    return {
        "objective": round(objective, 4),
        "bound": None if bound is None else round(bound, 4),
        "gap": gap,
        "status": status,
        "greedy_objective": None if greedy is None else round(greedy, 4),
        "n_candidates": int(solved.n_candidates),
    }


def _result_frame(
    ds: Dataset, reg: _Region, solved: _Solved, costs: CostModel, excluded: set[str]
) -> gpd.GeoDataFrame:
    """One row per cluster (and per excluded municipality), best first, with the members' union as
    geometry."""
    index = {c: i for i, c in enumerate(reg.codes)}
    rows = _rows([[index[c] for c in p] for p in solved.parts], reg, costs, ds)
    rows["excluded"] = False
    if excluded:
        names = ds.kommuner["kommunenavn"]
        ex_rows = pd.DataFrame(
            [
                {
                    "members": c,
                    "member_names": names[c],
                    "n_members": 1,
                    "innbyggere": int(ds.kommuner.at[c, "innbyggere"]),
                    **{col: 0.0 for col in SCORE_COLUMNS},
                    "largest_member": f"{c} {names[c]}",
                    "largest_share": 1.0,
                    "hub": "",
                    "shared_collaborations": "",
                    "alone": True,
                    "excluded": True,
                }
                for c in sorted(excluded)
            ]
        )
        rows = pd.concat([rows, ex_rows], ignore_index=True)
    rows = rows.sort_values(
        ["excluded", "score", "members"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
    rows.insert(0, "cluster_id", [f"K{i + 1:02d}" for i in range(len(rows))])
    geom = [ds.kommuner.geometry.loc[m.split(",")].union_all() for m in rows["members"]]
    return gpd.GeoDataFrame(rows, geometry=geom, crs=ds.kommuner.crs)


def _alone_reasons(
    ds: Dataset,
    out: pd.DataFrame,
    reg: _Region,
    G: nx.Graph,
    U_all: np.ndarray,
    *,
    max_members: int,
) -> list[str]:
    """Why each municipality stands alone, in bokmål; empty for clusters of several.

    Its strongest neighbour under the partner model, and either that no neighbour reaches the
    threshold tau, or what joining that neighbour's cluster would add to the score (the sum of
    the municipality's log-odds ``u - tau`` to its members: below 0 it does not belong there),
    or that the cluster is full or a constraint keeps it out. Where a neighbour outside the
    region (``U_all``: the affinity of every pair in ``ds``) is a stronger natural partner than
    any inside, it says so first: include that county to see the cluster.
    """
    names = ds.kommuner["kommunenavn"]
    index = {c: i for i, c in enumerate(reg.codes)}
    at = {c: i for i, c in enumerate(ds.kommuner.index)}
    cluster_of = {c: m.split(",") for m in out["members"] for c in m.split(",")}
    reasons = []
    for r in out.itertuples():
        c = r.members
        if not r.alone or r.excluded or reg.objective == "money" or c not in index:
            reasons.append("utelatt av brukeren" if r.excluded else "")
            continue
        nbrs = sorted(u for u in G[c] if u in index) if c in G else []
        if not nbrs:
            reasons.append("ingen nabo i området (grense, bro, tunnel eller ferje)")
            continue
        i = index[c]
        best = max(nbrs, key=lambda u: (reg.affinity[i, index[u]], u))
        u_best = reg.affinity[i, index[best]]
        outside = [u for u in G[c] if u in at and u not in index]
        if outside:
            far = max(outside, key=lambda u: (U_all[at[c], at[u]], u))
            u_far = U_all[at[c], at[far]]
            if u_far > reg.tau and u_far > u_best:
                county = ds.kommuner.at[far, "fylkesnavn"]
                reasons.append(
                    f"sterkest knyttet til {names[far]} i {county} (u {u_far:.1f} > τ "
                    f"{reg.tau:.1f}), utenfor området: ta med {county} for å se klyngen"
                )
                continue
        if u_best <= reg.tau:
            reasons.append(
                f"ingen nabo over terskelen: sterkest knyttet til {names[best]} "
                f"(u {u_best:.1f} < τ {reg.tau:.1f})"
            )
            continue
        part = cluster_of[best]
        gain = sum(reg.affinity[i, index[m]] - reg.tau for m in part if m in index)
        there = ", ".join(names[m] for m in part)
        if len(part) >= max_members:
            why = f"klyngen er full (høyst {max_members} medlemmer)"
        elif gain < 0:
            why = f"med hele klyngen blir log-odds {gain:.1f}, under 0"
        else:
            why = f"en begrensning holder den ute (log-odds med klyngen {gain:.1f})"
        reasons.append(
            f"sterkest knyttet til {names[best]} (u {u_best:.1f} > τ {reg.tau:.1f}), "
            f"men {names[best]} er i klyngen {there}: {why}"
        )
    return reasons


def _connected_within(H: nx.Graph, group: list[str], kmax: int) -> bool:
    """Whether a group can be joined into one connected set of at most kmax vertices."""
    from networkx.algorithms.approximation import steiner_tree

    if not all(nx.has_path(H, group[0], g) for g in group[1:]):
        return False
    T = steiner_tree(H, group)
    return T.number_of_nodes() <= kmax


def cluster_assignment(clusters: gpd.GeoDataFrame) -> pd.Series:
    """Return the cluster of each municipality as a Series on kommunenummer."""
    a = clusters.attrs.get("assignment") or {
        c: cid for cid, m in zip(clusters["cluster_id"], clusters["members"]) for c in m.split(",")
    }
    s = pd.Series(a, name="cluster_id")
    s.index.name = "kommunenummer"
    return s.sort_index()


def score_clusters(
    ds: Dataset,
    groups: Iterable[Municipalities],
    *,
    costs: CostModel | None = None,
    graph: nx.Graph | None = None,
    model: PartnerModel | None = None,
) -> pd.DataFrame:
    """Score given groups of municipalities (e.g. another method's partition) the same way.

    Parameters
    ----------
    ds : Dataset
    groups : iterable of codes or names
        Each group a list (or comma-separated string) of municipalities.
    costs : CostModel, optional
        The money beside the score (default: the embedded cost model).
    graph : networkx.Graph, optional
        A precomputed :func:`municipality_graph`, for the ``contiguous`` column.
    model : PartnerModel, optional
        Default: the shipped model.

    Returns
    -------
    pandas.DataFrame
        One row per group with the columns of :func:`candidate_clusters` (money parts,
        ``affinity_mean``, ``score``) and ``contiguous``.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> s = score_clusters(ds, [["Gol", "Ål", "Hol"]])
    >>> bool(s.loc[0, "score"] > 0), bool(s.loc[0, "contiguous"])
    (True, True)
    """
    costs = as_cost_model(costs)
    G = graph if graph is not None else municipality_graph(ds)
    groups = [ds.codes(g) for g in groups]
    codes = sorted({c for g in groups for c in g})
    reg = _region(ds, codes, G, costs, {"model": model} if model else None)
    index = {c: i for i, c in enumerate(codes)}
    rows = _rows([[index[c] for c in g] for g in groups], reg, costs, ds)
    rows["contiguous"] = [bool(nx.is_connected(G.subgraph(g))) for g in groups]
    return rows


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
        municipality stands alone in the best partition.

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
    bounds = dict(min_population=min_population, max_population=max_population)
    sets, _ = connected_sets(
        reg.adj,
        max_members,
        reg.pop,
        max_population if max_population is not None else math.inf,
        roots=[root],
    )
    sc = _score(sets, reg, costs)
    ok = _partner_feasible(sc, min_members=min_members, max_members=max_members, **bounds)
    if not ok.any():
        raise InfeasibleError(
            f"{code} {ds.kommuner.at[code, 'kommunenavn']} cannot reach any partner under the "
            "constraints; relax them"
        )
    member = _member_log_odds(sets, reg)
    own = member[sets == root]
    belong = member.min(axis=1) >= 0
    block = np.zeros(len(sets), dtype=bool)
    if rank_by == "partition" and not no_natural:
        best = _partition_block(
            ds,
            code,
            ball,
            G,
            costs,
            model,
            min_members=min_members,
            max_members=max_members,
            **bounds,
        )
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
) -> list[str]:
    """The municipality's cluster in the best partition of ``ball``: its natural partners within
    ``max_members - 1`` links.

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
    return sorted(assign.index[assign == assign[code]])


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


def cluster_summary_lines(clusters: gpd.GeoDataFrame) -> list[str]:
    """The partition's proof and notes in bokmål (``nettverk clusters``).

    The total score with its unit, the status and optimality gap, the greedy merge's score, the
    number of candidate clusters and seconds; the municipalities left alone; the notes.
    """
    a = clusters.attrs
    money = a.get("objective_kind", "affinity") == "money"
    gap = "ukjent (tidsgrensen stoppet oppregningen)" if a["gap"] is None else f"{a['gap']:.4%}"
    unit = "NOK/år" if money else "(log-odds, partnermodellen)"

    def fmt(v: float) -> str:
        return number_text(v) if money else f"{v:.2f}"

    lines = [
        f"Sum score: {fmt(a['objective'])} {unit}; status: {a['status']}; optimalitetsgap: {gap}; "
        f"grådig sammenslåing: {fmt(a['greedy_objective'] or 0)}; {a['n_candidates']} "
        f"kandidatklynger; {a['seconds']} s"
    ]
    alone = clusters[clusters["alone"] & ~clusters["excluded"]]
    for r in alone.itertuples():
        lines.append(f"alene: {r.member_names}" + (f": {r.alone_reason}" if r.alone_reason else ""))
    lines += [f"merk: {n}" for n in a["notes"]]
    return lines
