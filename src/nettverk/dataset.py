"""The Dataset: one validated container of every table, and the doors data enters by."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import settings
from ._errors import DataValidationError, NettverkError
from ._validate import (
    Report,
    check_collaborations,
    check_kommuner,
    check_lines,
    check_medlemskap,
    check_pendling,
    check_samarbeid,
    check_steder,
)
from .codes import CodeBook, normalise_name
from .io import TABLE_SUFFIXES, VECTOR_SUFFIXES, read_table

__all__ = ["Dataset", "load_default", "read_dataset", "get_path", "TABLES"]

#: The tables of a dataset folder, in the order they are read.
#: Counties that no longer exist: the code prefix of their municipalities and a year they existed.
FORMER_COUNTIES = {
    "Hedmark": ("04", 2019),
    "Oppland": ("05", 2019),
    "Aust-Agder": ("09", 2019),
    "Vest-Agder": ("10", 2019),
    "Hordaland": ("12", 2019),
    "Sogn og Fjordane": ("14", 2019),
    "Sør-Trøndelag": ("16", 2017),
    "Nord-Trøndelag": ("17", 2017),
    "Viken": ("30", 2023),
    "Vestfold og Telemark": ("38", 2023),
    "Troms og Finnmark": ("54", 2023),
}

TABLES = ("kommuner", "steder", "samarbeid", "medlemskap", "pendling", "veger", "ruter")
_FILES = (
    "kommuner.gpkg",
    "steder.gpkg",
    "samarbeid.csv",
    "medlemskap.csv",
    "pendling.csv",
    "veger.gpkg",
    "kommunenummer_historikk.csv",
    "provenance.json",
    "README.md",
    "bredband_dekning.csv",
)


def _data_dir() -> Path:
    """Return the folder of the embedded data: in the wheel, or geodata/ in a checkout."""
    packaged = resources.files("nettverk") / "geodata"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "geodata"


def get_path(name: str) -> Path:
    """Return the path of one embedded data file.

    Parameters
    ----------
    name : str
        One of the files in ``geodata/``, e.g. ``"kommuner.gpkg"``.

    Examples
    --------
    >>> get_path("kommuner.gpkg").name
    'kommuner.gpkg'
    """
    if name not in _FILES:
        raise NettverkError(f"no embedded file {name!r}; available: {', '.join(_FILES)}")
    path = _data_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"embedded data file {path} is missing; reinstall nettverk")
    return path


@dataclass(frozen=True)
class Dataset:
    """Every table nettverk works on, validated and on the 2024 municipality scheme.

    Treat it as immutable: analyses never change it, and :meth:`select` returns a new one.

    Attributes
    ----------
    kommuner : geopandas.GeoDataFrame
        Index ``kommunenummer``; ``kommunenavn``, ``fylkesnummer``, ``fylkesnavn``,
        ``innbyggere``, ``areal_km2``, ``administrasjonssenter``, ``ba_region``, geometry
        (EPSG:25833).
    steder : geopandas.GeoDataFrame
        Sites to connect: ``id``, ``kommunenummer``, ``type``, ``navn``, points.
    samarbeid, medlemskap : pandas.DataFrame
        Collaborations and their per-area membership (see DESIGN.md).
    pendling : pandas.DataFrame
        Commuting: ``bosted``, ``arbeidssted``, ``sysselsatte``.
    veger : geopandas.GeoDataFrame
        Digging corridors: roads and ferries.
    ruter : geopandas.GeoDataFrame or None
        Existing or planned broadband routes.
    historikk : pandas.DataFrame
        Code history: old code to 2024 code.
    sources : dict
        Where each table came from.
    warnings : tuple of str
        Mappings and notes made while reading (old codes mapped to 2024, ...).
    """

    kommuner: gpd.GeoDataFrame
    steder: gpd.GeoDataFrame
    samarbeid: pd.DataFrame
    medlemskap: pd.DataFrame
    pendling: pd.DataFrame
    veger: gpd.GeoDataFrame | None
    ruter: gpd.GeoDataFrame | None
    historikk: pd.DataFrame
    sources: dict = field(default_factory=dict, compare=False)
    warnings: tuple = field(default=(), compare=False)

    def __repr__(self) -> str:
        n_rut = 0 if self.ruter is None else len(self.ruter)
        return (
            f"<Dataset: {len(self.kommuner)} kommuner, {int(self.kommuner['innbyggere'].sum())} "
            "innbyggere, "
            f"{len(self.samarbeid)} samarbeid, {len(self.steder)} steder, "
            f"{0 if self.veger is None else len(self.veger)} veglenker, {n_rut} ruter>"
        )

    @cached_property
    def codebook(self) -> CodeBook:
        """Lookup of 2024 codes and names and their history."""
        return _reference_codebook(self.historikk)

    def code(self, value: object) -> str:
        """Return the 2024 kommunenummer of a code or name in this dataset.

        Raises
        ------
        UnknownMunicipalityError, AmbiguousMunicipalityError
            The name is unknown, ambiguous, or the municipality is not in this dataset.

        Examples
        --------
        >>> ds = load_default()
        >>> ds.code("Gol"), ds.code(301)
        ('3324', '0301')
        """
        from ._errors import UnknownMunicipalityError

        res = self.codebook.resolve(value)
        if res.note:
            warnings.warn(res.note, UserWarning, stacklevel=2)
        if res.kommunenummer not in self.kommuner.index:
            name = self.codebook.current["kommunenavn"].get(res.kommunenummer, "")
            msg = (
                f"municipality {res.kommunenummer} {name} is not in this dataset (selection); "
                "widen the selection"
            )
            raise UnknownMunicipalityError(msg)
        return res.kommunenummer

    def codes(self, values) -> list[str]:
        """Resolve several codes or names, reporting every unknown one at once."""
        from ._types import split_list

        out, problems = [], []
        for v in split_list(values):
            try:
                out.append(self.code(v.strip() if isinstance(v, str) else v))
            except NettverkError as exc:
                problems.append(str(exc))
        if problems:
            raise DataValidationError(problems)
        return out

    def county_codes(self, county: object) -> list[str]:
        """Return the municipalities of a county given by number (``"34"``) or name
        (``"Innlandet"``)."""
        text = str(county).strip()
        k = self.kommuner
        if text.isdigit():
            nr = text.zfill(2)
            hits = k.index[k["fylkesnummer"] == nr]
        else:
            key = normalise_name(text)
            names = k["fylkesnavn"].astype(str).map(normalise_name)
            hits = k.index[(names == key) | names.str.startswith(key + " ")]
        if len(hits) == 0 and not text.isdigit():
            hits = self._former_county(text)
        if len(hits) == 0:
            valid = ", ".join(
                f"{nr} {nm}"
                for nr, nm in sorted(set(zip(k["fylkesnummer"], k["fylkesnavn"].astype(str))))
            )
            raise DataValidationError(f"unknown county {county!r}; use one of: {valid}")
        return sorted(hits)

    def _former_county(self, text: str) -> list[str]:
        """The 2024 municipalities of a county that no longer exists (Hordaland, Oppland, Viken
        ...), with a warning."""
        key = normalise_name(text)
        hit = next(
            (
                (name, prefix, year)
                for name, (prefix, year) in FORMER_COUNTIES.items()
                if normalise_name(name) == key
            ),
            None,
        )
        if hit is None:
            return []
        name, prefix, year = hit
        h = self.historikk
        rows = h[
            (h["aar"] == year)
            & h["kommunenummer"].astype(str).str.startswith(prefix)
            & (h["arealandel"] >= 0.5)
        ]
        codes = sorted(set(rows["kommunenummer_2024"]) & set(self.kommuner.index))
        now = sorted(set(self.kommuner.loc[codes, "fylkesnavn"].astype(str)))
        warnings.warn(
            f"{name} is a former county ({year}); its {len(codes)} municipalities are now in "
            f"{' and '.join(now)}: using those",
            UserWarning,
            stacklevel=3,
        )
        return codes

    def select(self, *, counties=None, municipalities=None) -> "Dataset":
        """Return the part of the dataset for some counties and/or municipalities.

        Memberships, commuting and sites are kept where they concern a selected municipality;
        roads and routes within 20 km of the selection are kept for digging.

        Examples
        --------
        >>> ds = load_default().select(counties=["Buskerud"])
        >>> len(ds.kommuner)
        18
        """
        codes: set[str] = set()
        if counties is not None:
            if isinstance(counties, (str, int)):
                counties = [counties]
            for c in counties:
                codes.update(self.county_codes(c))
        if municipalities is not None:
            codes.update(self.codes(municipalities))
        if counties is None and municipalities is None:
            return self
        keep = sorted(codes)
        k = self.kommuner.loc[keep]
        med = self.medlemskap[self.medlemskap["kommunenummer"].isin(codes)]
        sam = self.samarbeid[self.samarbeid["id"].isin(set(med["samarbeid_id"]))]
        pen = self.pendling[
            self.pendling["bosted"].isin(codes) & self.pendling["arbeidssted"].isin(codes)
        ]
        st = self.steder[self.steder["kommunenummer"].isin(codes)]
        # envelopes, not the detailed coastline: buffering that would take seconds
        area = shapely.union_all(
            shapely.buffer(shapely.envelope(k.geometry.values), 20_000, quad_segs=2)
        )
        veg = None if self.veger is None else self.veger[self.veger.intersects(area)]
        rut = None if self.ruter is None else self.ruter[self.ruter.intersects(area)]
        return replace(
            self,
            kommuner=k,
            steder=st,
            samarbeid=sam,
            medlemskap=med,
            pendling=pen,
            veger=veg,
            ruter=rut,
        )

    def active_collaborations(self, *, include_inactive: bool = False) -> pd.DataFrame:
        """Return the collaborations that are active (or every one, if asked)."""
        if include_inactive:
            return self.samarbeid
        return self.samarbeid[self.samarbeid["status"] == "aktiv"]

    def active_memberships(self, *, area: str | None = None) -> pd.DataFrame:
        """The membership rows of the active collaborations (in one area, if given).

        Examples
        --------
        >>> m = load_default().active_memberships(area="drift")
        >>> bool((m["omrade"] == "drift").all()) and "hallingdal-ikt" in set(m["samarbeid_id"])
        True
        """
        med = self.medlemskap[
            self.medlemskap["samarbeid_id"].isin(set(self.active_collaborations()["id"]))
        ]
        return med if area is None else med[med["omrade"] == area]


@lru_cache(maxsize=4)
def _reference_codebook_cached(key: int) -> CodeBook:
    hist = _HIST_CACHE[key]
    ref = _embedded_kommuner_attrs()
    return CodeBook(ref, hist)


_HIST_CACHE: dict[int, pd.DataFrame] = {}


def _reference_codebook(hist: pd.DataFrame) -> CodeBook:
    key = id(hist)
    _HIST_CACHE[key] = hist
    return _reference_codebook_cached(key)


@lru_cache(maxsize=1)
def _embedded_kommuner_attrs() -> pd.DataFrame:
    """The 2024 scheme's names and counties, the reference every input is resolved against."""
    import pyogrio

    df = pyogrio.read_dataframe(
        get_path("kommuner.gpkg"),
        read_geometry=False,
        columns=[
            "kommunenummer",
            "kommunenavn",
            "kommunenavn_offisielt",
            "fylkesnavn",
            "administrasjonssenter",
            "ba_region",
            "ba_nr",
        ],
    )
    return df.set_index("kommunenummer")


