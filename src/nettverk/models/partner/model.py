"""The partner model: who partners with whom, learned from the real collaboration network.

One model serves ``partners``, ``clusters`` and ``join``. Every pair of municipalities ``i, j``
has a feature vector ``x_ij`` (travel, border, commuting, BA-region, regional council,
digitalisation network, other collaborations shared, county, size gap, rival ICT operations,
and the cost model's saving), and a fitted *affinity*::

    u_ij = sum_k beta_k * x_ijk

A candidate ``j`` joining a group ``M`` has the mean affinity to the members,
``U(j, M) = mean_m u_jm``. The weights ``beta`` are the maximum-likelihood estimates of a
conditional logit of "who joins": each member of each real collaboration is left out in turn
and must be picked among every municipality outside the collaboration, with every network
feature computed *without* that collaboration (never fit on the item being predicted). Each
collaboration weighs the same, and ICT collaborations weigh as much as regional councils in
total. Standard errors are cluster-robust by collaboration (sandwich).

For partitions, ``tau`` is the affinity threshold that best tells the members of the training
groups from their other neighbours (the cut with the highest F1), and a cluster ``S``
scores ``sum over pairs in S of (u_ij - tau)``: a member belongs where its mean affinity to the
others beats ``tau``. This is the maximum-likelihood partition of a pair model with log-odds
``u_ij - tau``.

The fitted coefficients ship in ``_static/partner_model.json`` with the data version that
produced them; :func:`fit_partner_model` refits on any dataset (``nettverk model --refit``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError
from nettverk.data.columns import FEATURE_LABELS
from nettverk.data.dataset import Dataset

from .features import FEATURES, PairFeatures, _matrix_keep, pair_features

__all__ = [
    "PartnerModel",
    "fit_partner_model",
    "load_partner_model",
    "choice_sets",
    "training_sets",
    "set_matrices",
    "set_weights",
]


_MODEL_FILE = Path(__file__).resolve().parents[2] / "_static" / "partner_model.json"


# -- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerModel:
    """Fitted partner model: coefficients, their standard errors, and the cluster threshold.

    Examples
    --------
    >>> m = load_partner_model()
    >>> m.features == FEATURES
    True
    >>> bool(m.coef["log_km"] < 0) and bool(m.coef["same_council"] > 0)
    True
    """

    coef: dict
    se: dict
    tau: float
    features: tuple = FEATURES
    n_sets: int = 0
    n_collaborations: int = 0
    log_likelihood: float = float("nan")
    data_version: str = ""
    dropped: tuple = ()
    notes: tuple = ()

    @property
    def beta(self) -> np.ndarray:
        return np.array([self.coef[f] for f in self.features])

    def table(self) -> pd.DataFrame:
        """Coefficients with standard errors, z and the meaning of each feature."""
        rows = []
        for f in self.features:
            b, s = self.coef[f], self.se.get(f, float("nan"))
            rows.append(
                {
                    "feature": f,
                    "label": FEATURE_LABELS[f],
                    "coef": round(b, 4),
                    "se": round(s, 4) if math.isfinite(s) else s,
                    "z": round(b / s, 2) if s and math.isfinite(s) and s > 0 else float("nan"),
                }
            )
        return pd.DataFrame(rows)

    def to_json(self) -> str:
        d = {
            "coef": self.coef,
            "se": self.se,
            "tau": self.tau,
            "features": list(self.features),
            "n_sets": self.n_sets,
            "n_collaborations": self.n_collaborations,
            "log_likelihood": self.log_likelihood,
            "data_version": self.data_version,
            "dropped": list(self.dropped),
            "notes": list(self.notes),
        }
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "PartnerModel":
        d = json.loads(text)
        if tuple(d["features"]) != FEATURES:
            raise DataValidationError(
                f"partner model file has features {d['features']}, this version uses "
                f"{list(FEATURES)}; "
                "refit it with `nettverk model --refit`"
            )
        return cls(
            coef=d["coef"],
            se=d["se"],
            tau=float(d["tau"]),
            features=tuple(d["features"]),
            n_sets=d["n_sets"],
            n_collaborations=d["n_collaborations"],
            log_likelihood=d["log_likelihood"],
            data_version=d["data_version"],
            dropped=tuple(d.get("dropped", ())),
            notes=tuple(d.get("notes", ())),
        )


def data_version(ds: Dataset) -> str:
    """A short fingerprint of the collaboration register and the municipalities it was fitted on."""
    h = hashlib.sha256()
    med = ds.medlemskap[["samarbeid_id", "omrade", "kommunenummer"]].sort_values(
        ["samarbeid_id", "omrade", "kommunenummer"]
    )
    h.update(med.to_csv(index=False).encode())
    h.update(ds.samarbeid[["id", "form", "status"]].sort_values("id").to_csv(index=False).encode())
    h.update(",".join(ds.kommuner.index).encode())
    return h.hexdigest()[:12]


def load_partner_model(ds: Dataset | None = None) -> PartnerModel:
    """The shipped model (fitted on the embedded data); refit with :func:`fit_partner_model`.

    With ``ds`` given, a dataset whose collaborations differ from the fitted ones still uses the
    shipped coefficients (its own network features feed them); ``model.data_version`` tells
    which register they came from.
    """
    if not _MODEL_FILE.exists():  # pragma: no cover - a broken install
        raise FileNotFoundError(
            f"{_MODEL_FILE} is missing; reinstall nettverk or run scripts/fit_partner_model.py"
        )
    return PartnerModel.from_json(_MODEL_FILE.read_text(encoding="utf-8"))


# -- choice sets and the fit ----------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceSet:
    """One joining event: a member left out of its collaboration and every alternative."""

    collaboration: str
    area: str
    chosen: int
    members: np.ndarray  # the others
    alternatives: np.ndarray  # the chosen one first, then every non-member
    kind: str  # "ikt", "council" or "digi"


def _kind(pf: PairFeatures, cid: str) -> str:
    layer = pf.layer[pf.collab_ids.index(cid)]
    return {"council": "council", "digi": "digi"}.get(layer, "ikt")


def choice_sets(
    ds: Dataset,
    *,
    min_members: int = 3,
    per_area: bool = False,
    collaborations: list[str] | None = None,
) -> list[ChoiceSet]:
    """Every leave-one-member-out joining event of the active collaborations.

    One set per collaboration (members in any area) and member by default; with ``per_area``
    one per collaboration, area and member.
    """
    pf = pair_features(ds)
    med = ds.active_memberships()
    med = med[med["kommunenummer"].isin(pf.index)]
    keys = ["samarbeid_id", "omrade"] if per_area else ["samarbeid_id"]
    out = []
    n = len(pf.codes)
    for key, grp in med.groupby(keys, sort=True):
        cid = key[0] if isinstance(key, tuple) else key
        if collaborations is not None and cid not in collaborations:
            continue
        area = key[1] if per_area else "*"
        members = np.array(sorted({pf.index[c] for c in grp["kommunenummer"]}))
        if len(members) < min_members:
            continue
        outside = np.setdiff1d(np.arange(n), members)
        for j in members:
            others = members[members != j]
            out.append(ChoiceSet(cid, area, int(j), others, np.r_[j, outside], _kind(pf, cid)))
    return out


def _set_features(X: np.ndarray, cs: ChoiceSet) -> np.ndarray:
    """Mean pair features of each alternative to the set's members (alternatives x k)."""
    return X[np.ix_(cs.alternatives, cs.members)].mean(axis=1)


