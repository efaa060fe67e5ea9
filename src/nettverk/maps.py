"""Interactive folium maps for every result: one call away from a projector.

Every map has a legend, a layer control and Norwegian tooltips; tiles need no API key
(OpenStreetMap by default) and ``tiles=None`` gives a map without tiles for offline screens.
Leaflet itself is embedded in the page (no CDN), so a saved map opens offline too.
Geometry is simplified for display (the whole of Norway stays well under 2 MB of HTML).
Functions take ``m=None`` like :meth:`geopandas.GeoDataFrame.explore`: pass an existing map
to draw on it.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from .dataset import Dataset
from .graph import centres
from ._errors import NettverkError
from ._types import Counties, Municipalities, Municipality, PathLike

if TYPE_CHECKING:
    from .costs import CostModel
    from .digging import DiggingResult
    from .joining import JoiningResult

__all__ = [
    "overview_map",
    "clusters_map",
    "dig_map",
    "join_map",
    "make_map",
    "save_map",
    "PALETTE",
]

#: A categorical palette readable on a projector (Okabe-Ito, then Tableau).
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#B07AA1",
    "#76B7B2",
    "#EDC948",
    "#9C755F",
]
OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bidragsytere'
DATA_ATTR = "Kartverket (CC BY 4.0), SSB (CC BY 4.0), Wikidata (CC0)"


def _static(name: str) -> str:
    return (resources.files("nettverk") / "_static" / name).read_text(encoding="utf-8")


def _base(
    gdf: gpd.GeoDataFrame, m: folium.Map | None, tiles: str | None, title: str | None
) -> folium.Map:
    if m is not None:
        return m
    b = gdf.to_crs(4326).total_bounds
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False)
    # Leaflet embedded: no CDN, no jQuery/Bootstrap needed by these maps
    m.default_js = []
    m.default_css = []
    root = m.get_root()
    root.default_js = []
    root.default_css = []
    root.header.add_child(
        folium.Element(f"<style>{_static('leaflet.css')}</style>"), name="leaflet_css"
    )
    root.header.add_child(
        folium.Element(f"<script>{_static('leaflet.js')}</script>"), name="leaflet_js"
    )
    root.header.add_child(
        folium.Element(
            "<style>html,body{margin:0;padding:0;height:100%;width:100%}.folium-map{position:absolute;top:0;bottom:0;"
            "left:0;right:0}.nv-legend{position:absolute;z-index:1000;bottom:44px;left:10px;background:#fff;"
            "padding:8px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.4 "
            "sans-serif;"
            "max-height:45%;max-width:340px;overflow:auto}.nv-legend div{white-space:normal}"
            ".nv-name{font:600 11px sans-serif;color:#111;white-space:nowrap;text-shadow:0 0 3px "
            "#fff,0 0 3px #fff,"
            "0 0 2px #fff;pointer-events:none;transform:translate(-50%,-50%)}.nv-small "
            ".nv-name:not(.nv-big){display:none}.nv-big{font-size:12px}"
            ".nv-name.nv-rank{font:bold 12px "
            "sans-serif;color:#fff;background:#7f2704;border-radius:9px;padding:1px 6px;"
            "text-shadow:none;display:inline-block;box-shadow:0 0 0 1px #fff}"
            "@media "
            "(max-width:1100px){.nv-legend{max-width:250px;font-size:11px;bottom:36px}}.nv-legend "
            "i{display:inline-block;width:14px;height:14px;margin-right:6px;"
            "vertical-align:middle;border:1px solid "
            "#555}.nv-title{position:absolute;z-index:1000;top:10px;left:50px;"
            "background:#fff;padding:6px 10px;border-radius:4px;font:bold 15px sans-serif;"
            "box-shadow:0 1px 4px rgba(0,0,0,.3)}</style>"
        ),
        name="nv_css",
    )
    if tiles:
        name = "OpenStreetMap" if tiles.lower() == "openstreetmap" else tiles
        url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png" if name == "OpenStreetMap" else tiles
        folium.TileLayer(
            url, attr=OSM_ATTR + " | " + DATA_ATTR, name="Bakgrunnskart", max_zoom=18
        ).add_to(m)
    m.fit_bounds(
        [[b[1], b[0]], [b[3], b[2]]], padding=(40, 40)
    )  # room for the title and the legend
    if title:
        root.html.add_child(folium.Element(f'<div class="nv-title">{html.escape(title)}</div>'))
    return m


#: The data's limits, said on every map.
LIMITS = (
    "Samarbeidsdataene er ikke et fullstendig register: hvit betyr «ikke i dataene», ikke "
    "«ingen samarbeid»."
)


def _legend(m: folium.Map, title: str, items: list[tuple[str, str]]) -> None:
    rows = "".join(
        f'<div><i style="background:{c}"></i>{html.escape(str(label))}</div>' for c, label in items
    )
    m.get_root().html.add_child(
        folium.Element(
            f'<div class="nv-legend"><b>{html.escape(title)}</b>{rows}<div '
            'style="margin-top:4px;color:#666;font-size:11px">'
            f"{html.escape(LIMITS)}<br>{DATA_ATTR}</div></div>"
        )
    )


class _Script(MacroElement):
    """Plain JavaScript rendered in the map's script, after everything added before it."""

    def __init__(self, js: str) -> None:
        super().__init__()
        self._template = Template(
            "{% macro script(this, kwargs) %}{% raw %}" + js + "{% endraw %}{% endmacro %}"
        )


