"""The Steiner solver's search: key-path exchange, restarts and the exact small case."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import (
    breadth_first_order,
    connected_components,
    dijkstra,
    minimum_spanning_tree,
)

from ._graph import _Graph, _grow, _jump_to_marked, _kruskal, _root

# Tuning (measured with benchmarks/steinlib.py; see the module docstring)
_SMALL = 256  # below this many edges, trees are handled in plain Python
_CANDIDATES = 8  # candidate edges per vertex on dense graphs (the search runs on those)
_SPH_MAX_TERMINALS = 60  # shortest-path-heuristic starts up to this many terminals
_STARTS = 2  # local searches from the best distinct starts
_SHAKE_PASSES = 2  # key-path-exchange passes under perturbed weights
_MAX_RESTARTS = 100  # a cap on restarts however large the budget
_SPH_WORK = 80  # work per root and terminal squared of a shortest-path start
_PERTURBATION = 0.5  # restarts multiply weights by factors in [1, 1 + this]
_EFFORT = 20.0  # work budget per edge and vertex of the graph
_REL = 1e-9  # a move must gain this share of the cost (no flip-flop on rounding)


class _KeyTree:
    """A tree (edge ids) rooted at the lowest terminal, seen as key vertices (terminals and
    branch points) joined by key paths. Arrays are indexed by graph vertex, with the sentinel
    ``n`` above the root; a key path is named by its lower key vertex."""

    def __init__(self, search: "_Search", te: np.ndarray) -> None:
        g = search.g
        n = g.n
        a, b, w = g.eu[te], g.ev[te], search.w[te]
        root = int(search.terms[0])
        if (
            len(te) <= _SMALL
        ):  # breadth-first in Python: cheaper than scipy's overhead on small trees
            adj: dict[int, list[int]] = defaultdict(list)
            for x, y in zip(a.tolist(), b.tolist()):
                adj[x].append(y)
                adj[y].append(x)
            seen, order_l, up_l = {root}, [root], []
            for x in order_l:
                for y in adj[x]:
                    if y not in seen:
                        seen.add(y)
                        order_l.append(y)
                        up_l.append(x)
            order = np.array(order_l, dtype=np.int64)
            pred = np.full(n, -9999, dtype=np.int64)
            pred[order[1:]] = up_l
        else:
            T = sp.csr_array((np.ones(len(te)), (a, b)), shape=(n, n))
            order, pred = breadth_first_order(T, root, directed=False, return_predecessors=True)
        self.nodes = np.sort(order)
        par = np.full(n + 1, n, dtype=np.int64)
        par[order[1:]] = pred[order[1:]]
        child = np.where(pred[b] == a, b, a)
        pw = np.zeros(n + 1)
        pw[child] = w
        deg = np.bincount(np.concatenate([a, b]), minlength=n + 1)
        intree = np.zeros(n + 1, dtype=bool)
        intree[order] = True
        key = np.zeros(n + 1, dtype=bool)
        key[order] = search.is_term[order] | (deg[order] >= 3)
        key[root] = True
        # distance from the root and number of key vertices down to each vertex (doubling)
        droot, cnt, up = pw.copy(), key.astype(np.int64), par.copy()
        cnt[n] = 0
        while (up[order] != n).any():
            droot, cnt, up = droot + droot[up], cnt + cnt[up], up[up]
        key[n] = True
        kpar = _jump_to_marked(par, key)  # nearest key vertex above
        down = np.where(
            intree, np.arange(n + 1), n
        )  # inner vertices: the key vertex at the lower end of their path
        inner_child = order[1:][~key[pred[order[1:]]]]
        down[pred[inner_child]] = inner_child
        low = _jump_to_marked(down, key)
        low[~intree] = -1
        self.low = low[:n]
        inner = intree & ~key
        self.inner_of = np.where(inner, low, -1)[:n]
        self._inner_mask = inner[:n]
        keys = order[key[order]]
        kcost = np.full(n + 1, -np.inf)
        kcost[keys] = droot[keys] - droot[kpar[keys]]
        kcost[root] = -np.inf
        self.n_paths = len(keys) - 1
        self.max_cost = float(kcost.max()) if self.n_paths else 0.0
        self.depth, self.kpar, self.kcost = cnt, kpar, kcost
        self.kpar_l, self.depth_l, self.cost_l = kpar.tolist(), cnt.tolist(), kcost.tolist()
        self.up: list[np.ndarray] = []
        self.mx: list[np.ndarray] = []

    def path_max(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The dearest key path between key vertices ``a`` and ``b`` (element-wise)."""
        if not self.up:  # binary lifting: ancestors 2^j levels up and the dearest path below them
            self.up, self.mx = [self.kpar], [self.kcost]
            for _ in range(int(self.depth.max()).bit_length() - 1):
                u, x = self.up[-1], self.mx[-1]
                self.up.append(u[u])
                self.mx.append(np.maximum(x, x[u]))
        d = self.depth
        swap = d[a] < d[b]
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        res = np.full(len(a), -np.inf)
        diff = d[a] - d[b]
        for j, (u, x) in enumerate(zip(self.up, self.mx)):
            sel = ((diff >> j) & 1).astype(bool)
            res = np.where(sel, np.maximum(res, x[a]), res)
            a = np.where(sel, u[a], a)
        for u, x in zip(reversed(self.up), reversed(self.mx)):
            ne = u[a] != u[b]
            res = np.where(ne, np.maximum(res, np.maximum(x[a], x[b])), res)
            a, b = np.where(ne, u[a], a), np.where(ne, u[b], b)
        ne = a != b
        return np.where(ne, np.maximum(res, np.maximum(self.mx[0][a], self.mx[0][b])), res)

    def inner_vertices(self, paths) -> np.ndarray:
        """Inner vertices of the given key paths."""
        if not len(paths):
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self._inner_mask & np.isin(self.low, np.asarray(paths)))


