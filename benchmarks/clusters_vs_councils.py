"""The clusters of some counties next to the regional councils their members belong to.

    python benchmarks/clusters_vs_councils.py                       # Innlandet, Vestland, Agder
    python benchmarks/clusters_vs_councils.py --county Nordland --county Troms

For each cluster of the partition (the shipped partner model, across county borders within the
counties given, default options) one line: its members, and each regional council that has a
member in it with how many of the cluster's members it holds and how many members it has in all.
At the end the pair agreement between the clusters and the councils (pairs of municipalities in
the counties; a pair counts as together in the councils when they share a council).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import nettverk as nv  # noqa: E402
from nettverk.analyses.clusters import cluster_assignment


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--county", action="append", default=None)
    args = ap.parse_args()
    counties = args.county or ["Innlandet", "Vestland", "Agder"]
    ds = nv.load_default()
    names = ds.kommuner["kommunenavn"]
    sam = ds.samarbeid.set_index("id")
    med = ds.active_memberships()
    councils = med[med["samarbeid_id"].map(sam["form"]) == "interkommunalt_politisk_rad"]
    council_of = councils.groupby("kommunenummer")["samarbeid_id"].agg(set)
    size = councils.groupby("samarbeid_id")["kommunenummer"].nunique()
    for county in counties:
        res = nv.candidate_clusters(ds, counties=[county], progress=False)
        a = res.attrs
        print(f"\n## {county}: {len(res)} klynger, status {a['status']}, gap {a['gap']}")
        together = agree = apart_c = 0
        for r in res.itertuples():
            members = r.members.split(",")
            held: dict[str, int] = {}
            for c in members:
                for cid in council_of.get(c, set()):
                    held[cid] = held.get(cid, 0) + 1
            parts = ", ".join(
                f"{sam.at[cid, 'navn'].split(' (')[0]} {n}/{size[cid]}"
                for cid, n in sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))
            )
            label = "alene" if r.alone else f"{r.n_members} kommuner"
            print(
                f"- {', '.join(names[c] for c in members)} ({label}): {parts or 'ingen regionråd'}"
            )
        codes = sorted(set(ds.county_codes(county)))
        assign = cluster_assignment(res)
        for i, x in enumerate(codes):
            for y in codes[i + 1 :]:
                same_cluster = assign.get(x) == assign.get(y)
                same_council = bool(council_of.get(x, set()) & council_of.get(y, set()))
                together += same_cluster and same_council
                agree += same_cluster
                apart_c += same_council
        p = together / agree if agree else 0.0
        rc = together / apart_c if apart_c else 0.0
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        print(
            f"Par i samme klynge og samme regionråd: {together}; presisjon {p:.2f}, "
            f"dekning {rc:.2f}, F1 {f1:.2f} (i utvalget: regionrådene er en egenskap i modellen)"
        )


if __name__ == "__main__":
    main()
