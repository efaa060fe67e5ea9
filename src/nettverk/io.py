"""File I/O: read the tables users really have, write results atomically by extension."""

from __future__ import annotations

import csv
import io as _io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from ._errors import DataValidationError

if TYPE_CHECKING:
    from .digging import DiggingResult

__all__ = [
    "VECTOR_SUFFIXES",
    "TABLE_SUFFIXES",
    "read_table",
    "write_csv",
    "write_vector",
    "write_result",
    "write_tables",
    "atomic_path",
    "write_excel",
    "write_digging",
]

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


def read_table(path: str | os.PathLike, *, layer: str | None = None) -> pd.DataFrame:
    """Read one table from a vector file, a CSV or an Excel workbook.

    CSV files may use ``,``, ``;`` or tabs, UTF-8 or Windows-1252; every cell is read as
    text so codes keep their leading zeros (validation converts numbers, decimal commas
    included). Vector files come back as GeoDataFrames in their own CRS.

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
        from ._validate import parse_number

        lon = df[cols["lon"]].map(parse_number)
        lat = df[cols["lat"]].map(parse_number)
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return df


def _short(exc: Exception) -> str:
    """The first sentence of a library's error, on one line."""
    text = " ".join(str(exc).split())
    text = text.split("; ")[0]
    return text if len(text) <= 160 else text[:157] + "..."


class atomic_path:
    """Context manager giving a temporary path next to ``path``, renamed onto it on success.

    A failed write never leaves half a file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hei")
    >>> target.read_text()
    'hei'
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def __enter__(self) -> Path:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                prefix=f".{self.path.stem}.", suffix=self.path.suffix, dir=self.path.parent
            )
        except OSError as exc:
            raise self._error(exc) from exc
        os.close(fd)
        os.unlink(name)  # GDAL refuses to overwrite an empty non-gpkg file
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                os.replace(self.tmp, self.path)
            except OSError as err:
                self.tmp.unlink(missing_ok=True)
                raise self._error(err) from err
            return
        self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # name the user's file, never the hidden temporary one
            raise self._error(exc) from exc

    def _error(self, exc: OSError) -> DataValidationError:
        why = exc.strerror or type(exc).__name__
        return DataValidationError(
            f"{self.path}: cannot write ({why}); choose a folder you can write to"
        )


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, excel: bool = False) -> Path:
    """Write a table as UTF-8 CSV (comma separated), atomically and deterministically.

    With ``excel=True`` it is written for Norwegian Excel instead: semicolons, decimal commas
    and a UTF-8 byte-order mark, so a double-click shows columns and æøå right (the machine
    CSV stays the default for Python and QGIS).
    """
    path = Path(path)
    frame = df.drop(columns="geometry") if "geometry" in df.columns else df
    with atomic_path(path) as tmp:
        if excel:
            frame.to_csv(
                tmp, index=False, sep=";", decimal=",", lineterminator="\r\n", encoding="utf-8-sig"
            )
        else:
            frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    return path


def write_vector(
    gdf: gpd.GeoDataFrame, path: str | os.PathLike, *, layer: str | None = None
) -> Path:
    """Write a GeoDataFrame to GeoPackage or GeoJSON (EPSG:4326, as RFC 7946 asks), atomically."""
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
    return path


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


def _excel_sheet(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A result table as a planner reads it: bokmål headers, MNOK, ja/nei; and each column's
    kind."""
    from .columns import lookup

    out = _excel_frame(df)
    kinds = []
    for col in list(out.columns):
        c = lookup(str(col))
        kinds.append(c.kind)
        if c.kind == "mnok":
            out[col] = pd.to_numeric(out[col], errors="coerce") / 1e6
        elif c.kind == "bool":
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
        values = frame.iloc[:, j - 1].astype(str).str.len() if len(frame) else pd.Series([0])
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

    from . import __version__
    from .columns import describe

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
) -> list[Path]:
    """Write several tables: sheets of one .xlsx, layers of one .gpkg, or one .csv per table.

    With .csv the first table goes to ``path`` and each further one to ``<stem>_<name>.csv``;
    .xlsx is formatted for reading (see :func:`write_excel`).
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
        return [path]
    if suffix == ".csv":
        written = []
        for i, (name, df) in enumerate(tables.items()):
            target = path if i == 0 else path.with_name(f"{path.stem}_{name}{path.suffix}")
            written.append(write_csv(_excel_frame(df), target))
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
) -> Path:
    """Write a :class:`nettverk.digging.DiggingResult`, choosing what from the extension.

    ``.gpkg``: the shared segments, the municipalities and each one's own tree as layers;
    ``.geojson``: the shared segments; ``.xlsx``: a summary sheet, the municipalities, the
    segments and (with ``sensitivity``) the low/high scenarios; ``.csv``: the municipalities.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    t = result.totals
    if suffix == ".gpkg":
        layers = {
            "segmenter": result.segments,
            "kommuner": result.per_municipality,
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
