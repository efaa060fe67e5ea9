"""QGIS styles inside a GeoPackage: the ``layer_styles`` table QGIS reads when a layer opens.

Each layer nettverk writes gets a default style (QML) from what it holds: clusters filled so
neighbours differ and labelled with their id, the trench coloured by kind (new build, reuse,
sea, a site's own link), sites to connect as yellow points with their names, municipalities
outlined with their names; anything else a plain symbol for its geometry. The table follows
the QGIS GeoPackage extension (``layer_styles``, one row per layer, ``useAsDefault`` true) and
is registered in ``gpkg_contents`` as an attribute table.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from xml.sax.saxutils import quoteattr

import geopandas as gpd

from .styles import KIND_COLOURS, KIND_NAMES, SITE_COLOUR, distinct_colours

__all__ = ["layer_qml", "add_layer_styles"]


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha}"


def _symbol(kind: str, colour: str, name: str) -> str:
    """One QGIS symbol (fill, line or marker) in both the ``Option`` and the older ``prop``
    form, so QGIS 3.x of any age reads it."""
    if kind == "fill":
        cls, props = (
            "SimpleFill",
            {
                "color": _rgba(colour, 170),
                "outline_color": "35,35,35,255",
                "outline_width": "0.4",
                "outline_width_unit": "MM",
                "style": "solid",
            },
        )
    elif kind == "line":
        cls, props = (
            "SimpleLine",
            {
                "line_color": _rgba(colour),
                "line_width": "0.9",
                "line_width_unit": "MM",
                "capstyle": "round",
            },
        )
    else:
        cls, props = (
            "SimpleMarker",
            {
                "color": _rgba(colour),
                "outline_color": "0,0,0,255",
                "name": "circle",
                "size": "2.6",
                "size_unit": "MM",
            },
        )
    options = "".join(f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in props.items())
    legacy = "".join(f'<prop k="{k}" v="{v}"/>' for k, v in props.items())
    return (
        f'<symbol type="{kind}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{cls}" enabled="1" locked="0" pass="0"><Option type="Map">{options}'
        f"</Option>{legacy}</layer></symbol>"
    )


def _labels(field: str) -> str:
    return (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={quoteattr(field)} fontSize="9" fontWeight="63" '
        'textColor="17,17,17,255" isExpression="0"/>'
        '<text-buffer bufferDraw="1" bufferSize="1" bufferColor="255,255,255,255"/>'
        '<placement placement="1" dist="0"/>'
        '<rendering obstacle="1" labelPerPart="0" scaleVisibility="0"/>'
        "</settings></labeling>"
    )


def _geometry_kind(gdf: gpd.GeoDataFrame) -> str:
    types = set(gdf.geometry.geom_type.dropna())
    if types & {"Polygon", "MultiPolygon"}:
        return "fill"
    if types & {"LineString", "MultiLineString"}:
        return "line"
    return "marker"


def layer_qml(gdf: gpd.GeoDataFrame) -> str:
    """The QML style of one layer, chosen from its columns and geometry (see the module).

    Examples
    --------
    >>> import shapely
    >>> seg = gpd.GeoDataFrame({"kind": ["ny", "sjø"]},
    ...     geometry=[shapely.LineString([(0, 0), (1, 1)])] * 2, crs=25833)
    >>> qml = layer_qml(seg)
    >>> 'attr="kind"' in qml and 'label="sjøkabel (ferjestrekning)"' in qml
    True
    """
    kind = _geometry_kind(gdf)
    cols = set(gdf.columns)
    label = ""
    if "cluster_id" in cols and kind == "fill":
        values = [str(v) for v in gdf["cluster_id"]]
        colours = dict(zip(values, distinct_colours(gdf.geometry)))
        if "alone" in cols:
            for v, alone in zip(values, gdf["alone"]):
                colours[v] = "#bbbbbb" if alone else colours[v]
        renderer = _categorised("cluster_id", colours, dict(zip(values, values)), kind)
        label = _labels("cluster_id")
    elif "kind" in cols and kind == "line":
        present = [k for k in KIND_COLOURS if k in set(gdf["kind"])]
        renderer = _categorised(
            "kind",
            {k: KIND_COLOURS[k] for k in present},
            {k: KIND_NAMES[k] for k in present},
            kind,
        )
    elif kind == "marker":
        renderer = _single(kind, SITE_COLOUR)
        label = _labels("navn") if "navn" in cols else ""
    else:
        renderer = _single(kind, "#6baed6" if kind == "fill" else "#555555")
        label = _labels("kommunenavn") if "kommunenavn" in cols else ""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.28.0" styleCategories="Symbology|Labeling" labelsEnabled="'
        f'{1 if label else 0}">{renderer}{label}</qgis>'
    )


def _categorised(attr: str, colours: dict, labels: dict, kind: str) -> str:
    cats = "".join(
        f'<category value={quoteattr(str(v))} symbol="{i}" label={quoteattr(str(labels[v]))} '
        'render="true"/>'
        for i, v in enumerate(colours)
    )
    symbols = "".join(_symbol(kind, c, str(i)) for i, c in enumerate(colours.values()))
    return (
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attr)} symbollevels="0" '
        f'enableorderby="0" forceraster="0"><categories>{cats}</categories>'
        f"<symbols>{symbols}</symbols></renderer-v2>"
    )


def _single(kind: str, colour: str) -> str:
    return (
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<symbols>{_symbol(kind, colour, '0')}</symbols></renderer-v2>"
    )


_CREATE = """
CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
    f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
    useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
    update_time DATETIME DEFAULT '2024-01-01T00:00:00.000Z'
)
"""


def add_layer_styles(path: str | os.PathLike, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write each geometry layer's default style into the GeoPackage at ``path`` (attribute
    tables get none). A fixed ``update_time`` keeps the file the same for the same result."""
    with closing(sqlite3.connect(os.fspath(path))) as con, con:
        geom_col = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        rows = [
            (name, geom_col[name], name, layer_qml(gdf), "nettverk")
            for name, gdf in layers.items()
            if name in geom_col and isinstance(gdf, gpd.GeoDataFrame) and len(gdf)
        ]
        if not rows:
            return
        con.execute(_CREATE)
        con.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', "
            "'2024-01-01T00:00:00.000Z')"
        )
        con.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner) "
            "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '')",
            rows,
        )
