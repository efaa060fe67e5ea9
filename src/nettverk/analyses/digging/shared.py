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

import geopandas as gpd
import networkx as nx
import pandas as pd
import shapely
import shapely.ops

from nettverk import settings
from nettverk._errors import DataValidationError, NettverkError, UnreachableError
from nettverk._types import Municipalities, Municipality
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import did_you_mean
from nettverk.models.allocation import core_check, key_shares, shapley_values
from nettverk.models.costs import CostModel, as_cost_model
from nettverk.models.trench import around, corridor_graph, snap_points
from nettverk.solvers.steiner import prepare, steiner_tree, tree_on

from .result import (
    DiggingResult,
    _households,
    _per_municipality,
    _shared_segments,
    _standalone,
    _totals,
)

__all__ = ["shared_digging", "steiner_instance", "SPLITS"]

SPLITS = ("bird", "shapley", "population", "30/70")


#: What ``sites`` may name instead of a table: the centres (default), the settlements (contiguous
#: cells with at least 200 residents), or the households lacking gigabit.
SITE_KINDS = ("centres", "settlements", "households")


def _sites(ds: Dataset, members: list[str], sites) -> gpd.GeoDataFrame:
    if isinstance(sites, str) and sites in SITE_KINDS:
        return _named_sites(ds, members, sites)
    if sites is None:
        st = ds.steder
    elif isinstance(sites, gpd.GeoDataFrame):
        st = sites.to_crs(settings.CRS)
    else:
        from nettverk.data.checks import Report, check_steder
        from nettverk.data.io import read_table

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


def _named_sites(ds: Dataset, members: list[str], kind: str) -> gpd.GeoDataFrame:
    """The sites a name stands for: centres, settlements or households lacking gigabit."""
    if kind == "centres":
        return _sites(ds, members, None)
    if kind == "households":
        from nettverk.network.demand import household_demand

        st = _reachable(ds, household_demand(ds, members))
    else:
        from nettverk.network.settlements import settlements

        s = settlements(ds)
        st = s[s["kommunenummer"].isin(members)].copy()
        st["type"], st["kilde"] = "tettsted", "SSB 250 m"
        st.attrs = {"rule": "tettsteder: sammenhengende ruter med minst 200 bosatte"}
    missing = sorted(set(members) - set(st["kommunenummer"]))
    if missing:
        # a member with no settlement (or no household without gigabit) keeps its centre
        centre = _sites(ds, missing, None)
        attrs = st.attrs
        st = gpd.GeoDataFrame(pd.concat([st, centre], ignore_index=True), crs=settings.CRS)
        st.attrs = attrs
    out = st.sort_values(["kommunenummer", "id"]).reset_index(drop=True)
    out.attrs = st.attrs
    return out


def _fibre_points(ds: Dataset, members: list[str], st: gpd.GeoDataFrame) -> list:
    """Where fibre already is: every settlement of the members (about 91 % of households have
    fibre, nearly all in settlements), each member's centre, and the served rural squares of the
    estimate (the households near a settlement)."""
    from nettverk.network.settlements import settlements

    s = settlements(ds)
    pts = list(s.loc[s["kommunenummer"].isin(members), "geometry"])
    served = list(st.attrs.get("served", []))
    return pts + list(_sites(ds, members, None).geometry) + served


