"""Out-of-sample checks of the partner model against real collaborations, next to baselines.

Two questions, each answered without ever fitting on the item being predicted:

- **Leave one member out** (:func:`leave_one_member_out`): for every active collaboration with
  at least three members, area by area, each member is removed in turn; the model is refitted
  without that collaboration (its choice sets and every network feature), and the removed
  member is ranked among every municipality outside the area. Reported: hit@1, hit@3, hit@5
  and the median rank, for the model and for each baseline in the same harness.
- **Leave one collaboration out for partners** (:func:`partner_recovery`): the same folds,
  and for each member of the held-out collaboration the top cluster of
  :func:`~.clusters.partners` is compared with its real partners (pairs that involve the
  member); likewise for the regional councils, one county at a time, with council membership
  dropped from the features.
- **Leave one collaboration out for clusters** (:func:`cluster_recovery`): each active ICT
  operations collaboration is removed from the data, the model refitted, the region of its
  counties partitioned (across county borders), and the pairs it had are compared with the
  partition: pair precision, recall and F1 over the municipalities that take part in any ICT
  operations collaboration (a pair counts when at least one of the two is in the held-out one).

Baselines: nearest by road; largest population; same regional council, BA-region or county
(share of members, ties by road distance); the link-prediction indices of networkx (resource
allocation, Adamic-Adar, Jaccard, preferential attachment) on the co-membership graph of the
training collaborations; and the cost model alone (the old ranking).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from nettverk._errors import InfeasibleError
from nettverk.data.dataset import Dataset
from nettverk.models.partner.features import ICT_AREAS
from nettverk.models.partner.model import PartnerModel, fit_partner_model

from .ranks import without_collaboration

__all__ = ["cluster_recovery", "partition_scores", "partner_recovery", "recall_ceiling"]


def _pairs_of(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {
        (a, b) if a < b else (b, a) for g in groups for i, a in enumerate(g) for b in g[i + 1 :]
    }


def partition_scores(
    assignment: dict[str, str],
    truth: list[list[str]],
    universe: set[str],
    focus: set[str] | None = None,
) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of co-clustered pairs.

    Pairs are counted among ``universe``; with ``focus``, only pairs with at least one member
    in ``focus``.

    Examples
    --------
    >>> assignment = {"a": "K1", "b": "K1", "c": "K2", "d": "K2"}
    >>> partition_scores(assignment, [["a", "b", "c"]], {"a", "b", "c", "d"})
    (1, 1, 2)
    """
    true = {p for p in _pairs_of(truth) if p[0] in universe and p[1] in universe}
    codes = sorted(c for c in universe if c in assignment)
    pred = set()
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if assignment[a] == assignment[b]:
                pred.add((a, b))
    if focus is not None:
        true = {p for p in true if p[0] in focus or p[1] in focus}
        pred = {p for p in pred if p[0] in focus or p[1] in focus}
    return len(true & pred), len(pred - true), len(true - pred)