def _conditional_logit(
    Z: list[np.ndarray], w: np.ndarray, groups: np.ndarray, ridge: float = 1e-4, iters: int = 100
) -> tuple[np.ndarray, np.ndarray, float]:
    """Weighted conditional logit, the chosen alternative first in each set; Newton's method.

    Returns the coefficients, cluster-robust standard errors (by ``groups``) and the weighted
    log-likelihood.
    """
    k = Z[0].shape[1]
    beta = np.zeros(k)
    allZ = np.vstack(Z)
    starts = np.r_[0, np.cumsum([len(z) for z in Z])[:-1]]
    sizes = np.array([len(z) for z in Z])
    chosen = allZ[starts]
    wrow = np.repeat(w, sizes)

    def parts(b):
        v = allZ @ b
        vmax = np.maximum.reduceat(v, starts)
        e = np.exp(v - np.repeat(vmax, sizes))
        den = np.add.reduceat(e, starts)
        p = e / np.repeat(den, sizes)
        ll = float(np.sum(w * (chosen @ b - vmax - np.log(den)))) - 0.5 * ridge * float(b @ b)
        mean = np.add.reduceat(p[:, None] * allZ, starts)
        return ll, p, mean

    ll, p, mean = parts(beta)
    for _ in range(iters):
        g = (w[:, None] * (chosen - mean)).sum(axis=0) - ridge * beta
        dev = allZ - np.repeat(mean, sizes, axis=0)
        H = -(dev * (wrow * p)[:, None]).T @ dev - ridge * np.eye(k)
        step = np.linalg.solve(H, -g)
        t = 1.0
        while True:
            nb = beta + t * step
            nll, npp, nmean = parts(nb)
            if nll >= ll - 1e-10 or t < 1e-6:
                break
            t /= 2
        beta, ll, p, mean = nb, nll, npp, nmean
        if np.abs(t * step).max() < 1e-9:
            break
    dev = allZ - np.repeat(mean, sizes, axis=0)
    H = -(dev * (wrow * p)[:, None]).T @ dev - ridge * np.eye(k)
    score = w[:, None] * (chosen - mean)
    ug = np.unique(groups)
    S = np.zeros((k, k))
    for gname in ug:
        sg = score[groups == gname].sum(axis=0)
        S += np.outer(sg, sg)
    Hinv = np.linalg.inv(H)
    cov = Hinv @ S @ Hinv
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    return beta, se, ll


