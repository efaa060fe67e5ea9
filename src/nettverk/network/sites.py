"""Sites: one point per municipality where it connects."""

from __future__ import annotations

import geopandas as gpd

from nettverk.data.dataset import Dataset

__all__ = ["centres"]


def centres(ds: Dataset) -> gpd.GeoSeries:
    """Return one centre point per municipality: its ``senter`` site, else a point inside it.

    Examples
    --------
    >>> from nettverk import load_default
    >>> c = centres(load_default())
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
