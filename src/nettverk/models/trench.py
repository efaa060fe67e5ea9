"""The corridor graph for digging: roads and ferries priced per metre from the cost model."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
import shapely.ops

from nettverk import settings
from nettverk._errors import DataValidationError, NettverkError
from nettverk.data.dataset import Dataset
from nettverk.network.geometry import FERRY_TYPES, line_ends

from .costs import CostModel, as_cost_model

__all__ = ["corridor_graph", "URBAN_DENSITY", "ROUTE_SNAP_M"]


URBAN_DENSITY = 300.0  # inhabitants per km2
ROUTE_SNAP_M = 30.0
#: Islands without a ferry in the data get a sea cable to the nearest coast up to this far.
SEA_LINK_MAX_M = 60_000.0


def _edge_costs(
    roads: gpd.GeoDataFrame, ds: Dataset, costs: CostModel, routes: gpd.GeoDataFrame | None
):
    k = ds.kommuner
    density = (k["innbyggere"] / k["areal_km2"].where(k["areal_km2"] > 0)).fillna(0)
    mid = gpd.GeoDataFrame(geometry=roads.geometry.interpolate(0.5, normalized=True), crs=roads.crs)
    hit = gpd.sjoin(mid, k[["geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    urban = hit["kommunenummer"].map(density).fillna(0).to_numpy() >= URBAN_DENSITY
    typ = roads["typeVeg"].astype(str).to_numpy()
    cat = roads["vegkategori"].astype(str).to_numpy()
    med = roads["medium"].astype(str).to_numpy()
    length = roads.length.to_numpy()
    ferry = np.isin(typ, FERRY_TYPES)
    trench = np.where(
        med == "U",
        costs.trench_rock_nok_m,
        np.where(
            np.isin(typ, ["sti", "barmarksløype"]) | (cat == "P"),
            costs.trench_rural_nok_m,
            costs.trench_roadside_nok_m,
        ),
    )
    trench = np.where(urban & ~(med == "U"), costs.trench_urban_nok_m, trench)
    land = length * (trench + costs.cable_nok_m)
    sea = costs.sea_fixed_nok + costs.sea_nok_km * length / 1000
    cost = np.where(ferry, sea, land)
    kind = np.where(ferry, "sjø", "ny")
    if routes is not None and len(routes):
        existing = (
            routes[routes["status"] == "eksisterende"] if "status" in routes.columns else routes
        )
        if len(existing):
            zone = shapely.union_all(shapely.buffer(existing.geometry.values, ROUTE_SNAP_M))
            inside = shapely.length(shapely.intersection(roads.geometry.values, zone))
            reuse = (inside >= 0.8 * length) & (length > 0)
            cost = np.where(reuse, cost * costs.reuse_factor, cost)
            kind = np.where(reuse, "gjenbruk", kind)
    return cost, kind, length


def corridor_graph(
    ds: Dataset,
    *,
    routes: gpd.GeoDataFrame | str | None = None,
    costs: CostModel | str | None = None,
) -> nx.Graph:
    """Build the corridor graph for digging from roads, ferries and existing routes.

    Nodes are line ends (rounded to 1 m) with ``x``/``y``; edges carry ``length_m``,
    ``weight`` (cost in NOK), ``kind`` (``ny``, ``gjenbruk``, ``sjø``) and ``road`` (row of
    ``ds.veger``). Parallel lines keep the cheapest.

    Examples
    --------
    >>> ds = nv.load_default().select(counties=["Buskerud"])
    >>> G = corridor_graph(ds)
    >>> G.graph["crs"], G.number_of_edges() > 1000
    ('EPSG:25833', True)
    """
    costs = as_cost_model(costs)
    if ds.veger is None or len(ds.veger) == 0:
        raise DataValidationError(
            "no road network (veger) in the dataset; add veger.gpkg or use the embedded data"
        )
    routes = resolve_routes(routes, ds)
    roads = ds.veger.reset_index(drop=True)
    cost, kind, length = _edge_costs(roads, ds, costs, routes)
    start, end = line_ends(roads.geometry.values)
    a = [tuple(p) for p in start]
    b = [tuple(p) for p in end]
    G = nx.Graph(crs=settings.CRS)
    for i in range(len(roads)):
        u, v = a[i], b[i]
        if u == v:
            continue
        w = float(cost[i])
        if G.has_edge(u, v) and G.edges[u, v]["weight"] <= w:
            continue
        G.add_edge(u, v, weight=w, length_m=float(length[i]), kind=str(kind[i]), road=int(i))
    ferry = np.isin(roads["typeVeg"].astype(str).to_numpy(), FERRY_TYPES)
    road_nodes = {a[i] for i in np.flatnonzero(~ferry)} | {b[i] for i in np.flatnonzero(~ferry)}
    ferry_ends = (
        {a[i] for i in np.flatnonzero(ferry)} | {b[i] for i in np.flatnonzero(ferry)}
    ) - road_nodes
    links = _landings(G, road_nodes, ferry_ends, costs) + _joins(
        G, costs, ds.kommuner.geometry.values
    )
    for n in G.nodes:
        G.nodes[n]["x"], G.nodes[n]["y"] = float(n[0]), float(n[1])
    G.graph["roads"] = roads
    G.graph["links"] = links
    return G


def _link(G: nx.Graph, u: tuple, v: tuple, costs: CostModel, why: str) -> dict:
    """A short trench between two corridor nodes the road data leaves apart (drawn straight)."""
    d = float(np.hypot(u[0] - v[0], u[1] - v[1]))
    G.add_edge(
        u,
        v,
        weight=d * (costs.trench_rural_nok_m + costs.cable_nok_m),
        length_m=d,
        kind="ny",
        road=-1,
        geom=shapely.LineString([u, v]),
        link=why,
    )
    return {"from": u, "to": v, "length_m": round(d, 1), "why": why}


def _landings(G: nx.Graph, road_nodes: set, ferry_ends: set, costs: CostModel) -> list[dict]:
    """Join each ferry landing that meets no road to the nearest road node (within ``LINK_SNAP_M``).

    N1000 draws some ferry lines to the quay and the road to a point beside it (Anda-Lote,
    Moskenes): without this the crossing is a dead end and routes detour hundreds of km.
    """
    from scipy.spatial import cKDTree

    if not ferry_ends or not road_nodes:
        return []
    roads = np.array(sorted(road_nodes), dtype=float)
    tree = cKDTree(roads)
    out = []
    for end in sorted(ferry_ends):
        dist, i = tree.query(end)
        if dist <= settings.LINK_SNAP_M:
            out.append(_link(G, end, tuple(roads[i]), costs, "ferjeleie til veg"))
    return out


def _joins(G: nx.Graph, costs: CostModel, land) -> list[dict]:
    """Join each smaller part of the network to the largest part.

    A gap of at most ``LINK_SNAP_M`` is a gap in the road data (a short trench); a part further
    away whose straight line to the nearest coast runs mostly over sea is an island without a
    ferry in the data (a sea cable, up to ``SEA_LINK_MAX_M``). Parts cut off over land stay cut
    off, and a route to them is refused with their name.
    """
    from scipy.spatial import cKDTree

    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c)))
    if len(comps) < 2:
        return []
    main = np.array(sorted(comps[0]), dtype=float)
    tree = cKDTree(main)
    land_tree = shapely.STRtree(land)
    out = []
    for comp in comps[1:]:
        nodes = np.array(sorted(comp), dtype=float)
        dist, idx = tree.query(nodes)
        j = int(np.argmin(dist))
        u, v = tuple(nodes[j]), tuple(main[idx[j]])
        if dist[j] <= settings.LINK_SNAP_M:
            out.append(_link(G, u, v, costs, "glipe i vegnettet"))
        elif (
            dist[j] <= SEA_LINK_MAX_M
            and _over_land(shapely.LineString([u, v]), land, land_tree) < 0.5
        ):
            # an island with no ferry in the data: a sea cable to the nearest coast
            G.add_edge(
                u,
                v,
                weight=costs.sea_fixed_nok + costs.sea_nok_km * dist[j] / 1000,
                length_m=float(dist[j]),
                kind="sjø",
                road=-1,
                geom=shapely.LineString([u, v]),
                link="sjøkabel til nærmeste kyst",
            )
            out.append(
                {
                    "from": u,
                    "to": v,
                    "length_m": round(float(dist[j]), 1),
                    "why": "sjøkabel til nærmeste kyst",
                }
            )
    return out


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


def resolve_routes(routes, ds: Dataset):
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
    """Attach points to the nearest corridor line, splitting that edge at the foot point.

    Returns a copy of the graph with the new nodes and, per point, (node, distance in m).
    """
    G = G.copy()
    # sites join a road, never a ferry line (a centre beside a quay would otherwise start at sea)
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if d["kind"] != "sjø"] or list(
        G.edges(data=True)
    )
    roads = G.graph["roads"]
    geoms = [d.get("geom", roads.geometry.iloc[d["road"]]) for *_, d in edges]
    tree = shapely.STRtree(geoms)
    out = []
    done: dict[tuple, tuple] = {}
    for pt, label in zip(points, labels):
        key = (round(pt.x), round(pt.y))
        if key in done:  # the same place (a hub at a member's centre): one node
            out.append(done[key])
            continue
        j = int(tree.nearest(pt))
        u, v, d = edges[j]
        line = geoms[j]
        dist = float(line.distance(pt))
        along = float(line.project(pt))
        frac = along / line.length if line.length > 0 else 0.0
        start = (round(line.coords[0][0]), round(line.coords[0][1]))
        near_u = shapely.Point(u).distance(shapely.Point(start)) < 1.5
        a, b = (u, v) if near_u else (v, u)  # a at the line's start
        if frac <= 1e-6 or frac >= 1 - 1e-6 or not G.has_edge(u, v):
            node = a if frac < 0.5 else b
            out.append(
                (
                    node,
                    dist
                    + (
                        0.0 if frac <= 1e-6 or frac >= 1 - 1e-6 else min(along, line.length - along)
                    ),
                )
            )
            done[key] = out[-1]
            continue
        node = ("sted", label)
        foot = line.interpolate(
            along
        )  # the node sits on the line; the site is reached by a straight trench
        G.add_node(node, x=foot.x, y=foot.y)
        for end, lo, hi in ((a, 0.0, along), (b, along, line.length)):
            part = shapely.ops.substring(line, lo, hi)
            share = (hi - lo) / line.length
            G.add_edge(
                node,
                end,
                weight=d["weight"] * share if d["kind"] != "sjø" else d["weight"],
                length_m=d["length_m"] * share,
                kind=d["kind"],
                road=d["road"],
                geom=part,
            )
        out.append((node, dist))
        done[key] = out[-1]
    return G, out


def near_part(ds: Dataset, st: gpd.GeoDataFrame, hub_pt) -> Dataset:
    """The part of the dataset within reach of the sites and hub (speeds up large countries)."""
    from dataclasses import replace

    if ds.veger is None:
        return ds
    pts = list(st.geometry) + [hub_pt]
    x0, y0, x1, y1 = shapely.MultiPoint(pts).bounds
    pad = max(50_000.0, 0.5 * max(x1 - x0, y1 - y0))
    box = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    veg = ds.veger[ds.veger.intersects(box)]
    rut = None if ds.ruter is None else ds.ruter[ds.ruter.intersects(box)]
    return replace(ds, veger=veg, ruter=rut)


def _over_land(line, land, tree) -> float:
    """Share of a straight line that lies on land (inside a municipality polygon)."""
    hits = tree.query(line, predicate="intersects")
    on = sum(shapely.intersection(line, land[i]).length for i in hits)
    return float(on / line.length) if line.length > 0 else 1.0


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
