"""Where the households that lack fibre are: the county's own mapping, or an estimate from the grid.

**The county's own mapping** comes first: a ``steder`` table in ``--data`` with a ``husstander``
column (points with households lacking gigabit; optionally ``bygninger`` or ``adresser``) is
used as it is, point by point.

**Otherwise an estimate** (say so wherever it is shown): every populated 250 m cell outside a
settlement holds ``residents / PERSONS_PER_HOUSEHOLD`` households. Nkom's about 97 000
households without gigabit (2025; 96.2 % coverage in 2024) lie outside settlements ("the
households left are in sparsely built areas"), spread over the counties in proportion to each
county's gap in the 2023 coverage survey (100 Mbit/s, the latest by county), scaled so that
Norway's sum is Nkom's number. Within a county they are placed on the cells farthest from a
settlement by road (98 % of households lie within 2 km of a fibre node, Nkom 2020): the near
ones are served, and their squares count as existing fibre. Cells inside settlements are served.

**The rule that makes points a solver can handle**: the cells of each municipality are grouped
in squares of ``block_km`` (default 5 km); each square with at least ``min_households`` expected
unserved households becomes one demand point at its household-weighted centre, carrying the sum.
Squares below the floor are listed as not reached, with the reason.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from nettverk import settings
from nettverk.data.dataset import Dataset

from .settlements import settlements

__all__ = [
    "household_demand",
    "cell_demand",
    "unserved_share",
    "PERSONS_PER_HOUSEHOLD",
    "UNSERVED_HOUSEHOLDS",
    "BLOCK_KM",
]

#: Residents per household (SSB: about 2.1 in 2024; A).
PERSONS_PER_HOUSEHOLD = 2.1
#: Households without a gigabit offer in Norway (Nkom 2025, 'de siste om lag 97 000').
UNSERVED_HOUSEHOLDS = 97_000.0
#: The side of the squares cells are grouped in (km).
BLOCK_KM = 5.0
#: A square needs at least this many expected unserved households to be a demand point.
MIN_HOUSEHOLDS = 1.0


def unserved_share(ds: Dataset) -> pd.Series:
    """Each county's expected share of households outside settlements that lack gigabit.

    Examples
    --------
    >>> u = unserved_share(nv.load_default())
    >>> bool(u["Nordland"] > u["Oslo"]), bool((u > 0).all() and (u <= 1).all())
    (True, True)
    """
    root = ds.root
    cache = root.__dict__.setdefault("_network_cache", {})
    if "unserved_share" in cache:
        return cache["unserved_share"]
    from nettverk.data.broadband import coverage

    cells = root.befolkning
    inside = _in_settlement(root, cells)
    county = cells["kommunenummer"].map(root.kommuner["fylkesnavn"].astype(str))
    outside = (cells.loc[~inside, "innbyggere"] / PERSONS_PER_HOUSEHOLD).groupby(county[~inside])
    outside = outside.sum()
    cov = coverage(root, measure="100ned", year=2023)["andel_prosent"]
    gap = ((100 - cov) / 100).fillna(((100 - cov) / 100).mean())
    # each county's share in proportion to its gap, scaled so Norway's sum is Nkom's 97 000
    scale = UNSERVED_HOUSEHOLDS / float((outside * gap.reindex(outside.index)).sum())
    out = {c: float(min(1.0, scale * gap[c])) for c in gap.index}
    cache["unserved_share"] = pd.Series(out, name="unserved_share")
    return cache["unserved_share"]


def _in_settlement(ds: Dataset, cells: pd.DataFrame) -> np.ndarray:
    """Whether each cell belongs to a settlement (contiguous cells with >= 200 residents)."""
    s = settlements(ds.root)
    lab_all, kept = s.attrs["labels"]
    full = ds.root.befolkning
    if len(cells) == len(full) and cells.index.equals(full.index):
        return np.isin(lab_all, kept)
    inside = pd.Series(np.isin(lab_all, kept), index=full["ssbid"].to_numpy())
    return inside.reindex(cells["ssbid"].to_numpy()).fillna(False).to_numpy(bool)


def household_demand(
    ds: Dataset,
    municipalities: list[str],
    *,
    block_km: float = BLOCK_KM,
    min_households: float = MIN_HOUSEHOLDS,
) -> gpd.GeoDataFrame:
    """Demand points of households lacking gigabit in some municipalities (see the module).

    Returns a GeoDataFrame of points: ``id``, ``kommunenummer``, ``type`` (``husstander``),
    ``navn``, ``husstander`` (expected unserved households, or the county's own number),
    ``innbyggere`` (residents of the cells behind the point), ``celler``, ``kilde`` (``egne tall``
    or ``anslag``). ``attrs["rule"]`` states how the points were made and ``attrs["not_reached"]``
    lists the squares left out, with why.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> d = household_demand(ds, ds.codes(["Gol", "Ål"]))
    >>> bool(len(d) > 5), set(d["kilde"]), bool((d["husstander"] > 0).all())
    (True, {'anslag'}, True)
    """
    codes = list(municipalities)
    own = _own_mapping(ds, codes)
    if own is not None:
        return own
    cells = cell_demand(ds, codes)
    hh_all = cells["husstander"].to_numpy(float)
    unserved = cells["uten_tilbud"].to_numpy(float)
    size = block_km * 1000.0
    g = _squares(cells, unserved, size)
    served = _squares(cells, hh_all - unserved, size)
    keep = g["hh"] >= min_households
    names = ds.kommuner["kommunenavn"]
    pts = g[keep].reset_index(drop=True)
    out = gpd.GeoDataFrame(
        {
            "id": [f"husstander-{r.kommunenummer}-{r.bx}-{r.by}" for r in pts.itertuples()],
            "kommunenummer": pts["kommunenummer"].to_numpy(),
            "type": "husstander",
            "navn": [f"{names[c]}, rute {i + 1}" for i, c in enumerate(pts["kommunenummer"])],
            "husstander": pts["hh"].round(2).to_numpy(),
            "innbyggere": pts["res"].astype(int).to_numpy(),
            "celler": pts["n"].astype(int).to_numpy(),
            "kilde": "anslag",
        },
        geometry=gpd.points_from_xy(pts["wx"] / pts["hh"], pts["wy"] / pts["hh"]),
        crs=settings.CRS,
    )
    out.attrs["served"] = gpd.points_from_xy(
        served["wx"] / served["hh"], served["wy"] / served["hh"], crs=settings.CRS
    )
    dropped = g[~keep]
    out.attrs["rule"] = (
        f"celler utenfor tettsteder, {str(PERSONS_PER_HOUSEHOLD).replace('.', ',')} bosatte per "
        "husstand, de lengst fra et tettsted langs veg uten tilbud til fylkets forventede antall, "
        f"fylkets andel uten gigabit; samlet i ruter på {block_km:g} km per kommune, ett punkt per "
        f"rute med minst {min_households:g} husstand(er) uten tilbud"
    )
    out.attrs["not_reached"] = [
        {
            "id": f"husstander-{r.kommunenummer}-{r.bx}-{r.by}",
            "kommunenummer": r.kommunenummer,
            "husstander": round(float(r.hh), 2),
            "hvorfor": f"under {min_households:g} husstand i ruten (anslag)",
        }
        for r in dropped.itertuples()
    ]
    return out


def cell_demand(ds: Dataset, municipalities: list[str]) -> pd.DataFrame:
    """The estimate cell by cell: each populated 250 m cell of some municipalities with its
    residents, whether it lies in a settlement, its households outside settlements and the
    expected households among them lacking gigabit (``uten_tilbud``; see the module).

    Examples
    --------
    >>> ds = nv.load_default()
    >>> c = cell_demand(ds, ds.codes(["Gol"]))
    >>> bool((c["uten_tilbud"] <= c["husstander"] + 1e-9).all()), bool(c["i_tettsted"].any())
    (True, True)
    """
    codes = list(municipalities)
    cells = ds.root.befolkning
    sel = cells["kommunenummer"].isin(codes).to_numpy()
    inside = _in_settlement(ds, cells)[sel]
    cells = cells[sel].reset_index(drop=True)
    hh = np.where(inside, 0.0, cells["innbyggere"].to_numpy(float) / PERSONS_PER_HOUSEHOLD)
    out = cells[["ssbid", "x", "y", "cell_m", "kommunenummer", "innbyggere"]].copy()
    out["i_tettsted"] = inside
    out["husstander"] = hh
    out["uten_tilbud"] = _farthest_unserved(ds, cells, hh, inside)
    return out


def _squares(cells: pd.DataFrame, hh: np.ndarray, size: float) -> pd.DataFrame:
    """Households summed in squares of ``size`` m per municipality, with their weighted centre."""
    frame = pd.DataFrame(
        {
            "kommunenummer": cells["kommunenummer"].to_numpy(),
            "bx": (cells["x"] // size).astype(np.int64),
            "by": (cells["y"] // size).astype(np.int64),
            "hh": hh,
            "wx": hh * cells["x"].to_numpy(float),
            "wy": hh * cells["y"].to_numpy(float),
            "res": np.where(hh > 0, cells["innbyggere"].to_numpy(), 0),
            "n": (hh > 0).astype(int),
        }
    )
    frame = frame[frame["hh"] > 0]
    return frame.groupby(["kommunenummer", "bx", "by"], sort=True).sum().reset_index()


def _farthest_unserved(
    ds: Dataset, cells: pd.DataFrame, hh: np.ndarray, inside: np.ndarray
) -> np.ndarray:
    """Each cell's expected households lacking gigabit: per county, its expected number
    (:func:`unserved_share`), placed on the cells farthest from a settlement by road (Nkom: 98 %
    of households lie within 2 km of a fibre node, so the ones left are the remote ones)."""
    from .roads import network

    out = np.zeros(len(cells))
    rural = np.flatnonzero(hh > 0)
    if len(rural) == 0:
        return out
    s = settlements(ds.root)
    net = network(ds)
    dist = net.from_sources(s.geometry, cells.iloc[rural][["x", "y"]].to_numpy(float))
    county = cells["kommunenummer"].map(ds.root.kommuner["fylkesnavn"].astype(str)).to_numpy()
    share = unserved_share(ds)
    for c in np.unique(county[rural]):
        mine = rural[county[rural] == c]
        want = share.get(c, 0.0) * hh[mine].sum()
        order = mine[np.argsort(-dist[np.searchsorted(rural, mine)], kind="stable")]
        run = np.cumsum(hh[order])
        full = run <= want
        out[order[full]] = hh[order[full]]
        cut = np.flatnonzero(~full)
        if len(cut):  # the cell at the boundary takes what is left
            i = order[cut[0]]
            out[i] = want - (run[cut[0]] - hh[i])
    return out


def _own_mapping(ds: Dataset, codes: list[str]) -> gpd.GeoDataFrame | None:
    """The county's own mapping: the dataset's sites with households, where it has them."""
    st = ds.steder
    if "husstander" not in st.columns:
        return None
    hh = pd.to_numeric(st["husstander"], errors="coerce")
    mine = st[st["kommunenummer"].isin(codes) & hh.notna() & (hh > 0)].copy()
    if mine.empty:
        return None
    mine["husstander"] = hh[mine.index]
    mine["type"] = "husstander"
    mine["kilde"] = "egne tall"
    for col in ("innbyggere", "celler"):
        if col not in mine.columns:
            mine[col] = 0
    mine.attrs["rule"] = (
        "fylkets egen kartlegging: hvert punkt med sine husstander, slik det er gitt"
    )
    mine.attrs["not_reached"] = []
    return mine.reset_index(drop=True)