def _names(
    m: folium.Map,
    points: gpd.GeoSeries,
    texts,
    *,
    min_zoom: int = 7,
    name: str = "Navn",
    css: str = "nv-name",
    big=None,
) -> None:
    """Labels that are always visible (no hovering), hidden when zoomed out below ``min_zoom``
    except the ``big`` ones (the larger towns), so a map of all Norway still has names.

    One small data array and a loop in JavaScript: 357 labels cost about 15 kB, not 200.
    """
    pts = points.to_crs(4326)
    big = [False] * len(pts) if big is None else list(big)
    rows = [
        [round(p.y, 4), round(p.x, 4), str(t), int(b)]
        for p, t, b in zip(pts, texts, big)
        if p is not None and not p.is_empty
    ]
    fg = folium.FeatureGroup(name=name, show=True)
    fg.add_to(m)
    data = json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")
    _Script(
        f"(function(){{var mp={m.get_name()},fg={fg.get_name()},d={data};"
        f"d.forEach(function(r){{var "
        f"e=document.createElement('div');e.className={json.dumps(css)}+(r[3]?' "
        "nv-big':'');e.textContent=r[2];"
        f"L.marker([r[0],r[1]],{{interactive:false,keyboard:false,icon:L.divIcon({{html:e.outerHTML,iconSize:[0,0],"
        f"className:''}})}}).addTo(fg);}});"
        f"function z(){{var "
        f"c=mp.getContainer();if(mp.getZoom()<{min_zoom}){{c.classList.add('nv-small')}}"
        f"else{{c.classList.remove('nv-small')}}}}mp.on('zoomend',z);z();}})();"
    ).add_to(m)


def _layer_control(m: folium.Map) -> None:
    """The layer list, folded away on small screens (a projector at 1024x768) so it covers
    nothing."""
    lc = folium.LayerControl(collapsed=False)
    lc.add_to(m)
    _Script(
        f"if(window.innerWidth<1200&&{lc.get_name()}.collapse){{{lc.get_name()}.collapse();}}"
    ).add_to(m)


