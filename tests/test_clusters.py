import dataclasses

import networkx as nx
import pytest

import nettverk as nv
from nettverk.analyses.clusters import (
    candidate_clusters,
    cluster_assignment,
    natural_partner_graph,
    partners,
    score_clusters,
)
from nettverk.models.partner import affinity_matrix
from nettverk.models.partner.model import load_partner_model


def _partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for i in range(len(part)):
            yield part[:i] + [[first] + part[i]] + part[i + 1 :]
        yield [[first]] + part


def _brute_force(ds, G, *, max_members, min_members=2, max_population=None):
    """The best partition by enumeration: clusters contiguous through natural-partner links."""
    H = natural_partner_graph(ds, graph=G)
    best = -float("inf")
    codes = list(ds.kommuner.index)
    for part in _partitions(codes):
        ok = True
        for p in part:
            if not nx.is_connected(H.subgraph(p)):
                ok = False
            if len(p) > 1 and not (min_members <= len(p) <= max_members):
                ok = False
            if (
                len(p) > 1
                and max_population is not None
                and ds.kommuner.loc[p, "innbyggere"].sum() > max_population
            ):
                ok = False
        if not ok:
            continue
        total = score_clusters(ds, part, graph=G)["score"].sum()
        best = max(best, total)
    return best


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(max_members=3),
        dict(max_members=4, min_members=3),
        dict(max_members=6, max_population=9000),
    ],
)
def test_matches_brute_force(tiny, kwargs):
    G = nv.municipality_graph(tiny)
    res = candidate_clusters(tiny, graph=G, **kwargs)
    best = _brute_force(tiny, G, **kwargs)
    assert res.attrs["objective"] == pytest.approx(best, abs=1e-6)
    assert res.attrs["gap"] == 0.0 and res.attrs["status"] == "optimal"


def test_partition_properties_and_explanation(real, real_graph):
    from nettverk.models.partner import affinity_matrix
    from nettverk.models.partner.model import load_partner_model

    res = candidate_clusters(
        real, counties=["Agder"], graph=real_graph, max_members=5, max_population=120_000
    )
    codes = [c for m in res["members"] for c in m.split(",")]
    agder = real.county_codes("Agder")
    assert sorted(codes) == sorted(agder)  # every municipality exactly once
    U, tau = affinity_matrix(real), load_partner_model().tau
    idx = {c: i for i, c in enumerate(real.kommuner.index)}
    for row in res.itertuples():
        members = row.members.split(",")
        assert nx.is_connected(real_graph.subgraph(members))
        assert row.n_members == len(members) <= 5
        if row.n_members > 1:
            assert row.innbyggere <= 120_000
        # the score is the sum of the pairs' log-odds, recomputed here from the affinity matrix
        pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        assert row.score == pytest.approx(sum(U[idx[a], idx[b]] - tau for a, b in pairs), abs=1e-3)
        parts = row.joint_nok + row.retained_nok + row.overhead_nok + row.travel_nok
        assert row.net_gain_nok == pytest.approx(row.standalone_nok - parts, abs=1.0)
        assert row.net_gain_low_nok <= row.net_gain_nok <= row.net_gain_high_nok
    assert res.attrs["objective"] >= res.attrs["greedy_objective"] - 1e-6
    assert res.attrs["objective"] == pytest.approx(res["score"].sum(), abs=1e-3)
    assert list(cluster_assignment(res).index) == sorted(agder)


def test_singletons_flagged(real, real_graph):
    res = candidate_clusters(real, counties=["Buskerud"], graph=real_graph)
    assert (res["alone"] == (res["n_members"] == 1)).all()


