"""The set-partition solver behind the clusters: exact where the region allows, honest where not.

Given candidate columns (every connected vertex set that meets the constraints) and a score per
column, find the partition of the vertices into columns with the highest total:

1. starts: a plain greedy merge and any given partitions, improved by local search;
2. the LP relaxation by column generation with HiGHS, which gives an upper bound and reduced
   costs (cut short, a Lagrangian bound that is still valid);
3. a depth-first search over the columns whose reduced cost can still beat the best known
   partition, which proves the optimum or stops at the deadline with the gap.

The solver knows nothing of municipalities or money: it takes arrays and a score per column.
:func:`connected_sets` enumerates the columns.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "connected_sets",
    "solve_partition",
    "PartitionSolution",
    "greedy_merge",
    "column_keys",
    "LP_ROUNDS",
]


class Deadline:
    """A point in time after which work stops (``None``: never)."""

    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.perf_counter() + seconds

    def passed(self) -> bool:
        return self.at is not None and time.perf_counter() > self.at


@dataclass(frozen=True)
class PartitionSolution:
    """The chosen columns and what is proven about them.

    ``status`` is ``optimal`` (``objective == bound`` up to rounding), ``time limit`` (the search
    or the enumeration stopped at the deadline), ``lp not converged``, ``solver failed: ...``
    or ``infeasible``; ``bound`` is a valid upper bound or ``None`` where none is known.
    """

    columns: list[int] | None
    objective: float
    bound: float | None
    status: str
    nodes: int = 0
    greedy_objective: float = float("nan")


def connected_sets(
    adj: list[list[int]],
    kmax: int,
    pop: np.ndarray,
    max_pop: float,
    roots: Iterable[int] | None = None,
    progress: bool = False,
    deadline: Deadline | None = None,
) -> tuple[np.ndarray, bool]:
    """Every connected vertex set of at most ``kmax`` vertices (ESU), padded with -1.

    With ``roots=None`` each set is found once (from its lowest vertex); with roots, every set
    containing a root is found (for one-municipality searches). Returns the sets and whether
    the enumeration is complete: past the ``deadline`` it stops, keeping every singleton.

    Examples
    --------
    >>> sets, complete = connected_sets([[1], [0, 2], [1]], 2, np.ones(3), math.inf)
    >>> sorted(tuple(int(v) for v in r if v >= 0) for r in sets), complete
    ([(0,), (0, 1), (1,), (1, 2), (2,)], True)
    """
    n = len(adj)
    out: list[tuple[int, ...]] = []
    nbr = [set(a) for a in adj]

    class _Stop(Exception):
        pass

    def extend(sub: tuple[int, ...], ext: list[int], excl: set[int], p: float, lo: int) -> None:
        out.append(sub)
        if deadline is not None and len(out) % 8192 == 0 and deadline.passed():
            raise _Stop
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

    complete = True
    try:
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
    except _Stop:
        complete = False
        seen = {s[0] for s in out if len(s) == 1}
        out.extend((v,) for v in range(n) if v not in seen and (roots is None or v in set(roots)))
    k = max(len(s) for s in out)
    arr = np.full((len(out), k), -1, dtype=np.int32)
    for i, s in enumerate(out):
        arr[i, : len(s)] = s
    if roots is not None:
        # the same set can be reached along several orders: keep one copy
        srt = np.sort(np.where(arr < 0, np.iinfo(np.int32).max, arr), axis=1)
        _, first = np.unique(srt, axis=0, return_index=True)
        arr = arr[np.sort(first)]
    return arr, complete


#: Column-generation rounds before the LP gives up and falls back to a Lagrangian bound.
LP_ROUNDS = 500


@dataclass(frozen=True)
class _LPResult:
    """The LP relaxation: a valid upper bound, and the primal and reduced costs where it
    converged."""

    bound: float | None
    x: np.ndarray | None = None
    rc: np.ndarray | None = None
    status: str = "optimal"  # "optimal", "lp not converged", "time limit" or "solver failed: ..."


def _lp(sets: np.ndarray, s: np.ndarray, n: int, deadline: Deadline | None = None) -> _LPResult:
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
        if deadline is not None and deadline.passed() and y is not None:
            return _LPResult(float(y.sum() + np.maximum(rc, 0.0).sum()), status="time limit")
        sub = sets[active]
        m = sub >= 0
        A = sp.csr_array(
            (np.ones(int(m.sum())), (sub[m], np.repeat(np.arange(len(sub)), m.sum(axis=1)))),
            shape=(n, len(sub)),
        )
        res = linprog(-s[active], A_eq=A, b_eq=np.ones(n), bounds=(0, 1), method="highs-ds")
        if res.status != 0:
            return _LPResult(
                None, status=f"solver failed: HiGHS status {res.status} ({res.message})"
            )
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
    return _LPResult(float(y.sum() + np.maximum(rc, 0.0).sum()), status="lp not converged")


def column_keys(sets: np.ndarray) -> list[tuple[int, ...]]:
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


def _local_search(
    parts: list[tuple[int, ...]], lookup: dict, adj: list[list[int]]
) -> list[tuple[int, ...]]:
    """Improve a partition by moving single municipalities between adjacent clusters, and
    merging."""
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


def _best_start(starts, lookup: dict, adj: list[list[int]]) -> tuple[float, list | None]:
    """The best of the given partitions after local search (``-inf, None`` if none is valid)."""
    best_val, best = -math.inf, None
    for start in starts:
        if start is None or any(tuple(sorted(p)) not in lookup for p in start):
            continue
        part = _local_search(start, lookup, adj)
        val = sum(lookup[p] for p in part)
        if val > best_val + 1e-12:
            best_val, best = val, part
    return best_val, best


def _round_lp(x: np.ndarray, sets: np.ndarray, n: int, lookup: dict) -> list | None:
    """A partition from the LP: its support by decreasing value, then singletons for the rest."""
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
    return part if used.all() else None


def _search(
    sets: np.ndarray,
    rc: np.ndarray,
    UB: float,
    n: int,
    adj: list[list[int]],
    best_val: float,
    best_cols: list[int] | None,
    deadline: Deadline,
    progress: bool,
) -> dict:
    """Depth-first search over the columns that can still beat ``best_val`` (reduced-cost pruning).

    Any partition's total is ``UB + sum of its columns' reduced costs``, so a column whose
    reduced cost is below ``best - UB`` can never improve on the best known partition; the
    search covers the lowest uncovered vertex by each admissible column in turn, the most
    constrained vertices first (a bandwidth-reducing order).
    """
    eps = 1e-9 * max(1.0, abs(UB))
    floor = (best_val - UB) if best_cols is not None else -math.inf
    keep = np.flatnonzero(rc >= floor - eps)
    keep = keep[np.argsort(-rc[keep], kind="stable")]
    rank = _order(adj, n)
    by_low: list[list[int]] = [[] for _ in range(n)]
    rcl = rc.tolist()
    masks = dict(zip(keep.tolist(), _bitmasks(sets[keep], rank)))
    low = np.where(sets[keep] >= 0, rank[np.where(sets[keep] >= 0, sets[keep], 0)], n).min(axis=1)
    for j, lo in zip(keep.tolist(), low.tolist()):
        by_low[lo].append(j)
    full = (1 << n) - 1
    state = {"val": best_val, "cols": best_cols, "timeout": False, "nodes": 0}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="Beviser optimum", unit=" noder", leave=False)

    def dfs(used: int, acc: float, chosen: list[int]) -> None:
        state["nodes"] += 1
        if state["nodes"] % 4096 == 0:
            if deadline.passed():
                state["timeout"] = True
            if bar is not None:
                bar.update(4096)
                bar.set_postfix(
                    grense=f"{UB:.2f}",
                    beste=f"{state['val']:.2f}",
                    gap=f"{(UB - state['val']) / max(1.0, abs(UB)):.2%}",
                )
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

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 4 * n + 100))
    try:
        dfs(0, 0.0, [])
    finally:
        sys.setrecursionlimit(old)
        if bar is not None:
            bar.close()
    return state


def solve_partition(
    sets: np.ndarray,
    s: np.ndarray,
    n: int,
    adj: list[list[int]],
    *,
    starts: list | None = None,
    deadline: Deadline | None = None,
    keys: list | None = None,
    complete: bool = True,
    progress: bool = False,
) -> PartitionSolution:
    """Solve the set partition: the highest-scoring partition of ``n`` vertices into columns.

    ``sets`` are the candidate columns (padded with -1), ``s`` their scores, ``adj`` the
    vertex adjacency (for local search and the branching order). With ``complete=False`` (the
    enumeration stopped at the deadline) no bound is claimed: the best start is returned.

    Examples
    --------
    >>> sets = np.array([[0, -1], [1, -1], [2, -1], [0, 1], [1, 2]])
    >>> sol = solve_partition(sets, np.array([0, 0, 0, 2.0, 3.0]), 3, [[1], [0, 2], [1]])
    >>> sol.columns, sol.objective, sol.status
    ([0, 4], 3.0, 'optimal')
    """
    deadline = deadline or Deadline(None)
    keys = keys if keys is not None else column_keys(sets)
    lookup = dict(zip(keys, s.tolist()))
    index = {k: j for j, k in enumerate(lookup)}
    greedy = [tuple(sorted(p)) for p in greedy_merge(adj, lookup)]
    greedy_val = float(
        sum(lookup.get(p, 0.0) for p in greedy)
    )  # may hold a forbidden singleton: then no start
    starts = [greedy] + list(starts or [])
    best_val, best = _best_start([[tuple(sorted(p)) for p in st] for st in starts], lookup, adj)

    def cols(part):
        return None if part is None else [index[p] for p in part]

    if not complete:
        return PartitionSolution(
            cols(best), best_val, None, "time limit", greedy_objective=greedy_val
        )
    lp = _lp(sets, s, n, deadline)
    if lp.bound is None:  # HiGHS failed: keep the best start, claim nothing
        return PartitionSolution(cols(best), best_val, None, lp.status, greedy_objective=greedy_val)
    if lp.x is not None:
        part = _round_lp(lp.x, sets, n, lookup)
        if part is not None:
            part = _local_search(part, lookup, adj)
            val = sum(lookup[p] for p in part)
            if val > best_val + 1e-12:
                best_val, best = val, part
    UB = lp.bound
    eps = 1e-9 * max(1.0, abs(UB))
    if best is not None and best_val >= UB - eps:
        return PartitionSolution(cols(best), best_val, UB, "optimal", greedy_objective=greedy_val)
    if lp.rc is None:  # cut short: the bound is valid but the search has no reduced costs
        return PartitionSolution(cols(best), best_val, UB, lp.status, greedy_objective=greedy_val)
    state = _search(sets, lp.rc, UB, n, adj, best_val, cols(best), deadline, progress)
    if state["cols"] is None:
        return PartitionSolution(
            None,
            -math.inf,
            UB,
            "time limit" if state["timeout"] else "infeasible",
            state["nodes"],
            greedy_val,
        )
    status = "time limit" if state["timeout"] else "optimal"
    return PartitionSolution(
        state["cols"], float(state["val"]), UB, status, state["nodes"], greedy_val
    )


def greedy_merge(adj: list[list[int]], lookup: dict) -> list[list[int]]:
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