def _reachable(ds: Dataset, st: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Demand points the network can reach: within ``SITE_SNAP_MAX_M`` of a road, on its largest
    part. The others are listed in ``attrs["not_reached"]`` with why, never silently dropped."""
    from nettverk.network.roads import network

    net = network(ds)
    s = net.snap(st.geometry)
    part = net.components()[net.edges["u"].to_numpy()[s.edge]]
    far = s.dist_m > settings.SITE_SNAP_MAX_M
    cut = (part != 0) & ~far
    attrs = dict(st.attrs)
    attrs["not_reached"] = list(attrs.get("not_reached", [])) + [
        {
            "id": r.id,
            "kommunenummer": r.kommunenummer,
            "husstander": float(r.husstander),
            "hvorfor": f"{d / 1000:.0f} km fra nærmeste veg"
            if f
            else "på en del av vegnettet uten forbindelse til resten (øy uten ferje i dataene)",
        }
        for r, d, f, c in zip(st.itertuples(), s.dist_m, far, cut)
        if f or c
    ]
    out = st[~(far | cut)].reset_index(drop=True)
    out.attrs = attrs
    return out


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
            f"unknown split {split!r}{did_you_mean(split, ('bird', 'shapley', 'population'))}; "
            "use one of bird, shapley, population (or an a/b hybrid such as 30/70)"
        )
    if "/" in split_kind:
        from nettverk.models.allocation import parse_key

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
        return hub_pt, str(k.at[big, "kommunenavn"])
    if isinstance(hub, tuple):
        return shapely.Point(hub), f"({hub[0]:.0f}, {hub[1]:.0f})"
    from nettverk.network.sites import centres

    hc = ds.code(hub)
    if hc not in members:
        warnings.warn(
            f"hub {hc} {k.at[hc, 'kommunenavn']} is not one of the municipalities: digging to it "
            "as a point outside the group (a data centre elsewhere?), its trench shared by all; "
            "name a member as --hub if that was meant",
            UserWarning,
            stacklevel=3,
        )
    return centres(ds)[hc], str(k.at[hc, "kommunenavn"])


def _bird_split(members, bird, coalition_cost, pop, total, exact_max, samples):
    return pd.Series(bird), None


def _shapley_split(members, bird, coalition_cost, pop, total, exact_max, samples):
    return shapley_values(members, coalition_cost, exact_max=exact_max, samples=samples)


def _key_split(split_kind):
    """A split by a key: ``population``, or a hybrid ``a/b`` (equal part / by population)."""
    from nettverk.models.allocation import parse_key

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


def _site_graph(
    ds: Dataset,
    st: gpd.GeoDataFrame,
    hub_pt,
    routes,
    costs: CostModel,
    corridors: nx.Graph | None,
    fibre: list | None = None,
):
    """The corridor graph with every site and the hub attached.

    Returns (graph, sites with node and trench, hub node, the hub's trench in metres, the trench
    rate in NOK/m). Sites too far from any road are refused by name. With ``fibre`` (points of
    existing fibre: the settlements, served), the hub is all of them at once: a node joined to
    each by existing fibre at no cost, so every site digs to the nearest.
    """
    if fibre:
        hub_pt = fibre[0]
    pts = [shapely.Point(p.x, p.y) for p in st.geometry] + list(fibre or []) + [hub_pt]
    labels = (
        [str(i) for i in st["id"]]
        + [f"eksisterende fiber {i + 1}" for i in range(len(fibre or []))]
        + ["hub"]
    )
    if corridors is not None:
        G, snapped = snap_points(corridors, pts, labels)
    else:
        # the roads around the sites first; the whole network when the nearby part does not
        # join them (a road or ferry that leaves the area between two sites)
        near = corridor_graph(ds, routes=routes, costs=costs, within=around(pts))
        G, snapped = snap_points(near, pts, labels)
        ends = {n for n, _ in snapped}
        if not ends <= nx.node_connected_component(G, snapped[-1][0]):
            G, snapped = snap_points(corridor_graph(ds, routes=routes, costs=costs), pts, labels)
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
    n = len(st)
    st["node"] = [node for node, _ in snapped[:n]]
    st["snap_m"] = [round(d, 1) for _, d in snapped[:n]]
    st["snap_nok"] = (st["snap_m"] * snap_rate).round(1)
    hub_node, hub_snap = snapped[-1]
    if fibre:
        hub_node, hub_snap = ("fiber",), 0.0
        for node, _ in snapped[n:-1]:
            G.add_edge(hub_node, node, weight=0.0, length_m=0.0, kind="eksisterende", road=-1)
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
    sites : GeoDataFrame, path or {"centres", "settlements", "households"}, optional
        Sites to connect: default (``centres``) ``ds.steder``, one centre per municipality;
        ``settlements`` every settlement of at least 200 residents; ``households`` the households
        lacking gigabit (the county's own mapping where ``steder`` has ``husstander``, else the
        estimate of :func:`nettverk.network.demand.household_demand`).
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
    >>> round(r.per_municipality["dig_share_nok"].sum()) == round(r.totals["shared_nok"])
    True
    """
    costs = as_cost_model(costs)
    members, split_kind = _check_request(ds, municipalities, split)
    k = ds.kommuner
    G, st, hub_node, hub_snap, snap_rate, hub_pt, hub_label = _problem(
        ds, members, hub, sites, routes, costs, corridors
    )
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
    if "husstander" in st.columns:
        _households(per, totals, st, costs)
    return DiggingResult(segments, per, totals, standalone_segments, st)


def _problem(ds: Dataset, members: list[str], hub, sites, routes, costs: CostModel, corridors):
    """The graph every tree of one request is solved on, with its sites and hub."""
    st = _sites(ds, members, sites)
    hub_pt, hub_label = _hub_point(ds, st, members, hub)
    households = isinstance(sites, str) and sites == "households"
    fibre = _fibre_points(ds, members, st) if households and hub is None else None
    if fibre:
        hub_label = "nærmeste eksisterende fiber (tettstedene)"
    G, st, hub_node, hub_snap, snap_rate = _site_graph(
        ds, st, hub_pt, routes, costs, corridors, fibre
    )
    return G, st, hub_node, hub_snap, snap_rate, hub_pt, hub_label


def steiner_instance(
    ds: Dataset,
    municipalities: Municipalities,
    *,
    hub: Municipality | None = None,
    sites: gpd.GeoDataFrame | str | None = None,
    routes: gpd.GeoDataFrame | None = None,
    costs: CostModel | str | None = None,
) -> tuple[nx.Graph, list]:
    """The Steiner problem :func:`shared_digging` solves for the whole group: the graph (NOK per
    edge in ``weight``) and the terminals (every site's node and the hub), for benchmarks.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> G, terms = steiner_instance(ds, ["Gol", "Ål"], hub="Gol")
    >>> len(terms), all(t in G for t in terms)   # the hub is Gol's own centre
    (2, True)
    """
    costs = as_cost_model(costs)
    members = sorted(dict.fromkeys(ds.codes(municipalities)))
    G, st, hub_node, *_ = _problem(ds, members, hub, sites, routes, costs, None)
    return G, sorted(set(st["node"]) | {hub_node}, key=str)


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
        self.arrays = prepare(G, "weight")  # one conversion for every sub-group
        self.site_nodes = {
            # nodes are (x, y) or ("sted", id) where a site split an edge: sort as text
            c: sorted(set(st.loc[st["kommunenummer"] == c, "node"]), key=str)
            for c in members
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
                return tree_on(self.G, self.arrays, sorted(terms, key=str), "weight")
            return steiner_tree(self.G, sorted(terms, key=str))
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
    >>> list(s["scenario"][:1]), bool((s["dig_shared_nok"] > 0).all())
    (['basis'], True)
    >>> lo = s.set_index("scenario").loc["alle lave", "dig_shared_nok"]
    >>> hi = s.set_index("scenario").loc["alle høye", "dig_shared_nok"]
    >>> bool(lo < s.loc[0, "dig_shared_nok"] < hi)
    True
    """
    from nettverk.models.costs import RANGES, sensitivity_cases

    base = as_cost_model(costs)
    cases = sensitivity_cases(base, RANGES)
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
                "dig_shared_nok": round(t["shared_nok"], 1),
                "dig_alone_nok": round(t["standalone_nok"], 1),
                "dig_saving_nok": round(t["saving_nok"], 1),
                "saving_share": round(t["saving_share"], 4),
                "source": source,
            }
        )
    return pd.DataFrame(rows)
