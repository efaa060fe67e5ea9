"""Steiner trees on weighted graphs: fast, deterministic, networkx-compatible.

:func:`steiner_tree` works on arrays (every undirected edge once with its id, and a CSR
layout whose entries know their edge id) and lets ``scipy.sparse.csgraph`` do the shortest
paths. With few terminals (``exact_max``, default 6) the tree is exact (Dreyfus-Wagner).
Otherwise:

1. **Starts.** Mehlhorn's distance-network heuristic: one multi-source Dijkstra splits the
   graph into the Voronoi regions of the terminals, every edge between two regions links
   their terminals at ``d(u) + w + d(v)``, and a minimum spanning tree of those links is
   expanded to paths. With up to 60 terminals, the shortest-path heuristic (Takahashi and
   Matsuyama) from several roots as well, all from one Dijkstra per terminal. Every start is
   re-spanned (minimum spanning tree of the subgraph its vertices induce) and pruned of
   non-terminal leaves.
2. **Key-path exchange** until a pass finds nothing (Uchoa and Werneck's move, evaluated on
   Voronoi regions). A key path joins two key vertices (terminals or branch points) through
   Steiner vertices of degree two. One multi-source Dijkstra from every tree vertex gives
   each vertex its nearest tree vertex (its base); a graph edge between two regions
   reconnects the tree whenever a key path lies between their bases, at ``d(u) + w + d(v)``.
   The cheapest such link for every key path comes from one sweep over the links in cost
   order (path marking with a union-find on the tree of key vertices; links no cheaper than
   the dearest key path between their bases are dropped first, by binary lifting). Every
   improving exchange whose key paths do not overlap another's is applied in the same pass,
   and the result is re-spanned and pruned.
3. **Perturbed restarts** (iterated local search, after Ribeiro, Uchoa and Werneck): the
   edge weights are multiplied by seeded random factors in [1, 1 + ``perturbation``], the
   best tree gets two exchange passes under those weights and then a full local search under
   the true ones; the cheapest tree under the true weights is kept.

Dense graphs (average degree above 12) are searched on a candidate graph, every vertex's 8
cheapest edges plus the best tree, as Lin-Kernighan heuristics do for the travelling
salesman; a last local search runs on the whole graph. Restarts run until a work budget of
``effort`` units per edge and vertex is spent. The units count edges and tree vertices
scanned, not seconds, so the result is the same on every machine.

Key-vertex elimination (Uchoa and Werneck's other move: drop a Steiner branch point and
join the parts again) was built and measured: exact, one Dijkstra per branch point, it cost
more than the restarts it displaced gained on every SteinLib set, so it is not used.

References: Mehlhorn (1988), *Inf. Process. Lett.* 27; Takahashi and Matsuyama (1980),
*Math. Japonica* 24; Uchoa and Werneck (2010), "Fast local search for Steiner trees in
graphs", ALENEX; Ribeiro, Uchoa and Werneck (2002), "A hybrid GRASP with perturbations for
the Steiner problem in graphs", *INFORMS J. Comput.* 14.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import (
    connected_components,
)

from nettverk._errors import NettverkError, UnreachableError
from nettverk._types import PathLike

from ._graph import _Graph, to_csr
from ._search import _EFFORT, _PERTURBATION, _dreyfus_wagner, _improve, _Search

__all__ = ["steiner_tree", "tree_cost", "read_stp", "prepare", "tree_on", "to_csr"]


def steiner_tree(
    G: nx.Graph,
    terminals: Iterable,
    weight: str = "weight",
    *,
    improve: bool = True,
    restarts: int | None = None,
    effort: float | None = None,
    perturbation: float | None = None,
    seed: int = 0,
    exact_max: int = 6,
) -> nx.Graph:
    """Return a minimum-cost tree of ``G`` that spans the terminals (heuristic, usually optimal).

    Drop-in for :func:`networkx.algorithms.approximation.steiner_tree`: takes an undirected
    networkx graph and returns the tree as a new graph of the same class, with the node and
    edge attributes of ``G``. The method is in the module docstring; on SteinLib's sets B-E
    it is within 1 % of the optimum on average, in less time than networkx's Mehlhorn
    heuristic (``benchmarks/steinlib.py``).

    Parameters
    ----------
    G : networkx.Graph
        Undirected, with finite non-negative edge weights (MultiGraph: the cheapest parallel
        edge counts).
    terminals : iterable of nodes
    weight : str
        Edge attribute with the cost (1 where missing).
    improve : bool
        Run the local search and the restarts (False: Mehlhorn's tree, re-spanned and pruned).
    restarts : int, optional
        A fixed number of perturbed restarts instead of the work budget.
    effort : float, optional
        Work budget per edge and vertex of ``G`` (default 20, about networkx's time); restarts
        run until it is spent. Units are counts of edges and tree vertices scanned, so the
        result does not depend on the machine.
    perturbation : float, optional
        Largest relative weight change of a restart (default 0.5).
    seed : int
        Seed of the perturbations; the same graph, terminals and seed give the same tree.
    exact_max : int
        Up to this many terminals the tree is exact (Dreyfus-Wagner; time grows as 3^k);
        0 turns it off.

    Raises
    ------
    UnreachableError
        When some terminals cannot be reached from the others; names them.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "x", 1), ("b", "x", 1), ("c", "x", 1)])
    >>> G.add_weighted_edges_from([("a", "b", 1.8), ("b", "c", 1.8)])
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
    return tree_on(
        G,
        _Graph.from_networkx(G, weight),
        terminals,
        weight,
        improve=improve,
        restarts=restarts,
        effort=effort,
        perturbation=perturbation,
        seed=seed,
        exact_max=exact_max,
    )


