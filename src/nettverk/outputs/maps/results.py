"""Maps of analysis results: clusters, a shared trench, a join."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from nettverk.data.columns import percent_text
from nettverk.data.dataset import Dataset
from nettverk.network.sites import centres
from nettverk.outputs.styles import KIND_COLOURS, KIND_NAMES, SITE_COLOUR, distinct_colours

from .base import (
    _base,
    _display,
    _fill_style,
    _fmt,
    _geojson,
    _host_marker,
    _layer_control,
    _legend,
    _names,
    _tolerance,
)

if TYPE_CHECKING:
    from nettverk.analyses.digging.result import DiggingResult
    from nettverk.analyses.joining.context import JoiningResult

__all__ = ["clusters_map", "dig_map", "join_map"]


#: The clusters' tooltip: column -> label.
_CLUSTER_FIELDS = {
    "cluster_id": "Klynge",
    "member_names": "Kommuner",
    "innbyggere": "Innbyggere",
    "standalone_nok_mnok": "Alene (MNOK/år)",
    "joint_nok_mnok": "Felles drift (MNOK/år)",
    "overhead_nok_mnok": "Koordinering (MNOK/år)",
    "travel_nok_mnok": "Reise og spredning (MNOK/år)",
    "net_gain_nok_mnok": "Netto gevinst (MNOK/år)",
    "affinity_mean": "Tilknytning, snitt per par (partnermodellen)",
    "score": "Modellskår (partnermodellen)",
    "largest_share": "Største kommunes andel",
    "shared_collaborations": "Felles samarbeid",
    "alone": "Alene",
    "alone_reason": "Hvorfor alene",
    "apart_reason": "Hvorfor egen klynge",
}


def clusters_map(
    clusters: gpd.GeoDataFrame,
    *,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
    title: str | None = None,
    ds: Dataset | None = None,
) -> folium.Map:
    """Clusters coloured with the municipal borders inside them and names on the map; tooltips with
    the score parts.

    ``ds`` (default: the embedded data) gives the municipalities' borders, names and the title's
    region.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> res = nv.candidate_clusters(ds, counties=["Buskerud"], max_members=5)
    >>> m = clusters_map(res, tiles=None)
    >>> [c.layer_name for c in m._children.values() if getattr(c, "layer_name", None)]
    ['Klynger', 'Kommunegrenser', 'Navn']
    """
    if ds is None:
        from nettverk.data.loading import load_default

        ds = load_default()
    codes = [c for mm in clusters["members"] for c in mm.split(",") if c in ds.kommuner.index]
    if title is None:
        counties = sorted(set(ds.kommuner.loc[codes, "fylkesnavn"].astype(str)))
        region = ", ".join(counties) if len(counties) <= 3 else f"{len(counties)} fylker"
        title = f"Kandidatklynger – {region}"
    m = _base(clusters, m, tiles, title)
    disp = _display(clusters, _tolerance(clusters))
    disp["farge"] = [
        "#bbbbbb" if alone else c
        for c, alone in zip(distinct_colours(disp.geometry), disp["alone"])
    ]
    for c in ("standalone_nok", "joint_nok", "overhead_nok", "travel_nok", "net_gain_nok"):
        disp[c + "_mnok"] = disp[c] / 1e6
    _geojson(disp, "Klynger", _CLUSTER_FIELDS, _fill_style("#222", 2.5, 0.65)).add_to(m)
    inner = _display(
        ds.kommuner.loc[codes, ["kommunenavn", "geometry"]].reset_index(), _tolerance(clusters)
    )
    _geojson(
        inner,
        "Kommunegrenser",
        {"kommunenavn": "Kommune"},
        lambda f: {"fill": False, "color": "#ffffff", "weight": 1, "opacity": 0.9},
        highlight=False,
    ).add_to(m)
    _names(
        m,
        centres(ds).loc[codes],
        ds.kommuner.loc[codes, "kommunenavn"],
        weight=ds.kommuner.loc[codes, "innbyggere"],
    )
    items = [
        (c, f"{cid}: {names}")
        for c, cid, names, alone in zip(
            disp["farge"], disp["cluster_id"], disp["member_names"], disp["alone"]
        )
        if not alone
    ][:16]
    if disp["alone"].any():
        items.append(("#bbbbbb", "alene (se Hvorfor alene i verktøytipset)"))
    gap = clusters.attrs.get("gap")
    proof = (
        ""
        if gap is None
        else (
            " – beste inndeling under partnermodellen (bevist)"
            if gap == 0
            else f" – inntil {percent_text(gap, 1)} fra beste under partnermodellen"
        )
    )
    _legend(m, "Klynger" + proof, items)
    _layer_control(m)
    return m


def dig_map(
    result: DiggingResult,
    *,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
    standalone: bool = True,
    ds: Dataset | None = None,
) -> folium.Map:
    """Shared digging: segments by kind with cost, sites and hub; each municipality alone as layers.

    With households as sites (``sites="households"``) and ``ds`` given, the population grid is a
    layer too: residents per 250 m cell and the expected households lacking gigabit.

    Examples
    --------
    >>> r = nv.shared_digging(nv.load_default(), ["Gol", "Ål"], hub="Gol")
    >>> m = dig_map(r, tiles=None)
    >>> [c.layer_name for c in m._children.values() if getattr(c, "layer_name", None)]
    ['Felles trasé', 'Hver for seg (sammenligning)', 'Steder', 'Navn']
    """
    seg = result.segments
    t = result.totals
    m = _base(seg, m, tiles, f"Felles graving til {t['hub']}")
    disp = seg.to_crs(4326)
    disp["farge"] = disp["kind"].map(KIND_COLOURS)
    disp["kind_navn"] = disp["kind"].map(KIND_NAMES)
    fields = {
        "kind_navn": "Type",
        "length_m": "Lengde (m)",
        "cost_nok": "Kostnad (kr)",
        "serves": "Betjener",
    }
    _geojson(
        disp,
        "Felles trasé",
        fields,
        lambda f: {"color": f["properties"]["farge"], "weight": 4, "opacity": 0.9},
    ).add_to(m)
    if standalone and len(result.standalone_segments):
        alone = result.standalone_segments.to_crs(4326)
        fg = folium.FeatureGroup(name="Hver for seg (sammenligning)", show=False)
        _geojson(
            alone,
            "Alene",
            {"kommunenummer": "Kommune", "length_m": "Lengde (m)", "cost_nok": "Kostnad (kr)"},
            lambda f: {"color": "#7f7f7f", "weight": 2, "dashArray": "4 4"},
            highlight=False,
        ).add_to(fg)
        fg.add_to(m)
    per = result.per_municipality.set_index("kommunenummer")
    households = "households_passed" in t
    if households and ds is not None:
        _grid_layer(ds, list(per.index)).add_to(m)
    sites = result.sites.to_crs(4326)
    _site_layer(sites, per).add_to(m)
    _hub_ring(m, sites, per, t["hub"])
    _dig_names(m, result.sites, sites, per, households)
    _dig_legend(m, t, set(seg["kind"]), households, grid=households and ds is not None)
    _layer_control(m)
    return m


def _hub_ring(m: folium.Map, sites: gpd.GeoDataFrame, per: pd.DataFrame, hub: str) -> None:
    """A black ring round the hub's site, where the hub is a member's centre."""
    names = per["kommunenavn"]
    hub_code = next((c for c in per.index if names[c] == hub), None)
    hp = sites[sites["kommunenummer"] == hub_code] if hub_code is not None else sites.iloc[:0]
    if len(hp):
        p0 = hp.geometry.iloc[0]
        folium.CircleMarker(
            [p0.y, p0.x],
            radius=11,
            color="#000",
            weight=3,
            fill=False,
            tooltip=f"Knutepunkt: {hub}",
        ).add_to(m)


def _dig_names(m, projected, sites, per: pd.DataFrame, households: bool) -> None:
    """Each site's municipality named; with households (many points per member) one name per
    municipality at its sites' middle."""
    named = sites
    if households:
        mid = projected.dissolve("kommunenummer").centroid.to_crs(4326)
        named = gpd.GeoDataFrame({"kommunenummer": mid.index}, geometry=mid.to_numpy(), crs=4326)
    _names(
        m,
        named.geometry.set_crs(4326, allow_override=True),
        [f"{per.loc[r.kommunenummer, 'kommunenavn']}" for r in named.itertuples()],
        weight=[per.loc[r.kommunenummer, "innbyggere"] for r in named.itertuples()]
        if "innbyggere" in per.columns
        else None,
    )


