import itertools

import networkx as nx
import numpy as np
import pytest

import nettverk as nv
from nettverk.solvers.steiner import read_stp, steiner_tree, tree_cost

from .conftest import SHARED


def _exact(G, terms):
    """Brute force: the cheapest MST-pruned tree over every set of Steiner vertices."""
    others = [n for n in G if n not in terms]
    best = float("inf")
    for k in range(len(others) + 1):
        for extra in itertools.combinations(others, k):
            H = G.subgraph(list(terms) + list(extra))
            if nx.is_connected(H):
                best = min(best, tree_cost(nx.minimum_spanning_tree(H)))
    return best


def _small_graph(seed):
    """A connected random graph of 11 nodes with deterministic integer weights 1-13."""
    G = nx.gnm_random_graph(11, 24, seed=seed)
    if not nx.is_connected(G):
        G = nx.compose(G, nx.path_graph(11))
    for i, (u, v) in enumerate(sorted(G.edges)):
        G.edges[u, v]["weight"] = 1 + (i * 7919 + seed * 104729) % 13
    return G


def _geometric(n, radius, seed):
    """The largest component of a random geometric graph, weighted by Euclidean length."""
    G = nx.random_geometric_graph(n, radius, seed=seed)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    for u, v in G.edges:
        (x1, y1), (x2, y2) = G.nodes[u]["pos"], G.nodes[v]["pos"]
        G.edges[u, v]["weight"] = ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5
    return G


def test_star_beats_mst_of_terminals():
    G = nx.Graph()
    G.add_weighted_edges_from(
        [("a", "x", 1), ("b", "x", 1), ("c", "x", 1), ("a", "b", 1.8), ("b", "c", 1.8)]
    )
    T = steiner_tree(G, ["a", "b", "c"])
    assert tree_cost(T) == 3.0 and "x" in T


@pytest.mark.parametrize("seed", range(8))
def test_small_random_graphs_optimal(seed):
    G = _small_graph(seed)
    terms = [0, 3, 5, 8, 10]
    T = steiner_tree(G, terms)
    assert nx.is_tree(T) and all(t in T for t in terms)
    assert tree_cost(T) == pytest.approx(_exact(G, terms))


@pytest.mark.parametrize("seed", range(5))
def test_properties_vs_mehlhorn(seed):
    G = _geometric(120, 0.18, seed)
    terms = sorted(G.nodes)[::9]
    T = steiner_tree(G, terms)
    assert nx.is_tree(T) and set(terms) <= set(T)
    ref = nx.algorithms.approximation.steiner_tree(G, terms, weight="weight", method="mehlhorn")
    assert tree_cost(T) <= tree_cost(ref) + 1e-9
    assert steiner_tree(G, terms).edges == T.edges  # deterministic


def test_unreachable_terminals_named():
    G = nx.Graph()
    G.add_edge(1, 2, weight=1)
    G.add_edge(3, 4, weight=1)
    with pytest.raises(nv.UnreachableError, match="cannot be reached from the others: 3") as exc:
        steiner_tree(G, [1, 2, 3])
    assert exc.value.unreachable == [3]


def test_missing_terminal():
    with pytest.raises(nx.NodeNotFound, match="terminals not in graph: 9"):
        steiner_tree(nx.path_graph(3), [0, 9])


def test_steinlib_instance_valid():
    path = SHARED / "benchmarks/steinlib/B/b01.stp"
    if not path.exists():
        pytest.skip("../shared is not beside this checkout")
    G, terms = read_stp(path)
    T = steiner_tree(G, terms)
    assert nx.is_tree(T) and set(terms) <= set(T)
    assert tree_cost(T) >= 82  # the known optimum is a lower bound


@pytest.mark.parametrize("seed", range(4))
def test_heuristic_path_valid_on_small_graphs(seed):
    """With the exact solver switched off the local search still returns a valid, good tree."""
    G = _small_graph(seed)
    terms = [0, 3, 5, 8, 10]
    T = steiner_tree(G, terms, exact_max=0)
    assert nx.is_tree(T) and set(terms) <= set(T)
    ref = nx.algorithms.approximation.steiner_tree(G, terms, weight="weight", method="mehlhorn")
    assert _exact(G, terms) <= tree_cost(T) <= tree_cost(ref) + 1e-9


