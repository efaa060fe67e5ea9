import geopandas as gpd
import pandas as pd
import pytest
import shapely

import nettverk as nv
from nettverk._files import atomic_path
from nettverk.data.io import read_table
from nettverk.outputs.writers import write_result, write_tables


def test_semicolon_cp1252_decimal_comma(tmp_path):
    path = tmp_path / "pendling.csv"
    path.write_bytes("bosted;arbeidssted;sysselsatte;andel\n301;3201;1 234;12,5\n".encode("cp1252"))
    df = read_table(path)
    assert list(df.columns) == ["bosted", "arbeidssted", "sysselsatte", "andel"]
    assert df.iloc[0]["bosted"] == "301"  # read as text: validation pads it
    assert df.iloc[0]["andel"] == "12,5"


def test_csv_with_lon_lat_is_points(tmp_path):
    path = tmp_path / "steder.csv"
    path.write_text("id,kommunenummer,lon,lat\na,3324,8.94,60.70\n", encoding="utf-8")
    df = read_table(path)
    assert isinstance(df, gpd.GeoDataFrame) and df.crs.to_epsg() == 4326


def test_unsupported_suffix(tmp_path):
    p = tmp_path / "x.docx"
    p.write_text("x")
    with pytest.raises(nv.DataValidationError, match="unsupported file type '.docx'"):
        read_table(p)


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_write_result_formats(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"a": [1, 2], "members": [["0301", "3201"], ["3203"]]},
        geometry=[shapely.Point(0, 6.7e6), shapely.Point(1, 6.7e6)],
        crs="EPSG:25833",
    )
    for suffix in (".csv", ".xlsx", ".gpkg", ".geojson"):
        path = write_result(gdf, tmp_path / f"r{suffix}")
        assert path.exists() and path.stat().st_size > 0
    back = pd.read_csv(tmp_path / "r.csv", dtype=str)
    assert back["members"].tolist() == ["0301, 3201", "3203"]
    assert gpd.read_file(tmp_path / "r.geojson").crs.to_epsg() == 4326
    with pytest.raises(nv.DataValidationError, match="no geometry"):
        write_result(pd.DataFrame({"a": [1]}), tmp_path / "x.gpkg")


def test_write_tables_sheets(tmp_path):
    write_tables(
        {"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"y": [2]})}, tmp_path / "t.xlsx"
    )
    sheets = pd.read_excel(tmp_path / "t.xlsx", sheet_name=None)
    assert list(sheets) == ["a", "b", "Forklaring", "Kjøring"]
    assert sheets["a"]["x"].tolist() == [1] and sheets["b"]["y"].tolist() == [2]
