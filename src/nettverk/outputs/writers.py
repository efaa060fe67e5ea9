"""Result writers: the format from the extension (CSV, Excel, GeoPackage, GeoJSON), atomically."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError
from nettverk._files import atomic_path

if TYPE_CHECKING:
    from nettverk.analyses.digging.result import DiggingResult

__all__ = [
    "write_template",
    "write_csv",
    "write_vector",
    "write_result",
    "write_tables",
    "write_excel",
    "write_digging",
]


def write_csv(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    excel: bool = False,
) -> Path:
    """Write a table as UTF-8 CSV (comma separated), atomically and deterministically.

    With ``excel=True`` it is written for Norwegian Excel instead: semicolons, decimal commas
    and a UTF-8 byte-order mark, so a double-click shows columns and æøå right (the machine
    CSV stays the default for Python and QGIS); and as the workbooks show it: bokmål headers
    with units, MNOK, ja/nei, and every text Excel would turn into a number or a date (``0301``,
    ``4611,4617``) written as the formula ``="0301"`` so it stays text, zeros included.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> t = pd.DataFrame({"kommunenummer": ["0301"], "net_gain_nok": [7_330_000.0]})
    >>> _ = write_csv(t, p, excel=True)
    >>> head, row = p.read_text(encoding="utf-8-sig").splitlines()
    >>> head, row.startswith('"=') and "0301" in row, row.endswith(";7,33")
    ('Kommunenr.;Netto gevinst (MNOK/år)', True, True)
    """
    path = Path(path)
    frame = df.drop(columns="geometry") if "geometry" in df.columns else df
    if excel:
        shown, kinds = _excel_sheet(frame)
        for col, kind in zip(list(shown.columns), kinds):
            if kind == "mnok":  # MNOK to the nearest hundred kroner, not float noise
                shown[col] = pd.to_numeric(shown[col], errors="coerce").round(4)
        frame = _excel_text(shown)
    with atomic_path(path) as tmp:
        if excel:
            frame.to_csv(
                tmp, index=False, sep=";", decimal=",", lineterminator="\r\n", encoding="utf-8-sig"
            )
        else:
            frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    return path


#: Text Norwegian Excel would read as a number or a date: digits with separators, signs, dates.
_LOOKS_NUMERIC = r"^\s*[-+]?[\d][\d\s.,/:-]*$"


def _excel_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that look like numbers or dates as ``="..."``, so Excel keeps them as text."""
    out = frame.copy()
    for col in out.columns:
        v = out[col]
        if pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v):
            continue
        v = v.astype(object)
        text = v.map(lambda x: isinstance(x, str))
        risky = text & v.astype(str).str.match(_LOOKS_NUMERIC)
        if risky.any():
            out[col] = v.where(~risky, '="' + v.astype(str) + '"')
    return out


def write_vector(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike,
    *,
    layer: str | None = None,
    styles: bool = True,
) -> Path:
    """Write a GeoDataFrame to GeoPackage or GeoJSON (EPSG:4326, as RFC 7946 asks), atomically.

    A GeoPackage carries the layer's QGIS style (:mod:`nettverk.outputs.qgis`) and one fixed
    change time, so the same result gives the same bytes, unless ``styles=False`` (the embedded
    input data, which is data, not a result, and is built with GDAL's ``OGR_CURRENT_DATE``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    drivers = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".fgb": "FlatGeobuf"}
    if suffix not in drivers:
        raise DataValidationError(
            f"{path}: cannot write {suffix!r} as a map layer; use .gpkg or .geojson"
        )
    out = gdf
    if suffix in (".geojson", ".json") and gdf.crs is not None:
        out = gdf.to_crs("EPSG:4326")
    with atomic_path(path) as tmp:
        kwargs = {"layer": layer or path.stem} if suffix == ".gpkg" else {}
        out.to_file(tmp, driver=drivers[suffix], engine="pyogrio", **kwargs)
        if suffix == ".gpkg" and styles:  # QGIS opens the layer styled
            from .qgis import add_layer_styles

            add_layer_styles(tmp, {kwargs["layer"]: out})
            _fixed_times(tmp)
    return path


#: The time every GeoPackage written here says it was changed: the same result, the same bytes.
_GPKG_TIME = "2024-01-01T00:00:00.000Z"


def _fixed_times(path: Path) -> None:
    """Set the GeoPackage's ``last_change`` stamps (GDAL writes the clock) to one fixed time."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(os.fspath(path))) as con, con:
        con.execute("UPDATE gpkg_contents SET last_change = ?", (_GPKG_TIME,))


def _excel_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns="geometry") if "geometry" in df.columns else df.copy()
    out = pd.DataFrame(out)
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple, set, dict))).any():
            out[col] = out[col].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v
            )
    return out


#: What every workbook says about the data's limits (the "Kjøring" sheet).
DISCLAIMER = (
    "Samarbeidsdataene er ikke et fullstendig register: de bygger på offentlige kilder (se "
    "geodata/README.md), "
    "regionråd og digitaliseringsnettverk har en sikkerhet per medlemskap, og kostnadsmodellen "
    "bygger delvis "
    "på antakelser (nettverk costs). Bruk tallene som grunnlag for å utrede, ikke som vedtak."
)

