"""Sites: one point per municipality where it connects."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from nettverk.data.dataset import Dataset

from .roads import network

__all__ = ["centres", "travel"]


def centres(ds: Dataset) -> gpd.GeoSeries:
    """Return one centre point per municipality: its ``senter`` site, else a point inside it.

    Examples
    --------
    >>> c = centres(nv.load_default())
    >>> len(c), c.crs.to_epsg()
    (357, 25833)
    """
    k = ds.kommuner
    st = ds.steder
    st = st[st["type"] == "senter"].drop_duplicates("kommunenummer").set_index("kommunenummer")
    pts = st.geometry.reindex(k.index)
    missing = pts.isna() | pts.is_empty
    if missing.any():
        pts[missing] = k.geometry[missing].representative_point()
    return gpd.GeoSeries(pts.values, index=k.index, crs=k.crs, name="centre")


def travel(ds: Dataset, *, weight: str = "km") -> pd.DataFrame:
    """Travel between every pair of municipality centres over the road-and-ferry network.

    ``weight`` is ``"km"`` (the shortest route) or ``"minutes"`` (the quickest, at the assumed
    speeds of :mod:`nettverk.network.roads`). ``inf`` where the network does not join two
    centres. Computed once per dataset; a selection reads the matrix of the dataset it came from.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> km = travel(ds)
    >>> bool(30 < km.loc[ds.code("Værøy"), ds.code("Moskenes")] < 60)
    True
    """
    root = ds.root
    cache = root.__dict__.setdefault("_network_cache", {})
    key = ("travel", weight)
    if key not in cache:
        cen = centres(root)
        D, _ = network(root).distance_matrix(cen, weight=weight)
        cache[key] = pd.DataFrame(D, index=cen.index, columns=cen.index)
    full = cache[key]
    codes = list(ds.kommuner.index)
    if root is ds or codes == list(full.index):
        return full.copy()
    return full.loc[codes, codes].copy()
