"""The Dataset: one validated container of every table, and the doors data enters by."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from nettverk._errors import DataValidationError, NettverkError

from .codes import CodeBook, normalise_name
from .population import PopulationGrid
from .vocab import did_you_mean
from .register import active_mask, councils_of, layers

__all__ = ["Dataset", "get_path", "TABLES"]


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
    "befolkning.csv.gz",
    "stedsnavn.csv",
    "ikt_kostnader_fakta.csv",
)
#: Embedded files that are not tables of a ``--data`` folder (a copy of geodata/ holds them).
EMBEDDED_EXTRAS = (
    "provenance.json",
    "README.md",
    "bredband_dekning.csv",
    "befolkning.csv.gz",
    "stedsnavn.csv",
    "ikt_kostnader_fakta.csv",
)


def data_dir() -> Path:
    """Return the folder of the embedded data: in the wheel, or geodata/ in a checkout."""
    packaged = resources.files("nettverk") / "geodata"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "geodata"


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
    path = data_dir() / name
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
    grid : PopulationGrid or None
        Residents per grid cell, read when first asked for (:attr:`befolkning`).
    places : pandas.DataFrame or None
        Named places (GeoNames): ``navn``, ``innbyggere``, ``x``, ``y`` (EPSG:25833).
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
    grid: PopulationGrid | None = field(default=None, compare=False, repr=False)
    places: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    kartlegging: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    def own_costs(self, codes: list[str]) -> np.ndarray:
        """The members' own yearly ICT cost (``kartlegging``) for each code, NaN where none.

        Examples
        --------
        >>> nv.load_default().own_costs(["3324"]).tolist()   # the embedded data has none
        [nan]
        """
        if self.kartlegging is None or len(self.kartlegging) == 0:
            return np.full(len(codes), np.nan)
        own = self.kartlegging.set_index("kommunenummer")["ikt_kostnad_nok"]
        return own.reindex(list(codes)).to_numpy(dtype=float)

    @property
    def root(self) -> Dataset:
        """The dataset this one was cut from with :meth:`select` (itself if it was not)."""
        return self.__dict__.get("_root", self)

    @property
    def befolkning(self) -> pd.DataFrame:
        """Residents per populated grid cell of the selected municipalities (read on first use).

        Columns ``ssbid``, ``x``, ``y`` (cell centre, EPSG:25833), ``cell_m``, ``innbyggere``,
        ``kommunenummer``.

        Examples
        --------
        >>> g = nv.load_default().select(municipalities=["Gol"]).befolkning
        >>> int(g["cell_m"].iloc[0]), bool(g["innbyggere"].sum() > 4000)
        (250, True)
        """
        if self.grid is None:
            raise DataValidationError(
                "this dataset has no population grid; add befolkning.csv (SSB's 250 m grid: "
                "SSBID0250M;pop_tot) to the --data folder"
            )
        return self.grid.frame()

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
        return reference_codebook(self.historikk)

    def code(self, value: object) -> str:
        """Return the 2024 kommunenummer of a code or name in this dataset.

        Raises
        ------
        UnknownMunicipalityError, AmbiguousMunicipalityError
            The name is unknown, ambiguous, or the municipality is not in this dataset.

        Examples
        --------
        >>> ds = nv.load_default()
        >>> ds.code("Gol"), ds.code(301)
        ('3324', '0301')
        """
        from nettverk._errors import UnknownMunicipalityError

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
        from nettverk._types import split_list

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
            names = set(k["fylkesnavn"].astype(str)) | set(FORMER_COUNTIES)
            raise DataValidationError(
                f"unknown county {county!r}{did_you_mean(text, names)}; use one of: {valid}"
            )
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
        >>> ds = nv.load_default().select(counties=["Buskerud"])
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
        grid = None if self.grid is None else self.grid.subset(keep)
        kart = self.kartlegging
        if kart is not None:
            kart = kart[kart["kommunenummer"].isin(codes)]
        out = replace(
            self,
            kommuner=k,
            steder=st,
            samarbeid=sam,
            medlemskap=med,
            pendling=pen,
            veger=veg,
            ruter=rut,
            grid=grid,
            kartlegging=kart,
        )
        out.__dict__["_root"] = self.root
        return out

    def active_collaborations(
        self, *, include_inactive: bool = False, year: int | None = None
    ) -> pd.DataFrame:
        """The collaborations active in ``year`` (default 2024; or every one, if asked).

        Active means status ``aktiv`` and the year within ``fra_aar``-``til_aar`` where given
        (:func:`nettverk.data.register.active_mask`).
        """
        if include_inactive:
            return self.samarbeid
        return self.samarbeid[active_mask(self.samarbeid, year).to_numpy()]

    def active_memberships(
        self, *, area: str | None = None, year: int | None = None
    ) -> pd.DataFrame:
        """The membership rows of the active collaborations (in one area, if given).

        Examples
        --------
        >>> m = nv.load_default().active_memberships(area="drift")
        >>> bool((m["omrade"] == "drift").all()) and "hallingdal-ikt" in set(m["samarbeid_id"])
        True
        """
        active = set(self.active_collaborations(year=year)["id"])
        med = self.medlemskap[self.medlemskap["samarbeid_id"].isin(active)]
        return med if area is None else med[med["omrade"] == area]

    def councils(self, municipalities=None, *, year: int | None = None) -> dict[str, list[str]]:
        """Each municipality's active regional councils (ids), for some or all municipalities.

        A council is an ``interkommunalt_politisk_rad`` with the council's own area ``strategi``
        (:func:`nettverk.data.register.layers`): Lofoten bredbånd, a broadband project run
        through Lofotrådet, is not a second council.

        Examples
        --------
        >>> ds = nv.load_default()
        >>> ds.councils(["Røst"])
        {'1856': ['lofotradet']}
        """
        codes = list(self.kommuner.index) if municipalities is None else self.codes(municipalities)
        return councils_of(self.samarbeid, self.medlemskap, codes, year=year)

    def layers(self) -> pd.Series:
        """Each collaboration's layer: ``council``, ``digi`` or ``other`` (indexed by id)."""
        return layers(self.samarbeid, self.medlemskap)


@lru_cache(maxsize=4)
def _reference_codebook_cached(key: int) -> CodeBook:
    hist = _HIST_CACHE[key]
    ref = embedded_kommuner_attrs()
    return CodeBook(ref, hist)


_HIST_CACHE: dict[int, pd.DataFrame] = {}


def reference_codebook(hist: pd.DataFrame) -> CodeBook:
    key = id(hist)
    _HIST_CACHE[key] = hist
    return _reference_codebook_cached(key)


@lru_cache(maxsize=1)
def embedded_kommuner_attrs() -> pd.DataFrame:
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
def embedded_places() -> pd.DataFrame:
    """Named places (GeoNames cities500, CC BY 4.0) in EPSG:25833: ``navn``, ``innbyggere``,
    ``x``, ``y``, ``kommunenummer``."""
    return pd.read_csv(get_path("stedsnavn.csv"), dtype={"kommunenummer": str, "navn": str})


@lru_cache(maxsize=1)
def embedded_history() -> pd.DataFrame:
    return pd.read_csv(
        get_path("kommunenummer_historikk.csv"),
        dtype={"kommunenummer": str, "kommunenummer_2024": str, "kommunenavn": str},
    )