def _display(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify in metres, then reproject to WGS84 on a grid of 1e-5 degrees (about 1 m; 1e-4 for
    coarse maps)."""
    out = gdf.copy()
    out["geometry"] = out.geometry.simplify(tolerance, preserve_topology=True)
    out = out.to_crs(4326)
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-4 if tolerance >= 200 else 1e-5)
    return out


def _tolerance(gdf: gpd.GeoDataFrame) -> float:
    x0, y0, x1, y1 = gdf.total_bounds
    return float(np.clip(max(x1 - x0, y1 - y0) / 2000, 50, 800))


def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "ja" if v else "nei"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}".replace(",", " ")
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return "–"
        return f"{v:,.0f}".replace(",", " ") if abs(v) >= 100 else f"{v:.2f}"
    return str(v)


def _geojson(
    gdf: gpd.GeoDataFrame,
    name: str,
    fields: dict[str, str],
    style,
    *,
    show: bool = True,
    highlight: bool = True,
) -> folium.GeoJson:
    extra = [c for c in ("farge",) if c in gdf.columns and c not in fields]
    data = gdf[list(fields) + extra + ["geometry"]].copy()
    for c in fields:
        data[c] = data[c].map(_fmt)
    tooltip = folium.GeoJsonTooltip(fields=list(fields), aliases=list(fields.values()), sticky=True)
    return folium.GeoJson(
        json.loads(data.to_json(drop_id=True)),
        name=name,
        style_function=style,
        tooltip=tooltip,
        show=show,
        highlight_function=(lambda f: {"weight": 3}) if highlight else None,
    )


def _fill_style(line: str, weight: float, opacity: float):
    """A style that fills each feature with its own ``farge`` column, outlined in ``line``."""
    return lambda f: {
        "fillColor": f["properties"]["farge"],
        "color": line,
        "weight": weight,
        "fillOpacity": opacity,
    }


def _ramp(
    values: pd.Series, colors=("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
) -> tuple[pd.Series, list]:
    """Colour counts 0, 1, 2, 3 and 4+ on a sequential ramp; return colours and legend items."""
    out = pd.Series([colors[min(int(v), len(colors) - 1)] for v in values], index=values.index)
    items = [(c, f"{i}" + ("+" if i == len(colors) - 1 else "")) for i, c in enumerate(colors)]
    return out, items


def _council_layer(ds: Dataset, coarse: gpd.GeoDataFrame, sam: pd.DataFrame) -> folium.FeatureGroup:
    """One layer with every active regional council: its area, name, members and the sources'
    confidence."""
    fg = folium.FeatureGroup(name="Regionråd", show=False)
    councils = sam[sam["form"] == "interkommunalt_politisk_rad"]
    med = ds.medlemskap[ds.medlemskap["samarbeid_id"].isin(set(councils["id"]))]
    names = ds.kommuner["kommunenavn"]
    rows = []
    for i, r in enumerate(councils.sort_values("id").itertuples(index=False)):
        g = med[med["samarbeid_id"] == r.id].drop_duplicates("kommunenummer")
        g = g[g["kommunenummer"].isin(set(coarse["kommunenummer"]))]
        if g.empty:
            continue
        conf = (
            g["konfidens"].fillna("") if "konfidens" in g.columns else pd.Series("", index=g.index)
        )
        label = {"medium": " (middels sikker)", "low": " (usikker)"}
        members = ", ".join(
            f"{names[c]}{label.get(k, '')}" for c, k in zip(g["kommunenummer"], conf)
        )
        geom = _outline(
            coarse.loc[coarse["kommunenummer"].isin(set(g["kommunenummer"])), "geometry"], 0.01
        )
        rows.append(
            {
                "navn": r.navn,
                "medlemmer": members,
                "farge": PALETTE[i % len(PALETTE)],
                "geometry": geom,
            }
        )
    if rows:
        gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=coarse.crs)
        _geojson(
            gdf,
            "Regionråd",
            {"navn": "Regionråd", "medlemmer": "Medlemmer (sikkerhet der kilden er svak)"},
            _fill_style("#222", 1.5, 0.3),
            highlight=False,
        ).add_to(fg)
    return fg


def _outline(geoms: gpd.GeoSeries, tolerance: float):
    """A region's outline for a thematic layer: islets dropped, simplified (degrees), on a coarse
    grid."""
    parts = shapely.get_parts(shapely.union_all(geoms.values))
    big = [p for p in parts if p.area >= 20 * tolerance**2] or list(parts)
    return shapely.set_precision(shapely.union_all(big).simplify(tolerance), tolerance / 10)


def _broadband_layer(ds: Dataset, coarse: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Nkom's fibre coverage per county (share of households), shaded, with year and source in the
    tooltip."""
    from .bredband import coverage

    cov = coverage(ds)
    year = int(cov["aar"].iloc[0]) if len(cov) else ""
    fg = folium.FeatureGroup(name=f"Bredbånd: fiberdekning per fylke ({year})", show=False)
    k = coarse.assign(
        fylkesnavn=ds.kommuner.loc[coarse["kommunenummer"], "fylkesnavn"].astype(str).to_numpy()
    )
    rows = []
    for county, grp in k.groupby("fylkesnavn", sort=True):
        geom = _outline(grp.geometry, 0.03)
        c = cov.loc[county] if county in cov.index else None
        share = float(c["andel_prosent"]) if c is not None else float("nan")
        rows.append(
            {
                "fylke": county,
                "andel": "–" if share != share else f"{share:.0f} %",
                "merknad": "" if c is None else (c["merknad"] or f"Nkom {year}"),
                "farge": "#cccccc" if share != share else _shade(share, 50, 95),
                "geometry": geom,
            }
        )
    if rows:
        gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=coarse.crs)
        _geojson(
            gdf,
            "Fiberdekning",
            {
                "fylke": "Fylke",
                "andel": "Husstander med 100/100 Mbit/s (≈ fiber)",
                "merknad": "Merknad",
            },
            _fill_style("#333", 1, 0.6),
            highlight=False,
        ).add_to(fg)
    return fg


