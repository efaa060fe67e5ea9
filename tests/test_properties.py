"""Property-based tests (hypothesis) of the analyses' invariants."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nettverk.analyses.clusters import candidate_clusters, cluster_assignment, natural_partner_graph
from nettverk.analyses.joining import joining_effect
from nettverk.models.allocation import core_check, key_shares, shapley_values
from nettverk.solvers.partition import solve_partition
from nettverk.solvers.steiner import steiner_tree

SLOW = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FAST = settings(max_examples=60, deadline=None)

COUNTIES = ["Agder", "Buskerud", "Telemark", "Vestfold", "Østfold", "Finnmark"]


@SLOW
@given(
    county=st.sampled_from(COUNTIES), max_members=st.integers(2, 6), min_members=st.integers(2, 3)
)
def test_clusters_partition_the_region_and_are_contiguous(
    real, real_graph, county, max_members, min_members
):
    if min_members > max_members:
        min_members = max_members
    res = candidate_clusters(
        real, counties=[county], graph=real_graph, max_members=max_members, min_members=min_members
    )
    codes = [c for m in res["members"] for c in m.split(",")]
    assert sorted(codes) == sorted(real.county_codes(county))  # every municipality exactly once
    H = natural_partner_graph(real, graph=real_graph)
    for m, n in zip(res["members"], res["n_members"]):
        members = m.split(",")
        assert len(members) == n and (n == 1 or min_members <= n <= max_members)
        assert nx.is_connected(H.subgraph(members))
    assert res.attrs["status"] == "optimal"
    assert res.attrs["objective"] >= res.attrs["greedy_objective"] - 1e-9
    assert cluster_assignment(res).index.is_unique


@SLOW
@given(
    collab=st.sampled_from(["ikt-agder", "hedmark-ikt", "hallingdal-ikt", "ikt-orkide", "ssikt"]),
    key=st.sampled_from([None, "equal", "population", "30/70", "50/50"]),
)
def test_shares_add_up_to_the_joint_cost_before_and_after_a_join(real, collab, key):
    r = joining_effect(real, collab, key=key, digging=False)
    info = r.info
    for cand in r.candidates["candidate"].head(5):
        t = r.member_table(cand)
        members = t[t["role"] == "medlem"]
        assert members["share_before_nok"].sum() == pytest.approx(
            info["joint_before_nok"], rel=1e-6, abs=1.0
        )
        after = r.candidates.set_index("candidate").loc[cand, "joint_after_nok"]
        assert t["share_after_nok"].sum() == pytest.approx(after, rel=1e-6, abs=1.0)


@FAST
@given(
    n=st.integers(4, 14), extra=st.integers(0, 20), k=st.integers(2, 5), seed=st.integers(0, 10_000)
)
def test_steiner_tree_spans_the_terminals_with_graph_edges(n, extra, k, seed):
    rng = np.random.default_rng(seed)
    G = (
        nx.random_labeled_tree(n, seed=seed)
        if hasattr(nx, "random_labeled_tree")
        else nx.random_tree(n, seed=seed)
    )
    for _ in range(extra):
        u, v = (int(x) for x in rng.integers(0, n, 2))
        if u != v:
            G.add_edge(u, v)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = float(rng.integers(1, 20))
    terminals = sorted(int(x) for x in rng.choice(n, size=min(k, n), replace=False))
    T = steiner_tree(G, terminals, weight="weight")
    assert set(terminals) <= set(T.nodes)
    assert nx.is_tree(T)
    assert all(G.has_edge(u, v) for u, v in T.edges)
    # no cheaper tree exists among the spanning trees of the nodes it uses (it is a minimum one
    # there)
    sub = G.subgraph(T.nodes)
    mst = nx.minimum_spanning_tree(sub, weight="weight")
    assert T.size(weight="weight") == pytest.approx(mst.size(weight="weight"))


def _game(costs: dict):
    return lambda s: costs[frozenset(s)]


@FAST
@given(n=st.integers(2, 5), data=st.data())
def test_a_split_is_in_the_core_when_the_check_says_so(n, data):
    players = list("abcde"[:n])
    alone = {p: data.draw(st.integers(10, 100)) for p in players}
    costs = {frozenset(): 0.0}
    for k in range(1, n + 1):
        for combo in itertools.combinations(players, k):
            # subadditive-ish costs: the sum alone less a random saving
            saving = data.draw(st.floats(0.0, 0.4)) if k > 1 else 0.0
            costs[frozenset(combo)] = sum(alone[p] for p in combo) * (1 - saving)
    v, _ = shapley_values(players, _game(costs))
    assert v.sum() == pytest.approx(costs[frozenset(players)])
    check = core_check(v.to_dict(), _game(costs))
    brute = all(
        sum(v[p] for p in combo)
        <= costs[frozenset(combo)] + 1e-6 * max(1.0, costs[frozenset(combo)])
        for k in range(1, n)
        for combo in itertools.combinations(players, k)
    )
    assert check.in_core == brute
    assert check.individually_rational == all(v[p] <= alone[p] + 1e-6 * alone[p] for p in players)
    assert check.win_win == (check.individually_rational and brute)


@FAST
@given(
    n=st.integers(1, 8),
    kind=st.sampled_from(["equal", "population", "hybrid"]),
    eq=st.floats(0, 1),
    pops=st.lists(st.integers(100, 100_000), min_size=8, max_size=8),
)
def test_keys_sum_to_one(n, kind, eq, pops):
    members = [f"m{i}" for i in range(n)]
    s = key_shares(members, kind=kind, population=dict(zip(members, pops)), equal_part=eq)
    assert s.sum() == pytest.approx(1.0) and (s >= 0).all()


@FAST
@given(n=st.integers(1, 7), seed=st.integers(0, 10_000))
def test_partition_solver_matches_brute_force(n, seed):
    """On a path of n vertices with random column scores, the solver finds the best partition."""
    rng = np.random.default_rng(seed)
    adj = [[j for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)]
    cols = [
        tuple(range(a, b)) for a in range(n) for b in range(a + 1, n + 1)
    ]  # the connected sets of a path
    scores = np.where([len(c) == 1 for c in cols], 0.0, rng.normal(0, 2, len(cols)))
    sets = np.full((len(cols), n), -1)
    for i, c in enumerate(cols):
        sets[i, : len(c)] = c
    sol = solve_partition(sets, scores, n, adj)

    def best(start: int) -> float:
        if start == n:
            return 0.0
        return max(
            scores[cols.index(tuple(range(start, end)))] + best(end)
            for end in range(start + 1, n + 1)
        )

    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(best(0), abs=1e-9)
    covered = sorted(v for j in sol.columns for v in sets[j] if v >= 0)
    assert covered == list(range(n))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_one_network_the_same_distance_whoever_asks(real, data):
    """The partner model's matrix, a search from one centre, and a county's selection agree."""
    import nettverk as nv
    from nettverk.models.partner import pair_features
    from nettverk.network.roads import network
    from nettverk.network.sites import travel

    codes = list(real.kommuner.index)
    a = data.draw(st.sampled_from(codes))
    b = data.draw(st.sampled_from(codes))
    km = travel(real).at[a, b]
    pf = pair_features(real)
    assert pf.km[pf.index[a], pf.index[b]] == pytest.approx(km)
    if a != b:
        cen = nv.centres(real)
        row = network(real).from_sources(cen.loc[[a]], cen.loc[[b]])
        assert row[0] == pytest.approx(km, rel=1e-9, abs=1e-6)
    county = real.kommuner.at[a, "fylkesnavn"]
    sub = real.select(counties=[county], municipalities=[b])
    assert travel(sub).at[a, b] == pytest.approx(km)


def test_every_cost_range_is_ordered():
    """low <= default <= high for every parameter with a range, and the models at low and high."""
    from nettverk.models.costs import RANGES, CostModel

    base = CostModel()
    for name, (lo, hi, *_rest) in RANGES.items():
        assert lo <= getattr(base, name) <= hi, name
        assert getattr(base.at("low", [name]), name) == lo
        assert getattr(base.at("high", [name]), name) == hi
