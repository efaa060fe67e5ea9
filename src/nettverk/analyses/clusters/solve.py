"""Solving the partition: every connected candidate, then the exact set partition per component."""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from nettverk._errors import InfeasibleError
from nettverk.data.dataset import Dataset
from nettverk.models.costs import CostModel
from nettverk.solvers.partition import Deadline, connected_sets, solve_partition

from .region import _check_groups, _feasible, _Region, _region, _score


@dataclass(frozen=True)
class _Solved:
    """One region solved: the clusters as lists of codes and what is proven about them."""

    parts: list[list[str]]
    objective: float
    bound: float | None
    status: str
    greedy_objective: float
    n_candidates: int


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