def _tau(X: np.ndarray, beta: np.ndarray, sets: list[ChoiceSet], adj: np.ndarray) -> float:
    """The affinity threshold that best tells members from the other neighbours of a group.

    For each training choice set, the alternatives that border the remaining members are
    scored by their mean affinity to them; ``tau`` is the cut that maximises the F1 of
    "the removed member is above it, the other neighbours below".
    """
    U = X @ beta
    ys, us = [], []
    for cs in sets:
        near = cs.alternatives[adj[np.ix_(cs.alternatives, cs.members)].any(axis=1)]
        if len(near) == 0:
            continue
        ys.append((near == cs.chosen).astype(float))
        us.append(U[np.ix_(near, cs.members)].mean(axis=1))
    y, u = np.concatenate(ys), np.concatenate(us)
    order = np.argsort(-u, kind="stable")
    y, u = y[order], u[order]
    tp = np.cumsum(y)
    fp = np.cumsum(1 - y)
    f1 = 2 * tp / (tp + fp + y.sum())
    best = int(np.argmax(f1))
    # the cut halfway between the last one in and the first one out
    return float((u[best] + u[best + 1]) / 2) if best + 1 < len(u) else float(u[best] - 1e-9)


def fit_partner_model(
    ds: Dataset,
    *,
    exclude: str | list[str] | None = None,
    drop: tuple[str, ...] = (),
    kinds: tuple[str, ...] = ("ikt", "council"),
    ridge: float = 1e-4,
) -> PartnerModel:
    """Fit the partner model on the dataset's active collaborations.

    Parameters
    ----------
    ds : Dataset
    exclude : str or list of str, optional
        Collaborations left out of the fit entirely (their choice sets and every network
        feature): the held-out items of a validation.
    drop : tuple of str
        Features left out (fixed at 0).
    kinds : tuple of str
        Which collaborations teach the model: ``ikt`` (every collaboration that is not a
        regional council or digitalisation network), ``council``, ``digi``. The digitalisation
        networks are county lists expanded mechanically, so they are left out by default.
    ridge : float
        A small L2 penalty for numerical stability.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> m = fit_partner_model(ds)
    >>> bool(m.coef["log_km"] < 0), m.n_collaborations > 50
    (True, True)
    """
    pf = pair_features(ds)
    excl = [exclude] if isinstance(exclude, str) else list(exclude or [])
    X = pf.matrix(drop=drop)
    if excl:
        keep = ~np.isin(pf.collab_ids, excl)
        X = _matrix_keep(pf, keep, drop)
    sets = training_sets(ds, exclude=excl, kinds=kinds)
    Z = [_set_features(Xc, cs) for cs, Xc in set_matrices(ds, sets, exclude=excl, drop=drop)]
    ids_arr = np.array([cs.collaboration for cs in sets])
    w, n_c = set_weights(sets)
    dropped_idx = [FEATURES.index(d) for d in drop]
    free = [i for i in range(len(FEATURES)) if i not in dropped_idx]
    b, se, ll = _conditional_logit([z[:, free] for z in Z], w, ids_arr, ridge=ridge)
    beta = np.zeros(len(FEATURES))
    sev = np.full(len(FEATURES), float("nan"))
    beta[free], sev[free] = b, se
    tau = _tau(X, beta, sets, pf.base[:, :, FEATURES.index("border")] > 0)
    return PartnerModel(
        coef={f: float(beta[i]) for i, f in enumerate(FEATURES)},
        se={f: float(sev[i]) for i, f in enumerate(FEATURES)},
        tau=tau,
        n_sets=len(sets),
        n_collaborations=len(set(ids_arr)),
        log_likelihood=ll,
        data_version=data_version(ds),
        dropped=tuple(drop),
        notes=tuple(f"{kd}: {n_c[kd]} samarbeid" for kd in sorted(n_c)),
    )


