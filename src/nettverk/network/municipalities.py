"""The municipality graph: neighbours by border, ferry and bridge, with their ties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from nettverk import settings
from nettverk.data.dataset import Dataset

from .roads import network
from .sites import centres

__all__ = [
    "municipality_graph",
    "pair_ties",
    "graph_to_gdfs",
    "contiguity",
    "is_connected",
]


def _borders(k: gpd.GeoDataFrame) -> dict[tuple[str, str], float]:
    """Shared border length in metres for each pair, tolerant of simplified coastlines."""
    geoms = k.geometry.values
    codes = np.asarray(k.index)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="dwithin", distance=settings.BORDER_TOLERANCE_M)
    keep = i < j
    i, j = i[keep], j[keep]
    bounds = shapely.boundary(geoms)
    exact = shapely.length(shapely.intersection(bounds[i], bounds[j]))
    out = {}
    buffered: dict[int, object] = {}
    for a, b, length in zip(i, j, exact):
        if length < settings.MIN_BORDER_M:
            if b not in buffered:
                buffered[b] = shapely.buffer(bounds[b], settings.BORDER_TOLERANCE_M)
            length = shapely.intersection(bounds[a], buffered[b]).length
        if length >= settings.MIN_BORDER_M:
            out[(codes[a], codes[b])] = float(round(length, 1))
    return out


def _road_links(ds: Dataset) -> dict[tuple[str, str], str]:
    """Municipality pairs linked by a road, bridge, tunnel or ferry of the road network.

    The network's nodes are labelled with the municipality they lie in (or the nearest one
    within ``settings.LINK_SNAP_M``: quays and bridge ends lie outside coastline-clipped
    polygons), always against every municipality of the dataset the selection came from, so a
    chain of roads through a municipality outside the selection never links two inside it.
    Nodes out at sea are passed through, so a ferry route with a junction mid-fjord links the
    quays at both ends. Returns the kind of link for each pair: ``ferje`` (a ferry, or a sea
    link to an island with no ferry in the data), ``bro``, ``tunnel`` or ``veg``.
    """
    root = ds.root
    if root.veger is None or len(root.veger) == 0:
        return {}
    net = network(ds)
    cache = root.__dict__.setdefault("_network_cache", {})
    if "node_municipality" not in cache:
        cache["node_municipality"] = net.node_municipality(root.kommuner)
    label = cache["node_municipality"]
    e = net.edges
    medium = e["medium"].astype(str).to_numpy()
    kind = np.where(
        np.isin(e["kind"].to_numpy(), ("ferje", "sjø")),
        "ferje",
        np.where(medium == "L", "bro", np.where(medium == "U", "tunnel", "veg")),
    )
    links = _links_through_sea(e["u"].to_numpy(), e["v"].to_numpy(), kind, label)
    keep = set(ds.kommuner.index)
    return {k: how for k, how in links.items() if k[0] in keep and k[1] in keep}


def _links_through_sea(a_node, b_node, kind, label) -> dict[tuple[str, str], str]:
    """The pairs each edge links, passing through unlabelled (sea) nodes."""
    sea = nx.Graph()
    touches: dict[int, list[tuple[str, str]]] = defaultdict(list)
    links: dict[tuple[str, str], str] = {}
    rank = {"veg": 0, "tunnel": 1, "bro": 2, "ferje": 3}

    def add(u: str, v: str, how: str) -> None:
        if u == v:
            return
        key = (u, v) if u < v else (v, u)
        if key not in links or rank[how] < rank[links[key]]:
            links[key] = how

    for a, b, how in zip(a_node, b_node, kind):
        la, lb = label[a] or None, label[b] or None
        if la and lb:
            add(la, lb, how)
        elif la or lb:
            touches[b if la else a].append((la or lb, how))
            sea.add_node(b if la else a)
        else:
            sea.add_edge(a, b, how=how)
    for comp in sorted(nx.connected_components(sea), key=min):
        reached = []
        inner = (
            "ferje"
            if any(d["how"] == "ferje" for _, _, d in sea.subgraph(comp).edges(data=True))
            else None
        )
        for node in sorted(comp):
            reached.extend(touches.get(node, []))
        for x in range(len(reached)):
            for y in range(x + 1, len(reached)):
                (u, hu), (v, hv) = reached[x], reached[y]
                how = inner or max(hu, hv, key=rank.get)
                add(u, v, how)
    return links


def _route_links(
    k: gpd.GeoDataFrame, routes: gpd.GeoDataFrame | None
) -> dict[tuple[str, str], str]:
    """Municipality pairs that an existing broadband route runs between (consecutive along the
    line).

    Returns the ids of the routes for each pair ``(u, v)``, u < v.
    """
    if routes is None or len(routes) == 0:
        return {}
    if "status" in routes.columns:
        routes = routes[routes["status"].astype(str) != "planlagt"]
    polys = k.geometry.values
    codes = np.asarray(k.index, dtype=object)
    tree = shapely.STRtree(polys)
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    ids = (
        routes["id"].astype(str).tolist()
        if "id" in routes.columns
        else [str(i) for i in range(len(routes))]
    )
    for rid, line in zip(ids, routes.geometry.values):
        if line is None or line.is_empty:
            continue
        hits = tree.query(line, predicate="intersects")
        order = sorted(
            hits,
            key=lambda j: line.project(shapely.intersection(line, polys[j]).representative_point()),
        )
        for a, b in zip(order, order[1:]):
            u, v = sorted((codes[a], codes[b]))
            if u != v:
                out[(u, v)].append(rid)
    return {key: ",".join(sorted(set(v))) for key, v in out.items()}


def pair_ties(ds: Dataset) -> pd.DataFrame:
    """Return the existing ties between every pair of municipalities that has any.

    Columns: ``u``, ``v`` (u < v), ``commuters_uv`` (living in u, working in v),
    ``commuters_vu``, ``commuters``, ``collaborations`` (ids of active collaborations both
    are members of, any area), ``n_collaborations``, ``same_ba_region``.

    Examples
    --------
    >>> from nettverk import load_default
    >>> t = pair_ties(load_default())
    >>> row = t[(t.u == "3324") & (t.v == "3328")].iloc[0]   # Gol and Ål
    >>> bool(row.same_ba_region), bool(row.n_collaborations >= 2)
    (True, True)
    """
    p = ds.pendling
    p = p[p["bosted"] != p["arbeidssted"]]
    flows = defaultdict(lambda: [0, 0])
    for b, a, n in zip(p["bosted"], p["arbeidssted"], p["sysselsatte"]):
        if b < a:
            flows[(b, a)][0] += int(n)
        else:
            flows[(a, b)][1] += int(n)
    med = ds.active_memberships()
    collab = defaultdict(set)
    for cid, grp in med.groupby("samarbeid_id", sort=True):
        members = sorted(set(grp["kommunenummer"]))
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                collab[(members[x], members[y])].add(cid)
    ba = ds.kommuner["ba_region"].to_dict() if "ba_region" in ds.kommuner.columns else None
    pairs = sorted(set(flows) | set(collab))
    if ba is not None:
        for _region, grp in ds.kommuner.groupby("ba_region", sort=True):
            members = sorted(grp.index)
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    pairs.append((members[x], members[y]))
        pairs = sorted(set(pairs))
    rows = []
    for u, v in pairs:
        f = flows.get((u, v), [0, 0])
        ids = sorted(collab.get((u, v), ()))
        same = bool(ba is not None and ba.get(u) == ba.get(v) and pd.notna(ba.get(u)))
        rows.append((u, v, f[0], f[1], f[0] + f[1], ids, len(ids), same))
    return pd.DataFrame(
        rows,
        columns=[
            "u",
            "v",
            "commuters_uv",
            "commuters_vu",
            "commuters",
            "collaborations",
            "n_collaborations",
            "same_ba_region",
        ],
    )


def municipality_graph(ds: Dataset) -> nx.Graph:
    """Build the municipality graph.

    Nodes are kommunenummer with ``kommunenavn``, ``innbyggere``, ``fylkesnummer``,
    ``ba_region`` and the centre ``x``/``y`` (EPSG:25833). Edges join municipalities that
    share a border (``border_m``) or are linked by a ferry, bridge, tunnel or road in the road
    network, or by an existing broadband route (``link``: ``grense``, ``ferje``, ``bro``,
    ``tunnel``, ``veg``, ``rute``; ``ferry`` is True for ferry links; ``routes`` names the route ids
    where a route runs between the two). Each edge carries the ties: ``collaborations`` (active,
    shared),
    ``commuters_uv``/``commuters_vu``/``commuters`` and ``same_ba_region``.

    ``G.graph["isolated"]`` maps every municipality left without a neighbour to the reason.
    A dataset cut with :meth:`~nettverk.Dataset.select` gets the graph of the dataset it came
    from, cut to its municipalities: a selection never invents a link.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> from nettverk import load_default
    >>> G = municipality_graph(load_default())
    >>> G.number_of_nodes(), G.graph["crs"]
    (357, 'EPSG:25833')
    >>> sorted({G.edges[e]["link"] for e in G.edges("1151")})   # Utsira: by ferry only
    ['ferje']
    """
    root = ds.root
    cache = root.__dict__.setdefault("_network_cache", {})
    if "municipality_graph" not in cache:
        cache["municipality_graph"] = _build_graph(root)
    G = cache["municipality_graph"]
    if root is ds:
        return G.copy()
    # a selection: the national graph cut to it, never a graph rebuilt on the part
    codes = [c for c in ds.kommuner.index if c in G]
    H = G.subgraph(codes).copy()
    H.graph["isolated"] = {c: why for c, why in G.graph["isolated"].items() if c in H}
    return H


def _build_graph(ds: Dataset) -> nx.Graph:
    """The municipality graph of a whole dataset (see :func:`municipality_graph`)."""
    k = ds.kommuner
    G = nx.Graph(crs=settings.CRS, name="kommuner")
    c = centres(ds)
    for code in k.index:
        G.add_node(
            code,
            kommunenavn=k.at[code, "kommunenavn"],
            innbyggere=int(k.at[code, "innbyggere"]),
            fylkesnummer=k.at[code, "fylkesnummer"],
            ba_region=k.at[code, "ba_region"] if "ba_region" in k.columns else None,
            x=float(c[code].x),
            y=float(c[code].y),
        )
    borders = _borders(k)
    for (u, v), length in borders.items():
        G.add_edge(u, v, border_m=length, link="grense", ferry=False)
    for (u, v), how in _road_links(ds).items():
        if G.has_edge(u, v):
            continue
        G.add_edge(u, v, border_m=0.0, link=str(how), ferry=bool(how == "ferje"))
    for (u, v), rid in _route_links(k, ds.ruter).items():
        if not G.has_edge(u, v):
            G.add_edge(u, v, border_m=0.0, link="rute", ferry=False)
        G.edges[u, v]["routes"] = rid
    ties = {(r[0], r[1]): r for r in pair_ties(ds).itertuples(index=False)}
    for u, v, data in G.edges(data=True):
        a, b = (u, v) if u < v else (v, u)
        if (a, b) in ties:
            t = ties[(a, b)]
            data["collaborations"] = list(t.collaborations)
            data["commuters"] = int(t.commuters)
            data["commuters_uv"] = int(t.commuters_uv if a == u else t.commuters_vu)
            data["commuters_vu"] = int(t.commuters_vu if a == u else t.commuters_uv)
            data["same_ba_region"] = bool(t.same_ba_region)
        else:
            data.update(
                collaborations=[], commuters=0, commuters_uv=0, commuters_vu=0, same_ba_region=False
            )
    isolated = {}
    for code in G.nodes:
        if G.degree(code) == 0:
            isolated[code] = (
                "no land border with another municipality in the data, and no road, bridge or "
                "ferry line in the road network that reaches another municipality"
            )
    G.graph["isolated"] = isolated
    return G


def graph_to_gdfs(
    G: nx.Graph, *, crs: str | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Convert the municipality graph to node points and edge lines (centre to centre).

    Examples
    --------
    >>> G = nx.Graph(crs="EPSG:25833")
    >>> G.add_node("a", x=0.0, y=0.0); G.add_node("b", x=1.0, y=0.0)
    >>> G.add_edge("a", "b", link="grense")
    >>> nodes, edges = graph_to_gdfs(G)
    >>> len(nodes), float(edges.length.iloc[0])
    (2, 1.0)
    """
    crs = crs or G.graph.get("crs", settings.CRS)
    nodes = pd.DataFrame.from_dict(dict(G.nodes(data=True)), orient="index")
    nodes.index.name = "kommunenummer"
    ngdf = gpd.GeoDataFrame(nodes, geometry=gpd.points_from_xy(nodes["x"], nodes["y"]), crs=crs)
    rows, lines = [], []
    for u, v, d in G.edges(data=True):
        rows.append(
            {
                "u": u,
                "v": v,
                **{k: (", ".join(map(str, x)) if isinstance(x, list) else x) for k, x in d.items()},
            }
        )
        lines.append(
            shapely.LineString(
                [(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])]
            )
        )
    egdf = gpd.GeoDataFrame(rows, geometry=lines, crs=crs)
    return ngdf, egdf