class _Search:
    """Heuristic moves on one graph under one set of edge weights."""

    def __init__(self, g: _Graph, w: np.ndarray, terms: np.ndarray) -> None:
        self.g, self.w = g, w
        self.A = g.csr(w)
        self.terms = terms
        self.is_term = np.zeros(g.n, dtype=bool)
        self.is_term[terms] = True

    # -- trees -----------------------------------------------------------------------------
    def span(self, nodes: np.ndarray) -> tuple[float, np.ndarray]:
        """Minimum spanning tree of the subgraph induced by ``nodes``, pruned of non-terminal
        leaves: its cost and edge ids (``inf`` when the nodes do not connect the terminals)."""
        g = self.g
        g.work += len(g.ew) // 8 + 2 * len(nodes) + 300
        inside = np.zeros(g.n, dtype=bool)
        inside[nodes] = True
        inside[self.terms] = True
        eids = np.flatnonzero(inside[g.eu] & inside[g.ev])
        nd = np.flatnonzero(inside)
        k = len(nd)
        pos = np.full(g.n, -1, dtype=np.int64)
        pos[nd] = np.arange(k)
        a, b = pos[g.eu[eids]], pos[g.ev[eids]]
        w = self.w[eids]
        if len(eids) <= _SMALL:  # Kruskal in Python: cheaper than scipy's overhead on few edges
            chosen, top = _kruskal(k, a, b, w)
            if len(chosen) < k - 1:
                lab = np.array([_root(top, x) for x in range(k)])
        else:
            sub = sp.csr_array((np.where(w > 0, w, g.tiny), (a, b)), shape=(k, k))
            T = minimum_spanning_tree(sub).tocoo()
            if T.nnz < k - 1:
                chosen, lab = [], connected_components(sub, directed=False)[1]
            else:
                key = np.minimum(a, b) * k + np.maximum(a, b)
                o = np.argsort(key)
                tkey = np.minimum(T.row, T.col).astype(np.int64) * k + np.maximum(T.row, T.col)
                chosen = o[np.searchsorted(key[o], tkey)]
        if len(chosen) < k - 1:  # not connected: keep the part with the terminals, if there is one
            lt = np.unique(lab[self.is_term[nd]])
            if len(lt) > 1:
                return math.inf, np.zeros(0, dtype=np.int64)
            inside[nd[lab != lt[0]]] = False
            return self.span(np.flatnonzero(inside))
        te = eids[np.asarray(chosen, dtype=np.int64)]
        return self.prune(te)

    def prune(self, te: np.ndarray) -> tuple[float, np.ndarray]:
        """Drop non-terminal leaves until none is left."""
        g = self.g
        while len(te):
            deg = np.bincount(np.concatenate([g.eu[te], g.ev[te]]), minlength=g.n)
            leaf = (deg == 1) & ~self.is_term
            kill = leaf[g.eu[te]] | leaf[g.ev[te]]
            if not kill.any():
                break
            te = te[~kill]
        return float(self.w[te].sum()), te

    def nodes_of(self, te: np.ndarray) -> np.ndarray:
        """The vertices of a tree given by edge ids (the lowest terminal for an empty tree)."""
        if not len(te):
            return self.terms[:1].copy()
        return np.unique(np.concatenate([self.g.eu[te], self.g.ev[te]]))

    # -- start -----------------------------------------------------------------------------
    def mehlhorn(self, sources: np.ndarray) -> np.ndarray | None:
        """Vertices of Mehlhorn's distance-network tree over ``sources`` (None when they are not
        all connected)."""
        g = self.g
        dist, pred, src = dijkstra(self.A, indices=sources, min_only=True, return_predecessors=True)
        su, sv = src[g.eu], src[g.ev]
        b = np.flatnonzero((su != sv) & (su >= 0) & (sv >= 0))
        cost = dist[g.eu[b]] + self.w[b] + dist[g.ev[b]]
        k = len(sources)
        pos = np.full(g.n, -1, dtype=np.int64)
        pos[sources] = np.arange(k)
        lo, hi = np.minimum(pos[su[b]], pos[sv[b]]), np.maximum(pos[su[b]], pos[sv[b]])
        key = lo * k + hi
        o = np.lexsort((cost, key))
        sel = o[np.concatenate([[True], key[o][1:] != key[o][:-1]])]  # the cheapest link per pair
        if len(sel) <= _SMALL:
            chosen = b[sel[np.array(_kruskal(k, lo[sel], hi[sel], cost[sel])[0], dtype=np.int64)]]
        else:
            M = sp.csr_array((cost[sel] + g.tiny, (lo[sel], hi[sel])), shape=(k, k))
            T = minimum_spanning_tree(M).tocoo()
            tkey = np.minimum(T.row, T.col).astype(np.int64) * k + np.maximum(T.row, T.col)
            chosen = b[sel[np.searchsorted(key[sel], tkey)]]
        if len(chosen) < k - 1:
            return None
        inside = np.zeros(g.n, dtype=bool)
        inside[sources] = True
        _grow(inside, np.concatenate([g.eu[chosen], g.ev[chosen]]), pred)
        return np.flatnonzero(inside)

    def shortest_path_starts(self, roots: int) -> list[np.ndarray]:
        """Vertex sets of the shortest-path heuristic (Takahashi-Matsuyama) from up to ``roots``
        terminals, all from one Dijkstra per terminal: the tree grows by the terminal nearest
        to it, and the distance from a terminal to the tree is its least distance to a tree
        vertex."""
        terms = self.terms
        k = len(terms)
        D, P = dijkstra(self.A, indices=terms, return_predecessors=True)
        self.g.work += k * (len(self.g.ew) // 4 + self.g.n // 8)
        picks = np.unique(np.linspace(0, k - 1, min(roots, k)).round().astype(np.int64))
        out = []
        for r in picks.tolist():
            root = int(terms[r])
            inside = np.zeros(self.g.n, dtype=bool)
            inside[root] = True
            near = D[:, root].copy()
            arg = np.full(k, root, dtype=np.int64)
            left = np.ones(k, dtype=bool)
            left[r] = False
            for _ in range(k - 1):
                if not left.any():
                    break
                i = int(np.argmin(np.where(left, near, np.inf)))
                t, x, row, new = int(terms[i]), int(arg[i]), P[i], []
                while x != t:
                    x = int(row[x])
                    if not inside[x]:
                        new.append(x)
                new = np.array(new, dtype=np.int64)
                inside[new] = True
                left &= ~inside[terms]
                sub = D[:, new]
                j = sub.argmin(axis=1)
                val = sub[np.arange(k), j]
                better = val < near
                near[better] = val[better]
                arg[better] = new[j[better]]
            self.g.work += _SPH_WORK * k * k
            out.append(np.flatnonzero(inside))
        return out

    # -- moves -----------------------------------------------------------------------------
    def key_path_exchange(self, te: np.ndarray) -> np.ndarray | None:
        """Vertices of the tree after every compatible improving key-path exchange, or None."""
        g = self.g
        kt = _KeyTree(self, te)
        if kt.n_paths == 0:
            return None
        limit = kt.max_cost
        g.work += len(g.ew) + 8 * len(te) + 1200
        dist, pred, base = dijkstra(
            self.A, indices=kt.nodes, min_only=True, return_predecessors=True, limit=limit
        )
        reached = base >= 0
        lowbase = np.full(
            g.n, -1, dtype=np.int64
        )  # the key path (or key vertex) of each vertex's base
        lowbase[reached] = kt.low[base[reached]]
        lu, lv = lowbase[g.eu], lowbase[g.ev]
        m = np.flatnonzero((lu != lv) & (lu >= 0) & (lv >= 0))
        cost = dist[g.eu[m]] + self.w[m] + dist[g.ev[m]]
        ok = cost < limit * (1 - _REL)
        m, cost = m[ok], cost[ok]
        ka, kb = lu[m], lv[m]
        # only links cheaper than the dearest key path between their bases can improve anything
        if len(m) > 64:
            ok = cost < kt.path_max(ka, kb) * (1 - _REL)
            m, cost, ka, kb = m[ok], cost[ok], ka[ok], kb[ok]
        if not len(m):
            return None
        o = np.lexsort((m, cost))
        m, cost, ka, kb = m[o], cost[o], ka[o], kb[o]
        xa, xb = kt.inner_of[base[g.eu[m]]], kt.inner_of[base[g.ev[m]]]
        kpar, kdepth, kcost = kt.kpar_l, kt.depth_l, kt.cost_l
        jump: dict[int, int] = {}

        def find(x: int) -> int:
            r = x
            while r in jump:
                r = jump[r]
            while x != r:
                jump[x], x = r, jump[x]
            return r

        cover: dict[int, int] = {}
        costs = cost.tolist()
        for i, (a, b, ea, eb) in enumerate(zip(ka.tolist(), kb.tolist(), xa.tolist(), xb.tolist())):
            x, y = find(a), find(b)
            while x != y:
                if kdepth[x] < kdepth[y]:
                    x, y = y, x
                if (
                    x != ea and x != eb
                ):  # a path with a base among its inner vertices cannot be left out
                    cover[x] = i
                    jump[x] = kpar[x]
                x = find(kpar[x])
        gains = sorted(
            (
                (kcost[k] - costs[i], k, i)
                for k, i in cover.items()
                if costs[i] < kcost[k] * (1 - _REL)
            ),
            reverse=True,
        )
        if not gains:
            return None
        used: set[int] = set()
        removed: list[int] = []
        links: list[int] = []
        eu, ev = g.eu[m], g.ev[m]
        for _, k, i in gains:
            touched = {int(xa[i]), int(xb[i])}
            x, y = int(ka[i]), int(kb[i])
            while x != y:
                if kdepth[x] < kdepth[y]:
                    x, y = y, x
                touched.add(x)
                x = kpar[x]
            touched.discard(-1)
            if touched & used:
                continue
            used |= touched
            removed.append(k)
            links += [int(eu[i]), int(ev[i])]
        inside = np.zeros(g.n, dtype=bool)
        inside[kt.nodes] = True
        inside[kt.inner_vertices(removed)] = False
        _grow(inside, np.array(links, dtype=np.int64), pred)
        return np.flatnonzero(inside)

    def local_search(
        self, cost: float, te: np.ndarray, *, passes: int | None = None
    ) -> tuple[float, np.ndarray]:
        """Key-path exchange passes until one finds nothing (or ``passes`` are done)."""
        while passes is None or passes > 0:
            if passes is not None:
                passes -= 1
            new = self.key_path_exchange(te)
            if new is None:
                break
            c, t = self.span(new)
            if not c < cost * (1 - _REL):
                break
            cost, te = c, t
        return cost, te


def _dreyfus_wagner(A: sp.csr_array, term: np.ndarray) -> tuple[float, list[tuple[int, int]]]:
    """Exact Steiner tree for few terminals (Dreyfus-Wagner): cost and edges.

    ``dp[S][v]`` is the cheapest tree joining the terminals in S and vertex v. Subsets are
    merged at a vertex, then extended along shortest paths by one Dijkstra from a super
    source whose edges carry the merged costs. O(3^k n + 2^k Dijkstra).
    """
    n = A.shape[0]
    k = len(term) - 1  # the last terminal is the root
    if k == 0:
        return 0.0, []
    full = (1 << k) - 1
    dp = np.full((full + 1, n), np.inf)
    pred = np.full((full + 1, n), -9999, dtype=np.int64)
    split = np.zeros((full + 1, n), dtype=np.int64)
    d1, p1 = dijkstra(A, indices=term[:k], return_predecessors=True)
    for i in range(k):
        dp[1 << i], pred[1 << i] = d1[i], p1[i]
    # the graph plus a super source n with an edge to every vertex; only those edges change
    big = 1e200
    B = sp.csr_array(
        (
            np.concatenate([A.data, np.full(n, big)]),
            np.concatenate([A.indices, np.arange(n)]),
            np.concatenate([A.indptr, [A.nnz + n]]),
        ),
        shape=(n + 1, n + 1),
    )
    tail = B.data[A.nnz :]  # a view: writing it sets the super source's edges
    for S in range(1, full + 1):
        if S & (S - 1) == 0:
            continue
        low = S & -S
        subs = [D for D in _submasks(S) if D & low]
        both = dp[subs] + dp[[S ^ D for D in subs]]
        j = both.argmin(axis=0)
        best = both[j, np.arange(n)]
        split[S] = np.asarray(subs)[j]
        # edges offset by 1 so zero costs survive in sparse storage
        tail[:] = np.where(np.isfinite(best), best + 1.0, big)
        d, p = dijkstra(B, indices=n, return_predecessors=True)
        dp[S] = np.where(d[:n] < big / 2, d[:n] - 1.0, np.inf)
        pred[S] = p[:n]
    root = int(term[-1])
    edges: list[tuple[int, int]] = []

    def build(S: int, v: int) -> None:
        while pred[S][v] != n and pred[S][v] >= 0:
            u = int(pred[S][v])
            edges.append((u, v))
            v = u
        if S & (S - 1) == 0:
            return  # the terminal itself
        D = int(split[S][v])
        build(D, v)
        build(S ^ D, v)

    build(full, root)
    return float(dp[full][root]), edges


def _submasks(S: int) -> list[int]:
    """Every non-empty proper subset of the bit set ``S``."""
    out, D = [], (S - 1) & S
    while D:
        out.append(D)
        D = (D - 1) & S
    return out


def _improve(
    search: _Search,
    cost: float,
    te: np.ndarray,
    *,
    restarts: int | None,
    effort: float,
    perturbation: float,
    seed: int,
) -> tuple[float, np.ndarray]:
    """Local search from the best starts, then perturbed restarts, on the candidate graph;
    a last local search on the whole graph."""
    g, term = search.g, search.terms
    budget = effort * (len(g.ew) + g.n)
    h = g.sparsified(_CANDIDATES, te)
    hs = search if h is g else _Search(h, h.ew, term)
    h.work = g.work
    starts = [(cost, te) if h is g else hs.span(search.nodes_of(te))]
    if len(term) <= _SPH_MAX_TERMINALS:
        roots = int(budget / (3 * _SPH_WORK * len(term) ** 2))  # a third of the budget at most
        if roots:
            starts += [hs.span(nodes) for nodes in hs.shortest_path_starts(roots)]
    seen: set[bytes] = set()
    best = None
    for c, t in sorted(starts, key=lambda x: x[0]):
        key = np.sort(t).tobytes()
        if key in seen or len(seen) >= _STARTS or (seen and h.work >= budget):
            continue
        seen.add(key)
        c, t = hs.local_search(c, t)
        if best is None or c < best[0] * (1 - _REL):
            best = (c, t)
    hc, ht = best
    rng = np.random.default_rng(seed)
    done = 0
    while done < restarts if restarts is not None else (h.work < budget and done < _MAX_RESTARTS):
        done += 1
        shaken = _Search(h, h.ew * (1 + perturbation * rng.random(len(h.ew))), term)
        h.work += len(h.ew) // 4 + 300
        c, t = shaken.span(hs.nodes_of(ht))
        _, t = shaken.local_search(c, t, passes=_SHAKE_PASSES)
        c, t = hs.local_search(*hs.span(hs.nodes_of(t)))
        if c < hc * (1 - _REL):
            hc, ht = c, t
    if h is g:
        return hc, ht
    g.work = h.work
    c, t = search.local_search(*search.span(hs.nodes_of(ht)))
    return (c, t) if c < cost * (1 - _REL) else (cost, te)
