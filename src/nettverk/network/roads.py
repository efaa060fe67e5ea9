"""The one road-and-ferry network: built once per dataset, used by every analysis.

Nodes are the ends of the road lines (rounded to whole metres). Edges are the roads and the
ferry crossings (``kind`` ``veg`` or ``ferje``) plus the links the road data leaves out:

- ``ferjeleie``: a ferry landing that meets no road, joined to the nearest road node within
  ``settings.LINK_SNAP_M`` (N1000 draws some ferries to the quay and the road beside it);
- ``glipe``: a part of the network that stops short of the rest by at most
  ``settings.LINK_SNAP_M`` (a gap in the road data), joined straight;
- ``sjø``: an island with no ferry in the data, joined to the nearest coast by sea up to
  ``SEA_LINK_MAX_M`` where the straight line runs mostly over sea.

Parts cut off over land stay cut off. Every consumer asks this network: the partner model's
travel (:meth:`RoadNetwork.distance_matrix`), the digging corridors
(:func:`nettverk.models.trench.corridor_graph` prices its edges), travel in clusters and joins,
the municipality graph's road and ferry links, and the maps. Points join the network by one rule
(:meth:`RoadNetwork.snap`): the foot point on the nearest edge that is not a crossing by sea.

Travel time uses an assumed speed per road category (basis A: ``SPEED_KMH``; N1000 has no
speeds), ferries at ``FERRY_KMH`` plus ``FERRY_WAIT_MIN`` per crossing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from nettverk import settings
from nettverk._errors import DataValidationError
from nettverk.data.dataset import Dataset

from .geometry import FERRY_TYPES, line_ends

__all__ = [
    "RoadNetwork",
    "Snapped",
    "network",
    "build_network",
    "SPEED_KMH",
    "FERRY_KMH",
    "FERRY_WAIT_MIN",
    "ACCESS_KMH",
    "SEA_LINK_MAX_M",
]

#: Islands without a ferry in the data get a sea link to the nearest coast up to this far (m).
SEA_LINK_MAX_M = 60_000.0
#: Assumed driving speed by road category (km/h; N1000 has none): European, national, county,
#: municipal and private roads (basis A: typical speeds on Norwegian roads of each class).
SPEED_KMH = {"E": 80.0, "R": 70.0, "F": 60.0, "K": 45.0, "P": 30.0, "S": 30.0}
#: Ferry crossing speed (km/h) and the wait per crossing (minutes); basis A.
FERRY_KMH = 25.0
FERRY_WAIT_MIN = 20.0
#: Speed from a point to the network, and along links the road data lacks (km/h); basis A.
ACCESS_KMH = 30.0
#: Edge kinds that are crossings by sea: a site never joins the network on one.
SEA_KINDS = ("ferje", "sjø")


@dataclass(frozen=True)
class Snapped:
    """Points joined to the network: per point the edge, the metres along it from its ``u``
    end, the foot point and the straight distance to it."""

    edge: np.ndarray
    along_m: np.ndarray
    dist_m: np.ndarray
    foot: np.ndarray


@dataclass(frozen=True)
class RoadNetwork:
    """The road-and-ferry network (see the module docstring).

    Attributes
    ----------
    nodes : ndarray
        ``(n, 2)`` node coordinates (EPSG:25833).
    edges : DataFrame
        One row per edge: ``u``, ``v`` (node numbers), ``length_m``, ``kind`` (``veg``,
        ``ferje``, ``ferjeleie``, ``glipe``, ``sjø``), ``road`` (row of ``roads``, -1 for a
        link), ``vegkategori``, ``medium``, ``private``, ``minutes``.
    geoms : ndarray
        Each edge's line.
    roads : GeoDataFrame
        The road lines the network was built from.
    """

    nodes: np.ndarray
    edges: pd.DataFrame
    geoms: np.ndarray
    roads: gpd.GeoDataFrame
    crs: str = settings.CRS
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- weights ------------------------------------------------------------------------------
    def weight(self, weight: str | np.ndarray = "km") -> np.ndarray:
        """Each edge's weight: ``"km"``, ``"minutes"`` or an array of one value per edge."""
        if isinstance(weight, str):
            if weight == "km":
                return self.edges["length_m"].to_numpy() / 1000.0
            if weight == "minutes":
                return self.edges["minutes"].to_numpy()
            raise ValueError(f"unknown weight {weight!r}; use 'km', 'minutes' or an array")
        w = np.asarray(weight, dtype=float)
        if w.shape != (len(self.edges),):
            raise ValueError(f"weight has {w.shape} values, the network {len(self.edges)} edges")
        return w

    def csr(self, weight: str | np.ndarray = "km"):
        """The network as a symmetric sparse matrix (the cheapest of parallel edges)."""
        import scipy.sparse as sp

        w = np.maximum(self.weight(weight), 1e-9)
        u = self.edges["u"].to_numpy()
        v = self.edges["v"].to_numpy()
        n = len(self.nodes)
        order = np.lexsort((w, np.minimum(u, v), np.maximum(u, v)))
        key = np.minimum(u, v)[order] * n + np.maximum(u, v)[order]
        first = order[np.r_[True, key[1:] != key[:-1]]]
        a, b, c = u[first], v[first], w[first]
        return sp.csr_array((np.r_[c, c], (np.r_[a, b], np.r_[b, a])), shape=(n, n))

    # -- points -------------------------------------------------------------------------------
    def snap(self, points) -> Snapped:
        """Join points to the network: the foot point on the nearest edge that is not a
        crossing by sea (a centre beside a quay starts on land).

        Examples
        --------
        >>> net = network(nv.load_default())
        >>> s = net.snap(nv.centres(nv.load_default()).loc[["3324"]])   # Gol
        >>> bool(s.dist_m[0] < 500)
        True
        """
        xy = _xy(points)
        land = self._cache.get("land")
        if land is None:
            land = np.flatnonzero(~self.edges["kind"].isin(SEA_KINDS).to_numpy())
            self._cache["land"] = land
            self._cache["tree"] = shapely.STRtree(self.geoms[land])
        tree = self._cache["tree"]
        pts = shapely.points(xy)
        j = tree.nearest(pts)
        edge = land[j]
        lines = self.geoms[edge]
        along = shapely.line_locate_point(lines, pts)
        foot = shapely.line_interpolate_point(lines, along)
        dist = shapely.distance(pts, foot)
        # the line runs from u to v, or from v to u: count "along" from u
        u_xy = self.nodes[self.edges["u"].to_numpy()[edge]]
        first = shapely.get_coordinates(shapely.get_point(lines, 0))
        from_v = np.hypot(*(first - u_xy).T) > 1.5
        length = self.edges["length_m"].to_numpy()[edge]
        along = np.where(from_v, length - along, along)
        return Snapped(edge, np.clip(along, 0, length), dist, shapely.get_coordinates(foot))

    def _ends(self, s: Snapped, w: np.ndarray):
        """Per point: its edge's two end nodes and the cost of reaching each from the point."""
        e = self.edges
        length = np.maximum(e["length_m"].to_numpy()[s.edge], 1e-9)
        rate = w[s.edge] / length
        ends = np.column_stack([e["u"].to_numpy()[s.edge], e["v"].to_numpy()[s.edge]])
        cost = np.column_stack([s.along_m * rate, (length - s.along_m) * rate])
        return ends, cost, rate

    def access(
        self, dist_m: np.ndarray, weight: str | np.ndarray, per_m: float | None = None
    ) -> np.ndarray:
        """The cost of the straight stretch from a point to its foot point (``per_m`` per metre
        with a weight array, e.g. a straight trench)."""
        if per_m is not None:
            return dist_m * per_m
        if isinstance(weight, str) and weight == "minutes":
            return dist_m / 1000.0 / ACCESS_KMH * 60.0
        if isinstance(weight, str) and weight == "km":
            return dist_m / 1000.0
        return np.zeros_like(dist_m)

    def distance_matrix(
        self, points, *, weight: str = "km", max_snap_m: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shortest travel between every pair of points over the network.

        Each point joins at its foot point (:meth:`snap`) and travels along that edge to either
        end; a point further than ``max_snap_m`` (default ``settings.SITE_SNAP_MAX_M``) from every
        road is not on the network. Returns the matrix (``inf`` where not joined) and whether
        each pair is joined.

        Examples
        --------
        >>> ds = nv.load_default()
        >>> c = nv.centres(ds).loc[[ds.code("Gol"), ds.code("Ål")]]
        >>> D, ok = network(ds).distance_matrix(c)
        >>> bool(20 < D[0, 1] < 30)
        True
        """
        from scipy.sparse.csgraph import dijkstra

        s = self.snap(points)
        w = self.weight(weight)
        ends, cost, rate = self._ends(s, w)
        src, inv = np.unique(ends.ravel(), return_inverse=True)
        Dn = dijkstra(self.csr(weight), indices=src, min_only=False)[:, src]
        ia = inv.reshape(-1, 2)
        m = len(s.edge)
        D = np.full((m, m), np.inf)
        for a in range(2):
            for b in range(2):
                via = cost[:, a][:, None] + Dn[np.ix_(ia[:, a], ia[:, b])] + cost[:, b][None, :]
                D = np.minimum(D, via)
        same = s.edge[:, None] == s.edge[None, :]
        direct = np.abs(s.along_m[:, None] - s.along_m[None, :]) * rate[:, None]
        D = np.where(same, np.minimum(D, direct), D)
        acc = self.access(s.dist_m, weight)
        D = D + acc[:, None] + acc[None, :]
        far = s.dist_m > (settings.SITE_SNAP_MAX_M if max_snap_m is None else max_snap_m)
        D[far, :] = np.inf
        D[:, far] = np.inf
        np.fill_diagonal(D, 0.0)
        D = np.minimum(D, D.T)
        return D, np.isfinite(D)

    def from_sources(
        self,
        sources,
        targets,
        *,
        weight: str | np.ndarray = "km",
        access_per_m: float | None = None,
    ) -> np.ndarray:
        """The cheapest cost from the nearest of ``sources`` to each of ``targets`` (points),
        the straight stretches to the network included (:meth:`access`)."""
        import scipy.sparse as sp
        from scipy.sparse.csgraph import dijkstra

        w = self.weight(weight)
        ss, ts = self.snap(sources), self.snap(targets)
        s_ends, s_cost, s_rate = self._ends(ss, w)
        t_ends, t_cost, _ = self._ends(ts, w)
        s_cost = s_cost + self.access(ss.dist_m, weight, access_per_m)[:, None]
        # one search from a virtual node joined to every source's two ends
        n = len(self.nodes)
        A = self.csr(weight).tocoo()
        rows = np.r_[A.row, np.full(s_ends.size, n)]
        cols = np.r_[A.col, s_ends.ravel()]
        vals = np.r_[A.data, np.maximum(s_cost.ravel(), 1e-12)]
        B = sp.csr_array((vals, (rows, cols)), shape=(n + 1, n + 1))
        dist = dijkstra(B, directed=True, indices=n)
        best = np.minimum(dist[t_ends[:, 0]] + t_cost[:, 0], dist[t_ends[:, 1]] + t_cost[:, 1])
        same = ss.edge[:, None] == ts.edge[None, :]
        if same.any():  # a source and a target on one edge: along it
            direct = np.abs(ss.along_m[:, None] - ts.along_m[None, :]) * s_rate[:, None]
            direct = direct + self.access(ss.dist_m, weight, access_per_m)[:, None]
            best = np.minimum(best, np.where(same, direct, np.inf).min(axis=0))
        return best + self.access(ts.dist_m, weight, access_per_m)

    # -- views --------------------------------------------------------------------------------
    def to_networkx(self, weight: str | np.ndarray = "km", **attrs: np.ndarray) -> nx.Graph:
        """The network as a networkx graph: nodes ``(x, y)`` with ``x``/``y``, edges with
        ``weight``, ``length_m``, ``road``, ``geom``, ``link`` and ``attrs`` (one value per edge);
        of parallel edges the cheapest."""
        w = self.weight(weight)
        e = self.edges
        xy = [tuple(p) for p in self.nodes.tolist()]
        G = nx.Graph(crs=self.crs)
        cols = {k: np.asarray(v) for k, v in attrs.items()}
        for i, (u, v, length, road, kind) in enumerate(
            zip(e["u"], e["v"], e["length_m"], e["road"], e["kind"])
        ):
            a, b = xy[u], xy[v]
            if G.has_edge(a, b) and G.edges[a, b]["weight"] <= w[i]:
                continue
            data = {
                "weight": float(w[i]),
                "length_m": float(length),
                "road": int(road),
                "geom": self.geoms[i],
                "edge": i,
            }
            if kind in ("ferjeleie", "glipe", "sjø"):
                data["link"] = LINK_WHY[kind]
            data.update(
                {k: c[i].item() if hasattr(c[i], "item") else c[i] for k, c in cols.items()}
            )
            G.add_edge(a, b, **data)
        for n in G.nodes:
            G.nodes[n]["x"], G.nodes[n]["y"] = float(n[0]), float(n[1])
        return G

    def within(self, box) -> RoadNetwork:
        """The part of the network whose edges meet a polygon (for speed on a small area)."""
        keep = np.flatnonzero(shapely.intersects(self.geoms, box))
        return replace(
            self,
            edges=self.edges.iloc[keep].reset_index(drop=True),
            geoms=self.geoms[keep],
            _cache={},
        )

    def links(self) -> list[dict]:
        """The links added where the road data has gaps, with why."""
        e = self.edges
        out = []
        for i in np.flatnonzero(e["kind"].isin(list(LINK_WHY)).to_numpy()):
            u, v = self.nodes[e["u"].iat[i]], self.nodes[e["v"].iat[i]]
            out.append(
                {
                    "from": tuple(u.tolist()),
                    "to": tuple(v.tolist()),
                    "length_m": round(float(e["length_m"].iat[i]), 1),
                    "why": LINK_WHY[e["kind"].iat[i]],
                }
            )
        return out

    def components(self) -> np.ndarray:
        """The connected part each node belongs to (0 = the largest)."""
        from scipy.sparse.csgraph import connected_components

        _, lab = connected_components(self.csr("km"), directed=False)
        sizes = np.bincount(lab)
        order = np.argsort(-sizes, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return rank[lab]

    def edge_municipality(self, kommuner: gpd.GeoDataFrame) -> np.ndarray:
        """The municipality each edge's midpoint lies in ("" where none)."""
        mid = shapely.line_interpolate_point(self.geoms, 0.5, normalized=True)
        return _label(mid, kommuner, 0.0)

    def node_municipality(self, kommuner: gpd.GeoDataFrame) -> np.ndarray:
        """The municipality each node lies in, or the nearest within ``LINK_SNAP_M`` (quays and
        bridge ends lie outside coastline-clipped polygons); "" for nodes out at sea."""
        return _label(shapely.points(self.nodes), kommuner, settings.LINK_SNAP_M)


#: Why each kind of link was added (as written on maps and in ``nettverk info``).
LINK_WHY = {
    "ferjeleie": "ferjeleie til veg",
    "glipe": "glipe i vegnettet",
    "sjø": "sjøkabel til nærmeste kyst",
}


def _xy(points) -> np.ndarray:
    if isinstance(points, (gpd.GeoSeries, gpd.GeoDataFrame)):
        g = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
        return np.column_stack([g.x.to_numpy(), g.y.to_numpy()])
    if len(points) and isinstance(points[0], shapely.Geometry):
        return shapely.get_coordinates(np.asarray(points, dtype=object))
    return np.asarray(points, dtype=float).reshape(-1, 2)


def _label(pts: np.ndarray, kommuner: gpd.GeoDataFrame, max_m: float) -> np.ndarray:
    polys = kommuner.geometry.values
    codes = np.asarray(kommuner.index, dtype=object)
    tree = shapely.STRtree(polys)
    out = np.full(len(pts), "", dtype=object)
    p, k = tree.query(pts, predicate="intersects")
    out[p[::-1]] = codes[k[::-1]]  # first hit wins
    rest = np.flatnonzero(out == "")
    if len(rest) and max_m > 0:
        p2, k2 = tree.query_nearest(pts[rest], max_distance=max_m, all_matches=False)
        out[rest[p2]] = codes[k2]
    return out


def network(ds: Dataset) -> RoadNetwork:
    """The dataset's road-and-ferry network, built once and kept with the dataset.

    A dataset cut with :meth:`~nettverk.Dataset.select` asks the network of the dataset it came
    from, so a trip that leaves the selection is still found and every selection sees the same
    distances.

    Examples
    --------
    >>> net = network(nv.load_default())
    >>> sorted(set(net.edges["kind"]))
    ['ferje', 'ferjeleie', 'glipe', 'sjø', 'veg']
    """
    root = ds.root
    cache = root.__dict__.setdefault("_network_cache", {})
    if "roads" not in cache:
        if root.veger is None or len(root.veger) == 0:
            raise DataValidationError(
                "no road network (veger) in the dataset; add veger.gpkg or use the embedded data"
            )
        cache["roads"] = build_network(root.veger, root.kommuner.geometry.values)
    return cache["roads"]


def build_network(roads: gpd.GeoDataFrame, land: np.ndarray | None = None) -> RoadNetwork:
    """Build the network from road lines (``typeVeg``, ``vegkategori``, ``medium``) and the land
    polygons (for telling islands without a ferry from road fragments cut off over land)."""
    roads = roads.reset_index(drop=True)
    geoms = roads.geometry.values
    start, end = line_ends(geoms)
    nodes, inv = np.unique(np.vstack([start, end]), axis=0, return_inverse=True)
    inv = inv.ravel()
    m = len(roads)
    u, v = inv[:m], inv[m:]
    typ = _col(roads, "typeVeg", "enkelBilveg")
    ferry = np.isin(typ, FERRY_TYPES)
    keep = u != v
    edges = pd.DataFrame(
        {
            "u": u[keep],
            "v": v[keep],
            "length_m": shapely.length(geoms)[keep],
            "kind": np.where(ferry, "ferje", "veg")[keep],
            "road": np.arange(m)[keep],
            "vegkategori": _col(roads, "vegkategori", "K")[keep],
            "medium": _col(roads, "medium", "T")[keep],
        }
    )
    egeoms = geoms[keep]
    for find in (lambda: _landings(nodes, u, v, ferry), lambda: _joins(nodes, edges, land)):
        links = find()  # the joins see the landings
        if links:
            lk = pd.DataFrame(links, columns=["u", "v", "length_m", "kind"])
            lk["road"], lk["vegkategori"], lk["medium"] = -1, "", "T"
            egeoms = np.r_[egeoms, shapely.linestrings(nodes[np.c_[lk["u"], lk["v"]]])]
            edges = pd.concat([edges, lk], ignore_index=True)
    edges["private"] = edges["vegkategori"].to_numpy() == "P"
    edges["minutes"] = _minutes(edges)
    return RoadNetwork(nodes.astype(float), edges, np.asarray(egeoms, dtype=object), roads)


def _col(df: pd.DataFrame, name: str, default: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), default, dtype=object)
    return df[name].astype(str).to_numpy(dtype=object)


