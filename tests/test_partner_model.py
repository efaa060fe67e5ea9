"""The partner model: the fit is right, leak-free, current, and its signs make sense."""

import warnings

import numpy as np
import pytest

from nettverk.analyses.validity import leave_one_member_out, partition_scores, summarise_ranks
from nettverk.models import partner as pm
from nettverk.models.partner.model import _conditional_logit, _set_features


def test_conditional_logit_matches_statsmodels(real):
    """Our Newton fit gives statsmodels' ConditionalLogit estimates (unweighted, no ridge)."""
    sm = pytest.importorskip("statsmodels.discrete.conditional_models")
    pf = pm.pair_features(real)
    X = pf.matrix()
    sets = [cs for cs in pm.choice_sets(real) if cs.kind == "ikt"][:60]
    cols = [pm.FEATURES.index(f) for f in ("log_km", "border", "commuting", "same_council")]
    Z = [_set_features(X, cs)[:, cols] for cs in sets]
    ours, se, _ = _conditional_logit(Z, np.ones(len(Z)), np.arange(len(Z)), ridge=0.0)
    y = np.concatenate([np.r_[1.0, np.zeros(len(z) - 1)] for z in Z])
    g = np.concatenate([np.full(len(z), i) for i, z in enumerate(Z)])
    model = sm.ConditionalLogit(y, np.vstack(Z), groups=g)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(disp=False, maxiter=500)
    assert np.allclose(
        ours, res.params, atol=0.1
    )  # its BFGS stops a little short in a flat direction
    # ours is the maximum: statsmodels' own likelihood is at least as high at our estimate
    assert model.loglike(ours) >= model.loglike(res.params) - 1e-8


def test_held_out_collaboration_leaves_every_network_feature(real):
    pf = pm.pair_features(real)
    i, j = pf.index["3324"], pf.index["3328"]  # Gol and Ål: both in hallingdal-ikt
    f = pm.FEATURES.index("shared_other")
    full = pf.matrix()[i, j, f]
    held = pf.matrix(exclude="hallingdal-ikt")[i, j, f]
    assert held == full - 1
    c = pm.FEATURES.index("same_council")
    assert pf.matrix(exclude="regionradet-hallingdal")[i, j, c] == 0 < pf.matrix()[i, j, c]


def test_each_training_set_sees_the_features_without_its_own_collaboration(real):
    """The fit's choice sets: Hallingdal's council set does not know Gol and Ål share it."""
    pf = pm.pair_features(real)
    i, j = pf.index["3324"], pf.index["3328"]
    c = pm.FEATURES.index("same_council")
    sets = pm.training_sets(real, kinds=("council",))
    seen = {cs.collaboration: Xc[i, j, c] for cs, Xc in pm.set_matrices(real, sets)}
    assert seen["regionradet-hallingdal"] == 0 < pf.matrix()[i, j, c]
    assert seen["valdres"] == 1  # any other set still sees their council


def test_shipped_model_is_the_fit_on_the_embedded_data(real):
    shipped = pm.load_partner_model()
    refit = pm.fit_partner_model(real)
    assert shipped.data_version == pm.data_version(real)
    assert np.allclose(shipped.beta, refit.beta, atol=1e-6)
    assert shipped.tau == pytest.approx(refit.tau, abs=1e-6)


def test_signs_make_sense():
    c = pm.load_partner_model().coef
    assert c["log_km"] < 0 and c["size_gap"] < 0 and c["rival_ict"] < 0
    for tie in ("border", "commuting", "same_ba", "same_council", "shared_other"):
        assert c[tie] > 0, tie


def test_group_affinity_parts_add_up(real):
    g = pm.group_affinity(real, ["Lillehammer", "Øyer"], ["Gausdal", "Bergen"])
    parts = g[[f"contrib_{f}" for f in pm.FEATURES]].sum(axis=1)
    assert np.allclose(parts, g["affinity"])
    assert g.loc["3405" if "3405" in g.index else g.index[0], "affinity"] >= g["affinity"].min()
    assert g["affinity"].iloc[0] > g["affinity"].iloc[1]  # Gausdal above Bergen


def test_leave_one_member_out_beats_nearest_road_in_one_county(real):
    """A small run of the validity harness: the model is not worse than the road baseline."""
    ranks = leave_one_member_out(real.select(counties=["Innlandet"]))
    table = summarise_ranks(ranks).set_index("method")
    assert table.loc["partnermodell", "hit5"] >= table.loc["naermeste_veg", "hit5"]
    assert table.loc["partnermodell", "median_rank"] <= table.loc["storst_folketall", "median_rank"]


def test_partition_scores_count_pairs():
    tp, fp, fn = partition_scores(
        {"a": 1, "b": 1, "c": 1, "d": 2}, [["a", "b"], ["c", "d"]], {"a", "b", "c", "d"}
    )
    assert (tp, fp, fn) == (1, 2, 1)


def test_partner_lists_out_of_sample_beat_the_total_score_ranking(real):
    """Hallingdal IKT and Kongsbergregionen IKT held out: the default ranking of `partners` (the
    best partition's cluster first) recovers the members' real partners at least as well as
    ranking by the cluster's total score or by the member's own log-odds."""
    from nettverk.analyses.validity import partner_recovery, pooled_f1

    rows = partner_recovery(real.select(counties=["Buskerud"]), councils=False)
    assert set(rows["fold"]) == {"hallingdal-ikt"} | ({"kongsbergregionen-ikt"} & set(rows["fold"]))
    f1 = pooled_f1(rows).set_index("method")["f1"]
    assert f1["partnermodell"] >= f1["partnermodell, total poengsum"]
    assert f1["partnermodell"] >= f1["partnermodell, egen tilknytning"]
    assert f1["partnermodell"] > f1["ba_region"]