def test_keep_existing_keeps_collaborations_together(real, real_graph):
    res = candidate_clusters(
        real, counties=["Innlandet"], graph=real_graph, keep_existing="drift", max_members=8
    )
    a = cluster_assignment(res)
    hedmark = ["3403", "3413", "3412", "3401", "3417", "3414", "3415"]
    assert len({a[c] for c in hedmark}) == 1
    ikomm = [real.code(n) for n in ("Lillehammer", "Øyer", "Gausdal")]
    assert len({a[c] for c in ikomm}) == 1
    assert any("drift" in n for n in res.attrs["notes"])


def test_overlapping_groups_are_merged_and_said(tiny):
    res = candidate_clusters(
        tiny, keep_together=[["3324", "3328"], ["3328", "3330"]], max_members=4
    )
    a = cluster_assignment(res)
    assert a["3324"] == a["3328"] == a["3330"]
    assert any("merged" in n for n in res.attrs["notes"])


def test_include_and_exclude(tiny):
    res = candidate_clusters(
        tiny, exclude=["3320"], include=["1151"], max_members=3, cross_county=True
    )
    ex = res[res["excluded"]]
    assert ex["members"].tolist() == ["3320"]
    row = res[res["members"].str.contains("1151")].iloc[0]
    assert row["n_members"] >= 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(min_members=5, max_members=3), "min_members \\(5\\) is above max_members \\(3\\)"),
        (dict(min_population=10**9), "above the region's total population"),
        (dict(counties=["Atlantis"]), "unknown county 'Atlantis'"),
        (
            dict(include=["1151"], max_population=100, cross_county=True),
            "no feasible cluster for 1151 Utsira",
        ),
        (
            dict(include=["1151"], cross_county=False),
            "no feasible cluster for 1151 Utsira.*drop --per-county",
        ),
        (
            dict(keep_together=[["3320", "3330"]], max_members=2),
            "cannot form one contiguous cluster",
        ),
    ],
)
def test_infeasible_requests(tiny, kwargs, match):
    with pytest.raises(nv.NettverkError, match=match):
        candidate_clusters(tiny, **kwargs)


def test_money_objective_follows_the_cost_model(tiny):
    from nettverk.models.costs import CostModel

    base = candidate_clusters(tiny, max_members=3, objective="money").attrs["objective"]
    cheap = candidate_clusters(
        tiny, max_members=3, objective="money", costs=CostModel(coordination_fixed_nok=0)
    ).attrs["objective"]
    assert cheap > base


def test_clusters_follow_real_regions(real, real_graph):
    """Valdres, Nord-Østerdal and Lillehammer-regionen come out whole in Innlandet."""
    a = cluster_assignment(
        candidate_clusters(real, counties=["Innlandet"], graph=real_graph, max_members=8)
    )
    for names in (
        ["Vang", "Vestre Slidre", "Øystre Slidre", "Nord-Aurdal", "Etnedal", "Sør-Aurdal"],
        ["Lillehammer", "Øyer", "Gausdal"],
    ):
        assert len({a[real.code(n)] for n in names}) == 1, names
    assert a[real.code("Lillehammer")] != a[real.code("Hamar")]


