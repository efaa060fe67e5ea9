"""Out-of-sample validity of the partner model, next to simple baselines (prints tables).

    python benchmarks/validity.py            # everything (about 20-30 minutes on 2 cores)
    python benchmarks/validity.py --quick    # leave-one-member-out only
    python benchmarks/validity.py --clusters-only
    python benchmarks/validity.py --partners-only   # section 4 (about 15 minutes)

Partitions use clusters of at most 10 (``--max-members``): with 14, the region of Nordfjord IKT
(Vestland and Møre og Romsdal across the border) enumerates tens of millions of candidate
clusters and takes many minutes; the largest clusters found are 8.

1. Leave one member out, over every active collaboration with at least 3 members and every
   area: the model is refitted without the collaboration, and the removed member ranked among
   every municipality outside the area. hit@1/3/5 and median rank, with 95 % bootstrap
   intervals over collaborations, for the model and each baseline in the same harness.
2. Leave one ICT operations collaboration out for clusters: remove it, refit, partition the
   counties it spans (across county borders), pair precision/recall/F1 over the municipalities in
   any ICT operations collaboration (pairs with at least one member of the held-out one).
3. The regional councils, one county at a time: the councils with a member in the county are
   removed, the model refitted without them and with council membership dropped from the
   features, the county partitioned, and its council pairs compared (a spatial hold-out).
4. Partners: the folds of 2 and 3, and for each held-out member the top cluster of
   ``nettverk partners`` (ranked by the member's own log-odds, and by the total score as
   before) against its real partners, next to its regional council, BA-region and county.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import nettverk as nv  # noqa: E402
from nettverk.analyses import validity as v

LABELS = {
    "partnermodell": "partnermodell",
    "naermeste_veg": "nærmeste på veg",
    "storst_folketall": "største folketall",
    "samme_regionrad": "samme regionråd",
    "samme_ba_region": "samme BA-region",
    "samme_fylke": "samme fylke",
    "resource_allocation": "resource allocation (nx)",
    "adamic_adar": "Adamic-Adar (nx)",
    "jaccard": "Jaccard (nx)",
    "preferential_attachment": "preferential attachment (nx)",
    "kostnadsmodell": "kostnadsmodell (gammel)",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="leave-one-member-out only")
    ap.add_argument("--clusters-only", action="store_true", help="skip leave-one-member-out")
    ap.add_argument("--partners-only", action="store_true", help="only section 4, partners")
    ap.add_argument("--max-members", type=int, default=10, help="largest cluster in the partitions")
    ap.add_argument("--boot", type=int, default=200)
    args = ap.parse_args()
    pd.set_option("display.width", 200)
    ds = nv.load_default()
    if args.partners_only:
        partner_lists(ds, args)
        return
    if not args.clusters_only:
        lomo(ds, args)
    if args.quick:
        return
    clusters(ds, args)
    partner_lists(ds, args)


def partner_lists(ds, args) -> None:
    t = time.perf_counter()
    rows = v.partner_recovery(ds, progress=True, max_members=args.max_members)
    print(
        f"\n4. Partnere: øverste klynge fra `nettverk partners` mot de virkelige partnerne "
        f"({time.perf_counter() - t:.0f} s)"
    )
    for kind, title in (
        ("ikt", "IKT-driftssamarbeid holdt ute, ett om gangen"),
        ("regionrad", "regionrådene holdt ute, ett fylke om gangen, modell uten regionråd"),
    ):
        g = rows[rows["kind"] == kind]
        if g.empty:
            continue
        pooled = v.pooled_f1(g)
        pooled["metode"] = pooled["method"].map(lambda m: LABELS.get(m, m))
        print(f"{title} ({g['kommunenummer'].nunique()} kommuner)")
        print(
            pooled[["metode", "tp", "fp", "fn", "precision", "recall", "f1", "f1_macro"]]
            .round(3)
            .to_string(index=False)
        )


def lomo(ds, args) -> None:
    t = time.perf_counter()
    ranks = v.leave_one_member_out(ds, progress=True)
    print(
        f"\n1. La én ute (medlem), {ranks['samarbeid_id'].nunique()} samarbeid, "
        f"{len(ranks) // ranks['method'].nunique()} uttak, {time.perf_counter() - t:.0f} s"
    )
    ranks["gruppe"] = ranks["kind"].map(
        {"ikt": "IKT og andre", "council": "regionråd", "digi": "digitaliseringsnettverk"}
    )
    headline = ranks[ranks["kind"] != "digi"].assign(gruppe="alle uten digitaliseringsnettverk")
    table = v.summarise_ranks(pd.concat([headline, ranks]), by=["gruppe"], n_boot=args.boot)
    table["metode"] = table["method"].map(LABELS)
    cols = [
        "gruppe",
        "metode",
        "n",
        "hit1",
        "hit3",
        "hit5",
        "hit5_lo",
        "hit5_hi",
        "median_rank",
        "median_lo",
        "median_hi",
        "mean_rank",
    ]
    print(table[cols].round(3).to_string(index=False))


def clusters(ds, args) -> None:
    t = time.perf_counter()
    rows = v.cluster_recovery(ds, progress=True, max_members=args.max_members)
    print(
        f"\n2. Klynger, la ett IKT-driftssamarbeid ute om gangen ({rows['samarbeid_id'].nunique()} "
        "samarbeid, "
        f"{time.perf_counter() - t:.0f} s)"
    )
    per = rows.pivot_table(
        index="samarbeid_id", columns="method", values=["tp", "fn", "fp"], aggfunc="sum"
    )
    print(per.to_string())
    pooled = v.pooled_f1(rows)
    pooled["metode"] = pooled["method"].map(lambda m: LABELS.get(m, m))
    print(
        pooled[["metode", "tp", "fp", "fn", "precision", "recall", "f1", "f1_macro"]]
        .round(3)
        .to_string(index=False)
    )
    ceiling = v.recall_ceiling(v.ict_groups(ds), args.max_members)
    print(
        f"Høyeste mulige recall med klynger på høyst {args.max_members} medlemmer: {ceiling:.3f}; "
        "varianter av modellen: benchmarks/cluster_variants.py"
    )
    t = time.perf_counter()
    council = v.council_recovery(ds, max_members=args.max_members, progress=True)
    print(
        f"\n3. Regionrådene, ett fylke holdt ute om gangen, modell uten regionråd som egenskap "
        f"({time.perf_counter() - t:.0f} s)"
    )
    print(
        council[["method", "tp", "fp", "fn", "precision", "recall", "f1"]]
        .round(3)
        .to_string(index=False)
    )


if __name__ == "__main__":
    main()
