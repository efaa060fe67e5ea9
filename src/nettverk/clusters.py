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
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import settings
from ._errors import DataValidationError, InfeasibleError
from .costs import CostModel, as_cost_model
from .dataset import Dataset
from .graph import centres, municipality_graph, pair_ties
from .partner_model import PartnerModel, affinity_matrix, load_partner_model

__all__ = ["candidate_clusters", "partners", "score_clusters", "cluster_assignment", "existing_groups",
           "natural_partner_graph"]

SCORE_COLUMNS = [
    "standalone_nok", "joint_nok", "overhead_nok", "travel_nok", "net_gain_nok", "affinity_mean", "score",
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


def _region(ds: Dataset, codes: list[str], G: nx.Graph, costs: CostModel, pre: dict | None = None,
            model: PartnerModel | None = None) -> _Region:
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
    adj = [sorted(index[u] for u in H[c] if objective == "money" or W[index[c], index[u]] > 0) for c in codes]
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
    return _Region(codes, pop, xy, adj, W, collabs, U, objective)


def natural_partner_graph(ds: Dataset, *, graph: nx.Graph | None = None, model: PartnerModel | None = None) -> nx.Graph:
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
            H.add_edge(u, v, **d, affinity=float(U[idx[u], idx[v]]), log_odds=float(U[idx[u], idx[v]] - model.tau))
    return H


# -- enumeration of connected sets ----------------------------------------------------------

def _enumerate(adj: list[list[int]], kmax: int, pop: np.ndarray, max_pop: float,
               roots: Iterable[int] | None = None, progress: bool = False) -> np.ndarray:
    """Every connected vertex set of at most ``kmax`` vertices (ESU), padded with -1.

    With ``roots=None`` each set is found once (from its lowest vertex); with roots, every set
    containing a root is found (for one-municipality searches).
    """
    n = len(adj)
    out: list[tuple[int, ...]] = []
    nbr = [set(a) for a in adj]

    def extend(sub: tuple[int, ...], ext: list[int], excl: set[int], p: float, lo: int) -> None:
        out.append(sub)
        if len(sub) == kmax:
            return
        ext = list(ext)
        while ext:
            w = ext.pop()
            pw = p + pop[w]
            if pw > max_pop:
                continue
            new = ext + [u for u in adj[w] if u > lo and u not in excl]
            extend(sub + (w,), new, excl | nbr[w], pw, lo)

    if roots is None:
        order = range(n)
        it = order
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(order, desc="Finner sammenhengende klynger", unit="kommune", leave=False)
        for v in it:
            if pop[v] > max_pop:
                out.append((v,))
                continue
            extend((v,), [u for u in adj[v] if u > v], nbr[v] | {v}, pop[v], v)
    else:
        for v in roots:
            # sets containing v: v first, any other vertex allowed (lo = -1)
            extend((v,), list(adj[v]), nbr[v] | {v}, pop[v], -1)
    k = max(len(s) for s in out)
    arr = np.full((len(out), k), -1, dtype=np.int32)
    for i, s in enumerate(out):
        arr[i, : len(s)] = s
    if roots is not None:
        # the same set can be reached along several orders: keep one copy
        srt = np.sort(np.where(arr < 0, np.iinfo(np.int32).max, arr), axis=1)
        _, first = np.unique(srt, axis=0, return_index=True)
        arr = arr[np.sort(first)]
    return arr


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
    overhead = np.where(n > 1, costs.coordination_fixed_nok + costs.coordination_per_member_nok * (n - 1), 0.0)
    hub = idx[np.arange(len(sets)), np.argmax(np.where(mask, pops, -1), axis=1)]
    d = np.hypot(reg.xy[idx, 0] - reg.xy[hub, 0][:, None], reg.xy[idx, 1] - reg.xy[hub, 1][:, None]) / 1000
    own = costs.scale_a * np.power(pops, costs.scale_beta)
    travel = (d * mask).sum(axis=1) * costs.travel_per_km() + (own * d * mask).sum(axis=1) * costs.dispersion_per_100km / 100
    affinity = np.zeros(len(sets))
    usum = np.zeros(len(sets))
    k = sets.shape[1]
    for a in range(k):
        for b in range(a + 1, k):
            both = mask[:, a] & mask[:, b]
            affinity += np.where(both, reg.ties[idx[:, a], idx[:, b]], 0.0)
            usum += np.where(both, reg.affinity[idx[:, a], idx[:, b]], 0.0)
    npairs = n * (n - 1) / 2
    net = standalone - joint - overhead - travel
    largest = np.where(total > 0, pops.max(axis=1) / np.where(total > 0, total, 1), 1.0)
    return {
        "n_members": n, "innbyggere": total, "standalone_nok": standalone, "joint_nok": joint,
        "overhead_nok": overhead, "travel_nok": travel, "net_gain_nok": net,
        "affinity_mean": np.where(npairs > 0, usum / np.maximum(npairs, 1), 0.0),
        "score": net if reg.objective == "money" else affinity, "largest_share": largest, "hub": hub,
    }


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


def _feasible(sc: dict, sets: np.ndarray, *, min_members: int, max_members: int,
              min_population: float | None, max_population: float | None,
              group_of: np.ndarray, group_size: np.ndarray, must_join: np.ndarray) -> np.ndarray:
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


# -- solving -------------------------------------------------------------------------------

#: Column-generation rounds before the LP gives up and falls back to a Lagrangian bound.
LP_ROUNDS = 500


@dataclass(frozen=True)
class _LPResult:
    """The LP relaxation: a valid upper bound, and the primal and reduced costs where it converged."""

    bound: float | None
    x: np.ndarray | None = None
    rc: np.ndarray | None = None
    status: str = "optimal"  # "optimal", "not converged" or "solver failed: ..."


def _lp(sets: np.ndarray, s: np.ndarray, n: int) -> _LPResult:
    """LP relaxation of the set partition by column generation: bound, primal x, reduced costs.

    The LP is solved over a growing subset of columns (HiGHS dual simplex); every round prices
    all columns at once (``score - sum of member duals``) and adds the most attractive ones,
    until no column has a positive reduced cost. The duals are then optimal for the full LP.
    Cut short after :data:`LP_ROUNDS` rounds, the bound is the Lagrangian one of the last duals,
    ``sum(y) + sum(max(0, rc))``, valid for any duals (every ``x_j <= 1``); the restricted LP's
    own value is no bound.
    """
    from scipy.optimize import linprog

    mask = sets >= 0
    idx = np.where(mask, sets, 0)
    tol = 1e-9 * max(1.0, float(np.abs(s).max()))
    singles = np.flatnonzero(mask.sum(axis=1) == 1)
    active = np.union1d(singles, np.argsort(-s, kind="stable")[: min(len(s), 20 * n)])
    batch = max(200, 20 * n)
    rc = None
    y = None
    for _ in range(LP_ROUNDS):
        sub = sets[active]
        m = sub >= 0
        A = sp.csr_array((np.ones(int(m.sum())), (sub[m], np.repeat(np.arange(len(sub)), m.sum(axis=1)))),
                         shape=(n, len(sub)))
        res = linprog(-s[active], A_eq=A, b_eq=np.ones(n), bounds=(0, 1), method="highs-ds")
        if res.status != 0:
            return _LPResult(None, status=f"solver failed: HiGHS status {res.status} ({res.message})")
        y = -res.eqlin.marginals
        rc = s - (np.where(mask, y[idx], 0.0)).sum(axis=1)
        rc_free = rc.copy()
        rc_free[active] = np.minimum(rc[active], 0.0)
        cand = np.flatnonzero(rc_free > tol)
        if len(cand) == 0:
            x = np.zeros(len(s))
            x[active] = res.x
            return _LPResult(float(y.sum()), x, np.minimum(rc_free, 0.0))
        top = cand[np.argsort(-rc_free[cand], kind="stable")[:batch]]
        active = np.union1d(active, top)
    return _LPResult(float(y.sum() + np.maximum(rc, 0.0).sum()), status="not converged")


def _keys(sets: np.ndarray) -> list[tuple[int, ...]]:
    """Each padded set as a sorted tuple of members (vectorised per set size)."""
    big = np.iinfo(np.int32).max
    srt = np.sort(np.where(sets < 0, big, sets), axis=1)
    size = (sets >= 0).sum(axis=1)
    keys: list = [None] * len(sets)
    for k in np.unique(size):
        rows = np.flatnonzero(size == k)
        for r, key in zip(rows.tolist(), map(tuple, srt[rows, :k].tolist())):
            keys[r] = key
    return keys


def _bitmasks(sets: np.ndarray, rank: np.ndarray) -> list[int]:
    """Each padded set as an integer bitmask over the relabelled vertices."""
    n = len(rank)
    mask = sets >= 0
    lab = np.where(mask, rank[np.where(mask, sets, 0)], 0)
    if n <= 63:
        bits = np.where(mask, np.left_shift(np.uint64(1), lab.astype(np.uint64)), np.uint64(0))
        return [int(x) for x in np.bitwise_or.reduce(bits, axis=1).tolist()]
    return [sum(1 << int(v) for v in row[m]) for row, m in zip(lab, mask)]


def _local_search(parts: list[tuple[int, ...]], lookup: dict, adj: list[list[int]]) -> list[tuple[int, ...]]:
    """Improve a partition by moving single municipalities between adjacent clusters, and merging."""
    parts = [tuple(sorted(p)) for p in parts]
    improved = True
    while improved:
        improved = False
        owner = {v: i for i, p in enumerate(parts) for v in p}
        for i in range(len(parts)):
            if improved:
                break
            for v in parts[i]:
                if improved:
                    break
                for u in adj[v]:
                    j = owner[u]
                    if j == i:
                        continue
                    a, b = parts[i], parts[j]
                    a2 = tuple(x for x in a if x != v)
                    b2 = tuple(sorted(b + (v,)))
                    old = lookup[a] + lookup[b]
                    new_a = lookup.get(a2, None) if a2 else 0.0
                    new_b = lookup.get(b2)
                    if new_a is not None and new_b is not None and new_a + new_b > old + 1e-9:
                        parts[j] = b2
                        if a2:
                            parts[i] = a2
                        else:
                            parts.pop(i)
                        improved = True
                        break
                    merged = tuple(sorted(a + b))
                    if merged in lookup and lookup[merged] > old + 1e-9:
                        parts[i] = merged
                        parts.pop(j)
                        improved = True
                        break
    return parts


def _order(adj: list[list[int]], n: int) -> np.ndarray:
    """Rank of each vertex in a bandwidth-reducing order (reverse Cuthill-McKee)."""
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    rows = [i for i in range(n) for _ in adj[i]]
    cols = [j for i in range(n) for j in adj[i]]
    A = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    perm = reverse_cuthill_mckee(A, symmetric_mode=True)
    rank = np.empty(n, dtype=np.int64)
    rank[perm] = np.arange(n)
    return rank


def _branch_and_bound(sets: np.ndarray, s: np.ndarray, n: int, starts: list[list[tuple[int, ...]]],
                      adj: list[list[int]], time_limit: float | None, keys: list | None = None):
    """Solve the set partition exactly: LP bound, reduced-cost pruning, depth-first search.

    Any partition's total equals ``UB + sum of its columns' reduced costs`` (LP duals), so a
    column whose reduced cost is below ``best - UB`` can never improve on the best known
    partition; the search covers the lowest uncovered municipality by each admissible column
    in turn. Returns the chosen column indices, the proven bound and the status.
    """
    lookup = dict(zip(keys if keys is not None else _keys(sets), s.tolist()))
    index = {k: j for j, k in enumerate(lookup)}
    best_val, best = -math.inf, None
    for start in starts:
        if start is None or any(tuple(sorted(p)) not in lookup for p in start):
            continue
        part = _local_search(start, lookup, adj)
        val = sum(lookup[p] for p in part)
        if val > best_val + 1e-12:
            best_val, best = val, part
    lp = _lp(sets, s, n)
    if lp.bound is None:  # HiGHS failed: keep the best start, claim nothing
        return ([index[p] for p in best] if best else None), None, lp.status
    UB, x, rc = lp.bound, lp.x, lp.rc
    if x is not None:
        # round the LP: its support by decreasing value, then singletons for the rest
        support = np.flatnonzero(x > 1e-9)
        order = support[np.argsort(-x[support], kind="stable")]
        used = np.zeros(n, dtype=bool)
        part = []
        for j in order.tolist():
            m = sets[j][sets[j] >= 0]
            if not used[m].any():
                used[m] = True
                part.append(tuple(sorted(int(v) for v in m)))
        for v in np.flatnonzero(~used).tolist():
            if (v,) in lookup:
                used[v] = True
                part.append((v,))
        if used.all():
            part = _local_search(part, lookup, adj)
            val = sum(lookup[p] for p in part)
            if val > best_val + 1e-12:
                best_val, best = val, part
    eps = 1e-9 * max(1.0, abs(UB))
    if best is not None and best_val >= UB - eps:
        return [index[p] for p in best], UB, "optimal"
    if rc is None:  # the LP did not converge: the bound is valid but the search has no reduced costs
        return ([index[p] for p in best] if best else None), UB, "lp not converged"
    floor = (best_val - UB) if best is not None else -math.inf
    keep = np.flatnonzero(rc >= floor - eps)
    keep = keep[np.argsort(-rc[keep], kind="stable")]
    # branch on the most constrained municipality first: relabel vertices so that those with
    # the fewest admissible columns get the lowest bits (the search covers the lowest first)
    rank = _order(adj, n)
    by_low: list[list[int]] = [[] for _ in range(n)]
    rcl = rc.tolist()
    masks = dict(zip(keep.tolist(), _bitmasks(sets[keep], rank)))
    low = np.where(sets[keep] >= 0, rank[np.where(sets[keep] >= 0, sets[keep], 0)], n).min(axis=1)
    for j, lo in zip(keep.tolist(), low.tolist()):
        by_low[lo].append(j)
    full = (1 << n) - 1
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    state = {"val": best_val, "cols": None if best is None else [index[p] for p in best], "timeout": False, "nodes": 0}

    def dfs(used: int, acc: float, chosen: list[int]) -> None:
        state["nodes"] += 1
        if deadline is not None and state["nodes"] % 4096 == 0 and time.perf_counter() > deadline:
            state["timeout"] = True
        if state["timeout"]:
            return
        if used == full:
            val = UB + acc
            if val > state["val"] + eps:
                state["val"], state["cols"] = val, list(chosen)
            return
        v = (~used & (used + 1)).bit_length() - 1
        for j in by_low[v]:
            if UB + acc + rcl[j] <= state["val"] + eps:
                break
            mj = masks[j]
            if mj & used:
                continue
            chosen.append(j)
            dfs(used | mj, acc + rcl[j], chosen)
            chosen.pop()

    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 4 * n + 100))
    try:
        dfs(0, 0.0, [])
    finally:
        sys.setrecursionlimit(old)
    if state["cols"] is None:
        return None, UB, "infeasible" if not state["timeout"] else "time limit"
    if state["timeout"]:
        return state["cols"], UB, "time limit"
    return state["cols"], max(state["val"], -math.inf), "optimal"