def _minutes(edges: pd.DataFrame) -> np.ndarray:
    km = edges["length_m"].to_numpy() / 1000.0
    speed = edges["vegkategori"].map(SPEED_KMH).fillna(ACCESS_KMH).to_numpy(float)
    kind = edges["kind"].to_numpy()
    sea = np.isin(kind, SEA_KINDS)
    speed = np.where(sea, FERRY_KMH, np.where(kind == "veg", speed, ACCESS_KMH))
    return km / speed * 60.0 + np.where(sea, FERRY_WAIT_MIN, 0.0)


def _landings(nodes: np.ndarray, u: np.ndarray, v: np.ndarray, ferry: np.ndarray) -> list:
    """Join each ferry landing that meets no road to the nearest road node (within
    ``LINK_SNAP_M``)."""
    from scipy.spatial import cKDTree

    road_nodes = np.unique(np.r_[u[~ferry], v[~ferry]])
    ends = np.setdiff1d(np.unique(np.r_[u[ferry], v[ferry]]), road_nodes)
    if len(ends) == 0 or len(road_nodes) == 0:
        return []
    tree = cKDTree(nodes[road_nodes])
    dist, i = tree.query(nodes[ends])
    ok = dist <= settings.LINK_SNAP_M
    return [
        (int(a), int(road_nodes[j]), float(d), "ferjeleie")
        for a, j, d in zip(ends[ok], i[ok], dist[ok])
    ]


