"""Geometry of the road data: line ends as network nodes, ferry line types."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["line_ends", "FERRY_TYPES"]


FERRY_TYPES = ("bilferje", "passasjerferje")


def line_ends(geoms: np.ndarray | gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """First and last vertex of each line, rounded to whole metres (the network's nodes).

    Examples
    --------
    >>> a, b = line_ends(shapely.linestrings([[(0.4, 0), (5, 5), (9.6, 0)]]))
    >>> a.tolist(), b.tolist()
    ([[0.0, 0.0]], [[10.0, 0.0]])
    """
    xy, idx = shapely.get_coordinates(geoms, return_index=True)
    first = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
    last = np.r_[first[1:] - 1, len(idx) - 1]
    return np.round(xy[first]), np.round(xy[last])
