"""All of Norway: county by county against across county borders, in the same run (prints a table).

    python benchmarks/clusters_norway.py [--max-members 10] [--repeat 2]

Both runs use the shipped partner model, the same graph and constraints. Reported per run: the
objective (sum of the clusters' log-odds), the proven bound and gap, the status, the number of
candidate clusters, the wall time (best of ``--repeat``) and the peak of traced memory
(tracemalloc, numpy arrays included). Then the clusters that cross a county border.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import nettverk as nv  # noqa: E402


def run(ds, G, *, cross: bool, max_members: int, repeat: int):
    best, res, peak = float("inf"), None, 0
    for i in range(repeat):
        if i == 0:
            tracemalloc.start()
        t = time.perf_counter()
        res = nv.candidate_clusters(ds, graph=G, max_members=max_members, cross_county=cross)
        best = min(best, time.perf_counter() - t)
        if i == 0:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    a = res.attrs
    row = {
        "mode": "across county borders" if cross else "county by county",
        "objective": a["objective"],
        "bound": a["bound"],
        "gap": a["gap"],
        "status": a["status"],
        "candidates": a["n_candidates"],
        "seconds": round(best, 2),
        "peak_mib": round(peak / 2**20, 1),
    }
    return row, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-members", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    ds = nv.load_default()
    G = nv.municipality_graph(ds)
    nv.candidate_clusters(ds, counties=["Agder"], graph=G)  # warm the per-dataset caches
    per, res_per = run(ds, G, cross=False, max_members=args.max_members, repeat=args.repeat)
    cross, res_cross = run(ds, G, cross=True, max_members=args.max_members, repeat=args.repeat)
    df = pd.DataFrame([per, cross])
    print(df.to_string(index=False))
    print(
        f"\ntime ratio across/by county: {cross['seconds'] / per['seconds']:.2f} "
        f"(target at most 3); gap across: {cross['gap']}"
    )
    county = ds.kommuner["fylkesnavn"]
    before = set(res_per["members"])
    print("\nclusters across county borders that the county-by-county run does not have:")
    for m, names in zip(res_cross["members"], res_cross["member_names"]):
        if m in before:
            continue
        counties = sorted(set(county[m.split(",")]))
        print(f"  {names}  [{', '.join(counties)}]")


if __name__ == "__main__":
    main()