def is_connected(G: nx.Graph, members: Iterable[str]) -> bool:
    """Whether the members form one connected group of neighbours (border, road, ferry, bridge).

    Examples
    --------
    >>> G = municipality_graph(nv.load_default())
    >>> is_connected(G, ["3324", "3328"]), is_connected(G, ["3324", "0301"])   # Gol, Ål; Oslo
    (True, False)
    """
    members = list(dict.fromkeys(members))
    return bool(members) and nx.is_connected(G.subgraph(members))


def contiguity(G: nx.Graph, area: Iterable[str], candidates: Iterable[str]) -> pd.DataFrame:
    """How each candidate lies to an area of members: two facts, never one word for both.

    ``borders_area``: it neighbours at least one member. ``joins_parts``: it neighbours every
    connected part of the area (with the area in one piece the same as ``borders_area``; with
    Setesdal out of IKT Agder, Lillesand borders Grimstad but does not reach Setesdal).

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> contiguity(G, ["a", "d"], ["b"]).to_dict("records")
    [{'candidate': 'b', 'borders_area': True, 'joins_parts': False, 'parts': 2}]
    """
    area = [a for a in dict.fromkeys(area) if a in G]
    parts = [set(p) for p in nx.connected_components(G.subgraph(area))]
    rows = []
    for c in candidates:
        nb = set(G[c]) if c in G else set()
        touched = [bool(nb & p) for p in parts]
        rows.append(
            {
                "candidate": c,
                "borders_area": any(touched),
                "joins_parts": bool(parts) and all(touched),
                "parts": len(parts),
            }
        )
    return pd.DataFrame(rows, columns=["candidate", "borders_area", "joins_parts", "parts"])
