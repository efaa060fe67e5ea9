"""Steiner trees on weighted graphs: fast, deterministic, networkx-compatible.

With few terminals (``exact_max``, default 10) the tree is exact (Dreyfus-Wagner).

:func:`steiner_tree` runs the shortest-path heuristic (Takahashi-Matsuyama) from several
roots on a ``scipy.sparse`` copy of the graph, each growth step one multi-source Dijkstra
from the nodes just added (``scipy.sparse.csgraph``). Every tree is re-spanned by a minimum
spanning tree of the nodes it uses and pruned of non-terminal leaves, then improved by local
search: Steiner-vertex insertion and elimination, accepting a move when the re-spanned,
pruned tree is cheaper: key-path exchange and key-vertex elimination (Uchoa and Werneck's
moves) until neither helps, then Steiner-vertex insertion and elimination on a fixed budget.
The best tree found is returned.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree

from ._errors import NettverkError, UnreachableError

__all__ = ["steiner_tree", "tree_cost", "read_stp"]


def _to_csr(G: nx.Graph, weight: str):
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = d.get(weight, 1.0)
        if w is None or w < 0:
            raise NettverkError(f"edge ({u!r}, {v!r}) has weight {w!r}; weights must be numbers >= 0")
        rows += [index[u], index[v]]
        cols += [index[v], index[u]]
        vals += [float(w), float(w)]
    n = len(nodes)
    A = sp.coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()
    # parallel edges: keep the cheapest (networkx Graph has none; be safe for converted graphs)
    A.sum_duplicates()
    # zero weights vanish in sparse storage: nudge them to a tiny positive value
    if (np.asarray(vals) == 0).any():
        A = sp.coo_array((np.where(np.asarray(vals) == 0, 1e-12, vals), (rows, cols)), shape=(n, n)).tocsr()
    return A, nodes, index


def _adjacency(nodes: np.ndarray, T: sp.coo_array) -> dict[int, dict[int, float]]:
    """Tree edges (MST of ``nodes``) as a dict of dicts on graph vertex ids."""
    adj: dict[int, dict[int, float]] = {}
    for i, j, w in zip(T.row, T.col, T.data):
        u, v = int(nodes[i]), int(nodes[j])
        adj.setdefault(u, {})[v] = float(w)
        adj.setdefault(v, {})[u] = float(w)
    return adj


class _Solver:
    def __init__(self, A: sp.csr_array, terminals: np.ndarray) -> None:
        self.A = A
        self.n = A.shape[0]
        self.terminals = terminals
        self.is_term = np.zeros(self.n, dtype=bool)
        self.is_term[terminals] = True

    # -- building blocks -----------------------------------------------------------------
    def sph(self, root: int) -> np.ndarray:
        """Shortest-path heuristic from ``root``: the node set of the tree."""
        in_tree = np.zeros(self.n, dtype=bool)
        in_tree[root] = True
        dist, pred = dijkstra(self.A, indices=root, return_predecessors=True)
        remaining = set(int(t) for t in self.terminals) - {root}
        terms = np.array(sorted(remaining), dtype=np.int64)
        while len(terms):
            t = int(terms[np.argmin(dist[terms])])
            if not np.isfinite(dist[t]):
                break
            new = []
            v = t
            while not in_tree[v]:
                in_tree[v] = True
                new.append(v)
                v = pred[v]
            dist[new] = 0.0
            pred[new] = -9999
            terms = terms[~in_tree[terms]]
            if not len(terms):
                break
            limit = float(dist[terms].max())
            d2, p2, _ = dijkstra(self.A, indices=new, return_predecessors=True, min_only=True, limit=limit)
            better = d2 < dist
            dist[better] = d2[better]
            pred[better] = p2[better]
        return np.flatnonzero(in_tree)

    def span(self, nodes: np.ndarray) -> tuple[float, np.ndarray, sp.coo_array | None]:
        """MST of the subgraph induced by ``nodes``, pruned of non-terminal leaves."""
        nodes = np.asarray(nodes)
        while True:
            sub = self.A[nodes][:, nodes]
            ncomp, labels = connected_components(sub, directed=False)
            if ncomp > 1:
                comp_t = labels[self.is_term[nodes]]
                if len(np.unique(comp_t)) > 1:
                    return np.inf, nodes, None
                keep = labels == comp_t[0]
                nodes = nodes[keep]
                continue
            T = minimum_spanning_tree(sub).tocoo()
            deg = np.bincount(np.r_[T.row, T.col], minlength=len(nodes))
            leaf = (deg <= 1) & ~self.is_term[nodes]
            if len(nodes) > 1 and leaf.any():
                nodes = nodes[~leaf]
                continue
            return float(T.data.sum()), nodes, T

    def key_path_exchange(self, nodes: np.ndarray, T: sp.coo_array, deadline: float) -> np.ndarray:
        """Key-path exchange: replace each key path by a cheaper link between the two parts.

        A key path joins two key vertices (terminals or branch points) through Steiner
        vertices of degree two. Removing it splits the tree in two: with the tree rooted and
        numbered in depth-first order, the lower part is one slice of that order. One bounded
        multi-source Dijkstra from the smaller part finds the cheapest reconnection.
        """
        A = self.A
        n = self.n
        adj = _adjacency(nodes, T)
        if len(adj) < 3:
            return nodes
        changed = True
        while changed and time.perf_counter() < deadline:
            changed = False
            root = min(v for v in adj if self.is_term[v])
            # depth-first order, parents and subtree ends
            order, parent = [], {root: -1}
            stack = [root]
            while stack:
                u = stack.pop()
                order.append(u)
                for x in sorted(adj[u], reverse=True):
                    if x not in parent:
                        parent[x] = u
                        stack.append(x)
            pos = {v: i for i, v in enumerate(order)}
            size = dict.fromkeys(order, 1)
            for v in reversed(order[1:]):
                size[parent[v]] += size[v]
            order_arr = np.array(order, dtype=np.int64)
            in_tree = np.zeros(n, dtype=bool)
            in_tree[order_arr] = True
            is_key = {v: bool(self.is_term[v] or len(adj[v]) >= 3) for v in order}
            for b in order[1:]:
                if time.perf_counter() > deadline:
                    break
                if not is_key[b] and len(adj[b]) == 2:
                    continue  # key paths are examined from their lower key vertex
                if not is_key[b] and len(adj[b]) == 1:
                    continue
                # climb to the upper key vertex
                path = [b]
                cost = 0.0
                v = b
                while True:
                    u = parent[v]
                    cost += adj[u][v]
                    path.append(u)
                    if is_key[u] or u == root:
                        break
                    v = u
                inner = path[1:-1]
                lo = pos[b]
                below = order_arr[lo: lo + size[b]]
                above_mask = in_tree.copy()
                above_mask[below] = False
                if inner:
                    above_mask[np.array(inner, dtype=np.int64)] = False
                if len(below) <= int(above_mask.sum()):
                    src, tgt_mask = below, above_mask
                else:
                    src = np.flatnonzero(above_mask)
                    tgt_mask = np.zeros(n, dtype=bool)
                    tgt_mask[below] = True
                d, p, _ = dijkstra(A, indices=src, return_predecessors=True, min_only=True, limit=cost)
                tgt = np.flatnonzero(tgt_mask)
                t = int(tgt[np.argmin(d[tgt])])
                if not d[t] < cost * (1 - 1e-9) - 1e-12:  # relative: no flip-flop on rounding
                    continue
                for x, y in zip(path, path[1:]):
                    del adj[x][y], adj[y][x]
                for x in inner:
                    del adj[x]
                src_set = set(src.tolist())
                v = t
                while v not in src_set:
                    u = int(p[v])
                    w = float(A[u, v])
                    adj.setdefault(u, {})[v] = w
                    adj.setdefault(v, {})[u] = w
                    v = u
                changed = True
                break
        return np.array(sorted(adj), dtype=np.int64)

    def key_vertex_elimination(self, nodes: np.ndarray, T: sp.coo_array, deadline: float) -> np.ndarray:
        """Key-vertex elimination: drop a Steiner branch point and its key paths, reconnect.

        Removing a Steiner vertex of degree three or more, with the key paths that meet at
        it, leaves one part per path. One bounded multi-source Dijkstra from all parts at once
        labels every vertex with its nearest part (Mehlhorn's construction); the cheapest
        graph edge between each pair of parts gives the links, and a minimum spanning tree
        over the parts reconnects them. The move is kept when it is cheaper.
        """
        A = self.A
        n = self.n
        coo = A.tocoo()
        er, ec, ew = coo.row, coo.col, coo.data
        adj = _adjacency(nodes, T)
        if len(adj) < 4:
            return nodes
        changed = True
        while changed and time.perf_counter() < deadline:
            changed = False
            cands = sorted(v for v in adj if not self.is_term[v] and len(adj[v]) >= 3)
            for s in cands:
                if time.perf_counter() > deadline:
                    break
                removed_cost = 0.0
                inner: set[int] = {s}
                ends = []
                for x in sorted(adj[s]):
                    prev, cur = s, x
                    removed_cost += adj[s][x]
                    while not self.is_term[cur] and len(adj[cur]) == 2:
                        inner.add(cur)
                        nxt = next(y for y in adj[cur] if y != prev)
                        removed_cost += adj[cur][nxt]
                        prev, cur = cur, nxt
                    ends.append(cur)
                # label the parts left after removing the inner vertices
                label = np.full(n, -1, dtype=np.int64)
                for k, e in enumerate(ends):
                    if label[e] >= 0:
                        continue
                    stack = [e]
                    label[e] = k
                    while stack:
                        u = stack.pop()
                        for y in adj[u]:
                            if y not in inner and label[y] < 0:
                                label[y] = k
                                stack.append(y)
                parts = np.unique(label[label >= 0])
                if len(parts) < 2:
                    continue
                src = np.flatnonzero(label >= 0)
                d, p, origin = dijkstra(A, indices=src, return_predecessors=True, min_only=True, limit=removed_cost)
                reach = np.isfinite(d)
                comp = np.full(n, -1, dtype=np.int64)
                comp[reach] = label[origin[reach]]
                ok = (comp[er] >= 0) & (comp[ec] >= 0) & (comp[er] != comp[ec])
                if not ok.any():
                    continue
                cost_e = d[er[ok]] + ew[ok] + d[ec[ok]]
                order = np.argsort(cost_e, kind="stable")
                # Kruskal over the parts
                root = {int(c): int(c) for c in parts}

                def find(x: int) -> int:
                    while root[x] != x:
                        root[x] = root[root[x]]
                        x = root[x]
                    return x

                chosen, total = [], 0.0
                eu, ev = er[ok], ec[ok]
                for idx in order:
                    cu, cv = find(int(comp[eu[idx]])), find(int(comp[ev[idx]]))
                    if cu == cv:
                        continue
                    root[cu] = cv
                    chosen.append(idx)
                    total += float(cost_e[idx])
                    if total >= removed_cost or len(chosen) == len(parts) - 1:
                        break
                if len(chosen) < len(parts) - 1 or not total < removed_cost * (1 - 1e-9) - 1e-12:
                    continue
                # apply: drop s and the key paths, add the links
                for v in inner:
                    for y in list(adj.get(v, {})):
                        del adj[y][v]
                    adj.pop(v, None)
                for idx in chosen:
                    u, v = int(eu[idx]), int(ev[idx])
                    link = [(u, v, float(A[u, v]))]
                    for start in (u, v):
                        x = start
                        while label[x] < 0:
                            px = int(p[x])
                            link.append((px, x, float(A[px, x])))
                            x = px
                    for x, y, w in link:
                        adj.setdefault(x, {})[y] = w
                        adj.setdefault(y, {})[x] = w
                changed = True
                break
        return np.array(sorted(adj), dtype=np.int64)

    def improve(self, nodes: np.ndarray, cost: float, deadline: float, max_evals: int) -> tuple[float, np.ndarray]:
        """Steiner-vertex insertion and elimination until no move helps (or the budget is spent).

        The budget counts evaluations, not seconds, so the result does not depend on the
        machine.
        """
        A = self.A
        improved = True
        evals = 0
        while improved and time.perf_counter() < deadline and evals < max_evals:
            improved = False
            in_set = np.zeros(self.n, dtype=bool)
            in_set[nodes] = True
            # insertion: non-tree vertices adjacent to at least two tree vertices
            touch = np.asarray((A[:, nodes] > 0).sum(axis=1)).ravel()
            cands = np.flatnonzero((touch >= 2) & ~in_set)
            for v in cands:
                if time.perf_counter() > deadline or evals >= max_evals:
                    break
                evals += 1
                c, nn, _ = self.span(np.sort(np.r_[nodes, v]))
                if c < cost * (1 - 1e-9) - 1e-12:
                    cost, nodes, improved = c, nn, True
                    in_set[:] = False
                    in_set[nodes] = True
            # elimination: Steiner vertices of the tree
            for s in nodes[~self.is_term[nodes]]:
                if time.perf_counter() > deadline or evals >= max_evals:
                    break
                evals += 1
                if s not in nodes:
                    continue
                c, nn, _ = self.span(nodes[nodes != s])
                if c < cost * (1 - 1e-9) - 1e-12:
                    cost, nodes, improved = c, nn, True
        return cost, nodes


def _dreyfus_wagner(A: sp.csr_array, term: np.ndarray) -> tuple[float, list[tuple[int, int]]]:
    """Exact Steiner tree for few terminals (Dreyfus-Wagner): cost and edges.

    ``dp[S][v]`` is the cheapest tree joining the terminals in S and vertex v. Subsets are
    merged at a vertex, then extended along shortest paths by one Dijkstra from a super
    source whose edges carry the merged costs. O(3^k n + 2^k Dijkstra).
    """
    n = A.shape[0]
    k = len(term) - 1  # the last terminal is the root
    full = (1 << k) - 1
    dp = np.full((full + 1, n), np.inf)
    pred = np.full((full + 1, n), -9999, dtype=np.int64)
    split = np.zeros((full + 1, n), dtype=np.int64)
    coo = A.tocoo()

    def relax(S: int, start: np.ndarray) -> None:
        finite = np.flatnonzero(np.isfinite(start))
        # super source n, edges offset by 1 so zero costs survive in sparse storage
        rows = np.r_[coo.row, np.full(len(finite), n)]
        cols = np.r_[coo.col, finite]
        vals = np.r_[coo.data, start[finite] + 1.0]
        B = sp.csr_array((vals, (rows, cols)), shape=(n + 1, n + 1))
        d, p = dijkstra(B, indices=n, return_predecessors=True)
        dp[S] = d[:n] - 1.0
        pred[S] = p[:n]

    for i in range(k):
        start = np.full(n, np.inf)
        start[term[i]] = 0.0
        relax(1 << i, start)
    for S in range(1, full + 1):
        if S & (S - 1) == 0:
            continue
        low = S & -S
        best = np.full(n, np.inf)
        arg = np.zeros(n, dtype=np.int64)
        D = (S - 1) & S
        while D:
            if D & low:
                val = dp[D] + dp[S ^ D]
                better = val < best
                best[better] = val[better]
                arg[better] = D
            D = (D - 1) & S
        split[S] = arg
        relax(S, best)
    # the root joins the full set: one last merge at every vertex
    root = int(term[-1])
    if k == 0:
        return 0.0, []
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


def steiner_tree(G: nx.Graph, terminals: Iterable, weight: str = "weight", *, roots: int | None = None,
                 improve: bool = True, insertion_budget: int = 300, exact_max: int = 10,
                 time_limit: float | None = None) -> nx.Graph:
    """Return a minimum-cost tree of ``G`` that spans the terminals (heuristic, usually optimal).

    Drop-in for :func:`networkx.algorithms.approximation.steiner_tree`: takes an undirected
    networkx graph and returns the tree as a subgraph (with the edge attributes of ``G``).

    Parameters
    ----------
    G : networkx.Graph
        Undirected, with non-negative edge weights.
    terminals : iterable of nodes
    weight : str
        Edge attribute with the cost (default 1 where missing).
    roots : int, optional
        Roots of the shortest-path heuristic (the terminals spread furthest apart first);
        default 4, fewer for many terminals (each run costs one Dijkstra per terminal).
    improve : bool
        Run the local search: key-path exchange until no exchange helps, then Steiner-vertex
        insertion and elimination.
    insertion_budget : int
        How many insertion/elimination moves to evaluate (a count, so results do not depend
        on the machine's speed).
    exact_max : int
        Up to this many terminals the tree is solved exactly (Dreyfus-Wagner); 0 turns it off.
    time_limit : float, optional
        A safety cap in seconds on the local search (default: none; results are then
        deterministic).

    Raises
    ------
    UnreachableError
        When some terminals cannot be reached from the others; names them.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "x", 1), ("b", "x", 1), ("c", "x", 1), ("a", "b", 1.8), ("b", "c", 1.8)])
    >>> T = steiner_tree(G, ["a", "b", "c"])
    >>> sorted(T.nodes), tree_cost(T)
    (['a', 'b', 'c', 'x'], 3.0)
    """
    terminals = list(dict.fromkeys(terminals))
    missing = [t for t in terminals if t not in G]
    if missing:
        raise nx.NodeNotFound(f"terminals not in graph: {', '.join(map(str, missing))}")
    if G.is_directed():
        raise NettverkError("steiner_tree needs an undirected graph; use G.to_undirected()")
    if len(terminals) <= 1:
        return G.subgraph(terminals).copy()
    A, nodes, index = _to_csr(G, weight)
    term = np.array(sorted(index[t] for t in terminals), dtype=np.int64)
    _, labels = connected_components(A, directed=False)
    tl = labels[term]
    if len(np.unique(tl)) > 1:
        main = np.bincount(tl).argmax()
        bad = [nodes[i] for i in term[tl != main]]
        raise UnreachableError(
            f"{len(bad)} terminal(s) cannot be reached from the others: {', '.join(map(str, bad[:20]))}", bad)
    solver = _Solver(A, term)
    if 2 <= len(term) <= exact_max:
        _, pairs = _dreyfus_wagner(A, term)
        used = np.array(sorted({x for e in pairs for x in e} | set(term.tolist())), dtype=np.int64)
        _, best_nodes, best_T = solver.span(used)  # the union of the paths, as a pruned tree
        edges = [(nodes[best_nodes[i]], nodes[best_nodes[j]]) for i, j in zip(best_T.row, best_T.col)]
        return G.edge_subgraph(edges).copy()
    if roots is None:
        roots = 4 if len(term) <= 100 else 2 if len(term) <= 400 else 1
    # roots: terminals spread apart (farthest-point order from the first), deterministic
    order = [int(term[0])]
    if roots > 1 and len(term) > 1:
        d = dijkstra(A, indices=order[0])
        dmin = d[term].copy()
        while len(order) < min(roots, len(term)):
            nxt = int(term[np.argmax(dmin)])
            if nxt in order:
                break
            order.append(nxt)
            dmin = np.minimum(dmin, dijkstra(A, indices=nxt, limit=float(dmin.max()))[term])
    best_cost, best_nodes, best_T = np.inf, None, None
    seen = set()
    for r in order:
        node_set = solver.sph(r)
        key = node_set.tobytes()
        if key in seen:
            continue
        seen.add(key)
        c, nn, T = solver.span(node_set)
        if c < best_cost - 1e-9:
            best_cost, best_nodes, best_T = c, nn, T
    if improve:
        deadline = math.inf if time_limit is None else time.perf_counter() + time_limit
        while True:
            nodes2 = solver.key_path_exchange(best_nodes, best_T, deadline)
            c2, nodes2, T2 = solver.span(nodes2)
            if c2 < best_cost * (1 - 1e-9) - 1e-12:
                best_cost, best_nodes, best_T = c2, nodes2, T2
                continue
            nodes2 = solver.key_vertex_elimination(best_nodes, best_T, deadline)
            c2, nodes2, T2 = solver.span(nodes2)
            if c2 < best_cost * (1 - 1e-9) - 1e-12:
                best_cost, best_nodes, best_T = c2, nodes2, T2
                continue
            # vertex insertion/elimination on a fixed budget of evaluations, then again KPE
            c3, nodes3 = solver.improve(best_nodes, best_cost, deadline, max_evals=insertion_budget)
            c3, nodes3, T3 = solver.span(nodes3)
            if c3 < best_cost * (1 - 1e-9) - 1e-12:
                best_cost, best_nodes, best_T = c3, nodes3, T3
                insertion_budget = 0  # one round of insertion; KPE may follow
                continue
            break
    edges = [(nodes[best_nodes[i]], nodes[best_nodes[j]]) for i, j in zip(best_T.row, best_T.col)]
    T = G.edge_subgraph(edges).copy() if edges else G.subgraph([nodes[best_nodes[0]]]).copy()
    return T


def tree_cost(T: nx.Graph, weight: str = "weight") -> float:
    """Sum of the edge weights of a tree."""
    return float(sum(d.get(weight, 1.0) for *_, d in T.edges(data=True)))


def read_stp(path) -> tuple[nx.Graph, list[int]]:
    """Read a SteinLib ``.stp`` file: the graph (weights in ``weight``) and the terminals."""
    G = nx.Graph()
    terminals = []
    section = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                continue
            key = parts[0].upper()
            if key == "SECTION":
                section = parts[1].lower()
            elif key == "END":
                section = None
            elif section == "graph" and key == "E":
                u, v, w = int(parts[1]), int(parts[2]), float(parts[3])
                if not G.has_edge(u, v) or G.edges[u, v]["weight"] > w:
                    G.add_edge(u, v, weight=w)
            elif section == "graph" and key == "NODES":
                G.add_nodes_from(range(1, int(parts[1]) + 1))
            elif section == "terminals" and key == "T":
                terminals.append(int(parts[1]))
    return G, terminals
