"""Shared digging: the corridor network, shared vs standalone trenches, and a fair split.

The corridor graph is the road network (``veger``) with ferries; every edge costs NOK from
the cost model:

- land: trench + cable per metre. Trench type by road and setting: tunnels (``medium`` U)
  count as rock, paths and private roads as rural soft ground, other roads as roadside
  trench, and any road in a municipality with at least ``URBAN_DENSITY`` inhabitants per
  km2 as urban asphalt;
- ferry lines: a sea crossing, the fixed part plus the per-km part;
- edges along an existing route (``ruter`` with status ``eksisterende``, within
  ``ROUTE_SNAP_M``): the reuse share of the new-build cost.

Sites snap to the nearest corridor node; the snapping distance is reported and dug as
rural soft ground. A site further than ``settings.SITE_SNAP_WARN_M`` gets a warning, one
further than ``settings.SITE_SNAP_MAX_M`` an error.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from . import settings
from ._errors import DataValidationError, NettverkError, UnreachableError
from .allocation import core_check, key_shares, shapley_values
from .costs import CostModel, as_cost_model
from .dataset import Dataset
from .graph import FERRY_TYPES, line_ends
from .steiner import _Graph, _tree, steiner_tree
from ._types import Municipalities, Municipality
from .columns import number_text

__all__ = [
    "corridor_graph",
    "shared_digging",
    "DiggingResult",
    "SPLITS",
    "URBAN_DENSITY",
    "ROUTE_SNAP_M",
]

URBAN_DENSITY = 300.0  # inhabitants per km2
ROUTE_SNAP_M = 30.0
#: Islands without a ferry in the data get a sea cable to the nearest coast up to this far.
SEA_LINK_MAX_M = 60_000.0
SPLITS = ("bird", "shapley", "population", "30/70")


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
    routes = _routes(routes, ds)
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


def _routes(routes, ds: Dataset):
    if routes is None:
        return ds.ruter
    if isinstance(routes, str) and routes in SCENARIOS:
        return scenario_routes(ds, routes)
    if isinstance(routes, gpd.GeoDataFrame):
        return routes.to_crs(settings.CRS)
    from ._validate import Report, check_lines
    from .io import read_table

    rep = Report()
    out = check_lines(read_table(routes), str(routes), rep, table="ruter")
    rep.raise_if_any()
    return out


def _sites(ds: Dataset, members: list[str], sites) -> gpd.GeoDataFrame:
    if sites is None:
        st = ds.steder
    elif isinstance(sites, gpd.GeoDataFrame):
        st = sites.to_crs(settings.CRS)
    else:
        from ._validate import Report, check_steder
        from .io import read_table

        rep = Report()
        st = check_steder(read_table(sites), str(sites), ds.codebook, rep)
        rep.raise_if_any()
    st = st[st["kommunenummer"].isin(members)]
    missing = sorted(set(members) - set(st["kommunenummer"]))
    if missing:
        raise DataValidationError(
            f"no sites for {', '.join(missing)}; add them to steder or leave them out"
        )
    return st.sort_values(["kommunenummer", "id"]).reset_index(drop=True)


@dataclass
class DiggingResult:
    """The result of :func:`shared_digging`.

    Attributes
    ----------
    segments : geopandas.GeoDataFrame
        The shared tree: ``length_m``, ``cost_nok``, ``kind`` (ny/gjenbruk/sjø/tilknytning),
        ``serves`` (comma-separated kommunenummer whose sites use it on the way to the hub).
    per_municipality : pandas.DataFrame
        Per member: sites, standalone metres and NOK, allocated share of the shared tree,
        saving, cost per connected unit, and whether it pays more than alone.
    totals : dict
        Shared vs standalone metres and NOK, saving, cost per connected unit and per inhabitant,
        annual cost, the split, the win-win verdict and the objecting group if any.
    standalone_segments : geopandas.GeoDataFrame
        Each municipality's own tree to the hub, for comparison.
    """

    segments: gpd.GeoDataFrame
    per_municipality: pd.DataFrame
    totals: dict
    standalone_segments: gpd.GeoDataFrame = field(repr=False)
    sites: gpd.GeoDataFrame = field(repr=False)

    def summary_lines(self) -> list[str]:
        """The totals in bokmål (``nettverk dig``): shared against alone, saving, split verdict."""
        from .bredband import SUBSIDY_REFERENCE

        t = self.totals
        n = {k: number_text(v) for k, v in t.items() if isinstance(v, (int, float))}
        return [
            f"Felles grøft til {t['hub']}: {n['shared_m']} m, {n['shared_nok']} kr "
            f"(hver for seg: {n['standalone_m']} m, {n['standalone_nok']} kr)",
            f"Besparelse: {n['saving_nok']} kr ({_total_text(t['saving_share'])}); per tilknyttet "
            f"kommunesenter: {n['shared_nok_per_site']} kr felles mot "
            f"{n['standalone_nok_per_site']} kr alene; {t['shared_nok_per_inhabitant']:.0f} kr "
            f"per innbygger; årlig (annuitet): {n['annual_shared_nok']} kr",
            SUBSIDY_REFERENCE,
            f"Fordeling ({t['split']}): {t['verdict']}",
        ]

    def totals_table(self) -> pd.DataFrame:
        """The totals as a table in bokmål (``Felt``, ``Verdi``), for the Excel summary."""
        return pd.DataFrame(
            {
                "Felt": list(TOTALS_LABELS.values()),
                "Verdi": [_total_text(self.totals.get(k)) for k in TOTALS_LABELS],
            }
        )


#: The columns ``nettverk dig`` prints per municipality.
DIG_COLUMNS = [
    "kommunenummer",
    "kommunenavn",
    "sites",
    "standalone_m",
    "standalone_nok",
    "share_nok",
    "saving_nok",
]

#: The totals of a :class:`DiggingResult`, with their labels in bokmål.
TOTALS_LABELS = {
    "hub": "Knutepunkt",
    "split": "Fordeling",
    "sites": "Tilknyttede steder",
    "shared_m": "Felles grøft (m)",
    "standalone_m": "Hver for seg (m)",
    "shared_nok": "Felles kostnad (kr)",
    "standalone_nok": "Hver for seg (kr)",
    "saving_nok": "Besparelse (kr)",
    "saving_share": "Besparelse (andel)",
    "shared_nok_per_site": "Felles per tilknyttet sted (kr)",
    "standalone_nok_per_site": "Alene per tilknyttet sted (kr)",
    "shared_nok_per_inhabitant": "Felles per innbygger (kr)",
    "annual_shared_nok": "Felles per år, annuitet (kr)",
    "win_win": "Vinn-vinn",
    "verdict": "Vurdering",
    "sea_crossings": "Sjøkryssinger",
}


def _total_text(v) -> str:
    """One total as text: ja/nei, a share in per cent, a number, or the text itself."""
    if isinstance(v, bool):
        return "ja" if v else "nei"
    if isinstance(v, float) and abs(v) < 1 and v != 0:
        return f"{v:.1%}".replace(".", ",")
    if isinstance(v, (int, float)):
        return number_text(v)
    return "" if v is None else str(v)


def _check_request(ds: Dataset, municipalities, split: str) -> tuple[list[str], str]:
    """The members (at least two) and the split, refused before any tree is solved when wrong."""
    members = sorted(dict.fromkeys(ds.codes(municipalities)))
    if len(members) < 2:
        given = ", ".join(f"{c} {ds.kommuner.at[c, 'kommunenavn']}" for c in members) or "none"
        raise NettverkError(
            f"shared digging needs at least two municipalities (got {given}); name the partners too"
        )
    split_kind = split.strip().lower()
    if split_kind not in ("bird", "shapley", "population") and "/" not in split_kind:
        raise NettverkError(
            f"unknown split {split!r}; use one of {', '.join(SPLITS)} (or any a/b hybrid)"
        )
    if "/" in split_kind:
        from .allocation import parse_key

        parse_key(split_kind)
    return members, split_kind


def _hub_point(
    ds: Dataset, st: gpd.GeoDataFrame, members: list[str], hub
) -> tuple[shapely.Point, str]:
    """Where every site connects to: the given hub, or the centre of the most populous member."""
    k = ds.kommuner
    if hub is None:
        big = max(members, key=lambda c: (int(k.at[c, "innbyggere"]), c))
        centre = st[(st["kommunenummer"] == big) & (st["type"] == "senter")]
        hub_pt = (centre if len(centre) else st[st["kommunenummer"] == big]).geometry.iloc[0]
        return hub_pt, f"{big} {k.at[big, 'kommunenavn']}"
    if isinstance(hub, tuple):
        return shapely.Point(hub), f"({hub[0]:.0f}, {hub[1]:.0f})"
    from .graph import centres

    hc = ds.code(hub)
    return centres(ds)[hc], f"{hc} {k.at[hc, 'kommunenavn']}"


def _shared_segments(
    T: nx.Graph,
    G: nx.Graph,
    st: gpd.GeoDataFrame,
    members: list[str],
    hub_node,
    hub_pt,
    hub_snap: float,
    snap_rate: float,
    hub_connected: bool,
) -> tuple[gpd.GeoDataFrame, dict]:
    """The shared tree as drawn segments (with whom each serves) and Bird's split of its cost."""
    parent = dict(nx.bfs_predecessors(T, hub_node))
    serves_edge: dict[frozenset, set] = {}
    for (
        r
    ) in st.itertuples():  # who each edge serves: the members whose sites reach the hub through it
        v = r.node
        while v != hub_node:
            u = parent[v]
            serves_edge.setdefault(frozenset((u, v)), set()).add(r.kommunenummer)
            v = u
    roads = G.graph["roads"]
    rows, geoms = [], []
    bird = dict.fromkeys(members, 0.0)
    for u, v, d in T.edges(data=True):
        serves = sorted(serves_edge.get(frozenset((u, v)), set()))
        for c in serves:
            bird[c] += d["weight"] / len(serves)
        rows.append(
            {
                "length_m": round(d["length_m"], 1),
                "cost_nok": round(d["weight"], 1),
                "kind": d["kind"],
                "road": d["road"],
                "serves": ",".join(serves),
                "n_serves": len(serves),
            }
        )
        geoms.append(d.get("geom", roads.geometry.iloc[d["road"]]))
    for r in st.itertuples():
        if r.snap_m > 0:
            bird[r.kommunenummer] += r.snap_nok
            rows.append(
                {
                    "length_m": r.snap_m,
                    "cost_nok": r.snap_nok,
                    "kind": "tilknytning",
                    "road": -1,
                    "serves": r.kommunenummer,
                    "n_serves": 1,
                }
            )
            geoms.append(
                shapely.LineString(
                    [(r.geometry.x, r.geometry.y), (G.nodes[r.node]["x"], G.nodes[r.node]["y"])]
                )
            )
    if hub_snap > 0 and not hub_connected:
        for c in members:
            bird[c] += hub_snap * snap_rate / len(members)
        rows.append(
            {
                "length_m": round(hub_snap, 1),
                "cost_nok": round(hub_snap * snap_rate, 1),
                "kind": "tilknytning",
                "road": -1,
                "serves": ",".join(members),
                "n_serves": len(members),
            }
        )
        geoms.append(
            shapely.LineString(
                [(hub_pt.x, hub_pt.y), (G.nodes[hub_node]["x"], G.nodes[hub_node]["y"])]
            )
        )
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.CRS), bird


