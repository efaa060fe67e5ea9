"""Households and settlements at county scale: nettverk's Steiner solver against networkx's.

    python benchmarks/settlements.py [--groups hallingdal,troms] [--sites households,settlements]

For each group and kind of site, the Steiner problem ``nettverk dig`` solves for the whole group
(:func:`nettverk.analyses.digging.steiner_instance`: the road-and-ferry graph, priced in NOK,
every demand point and the hub; for households the hub is every settlement at once) is solved
by nettverk's ``steiner_tree`` and by networkx's ``steiner_tree(method="mehlhorn")`` in the same
process. It prints both costs, their ratio, both wall times (the fastest of ``--repeat`` calls)
and their ratio, and a lower bound on the optimum, the larger of

* Mehlhorn's guarantee: its tree costs at most ``2 (1 - 1/t)`` times the optimum (``t``
  terminals), so the optimum is at least Mehlhorn / ``2 (1 - 1/t)``;
* half the sum, over terminals, of the distance to the nearest other terminal (a tree walked
  twice round passes every terminal, and each stretch between two terminals is at least that
  distance for the one it starts from);
* where the instance is small enough, the multi-commodity flow LP relaxation solved by HiGHS
  (``lp_bound``), much the tightest;

so ``nettverk / bound`` is the most the tree can be above the optimum. Solving the whole county
in ``nettverk dig`` also times the split (one tree per member alone) and the output; that time
is printed too.
"""

from __future__ import annotations

import argparse
import time
import warnings

import networkx as nx
import numpy as np
from networkx.algorithms.approximation import steiner_tree as nx_steiner
from scipy.sparse.csgraph import dijkstra

import nettverk as nv
from nettverk.analyses.digging import shared_digging, steiner_instance
from nettverk.solvers.steiner import steiner_tree, tree_cost
from nettverk.solvers.steiner._graph import to_csr
from steinlib import timed  # the same timing as the SteinLib benchmark (benchmarks/ on the path)

GROUPS = {
    "hallingdal": dict(municipalities=["Gol", "Hol", "Ål", "Hemsedal", "Nesbyen", "Flå"]),
    "troms": dict(county="Troms"),
    "valdres": dict(
        municipalities=[
            "Nord-Aurdal",
            "Sør-Aurdal",
            "Etnedal",
            "Vestre Slidre",
            "Øystre Slidre",
            "Vang",
        ]
    ),
}


def nearest_terminal_bound(G, terms) -> float:
    """Half the sum over terminals of the distance to the nearest other terminal (a lower bound
    on the Steiner optimum), from one multi-source Dijkstra and the edges between regions."""
    A, _, index = to_csr(G, "weight")
    t = np.array([index[x] for x in terms])
    dist, _, src = dijkstra(A, directed=False, indices=t, min_only=True, return_predecessors=True)
    coo = A.tocoo()
    a, b, w = coo.row, coo.col, coo.data
    cross = src[a] != src[b]
    via = dist[a[cross]] + w[cross] + dist[b[cross]]
    best = {}
    for s, v in zip(src[a[cross]], via):
        best[s] = min(best.get(s, np.inf), v)
    for s, v in zip(src[b[cross]], via):
        best[s] = min(best.get(s, np.inf), v)
    return 0.5 * sum(best.get(i, 0.0) for i in t)