_FORMATS = {
    "mnok": "#,##0.0",
    "nok": "#,##0",
    "int": "#,##0",
    "share": "0.0%",
    "float": "0.00",
    "km": "#,##0.0",
    "m": "#,##0",
}


def _is_bool(values: pd.Series) -> bool:
    """Whether a column holds only True/False (a planner reads ja/nei)."""
    v = values.dropna()
    return len(v) > 0 and bool(v.map(lambda x: isinstance(x, (bool, np.bool_))).all())


def _excel_sheet(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A result table as a planner reads it: bokmål headers, MNOK, ja/nei; and each column's
    kind."""
    from nettverk.data.columns import lookup

    out = _excel_frame(df)
    kinds = []
    for col in list(out.columns):
        c = lookup(str(col))
        kinds.append(c.kind)
        if c.kind == "mnok":
            out[col] = pd.to_numeric(out[col], errors="coerce") / 1e6
        elif c.kind == "bool" or _is_bool(out[col]):
            out[col] = out[col].map({True: "ja", False: "nei"}).fillna(out[col])
    labels, seen = [], set()
    for col in out.columns:
        lab = lookup(str(col)).label
        lab = lab if lab not in seen else f"{lab} ({col})"
        seen.add(lab)
        labels.append(lab)
    out.columns = labels
    return out, kinds


def _format_sheet(ws, kinds: list[str], frame: pd.DataFrame) -> None:
    """Bold frozen header with a filter, number formats by kind, widths that fit."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    for j, cell in enumerate(ws[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        kind = kinds[j - 1] if j - 1 < len(kinds) else "text"
        fmt = _FORMATS.get(kind)
        letter = get_column_letter(j)
        if fmt:
            for (c,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                c.number_format = fmt
        col = frame.iloc[:, j - 1]
        values = (
            col.map(lambda v: 0 if v is None or v is pd.NA else len(str(v)))
            if len(frame)
            else pd.Series([0])
        )
        values = values.fillna(0)
        width = max(min(int(values.max()) + 2, 60), min(len(str(cell.value)) + 2, 28), 8)
        ws.column_dimensions[letter].width = width


def write_excel(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    run: Mapping[str, object] | None = None,
) -> Path:
    """Write result tables to one workbook a planner can paste from, atomically.

    Each table becomes a sheet with bokmål headers with units, number formats (MNOK with one
    decimal, shares in per cent), a frozen header and a filter; then a "Forklaring" sheet (every
    column: label, machine name, meaning, unit, basis) and a "Kjøring" sheet (``run``: command,
    options, status, ... and the data's limits).

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.xlsx"
    >>> t = pd.DataFrame({"member_names": ["Gol, Ål"], "net_gain_nok": [7_330_000.0]})
    >>> _ = write_excel({"klynger": t}, p)
    >>> ws = openpyxl.load_workbook(p)["klynger"]
    >>> ws.parent.sheetnames, ws["B1"].value, ws["B2"].value, ws["B2"].number_format
    (['klynger', 'Forklaring', 'Kjøring'], 'Netto gevinst (MNOK/år)', 7.33, '#,##0.0')
    """
    import datetime

    from nettverk._version import __version__
    from nettverk.data.columns import describe

    path = Path(path)
    cols: list[str] = []
    info = {
        "Program": f"nettverk {__version__}",
        "Dato": datetime.date.today().isoformat(),
        **(run or {}),
        "Forbehold": DISCLAIMER,
    }
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in tables.items():
                frame, kinds = _excel_sheet(df)
                sheet = name[:31]
                frame.to_excel(xw, sheet_name=sheet, index=False)
                _format_sheet(xw.sheets[sheet], kinds, frame)
                cols += [str(c) for c in _excel_frame(df).columns]
            expl = describe(cols)
            expl.to_excel(xw, sheet_name="Forklaring", index=False)
            _format_sheet(xw.sheets["Forklaring"], ["text"] * 5, expl)
            kj = pd.DataFrame({"Felt": list(info), "Verdi": [str(v) for v in info.values()]})
            kj.to_excel(xw, sheet_name="Kjøring", index=False)
            _format_sheet(xw.sheets["Kjøring"], ["text", "text"], kj)
            xw.sheets["Kjøring"].column_dimensions["B"].width = 100
            fixed = datetime.datetime(2024, 1, 1)
            xw.book.properties.created = fixed
            xw.book.properties.modified = fixed
    return path


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    run: Mapping[str, object] | None = None,
    excel_csv: bool = False,
) -> list[Path]:
    """Write several tables: sheets of one .xlsx, layers of one .gpkg, or one .csv per table.

    With .csv the first table goes to ``path`` and each further one to ``<stem>_<name>.csv``
    (``excel_csv``: for Norwegian Excel, see :func:`write_csv`); .xlsx is formatted for reading
    (see :func:`write_excel`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return [write_excel(tables, path, run=run)]
    if suffix == ".gpkg":
        import pyogrio

        with atomic_path(path) as tmp:
            for name, df in tables.items():
                if isinstance(df, gpd.GeoDataFrame):
                    df.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
                else:
                    pyogrio.write_dataframe(_excel_frame(df), tmp, layer=name, driver="GPKG")
            from .qgis import add_layer_styles

            add_layer_styles(tmp, dict(tables))  # QGIS opens each map layer styled
            _fixed_times(tmp)
        return [path]
    if suffix == ".csv":
        written = []
        for i, (name, df) in enumerate(tables.items()):
            target = path if i == 0 else path.with_name(f"{path.stem}_{name}{path.suffix}")
            written.append(write_csv(_excel_frame(df), target, excel=excel_csv))
        return written
    raise DataValidationError(
        f"{path}: unsupported output type {suffix!r}; use .xlsx, .gpkg or .csv"
    )


def write_result(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    run: Mapping[str, object] | None = None,
    excel_csv: bool = False,
) -> Path:
    """Write one result table, choosing the format from the extension.

    ``.csv`` and ``.xlsx`` drop the geometry; ``.gpkg`` and ``.geojson`` keep it. With
    ``excel_csv`` the CSV is written for a double-click in Norwegian Excel (see
    :func:`write_csv`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_csv(_excel_frame(df), path, excel=excel_csv)
    if suffix == ".xlsx":
        return write_excel({path.stem[:31] or "resultat": df}, path, run=run)
    if suffix in (".gpkg", ".geojson", ".json", ".fgb"):
        if not isinstance(df, gpd.GeoDataFrame):
            raise DataValidationError(
                f"{path}: this result has no geometry; write it as .csv or .xlsx"
            )
        return write_vector(
            gpd.GeoDataFrame(_excel_frame(df), geometry=df.geometry, crs=df.crs), path
        )
    raise DataValidationError(
        f"{path}: unsupported output type {suffix!r}; use .csv, .xlsx, .gpkg or .geojson"
    )


def write_digging(
    result: DiggingResult,
    path: str | os.PathLike,
    *,
    sensitivity: pd.DataFrame | None = None,
    run: Mapping[str, object] | None = None,
    excel_csv: bool = False,
    areas: gpd.GeoSeries | None = None,
) -> Path:
    """Write a :class:`nettverk.analyses.digging.DiggingResult`, choosing what from the extension.

    ``.gpkg``: the shared segments, the sites (centres, settlements or households), the
    municipalities (their areas from ``areas``, a GeoSeries on kommunenummer such as
    ``ds.kommuner.geometry``, else a table) and each one's own tree as layers, each styled for
    QGIS;
    ``.geojson``: the shared segments; ``.xlsx``: a summary sheet, the municipalities, the
    segments and (with ``sensitivity``) the low/high scenarios; ``.csv``: the municipalities.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    t = result.totals
    if suffix == ".gpkg":
        per = result.per_municipality
        if areas is not None:  # each member's share on its own area in QGIS
            shapes = areas.reindex(per["kommunenummer"]).to_numpy()
            per = gpd.GeoDataFrame(per, geometry=shapes, crs=areas.crs)
        layers = {
            "segmenter": result.segments,
            "steder": result.sites,
            "kommuner": per,
            "alene": result.standalone_segments,
        }
        return write_tables(layers, path)[0]
    if suffix == ".geojson":
        return write_result(result.segments, path)
    if suffix == ".xlsx":
        sheets = {
            "Sammendrag": result.totals_table(),
            "Kommuner": result.per_municipality,
            "Segmenter": result.segments,
        }
        if sensitivity is not None:
            sheets["Følsomhet"] = sensitivity
        info = {**(run or {}), "Fordeling": t["split"], "Vurdering": t["verdict"]}
        return write_tables(sheets, path, run=info)[0]
    return write_result(result.per_municipality, path, excel_csv=excel_csv)


def write_template(df: pd.DataFrame, path: str | os.PathLike, *, sheet: str) -> Path:
    """Write a table meant to be filled in and read back: bokmål headers as in the workbooks
    (the reader takes them, or the machine names), a bold frozen header, number formats, and a
    "Forklaring" sheet giving each column's machine name and meaning. ``.csv`` is written for
    Norwegian Excel (semicolons, decimal commas, codes as ``="0301"``).
    """
    from nettverk.data.columns import describe

    path = Path(path)
    if path.suffix.lower() == ".csv":
        return write_csv(df, path, excel=True)
    shown, kinds = _excel_sheet(df)
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            shown.to_excel(xw, sheet_name=sheet, index=False)
            _format_sheet(xw.sheets[sheet], kinds, shown)
            expl = describe(list(df.columns))
            expl.to_excel(xw, sheet_name="Forklaring", index=False)
            _format_sheet(xw.sheets["Forklaring"], ["text"] * 5, expl)
            import datetime

            fixed = datetime.datetime(2024, 1, 1)
            xw.book.properties.created = fixed
            xw.book.properties.modified = fixed
    return path