def prepare(G: nx.Graph, weight: str = "weight") -> _Graph:
    """The graph as the solver's arrays, built once for many trees on one graph (:func:`tree_on`).

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> g = prepare(G)
    >>> sorted(tree_on(G, g, [0, 3], "weight").nodes)
    [0, 1, 2, 3]
    """
    return _Graph.from_networkx(G, weight)


def tree_on(
    G: nx.Graph,
    g: _Graph,
    terminals: list,
    weight: str,
    *,
    improve: bool = True,
    restarts: int | None = None,
    effort: float | None = None,
    perturbation: float | None = None,
    seed: int = 0,
    exact_max: int = 6,
) -> nx.Graph:
    """:func:`steiner_tree` on ``g``, the arrays of ``G`` (built once when many trees share a
    graph)."""
    term = np.array(sorted(g.index[t] for t in terminals), dtype=np.int64)
    g.work = 2 * len(g.ew) + 3000  # reading the graph, the start and writing the tree
    search = _Search(g, g.ew, term)
    start = search.mehlhorn(term) if len(term) > exact_max else None
    if start is None:  # few terminals, or not all in one component
        _, labels = connected_components(search.A, directed=False)
        tl = labels[term]
        if len(np.unique(tl)) > 1:
            main = np.bincount(tl).argmax()
            bad = [g.nodes[i] for i in term[tl != main]]
            raise UnreachableError(
                f"{len(bad)} terminal(s) cannot be reached from the others: "
                f"{', '.join(map(str, bad[:20]))}",
                bad,
            )
    if len(term) <= exact_max:
        _, pairs = _dreyfus_wagner(search.A, term)
        used = np.array(sorted({x for e in pairs for x in e} | set(term.tolist())), dtype=np.int64)
        cost, te = search.span(used)  # the union of the paths, as a pruned tree
    else:
        cost, te = search.span(start)
        if improve:
            cost, te = _improve(
                search,
                cost,
                te,
                restarts=restarts,
                effort=_EFFORT if effort is None else effort,
                perturbation=_PERTURBATION if perturbation is None else perturbation,
                seed=seed,
            )
    if not len(te):
        return G.subgraph([g.nodes[term[0]]]).copy()
    return _subgraph(
        G, [(g.nodes[u], g.nodes[v]) for u, v in zip(g.eu[te].tolist(), g.ev[te].tolist())], weight
    )


def _subgraph(G: nx.Graph, edges: list, weight: str) -> nx.Graph:
    """A new graph of the same class with these edges of ``G`` (and their attributes)."""
    T = G.__class__()
    T.graph.update(G.graph)
    adj = G._adj
    if G.is_multigraph():  # the cheapest of the parallel edges, as the search used
        for u, v in edges:
            k, d = min(adj[u][v].items(), key=lambda kd: float(kd[1].get(weight, 1.0)))
            T.add_edge(u, v, k, **d)
    else:
        T.add_edges_from((u, v, adj[u][v]) for u, v in edges)
    attrs = G._node
    for x, d in T._node.items():
        d.update(attrs[x])
    return T


def tree_cost(T: nx.Graph, weight: str = "weight") -> float:
    """Sum of the edge weights of a tree."""
    return float(sum(d.get(weight, 1.0) for *_, d in T.edges(data=True)))


def read_stp(path: PathLike) -> tuple[nx.Graph, list[int]]:
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