def _greedy_clusters(adj: list[list[int]], lookup: dict) -> list[list[int]]:
    """Plain greedy merge: join the adjacent pair of clusters with the best score gain.

    ``lookup`` maps every feasible cluster (sorted tuple of vertices) to its score.
    """
    n = len(adj)
    clusters = {i: (i,) for i in range(n)}
    owner = list(range(n))

    def sc(members):
        return lookup.get(members, -math.inf)

    score = {i: sc((i,)) if (i,) in lookup else 0.0 for i in clusters}
    while True:
        best = (0.0, None)
        pairs = set()
        for i, members in clusters.items():
            for m in members:
                for u in adj[m]:
                    j = owner[u]
                    if j != i:
                        pairs.add((min(i, j), max(i, j)))
        for i, j in sorted(pairs):
            merged = tuple(sorted(clusters[i] + clusters[j]))
            gain = sc(merged) - score[i] - score[j]
            if gain > best[0] + 1e-9:
                best = (gain, (i, j, merged))
        if best[1] is None:
            break
        i, j, merged = best[1]
        clusters[i] = merged
        score[i] = score[i] + score[j] + best[0]
        del clusters[j], score[j]
        for m in merged:
            owner[m] = i
    return [list(c) for c in clusters.values()]


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
        rows.append({
            "members": ",".join(codes),
            "member_names": ", ".join(names[c] for c in codes),
            "n_members": int(sc["n_members"][i]),
            "innbyggere": int(sc["innbyggere"][i]),
            **{c: round(float(sc[c][i]), 1 if c.endswith("_nok") else 4) for c in SCORE_COLUMNS},
            "largest_member": f"{largest} {names[largest]}",
            "largest_share": round(float(sc["largest_share"][i]), 3),
            "hub": f"{reg.codes[int(sc['hub'][i])]} {names[reg.codes[int(sc['hub'][i])]]}",
            "shared_collaborations": ", ".join(sorted(shared)),
            "alone": bool(sc["n_members"][i] == 1),
        })
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
    active = set(ds.active_collaborations()["id"])
    med = ds.medlemskap[(ds.medlemskap["omrade"] == term) & ds.medlemskap["samarbeid_id"].isin(active)]
    return [sorted(set(g["kommunenummer"])) for _, g in med.groupby("samarbeid_id", sort=True)]