def _bird_split(members, bird, coalition_cost, pop, total, exact_max, samples):
    return pd.Series(bird), None


def _shapley_split(members, bird, coalition_cost, pop, total, exact_max, samples):
    return shapley_values(members, coalition_cost, exact_max=exact_max, samples=samples)


def _key_split(split_kind):
    """A split by a key: ``population``, or a hybrid ``a/b`` (equal part / by population)."""
    from .allocation import parse_key

    kind = "population" if split_kind == "population" else "hybrid"
    _, eq = parse_key(split_kind) if kind == "hybrid" else ("population", 0.0)

    def split(members, bird, coalition_cost, pop, total, exact_max, samples):
        return key_shares(members, kind=kind, population=pop, equal_part=eq) * total, None

    return split


#: How the shared tree's cost is split, by name; any other name is a key (population, a/b).
SPLITS = {"bird": _bird_split, "shapley": _shapley_split}


def _split_shares(
    split_kind: str,
    members: list[str],
    bird: dict,
    coalition_cost,
    pop: dict,
    total: float,
    shapley_exact_max: int,
    shapley_samples: int,
) -> tuple[pd.Series, pd.Series | None]:
    """Each member's share of the shared cost under the chosen split (:data:`SPLITS`, or a key),
    summing exactly to the total; and the sampling error where Shapley values are sampled."""
    split = SPLITS.get(split_kind) or _key_split(split_kind)
    share, err = split(
        members, bird, coalition_cost, pop, total, shapley_exact_max, shapley_samples
    )
    return share * (total / share.sum()), err