def _dig_legend(m: folium.Map, t: dict, kinds: set, households: bool, grid: bool) -> None:
    """The legend: trench kinds, sites, hub (and the grid), with the totals as its title."""
    items = [(c, KIND_NAMES[k]) for k, c in KIND_COLOURS.items() if k in kinds]
    what = "husstander uten gigabit (punkt per rute)" if households else "kommunesenter"
    items.append((SITE_COLOUR, f"sted som kobles til ({what})"))
    items.append(("#ffffff", f"knutepunkt: {t['hub']} (svart ring)"))
    if grid:
        items += [(c, f"rute: {label}") for c, label in _GRID_ITEMS]
    title = (
        f"Felles: {_fmt(t['shared_nok'])} kr, alene: {_fmt(t['standalone_nok'])} kr "
        f"(sparer {percent_text(round(t['saving_share'], 2) + 0.0)})"
    )
    if households:
        title += (
            f"; {_fmt(t['households_passed'])} husstander passert, "
            f"{_fmt(t['nok_per_household_passed'])} kr per husstand"
        )
    if t.get("private_m"):
        title += f"; {_fmt(t['private_m'])} m langs private veger"
    _legend(m, title, items)


#: The grid layer's colours: cells in a settlement, outside with fibre, outside lacking gigabit.
_GRID_ITEMS = [
    ("#bdbdbd", "tettsted (har fiber)"),
    ("#9ecae1", "spredtbygd, antatt med fiber"),
    ("#e6550d", "spredtbygd, antatt uten gigabit"),
]