def _solve_codes(ds: Dataset, codes: list[str], G: nx.Graph, costs: CostModel, *, min_members: int,
                 max_members: int, min_population, max_population, groups: list[list[str]], must: set[str],
                 time_limit: float | None, progress: bool, starts=None, pre: dict | None = None):
    """Solve one region: enumerate, score, filter, greedy start, exact search.

    Returns (parts as lists of codes, objective, bound, status, greedy objective, candidates).
    """
    reg = _region(ds, codes, G, costs, pre)
    index = {c: i for i, c in enumerate(codes)}
    _open_links(reg, G, index, groups, must)
    group_of = np.full(len(codes), -1)
    for gi, g in enumerate(groups):
        if len(g) > max_members:
            raise InfeasibleError(f"keep-together group {', '.join(g)} has {len(g)} members, above max_members {max_members}")
        if not nx.is_connected(G.subgraph(g)) and not _connected_within(G.subgraph(codes), g, max_members):
            raise InfeasibleError(f"keep-together group {', '.join(g)} cannot form one contiguous cluster of at most {max_members}")
        for c in g:
            group_of[index[c]] = gi
    group_size = np.array([len(g) for g in groups], dtype=int)
    must_arr = np.array([c in must for c in codes], dtype=bool)
    max_pop = max_population if max_population is not None else math.inf
    sets = _enumerate(reg.adj, max_members, reg.pop, max_pop, progress=progress)
    sc = _score(sets, reg, costs)

    def feasible_fn(arr, s):
        return _feasible(s, arr, min_members=min_members, max_members=max_members, min_population=min_population,
                         max_population=max_population, group_of=group_of, group_size=group_size, must_join=must_arr)

    ok = feasible_fn(sets, sc)
    mask = sets >= 0
    covered = np.zeros(len(codes), dtype=bool)
    covered[sets[ok][mask[ok]]] = True
    if not covered.all():
        bad = [f"{codes[i]} {ds.kommuner.at[codes[i], 'kommunenavn']}" for i in np.flatnonzero(~covered)]
        raise InfeasibleError(
            f"no feasible cluster for {', '.join(bad)} under the constraints (size {min_members}-{max_members}, "
            f"population {min_population or 0:,.0f}-{max_population or math.inf:,.0f}, keep-together/include); relax them"
        )
    sets, scores = sets[ok], sc["score"][ok]
    lookup = dict(zip(_keys(sets), scores.tolist()))
    greedy = _greedy_clusters(reg.adj, lookup)
    greedy_obj = float(sum(lookup.get(tuple(sorted(p)), 0.0) for p in greedy))
    start_parts = [[tuple(p) for p in greedy]]
    for st in starts or []:
        start_parts.append([tuple(sorted(index[c] for c in p)) for p in st])
    scale = 1.0  # scores are log-odds: already of order one
    chosen, bound, status = _branch_and_bound(sets, scores / scale, len(codes), start_parts, reg.adj, time_limit,
                                              keys=list(lookup))
    if chosen is None:
        raise InfeasibleError("no partition of the region meets the constraints; relax them")
    parts = [sorted(codes[i] for i in sets[j][sets[j] >= 0]) for j in chosen]
    objective = float(scores[chosen].sum())
    bound = None if bound is None else bound * scale
    return parts, objective, bound, status, greedy_obj, int(len(sets))