@lru_cache(maxsize=1)
def _embedded_history() -> pd.DataFrame:
    return pd.read_csv(
        get_path("kommunenummer_historikk.csv"),
        dtype={"kommunenummer": str, "kommunenummer_2024": str, "kommunenavn": str},
    )


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
        _DEFAULT = _read(_data_dir(), {}, embedded=True)
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
    unknown = set(paths) - set(TABLES)
    if unknown:
        raise DataValidationError(
            f"unknown table(s) {', '.join(sorted(unknown))}; tables are {', '.join(TABLES)}"
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
    known = set(TABLES) | {"kommunenummer_historikk"}
    ignored = []
    for f in sorted(folder.iterdir()):
        if (
            f.name.startswith(".")
            or f.is_dir()
            or f.name in used
            or f.suffix.lower() in _COMPANIONS
        ):
            continue
        if f.stem in known and f.suffix.lower() in VECTOR_SUFFIXES + TABLE_SUFFIXES:
            continue
        stem = normalise_name(f.stem).replace(" ", "_")
        near = [t for t in TABLES if t == stem or t == stem.rstrip("s") or t.startswith(stem[:5])]
        if f.suffix.lower() not in VECTOR_SUFFIXES + TABLE_SUFFIXES:
            why = f"not a supported file type (use {', '.join(VECTOR_SUFFIXES + TABLE_SUFFIXES)})"
        elif near:
            why = f"not a table name; did you mean {near[0]}{f.suffix.lower()}?"
        else:
            why = f"not a table name (tables: {', '.join(TABLES)})"
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
        _embedded_history()
        if hist_path is None
        else pd.read_csv(hist_path, dtype=str).astype(
            {"aar": int, "vekt": float, "arealandel": float}
        )
    )
    book = _reference_codebook(hist)
    frames, sources = _read_tables(folder, paths, book, report, embedded=embedded)
    report.raise_if_any()
    if not embedded:
        _check_references(frames, sources, book, report)
        report.raise_if_any()
        if sources["kommuner"] != "embedded":
            _cut_embedded_to(frames, sources, set(frames["kommuner"].index))
    return _assemble(frames, sources, hist, report)


#: The check of each table where it enters (``medlemskap`` also gets the checked ``samarbeid``).
_CHECKS = {
    "kommuner": lambda raw, src, book, frames, report: check_kommuner(
        raw, src, book, _embedded_kommuner_attrs(), report
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