def _joins(nodes: np.ndarray, edges: pd.DataFrame, land) -> list:
    """Join each smaller part of the network to the largest part: a gap of at most
    ``LINK_SNAP_M`` straight, an island with no ferry in the data by sea."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    n = len(nodes)
    a, b = edges["u"].to_numpy(), edges["v"].to_numpy()
    A = sp.coo_array((np.ones(len(a)), (a, b)), shape=(n, n))
    used = np.zeros(n, dtype=bool)
    used[a] = used[b] = True
    _, lab = connected_components(A, directed=False)
    comps = {}
    for node in np.flatnonzero(used):
        comps.setdefault(lab[node], []).append(node)

    # largest first; ties by the smallest coordinate, as the corridor graph always did
    def first(c):
        return min(tuple(nodes[i]) for i in c)

    order = sorted(comps.values(), key=lambda c: (-len(c), first(c)))
    if len(order) < 2:
        return []
    main = np.array(sorted(order[0], key=lambda i: tuple(nodes[i])))
    tree = cKDTree(nodes[main])
    land_tree = shapely.STRtree(land) if land is not None else None
    out = []
    for comp in order[1:]:
        comp = np.array(sorted(comp, key=lambda i: tuple(nodes[i])))
        dist, idx = tree.query(nodes[comp])
        j = int(np.argmin(dist))
        p, q = int(comp[j]), int(main[idx[j]])
        if dist[j] <= settings.LINK_SNAP_M:
            out.append((p, q, float(dist[j]), "glipe"))
        elif (
            land is not None
            and dist[j] <= SEA_LINK_MAX_M
            and _over_land(shapely.LineString([nodes[p], nodes[q]]), land, land_tree) < 0.5
        ):
            out.append((p, q, float(dist[j]), "sjø"))
    return out


def _over_land(line, land, tree) -> float:
    """Share of a straight line that lies on land (inside a municipality polygon)."""
    hits = tree.query(line, predicate="intersects")
    on = sum(shapely.intersection(line, land[i]).length for i in hits)
    return float(on / line.length) if line.length > 0 else 1.0