def _random_weighted(n, m, seed, wmax=10):
    G = nx.gnm_random_graph(n, m, seed=seed)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    for i, (u, v) in enumerate(sorted(G.edges)):
        G.edges[u, v]["weight"] = 1 + (i * 7919 + seed * 104729) % wmax
    return G


@pytest.mark.parametrize("seed", range(3))
def test_key_tree_matches_a_walk_up_the_tree(seed):
    """Key paths, their costs and the dearest path between key vertices, against plain walks."""
    import numpy as np

    from nettverk.solvers.steiner._graph import _Graph
    from nettverk.solvers.steiner._search import _KeyTree, _Search

    G = _random_weighted(300, 700, seed)
    g = _Graph.from_networkx(G, "weight")
    terms = np.array(sorted(g.index[v] for v in sorted(G)[::11]))
    search = _Search(g, g.ew, terms)
    _, te = search.span(search.mehlhorn(terms))
    kt = _KeyTree(search, te)
    T = nx.Graph()
    T.add_weighted_edges_from(zip(g.eu[te].tolist(), g.ev[te].tolist(), g.ew[te].tolist()))
    root = int(terms[0])
    parent = dict(nx.bfs_predecessors(T, root))
    is_key = {v: v == root or bool(search.is_term[v]) or T.degree(v) >= 3 for v in T}
    keys = [v for v in T if is_key[v]]
    for k in keys:
        if k == root:
            continue
        cost, x = 0.0, k
        while True:
            p = parent[x]
            cost += T[p][x]["weight"]
            x = p
            if is_key[x]:
                break
        assert kt.kpar_l[k] == x and kt.cost_l[k] == pytest.approx(cost)
    rng = np.random.default_rng(seed)
    a, b = rng.choice(keys, 100), rng.choice(keys, 100)

    def walk_max(x, y):
        up_x, up_y = [x], [y]
        while up_x[-1] != root:
            up_x.append(kt.kpar_l[up_x[-1]])
        while up_y[-1] != root:
            up_y.append(kt.kpar_l[up_y[-1]])
        common = next(v for v in up_x if v in set(up_y))
        costs = [kt.cost_l[v] for v in up_x[: up_x.index(common)] + up_y[: up_y.index(common)]]
        return max(costs, default=-np.inf)

    got = kt.path_max(a, b)
    assert all(got[i] == walk_max(a[i], b[i]) for i in range(100))


@pytest.mark.parametrize("seed", range(3))
def test_dense_graph_searched_on_candidates_still_valid(seed):
    """Dense graphs go through the candidate graph; the tree is valid in G and beats Mehlhorn."""
    from nettverk.solvers.steiner._graph import _Graph

    G = _random_weighted(150, 3000, seed)
    g = _Graph.from_networkx(G, "weight")
    h = g.sparsified(8, np.zeros(0, dtype=np.int64))
    assert len(h.ew) < len(g.ew)
    assert (np.bincount(np.concatenate([h.eu, h.ev]), minlength=g.n) >= 8).all()
    terms = sorted(G)[::7]
    T = steiner_tree(G, terms)
    assert nx.is_tree(T) and set(terms) <= set(T) and all(G.has_edge(u, v) for u, v in T.edges)
    ref = nx.algorithms.approximation.steiner_tree(G, terms, weight="weight", method="mehlhorn")
    assert tree_cost(T) <= tree_cost(ref)


@pytest.mark.parametrize("small", [0, 10_000])
def test_python_and_scipy_spanning_trees_agree(monkeypatch, small):
    """Small inputs use plain-Python Kruskal and breadth-first search, large ones scipy: same trees'
    cost."""
    import nettverk.solvers.steiner._search as st

    G = _random_weighted(200, 500, 3)
    terms = sorted(G)[::6]
    ref = tree_cost(steiner_tree(G, terms, restarts=0))
    monkeypatch.setattr(st, "_SMALL", small)
    assert tree_cost(steiner_tree(G, terms, restarts=0)) == pytest.approx(ref)