def lp_bound(G, terms, *, max_size: int = 4_000_000) -> float | None:
    """The optimum of the multi-commodity flow relaxation of the Steiner problem (HiGHS): one unit
    of flow from the root to every other terminal, each arc bought at least as much as any
    flow uses it. A lower bound on the optimum, usually within a few per cent of it; ``None``
    where terminals x arcs exceeds ``max_size`` (too big for this machine)."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    A, _, index = to_csr(G, "weight")
    coo = sp.triu(A, k=1).tocoo()
    tail = np.r_[coo.row, coo.col]
    head = np.r_[coo.col, coo.row]
    w = np.r_[coo.data, coo.data]
    n, m = A.shape[0], len(w)
    t = [index[x] for x in terms]
    root = index[("fiber",)] if ("fiber",) in index else t[0]
    sinks = [x for x in t if x != root]
    k = len(sinks)
    if k == 0 or k * m > max_size:
        return None
    # variables: x (m arcs), then f^1 .. f^k (m each)
    inc = sp.csr_array(
        (np.r_[np.ones(m), -np.ones(m)], (np.r_[head, tail], np.r_[np.arange(m), np.arange(m)])),
        shape=(n, m),
    )  # +1 where the arc enters the node, -1 where it leaves
    eq = sp.hstack([sp.csr_array((n * k, m)), sp.block_diag([inc] * k, format="csr")])
    rhs = np.zeros(n * k)
    for i, s in enumerate(sinks):
        rhs[i * n + s] += 1.0
        rhs[i * n + root] -= 1.0
    cap = sp.hstack([-sp.vstack([sp.identity(m)] * k), sp.identity(m * k)], format="csr")
    cost = np.r_[w, np.zeros(m * k)]
    res = linprog(
        cost, A_ub=cap, b_ub=np.zeros(m * k), A_eq=eq, b_eq=rhs, bounds=(0, 1), method="highs"
    )
    return float(res.fun) if res.status == 0 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", default="hallingdal,valdres,troms")
    ap.add_argument("--sites", default="households,settlements")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument(
        "--no-lp", dest="lp", action="store_false", help="skip the LP bound (HiGHS, slower)"
    )
    args = ap.parse_args()
    ds = nv.load_default()
    print(
        f"{'group':11} {'sites':12} {'terms':>5} {'nodes':>6} {'nettverk MNOK':>13} "
        f"{'mehlhorn MNOK':>13} {'cost ratio':>10} {'bound MNOK':>10} {'n/bound':>7} "
        f"{'nettverk s':>10} {'mehlhorn s':>10} {'time ratio':>10} {'dig s':>6} {'bound':>8}"
    )
    for name in args.groups.split(","):
        g = GROUPS[name]
        codes = (
            ds.codes(g["municipalities"]) if "municipalities" in g else ds.county_codes(g["county"])
        )
        for kind in args.sites.split(","):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                G, terms = steiner_instance(ds, codes, sites=kind)
                # networkx's Mehlhorn needs every node reachable: the part with the terminals
                G = G.subgraph(nx.node_connected_component(G, terms[0])).copy()
                T, t_n = timed(lambda: steiner_tree(G, terms), args.repeat)
                X, t_x = timed(
                    lambda: nx_steiner(G, terms, weight="weight", method="mehlhorn"), args.repeat
                )
                t0 = time.perf_counter()
                shared_digging(ds, codes, sites=kind, progress=False)
                t_dig = time.perf_counter() - t0
            c_n, c_x = tree_cost(T), tree_cost(X)
            k = len(terms)
            bound = max(c_x / (2 * (1 - 1 / k)) if k > 1 else 0.0, nearest_terminal_bound(G, terms))
            t0 = time.perf_counter()
            lp = lp_bound(G, terms) if args.lp else None
            t_lp = time.perf_counter() - t0
            bound = max(bound, lp or 0.0)
            print(
                f"{name:11} {kind:12} {k:5d} {G.number_of_nodes():6d} {c_n / 1e6:13.2f} "
                f"{c_x / 1e6:13.2f} {c_n / c_x:10.4f} {bound / 1e6:10.2f} {c_n / bound:7.3f} "
                f"{t_n:10.2f} {t_x:10.2f} {t_x / t_n:10.2f} {t_dig:6.1f} "
                f"{'LP' if lp and lp >= bound else 'kombin.':>8}"
                + (f" (LP {t_lp:.0f} s)" if lp else ""),
                flush=True,
            )


if __name__ == "__main__":
    main()