def _shade(value: float, lo: float, hi: float) -> str:
    """Red (low) to green (high) for a share between lo and hi."""
    t = min(1.0, max(0.0, (value - lo) / (hi - lo)))
    r, g = int(215 - 160 * t), int(48 + 140 * t)
    return f"#{r:02x}{g:02x}4a"


def overview_map(
    ds: Dataset,
    *,
    counties: Counties | None = None,
    area: str | None = None,
    links: bool = True,
    collaborations: bool = True,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
) -> folium.Map:
    """Municipalities coloured by the number of collaborations (or membership of one area).

    Layers: municipalities; the regional councils (one layer, each council's area with its
    members and the sources' confidence); one layer per other active collaboration (members,
    host marked; the digitalisation networks are county-wide and left out); neighbour links by
    border and by ferry/bridge.

    Examples
    --------
    >>> m = overview_map(nv.load_default(), counties=["Buskerud"], tiles=None)
    >>> layers = [c.layer_name for c in m._children.values() if getattr(c, "layer_name", None)]
    >>> layers[:3], "Samarbeid: IKT-samarbeidet i Hallingdal" in layers
    (['Kommuner', 'Regionråd', 'Bredbånd: fiberdekning per fylke (2020)'], True)
    """
    from .overview import overview

    sub = ds.select(counties=counties) if counties else ds
    o = overview(sub)["kommuner"].set_index("kommunenummer")
    k = sub.kommuner.join(o[["n_samarbeid", "samarbeid", "omrader", "vert_for"]])
    title = "Interkommunale samarbeid" + (f" – {', '.join(map(str, counties))}" if counties else "")
    m = _base(k, m, tiles, title)
    disp = _display(k.reset_index(), _tolerance(k))
    disp["farge"], items, legend = _overview_colours(sub, disp, area)
    _geojson(
        disp,
        "Kommuner",
        _OVERVIEW_FIELDS,
        _fill_style("#555", 0.6, 0.75),
    ).add_to(m)
    cen = centres(sub).to_crs(4326)
    if collaborations:
        # collaboration layers are outlines over the main layer: coarser geometry will do
        coarse = _display(
            k.reset_index()[["kommunenummer", "kommunenavn", "innbyggere", "geometry"]],
            4 * _tolerance(k),
        )
        sam = sub.active_collaborations()
        _council_layer(sub, coarse, sam).add_to(m)
        _broadband_layer(sub, coarse).add_to(m)
        for layer in _collaboration_layers(sub, coarse, sam, cen):
            layer.add_to(m)
    if links:
        for layer in _link_layers(sub, cen):
            layer.add_to(m)
        items = items + [
            ("#d62728", "ferjeforbindelse"),
            ("#9467bd", "bro/tunnel/veg over kommunegrense"),
        ]
    _names(
        m,
        cen,
        k.loc[cen.index, "kommunenavn"],
        min_zoom=7 if counties else 8,
        big=(k.loc[cen.index, "innbyggere"] >= 40_000).to_numpy(),
    )
    _legend(m, legend, items)
    _layer_control(m)
    return m


