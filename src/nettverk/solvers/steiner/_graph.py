"""The Steiner solver's graph arrays: CSR adjacency, shortest-path trees, spanning trees."""

from __future__ import annotations

import math
from itertools import chain
from operator import methodcaller

import networkx as nx
import numpy as np
import scipy.sparse as sp

from nettverk._errors import NettverkError


class _Graph:
    """An undirected graph as arrays: every edge once (``eu < ev``, ``ew``), and a CSR layout
    whose entries know their edge id, so the same structure serves any weights."""

    @classmethod
    def from_networkx(cls, G: nx.Graph, weight: str) -> "_Graph":
        nodes = list(G._adj)
        n = len(nodes)
        index = dict(zip(nodes, range(n)))
        if G.is_multigraph():
            best: dict[tuple[int, int], float] = {}
            for u, v, w in G.edges(data=weight, default=1.0):
                i, j = sorted((index[u], index[v]))
                best[(i, j)] = min(best.get((i, j), math.inf), _check_weight(u, v, w))
            rows = np.fromiter((k[0] for k in best), np.int64, len(best))
            cols = np.fromiter((k[1] for k in best), np.int64, len(best))
            w = np.fromiter(best.values(), float, len(best))
        else:
            adj = G._adj
            deg = np.fromiter(map(len, adj.values()), np.int64, n)
            total = int(deg.sum())
            cols = np.fromiter(
                map(index.__getitem__, chain.from_iterable(adj.values())), np.int64, total
            )
            try:
                w = np.fromiter(
                    map(
                        methodcaller("get", weight, 1.0),
                        chain.from_iterable(map(dict.values, adj.values())),
                    ),
                    float,
                    total,
                )
            except (TypeError, ValueError):
                w = None
            rows = np.repeat(np.arange(n), deg)
            if w is None or not (np.isfinite(w) & (w >= 0)).all():
                for u, v, x in G.edges(data=weight, default=1.0):
                    _check_weight(u, v, x)
            keep = rows < cols  # each edge once; self-loops never help a tree
            rows, cols, w = rows[keep], cols[keep], w[keep]
        return cls(n, rows, cols, w, nodes, index)

    def __init__(
        self, n: int, eu: np.ndarray, ev: np.ndarray, ew: np.ndarray, nodes=None, index=None
    ) -> None:
        self.n, self.nodes, self.index = n, nodes, index
        self.eu, self.ev, self.ew = eu, ev, ew
        rows, cols, w = eu, ev, ew
        m = len(w)
        both_r, both_c = np.concatenate([rows, cols]), np.concatenate([cols, rows])
        order = np.lexsort((both_c, both_r))
        self.indices = both_c[order]
        self.eid = np.concatenate([np.arange(m), np.arange(m)])[order]
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(both_r, minlength=n))])
        self.work = 0  # a count of the work done (edges and tree vertices scanned), for budgets
        positive = w[w > 0]
        self.tiny = float(positive.min()) * 1e-9 if len(positive) else 1e-12

    def sparsified(self, k: int, keep_edges: np.ndarray) -> "_Graph":
        """The subgraph of every vertex's ``k`` cheapest edges and ``keep_edges`` (a candidate
        list, as in Lin-Kernighan heuristics), or this graph when it is not denser than that."""
        if 2 * len(self.ew) <= k * self.n * 1.5:
            return self
        rows = np.repeat(np.arange(self.n), np.diff(self.indptr))
        o = np.lexsort((self.ew[self.eid], rows))
        rank = np.arange(len(o)) - self.indptr[rows[o]]
        keep = np.zeros(len(self.ew), dtype=bool)
        keep[self.eid[o[rank < k]]] = True
        keep[keep_edges] = True
        return _Graph(self.n, self.eu[keep], self.ev[keep], self.ew[keep], self.nodes, self.index)

    def csr(self, w: np.ndarray) -> sp.csr_array:
        """The graph with edge weights ``w`` (zeros nudged up: sparse storage drops them)."""
        data = np.where(w > 0, w, self.tiny)[self.eid]
        return sp.csr_array((data, self.indices, self.indptr), shape=(self.n, self.n))


def _check_weight(u, v, w) -> float:
    try:
        x = float(w)
    except (TypeError, ValueError):
        x = math.nan
    if not (x >= 0 and math.isfinite(x)):
        raise NettverkError(
            f"edge ({u!r}, {v!r}) has weight {w!r}; weights must be finite numbers >= 0"
        )
    return x


def to_csr(G: nx.Graph, weight: str):
    """The graph as a symmetric CSR matrix, with its node list and node index."""
    g = _Graph.from_networkx(G, weight)
    return g.csr(g.ew), g.nodes, g.index


def _grow(inside: np.ndarray, starts: np.ndarray, pred: np.ndarray) -> None:
    """Mark the shortest-path-tree paths from ``starts`` up to the first marked vertex."""
    front = np.asarray(starts, dtype=np.int64)
    while len(front):
        front = front[~inside[front]]
        inside[front] = True
        front = pred[front]
        front = front[front >= 0]


def _root(top: list[int], x: int) -> int:
    while top[x] != x:
        top[x] = top[top[x]]
        x = top[x]
    return x


def _kruskal(k: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> tuple[list[int], list[int]]:
    """Minimum spanning forest of ``k`` vertices: the chosen edge positions and the union-find."""
    top = list(range(k))
    chosen: list[int] = []
    o = np.argsort(w, kind="stable")
    for j, x, y in zip(o.tolist(), a[o].tolist(), b[o].tolist()):
        x, y = _root(top, x), _root(top, y)
        if x != y:
            top[x] = y
            chosen.append(j)
            if len(chosen) == k - 1:
                break
    return chosen, top


def _jump_to_marked(ptr: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """Follow ``ptr`` from every entry to the first marked entry (pointer jumping)."""
    ptr = ptr.copy()
    while True:
        todo = np.flatnonzero(~marked[ptr])
        if not len(todo):
            return ptr
        ptr[todo] = ptr[ptr[todo]]
