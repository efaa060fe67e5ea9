"""Settlements and centres where people live, from the population grid.

A settlement is a set of populated grid cells joined edge to edge (rook contiguity: two cells
belong together when they share a side) with at least ``min_residents`` residents in all. Its
point is the population-weighted centre of its cells. The rule is SSB's tettsted idea at the
resolution of the grid: SSB joins houses less than 50 m apart, this joins 250 m cells that
touch, so a settlement here is somewhat larger than SSB's tettsted of the same name.

A municipality's centre is its administrative centre (``kommuner.administrasjonssenter``) placed
at the population-weighted centre of the settlement that holds that named place; where no
named place of that name is found, the municipality's largest settlement.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
import shapely.ops
from scipy.sparse.csgraph import connected_components

from nettverk import settings
from nettverk.data.codes import normalise_name
from nettverk.data.dataset import Dataset

__all__ = [
    "settlements",
    "find_settlements",
    "label_cells",
    "population_centres",
    "residents_within",
    "MIN_RESIDENTS",
    "NEAR_M",
]

#: A settlement has at least this many residents (SSB's tettsted threshold).
MIN_RESIDENTS = 200
#: "Near" a point: the radius of the neighbourhood a centre is judged by (m).
NEAR_M = 1000.0


def label_cells(cells: pd.DataFrame) -> np.ndarray:
    """The settlement label of each cell: cells that share a side get the same label.

    Examples
    --------
    >>> c = pd.DataFrame({"x": [125, 375, 875], "y": [125, 125, 125], "cell_m": 250})
    >>> label_cells(c).tolist()
    [0, 0, 1]
    """
    n = len(cells)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    size = cells["cell_m"].to_numpy(np.int64)
    ix = (cells["x"].to_numpy(np.int64) - size // 2) // size
    iy = (cells["y"].to_numpy(np.int64) - size // 2) // size
    span = int(iy.max() - iy.min()) + 3
    key = (ix - ix.min() + 1) * span + (iy - iy.min() + 1)
    order = np.argsort(key, kind="stable")
    sk = key[order]
    rows, cols = [], []
    for step in (span, 1):  # the cell to the east, the cell to the north
        pos = np.searchsorted(sk, key + step)
        pos = np.minimum(pos, n - 1)
        hit = sk[pos] == key + step
        rows.append(np.flatnonzero(hit))
        cols.append(order[pos[hit]])
    r, c = np.concatenate(rows), np.concatenate(cols)
    A = sp.coo_array((np.ones(len(r)), (r, c)), shape=(n, n))
    _, lab = connected_components(A, directed=False)
    # number the settlements in the order of their first cell, so labels are deterministic
    _, first = np.unique(lab, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[lab]


def residents_within(cells: pd.DataFrame, points: np.ndarray, radius: float = NEAR_M) -> np.ndarray:
    """Residents of the cells whose centre lies within ``radius`` of each point.

    Examples
    --------
    >>> c = pd.DataFrame({"x": [0, 900, 3000], "y": [0, 0, 0], "innbyggere": [10, 5, 7]})
    >>> residents_within(c, np.array([[0.0, 0.0]])).tolist()
    [15]
    """
    from scipy.spatial import cKDTree

    if len(cells) == 0:
        return np.zeros(len(points), dtype=np.int64)
    tree = cKDTree(cells[["x", "y"]].to_numpy(float))
    pop = cells["innbyggere"].to_numpy(np.int64)
    hits = tree.query_ball_point(np.asarray(points, float), r=radius)
    return np.array([int(pop[h].sum()) for h in hits], dtype=np.int64)


def _places_frame(places: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["navn", "innbyggere", "x", "y"]
    if places is None or len(places) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "navn" else float) for c in cols})
    return places


def settlements(ds: Dataset, *, min_residents: int = MIN_RESIDENTS) -> gpd.GeoDataFrame:
    """The settlements of a dataset's population grid (see :func:`find_settlements`), cached.

    Examples
    --------
    >>> s = settlements(nv.load_default())
    >>> row = s[s["navn"] == "Rjukan"].iloc[0]
    >>> row["kommunenummer"], bool(row["innbyggere"] > 2000)
    ('4026', True)
    """
    cache = ds.__dict__.setdefault("_network_cache", {})
    key = ("settlements", min_residents)
    if key not in cache:
        cache[key] = find_settlements(
            ds.befolkning, places=ds.places, kommuner=ds.kommuner, min_residents=min_residents
        )
    return cache[key]


def find_settlements(
    cells: pd.DataFrame,
    *,
    places: pd.DataFrame | None = None,
    kommuner: gpd.GeoDataFrame | None = None,
    min_residents: int = MIN_RESIDENTS,
) -> gpd.GeoDataFrame:
    """The settlements of a population grid: contiguous populated cells with enough residents.

    Parameters
    ----------
    cells : DataFrame
        Populated cells: ``x``, ``y`` (centre), ``cell_m``, ``innbyggere``, ``kommunenummer``
        (as :meth:`nettverk.Dataset.befolkning` gives them).
    places : DataFrame, optional
        Named places (``navn``, ``innbyggere``, ``x``, ``y``) to name the settlements by.
    kommuner : GeoDataFrame, optional
        For ``kommunenavn``, and the administrative centre's name (a settlement that holds its
        municipality's centre is named after it).
    min_residents : int
        The threshold (default 200, SSB's tettsted).

    Returns
    -------
    GeoDataFrame
        One row per settlement, largest first: ``id``, ``navn``, ``navn_kilde`` (where the name
        comes from), ``kommunenummer`` (where most of its residents live), ``innbyggere``,
        ``celler``, ``innbyggere_1km`` (residents within 1 km of its point) and its
        population-weighted point. The residents of all settlements plus those outside them add
        up to the grid's.
    """
    lab = label_cells(cells)
    pop = cells["innbyggere"].to_numpy(float)
    tot = np.bincount(lab, weights=pop)
    keep = np.flatnonzero(tot >= min_residents)
    sel = np.isin(lab, keep)
    sub = cells[sel]
    sl = lab[sel]
    w = sub["innbyggere"].to_numpy(float)
    cx = np.bincount(sl, weights=w * sub["x"].to_numpy(float))[keep] / tot[keep]
    cy = np.bincount(sl, weights=w * sub["y"].to_numpy(float))[keep] / tot[keep]
    n_cells = np.bincount(sl)[keep]
    main = _main_municipality(sub, sl, keep)
    frame = pd.DataFrame(
        {
            "label": keep,
            "kommunenummer": main,
            "innbyggere": tot[keep].astype(np.int64),
            "celler": n_cells,
            "x": np.round(cx),
            "y": np.round(cy),
        }
    )
    frame["innbyggere_1km"] = residents_within(cells, frame[["x", "y"]].to_numpy())
    names, how = _names(frame, sub, sl, _places_frame(places), kommuner)
    frame["navn"], frame["navn_kilde"] = names, how
    if kommuner is not None:
        frame["kommunenavn"] = frame["kommunenummer"].map(kommuner["kommunenavn"])
    frame = frame.sort_values(["innbyggere", "label"], ascending=[False, True], kind="stable")
    frame.insert(0, "id", [f"tettsted-{i + 1}" for i in range(len(frame))])
    out = gpd.GeoDataFrame(
        frame.drop(columns=["x", "y"]).reset_index(drop=True),
        geometry=gpd.points_from_xy(frame["x"], frame["y"]),
        crs=settings.CRS,
    )
    out.attrs["labels"] = (lab, frame["label"].to_numpy())
    return out


def _main_municipality(sub: pd.DataFrame, sl: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The municipality where most of each settlement's residents live."""
    if "kommunenummer" not in sub.columns:
        return np.full(len(keep), "", dtype=object)
    t = pd.DataFrame({"s": sl, "k": sub["kommunenummer"].to_numpy(), "p": sub["innbyggere"]})
    best = t.groupby(["s", "k"], sort=True)["p"].sum().reset_index()
    best = best.sort_values(["s", "p", "k"], ascending=[True, False, True], kind="stable")
    return best.drop_duplicates("s").set_index("s").loc[keep, "k"].to_numpy(dtype=object)


def _names(
    frame: pd.DataFrame,
    sub: pd.DataFrame,
    sl: np.ndarray,
    places: pd.DataFrame,
    kommuner: gpd.GeoDataFrame | None,
) -> tuple[list[str], list[str]]:
    """Each settlement's name: the largest named place in its cells, else the nearest one."""
    from scipy.spatial import cKDTree

    names = [""] * len(frame)
    how = ["uten navn"] * len(frame)
    if len(places):
        size = int(sub["cell_m"].iloc[0]) if len(sub) else 250
        cell_of = {
            (int(x) // size, int(y) // size): s
            for x, y, s in zip(sub["x"] - size // 2, sub["y"] - size // 2, sl)
        }
        inside: dict[int, tuple[float, str]] = {}
        for nm, p, x, y in zip(places["navn"], places["innbyggere"], places["x"], places["y"]):
            s = cell_of.get((int(x) // size, int(y) // size))
            if s is not None and (s not in inside or p > inside[s][0]):
                inside[s] = (p, nm)
        tree = cKDTree(places[["x", "y"]].to_numpy(float))
        dist, idx = tree.query(frame[["x", "y"]].to_numpy(float))
        for i, s in enumerate(frame["label"]):
            if s in inside:
                names[i], how[i] = inside[s][1], "stedsnavn i tettstedet (GeoNames)"
            else:
                names[i] = str(places["navn"].iloc[idx[i]])
                how[i] = f"nærmeste stedsnavn, {dist[i] / 1000:.1f} km unna (GeoNames)"
    if kommuner is not None:
        for i, k in enumerate(frame["kommunenummer"]):
            if not names[i] and k in kommuner.index:
                names[i] = f"{kommuner.at[k, 'kommunenavn']} (tettsted uten navn)"
    return names, how


def population_centres(
    kommuner: gpd.GeoDataFrame,
    cells: pd.DataFrame,
    places: pd.DataFrame | None = None,
    *,
    min_residents: int = MIN_RESIDENTS,
) -> gpd.GeoDataFrame:
    """Each municipality's centre where people live: its administrative centre's settlement.

    The administrative centre is looked up by name among the named places in or near the
    municipality (within 2 km of it). Its settlement is the one that holds the place, or the
    nearest one within 2 km of it; where no place of that name is found, the municipality's
    largest settlement. The point is that settlement's population-weighted centre; where the
    centre falls between parts of the settlement (residents within 1 km under half of the
    settlement's best 1 km neighbourhood), it moves to the settlement's densest cell.
    A municipality without any settlement of ``min_residents`` gets its most populous group of
    cells. ``plassering`` says which rule placed each point.

    Returns
    -------
    GeoDataFrame
        Indexed by kommunenummer: ``navn`` (the administrative centre), ``tettsted_innbyggere``
        (its settlement's residents), ``innbyggere_1km``, ``beste_1km`` (the
        municipality's most populous 1 km neighbourhood), ``plassering`` and the point.
    """
    places = _places_frame(places)
    rows = []
    for code in kommuner.index:
        own = cells[cells["kommunenummer"] == code]
        rows.append(_centre_of(code, kommuner.loc[code], own, places, min_residents))
    frame = pd.DataFrame(rows).set_index("kommunenummer")
    return gpd.GeoDataFrame(
        frame.drop(columns=["x", "y"]),
        geometry=gpd.points_from_xy(frame["x"], frame["y"]),
        crs=settings.CRS,
    )


def _centre_of(code: str, k: pd.Series, own: pd.DataFrame, places: pd.DataFrame, min_res: int):
    centre_name = str(k.get("administrasjonssenter") or "")
    poly = k.geometry
    if len(own) == 0:  # no populated cell at all: a point inside the municipality
        pt = poly.representative_point()
        how = "punkt inne i kommunen (ingen bosatte i rutenettet)"
        return _row(code, centre_name, 0, pt.x, pt.y, 0, 0, how)
    lab = label_cells(own)
    pop = own["innbyggere"].to_numpy(float)
    tot = np.bincount(lab, weights=pop)
    xy = own[["x", "y"]].to_numpy(float)
    near_all = residents_within(own, xy)
    best = int(near_all.max())
    named = _named_place(centre_name, poly, places)
    target, how = None, ""
    if named is not None:
        d = np.hypot(xy[:, 0] - named[0], xy[:, 1] - named[1])
        big = tot[lab] >= min_res
        cand = np.flatnonzero(big & (d <= 2000)) if big.any() else np.flatnonzero(d <= 2000)
        if len(cand):
            target = lab[cand[np.argmin(d[cand])]]
            how = f"tettstedet rundt {centre_name} (stedsnavn)"
    if target is None:
        target = int(np.argmax(tot))
        missing = (
            "" if named is not None else f" ({centre_name or 'senteret'} ikke blant stedsnavnene)"
        )
        how = (
            "kommunens største tettsted" + missing
            if tot[target] >= min_res
            else "kommunens største samling bosatte (ingen tettsted over terskelen)"
        )
    sel = lab == target
    w = pop[sel]
    cx, cy = (w[:, None] * xy[sel]).sum(axis=0) / w.sum()
    near = int(residents_within(own, np.array([[cx, cy]]))[0])
    if near < 0.5 * near_all[sel].max():
        j = np.flatnonzero(sel)[np.argmax(near_all[sel])]
        cx, cy = xy[j]
        near = int(near_all[j])
        how += "; tetteste rute (det vektede midtpunktet falt mellom delene)"
    else:
        how += "; befolkningsvektet midtpunkt"
    pt = shapely.Point(cx, cy)
    if not poly.contains(pt):  # a coastal town's centre can fall in the sea: 50 m inland
        inner = poly.buffer(-50)
        land = shapely.ops.nearest_points(inner if not inner.is_empty else poly, pt)[0]
        how += f"; lå i sjøen, flyttet {pt.distance(land):.0f} m til 50 m innenfor land"
        cx, cy = land.x, land.y
        near = int(residents_within(own, np.array([[cx, cy]]))[0])
    return _row(code, centre_name, int(tot[target]), round(cx), round(cy), near, best, how)


def _row(code, name, residents, x, y, near, best, how) -> dict:
    return {
        "kommunenummer": code,
        "navn": name,
        "tettsted_innbyggere": residents,
        "innbyggere_1km": near,
        "beste_1km": best,
        "plassering": how,
        "x": float(x),
        "y": float(y),
    }


def _named_place(name: str, poly, places: pd.DataFrame) -> tuple[float, float] | None:
    """The named place called ``name`` in or within 2 km of the municipality, if any."""
    if not name or len(places) == 0:
        return None
    keys = {normalise_name(part) for part in str(name).replace("/", ",").split(",") if part.strip()}
    hit = places[places["navn"].map(normalise_name).isin(keys)]
    if len(hit) == 0:
        return None
    pts = shapely.points(hit["x"].to_numpy(float), hit["y"].to_numpy(float))
    d = shapely.distance(pts, poly)
    ok = np.flatnonzero(d <= 2000)
    if len(ok) == 0:
        return None
    j = ok[np.argmax(hit["innbyggere"].to_numpy(float)[ok])]
    return float(hit["x"].iloc[j]), float(hit["y"].iloc[j])
