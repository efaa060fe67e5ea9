"""The doors data enters by: the embedded default data and the user's own folder, checked."""

from __future__ import annotations

import os
import warnings
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from nettverk import settings
from nettverk._errors import DataValidationError

from .checks import (
    Report,
    check_collaborations,
    check_kommuner,
    check_lines,
    check_medlemskap,
    check_pendling,
    check_samarbeid,
    check_steder,
)
from .codes import normalise_name
from .dataset import (
    EMBEDDED_EXTRAS,
    embedded_places,
    get_path,
    TABLES,
    Dataset,
    data_dir,
    embedded_history,
    embedded_kommuner_attrs,
    reference_codebook,
)
from .io import TABLE_SUFFIXES, VECTOR_SUFFIXES, read_table
from .kartlegging import check_kartlegging
from .population import PopulationGrid

__all__ = ["load_default", "read_dataset"]


def _find(folder: Path, table: str) -> Path | None:
    hits = [
        folder / f"{table}{sfx}"
        for sfx in VECTOR_SUFFIXES + TABLE_SUFFIXES
        if (folder / f"{table}{sfx}").exists()
    ]
    if len(hits) > 1:
        raise DataValidationError(
            f"{folder}: several files for table {table!r} ({', '.join(p.name for p in hits)}); "
            "keep one"
        )
    return hits[0] if hits else None


_DEFAULT: Dataset | None = None


def load_default() -> Dataset:
    """Return the embedded default data: Norway's 357 municipalities of 2024 and more.

    Sources and licences are in ``geodata/README.md`` (Kartverket and SSB, CC BY 4.0;
    Wikidata, CC0). The result is cached; treat it as read-only.

    Examples
    --------
    >>> ds = load_default()
    >>> len(ds.kommuner), int(ds.kommuner["innbyggere"].sum())
    (357, 5550203)
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = _read(data_dir(), {}, embedded=True)
    return _DEFAULT


def read_dataset(folder: str | os.PathLike | None = None, **paths: str | os.PathLike) -> Dataset:
    """Read and validate the user's own data.

    Tables are found in ``folder`` by name (``kommuner.gpkg``, ``samarbeid.csv`` or
    ``.xlsx``, ...) or given one by one as keyword paths. A table that is not given is taken
    from the embedded default data, and ``Dataset.sources`` says so.

    Parameters
    ----------
    folder : path, optional
        A folder in the layout of ``geodata/``.
    **paths
        Explicit files per table: ``kommuner=``, ``steder=``, ``samarbeid=``,
        ``medlemskap=``, ``pendling=``, ``veger=``, ``ruter=``.

    Raises
    ------
    DataValidationError
        Listing every problem found, one line each (file, row, value and the fix).

    Warns
    -----
    UserWarning
        Listing each old code or name mapped to the 2024 scheme.
    """
    unknown = set(paths) - set(TABLES) - {"befolkning", "kartlegging"}
    if unknown:
        raise DataValidationError(
            f"unknown table(s) {', '.join(sorted(unknown))}; tables are "
            f"{', '.join(TABLES + ('befolkning', 'kartlegging'))}"
        )
    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise DataValidationError(
                f"{folder}: not a folder; give the folder holding kommuner.gpkg, samarbeid.csv, ..."
            )
    ds = _read(folder, {k: Path(v) for k, v in paths.items()}, embedded=False)
    if folder is not None:
        for note in _folder_notes(folder, ds.sources, given=bool(paths)):
            warnings.warn(note, UserWarning, stacklevel=2)
    if ds.warnings:
        warnings.warn(
            f"{len(ds.warnings)} value(s) mapped to the 2024 scheme: " + "; ".join(ds.warnings),
            UserWarning,
            stacklevel=2,
        )
    return ds


#: Files that travel with a table and are read with it (shapefile parts), or are documentation.
_COMPANIONS = (
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qmd",
    ".sbn",
    ".sbx",
    ".xml",
    ".md",
    ".txt",
    ".json",
)


def _folder_notes(folder: Path, sources: dict[str, str], *, given: bool) -> list[str]:
    """Which files of a ``--data`` folder were read, which were ignored and why."""
    used = {
        Path(v).name
        for v in sources.values()
        if v not in ("embedded", "none") and not v.startswith("representative")
    }
    known = set(TABLES) | {"kommunenummer_historikk", "befolkning", "kartlegging"}
    ignored = []
    for f in sorted(folder.iterdir()):
        if (
            f.name in EMBEDDED_EXTRAS
            or f.name.startswith(".")
            or f.is_dir()
            or f.name in used
            or f.suffix.lower() in _COMPANIONS
        ):
            continue
        if f.stem in known and f.suffix.lower() in VECTOR_SUFFIXES + TABLE_SUFFIXES:
            continue
        stem = normalise_name(f.stem).replace(" ", "_")
        names = (*TABLES, "befolkning", "kartlegging")
        near = [t for t in names if t == stem or t == stem.rstrip("s") or t.startswith(stem[:5])]
        if f.suffix.lower() not in VECTOR_SUFFIXES + TABLE_SUFFIXES:
            why = f"not a supported file type (use {', '.join(VECTOR_SUFFIXES + TABLE_SUFFIXES)})"
        elif near:
            why = f"not a table name; did you mean {near[0]}{f.suffix.lower()}?"
        else:
            why = f"not a table name (tables: {', '.join(names)})"
        ignored.append(f"{f.name}: {why}")
    notes = []
    if ignored:
        notes.append(f"{folder}: ignored {len(ignored)} file(s): " + "; ".join(ignored))
    if not used and not given:
        notes.append(
            f"{folder}: no table was read from this folder; every table comes from the embedded "
            "data "
            f"(name the files {', '.join(t + '.csv/.gpkg' for t in TABLES[:2])}, ...)"
        )
    return notes


def _read(folder: Path | None, paths: dict[str, Path], *, embedded: bool) -> Dataset:
    """Read, check and assemble the tables: history, each table, references across tables,
    defaults."""
    report = Report()
    hist_path = None
    if folder is not None and not embedded:
        hist_path = _find(folder, "kommunenummer_historikk")
    hist = (
        embedded_history()
        if hist_path is None
        else pd.read_csv(hist_path, dtype=str).astype(
            {"aar": int, "vekt": float, "arealandel": float}
        )
    )
    book = reference_codebook(hist)
    frames, sources = _read_tables(folder, paths, book, report, embedded=embedded)
    report.raise_if_any()
    if not embedded:
        _check_references(frames, sources, book, report)
        report.raise_if_any()
        if sources["kommuner"] != "embedded":
            _cut_embedded_to(frames, sources, set(frames["kommuner"].index))
    ds = _assemble(frames, sources, hist, report)
    kart = _kartlegging(folder, paths, book, sources, embedded=embedded)
    return replace(ds, grid=_grid(folder, paths, ds, sources, embedded=embedded), kartlegging=kart)


def _kartlegging(folder, paths: dict[str, Path], book, sources: dict, *, embedded: bool):
    """The members' own numbers, where the folder (or ``kartlegging=``) gives them."""
    path = paths.get("kartlegging")
    if path is None and folder is not None and not embedded:
        path = _find(folder, "kartlegging")
    if path is None:
        return None
    report = Report()
    out = check_kartlegging(read_table(path), str(path), book, report)
    report.raise_if_any()
    for note in report.warnings:
        warnings.warn(note, UserWarning, stacklevel=4)
    sources["kartlegging"] = str(path)
    return out


