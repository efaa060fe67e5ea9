"""SteinLib benchmark: nettverk's steiner_tree against networkx's Mehlhorn heuristic.

    python benchmarks/steinlib.py [--sets B,C,D,E] [--dir ../shared/benchmarks/steinlib]

Both run in the same process on the same graphs; the gap is to the known optimum in
optima.csv; the time is the wall time of the call alone (parsing excluded), the best of
``--repeat`` calls (as ``timeit`` does), each after a garbage collection so that neither
solver pays for the other's garbage.
"""

from __future__ import annotations

import argparse
import csv
import gc
import time
from pathlib import Path

from networkx.algorithms.approximation import steiner_tree as nx_steiner

from nettverk.solvers.steiner import read_stp, steiner_tree, tree_cost

ROOT = Path(__file__).resolve().parents[1]


def timed(call, repeat: int):
    """The result of ``call()`` and the fastest of ``repeat`` wall times."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        gc.collect()
        t = time.perf_counter()
        out = call()
        best = min(best, time.perf_counter() - t)
    return out, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="B,C,D,E")
    ap.add_argument(
        "--repeat", type=int, default=3, help="calls per solver and instance; the fastest counts"
    )
    ap.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "steinlib")
    args = ap.parse_args()
    optima = {}
    with open(args.dir / "optima.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            optima[(row["group"], row["filename"])] = float(row["opt"])
    print(
        f"{'instance':10} {'opt':>8} {'nettverk':>9} {'gap%':>6} {'s':>7} {'networkx':>9} "
        f"{'gap%':>6} {'s':>7}"
    )
    for group in args.sets.split(","):
        gaps_n, gaps_x, t_n, t_x = [], [], 0.0, 0.0
        for path in sorted((args.dir / group).glob("*.stp")):
            G, terms = read_stp(path)
            opt = optima[(group, path.name)]
            T, dt_n = timed(lambda: steiner_tree(G, terms), args.repeat)
            X, dt_x = timed(
                lambda: nx_steiner(G, terms, weight="weight", method="mehlhorn"), args.repeat
            )
            cn, cx = tree_cost(T), tree_cost(X)
            assert all(x in T for x in terms) and (
                T.number_of_nodes() == 1 or __import__("networkx").is_tree(T)
            )
            gn, gx = 100 * (cn - opt) / opt, 100 * (cx - opt) / opt
            gaps_n.append(gn)
            gaps_x.append(gx)
            t_n += dt_n
            t_x += dt_x
            print(
                f"{path.stem:10} {opt:8.0f} {cn:9.0f} {gn:6.2f} {dt_n:7.3f} {cx:9.0f} {gx:6.2f} "
                f"{dt_x:7.3f}",
                flush=True,
            )
        print(
            f"SET {group}: nettverk mean gap {sum(gaps_n) / len(gaps_n):.2f} % (max "
            f"{max(gaps_n):.2f}) in {t_n:.2f} s; "
            f"networkx mehlhorn mean gap {sum(gaps_x) / len(gaps_x):.2f} % (max {max(gaps_x):.2f}) "
            f"in {t_x:.2f} s; "
            f"time ratio nettverk/networkx {t_n / t_x:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