#: The tooltip of the overview map's municipalities.
_OVERVIEW_FIELDS = {
    "kommunenavn": "Kommune",
    "kommunenummer": "Kommunenr.",
    "innbyggere": "Innbyggere",
    "n_samarbeid": "Aktive samarbeid",
    "samarbeid": "Samarbeid",
    "omrader": "Områder",
    "vert_for": "Vert for",
}


def _overview_colours(sub: Dataset, disp: gpd.GeoDataFrame, area: str | None):
    """Each municipality's colour, the legend's items and title: by area membership or count."""
    if not area:
        colours, items = _ramp(disp["n_samarbeid"])
        return colours, items, "Antall aktive samarbeid"
    from ._validate import normalise_term

    a = normalise_term(area)
    mem = set(sub.active_memberships(area=a)["kommunenummer"])
    colours = np.where(disp["kommunenummer"].isin(mem), "#2171b5", "#f0f0f0")
    items = [("#2171b5", f"med i et samarbeid om {a}"), ("#f0f0f0", "ikke (i dataene)")]
    return colours, items, f"Område: {a}"


def _collaboration_layers(
    sub: Dataset, coarse: gpd.GeoDataFrame, sam: pd.DataFrame, cen: gpd.GeoSeries
) -> list[folium.FeatureGroup]:
    """One hidden layer per active collaboration other than councils and digitalisation networks."""
    layers = []
    sam = sam[~sam["form"].isin(["interkommunalt_politisk_rad", "digitaliseringsnettverk"])]
    for i, r in enumerate(sam.itertuples(index=False)):
        med = sub.medlemskap
        members = sorted(set(med.loc[med["samarbeid_id"] == r.id, "kommunenummer"]))
        if not members:
            continue
        color = PALETTE[i % len(PALETTE)]
        fg = folium.FeatureGroup(name=f"Samarbeid: {r.navn}", show=False)
        g = coarse[coarse["kommunenummer"].isin(members)]
        _geojson(
            g,
            r.navn,
            {"kommunenavn": "Kommune", "innbyggere": "Innbyggere"},
            lambda f, c=color: {"fillColor": c, "color": c, "weight": 2, "fillOpacity": 0.35},
            highlight=False,
        ).add_to(fg)
        if isinstance(r.vertskommune, str) and r.vertskommune in cen.index:
            name = sub.kommuner.at[r.vertskommune, "kommunenavn"]
            tip = f"Vertskommune: {name} ({r.navn}, {r.form})"
            _host_marker(cen[r.vertskommune], color, tip).add_to(fg)
        layers.append(fg)
    return layers


