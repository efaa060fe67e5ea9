"""GeoPackages open styled in QGIS: a ``layer_styles`` row per map layer, with QML that matches
the layer's columns and values."""

import sqlite3
import xml.dom.minidom

import geopandas as gpd
import pytest

from nettverk.outputs.cli import main


def _styles(path):
    with sqlite3.connect(path) as con:
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
        rows = con.execute(
            "SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles"
        ).fetchall()
    return kinds, {r[0]: r for r in rows}


@pytest.mark.parametrize(
    "argv, layer, attr",
    [
        (["clusters", "--county", "Buskerud"], None, "cluster_id"),
        (["dig", "--municipalities", "Gol,Hol,Ål", "--sites", "settlements"], "segmenter", "kind"),
    ],
)
def test_gpkg_carries_qgis_styles(runner, tmp_path, argv, layer, attr):
    out = tmp_path / "x.gpkg"
    res = runner.invoke(main, argv + ["-o", str(out)])
    assert res.exit_code == 0, res.output
    kinds, styles = _styles(out)
    assert kinds["layer_styles"] == "attributes"
    features = {t for t, k in kinds.items() if k == "features"}
    assert features == set(styles)  # every map layer styled, and only those
    layer = layer or next(iter(features))
    name, geom_col, qml, default = styles[layer]
    assert default == 1 and geom_col == "geom"
    doc = xml.dom.minidom.parseString(qml)
    renderer = doc.getElementsByTagName("renderer-v2")[0]
    assert renderer.getAttribute("attr") == attr
    data = gpd.read_file(out, layer=layer)
    values = {c.getAttribute("value") for c in doc.getElementsByTagName("category")}
    assert values == set(data[attr].astype(str))  # a category for each value, none missing
    colours = [
        o.getAttribute("value")
        for o in doc.getElementsByTagName("Option")
        if o.getAttribute("name") in ("color", "line_color")
    ]
    assert colours and not any(c.startswith("0,0,0,") for c in colours)  # never black


def test_sites_layer_is_labelled_with_names(runner, tmp_path):
    out = tmp_path / "d.gpkg"
    res = runner.invoke(
        main, ["dig", "--municipalities", "Gol,Hol,Ål", "--sites", "settlements", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    _, styles = _styles(out)
    doc = xml.dom.minidom.parseString(styles["steder"][2])
    field = doc.getElementsByTagName("text-style")[0].getAttribute("fieldName")
    assert field == "navn" and "navn" in gpd.read_file(out, layer="steder").columns
