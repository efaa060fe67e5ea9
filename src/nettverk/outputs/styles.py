"""The colours every output shares: maps, the rapport and the QGIS styles in a GeoPackage."""

from __future__ import annotations

import geopandas as gpd
import shapely

__all__ = ["PALETTE", "distinct_colours", "KIND_COLOURS", "KIND_NAMES", "SITE_COLOUR"]


#: A categorical palette readable on a projector (Okabe-Ito without its black, then Tableau):
#: no fill is ever black, so the borders and names drawn on top stay readable.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#B07AA1",
    "#76B7B2",
    "#EDC948",
    "#9C755F",
]

#: The trench by kind: new build, reuse of an existing route, sea cable, a site's own link.
KIND_COLOURS = {"ny": "#d62728", "gjenbruk": "#2ca02c", "sjø": "#1f77b4", "tilknytning": "#ff7f0e"}
KIND_NAMES = {
    "ny": "ny grøft",
    "gjenbruk": "gjenbruk av eksisterende trasé",
    "sjø": "sjøkabel (ferjestrekning)",
    "tilknytning": "tilknytning fra sted til veg",
}
#: Sites to connect (centres, settlements, households).
SITE_COLOUR = "#ffdd57"


def distinct_colours(geoms: gpd.GeoSeries) -> list[str]:
    """A palette colour for each shape such that shapes that touch differ (greedy colouring of
    the touching graph, most neighbours first, each taking the least used colour its neighbours
    leave free; the same shapes give the same colours).

    Examples
    --------
    >>> import shapely
    >>> boxes = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 5, 6, 6)]
    >>> g = gpd.GeoSeries(boxes)
    >>> c = distinct_colours(g)
    >>> c[0] != c[1], "#000000" in c
    (True, False)
    """
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(len(geoms)))
    values = list(geoms.values)
    tree = shapely.STRtree(values)
    a, b = tree.query(values, predicate="intersects")
    G.add_edges_from((int(i), int(j)) for i, j in zip(a, b) if i < j)
    order = sorted(G, key=lambda n: (-G.degree(n), n))
    colour: dict[int, int] = {}
    count = [0] * len(PALETTE)
    for n in order:
        used = {colour[v] for v in G[n] if v in colour}
        free = [i for i in range(len(PALETTE)) if i not in used] or list(range(len(PALETTE)))
        # the least used free colour: neighbours differ and the legend's colours stay apart
        colour[n] = min(free, key=lambda i: (count[i], i))
        count[colour[n]] += 1
    return [PALETTE[colour[i] % len(PALETTE)] for i in range(len(geoms))]