def _standalone(
    members: list[str],
    tree_for,
    snap_cost,
    st: gpd.GeoDataFrame,
    hub_snap: float,
    hub_at: set,
    roads: gpd.GeoDataFrame,
) -> tuple[dict, dict, gpd.GeoDataFrame]:
    """Each member digging alone to the hub: NOK, metres and the route."""
    rows, geoms = [], []
    standalone, standalone_m = {}, {}
    for c in members:
        T = tree_for([c])
        standalone[c] = sum(d["weight"] for *_, d in T.edges(data=True)) + snap_cost([c])
        standalone_m[c] = (
            sum(d["length_m"] for *_, d in T.edges(data=True))
            + float(st.loc[st["kommunenummer"] == c, "snap_m"].sum())
            + (0.0 if c in hub_at else hub_snap)
        )
        for u, v, d in T.edges(data=True):
            rows.append(
                {
                    "kommunenummer": c,
                    "length_m": d["length_m"],
                    "cost_nok": d["weight"],
                    "kind": d["kind"],
                }
            )
            geoms.append(d.get("geom", roads.geometry.iloc[d["road"]]))
    return standalone, standalone_m, gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.CRS)


def _per_municipality(
    k: gpd.GeoDataFrame,
    st: gpd.GeoDataFrame,
    members: list[str],
    pop: dict,
    standalone: dict,
    standalone_m: dict,
    share: pd.Series,
    err,
    check,
) -> pd.DataFrame:
    """One row per member: alone, its share, the saving, per site, whether it pays more than
    alone."""
    n_sites = st.groupby("kommunenummer").size()
    per = pd.DataFrame(
        {
            "kommunenummer": members,
            "kommunenavn": [k.at[c, "kommunenavn"] for c in members],
            "innbyggere": [pop[c] for c in members],
            "sites": [int(n_sites.get(c, 0)) for c in members],
            "standalone_m": [round(standalone_m[c], 1) for c in members],
            "standalone_nok": [round(standalone[c], 1) for c in members],
            "share_nok": [round(float(share[c]), 1) for c in members],
        }
    )
    if err is not None:
        per["share_stderr_nok"] = [round(float(err[c]), 1) for c in members]
    per["saving_nok"] = (per["standalone_nok"] - per["share_nok"]).round(1)
    per["share_per_site_nok"] = (per["share_nok"] / per["sites"]).round(1)
    per["pays_more_than_alone"] = per["kommunenummer"].isin(list(check.losers))
    return per