def _open_links(reg: _Region, G: nx.Graph, index: dict, groups: list[list[str]], must: set[str]) -> None:
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
    counties=None,
    municipalities=None,
    min_members: int = 2,
    max_members: int = 10,
    min_population: float | None = None,
    max_population: float | None = None,
    include: Iterable = (),
    exclude: Iterable = (),
    keep_together: Iterable = (),
    keep_existing: str | None = None,
    costs: CostModel | str | None = None,
    time_limit: float | None = None,
    cross_county: bool = False,
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
        Seconds for the exact search (per county); past it the best partition found is
        returned with its gap.
    cross_county : bool
        Let clusters cross county borders. By default a region of several counties is solved
        county by county (each to proven optimality); with True the whole region is searched,
        starting from the county-by-county optimum.
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
        (mean pair affinity), ``score`` (log-odds), the size mix (``largest_member``, ``largest_share``),
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
    if objective not in ("affinity", "money"):
        raise InfeasibleError(f"unknown objective {objective!r}; use affinity or money")
    if min_members < 1 or max_members < 1:
        raise InfeasibleError("min_members and max_members must be at least 1")
    if min_members > max_members:
        raise InfeasibleError(f"min_members ({min_members}) is above max_members ({max_members}); lower min_members or raise max_members")
    if min_population is not None and max_population is not None and min_population > max_population:
        raise InfeasibleError(f"min_population ({min_population:g}) is above max_population ({max_population:g})")
    region = ds.select(counties=counties, municipalities=municipalities) if (counties or municipalities) else ds
    G = graph if graph is not None else municipality_graph(ds)
    excluded = set(ds.codes(list(exclude))) if exclude else set()
    missing = excluded - set(region.kommuner.index)
    if missing:
        raise InfeasibleError(f"excluded municipalities {', '.join(sorted(missing))} are not in the region")
    codes = [c for c in region.kommuner.index if c not in excluded]
    if not codes:
        raise InfeasibleError("the region is empty after exclusions; exclude fewer municipalities")
    total_pop = float(region.kommuner.loc[codes, "innbyggere"].sum())
    if min_population is not None and min_population > total_pop:
        raise InfeasibleError(
            f"min_population {min_population:,.0f} is above the region's total population {total_pop:,.0f}; lower it"
        )
    index = {c: i for i, c in enumerate(codes)}
    notes: list[str] = []
    groups = _parse_groups(ds, keep_together)
    if keep_existing:
        ex = existing_groups(ds, keep_existing)
        ex = [[c for c in g if c in index] for g in ex]
        ex = [g for g in ex if len(g) > 1]
        notes.append(f"kept together: members of {len(ex)} active collaboration(s) in area {keep_existing}")
        groups += ex
    for g in groups:
        outside = [c for c in g if c not in index]
        if outside:
            raise InfeasibleError(f"keep-together group {', '.join(g)}: {', '.join(outside)} not in the region (or excluded)")
    groups, merge_notes = _merge_groups(groups) if groups else ([], [])
    notes += merge_notes
    must = set(ds.codes(list(include))) if include else set()
    for c in sorted(must):
        if c not in index:
            raise InfeasibleError(f"{c} must be included but is not in the region (or is excluded)")
    counties_in = sorted(set(ds.kommuner.loc[codes, "fylkesnummer"]))
    show = settings.PROGRESS if progress is None else progress
    show = bool(show) if show is not None else False
    opts = dict(min_members=min_members, max_members=max_members, min_population=min_population,
                max_population=max_population, groups=groups, must=must, time_limit=time_limit, progress=show,
                pre={"model": model or load_partner_model(), "objective": objective})
    if len(counties_in) > 1:
        # each county on its own (exact), then, if asked, the whole region from that start
        parts_c, obj, bound, statuses, greedy_obj, n_cand = [], 0.0, 0.0, [], 0.0, 0
        by_county = {f: [c for c in codes if ds.kommuner.at[c, "fylkesnummer"] == f] for f in counties_in}
        for g in groups:
            spans = sorted({ds.kommuner.at[c, "fylkesnummer"] for c in g})
            if len(spans) > 1 and not cross_county:
                raise InfeasibleError(
                    f"keep-together group {', '.join(g)} spans counties {', '.join(spans)}; pass cross_county=True "
                    "(CLI: --cross-county) to let clusters cross county borders"
                )
        it = by_county.items()
        if show:
            from tqdm.auto import tqdm

            it = tqdm(list(it), desc="Fylker", unit="fylke", leave=False)
        start_ok = True
        for f, sub in it:
            sub_groups = [g for g in groups if set(g) <= set(sub)]
            try:
                r = _solve_codes(ds, sub, G, costs, **{**opts, "groups": sub_groups, "must": must & set(sub)})
            except InfeasibleError as exc:
                if cross_county:
                    start_ok = False  # no county-by-county start; search the whole region
                    break
                raise InfeasibleError(f"{exc} (the region was solved county by county; pass cross_county=True "
                                      "to let clusters cross county borders)") from exc
            parts_c += r[0]
            obj += r[1]
            bound = None if (bound is None or r[2] is None) else bound + r[2]
            statuses.append(r[3])
            greedy_obj += r[4]
            n_cand += r[5]
        status = next((st for st in statuses if st != "optimal"), "optimal")
        if cross_county:
            start = [parts_c] if start_ok else []
            parts, objective, bound, status, greedy_obj2, n_candidates = _solve_codes(
                ds, codes, G, costs, **opts, starts=start)
            if start_ok:
                notes.append(f"clusters may cross county borders; the county-by-county optimum ({obj:,.0f} NOK/yr) was the start")
            greedy_obj = max(greedy_obj, greedy_obj2)
        else:
            parts, objective, n_candidates = parts_c, obj, n_cand
            notes.append(f"solved county by county ({len(counties_in)} counties): clusters stay within a county; "
                         "pass cross_county=True to let them cross")
    else:
        parts, objective, bound, status, greedy_obj, n_candidates = _solve_codes(ds, codes, G, costs, **opts)
    if status == "optimal" and bound is not None:
        bound = max(bound, objective)
    gap = None if bound is None else max(0.0, (bound - objective) / max(1.0, abs(bound)))
    if gap is not None and gap < 1e-9:
        gap = 0.0
    if status != "optimal" and greedy_obj is not None and greedy_obj > objective + 1e-6:
        notes.append("warning: the greedy merge beat the search's incumbent within the time limit")
    reg = _region(ds, codes, G, costs, opts["pre"])
    index = {c: i for i, c in enumerate(codes)}
    parts = [[index[c] for c in p] for p in parts]

    rows = _rows(parts, reg, costs, ds)
    rows["excluded"] = False
    if excluded:
        ex_rows = pd.DataFrame([{"members": c, "member_names": ds.kommuner.at[c, "kommunenavn"], "n_members": 1,
                                 "innbyggere": int(ds.kommuner.at[c, "innbyggere"]),
                                 **{col: 0.0 for col in SCORE_COLUMNS}, "largest_member": f"{c} {ds.kommuner.at[c, 'kommunenavn']}",
                                 "largest_share": 1.0, "hub": "", "shared_collaborations": "", "alone": True, "excluded": True}
                                for c in sorted(excluded)])
        rows = pd.concat([rows, ex_rows], ignore_index=True)
    rows = rows.sort_values(["excluded", "score", "members"], ascending=[True, False, True], kind="stable").reset_index(drop=True)
    rows.insert(0, "cluster_id", [f"K{i + 1:02d}" for i in range(len(rows))])
    geom = [ds.kommuner.geometry.loc[m.split(",")].union_all() for m in rows["members"]]
    out = gpd.GeoDataFrame(rows, geometry=geom, crs=ds.kommuner.crs)
    assignment = {c: cid for cid, m in zip(out["cluster_id"], out["members"]) for c in m.split(",")}
    out.attrs.update({
        "objective": round(objective, 4), "bound": None if bound is None else round(bound, 4), "gap": gap,
        "status": status, "greedy_objective": None if greedy_obj is None else round(greedy_obj, 4),
        "n_candidates": int(n_candidates), "seconds": round(time.perf_counter() - t0, 3), "notes": notes,
        "assignment": dict(sorted(assignment.items())),
    })
    return out