def _f1(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def _council_ids(ds: Dataset) -> set[str]:
    """The active regional councils (:meth:`nettverk.Dataset.layers`)."""
    layer = ds.layers()
    active = set(ds.active_collaborations()["id"])
    return {c for c in layer.index[layer == "council"] if c in active}


def ict_groups(ds: Dataset) -> dict[str, list[str]]:
    """Members of each active ICT operations collaboration (area ``drift``, two or more members)."""
    layer = ds.layers()
    med = ds.active_memberships()
    med = med[med["omrade"].isin(ICT_AREAS)]
    out = {}
    for cid, g in med.groupby("samarbeid_id", sort=True):
        if layer.get(cid) != "other":
            continue
        members = sorted(set(g["kommunenummer"]))
        if len(members) >= 2:
            out[cid] = members
    return out


def _reference_partitions(ds: Dataset) -> dict[str, dict[str, str]]:
    k = ds.kommuner
    out = {
        "fylke": dict(zip(k.index, k["fylkesnummer"])),
        "ba_region": dict(zip(k.index, k["ba_region"].astype(str))),
    }
    med = ds.medlemskap[ds.medlemskap["samarbeid_id"].isin(_council_ids(ds))]
    first = med.sort_values(["kommunenummer", "samarbeid_id"]).drop_duplicates("kommunenummer")
    rr = dict(zip(first["kommunenummer"], first["samarbeid_id"]))
    out["regionrad"] = {c: rr.get(c, f"alene-{c}") for c in k.index}
    return out


def cluster_recovery(
    ds: Dataset,
    *,
    baselines: bool = True,
    progress: bool = False,
    max_members: int = 10,
    fit: Callable[[Dataset], PartnerModel] | None = None,
) -> pd.DataFrame:
    """Leave one ICT operations collaboration out, refit, partition its counties, compare pairs.

    ``fit`` fits the model on the training data (default :func:`fit_partner_model`); a variant
    of the model is checked by passing its own (``benchmarks/cluster_variants.py``).
    Returns one row per held-out collaboration and method with ``tp``, ``fp``, ``fn``; the
    pooled precision, recall and F1 come from :func:`pooled_f1`.
    """
    from nettverk.analyses.clusters.candidates import candidate_clusters, cluster_assignment
    from nettverk.network.municipalities import municipality_graph

    groups = ict_groups(ds)
    universe = {c for g in groups.values() for c in g}
    G = municipality_graph(ds)
    refs = _reference_partitions(ds) if baselines else {}
    rows = []
    it = list(groups.items())
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, desc="Klynger uten ett IKT-samarbeid", unit="samarbeid", leave=False)
    for cid, members in it:
        train = without_collaboration(ds, cid)
        counties = sorted(set(ds.kommuner.loc[members, "fylkesnummer"]))
        model = (fit or fit_partner_model)(train)
        methods = {"partnermodell": dict(objective="affinity", model=model)}
        if baselines:
            # the cost-only partition county by county: across two counties it enumerates for hours
            methods["kostnadsmodell"] = dict(
                objective="money", model=model, max_members=8, cross_county=False
            )
        for name, opts in methods.items():
            res = candidate_clusters(
                train,
                counties=counties,
                graph=G,
                **{"max_members": max_members, "cross_county": len(counties) > 1, **opts},
            )
            assign = cluster_assignment(res).to_dict()
            sub = {c for c in universe if c in assign}
            tp, fp, fn = partition_scores(assign, [members], sub, focus=set(members))
            rows.append({"samarbeid_id": cid, "method": name, "tp": tp, "fp": fp, "fn": fn})
        for name, assign in refs.items():
            tp, fp, fn = partition_scores(assign, [members], universe, focus=set(members))
            rows.append({"samarbeid_id": cid, "method": name, "tp": tp, "fp": fp, "fn": fn})
    return pd.DataFrame(rows)


def pooled_f1(rows: pd.DataFrame) -> pd.DataFrame:
    """Pair precision, recall and F1 per method, pooled over the folds (sums of tp, fp, fn).

    ``f1_macro`` is the mean of each fold's own F1 (folds by ``samarbeid_id``, or ``fold``):
    there every held-out collaboration weighs the same, while the pooled F1 weighs each by its
    number of pairs (IKT Agder's 14 members give 91 of the 253 pairs of the ICT folds).

    Examples
    --------
    >>> rows = pd.DataFrame({"samarbeid_id": ["a", "b"], "method": "m", "tp": [1, 0], "fp": [0, 0],
    ...                      "fn": [0, 3]})
    >>> r = pooled_f1(rows).iloc[0]
    >>> float(r["f1"]), float(r["f1_macro"])
    (0.4, 0.5)
    """
    fold = "samarbeid_id" if "samarbeid_id" in rows.columns else "fold"
    out = []
    for m, g in rows.groupby("method", sort=False):
        per = g.groupby(fold)[["tp", "fp", "fn"]].sum()
        macro = float(np.mean([_f1(*map(int, r))["f1"] for r in per.itertuples(index=False)]))
        out.append(
            {
                "method": m,
                **_f1(int(g["tp"].sum()), int(g["fp"].sum()), int(g["fn"].sum())),
                "f1_macro": macro,
            }
        )
    return pd.DataFrame(out)