def _grid_layer(ds: Dataset, members: list[str]) -> folium.FeatureGroup:
    """The 250 m population grid of the members: residents and expected households lacking
    gigabit per cell (the estimate of :func:`nettverk.network.demand.cell_demand`)."""
    from nettverk.network.demand import cell_demand

    cells = cell_demand(ds, members)
    half = cells["cell_m"].to_numpy(float) / 2
    x, y = cells["x"].to_numpy(float), cells["y"].to_numpy(float)
    import shapely

    geom = shapely.box(x - half, y - half, x + half, y + half)
    grid = gpd.GeoDataFrame(cells, geometry=geom, crs=ds.kommuner.crs).to_crs(4326)
    colours = np.where(
        grid["i_tettsted"],
        _GRID_ITEMS[0][0],
        np.where(grid["uten_tilbud"] > 0, _GRID_ITEMS[2][0], _GRID_ITEMS[1][0]),
    )
    grid["farge"] = colours
    grid["uten_tilbud"] = grid["uten_tilbud"].round(1)
    fg = folium.FeatureGroup(name="Befolkning (250 m ruter)", show=True)
    _geojson(
        grid,
        "Ruter",
        {"innbyggere": "Bosatte", "uten_tilbud": "Husstander uten gigabit (anslag)"},
        _fill_style("#00000000", 0, 0.55),
        highlight=False,
    ).add_to(fg)
    return fg


def _site_layer(sites: gpd.GeoDataFrame, per: pd.DataFrame) -> folium.FeatureGroup:
    """The sites to connect, each with its municipality's money in the tooltip."""
    fg = folium.FeatureGroup(name="Steder", show=True)
    for r in sites.itertuples():
        p = per.loc[r.kommunenummer]
        folium.CircleMarker(
            [r.geometry.y, r.geometry.x],
            radius=6,
            color="#000",
            weight=1,
            fill=True,
            fill_color=SITE_COLOUR,
            fill_opacity=1,
            tooltip=(
                f"{html.escape(str(r.navn))} ({p['kommunenavn']}): alene "
                f"{_fmt(p['dig_alone_nok'])} kr, "
                f"andel {_fmt(p['dig_share_nok'])} kr, sparer {_fmt(p['dig_saving_nok'])} kr"
            ),
        ).add_to(fg)
    return fg