def training_sets(
    ds: Dataset, *, exclude: Sequence[str] = (), kinds: tuple[str, ...] = ("ikt", "council")
) -> list[ChoiceSet]:
    """The choice sets the model learns from: the ``kinds`` asked for, without ``exclude``."""
    sets = [cs for cs in choice_sets(ds) if cs.kind in kinds and cs.collaboration not in exclude]
    if not sets:
        raise DataValidationError(
            "no active collaboration with at least 3 members to fit the partner model on; "
            "add collaborations to samarbeid/medlemskap"
        )
    return sets


def set_matrices(
    ds: Dataset, sets: list[ChoiceSet], *, exclude: Sequence[str] = (), drop: tuple[str, ...] = ()
) -> Iterator[tuple[ChoiceSet, np.ndarray]]:
    """Yield each choice set with the pair features it may see (``n x n x k``).

    The evaluated collaboration never feeds its own network features (nor do ``exclude``);
    the array is built once per collaboration, so ``sets`` should come grouped by it.
    """
    pf = pair_features(ds)
    current, Xc = None, None
    for cs in sets:
        if cs.collaboration != current:
            current = cs.collaboration
            Xc = _matrix_keep(pf, ~np.isin(pf.collab_ids, list(exclude) + [current]), drop)
        yield cs, Xc


def set_weights(sets: list[ChoiceSet]) -> tuple[np.ndarray, dict[str, int]]:
    """Each set's weight, and the number of collaborations of each kind.

    Each collaboration weighs the same (its sets share one unit), and each kind weighs as much
    as the others in total.

    Examples
    --------
    >>> cs = [ChoiceSet(c, "*", 0, np.array([1]), np.array([0]), k)
    ...       for c, k in [("a", "ikt"), ("a", "ikt"), ("b", "council")]]
    >>> w, n = set_weights(cs)
    >>> w.tolist(), n
    ([0.5, 0.5, 1.0], {'council': 1, 'ikt': 1})
    """
    ids = np.array([cs.collaboration for cs in sets])
    size = pd.Series(ids).map(pd.Series(ids).value_counts()).to_numpy(dtype=float)
    kind = np.array([cs.kind for cs in sets])
    n_c = {str(kd): len(set(ids[kind == kd])) for kd in sorted(set(kind))}
    w = 1.0 / size
    for kd in n_c:
        w[kind == kd] *= (len(set(ids)) / len(n_c)) / n_c[kd]
    return w, n_c