def council_recovery(ds: Dataset, *, max_members: int = 10, progress: bool = False) -> pd.DataFrame:
    """Hold out the regional councils of one county at a time; partition the county; compare pairs.

    For each county, every council with a member there is removed from the data, the model is
    refitted on the rest (the ICT collaborations and the other counties' councils) with council
    membership dropped from the features, and the county is partitioned. Pairs are counted among
    the county's municipalities that are in one of the held-out councils. Returns pooled
    precision, recall and F1 per method (the model, the cost model alone, BA-regions, counties).
    """
    from nettverk.analyses.clusters.candidates import candidate_clusters, cluster_assignment
    from nettverk.network.municipalities import municipality_graph

    council_ids = _council_ids(ds)
    med = ds.medlemskap[ds.medlemskap["samarbeid_id"].isin(council_ids)]
    G = municipality_graph(ds)
    refs = _reference_partitions(ds)
    totals: dict[str, list[int]] = {}
    counties = sorted(set(ds.kommuner["fylkesnummer"]))
    it = counties
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(counties, desc="Regionråd, ett fylke om gangen", unit="fylke", leave=False)
    for f in it:
        codes = set(ds.kommuner.index[ds.kommuner["fylkesnummer"] == f])
        held = sorted(set(med.loc[med["kommunenummer"].isin(codes), "samarbeid_id"]))
        if not held:
            continue
        truth = [
            sorted(set(g["kommunenummer"]) & codes)
            for _, g in med[med["samarbeid_id"].isin(held)].groupby("samarbeid_id", sort=True)
        ]
        universe = {c for g in truth for c in g}
        train = without_collaboration(ds, held)
        model = fit_partner_model(train, drop=("same_council",))
        parts = {}
        for name, objective, mm in (
            ("partnermodell uten regionråd", "affinity", max_members),
            ("kostnadsmodell", "money", 8),
        ):
            res = candidate_clusters(
                train, counties=[f], graph=G, model=model, objective=objective, max_members=mm
            )
            parts[name] = cluster_assignment(res).to_dict()
        parts.update({"ba_region": refs["ba_region"], "fylke": refs["fylke"]})
        for name, assign in parts.items():
            tp, fp, fn = partition_scores(assign, truth, universe)
            acc = totals.setdefault(name, [0, 0, 0])
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn
    return pd.DataFrame([{"method": name, **_f1(*acc)} for name, acc in totals.items()])


#: The rankings of :func:`~.clusters.partners` that :func:`partner_recovery` compares.
RANKINGS = {
    "partition": "partnermodell",
    "own": "partnermodell, egen tilknytning",
    "total": "partnermodell, total poengsum",
}


def _partner_rows(
    fold: str,
    train: Dataset,
    model,
    G,
    members: dict[str, set[str]],
    refs: dict[str, dict[str, str]],
    universe: set[str] | None,
    max_members: int,
) -> list[dict]:
    """Pair counts of each member's top partner cluster (under each of :data:`RANKINGS`) and of
    the reference partitions (the member's council, BA-region, county)."""
    from nettverk.analyses.clusters import partners

    rows = []
    for x, truth in members.items():
        truth = truth - {x}
        preds = {}
        for rank_by in RANKINGS:
            try:
                top = partners(
                    train, x, top=1, model=model, graph=G, max_members=max_members, rank_by=rank_by
                )
                pred = set(top["members"].iloc[0].split(","))
                if top.attrs.get("no_natural_partner"):  # the list's clusters are not natural
                    pred = set()
            except InfeasibleError:  # no partner under the constraints: the model proposes none
                pred = set()
            preds[RANKINGS[rank_by]] = pred
        for name, assign in refs.items():
            preds[name] = {c for c, lab in assign.items() if lab == assign.get(x)}
        for name, pred in preds.items():
            pred = pred - {x}
            if universe is not None:
                pred = pred & universe
            rows.append(
                {
                    "fold": fold,
                    "kommunenummer": x,
                    "method": name,
                    "tp": len(pred & truth),
                    "fp": len(pred - truth),
                    "fn": len(truth - pred),
                }
            )
    return rows