def test_seed_and_restarts():
    G = _random_weighted(400, 1200, 5)
    terms = sorted(G)[::9]
    a, b = steiner_tree(G, terms, seed=1), steiner_tree(G, terms, seed=1)
    assert sorted(a.edges) == sorted(b.edges)
    base = tree_cost(steiner_tree(G, terms, improve=False))
    for kw in ({"restarts": 0}, {"restarts": 5}, {"seed": 7}, {"effort": 60}):
        T = steiner_tree(G, terms, **kw)
        assert nx.is_tree(T) and set(terms) <= set(T) and tree_cost(T) <= base


def test_multigraph_uses_the_cheapest_parallel_edge_and_keeps_attributes():
    G = nx.MultiGraph()
    G.add_edge("a", "b", weight=5, kind="gammel")
    G.add_edge("a", "b", weight=1, kind="ny")
    G.add_edge("b", "c", weight=1)
    G.add_edge("a", "c", weight=3)
    G.nodes["a"]["navn"] = "Gol"
    T = steiner_tree(G, ["a", "c"], exact_max=0)
    assert tree_cost(T) == 2.0 and T.nodes["a"]["navn"] == "Gol"


def test_zero_weights_and_bad_weights():
    G = nx.Graph()
    G.add_weighted_edges_from([(1, 2, 0.0), (2, 3, 0.0), (1, 3, 1.0), (3, 4, 2.0)])
    T = steiner_tree(G, [1, 3, 4], exact_max=0)
    assert tree_cost(T) == 2.0 and nx.is_tree(T)
    G.add_edge(4, 5, weight=-1)
    with pytest.raises(
        nv.NettverkError, match=r"edge \(4, 5\) has weight -1; weights must be finite numbers >= 0"
    ):
        steiner_tree(G, [1, 5])
    G.edges[4, 5]["weight"] = None
    with pytest.raises(nv.NettverkError, match="has weight None"):
        steiner_tree(G, [1, 5])


def test_steinlib_set_b_within_one_percent():
    """Every B instance gives a valid tree; the mean gap to the known optima is at most 1 %."""
    import csv

    folder = SHARED / "benchmarks/steinlib"
    if not (folder / "optima.csv").exists():
        pytest.skip("../shared is not beside this checkout")
    with open(folder / "optima.csv", encoding="utf-8") as fh:
        optima = {r["filename"]: float(r["opt"]) for r in csv.DictReader(fh) if r["group"] == "B"}
    gaps = []
    for path in sorted((folder / "B").glob("*.stp")):
        G, terms = read_stp(path)
        T = steiner_tree(G, terms)
        assert nx.is_tree(T) and set(terms) <= set(T)
        gaps.append((tree_cost(T) - optima[path.name]) / optima[path.name])
    assert min(gaps) >= -1e-9 and sum(gaps) / len(gaps) <= 0.01


def _shortest_path_heuristic(G, terms):
    """Takahashi-Matsuyama, plainly: grow from the first terminal by the nearest other terminal."""
    tree = {terms[0]}
    edges = []
    left = set(terms[1:])
    while left:
        dist, paths = nx.multi_source_dijkstra(G, tree, weight="weight")
        t = min(left, key=lambda x: (dist[x], x))
        path = paths[t]
        edges += list(zip(path, path[1:]))
        tree |= set(path)
        left -= tree
    return tree_cost(G.edge_subgraph(edges))


@pytest.mark.parametrize("seed", range(5))
def test_at_most_the_shortest_path_heuristic(seed):
    G = _geometric(150, 0.16, seed)
    terms = sorted(G.nodes)[::7]
    T = steiner_tree(G, terms)
    assert nx.is_tree(T) and set(terms) <= set(T)
    assert tree_cost(T) <= _shortest_path_heuristic(G, terms) + 1e-9