def _totals(
    k: gpd.GeoDataFrame,
    st: gpd.GeoDataFrame,
    members: list[str],
    pop: dict,
    hub_label: str,
    split_kind: str,
    segments: gpd.GeoDataFrame,
    standalone: dict,
    standalone_m: dict,
    check,
    costs: CostModel,
) -> dict:
    """The totals of a shared digging result, with the split's verdict."""
    total_shared = float(segments["cost_nok"].sum())
    standalone_total = float(sum(standalone.values()))
    return {
        "municipalities": members,
        "hub": hub_label,
        "split": split_kind,
        "sites": int(len(st)),
        "shared_m": round(float(segments["length_m"].sum()), 1),
        "standalone_m": round(float(sum(standalone_m.values())), 1),
        "shared_nok": round(total_shared, 1),
        "standalone_nok": round(standalone_total, 1),
        "saving_nok": round(standalone_total - total_shared, 1),
        "saving_share": round((standalone_total - total_shared) / standalone_total, 4)
        if standalone_total
        else 0.0,
        "shared_nok_per_site": round(total_shared / len(st), 1),
        "standalone_nok_per_site": round(standalone_total / len(st), 1),
        "shared_nok_per_inhabitant": round(total_shared / sum(pop.values()), 2),
        "annual_shared_nok": round(costs.annuity(total_shared), 1),
        "win_win": check.win_win,
        "verdict": check.describe(k["kommunenavn"].to_dict()),
        "objecting_group": list(check.objecting),
        "objecting_excess_nok": round(check.excess, 1),
        "core_checked": check.in_core is not None,
        "sea_crossings": int((segments["kind"] == "sjø").sum()),
    }


