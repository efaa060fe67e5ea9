"""The parts every map shares: the base map, legend, names, layers and saving."""

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

from nettverk._types import PathLike
from nettverk.data.columns import number_text
from nettverk.outputs.styles import PALETTE, distinct_colours

if TYPE_CHECKING:
    pass

__all__ = ["save_map", "PALETTE", "distinct_colours"]


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
            "0 0 2px #fff;pointer-events:none;transform:translate(-50%,-50%)}"
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
    weight=None,
    name: str = "Navn",
    css: str = "nv-name",
) -> None:
    """Labels that are always visible (no hovering) at every zoom, the start zoom included;
    where two would overlap on screen (in any label layer of the map) the one with the larger
    ``weight`` (the more populous place; default: the earlier one) is shown and the other hidden
    until there is room.

    One small data array and a loop in JavaScript: 357 labels cost about 15 kB, not 200.
    """
    pts = points.to_crs(4326)
    n = len(pts)
    weight = [float(n - i) for i in range(n)] if weight is None else [float(w) for w in weight]
    rows = [
        [round(p.y, 4), round(p.x, 4), str(t), w]
        for p, t, w in zip(pts, texts, weight)
        if p is not None and not p.is_empty
    ]
    fg = folium.FeatureGroup(name=name, show=True)
    fg.add_to(m)
    data = json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")
    _Script(
        f"(function(){{var mp={m.get_name()},fg={fg.get_name()},d={data},ms=[];"
        "d.forEach(function(r){var e=document.createElement('div');"
        f"e.className={json.dumps(css)};e.textContent=r[2];"
        "var mk=L.marker([r[0],r[1]],{interactive:false,keyboard:false,"
        "icon:L.divIcon({html:e.outerHTML,iconSize:[0,0],className:''})}).addTo(fg);"
        "ms.push([mk,r[3],r[2].length]);});"
        # every label layer of the map shares one placement: larger places (higher weight)
        # first; a label that would overlap one already shown waits for room
        "var all=mp._nvLabels=(mp._nvLabels||[]).concat(ms);"
        "all.sort(function(a,b){return b[1]-a[1];});"
        "if(!mp._nvPlace){mp._nvPlace=function(){var placed=[];"
        "mp._nvLabels.forEach(function(x){var el=x[0].getElement();"
        "if(!el)return;var p=mp.latLngToContainerPoint(x[0].getLatLng());"
        "var w=x[2]*7+8,h=16,b=[p.x-w/2,p.y-h/2,p.x+w/2,p.y+h/2];"
        "var hit=placed.some(function(q){return b[0]<q[2]&&q[0]<b[2]&&b[1]<q[3]&&q[1]<b[3];});"
        "el.style.display=hit?'none':'';if(!hit)placed.push(b);});};"
        "mp.on('zoomend moveend overlayadd overlayremove',mp._nvPlace);}"
        "mp.whenReady(mp._nvPlace);})();"
    ).add_to(m)


def _layer_control(m: folium.Map) -> None:
    """The layer list, folded into its button (it opens on hover or tap), so it covers nothing
    of the map on a laptop or a projector at 1024x768."""
    folium.LayerControl(collapsed=True).add_to(m)


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
        return number_text(int(v))
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return "–"
        return number_text(float(v), 0 if abs(v) >= 100 else 2)  # 1 234 and 3,57: bokmål
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


def _outline(geoms: gpd.GeoSeries, tolerance: float):
    """A region's outline for a thematic layer: islets dropped, simplified (degrees), on a coarse
    grid."""
    parts = shapely.get_parts(shapely.union_all(geoms.values))
    big = [p for p in parts if p.area >= 20 * tolerance**2] or list(parts)
    return shapely.set_precision(shapely.union_all(big).simplify(tolerance), tolerance / 10)


def _shade(value: float, lo: float, hi: float) -> str:
    """Red (low) to green (high) for a share between lo and hi."""
    t = min(1.0, max(0.0, (value - lo) / (hi - lo)))
    r, g = int(215 - 160 * t), int(48 + 140 * t)
    return f"#{r:02x}{g:02x}4a"


def save_map(m: folium.Map, path: PathLike) -> Path:
    """Save a map as a self-contained HTML file, atomically; the same map gives the same bytes.

    folium names every element with a random id (``map_<32 hex>``); they are renumbered in
    order of first appearance, so that saving the same result twice gives the same file.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> ds = nv.load_default()
    >>> a = save_map(nv.maps.overview_map(ds, counties=["Buskerud"], tiles=None), d / "a.html")
    >>> b = save_map(nv.maps.overview_map(ds, counties=["Buskerud"], tiles=None), d / "b.html")
    >>> a.read_bytes() == b.read_bytes()
    True
    """
    import re

    from nettverk._files import atomic_path

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