def _connected_within(H: nx.Graph, group: list[str], kmax: int) -> bool:
    """Whether a group can be joined into one connected set of at most kmax vertices."""
    from networkx.algorithms.approximation import steiner_tree

    if not all(nx.has_path(H, group[0], g) for g in group[1:]):
        return False
    T = steiner_tree(H, group)
    return T.number_of_nodes() <= kmax


def cluster_assignment(clusters: gpd.GeoDataFrame) -> pd.Series:
    """Return the cluster of each municipality as a Series on kommunenummer."""
    a = clusters.attrs.get("assignment") or {c: cid for cid, m in zip(clusters["cluster_id"], clusters["members"]) for c in m.split(",")}
    s = pd.Series(a, name="cluster_id")
    s.index.name = "kommunenummer"
    return s.sort_index()


def score_clusters(ds: Dataset, groups, *, costs: CostModel | None = None, graph: nx.Graph | None = None,
                   model: PartnerModel | None = None) -> pd.DataFrame:
    """Score given groups of municipalities (e.g. another method's partition) the same way.

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


def partners(ds: Dataset, kommunenummer, *, top: int = 10, max_members: int = 10, min_members: int = 2,
             min_population: float | None = None, max_population: float | None = None,
             within_county: bool = False, costs: CostModel | None = None,
             graph: nx.Graph | None = None, model: PartnerModel | None = None) -> gpd.GeoDataFrame:
    """Rank the best feasible contiguous clusters that contain one municipality.

    Clusters are scored as in :func:`candidate_clusters` (the partner model's log-odds) and
    ranked by score; partners may come from across the county border (``within_county=True``
    keeps them inside). Each row keeps the money parts beside the score.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> p = partners(ds, "Gol", top=3, max_members=4)
    >>> len(p), all("3324" in m.split(",") for m in p["members"])
    (3, True)
    >>> sorted(partners(ds, "Ål", top=1)["member_names"].iloc[0].split(", "))   # Hallingdal
    ['Flå', 'Gol', 'Hemsedal', 'Hol', 'Nesbyen', 'Ål']
    """
    costs = as_cost_model(costs)
    if min_members > max_members:
        raise InfeasibleError(f"min_members ({min_members}) is above max_members ({max_members})")
    code = ds.code(kommunenummer)
    G = graph if graph is not None else municipality_graph(ds)
    # the ball of radius max_members-1 around the municipality holds every candidate
    H = G
    if within_county:
        f = ds.kommuner.at[code, "fylkesnummer"]
        H = G.subgraph([c for c in G if c in ds.kommuner.index and ds.kommuner.at[c, "fylkesnummer"] == f])
    near = sorted(nx.single_source_shortest_path_length(H, code, cutoff=max_members - 1))
    reg = _region(ds, near, H, costs, {"model": model} if model else None)
    root = near.index(code)
    max_pop = max_population if max_population is not None else math.inf
    sets = _enumerate(reg.adj, max_members, reg.pop, max_pop, roots=[root])
    sc = _score(sets, reg, costs)
    ok = (sc["n_members"] >= max(2, min_members)) & (sc["n_members"] <= max_members)
    if min_population is not None:
        ok &= sc["innbyggere"] >= min_population
    if max_population is not None:
        ok &= sc["innbyggere"] <= max_population
    if not ok.any():
        raise InfeasibleError(f"{code} {ds.kommuner.at[code, 'kommunenavn']} cannot reach any partner under the constraints; relax them")
    order = np.lexsort((np.arange(len(sets)), -sc["score"]))
    order = [i for i in order if ok[i]][:top]
    parts = [list(sets[i][sets[i] >= 0]) for i in order]
    rows = _rows(parts, reg, costs, ds)
    rows.insert(0, "rank", np.arange(1, len(rows) + 1))
    geom = [ds.kommuner.geometry.loc[m.split(",")].union_all() for m in rows["members"]]
    out = gpd.GeoDataFrame(rows, geometry=geom, crs=ds.kommuner.crs)
    out.attrs.update({"kommunenummer": code, "n_candidates": int(ok.sum())})
    return out