def _site_graph(
    ds: Dataset, st: gpd.GeoDataFrame, hub_pt, routes, costs: CostModel, corridors: nx.Graph | None
):
    """The corridor graph with every site and the hub attached.

    Returns (graph, sites with node and trench, hub node, the hub's trench in metres, the trench
    rate in NOK/m). Sites too far from any road are refused by name.
    """
    pts = [shapely.Point(p.x, p.y) for p in st.geometry] + [hub_pt]
    labels = [str(i) for i in st["id"]] + ["hub"]
    if corridors is not None:
        G, snapped = _snap(corridors, pts, labels)
    else:
        # the roads around the sites first; the whole network when the nearby part does not
        # join them (a road or ferry that leaves the area between two sites)
        G, snapped = _snap(
            corridor_graph(_near(ds, st, hub_pt), routes=routes, costs=costs), pts, labels
        )
        ends = {n for n, _ in snapped}
        if not ends <= nx.node_connected_component(G, snapped[-1][0]):
            G, snapped = _snap(corridor_graph(ds, routes=routes, costs=costs), pts, labels)
    too_far = [(lab, d) for lab, (_, d) in zip(labels, snapped) if d > settings.SITE_SNAP_MAX_M]
    if too_far:
        raise DataValidationError(
            f"site(s) more than {settings.SITE_SNAP_MAX_M / 1000:.0f} km from any road or ferry: "
            + ", ".join(f"{s} ({d / 1000:.1f} km)" for s, d in too_far)
            + "; add corridors (veger) or move the sites"
        )
    far = [(lab, d) for lab, (_, d) in zip(labels, snapped) if d > settings.SITE_SNAP_WARN_M]
    if far:
        warnings.warn(
            "site(s) far from the road network, connected by a straight trench: "
            + ", ".join(f"{s} ({d / 1000:.1f} km)" for s, d in far),
            UserWarning,
            stacklevel=3,
        )
    snap_rate = costs.trench_rural_nok_m + costs.cable_nok_m
    st = st.copy()
    st["node"] = [n for n, _ in snapped[:-1]]
    st["snap_m"] = [round(d, 1) for _, d in snapped[:-1]]
    st["snap_nok"] = (st["snap_m"] * snap_rate).round(1)
    hub_node, hub_snap = snapped[-1]
    return G, st, hub_node, hub_snap, snap_rate


