"""The overview map: municipalities, councils, collaborations and links."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from nettverk._types import Counties
from nettverk.data.dataset import Dataset
from nettverk.network.sites import centres

from .base import (
    PALETTE,
    distinct_colours,
    _base,
    _display,
    _fill_style,
    _geojson,
    _host_marker,
    _layer_control,
    _legend,
    _names,
    _outline,
    _ramp,
    _shade,
    _tolerance,
)

if TYPE_CHECKING:
    pass

__all__ = ["overview_map"]


def _council_layer(ds: Dataset, coarse: gpd.GeoDataFrame, sam: pd.DataFrame) -> folium.FeatureGroup:
    """One layer with every active regional council: its area, name, members and the sources'
    confidence."""
    fg = folium.FeatureGroup(name="Regionråd", show=False)
    layer = ds.layers()
    councils = sam[sam["id"].map(layer).to_numpy() == "council"]
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
        gdf["farge"] = distinct_colours(gdf.geometry)  # neighbouring councils differ
        _geojson(
            gdf,
            "Regionråd",
            {"navn": "Regionråd", "medlemmer": "Medlemmer (sikkerhet der kilden er svak)"},
            _fill_style("#222", 1.5, 0.3),
            highlight=False,
        ).add_to(fg)
    return fg


def _broadband_layer(ds: Dataset, coarse: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Nkom's fibre coverage per county (share of households), shaded, with year and source in the
    tooltip."""
    from nettverk.data.broadband import coverage

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
    from nettverk.analyses.overview import overview

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
        weight=k.loc[cen.index, "innbyggere"].to_numpy(),
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
    from nettverk.data.vocab import normalise_term

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
    sam = sam[sub.layers().reindex(sam["id"]).to_numpy() == "other"]
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
    from nettverk.network.municipalities import municipality_graph

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