@pytest.mark.parametrize(
    "name, region",
    [
        ("Ål", ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol"]),
        (
            "Vang",
            ["Sør-Aurdal", "Etnedal", "Nord-Aurdal", "Vestre Slidre", "Øystre Slidre", "Vang"],
        ),
    ],
)
def test_partners_give_the_known_region(real, real_graph, name, region):
    p = partners(real, name, top=1, graph=real_graph)
    assert sorted(p["member_names"].iloc[0].split(", ")) == sorted(region)


@pytest.mark.parametrize("name, council", [("Bykle", "setesdal"), ("Stord", "sunnhordland")])
def test_partners_stay_in_the_municipalitys_own_region(real, real_graph, name, council):
    """The total score favours big clusters (Bykle with Østre Agder's eight, Stord with
    Haugalandet);
    the municipality's own log-odds keep it in its regional council."""
    p = partners(real, name, top=1, graph=real_graph)
    top = set(p["members"].iloc[0].split(","))
    med = real.medlemskap
    members = set(med.loc[med["samarbeid_id"] == council, "kommunenummer"])
    assert len(top & members) >= 0.8 * len(top), (p["member_names"].iloc[0], sorted(members))
    assert p["all_belong"].iloc[0]


def test_partners_rank_by_the_municipalitys_own_log_odds(real, real_graph):
    p = partners(real, "Bykle", top=10, graph=real_graph, rank_by="own")
    belong = p[p["all_belong"]]
    assert belong["own_log_odds"].is_monotonic_decreasing
    assert list(p["all_belong"]) == sorted(
        p["all_belong"], reverse=True
    )  # every member belongs, first
    assert not p["best_partition"].any()


def test_partners_put_the_best_partitions_cluster_first(real, real_graph):
    """Flå's own log-odds favour its nearest neighbours; the best partition keeps all of
    Hallingdal."""
    p = partners(real, "Flå", top=5, graph=real_graph)
    assert p["best_partition"].tolist() == [True, False, False, False, False]
    own = partners(real, "Flå", top=1, graph=real_graph, rank_by="own")
    assert p["n_members"].iloc[0] == 6 and set(own["members"].iloc[0].split(",")) <= set(
        p["members"].iloc[0].split(",")
    )
    rest = p.iloc[1:]
    assert rest.loc[rest["all_belong"], "own_log_odds"].is_monotonic_decreasing
    whole = partners(real, "Bykle", top=1, graph=real_graph)
    assert whole["n_members"].iloc[0] < 10  # not Setesdal plus Østre Agder


def test_partners_contain_the_municipality_and_rank(real, real_graph):
    p = partners(real, "Gol", top=5, max_members=4, graph=real_graph, within_county=True)
    assert len(p) == 5
    assert all("3324" in m.split(",") for m in p["members"])
    rest = p[~p["best_partition"]]
    assert rest.loc[rest["all_belong"], "own_log_odds"].is_monotonic_decreasing
    assert p["best_partition"].sum() <= 1 and (
        p["best_partition"].iloc[0] or not p["best_partition"].any()
    )
    assert list(p["rank"]) == [1, 2, 3, 4, 5]
    assert set(
        real.kommuner.loc[[c for m in p["members"] for c in m.split(",")], "fylkesnummer"]
    ) == {"33"}


def test_deterministic(real, real_graph):
    a = candidate_clusters(real, counties=["Agder"], graph=real_graph, max_members=5)
    b = candidate_clusters(real, counties=["Agder"], graph=real_graph, max_members=5)
    assert a["members"].tolist() == b["members"].tolist()


def test_lp_cut_short_never_claims_an_unproven_optimum(real, real_graph, monkeypatch):
    """A column generation stopped after one round gives a valid bound, never a false proof."""
    import nettverk.solvers.partition as pt

    full = candidate_clusters(real, counties=["Agder"], graph=real_graph, max_members=8)
    monkeypatch.setattr(pt, "LP_ROUNDS", 1)
    cut = candidate_clusters(real, counties=["Agder"], graph=real_graph, max_members=8)
    assert (
        cut.attrs["bound"] >= full.attrs["objective"] - 1e-6
    )  # a bound, not the restricted LP's value
    if cut.attrs["status"] == "optimal":
        assert cut.attrs["objective"] == pytest.approx(full.attrs["objective"], abs=1e-6)
    else:
        assert cut.attrs["status"] == "lp not converged" and cut.attrs["gap"] > 0


def test_clusters_cross_county_borders_by_default(real, real_graph):
    """Haugalandet spans Rogaland and Vestland: across the border it is whole, per county it is
    not."""
    both = candidate_clusters(real, counties=["Rogaland", "Vestland"], graph=real_graph)
    per = candidate_clusters(
        real, counties=["Rogaland", "Vestland"], graph=real_graph, cross_county=False
    )
    a = cluster_assignment(both)
    haugesund, etne, sveio = real.code("Haugesund"), real.code("Etne"), real.code("Sveio")
    assert a[haugesund] == a[etne] == a[sveio]
    b = cluster_assignment(per)
    assert b[haugesund] != b[etne]
    assert both.attrs["objective"] >= per.attrs["objective"] - 1e-9
    assert both.attrs["status"] == "optimal" and both.attrs["gap"] == 0.0


def test_time_limit_bounds_the_enumeration_too(real, real_graph, monkeypatch):
    """Past the deadline even the enumeration stops: a partition of everyone, no claimed bound."""
    import nettverk.solvers.partition as pt

    monkeypatch.setattr(pt.Deadline, "passed", lambda self: self.at is not None)
    res = candidate_clusters(real, counties=["Innlandet"], graph=real_graph, time_limit=1000)
    codes = sorted(c for m in res["members"] for c in m.split(","))
    assert codes == sorted(real.county_codes("Innlandet"))
    assert (
        res.attrs["status"] == "time limit"
        and res.attrs["gap"] is None
        and res.attrs["bound"] is None
    )


def test_every_municipality_alone_says_why(real, real_graph):
    """Alone: its strongest neighbour, and the log-odds of joining that neighbour's cluster
    (recomputed here from the affinity matrix) below 0, or no neighbour over tau; or a stronger
    natural partner outside the region (Gran next to Lunner, across the Akershus border)."""
    from nettverk.models.partner import affinity_matrix
    from nettverk.models.partner.model import load_partner_model

    U, tau = affinity_matrix(real), load_partner_model().tau
    idx = {c: i for i, c in enumerate(real.kommuner.index)}
    for county in ("Vestland", "Innlandet"):
        res = candidate_clusters(real, counties=[county], graph=real_graph)
        alone = res[res["alone"] & ~res["excluded"]]
        assert len(alone) and (alone["alone_reason"] != "").all()
        assert (res.loc[~res["alone"], "alone_reason"] == "").all()
        _check_alone_reasons(real, real_graph, res, alone, U, tau, idx)
        if county == "Innlandet":  # Gran's Hadeland partners are in Akershus
            assert alone["alone_reason"].str.contains("utenfor området").any()


def _check_alone_reasons(real, real_graph, res, alone, U, tau, idx):
    from nettverk.data.columns import chance_text

    cluster_of = {c: m.split(",") for m in res["members"] for c in m.split(",")}
    for r in alone.itertuples():
        c = r.members
        nbrs = [u for u in real_graph[c] if u in cluster_of]
        best = max(nbrs, key=lambda u: (U[idx[c], idx[u]], u))
        outside = [u for u in real_graph[c] if u not in cluster_of]
        assert "log-odds" not in r.alone_reason and "τ" not in r.alone_reason  # planner's words
        if "utenfor området" in r.alone_reason:  # a stronger natural partner across the border
            far = max(outside, key=lambda u: (U[idx[c], idx[u]], u))
            assert real.kommuner.at[far, "kommunenavn"] in r.alone_reason
            assert U[idx[c], idx[far]] > max(tau, U[idx[c], idx[best]])
            continue
        assert real.kommuner.at[best, "kommunenavn"] in r.alone_reason
        gain = sum(U[idx[c], idx[x]] - tau for x in cluster_of[best])
        if "ikke hører til" in r.alone_reason:  # joining the strongest one's cluster loses
            assert f"({chance_text(gain)} for at den gjør det)" in r.alone_reason and gain < 0
        elif "ingen nabo er en naturlig partner" in r.alone_reason:
            assert U[idx[c], idx[best]] <= tau
        else:
            assert "full" in r.alone_reason or "begrensning" in r.alone_reason


def test_partners_of_a_municipality_without_natural_partners_are_shown_and_flagged(
    real, real_graph
):
    """Where no neighbour is over tau, partners still lists the clusters with its neighbours."""
    model = load_partner_model()
    U = affinity_matrix(real, model)
    idx = {c: i for i, c in enumerate(real.kommuner.index)}
    best = {
        c: max(U[idx[c], idx[u]] for u in real_graph[c]) for c in real_graph if real_graph.degree(c)
    }
    # a cut just over the weakest municipality's strongest neighbour leaves it without partners
    model = dataclasses.replace(model, tau=min(best.values()) + 0.1)
    H = natural_partner_graph(real, graph=real_graph, model=model)
    lonely = sorted(c for c in H if H.degree(c) == 0 and real_graph.degree(c) > 0)
    assert min(best, key=best.get) in lonely
    p = partners(real, lonely[0], top=3, graph=real_graph, model=model)
    assert p.attrs["no_natural_partner"] and len(p)
    assert not p["all_belong"].any() and (p["own_log_odds"] < 0).all()
    assert all(lonely[0] in m.split(",") for m in p["members"])


def test_every_cluster_says_why_it_stays_apart(real, real_graph):
    """A cluster of several names the bordering cluster it fits best (the highest sum of
    log-odds over the pairs between them, recomputed here) and, where that sum is below 0, the
    travel between them in km; Røst and Værøy against Lofoten's other four is the check a
    planner in Lofoten would make."""
    from nettverk.data.columns import FEATURE_APART, chance_text
    from nettverk.models.partner.features import FEATURES
    from nettverk.network.sites import travel

    assert set(FEATURE_APART) == set(FEATURES)  # every term has its words

    U, tau = affinity_matrix(real), load_partner_model().tau
    idx = {c: i for i, c in enumerate(real.kommuner.index)}
    km = travel(real, weight="km")
    names = real.kommuner["kommunenavn"]
    res = candidate_clusters(real, counties=["Nordland"], graph=real_graph)
    members = {r.cluster_id: r.members.split(",") for r in res.itertuples()}
    cluster_of = {c: cid for cid, m in members.items() for c in m}
    several = res[~res["alone"]]
    assert (several["apart_reason"] != "").all() and (
        res.loc[res["alone"], "apart_reason"] == ""
    ).all()
    for r in several.itertuples():
        mine = members[r.cluster_id]
        bordering = {cluster_of[u] for c in mine for u in real_graph[c] if u in cluster_of}
        bordering -= {r.cluster_id}

        def between(cid, mine=mine):
            return sum(U[idx[a], idx[b]] - tau for a in mine for b in members[cid])

        best = max(sorted(bordering), key=lambda k: (between(k), k))
        shown = names[members[best]].tolist()
        there = "klyngen " + ", ".join(shown) if len(shown) > 1 else f"{shown[0]}, som står alene"
        assert r.apart_reason.startswith("passer best med " + there)
        if between(best) < 0:  # the model says they do not belong together: what and how far
            d = km.loc[mine, members[best]].to_numpy()
            assert f"({chance_text(between(best))} for at de gjør det)" in r.apart_reason
            assert f"{d.min():.0f}–{d.max():.0f} km" in r.apart_reason
    rost = several[several["member_names"].str.contains("Røst")].iloc[0]
    assert "Moskenes" in rost["apart_reason"] and "reisevei" in rost["apart_reason"]
    p = partners(real, "Røst", top=3, graph=real_graph)
    if p.attrs["alone_in_best_partition"] is False and p["best_partition"].iloc[0]:
        assert p.attrs["partition_apart_reason"].startswith("passer best med klyngen")


def test_a_limit_that_keeps_clusters_apart_is_named(real, real_graph):
    """With at most 3 members, Hallingdal's two halves would belong together but may not merge:
    the reason says the limit, not the model."""
    res = candidate_clusters(real, counties=["Buskerud"], max_members=3, graph=real_graph)
    limited = res[res["apart_reason"].str.contains("over grensen på 3")]
    assert len(limited) >= 2
    for r in limited.itertuples():
        n = int(r.apart_reason.split("sammen blir de ")[1].split(" ")[0])
        assert n > 3