def shared_digging(
    ds: Dataset,
    municipalities: Municipalities,
    *,
    hub: Municipality | None = None,
    sites: gpd.GeoDataFrame | None = None,
    routes: gpd.GeoDataFrame | None = None,
    costs: CostModel | str | None = None,
    split: str = "bird",
    corridors: nx.Graph | None = None,
    shapley_exact_max: int = 10,
    shapley_samples: int = 300,
    progress: bool | None = None,
) -> DiggingResult:
    """Connect every site of some municipalities to a hub over one shared tree.

    Parameters
    ----------
    ds : Dataset
    municipalities : codes or names
    hub : code, name or (x, y), optional
        Where every site connects to; default: the centre of the most populous member.
    sites : GeoDataFrame or path, optional
        Sites to connect (default: ``ds.steder``, one centre per municipality).
    routes : GeoDataFrame or path, optional
        Existing routes, reused at the reduced cost (default: ``ds.ruter``).
    costs : CostModel or path to TOML, optional
    split : {"bird", "shapley", "population", "30/70"}
        How the shared tree's cost is split (any ``a/b`` hybrid works too).
    corridors : networkx.Graph, optional
        A precomputed :func:`corridor_graph`.
    shapley_exact_max, shapley_samples : int
        Shapley is exact up to this many members, else sampled from this many orders.
    progress : bool, optional
        Show a progress bar while the sub-groups' trees are solved (the Shapley split and the
        core check solve one tree per sub-group: 1 023 for 10 members). Default:
        ``settings.PROGRESS``.

    Returns
    -------
    DiggingResult

    Examples
    --------
    >>> ds = nv.load_default()
    >>> r = shared_digging(ds, ["Gol", "Ål", "Hol"], hub="Gol")
    >>> r.totals["shared_nok"] <= r.totals["standalone_nok"]
    True
    >>> round(r.per_municipality["share_nok"].sum()) == round(r.totals["shared_nok"])
    True
    """
    costs = as_cost_model(costs)
    members, split_kind = _check_request(ds, municipalities, split)
    st = _sites(ds, members, sites)
    k = ds.kommuner
    hub_pt, hub_label = _hub_point(ds, st, members, hub)
    G, st, hub_node, hub_snap, snap_rate = _site_graph(ds, st, hub_pt, routes, costs, corridors)
    trees = _Coalitions(G, st, members, hub_node, hub_label, hub_pt, hub_snap * snap_rate)
    show = settings.PROGRESS if progress is None else progress
    n_coalitions = 2 ** len(members) - 1 if len(members) <= max(10, shapley_exact_max) else None
    if show and (n_coalitions is None or n_coalitions > 64):
        from tqdm.auto import tqdm

        trees.bar = tqdm(
            total=n_coalitions, desc="Steinertrær for delgrupper", unit="tre", leave=False
        )
    shared_T = trees.tree(members)
    trees.cache[frozenset(members)] = _tree_weight(shared_T) + trees.snap_cost(members)
    segments, bird = _shared_segments(
        shared_T, G, st, members, hub_node, hub_pt, hub_snap, snap_rate, bool(trees.hub_at)
    )
    standalone, standalone_m, standalone_segments = _standalone(
        members, trees.tree, trees.snap_cost, st, hub_snap, trees.hub_at, G.graph["roads"]
    )
    trees.cache.update({frozenset([c]): standalone[c] for c in members})
    pop = {c: int(k.at[c, "innbyggere"]) for c in members}
    share, err = _split_shares(
        split_kind,
        members,
        bird,
        trees.cost,
        pop,
        float(segments["cost_nok"].sum()),
        shapley_exact_max,
        shapley_samples,
    )
    check = core_check(share.to_dict(), trees.cost, max_players=10 if len(members) <= 10 else 0)
    if trees.bar is not None:
        trees.bar.close()
    per = _per_municipality(k, st, members, pop, standalone, standalone_m, share, err, check)
    totals = _totals(
        k, st, members, pop, hub_label, split_kind, segments, standalone, standalone_m, check, costs
    )
    return DiggingResult(segments, per, totals, standalone_segments, st)


def _tree_weight(T: nx.Graph) -> float:
    return sum(d["weight"] for *_, d in T.edges(data=True))


class _Coalitions:
    """The tree and cost of any group of members to the hub, each solved once.

    The Shapley split and the core check ask for every sub-group's cost; ``cost`` caches them
    (and moves ``bar`` on). A hub at a member's own site is connected by that site's trench, so
    the hub's trench is counted only for groups without that member.
    """

    def __init__(
        self,
        G: nx.Graph,
        st: gpd.GeoDataFrame,
        members: list[str],
        hub_node,
        hub_label: str,
        hub_pt,
        hub_trench_nok: float,
    ):
        self.G, self.st, self.hub_node, self.hub_label = G, st, hub_node, hub_label
        self.arrays = _Graph.from_networkx(G, "weight")  # one conversion for every sub-group
        self.site_nodes = {
            c: sorted(set(st.loc[st["kommunenummer"] == c, "node"])) for c in members
        }
        hub_key = (round(hub_pt.x), round(hub_pt.y))
        self.hub_at = {
            r.kommunenummer
            for r in st.itertuples()
            if (round(r.geometry.x), round(r.geometry.y)) == hub_key
        }
        self.hub_trench_nok = hub_trench_nok
        self.cache: dict[frozenset, float] = {}
        self.bar = None

    def tree(self, coalition) -> nx.Graph:
        """The Steiner tree joining the coalition's sites and the hub; unreachable sites named."""
        terms = {self.hub_node}
        for c in coalition:
            terms.update(self.site_nodes[c])
        try:
            if len(terms) > 1:
                return _tree(self.G, self.arrays, sorted(terms), "weight")
            return steiner_tree(self.G, sorted(terms))
        except UnreachableError as exc:
            bad = [
                f"{r.id} ({r.kommunenummer})"
                for r in self.st.itertuples()
                if r.node in set(exc.unreachable)
            ]
            if self.hub_node in exc.unreachable:
                bad.append(f"hub {self.hub_label}")
            raise UnreachableError(
                f"no road or ferry connects {', '.join(bad) or 'some sites'} with the rest; add "
                "corridors or choose another hub",
                exc.unreachable,
            ) from exc

    def snap_cost(self, coalition) -> float:
        """The trenches from the coalition's sites (and the hub) to the corridors."""
        st = self.st
        own = float(st.loc[st["kommunenummer"].isin(coalition), "snap_nok"].sum())
        return own + (0.0 if self.hub_at & set(coalition) else self.hub_trench_nok)

    def cost(self, s: frozenset) -> float:
        """The coalition's cost alone: its tree plus its trenches to the corridors."""
        if s not in self.cache:
            if self.bar is not None:
                self.bar.update(1)
            self.cache[s] = _tree_weight(self.tree(sorted(s))) + self.snap_cost(s)
        return self.cache[s]