def _grid(
    folder: Path | None, paths: dict[str, Path], ds: Dataset, sources: dict, *, embedded: bool
) -> PopulationGrid:
    """The population grid: the user's ``befolkning`` table (read on first use), else the
    embedded one cut to the dataset's municipalities."""
    path = paths.get("befolkning")
    if path is None and folder is not None and not embedded:
        path = _find(folder, "befolkning")
    if path is not None:
        if not Path(path).exists():
            raise DataValidationError(f"{path}: file not found; check the path")
        sources["befolkning"] = str(path)
        return PopulationGrid(path, kommuner=ds.kommuner)
    sources["befolkning"] = "embedded"
    grid = _EMBEDDED_GRID.get("grid")
    if grid is None:
        grid = _EMBEDDED_GRID["grid"] = PopulationGrid(
            get_path("befolkning.csv.gz"), source="befolkning (SSB 250 m, 2022)"
        )
    return grid if embedded else grid.subset(ds.kommuner.index)


_EMBEDDED_GRID: dict[str, PopulationGrid] = {}


#: The check of each table where it enters (``medlemskap`` also gets the checked ``samarbeid``).
_CHECKS = {
    "kommuner": lambda raw, src, book, frames, report: check_kommuner(
        raw, src, book, embedded_kommuner_attrs(), report
    ),
    "steder": lambda raw, src, book, frames, report: check_steder(raw, src, book, report),
    "samarbeid": lambda raw, src, book, frames, report: check_samarbeid(raw, src, book, report),
    "medlemskap": lambda raw, src, book, frames, report: check_medlemskap(
        raw,
        src,
        book,
        frames["samarbeid"] if isinstance(frames.get("samarbeid"), pd.DataFrame) else None,
        report,
    ),
    "pendling": lambda raw, src, book, frames, report: check_pendling(raw, src, book, report),
}


def _read_tables(
    folder: Path | None, paths: dict[str, Path], book, report: Report, *, embedded: bool
) -> tuple[dict[str, object], dict[str, str]]:
    """Each table from the user's file (checked), or else the embedded one; where each came from."""
    base = None if embedded else load_default()
    frames: dict[str, object] = {}
    sources: dict[str, str] = {}
    for table in TABLES:
        path = paths.get(table) or (_find(folder, table) if folder is not None else None)
        if path is None:
            frames[table] = getattr(base, table) if base is not None else None
            sources[table] = "embedded" if base is not None else "none"
            continue
        sources[table] = str(path)
        try:
            raw = read_table(path)
        except DataValidationError as exc:
            report.problems.extend(exc.problems)
            frames[table] = None
            continue
        if embedded:
            frames[table] = _trusted(table, raw)
        elif table in _CHECKS:
            frames[table] = _CHECKS[table](raw, str(path), book, frames, report)
        else:
            frames[table] = check_lines(raw, str(path), report, table=table)
    return frames, sources


