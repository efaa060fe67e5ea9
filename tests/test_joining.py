import numpy as np
import pytest

import nettverk as nv
from nettverk.analyses.joining import best_areas_for, joining_effect


@pytest.fixture(scope="module")
def agder(real):
    return joining_effect(real, "ikt-agder", area="drift")


@pytest.mark.parametrize("key", ["equal", "population", "30/70", "50/50", None])
def test_shares_sum_to_joint_cost_before_and_after(real, key):
    r = joining_effect(real, "ikt-agder", area="drift", key=key, digging=False)
    m = r.members
    before = m[m["role"] == "medlem"].groupby("candidate")["share_before_nok"].sum()
    after = m.groupby("candidate")["share_after_nok"].sum()
    c = r.candidates.set_index("candidate")
    assert (before - c["joint_before_nok"]).abs().max() < 1.0
    assert (after - c["joint_after_nok"]).abs().max() < 1.0


def test_explicit_shares_key_hedmark(real):
    r = joining_effect(real, "hedmark-ikt", area="drift", digging=False)
    assert r.info["key"] == "shares"
    hamar = r.members[(r.members["kommunenummer"] == "3403")].iloc[0]
    assert hamar["share_before_nok"] == pytest.approx(
        0.325 / 1.001 * r.info["joint_before_nok"], rel=1e-3
    )
    after = r.members.groupby("candidate")["share_after_nok"].sum()
    assert (after - r.candidates.set_index("candidate")["joint_after_nok"]).abs().max() < 1.0


def test_columns_explain_rank(agder):
    c = agder.candidates
    assert list(c["rank"]) == list(range(1, len(c) + 1))
    import numpy as np

    # ranked by tier, then by affinity within each tier
    assert c["tier"].is_monotonic_increasing
    for _, g in c.groupby("tier"):
        assert g["score"].is_monotonic_decreasing
    # the affinity is the sum of its parts, and the money adds up
    parts = c[[col for col in c.columns if col.startswith("aff_")]].sum(axis=1)
    assert np.allclose(parts, c["affinity"], atol=1e-3)
    # the group gain holds joint, coordination and travel (the one economics); then digging
    recomposed = c["group_gain_nok"] - c["dig_extra_annual_nok"].fillna(0)
    gain = c["standalone_nok"] + c["joint_before_nok"] - c["joint_after_nok"]
    assert np.allclose(gain, c["group_gain_nok"], atol=5)
    assert np.allclose(recomposed, c["net_gain_nok"], atol=5)
    # tier 1 is win-win and joins every part of the area; one that does not is never above
    assert (c.loc[c["tier"] == 1, "win_win"] & c.loc[c["tier"] == 1, "joins_parts"]).all()
    assert not c.loc[c["tier"] <= 3, "joins_parts"].eq(False).any()
    assert (c["borders_area"] | ~c["joins_parts"]).all()  # joining the parts means bordering
    # win_win means nobody loses and the newcomer gains
    ww = c[c["win_win"]]
    assert (ww["losers"] == "").all() and (ww["newcomer_gain_nok"] >= 0).all()
    # a fee interval, where given, is ordered
    f = c.dropna(subset=["fee_min_nok"])
    assert (f["fee_min_nok"] <= f["fee_max_nok"] + 1e-6).all()
    assert "0301" in set(c["candidate"]) and not set(c["candidate"]) & set(agder.info["members"])


def test_fee_makes_everyone_whole(agder):
    """Paying the lower end of the fee interval, no member loses and the newcomer still gains."""
    row = agder.candidates.dropna(subset=["fee_min_nok"]).iloc[0]
    t = agder.member_table(row["candidate"])
    members = t[t["role"] == "medlem"]
    w = members["share_after_nok"] / members["share_after_nok"].sum()
    net = members["share_after_nok"] - row["fee_min_nok"] * w
    assert (net <= members["share_before_nok"] + 1).all()
    assert row["share_after_nok"] + row["fee_min_nok"] <= row["standalone_nok"] + 1


def test_neighbour_is_contiguous_and_has_ties(agder):
    c = agder.candidates.set_index("candidate")
    krs = c.loc[
        "4204"
    ]  # Kristiansand borders Vennesla and Lillesand... and commutes with the members
    assert bool(krs["borders_area"]) and krs["commuters"] > 1000
    assert not bool(c.loc["5601", "borders_area"])  # Alta


def test_deterministic_ranking(real):
    a = joining_effect(real, "ikt-agder", area="drift").candidates["candidate"].tolist()
    b = joining_effect(real, "ikt-agder", area="drift").candidates["candidate"].tolist()
    assert a == b


def test_unknown_collaboration_and_area_list_valid(real):
    with pytest.raises(
        nv.DataValidationError, match="unknown collaboration 'nope'; valid ones: .*ikt-agder"
    ):
        joining_effect(real, "nope")
    with pytest.raises(
        nv.DataValidationError, match="has no area 'video'; its areas are drift, nett, fagsystemer"
    ):
        joining_effect(real, "ikt-agder", area="video")


def test_inactive_needs_flag(real):
    with pytest.raises(nv.DataValidationError, match="is avviklet, not a candidate"):
        joining_effect(real, "ddo")
    assert len(joining_effect(real, "ddo", include_inactive=True, digging=False).candidates) > 0


def test_best_areas_for(real):
    b = best_areas_for(real, "Lillesand", digging=False, rank_by="affinity")
    assert b["score"].is_monotonic_decreasing
    assert set(b["candidate"]) == {"4215"}
    assert ("ikt-agder", "drift") in set(zip(b["samarbeid_id"], b["omrade"]))


def test_agder_candidates_are_the_neighbours(real):
    """IKT Agder's best candidates border the area; Kristiansand and Oslo do not top the list."""
    r = joining_effect(real, "ikt-agder", area="drift", digging=False)
    top = list(r.candidates["kommunenavn"].head(3))
    G = nv.municipality_graph(real)
    members = set(r.info["members"])
    for code in r.candidates["candidate"].head(3):
        assert any(G.has_edge(code, m) for m in members), code  # each borders the area
    assert top[0] != "Kristiansand"
    assert r.candidates.set_index("kommunenavn").loc["Oslo", "rank"] > 50


def test_no_digging_charged_where_no_connection_is_needed(real):
    r = joining_effect(real, "hallingdal-ikt", area="drift")
    assert (r.candidates["dig_extra_nok"] == 0).all() and not r.candidates["dig_unknown"].any()


def test_join_and_clusters_use_one_affinity(real):
    """The tie rule is the partner model's, the same in joining and in clusters (issue: two cohesion
    rules)."""
    from nettverk.analyses.clusters import score_clusters
    from nettverk.models.partner import affinity_matrix

    r = joining_effect(
        real, "ikt-agder", area="drift", candidates=["Kristiansand", "Lillesand"], digging=False
    )
    members = r.info["members"]
    U = affinity_matrix(real, exclude="ikt-agder")
    idx = {c: i for i, c in enumerate(real.kommuner.index)}
    for row in r.candidates.itertuples():
        expected = np.mean([U[idx[row.candidate], idx[m]] for m in members])
        assert row.affinity == pytest.approx(expected, abs=1e-3)
    # a pair scored as a cluster: the same matrix (without an excluded collaboration)
    pair = score_clusters(real, [["Kristiansand", "Lillesand"]])
    assert pair.loc[0, "affinity_mean"] == pytest.approx(
        affinity_matrix(real)[idx["4204"], idx["4215"]], abs=1e-3
    )