def _snap(G: nx.Graph, points: list, labels: list[str]) -> tuple[nx.Graph, list[tuple]]:
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


def _near(ds: Dataset, st: gpd.GeoDataFrame, hub_pt) -> Dataset:
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


def digging_sensitivity(
    ds: Dataset,
    municipalities,
    *,
    hub=None,
    sites=None,
    routes=None,
    costs: CostModel | str | None = None,
    split: str = "bird",
    progress: bool | None = None,
) -> pd.DataFrame:
    """The shared cost and the saving at low, base and high unit costs, each range with its source.

    Rows: the base case, every digging parameter at its low and at its high value on its own
    (one at a time, for a tornado plot), and all of them low and all high together. The tree is
    solved anew for each row, so a cheaper sea crossing may change the route.

    Examples
    --------
    >>> s = digging_sensitivity(nv.load_default(), ["Gol", "Ål"], hub="Gol")
    >>> list(s["scenario"][:1]), bool((s["shared_nok"] > 0).all())
    (['basis'], True)
    >>> lo = s.set_index("scenario").loc["alle lave", "shared_nok"]
    >>> hi = s.set_index("scenario").loc["alle høye", "shared_nok"]
    >>> bool(lo < s.loc[0, "shared_nok"] < hi)
    True
    """
    from .costs import RANGES

    base = as_cost_model(costs)
    cases = [("basis", "", "", base)]
    for name in RANGES:
        for level in ("low", "high"):
            cases.append(
                (
                    f"{name} {('lav' if level == 'low' else 'høy')}",
                    name,
                    level,
                    base.at(level, [name]),
                )
            )
    cases += [
        ("alle lave", "*", "low", base.at("low")),
        ("alle høye", "*", "high", base.at("high")),
    ]
    it = cases
    show = settings.PROGRESS if progress is None else progress
    if show:
        from tqdm.auto import tqdm

        it = tqdm(cases, desc="Følsomhet: løser trærne", unit="tilfelle", leave=False)
    rows = []
    for label, name, level, model in it:
        r = shared_digging(
            ds,
            municipalities,
            hub=hub,
            sites=sites,
            routes=routes,
            costs=model,
            split=split,
            progress=False,
        )
        t = r.totals
        value = getattr(model, name) if name not in ("", "*") else None
        source = (
            RANGES[name][3]
            if name in RANGES
            else ("alle parametre på sin verdi" if name == "*" else "standardverdiene")
        )
        rows.append(
            {
                "scenario": label,
                "parameter": name or "basis",
                "level": level or "base",
                "value": value,
                "shared_nok": round(t["shared_nok"], 1),
                "standalone_nok": round(t["standalone_nok"], 1),
                "saving_nok": round(t["saving_nok"], 1),
                "saving_share": round(t["saving_share"], 4),
                "source": source,
            }
        )
    return pd.DataFrame(rows)


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

    from .graph import centres

    G = graph if graph is not None else corridor_graph(ds)
    cen = centres(ds)
    H, snapped = _snap(G, list(cen.values), list(cen.index))
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