def _check_references(frames: dict, sources: dict[str, str], book, report: Report) -> None:
    """Every table must refer to a municipality in the dataset; collaborations must agree with
    memberships."""
    known = set(frames["kommuner"].index)
    for table, cols in (
        ("steder", ["kommunenummer"]),
        ("medlemskap", ["kommunenummer"]),
        ("pendling", ["bosted", "arbeidssted"]),
    ):
        df = frames[table]
        if df is None or sources[table] == "embedded":
            continue
        for col in cols:
            missing = sorted(set(df[col]) - known)
            if missing:
                report.problems.append(
                    f"{sources[table]}: {col} {', '.join(missing[:10])} not among the "
                    "municipalities "
                    f"({sources['kommuner']}); add them there or remove the rows"
                )
    if sources["samarbeid"] != "embedded" or sources["medlemskap"] != "embedded":
        check_collaborations(
            frames["samarbeid"],
            frames["medlemskap"],
            book.current["kommunenavn"],
            sources["samarbeid"],
            sources["medlemskap"],
            report,
        )


def _cut_embedded_to(frames: dict, sources: dict[str, str], known: set[str]) -> None:
    """With the user's own municipalities, cut the embedded tables that reach outside them."""
    if sources["steder"] == "embedded":  # the embedded centres need not lie in the user's polygons
        frames["steder"] = None
    if sources["medlemskap"] == "embedded":
        frames["medlemskap"] = frames["medlemskap"][
            frames["medlemskap"]["kommunenummer"].isin(known)
        ]
    if sources["pendling"] == "embedded":
        p = frames["pendling"]
        frames["pendling"] = p[p["bosted"].isin(known) & p["arbeidssted"].isin(known)]
    if sources["samarbeid"] == "embedded":
        s = frames["samarbeid"]
        frames["samarbeid"] = s[s["id"].isin(set(frames["medlemskap"]["samarbeid_id"]))]


_EMPTY = {
    "samarbeid": lambda: pd.DataFrame(
        columns=[
            "id",
            "navn",
            "form",
            "status",
            "fra_aar",
            "til_aar",
            "vertskommune",
            "kilde",
            "merknad",
        ]
    ),
    "medlemskap": lambda: pd.DataFrame(
        columns=["samarbeid_id", "omrade", "kommunenummer", "rolle", "andel"]
    ),
    "pendling": lambda: pd.DataFrame(
        {
            "bosted": pd.Series(dtype=str),
            "arbeidssted": pd.Series(dtype=str),
            "sysselsatte": pd.Series(dtype="int64"),
        }
    ),
}


def _assemble(frames: dict, sources: dict[str, str], hist: pd.DataFrame, report: Report) -> Dataset:
    """The Dataset, with centres from the polygons and empty tables where none was given."""
    k = frames["kommuner"]
    steder = frames["steder"]
    if steder is None:
        pts = k.geometry.representative_point()
        names = k.get("administrasjonssenter", pd.Series("", index=k.index)).values
        steder = gpd.GeoDataFrame(
            {
                "id": [f"senter-{c}" for c in k.index],
                "kommunenummer": list(k.index),
                "type": "senter",
                "navn": names,
            },
            geometry=pts.values,
            crs=settings.CRS,
        )
        sources["steder"] = "representative points of kommuner"
    tables = {t: frames[t] if frames[t] is not None else _EMPTY[t]() for t in _EMPTY}
    return Dataset(
        kommuner=k,
        steder=steder,
        **tables,
        veger=frames["veger"],
        ruter=frames["ruter"],
        historikk=hist,
        sources=sources,
        warnings=tuple(report.warnings),
        places=embedded_places(),
    )


def _trusted(table: str, raw: pd.DataFrame):
    """Type the embedded tables (built and checked by scripts/build_geodata.py)."""
    if table == "kommuner":
        return raw.set_index("kommunenummer")
    if table in ("samarbeid",):
        df = raw.copy()
        for col in ("fra_aar", "til_aar", "navn_aar"):
            df[col] = pd.to_numeric(df[col].replace("", None)).astype("Int64")
        return df
    if table == "medlemskap":
        df = raw.copy()
        df["andel"] = pd.to_numeric(df["andel"].replace("", None)).astype("float64")
        return df
    if table == "pendling":
        df = raw.copy()
        df["sysselsatte"] = df["sysselsatte"].astype("int64")
        return df
    if table == "steder":
        df = raw.copy()
        df["flyttet_m"] = df["flyttet_m"].astype(float)
        return df
    return raw
