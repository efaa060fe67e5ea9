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


def test_same_result_same_gpkg_bytes(runner, tmp_path):
    """GDAL stamps the clock into gpkg_contents; the writer fixes it, so a rerun is identical."""
    argv = ["dig", "--municipalities", "Gol,Hol,Ål", "--sites", "settlements", "-o"]
    paths = [tmp_path / "a.gpkg", tmp_path / "b.gpkg"]
    for p in paths:
        assert runner.invoke(main, argv + [str(p)]).exit_code == 0
    with sqlite3.connect(paths[0]) as con:
        stamps = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2024-01-01T00:00:00.000Z"}
    assert paths[0].read_bytes() == paths[1].read_bytes()


# QGIS itself, where its Python bindings are installed (Debian: python3-qgis, for the system
# Python): open each layer as QGIS does and read back the renderer it applied from layer_styles.
_QGIS_PROBE = r"""
import json, os, sqlite3, sys
from qgis.core import QgsApplication, QgsVectorLayer
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
out = {}
path = sys.argv[1]
with sqlite3.connect(path) as con:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
for name in names:
    lyr = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    r = lyr.renderer()
    cats = r.categories() if r.type() == "categorizedSymbol" else []
    out[name] = {
        "valid": lyr.isValid(),
        "features": lyr.featureCount(),
        "renderer": r.type(),
        "attr": r.classAttribute() if cats else None,
        "values": sorted(str(c.value()) for c in cats),
        "colours": [c.symbol().color().name() for c in cats],
        "labels": lyr.labelsEnabled(),
    }
print(json.dumps(out), flush=True)
os._exit(0)  # PyQGIS may crash tearing down layers at exit; what it read is printed
"""


def _system_python_with_qgis():
    import shutil
    import subprocess

    for exe in ("/usr/bin/python3", shutil.which("python3")):
        if (
            exe
            and subprocess.run([exe, "-c", "import qgis.core"], capture_output=True).returncode == 0
        ):
            return exe
    pytest.skip("QGIS's Python bindings not installed (Debian package python3-qgis)")


@pytest.mark.parametrize(
    "argv, styled",
    [
        (["clusters", "--county", "Buskerud"], {None: "cluster_id"}),
        (
            ["dig", "--municipalities", "Gol,Hol,Ål", "--sites", "settlements"],
            {"segmenter": "kind", "alene": "kind", "steder": None, "kommuner": None},
        ),
    ],
)
def test_qgis_opens_the_layers_styled(runner, tmp_path, argv, styled):
    import json
    import os
    import subprocess

    exe = _system_python_with_qgis()
    out = tmp_path / "x.gpkg"
    assert runner.invoke(main, argv + ["-o", str(out)]).exit_code == 0
    probe = tmp_path / "probe.py"
    probe.write_text(_QGIS_PROBE, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    res = subprocess.run(
        [exe, str(probe), str(out)], capture_output=True, text=True, timeout=300, env=env
    )
    assert res.returncode == 0, res.stderr[-2000:]
    seen = json.loads(res.stdout.strip().splitlines()[-1])
    for layer, attr in styled.items():
        name = layer or next(iter(seen))
        got = seen[name]
        data = gpd.read_file(out, layer=name)
        assert got["valid"] and got["features"] == len(data)
        if attr is None:  # the sites: one symbol, labelled with their names
            assert got["renderer"] == "singleSymbol" and got["labels"]
            continue
        assert got["renderer"] == "categorizedSymbol" and got["attr"] == attr
        assert got["values"] == sorted(set(data[attr].astype(str)))
        assert "#000000" not in got["colours"]
