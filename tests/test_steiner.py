import itertools

import networkx as nx
import pytest

import nettverk as nv
from nettverk.steiner import read_stp, steiner_tree, tree_cost

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


def test_star_beats_mst_of_terminals():
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "x", 1), ("b", "x", 1), ("c", "x", 1), ("a", "b", 1.8), ("b", "c", 1.8)])
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
def test_properties_vs_shortest_path_heuristic(seed):
    G = nx.random_geometric_graph(120, 0.18, seed=seed)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    for u, v in G.edges:
        (x1, y1), (x2, y2) = G.nodes[u]["pos"], G.nodes[v]["pos"]
        G.edges[u, v]["weight"] = ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5
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
