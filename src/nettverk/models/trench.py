"""Trenching along the road-and-ferry network: every edge priced per metre by the cost model."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from nettverk import settings
from nettverk._errors import DataValidationError, NettverkError
from nettverk.data.dataset import Dataset
from nettverk.network.geometry import FERRY_TYPES
from nettverk.network.roads import SEA_KINDS, RoadNetwork, network

from .costs import CostModel, as_cost_model

__all__ = [
    "corridor_graph",
    "trench_costs",
    "snap_points",
    "around",
    "corridor_topology",
    "scenario_routes",
    "resolve_routes",
    "SCENARIOS",
    "URBAN_DENSITY",
    "ROUTE_SNAP_M",
]


URBAN_DENSITY = 300.0  # inhabitants per km2
ROUTE_SNAP_M = 30.0


def trench_costs(
    net: RoadNetwork,
    ds: Dataset,
    costs: CostModel,
    routes: gpd.GeoDataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The cost (NOK) and kind (``ny``, ``gjenbruk``, ``sjø``) of trenching along each edge.

    Tunnels (``medium`` U) count as rock, private roads (``vegkategori`` P) as
    ``trench_private_nok_m`` (no public road shoulder; an agreement with every landowner), other
    roads as roadside trench, any road in a municipality with at least ``URBAN_DENSITY``
    inhabitants per km2 as urban asphalt; links where the road data has gaps as rural soft
    ground; ferry crossings and sea links as a sea crossing (the fixed part plus per km). An
    edge that runs along an existing route (``status`` eksisterende, within ``ROUTE_SNAP_M``)
    costs the reuse share of new build.
    """
    e = net.edges
    k = ds.root.kommuner
    density = (k["innbyggere"] / k["areal_km2"].where(k["areal_km2"] > 0)).fillna(0)
    where = net._cache.get("edge_municipality")
    if where is None:
        where = net._cache["edge_municipality"] = net.edge_municipality(k)
    urban = pd.Series(where).map(density).fillna(0).to_numpy() >= URBAN_DENSITY
    kind_e = e["kind"].to_numpy()
    cat = e["vegkategori"].astype(str).to_numpy()
    med = e["medium"].astype(str).to_numpy()
    length = e["length_m"].to_numpy()
    sea = np.isin(kind_e, SEA_KINDS)
    link = np.isin(kind_e, ("ferjeleie", "glipe"))
    trench = np.where(
        med == "U",
        costs.trench_rock_nok_m,
        np.where(cat == "P", costs.trench_private_nok_m, costs.trench_roadside_nok_m),
    )
    trench = np.where(urban & (med != "U") & (cat != "P"), costs.trench_urban_nok_m, trench)
    trench = np.where(link, costs.trench_rural_nok_m, trench)
    cost = np.where(
        sea,
        costs.sea_fixed_nok + costs.sea_nok_km * length / 1000,
        length * (trench + costs.cable_nok_m),
    )
    kind = np.where(sea, "sjø", "ny").astype(object)
    if routes is not None and len(routes):
        existing = (
            routes[routes["status"] == "eksisterende"] if "status" in routes.columns else routes
        )
        if len(existing):
            zone = shapely.union_all(shapely.buffer(existing.geometry.values, ROUTE_SNAP_M))
            inside = shapely.length(shapely.intersection(net.geoms, zone))
            reuse = (inside >= 0.8 * length) & (length > 0) & ~sea & ~link
            cost = np.where(reuse, cost * costs.reuse_factor, cost)
            kind = np.where(reuse, "gjenbruk", kind)
    return cost, kind


def corridor_graph(
    ds: Dataset,
    *,
    routes: gpd.GeoDataFrame | str | None = None,
    costs: CostModel | str | None = None,
    within: shapely.Geometry | None = None,
) -> nx.Graph:
    """The corridor graph for digging: the road-and-ferry network priced by the cost model.

    Nodes are the network's nodes ``(x, y)`` with ``x``/``y``; edges carry ``length_m``,
    ``weight`` (cost in NOK, :func:`trench_costs`), ``kind`` (``ny``, ``gjenbruk``, ``sjø``),
    ``road`` (row of the road data, -1 for a link), ``geom`` and, on links the road data lacks,
    ``link`` (why). Parallel lines keep the cheapest. ``within`` (a polygon) keeps the part of
    the network that meets it.

    Examples
    --------
    >>> G = corridor_graph(nv.load_default())
    >>> G.graph["crs"], G.number_of_edges() > 10_000
    ('EPSG:25833', True)
    """
    costs = as_cost_model(costs)
    net = network(ds)
    if within is not None:
        net = net.within(within)
    routes = resolve_routes(routes, ds)
    cost, kind = trench_costs(net, ds, costs, routes)
    G = net.to_networkx(cost, kind=kind)
    G.graph["roads"] = net.roads
    G.graph["links"] = net.links()
    G.graph["network"] = net
    return G


#: Scenario layers that need no private data: name -> (road categories, what it assumes).
SCENARIOS = {
    "statlige-veger": (
        ("E", "R"),
        "tenkt scenario: tomme trekkrør langs alle europa- og riksveger (siden 2018 "
        "legger nye statlige vegprosjekter tre tomme rør; dette antar det overalt)",
    ),
}


