"""File input: read the tables users really have (vector files, CSV, Excel)."""

from __future__ import annotations

import csv
import io as _io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from nettverk._errors import DataValidationError

if TYPE_CHECKING:
    pass

__all__ = ["VECTOR_SUFFIXES", "TABLE_SUFFIXES", "read_table"]


VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx")


def _decode(raw: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DataValidationError(
        f"{path}: cannot decode as UTF-8 or Windows-1252; save it as UTF-8 CSV"
    )


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


#: A cell Norwegian Excel is told to keep as text (``="0301"``), and the text inside.
_EXCEL_TEXT = r'^="(.*)"$'


def read_table(path: str | os.PathLike, *, layer: str | None = None) -> pd.DataFrame:
    """Read one table from a vector file, a CSV or an Excel workbook.

    CSV files may use ``,``, ``;`` or tabs, UTF-8 or Windows-1252; every cell is read as
    text so codes keep their leading zeros (validation converts numbers, decimal commas
    included), and a cell written for Excel as ``="0301"`` is read as ``0301``. Vector files
    come back as GeoDataFrames in their own CRS.

    Parameters
    ----------
    path : str or path-like
        ``.gpkg``, ``.geojson``, ``.json``, ``.shp``, ``.fgb``, ``.csv``, ``.txt`` or ``.xlsx``.
    layer : str, optional
        Layer (GeoPackage) or sheet (Excel) to read; default: the only one, or one with
        the table's name.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise DataValidationError(f"{path}: file not found; check the path")
    if suffix in VECTOR_SUFFIXES:
        kwargs = {}
        if suffix == ".gpkg":
            import pyogrio

            try:
                layers = [str(name) for name, _ in pyogrio.list_layers(path)]
            except Exception as exc:  # truncated, corrupt or not a GeoPackage at all
                raise DataValidationError(
                    f"{path}: cannot read as GeoPackage ({_short(exc)}); the file is damaged "
                    "or not a GeoPackage: export it again from QGIS"
                ) from exc
            if layer is None and len(layers) > 1:
                want = path.stem
                if want not in layers:
                    raise DataValidationError(
                        f"{path}: several layers ({', '.join(layers)}); name the file after one "
                        f"layer or keep one layer per file"
                    )
                layer = want
            if layer is not None:
                kwargs["layer"] = layer
        try:
            return gpd.read_file(path, **kwargs)
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise DataValidationError(
                f"{path}: cannot read as {suffix[1:]} ({_short(exc)}); the file is damaged "
                "or of another type: export it again"
            ) from exc
    if suffix in (".csv", ".txt"):
        text = _decode(path.read_bytes(), path)
        delim = _sniff_delimiter(text)
        try:
            df = pd.read_csv(
                _io.StringIO(text),
                sep=delim,
                dtype=str,
                keep_default_na=False,
                quoting=csv.QUOTE_MINIMAL,
                skipinitialspace=True,
            )
        except pd.errors.EmptyDataError as exc:
            raise DataValidationError(
                f"{path}: the file is empty; give a CSV with a header row"
            ) from exc
        except pd.errors.ParserError as exc:
            raise DataValidationError(f"{path}: {exc}; check quoting and the separator") from exc
        df.columns = [str(c).strip() for c in df.columns]
        # a file written with --excel-csv keeps codes as Excel text formulas: ="0301" is 0301
        df = df.replace(_EXCEL_TEXT, r"\1", regex=True)
        return _points_from_lonlat(df)
    if suffix == ".xlsx":
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
        except Exception as exc:
            raise DataValidationError(
                f"{path}: cannot read as Excel ({exc}); save it as .xlsx"
            ) from exc
        if layer is None:
            layer = path.stem if path.stem in sheets else next(iter(sheets))
        if layer not in sheets:
            raise DataValidationError(f"{path}: no sheet {layer!r}; sheets are {', '.join(sheets)}")
        df = sheets[layer]
        df.columns = [str(c).strip() for c in df.columns]
        return _points_from_lonlat(df)
    valid = ", ".join(VECTOR_SUFFIXES + TABLE_SUFFIXES)
    raise DataValidationError(f"{path}: unsupported file type {suffix!r}; use one of {valid}")


def _points_from_lonlat(df: pd.DataFrame) -> pd.DataFrame:
    """Turn ``lon``/``lat`` columns of a table into point geometry in EPSG:4326."""
    cols = {c.lower(): c for c in df.columns}
    if "lon" in cols and "lat" in cols:
        from .vocab import parse_number

        lon = df[cols["lon"]].map(parse_number)
        lat = df[cols["lat"]].map(parse_number)
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return df


def _short(exc: Exception) -> str:
    """The first sentence of a library's error, on one line."""
    text = " ".join(str(exc).split())
    text = text.split("; ")[0]
    return text if len(text) <= 160 else text[:157] + "..."
