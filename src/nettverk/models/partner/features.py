"""The partner model's pair features: travel, border, commuting, councils, collaborations, size."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nettverk.data.dataset import Dataset
from nettverk.network.roads import ACCESS_KMH

__all__ = ["FEATURES", "PairFeatures", "pair_features"]


#: The features of a pair, in the order of the coefficient vector.
FEATURES = (
    "log_km",
    "border",
    "commuting",
    "same_ba",
    "same_council",
    "same_digi",
    "shared_other",
    "same_county",
    "size_gap",
    "rival_ict",
    "saving",
)

#: Areas whose collaborations count as ICT operations (for ``rival_ict``).
ICT_AREAS = ("drift",)

#: Detour factor for pairs the road network does not join (straight line times this).
DETOUR = 1.5
#: Commuting is counted per this many of the smaller workforce (before the log).
COMMUTING_SCALE = 1000.0


def _cache(ds: Dataset) -> dict:
    """A per-dataset cache (the dataset is immutable)."""
    return ds.__dict__.setdefault("_partner_cache", {})


# -- pair features -------------------------------------------------------------------------


@dataclass(frozen=True)
class PairFeatures:
    """Pair features of every municipality pair, with the collaborations behind the network ones.

    ``base`` holds the features that do not depend on the collaboration register
    (``n x n x k``, in :data:`FEATURES` order, with zeros where a network feature goes);
    the membership matrices give the network features, with any one collaboration left out
    by :meth:`matrix`.
    """

    codes: list[str]
    base: np.ndarray
    km: np.ndarray
    minutes: np.ndarray
    road_reached: np.ndarray
    collab_ids: list[str]
    layer: np.ndarray  # per collaboration: "council", "digi" or "other"
    ict: np.ndarray  # per collaboration: an active ICT operations collaboration
    active: np.ndarray  # per collaboration: status aktiv
    B: np.ndarray  # n x C membership (any area)
    index: dict = field(default_factory=dict)

    def matrix(self, *, exclude: str | None = None, drop: tuple[str, ...] = ()) -> np.ndarray:
        """The ``n x n x k`` feature array, leaving one collaboration out of the network features.

        ``drop`` zeroes features (a variant of the model without them).
        """
        X = self.base.copy()
        keep = np.ones(len(self.collab_ids), dtype=bool)
        if exclude is not None:
            keep &= np.asarray(self.collab_ids) != exclude
        B = self.B.astype(float)

        def co(sel: np.ndarray) -> np.ndarray:
            Bs = B[:, sel & keep]
            return Bs @ Bs.T

        f = {name: i for i, name in enumerate(FEATURES)}
        X[:, :, f["same_council"]] = co((self.layer == "council") & self.active) > 0
        X[:, :, f["same_digi"]] = co((self.layer == "digi") & self.active) > 0
        X[:, :, f["shared_other"]] = np.minimum(co(self.layer == "other"), 3.0)
        ict = B[:, self.ict & keep]
        in_ict = ict.sum(axis=1) > 0
        shares = (ict @ ict.T) > 0
        X[:, :, f["rival_ict"]] = np.outer(in_ict, in_ict) & ~shares
        n = len(self.codes)
        X[np.arange(n), np.arange(n), :] = 0.0
        for name in drop:
            X[:, :, f[name]] = 0.0
        return X


def pair_features(ds: Dataset) -> PairFeatures:
    """Compute the pair features of every pair of municipalities in ``ds`` (cached per dataset).

    Examples
    --------
    >>> ds = nv.load_default()
    >>> pf = pair_features(ds)
    >>> X = pf.matrix()
    >>> X.shape == (357, 357, len(FEATURES))
    True
    >>> i, j = pf.index["3324"], pf.index["3328"]        # Gol and Ål
    >>> bool(X[i, j, FEATURES.index("same_council")]), bool(X[i, j, FEATURES.index("border")])
    (True, True)
    """
    cache = _cache(ds)
    if "pairs" in cache:
        return cache["pairs"]
    from nettverk.network.sites import centres, travel

    codes = list(ds.kommuner.index)
    idx = {c: i for i, c in enumerate(codes)}
    cen = centres(ds)
    xy = np.column_stack([cen.x.to_numpy(), cen.y.to_numpy()])
    if ds.root.veger is not None and len(ds.root.veger):
        km = travel(ds, weight="km").to_numpy()
        minutes = travel(ds, weight="minutes").to_numpy()
    else:
        km = minutes = np.full((len(codes), len(codes)), np.inf)
    reached = np.isfinite(km)
    straight = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) / 1000.0
    km = np.where(reached, km, straight * DETOUR)
    minutes = np.where(reached, minutes, straight * DETOUR / ACCESS_KMH * 60.0)
    base = _base_features(ds, idx, km)
    ids, layer, ict, active, B = _memberships(ds, idx)
    out = PairFeatures(
        codes=codes,
        base=base,
        km=km,
        minutes=minutes,
        road_reached=reached,
        collab_ids=ids,
        layer=layer,
        ict=ict,
        active=active,
        B=B,
        index=idx,
    )
    cache["pairs"] = out
    return out


def _commuting(ds: Dataset, idx: dict[str, int]) -> np.ndarray:
    """Commuting both ways, relative to the smaller workforce, on a log scale."""
    n = len(idx)
    p = ds.pendling
    p = p[p["bosted"].isin(idx) & p["arbeidssted"].isin(idx)]
    C = np.zeros((n, n))
    np.add.at(
        C,
        (p["bosted"].map(idx).to_numpy(), p["arbeidssted"].map(idx).to_numpy()),
        p["sysselsatte"].to_numpy(dtype=float),
    )
    work = np.diag(C).copy() + C.sum(axis=1) - np.diag(C)  # employed living in i
    work = np.where(work > 0, work, ds.kommuner["innbyggere"].to_numpy(dtype=float) * 0.5)
    both = C + C.T
    np.fill_diagonal(both, 0.0)
    return np.log1p(COMMUTING_SCALE * both / np.minimum(work[:, None], work[None, :]))


def _base_features(ds: Dataset, idx: dict[str, int], km: np.ndarray) -> np.ndarray:
    """The features that do not depend on the collaboration register (``n x n x k``)."""
    from nettverk.models.costs import CostModel
    from nettverk.models.economics import group_economics
    from nettverk.network.municipalities import municipality_graph

    k = ds.kommuner
    n = len(idx)
    border = np.zeros((n, n))
    for a, b in municipality_graph(ds).edges:
        if a in idx and b in idx:
            border[idx[a], idx[b]] = border[idx[b], idx[a]] = 1.0
    ba = k["ba_region"].to_numpy(dtype=object) if "ba_region" in k.columns else np.full(n, None)
    county = k["fylkesnummer"].to_numpy(dtype=object)
    pop = k["innbyggere"].to_numpy(dtype=float)
    # the pair's gain by the one economics (travel is a feature of its own, so none here)
    pairs = np.column_stack([np.repeat(pop, n), np.tile(pop, n)])
    saving = group_economics(pairs, np.zeros_like(pairs), CostModel())["net_gain_nok"]
    saving = saving.reshape(n, n) / 1e6
    base = np.zeros((n, n, len(FEATURES)))
    f = {name: i for i, name in enumerate(FEATURES)}
    base[:, :, f["log_km"]] = np.log1p(km)
    base[:, :, f["border"]] = border
    base[:, :, f["commuting"]] = _commuting(ds, idx)
    base[:, :, f["same_ba"]] = (ba[:, None] == ba[None, :]) & pd.notna(ba)[:, None]
    base[:, :, f["same_county"]] = county[:, None] == county[None, :]
    base[:, :, f["size_gap"]] = np.abs(
        np.log(np.maximum(pop, 1)[:, None] / np.maximum(pop, 1)[None, :])
    )
    base[:, :, f["saving"]] = np.arcsinh(saving)
    base[np.arange(n), np.arange(n), :] = 0.0
    return base


def _memberships(ds: Dataset, idx: dict[str, int]):
    """The membership matrix (municipality x collaboration) and each collaboration's layer,
    whether it is an active ICT operations collaboration, and whether it is active."""
    n = len(idx)
    sam = ds.samarbeid.set_index("id")
    med = ds.medlemskap[
        ds.medlemskap["kommunenummer"].isin(idx) & ds.medlemskap["samarbeid_id"].isin(sam.index)
    ]
    ids = sorted(set(med["samarbeid_id"]))
    B = np.zeros((n, len(ids)), dtype=bool)
    col = {c: i for i, c in enumerate(ids)}
    B[med["kommunenummer"].map(idx).to_numpy(), med["samarbeid_id"].map(col).to_numpy()] = True
    layer = ds.layers().reindex(ids).to_numpy(dtype=object) if ids else np.array([], dtype=object)
    on = set(ds.active_collaborations()["id"])
    active = np.array([c in on for c in ids], dtype=bool)
    ict_ids = set(med.loc[med["omrade"].isin(ICT_AREAS), "samarbeid_id"])
    ict = np.array([c in ict_ids for c in ids], dtype=bool) & active & (layer == "other")
    return ids, layer, ict, active, B


def _matrix_keep(pf: PairFeatures, keep: np.ndarray, drop: tuple[str, ...]) -> np.ndarray:
    """The feature array with only the ``keep`` collaborations in the network features."""
    sub = PairFeatures(
        codes=pf.codes,
        base=pf.base,
        km=pf.km,
        minutes=pf.minutes,
        road_reached=pf.road_reached,
        collab_ids=[c for c, k in zip(pf.collab_ids, keep) if k],
        layer=pf.layer[keep],
        ict=pf.ict[keep],
        active=pf.active[keep],
        B=pf.B[:, keep],
        index=pf.index,
    )
    return sub.matrix(drop=drop)