def scenario_routes(ds: Dataset, name: str) -> gpd.GeoDataFrame:
    """A clearly labelled scenario route layer built from the road data (no private data).

    ``statlige-veger``: empty ducts along every European and national road (``vegkategori``
    E and R), as if every state road had the three ducts new state road projects leave since
    2018. Use it to see what reuse could be worth, not as a map of real ducts.

    Examples
    --------
    >>> r = scenario_routes(nv.load_default().select(counties=["Buskerud"]), "statlige-veger")
    >>> set(r["type"]), set(r["status"]), r.attrs["scenario"].startswith("tenkt scenario")
    ({'trekkror'}, {'eksisterende'}, True)
    """
    if name not in SCENARIOS:
        raise NettverkError(f"unknown route scenario {name!r}; use one of {', '.join(SCENARIOS)}")
    cats, text = SCENARIOS[name]
    v = ds.veger
    if v is None or len(v) == 0:
        raise DataValidationError(
            "no road network (veger) to build the scenario from; add veger.gpkg"
        )
    sel = v[v["vegkategori"].astype(str).isin(cats) & ~v["typeVeg"].astype(str).isin(FERRY_TYPES)]
    out = gpd.GeoDataFrame(
        {
            "id": [f"{name}-{i}" for i in range(len(sel))],
            "type": "trekkror",
            "status": "eksisterende",
            "eier": f"scenario: {name}",
        },
        geometry=sel.geometry.values,
        crs=v.crs,
    )
    out.attrs["scenario"] = text
    return out


def resolve_routes(routes: gpd.GeoDataFrame | str | None, ds: Dataset) -> gpd.GeoDataFrame | None:
    """The routes to reuse: the dataset's, a named scenario (:data:`SCENARIOS`) or a file."""
    if routes is None:
        return ds.ruter
    if isinstance(routes, str) and routes in SCENARIOS:
        return scenario_routes(ds, routes)
    if isinstance(routes, gpd.GeoDataFrame):
        return routes.to_crs(settings.CRS)
    from nettverk.data.checks import Report, check_lines
    from nettverk.data.io import read_table

    rep = Report()
    out = check_lines(read_table(routes), str(routes), rep, table="ruter")
    rep.raise_if_any()
    return out


def snap_points(G: nx.Graph, points: list, labels: list[str]) -> tuple[nx.Graph, list[tuple]]:
    """Attach points to a corridor graph by the network's rule (:meth:`RoadNetwork.snap`: the
    foot point on the nearest edge that is not a sea crossing), splitting that edge there.

    Returns a copy of the graph with the new nodes and, per point, (node, distance in m).
    """
    G = G.copy()
    net = G.graph["network"]
    s = net.snap(points)
    out = []
    done: dict[tuple, tuple] = {}
    e = net.edges
    for i, (pt, label) in enumerate(zip(points, labels)):
        key = (round(pt.x), round(pt.y))
        if key in done:  # the same place (a hub at a member's centre): one node
            out.append(done[key])
            continue
        j = int(s.edge[i])
        u, v = tuple(net.nodes[e["u"].iat[j]]), tuple(net.nodes[e["v"].iat[j]])
        along, length, dist = float(s.along_m[i]), float(e["length_m"].iat[j]), float(s.dist_m[i])
        d = G.edges[u, v] if G.has_edge(u, v) else None
        if (
            d is None
            or d.get("edge") != j
            or along <= 1e-6 * length
            or along >= length * (1 - 1e-6)
        ):
            # at an end, or a parallel line the graph did not keep: join the nearer end
            node = u if along < length / 2 else v
            out.append((node, dist + min(along, length - along)))
            done[key] = out[-1]
            continue
        node = ("sted", label)
        foot = s.foot[i]
        G.add_node(node, x=float(foot[0]), y=float(foot[1]))
        line = d["geom"]
        first = shapely.get_point(line, 0)
        from_v = np.hypot(first.x - u[0], first.y - u[1]) > 1.5
        at = length - along if from_v else along  # metres along the line's own direction
        a, b = (v, u) if from_v else (u, v)  # a at the line's start
        for end, lo, hi in ((a, 0.0, at), (b, at, length)):
            share = (hi - lo) / length
            G.add_edge(
                node,
                end,
                weight=d["weight"] * share,
                length_m=d["length_m"] * share,
                kind=d["kind"],
                road=d["road"],
                geom=shapely.ops.substring(line, lo, hi),
            )
        out.append((node, dist))
        done[key] = out[-1]
    return G, out


def around(points: list[shapely.Point], *, pad_m: float = 50_000.0) -> shapely.Polygon:
    """A box around some points with room for detours (at least ``pad_m``, or half the span)."""
    x0, y0, x1, y1 = shapely.MultiPoint(list(points)).bounds
    pad = max(pad_m, 0.5 * max(x1 - x0, y1 - y0))
    return shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def corridor_topology(ds: Dataset, *, graph: nx.Graph | None = None) -> dict:
    """How the corridor graph holds together: parts, the links added where the road data has gaps,
    far centres.

    Examples
    --------
    >>> t = corridor_topology(nv.load_default())
    >>> # road fragments cut off over land stay apart
    >>> t["unreachable_centres"], t["components"] < 20
    ([], True)
    """
    from collections import Counter

    from nettverk.network.sites import centres

    G = graph if graph is not None else corridor_graph(ds)
    cen = centres(ds)
    H, snapped = snap_points(G, list(cen.values), list(cen.index))
    main = max(nx.connected_components(H), key=len)
    names = ds.kommuner["kommunenavn"]
    links = G.graph.get("links", [])
    return {
        "components": nx.number_connected_components(G),
        "links_added": dict(sorted(Counter(link["why"] for link in links).items())),
        "ferry_landings_joined_to_roads": sum(link["why"] == "ferjeleie til veg" for link in links),
        "unreachable_centres": [
            f"{c} {names[c]}" for c, (n, _) in zip(cen.index, snapped) if n not in main
        ],
        "centres_snapped_over_2_km": {
            f"{c} {names[c]}": round(d) for c, (_, d) in zip(cen.index, snapped) if d > 2000
        },
    }
