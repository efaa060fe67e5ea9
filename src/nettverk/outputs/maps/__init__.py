"""Interactive folium maps for every result: one call away from a projector.

Every map has a legend, a layer control and Norwegian tooltips; tiles need no API key
(OpenStreetMap by default) and ``tiles=None`` gives a map without tiles for offline screens.
Leaflet itself is embedded in the page (no CDN), so a saved map opens offline too.
Geometry is simplified for display (the whole of Norway stays well under 2 MB of HTML).
Functions take ``m=None`` like :meth:`geopandas.GeoDataFrame.explore`: pass an existing map
to draw on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from nettverk._errors import NettverkError
from nettverk._types import Counties, Municipalities, Municipality
from nettverk.data.dataset import Dataset

from .base import save_map
from .overview import overview_map
from .results import clusters_map, dig_map, join_map

if TYPE_CHECKING:
    from nettverk.models.costs import CostModel

__all__ = ["make_map", "overview_map", "clusters_map", "dig_map", "join_map", "save_map"]


def make_map(
    ds: Dataset,
    kind: str,
    *,
    counties: Counties | None = None,
    area: str | None = None,
    municipalities: Municipalities | None = None,
    hub: Municipality | None = None,
    split: str = "bird",
    collaboration: str | None = None,
    min_members: int = 2,
    max_members: int = 10,
    keep_existing: str | None = None,
    top: int = 10,
    sites: str | None = None,
    tiles: str | None = "OpenStreetMap",
    costs: CostModel | str | None = None,
    progress: bool = False,
) -> folium.Map:
    """One map of ``kind`` (``nettverk map``): compute the result and draw it.

    ``overview`` (``counties``, ``area``); ``clusters`` (``counties`` or ``municipalities``,
    ``min_members``, ``max_members``, ``keep_existing``); ``dig`` (``municipalities``, ``hub``,
    ``split``, ``sites``); ``join`` (``collaboration``, ``area``, ``top``).
    """
    if kind == "overview":
        return overview_map(ds, counties=counties, area=area, tiles=tiles)
    if kind == "clusters":
        from nettverk.analyses.clusters.candidates import candidate_clusters

        if not counties and not municipalities:
            raise NettverkError("map clusters needs --county or --municipalities")
        res = candidate_clusters(
            ds,
            counties=counties,
            municipalities=municipalities,
            min_members=min_members,
            max_members=max_members,
            keep_existing=keep_existing,
            costs=costs,
            progress=progress,
        )
        return clusters_map(res, tiles=tiles, ds=ds)
    if kind == "dig":
        from nettverk.analyses.digging.shared import shared_digging

        if not municipalities and counties:
            municipalities = [c for n in counties for c in ds.county_codes(n)]
        if not municipalities:
            raise NettverkError("map dig needs --municipalities CODES or --county NAME")
        res = shared_digging(
            ds, municipalities, hub=hub, split=split, costs=costs, progress=progress, sites=sites
        )
        return dig_map(res, tiles=tiles, ds=ds)
    if kind == "join":
        from nettverk.analyses.joining.evaluate import joining_effect

        if not collaboration:
            valid = ", ".join(ds.active_collaborations()["id"])
            raise NettverkError(f"map join needs --collaboration (one of: {valid})")
        return join_map(
            joining_effect(ds, collaboration, area=area, costs=costs), ds, top=top, tiles=tiles
        )
    raise NettverkError(f"unknown map kind {kind!r}; use overview, clusters, dig or join")