def join_map(
    result: JoiningResult,
    ds: Dataset,
    *,
    top: int = 10,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
) -> folium.Map:
    """Joining: members (host marked), candidates coloured by rank, the verdict in tooltips.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> r = nv.joining_effect(ds, "ikt-agder", area="drift", digging=False)
    >>> m = join_map(r, ds, tiles=None, top=5)
    >>> [c.layer_name for c in m._children.values() if getattr(c, "layer_name", None)]
    ['Medlemmer', 'Kandidater (topp 5)', 'Navn', 'Rangering']
    """
    info = result.info
    cand = result.candidates
    members = info["members"]
    k = ds.kommuner
    focus = k.loc[list(members) + list(cand["candidate"].head(top))]
    m = _base(focus, m, tiles, f"Hvem kan bli med i {info['navn']} ({info['omrade']})?")
    mem = _display(k.loc[members].reset_index(), _tolerance(focus))
    _geojson(
        mem,
        "Medlemmer",
        {"kommunenavn": "Medlem", "innbyggere": "Innbyggere"},
        lambda f: {"fillColor": "#2171b5", "color": "#08306b", "weight": 1.5, "fillOpacity": 0.6},
    ).add_to(m)
    c = cand.head(top).copy()
    c = gpd.GeoDataFrame(c, geometry=k.geometry.reindex(c["candidate"]).values, crs=k.crs)
    disp = _candidate_display(c, _tolerance(focus), top)
    _geojson(
        disp,
        f"Kandidater (topp {top})",
        _JOIN_FIELDS,
        _fill_style("#333", 1, 0.75),
    ).add_to(m)
    host = info.get("hub")
    if host in k.index:
        p = centres(ds).to_crs(4326)[host]
        _host_marker(p, "#ffffff", f"Vert/nav: {k.at[host, 'kommunenavn']}").add_to(m)
    cen = centres(ds)
    _names(m, cen.loc[members], k.loc[members, "kommunenavn"], weight=k.loc[members, "innbyggere"])
    _names(
        m,
        cen.reindex(c["candidate"]),
        [f"{r}. {n}" for r, n in zip(c["rank"], c["kommunenavn"])],
        weight=[1e9 - r for r in c["rank"]],  # the ranking wins over the members' names
        name="Rangering",
        css="nv-name nv-rank",
    )
    _legend(
        m,
        "Kandidater etter rangering (tallet på kartet er plassen)",
        [
            ("#2171b5", "medlem"),
            (_RANK_SHADES[0], "beste kandidater"),
            (_RANK_SHADES[-2], "svakere kandidater"),
            ("#ffffff", "vert/nav (sirkel)"),
        ],
    )
    _layer_control(m)
    return m


#: Candidates by rank, best darkest.
_RANK_SHADES = [
    "#7f2704",
    "#a63603",
    "#d94801",
    "#f16913",
    "#fd8d3c",
    "#fdae6b",
    "#fdd0a2",
    "#feedde",
]

#: The tooltip of the joining map's candidates.
_JOIN_FIELDS = {
    "rank": "Rangering",
    "kommunenavn": "Kandidat",
    "dom": "Vurdering",
    "score_k": "Tilknytning (modellskår)",
    "group_gain_nok_k": "Gevinst for gruppen (kr/år)",
    "newcomer_gain_nok_k": "Nykommerens gevinst (kr/år)",
    "members_change_nok_k": "Endring for medlemmene (kr/år)",
    "dig_extra_nok_k": "Ekstra graving (kr)",
    "borders_area": "Grenser til området",
    "joins_parts": "Binder sammen området",
    "commuters": "Pendlere til medlemmene",
    "losers": "Taper",
}


def _candidate_display(c: gpd.GeoDataFrame, tolerance: float, top: int) -> gpd.GeoDataFrame:
    """The candidates for the map: a shade by rank, the verdict in words, tooltip copies."""
    disp = _display(c, tolerance)
    n = len(_RANK_SHADES)
    disp["farge"] = [_RANK_SHADES[min(i * n // max(top, 1), n - 1)] for i in range(len(disp))]
    disp["dom"] = np.where(
        disp["win_win"],
        "vinn-vinn",
        np.where(disp["losers"] != "", "noen medlemmer taper", "nykommer taper"),
    )
    for col in (
        "score",
        "group_gain_nok",
        "newcomer_gain_nok",
        "members_change_nok",
        "dig_extra_nok",
    ):
        disp[col + "_k"] = disp[col]
    return disp
