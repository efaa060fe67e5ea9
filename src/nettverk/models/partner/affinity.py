"""Using the partner model: the affinity of every pair, of a candidate to a group, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nettverk._types import Municipalities, Municipality
from nettverk.data.columns import FEATURE_LABELS
from nettverk.data.dataset import Dataset

from .features import FEATURES, _cache, pair_features
from .model import PartnerModel, load_partner_model

__all__ = ["affinity_matrix", "group_affinity", "explain_pair"]


# -- using the model -------------------------------------------------------------------------


def affinity_matrix(
    ds: Dataset, model: PartnerModel | None = None, *, exclude: str | None = None
) -> np.ndarray:
    """Fitted affinity ``u_ij`` of every pair (``n x n``, rows and columns in ``ds.kommuner``
    order).

    Examples
    --------
    >>> ds = nv.load_default()
    >>> U = affinity_matrix(ds)
    >>> i = list(ds.kommuner.index).index("3328")          # Ål
    >>> top = [ds.kommuner.index[j] for j in np.argsort(-U[i]) if j != i][:5]
    >>> sorted(ds.kommuner.loc[top, "kommunenavn"])
    ['Flå', 'Gol', 'Hemsedal', 'Hol', 'Nesbyen']
    """
    model = model or load_partner_model()
    key = ("U", exclude, tuple(sorted(model.coef.items())))
    cache = _cache(ds)
    if key not in cache:
        pf = pair_features(ds)
        X = pf.matrix(exclude=exclude)
        U = X @ model.beta
        np.fill_diagonal(U, 0.0)
        cache[key] = U
    return cache[key]


def group_affinity(
    ds: Dataset,
    members: Municipalities,
    candidates: Municipalities,
    model: PartnerModel | None = None,
    *,
    exclude: str | None = None,
) -> pd.DataFrame:
    """Each candidate's mean affinity to a group and the mean of each feature (the parts).

    The parts add up: ``affinity = sum_k coef_k * feature_k``; ``contrib_<feature>`` columns
    hold each term.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> g = group_affinity(ds, ["Gol", "Ål", "Hol", "Hemsedal", "Flå"], ["Nesbyen", "Ringerike"])
    >>> bool(g.loc["3322", "affinity"] > g.loc["3305", "affinity"])   # Nesbyen above Ringerike
    True
    """
    model = model or load_partner_model()
    pf = pair_features(ds)
    m = [pf.index[c] for c in ds.codes(members)]
    cands = ds.codes(candidates)
    ci = [pf.index[c] for c in cands]
    X = pf.matrix(exclude=exclude)
    F = X[np.ix_(ci, m)].mean(axis=1)
    out = pd.DataFrame(F, index=pd.Index(cands, name="kommunenummer"), columns=list(FEATURES))
    contrib = F * model.beta[None, :]
    for i, f in enumerate(FEATURES):
        out[f"contrib_{f}"] = contrib[:, i]
    out["affinity"] = contrib.sum(axis=1)
    out["km_nearest"] = pf.km[np.ix_(ci, m)].min(axis=1)
    return out


def explain_pair(
    ds: Dataset, a: Municipality, b: Municipality, model: PartnerModel | None = None
) -> pd.DataFrame:
    """Why two municipalities are (or are not) natural partners: each feature and its term.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> t = explain_pair(ds, "Gol", "Ål")
    >>> bool(abs(t["bidrag"].sum() - t.attrs["affinity"]) < 1e-9)
    True
    """
    model = model or load_partner_model()
    pf = pair_features(ds)
    i, j = pf.index[ds.code(a)], pf.index[ds.code(b)]
    x = pf.matrix()[i, j]
    t = pd.DataFrame(
        {
            "egenskap": [FEATURE_LABELS[f] for f in FEATURES],
            "verdi": x,
            "koeffisient": model.beta,
            "bidrag": x * model.beta,
        },
        index=list(FEATURES),
    )
    t.attrs["affinity"] = float((x * model.beta).sum())
    t.attrs["tau"] = model.tau
    return t
