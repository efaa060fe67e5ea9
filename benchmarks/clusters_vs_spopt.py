"""Benchmark: nettverk's candidate clusters against PySAL spopt (SKATER and Max-p).

    pip install -e ".[benchmarks]"
    python benchmarks/clusters_vs_spopt.py [--counties 46,34] [--max-members 10] [--no-norway]

Everything runs on the same ferry-linked municipality graph (spopt gets it as a libpysal W,
so island municipalities are linked as nettverk links them). Both partitions are scored with
nettverk's objective (``score_clusters``); feasibility means every cluster is contiguous and
has at most ``--max-members`` members. SKATER gets the same number of clusters as nettverk's
solution; Max-p gets the population floor of nettverk's smallest multi-member cluster. spopt
is a benchmark-only dependency.
"""

from __future__ import annotations

import argparse
import time
import warnings

import networkx as nx
import numpy as np
import pandas as pd

import nettverk as nv


def _w(G: nx.Graph, codes: list[str]):
    from libpysal.weights import W

    pos = {c: i for i, c in enumerate(codes)}
    neigh = {pos[c]: sorted(pos[n] for n in G[c] if n in pos) for c in codes}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return W(neigh, id_order=list(range(len(codes))), silence_warnings=True)


def _evaluate(ds, G, labels: dict[str, int], max_members: int):
    groups = {}
    for c, lab in labels.items():
        groups.setdefault(lab, []).append(c)
    parts = list(groups.values())
    s = nv.score_clusters(ds, parts, graph=G)
    feasible = bool(s["contiguous"].all() and (s["n_members"] <= max_members).all())
    return float(s["score"].sum()), feasible


def run(
    ds,
    G,
    codes: list[str],
    label: str,
    max_members: int,
    time_limit: float | None,
    cross: bool = False,
) -> dict:
    from spopt.region import MaxPHeuristic, Skater

    t = time.perf_counter()
    res = nv.candidate_clusters(
        ds,
        municipalities=codes,
        max_members=max_members,
        graph=G,
        time_limit=time_limit,
        cross_county=cross,
    )
    t_nv = time.perf_counter() - t
    k = int(len(res))
    multi = res[res["n_members"] > 1]
    floor = (
        float(multi["innbyggere"].min())
        if len(multi)
        else float(ds.kommuner.loc[codes, "innbyggere"].min())
    )
    gdf = ds.kommuner.loc[codes].copy()
    cen = nv.centres(ds).loc[codes]
    gdf["x"], gdf["y"] = cen.x.to_numpy() / 1000, cen.y.to_numpy() / 1000
    gdf["logpop"] = np.log(gdf["innbyggere"].astype(float))
    gdf = gdf.reset_index()
    w = _w(G, codes)
    out = {
        "region": label,
        "n": len(codes),
        "nettverk_score": res.attrs["objective"],
        "nettverk_gap": res.attrs["gap"],
        "nettverk_s": t_nv,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        try:
            sk = Skater(
                gdf,
                w,
                ["x", "y", "logpop"],
                n_clusters=min(k, len(codes) - 1) if len(codes) > 1 else 1,
            )
            sk.solve()
            lab = dict(zip(codes, sk.labels_))
            out["skater_score"], out["skater_feasible"] = _evaluate(ds, G, lab, max_members)
        except Exception as exc:  # report, do not hide
            out["skater_score"], out["skater_feasible"] = np.nan, f"failed: {type(exc).__name__}"
        out["skater_s"] = time.perf_counter() - t
        t = time.perf_counter()
        try:
            mp = MaxPHeuristic(
                gdf,
                w,
                ["x", "y", "logpop"],
                "innbyggere",
                floor,
                top_n=2,
                max_iterations_construction=50,
            )
            mp.solve()
            lab = dict(zip(codes, mp.labels_))
            out["maxp_score"], out["maxp_feasible"] = _evaluate(ds, G, lab, max_members)
        except Exception as exc:
            out["maxp_score"], out["maxp_feasible"] = np.nan, f"failed: {type(exc).__name__}"
        out["maxp_s"] = time.perf_counter() - t
    out["score_ratio_vs_skater"] = (
        out["nettverk_score"] / out["skater_score"] if out["skater_score"] else np.nan
    )
    out["time_ratio_skater_over_nettverk"] = out["skater_s"] / out["nettverk_s"]
    out["time_ratio_maxp_over_nettverk"] = out["maxp_s"] / out["nettverk_s"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--counties", default=None, help="comma-separated county numbers (default: all)"
    )
    ap.add_argument("--max-members", type=int, default=10)
    ap.add_argument("--no-norway", action="store_true")
    ap.add_argument("--time-limit", type=float, default=None)
    args = ap.parse_args()
    ds = nv.load_default()
    G = nv.municipality_graph(ds)
    counties = (
        args.counties.split(",") if args.counties else sorted(set(ds.kommuner["fylkesnummer"]))
    )
    rows = []
    for f in counties:
        codes = ds.county_codes(f)
        if len(codes) < 2:
            continue
        rows.append(
            run(
                ds,
                G,
                codes,
                f"{f} {ds.kommuner.loc[codes[0], 'fylkesnavn']}",
                args.max_members,
                args.time_limit,
            )
        )
        print(
            pd.DataFrame(rows[-1:]).round(3).to_string(index=False, header=len(rows) == 1),
            flush=True,
        )
    if not args.no_norway:
        rows.append(
            run(
                ds, G, list(ds.kommuner.index), "Norge fylkesvis", args.max_members, args.time_limit
            )
        )
        print(pd.DataFrame(rows[-1:]).round(3).to_string(index=False, header=False), flush=True)
        rows.append(
            run(
                ds,
                G,
                list(ds.kommuner.index),
                "Norge over fylkesgrenser",
                args.max_members,
                args.time_limit,
                cross=True,
            )
        )
        print(pd.DataFrame(rows[-1:]).round(3).to_string(index=False, header=False), flush=True)
    df = pd.DataFrame(rows)
    print("\nSummary:")
    print(
        df[
            [
                "region",
                "n",
                "nettverk_score",
                "nettverk_gap",
                "nettverk_s",
                "skater_score",
                "skater_feasible",
                "skater_s",
                "maxp_score",
                "maxp_feasible",
                "maxp_s",
            ]
        ]
        .round(2)
        .to_string(index=False)
    )


if __name__ == "__main__":
    main()