def _link_layers(sub: Dataset, cen: gpd.GeoSeries) -> list[folium.FeatureGroup]:
    """Neighbour links: borders (hidden) and ferries, bridges and tunnels (shown)."""
    from .graph import municipality_graph

    G = municipality_graph(sub)
    fg_b = folium.FeatureGroup(name="Naboer (grense)", show=False)
    fg_f = folium.FeatureGroup(name="Ferje, bro og tunnel", show=True)
    for u, v, d in G.edges(data=True):
        if u not in cen.index or v not in cen.index:
            continue
        pts = [
            [round(cen[u].y, 4), round(cen[u].x, 4)],
            [round(cen[v].y, 4), round(cen[v].x, 4)],
        ]
        tip = f"{G.nodes[u]['kommunenavn']} – {G.nodes[v]['kommunenavn']}: {d['link']}"
        if d["link"] == "grense":
            folium.PolyLine(pts, color="#777", weight=1, tooltip=tip).add_to(fg_b)
        else:
            folium.PolyLine(
                pts,
                color="#d62728" if d["link"] == "ferje" else "#9467bd",
                weight=2,
                dash_array="6 4",
                tooltip=tip,
            ).add_to(fg_f)
    return [fg_b, fg_f]


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
        from .dataset import load_default

        ds = load_default()
    codes = [c for mm in clusters["members"] for c in mm.split(",") if c in ds.kommuner.index]
    if title is None:
        counties = sorted(set(ds.kommuner.loc[codes, "fylkesnavn"].astype(str)))
        region = ", ".join(counties) if len(counties) <= 3 else f"{len(counties)} fylker"
        title = f"Kandidatklynger – {region}"
    m = _base(clusters, m, tiles, title)
    disp = _display(clusters, _tolerance(clusters))
    disp["farge"] = [
        ("#bbbbbb" if alone else PALETTE[i % len(PALETTE)]) for i, alone in enumerate(disp["alone"])
    ]
    for c in ("standalone_nok", "joint_nok", "overhead_nok", "travel_nok", "net_gain_nok"):
        disp[c + "_mnok"] = disp[c] / 1e6
    fields = {
        "cluster_id": "Klynge",
        "member_names": "Kommuner",
        "innbyggere": "Innbyggere",
        "standalone_nok_mnok": "Alene (MNOK/år)",
        "joint_nok_mnok": "Felles drift (MNOK/år)",
        "overhead_nok_mnok": "Koordinering (MNOK/år)",
        "travel_nok_mnok": "Reise og spredning (MNOK/år)",
        "net_gain_nok_mnok": "Netto gevinst (MNOK/år)",
        "affinity_mean": "Tilknytning, snitt per par (partnermodellen)",
        "score": "Poeng (log-odds, partnermodellen)",
        "largest_share": "Største kommunes andel",
        "shared_collaborations": "Felles samarbeid",
        "alone": "Alene",
        "alone_reason": "Hvorfor alene",
    }
    _geojson(
        disp,
        "Klynger",
        fields,
        _fill_style("#222", 2.5, 0.65),
    ).add_to(m)
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
    _names(m, centres(ds).loc[codes], ds.kommuner.loc[codes, "kommunenavn"])
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
        else (" – bevist beste inndeling" if gap == 0 else f" – inntil {gap:.1%} fra beste")
    )
    _legend(m, "Klynger" + proof, items)
    _layer_control(m)
    return m


_KIND_COLORS = {"ny": "#d62728", "gjenbruk": "#2ca02c", "sjø": "#1f77b4", "tilknytning": "#ff7f0e"}
_KIND_NAMES = {
    "ny": "ny grøft",
    "gjenbruk": "gjenbruk av eksisterende trasé",
    "sjø": "sjøkabel (ferjestrekning)",
    "tilknytning": "tilknytning fra sted til veg",
}