def partner_recovery(
    ds: Dataset, *, councils: bool = True, progress: bool = False, max_members: int = 10
) -> pd.DataFrame:
    """Each member's top partner cluster against its real partners, never fitted on them.

    Two kinds of folds:

    - ``ikt``: each active ICT operations collaboration is removed and the model refitted;
      for each of its members the top cluster of :func:`~.clusters.partners` under each
      of its rankings (:data:`RANKINGS`) is compared with the other members.
      Pairs are counted among the municipalities in any ICT operations collaboration, as in
      :func:`cluster_recovery`.
    - ``regionrad`` (``councils=True``): one county at a time, every regional council with a
      member there is removed and the model refitted without council membership as a feature;
      each of the county's council members is compared with its councils' other members.

    The regional council (ICT folds only), BA-region and county of the member are the baselines.
    Returns one row per fold kind, member and method with ``tp``, ``fp``, ``fn``; pool them
    with :func:`pooled_f1` per ``kind``.
    """
    from nettverk.network.municipalities import municipality_graph

    G = municipality_graph(ds)
    refs = _reference_partitions(ds)
    groups = ict_groups(ds)
    universe = {c for g in groups.values() for c in g}
    folds = [("ikt", cid) for cid in groups]
    council_ids = _council_ids(ds)
    cmed = ds.medlemskap[ds.medlemskap["samarbeid_id"].isin(council_ids)]
    if councils:
        folds += [("regionrad", f) for f in sorted(set(ds.kommuner["fylkesnummer"]))]
    it = folds
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(
            folds, desc="Partnere, ett samarbeid eller fylke holdt ute", unit="fold", leave=False
        )
    rows = []
    for kind, key in it:
        if kind == "ikt":
            train = without_collaboration(ds, key)
            members = {x: set(groups[key]) for x in groups[key]}
            rows += [
                dict(r, kind=kind)
                for r in _partner_rows(
                    key, train, fit_partner_model(train), G, members, refs, universe, max_members
                )
            ]
            continue
        codes = set(ds.kommuner.index[ds.kommuner["fylkesnummer"] == key])
        held = cmed[cmed["kommunenummer"].isin(codes)]
        if held.empty:
            continue
        held_ids = sorted(set(held["samarbeid_id"]))
        train = without_collaboration(ds, held_ids)
        allm = cmed[cmed["samarbeid_id"].isin(held_ids)]
        members = {
            x: set(
                allm.loc[
                    allm["samarbeid_id"].isin(
                        set(held.loc[held["kommunenummer"] == x, "samarbeid_id"])
                    ),
                    "kommunenummer",
                ]
            )
            for x in sorted(set(held["kommunenummer"]))
        }
        model = fit_partner_model(train, drop=("same_council",))
        base = {k: v for k, v in refs.items() if k != "regionrad"}
        rows += [
            dict(r, kind=kind)
            for r in _partner_rows(key, train, model, G, members, base, None, max_members)
        ]
    return pd.DataFrame(rows)


def recall_ceiling(groups: dict[str, list[str]], max_members: int) -> float:
    """The highest pair recall a partition with clusters of at most ``max_members`` can reach.

    A group of ``n`` members keeps at most the pairs of ``n // m`` full clusters and one of
    ``n % m``.

    Examples
    --------
    >>> recall_ceiling({"a": list("abcdefghijklmn"), "b": list("xyz")}, 10)  # (45 + 6 + 3) / 94
    0.574468085106383
    """

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    kept = sum(
        (len(g) // max_members) * pairs(max_members) + pairs(len(g) % max_members)
        for g in groups.values()
    )
    return kept / sum(pairs(len(g)) for g in groups.values())