def dig_map(
    result: DiggingResult,
    *,
    tiles: str | None = "OpenStreetMap",
    m: folium.Map | None = None,
    standalone: bool = True,
) -> folium.Map:
    """Shared digging: segments by kind with cost, sites and hub; each municipality alone as layers.

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
    disp["farge"] = disp["kind"].map(_KIND_COLORS)
    disp["kind_navn"] = disp["kind"].map(_KIND_NAMES)
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
    sites = result.sites.to_crs(4326)
    _site_layer(sites, per).add_to(m)
    hub_code = str(t["hub"]).split(" ")[0]
    if hub_code in per.index:
        hp = sites[sites["kommunenummer"] == hub_code]
        if len(hp):
            p0 = hp.geometry.iloc[0]
            folium.CircleMarker(
                [p0.y, p0.x],
                radius=11,
                color="#000",
                weight=3,
                fill=False,
                tooltip=f"Knutepunkt: {t['hub']}",
            ).add_to(m)
    _names(
        m,
        sites.geometry.set_crs(4326, allow_override=True),
        [f"{per.loc[r.kommunenummer, 'kommunenavn']}" for r in sites.itertuples()],
        min_zoom=6,
    )
    items = [(c, _KIND_NAMES[k]) for k, c in _KIND_COLORS.items() if k in set(seg["kind"])]
    items.append(("#ffdd57", "sted som kobles til (kommunesenter)"))
    items.append(("#ffffff", f"knutepunkt: {t['hub']} (svart ring)"))
    _legend(
        m,
        f"Felles: {_fmt(t['shared_nok'])} kr, alene: {_fmt(t['standalone_nok'])} kr "
        f"(sparer {t['saving_share']:.0%})",
        items,
    )
    _layer_control(m)
    return m


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
            fill_color="#ffdd57",
            fill_opacity=1,
            tooltip=(
                f"{html.escape(str(r.navn))} ({p['kommunenavn']}): alene "
                f"{_fmt(p['standalone_nok'])} kr, "
                f"andel {_fmt(p['share_nok'])} kr, sparer {_fmt(p['saving_nok'])} kr"
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
    _names(m, cen.loc[members], k.loc[members, "kommunenavn"], min_zoom=6)
    _names(
        m,
        cen.reindex(c["candidate"]),
        [f"{r}. {n}" for r, n in zip(c["rank"], c["kommunenavn"])],
        min_zoom=5,
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
    "score_k": "Tilknytning (log-odds)",
    "group_gain_nok_k": "Gevinst for gruppen (kr/år)",
    "newcomer_gain_nok_k": "Nykommerens gevinst (kr/år)",
    "members_change_nok_k": "Endring for medlemmene (kr/år)",
    "dig_extra_nok_k": "Ekstra graving (kr)",
    "contiguous": "Sammenhengende",
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


def _host_marker(p, colour: str, tooltip: str) -> folium.CircleMarker:
    """A host municipality: a ringed circle at its centre (WGS84 point)."""
    return folium.CircleMarker(
        [p.y, p.x],
        radius=8,
        color="#000",
        weight=2,
        fill=True,
        fill_color=colour,
        fill_opacity=1,
        tooltip=tooltip,
    )


def save_map(m: folium.Map, path: PathLike) -> Path:
    """Save a map as a self-contained HTML file, atomically; the same map gives the same bytes.

    folium names every element with a random id (``map_<32 hex>``); they are renumbered in
    order of first appearance, so that saving the same result twice gives the same file.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> ds = nv.load_default()
    >>> a = save_map(overview_map(ds, counties=["Buskerud"], tiles=None), d / "a.html")
    >>> b = save_map(overview_map(ds, counties=["Buskerud"], tiles=None), d / "b.html")
    >>> a.read_bytes() == b.read_bytes()
    True
    """
    import re

    from .io import atomic_path

    path = Path(path)
    ids: dict[str, str] = {}
    text = re.sub(
        r"(?<=_)[0-9a-f]{32}(?![0-9a-f])",
        lambda mt: ids.setdefault(mt.group(0), f"{len(ids) + 1:032x}"),
        m.get_root().render(),
    )
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path


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
    tiles: str | None = "OpenStreetMap",
    costs: CostModel | str | None = None,
    progress: bool = False,
) -> folium.Map:
    """One map of ``kind`` (``nettverk map``): compute the result and draw it.

    ``overview`` (``counties``, ``area``); ``clusters`` (``counties`` or ``municipalities``,
    ``min_members``, ``max_members``, ``keep_existing``); ``dig`` (``municipalities``, ``hub``,
    ``split``); ``join`` (``collaboration``, ``area``, ``top``).
    """
    if kind == "overview":
        return overview_map(ds, counties=counties, area=area, tiles=tiles)
    if kind == "clusters":
        from .clusters import candidate_clusters

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
        from .digging import shared_digging

        if not municipalities:
            raise NettverkError("map dig needs --municipalities CODES")
        res = shared_digging(
            ds, municipalities, hub=hub, split=split, costs=costs, progress=progress
        )
        return dig_map(res, tiles=tiles)
    if kind == "join":
        from .joining import joining_effect

        if not collaboration:
            valid = ", ".join(ds.active_collaborations()["id"])
            raise NettverkError(f"map join needs --collaboration (one of: {valid})")
        return join_map(
            joining_effect(ds, collaboration, area=area, costs=costs), ds, top=top, tiles=tiles
        )
    raise NettverkError(f"unknown map kind {kind!r}; use overview, clusters, dig or join")
