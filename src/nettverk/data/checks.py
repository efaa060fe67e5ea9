"""Validation where data enters: collect every problem, raise once.

Each ``check_*`` function takes a raw table as read from a file, returns the cleaned table
and appends one-line problems (file, row, value and the fix) and warnings to a
:class:`Report`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from nettverk import settings
from nettverk._errors import (
    AmbiguousMunicipalityError,
    DataValidationError,
    UnknownMunicipalityError,
)

from .codes import CodeBook, normalise_code
from .vocab import (
    ALIASES,
    AREAS,
    FORMS,
    ROLES,
    ROUTE_STATUSES,
    ROUTE_TYPES,
    STATUSES,
    normalise_term,
    parse_number,
)

__all__ = ["Report"]


@dataclass
class Report:
    """Problems and warnings collected while validating."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataValidationError(self.problems)


#: Column names as users (and the 10-character shapefile limit) write them.
_COLUMN_ALIASES = {
    "kommunenum": "kommunenummer",
    "kommunenr": "kommunenummer",
    "knr": "kommunenummer",
    "kommunenav": "kommunenavn",
    "navn_kommune": "kommunenavn",
    "folkemengde": "innbyggere",
    "befolkning": "innbyggere",
    "population": "innbyggere",
    "samarbeid_": "samarbeid_id",
    "sysselsatt": "sysselsatte",
    "arbeidsste": "arbeidssted",
    "administra": "administrasjonssenter",
}


def _rename_aliases(df: pd.DataFrame) -> pd.DataFrame:
    """Rename common spellings of the schema's columns, never overwriting an existing one."""
    mapping = {}
    for col in df.columns:
        key = str(col).strip().lower()
        target = _COLUMN_ALIASES.get(key, key)
        if target != col and target not in df.columns and target not in mapping.values():
            mapping[col] = target
    return df.rename(columns=mapping)


def _row_label(source: str, i: int, who: list[str] | None = None) -> str:
    """Row numbers as the user sees them: spreadsheet rows for tables, features for maps.

    ``who`` names each row (``3324 Gol``) where the table has a municipality.
    """
    name = f" ({who[i]})" if who is not None and i < len(who) and who[i] else ""
    if source.lower().endswith((".csv", ".txt", ".xlsx")):
        return f"{source}: row {i + 2}{name}"
    return f"{source}: feature {i + 1}{name}"


def _who(df: pd.DataFrame, book: CodeBook) -> list[str]:
    """``kommunenummer name`` of each row, as far as the code can be read."""
    names = (
        book.current["kommunenavn"]
        if "kommunenavn" in book.current.columns
        else pd.Series(dtype=str)
    )
    out = []
    for v in df["kommunenummer"].tolist() if "kommunenummer" in df.columns else [None] * len(df):
        try:
            code = normalise_code(v)
        except (ValueError, TypeError):
            out.append(str(v) if v is not None else "")
            continue
        out.append(f"{code} {names.get(code, '')}".strip())
    return out


def _require(df: pd.DataFrame, cols: list[str], source: str, report: Report) -> bool:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns)) or "none"
        report.problems.append(
            f"{source}: missing column(s) {', '.join(missing)}; the columns are {have}"
        )
        return False
    return True


def _vocab(
    df: pd.DataFrame,
    col: str,
    vocab: tuple[str, ...],
    alias_key: str,
    source: str,
    report: Report,
    *,
    required: bool = True,
) -> None:
    aliases = ALIASES.get(alias_key, {})
    out = []
    for i, v in enumerate(df[col].tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            if required:
                report.problems.append(
                    f"{_row_label(source, i)}: empty {col}; use one of {', '.join(vocab)}"
                )
            out.append("")
            continue
        t = normalise_term(v)
        t = aliases.get(t, t)
        if t not in vocab:
            report.problems.append(
                f"{_row_label(source, i)}: {col} {v!r} is not known; use one of {', '.join(vocab)}"
            )
        out.append(t)
    df[col] = out


def _codes(
    df: pd.DataFrame,
    col: str,
    book: CodeBook,
    source: str,
    report: Report,
    *,
    year: int | None = None,
) -> None:
    """Resolve a column of codes or names to 2024 codes, warning about each mapping."""
    out = []
    for i, v in enumerate(df[col].tolist()):
        if v is None or str(v).strip() == "" or (isinstance(v, float) and math.isnan(v)):
            report.problems.append(
                f"{_row_label(source, i)}: empty {col}; give a kommunenummer or a name"
            )
            out.append("")
            continue
        try:
            res = book.resolve(v, year=year)
        except (UnknownMunicipalityError, AmbiguousMunicipalityError, ValueError) as exc:
            report.problems.append(f"{_row_label(source, i)}: {exc}")
            out.append(str(v))
            continue
        if res.note:
            report.warnings.append(f"{_row_label(source, i)}: {res.note}")
        out.append(res.kommunenummer)
    df[col] = out


def _numbers(
    df: pd.DataFrame,
    col: str,
    source: str,
    report: Report,
    *,
    required: bool,
    minimum: float | None = 0.0,
    integer: bool = False,
    who: list[str] | None = None,
) -> None:
    vals = []
    for i, v in enumerate(df[col].tolist()):
        try:
            x = parse_number(v)
        except ValueError:
            report.problems.append(
                f"{_row_label(source, i, who)}: {col} {v!r} is not a number; write it like 1234 or "
                "1234,5"
            )
            vals.append(math.nan)
            continue
        if math.isinf(x):
            report.problems.append(
                f"{_row_label(source, i, who)}: {col} {v!r} is not a finite number; correct the "
                "value"
            )
            vals.append(math.nan)
            continue
        if math.isnan(x):
            if required:
                report.problems.append(
                    f"{_row_label(source, i, who)}: missing {col}; fill in a number"
                )
        elif minimum is not None and x < minimum:
            report.problems.append(
                f"{_row_label(source, i, who)}: {col} {v!r} is below {minimum:g}; correct the value"
            )
        vals.append(x)
    ser = pd.Series(vals, index=df.index, dtype="float64")
    if integer and ser.notna().all():
        ser = ser.round().astype("int64")
    df[col] = ser


_NORWAY_BOUNDS = (-150_000, 6_350_000, 1_200_000, 8_000_000)  # EPSG:25833, with margin


def _crs(
    gdf: gpd.GeoDataFrame, source: str, report: Report, who: list[str] | None = None
) -> gpd.GeoDataFrame | None:
    if gdf.crs is None:
        report.problems.append(
            f"{source}: no coordinate reference system; save it with one (EPSG:25833, 25832, "
            "25835 or 4326), e.g. as GeoPackage from QGIS"
        )
        return None
    try:
        out = gdf.to_crs(settings.CRS)
    except Exception as exc:  # pyproj CRSError and friends
        report.problems.append(f"{source}: cannot reproject from {gdf.crs} ({exc}); use EPSG:25833")
        return None
    if len(out) and not out.geometry.is_empty.all():
        bx0, by0, bx1, by1 = _NORWAY_BOUNDS
        b = out.geometry.bounds
        inside = (
            (b["minx"] >= bx0) & (b["miny"] >= by0) & (b["maxx"] <= bx1) & (b["maxy"] <= by1)
        ) | out.geometry.is_empty
        if not inside.any():
            report.problems.append(
                f"{source}: coordinates do not fall in Norway when read as {gdf.crs.to_string()}; "
                "the declared CRS is probably wrong, set the right one"
            )
            return None
        for i in np.flatnonzero(~inside.to_numpy()):
            # most features are in Norway, so the CRS is right and these few are misplaced
            report.problems.append(
                f"{_row_label(source, int(i), who)}: lies outside Norway while the rest of "
                "the file is inside; check its coordinates"
            )
    return out


def _geometry(
    gdf: gpd.GeoDataFrame,
    source: str,
    report: Report,
    kinds: tuple[str, ...],
    who: list[str] | None = None,
) -> None:
    for i, g in enumerate(gdf.geometry.values):
        if g is None or g.is_empty:
            report.problems.append(
                f"{_row_label(source, i, who)}: empty geometry; draw it or remove the row"
            )
        elif g.geom_type not in kinds:
            report.problems.append(
                f"{_row_label(source, i, who)}: geometry is {g.geom_type}; expected "
                f"{' or '.join(kinds)}"
            )
        elif not g.is_valid:
            reason = shapely.is_valid_reason(g)
            report.problems.append(
                f"{_row_label(source, i, who)}: invalid geometry ({reason}); repair it, e.g. with "
                "QGIS "
                "'Fix geometries' or shapely.make_valid"
            )


def _duplicates(df: pd.DataFrame, col: str, source: str, report: Report) -> None:
    dup = df[col][df[col].duplicated(keep=False) & (df[col] != "")]
    for code, idx in dup.groupby(dup, sort=True).groups.items():
        rows = ", ".join(_row_label(source, df.index.get_loc(j)).split(": ")[1] for j in idx)
        report.problems.append(
            f"{source}: {col} {code!r} appears more than once ({rows}); keep one row per {col}"
        )


def check_kommuner(
    raw: pd.DataFrame,
    source: str,
    book: CodeBook,
    reference: gpd.GeoDataFrame | None,
    report: Report,
) -> gpd.GeoDataFrame | None:
    """Validate the municipalities table (polygons with kommunenummer and innbyggere)."""
    if not isinstance(raw, gpd.GeoDataFrame):
        report.problems.append(
            f"{source}: municipalities need polygons; give a GeoPackage, GeoJSON or Shapefile"
        )
        return None
    df = _rename_aliases(raw.copy().reset_index(drop=True))
    if "kommunenummer" not in df.columns and "kommunenavn" in df.columns:
        df["kommunenummer"] = df["kommunenavn"]
    if not _require(df, ["kommunenummer", "innbyggere"], source, report):
        return None
    _codes(df, "kommunenummer", book, source, report)
    _duplicates(df, "kommunenummer", source, report)
    who = _who(df, book)
    _numbers(df, "innbyggere", source, report, required=True, integer=True, who=who)
    gdf = _crs(df, source, report, who)
    if gdf is None:
        return None
    _geometry(gdf, source, report, ("Polygon", "MultiPolygon"), who)
    if report.problems:
        return None
    gdf = gdf.set_index("kommunenummer")
    gdf.index.name = "kommunenummer"
    ref = book.current
    if "kommunenavn" not in gdf.columns or gdf["kommunenavn"].isna().any():
        gdf["kommunenavn"] = ref["kommunenavn"].reindex(gdf.index)
    else:
        gdf["kommunenavn"] = ref["kommunenavn"].reindex(gdf.index).fillna(gdf["kommunenavn"])
    gdf["fylkesnummer"] = gdf.index.str[:2]
    gdf["fylkesnavn"] = ref["fylkesnavn"].reindex(gdf.index)
    for col in ("areal_km2",):
        if col in gdf.columns:
            _numbers(gdf, col, source, report, required=False)
        else:
            gdf[col] = (gdf.area / 1e6).round(2)
    for col in ("administrasjonssenter", "ba_region", "ba_nr"):
        if col not in gdf.columns and reference is not None and col in reference.columns:
            gdf[col] = reference[col].reindex(gdf.index)
    first = [
        "kommunenavn",
        "fylkesnummer",
        "fylkesnavn",
        "innbyggere",
        "areal_km2",
        "administrasjonssenter",
        "ba_region",
    ]
    cols = [c for c in first if c in gdf.columns] + [
        c for c in gdf.columns if c not in first and c != "geometry"
    ]
    return gpd.GeoDataFrame(gdf[cols], geometry=gdf.geometry, crs=settings.CRS)


def check_steder(
    raw: pd.DataFrame, source: str, book: CodeBook, report: Report
) -> gpd.GeoDataFrame | None:
    """Validate sites (points with id, kommunenummer, type, navn)."""
    if not isinstance(raw, gpd.GeoDataFrame):
        report.problems.append(
            f"{source}: sites need points; give a GeoPackage/GeoJSON or a CSV with lon and lat "
            "columns"
        )
        return None
    df = _rename_aliases(raw.copy().reset_index(drop=True))
    if not _require(df, ["kommunenummer"], source, report):
        return None
    if "id" not in df.columns:
        df["id"] = [f"sted-{i + 1}" for i in range(len(df))]
    df["id"] = df["id"].astype(str)
    for col, default in (("type", "senter"), ("navn", "")):
        if col not in df.columns:
            df[col] = default
    _codes(df, "kommunenummer", book, source, report)
    _duplicates(df, "id", source, report)
    who = _who(df, book)
    gdf = _crs(df, source, report, who)
    if gdf is None:
        return None
    _geometry(gdf, source, report, ("Point",), who)
    return gdf


def check_samarbeid(
    raw: pd.DataFrame, source: str, book: CodeBook, report: Report
) -> pd.DataFrame | None:
    """Validate collaborations (one row per collaboration)."""
    df = _rename_aliases(
        pd.DataFrame(raw.drop(columns="geometry", errors="ignore")).copy().reset_index(drop=True)
    )
    if not _require(df, ["id", "navn", "form", "status"], source, report):
        return None
    df["id"] = df["id"].astype(str).str.strip()
    _duplicates(df, "id", source, report)
    _vocab(df, "form", FORMS, "form", source, report)
    _vocab(df, "status", STATUSES, "status", source, report)
    for col in ("fra_aar", "til_aar", "vertskommune", "kilde", "merknad"):
        if col not in df.columns:
            df[col] = ""
    for col in ("fra_aar", "til_aar"):
        _numbers(df, col, source, report, required=False, minimum=1800)
        df[col] = df[col].astype("Int64")
    hosts = []
    for i, v in enumerate(df["vertskommune"].fillna("").astype(str)):
        if v.strip() == "":
            hosts.append("")
            continue
        try:
            hosts.append(book.resolve(v).kommunenummer)
        except (UnknownMunicipalityError, AmbiguousMunicipalityError, ValueError) as exc:
            report.problems.append(f"{_row_label(source, i)}: vertskommune: {exc}")
            hosts.append(v)
    df["vertskommune"] = hosts
    return df


def check_medlemskap(
    raw: pd.DataFrame, source: str, book: CodeBook, samarbeid: pd.DataFrame | None, report: Report
) -> pd.DataFrame | None:
    """Validate memberships (one row per collaboration x area x member)."""
    df = _rename_aliases(
        pd.DataFrame(raw.drop(columns="geometry", errors="ignore")).copy().reset_index(drop=True)
    )
    if not _require(df, ["samarbeid_id", "omrade", "kommunenummer"], source, report):
        return None
    df["samarbeid_id"] = df["samarbeid_id"].astype(str).str.strip()
    if samarbeid is not None:
        known = set(samarbeid["id"])
        for i, v in enumerate(df["samarbeid_id"]):
            if v not in known:
                report.problems.append(
                    f"{_row_label(source, i)}: samarbeid_id {v!r} is not in samarbeid; add it "
                    "there or fix the id"
                )
    _vocab(df, "omrade", AREAS, "omrade", source, report)
    _codes(df, "kommunenummer", book, source, report)
    if "rolle" not in df.columns:
        df["rolle"] = "deltaker"
    df["rolle"] = df["rolle"].replace("", "deltaker")
    _vocab(df, "rolle", ROLES, "rolle", source, report)
    if "andel" not in df.columns:
        df["andel"] = np.nan
    shares = []
    for i, v in enumerate(df["andel"].tolist()):
        text = "" if v is None else str(v).strip()
        pct = text.endswith("%")
        try:
            x = parse_number(text.rstrip("%").strip()) if text else math.nan
        except ValueError:
            report.problems.append(
                f"{_row_label(source, i)}: andel {v!r} is not a number; write 0.325 or 32,5 %"
            )
            shares.append(math.nan)
            continue
        if pct:
            x /= 100
        if not math.isnan(x) and not 0 <= x <= 1:
            report.problems.append(
                f"{_row_label(source, i)}: andel {v!r} is outside 0-1; write shares as fractions "
                "or with %"
            )
        shares.append(x)
    df["andel"] = pd.Series(shares, index=df.index, dtype="float64")
    key = df["samarbeid_id"] + "/" + df["omrade"] + "/" + df["kommunenummer"]
    _duplicates(df.assign(_key=key), "_key", source, report)
    return df


def check_pendling(
    raw: pd.DataFrame, source: str, book: CodeBook, report: Report
) -> pd.DataFrame | None:
    """Validate commuting flows (bosted, arbeidssted, sysselsatte)."""
    df = _rename_aliases(
        pd.DataFrame(raw.drop(columns="geometry", errors="ignore")).copy().reset_index(drop=True)
    )
    if not _require(df, ["bosted", "arbeidssted", "sysselsatte"], source, report):
        return None
    _codes(df, "bosted", book, source, report)
    _codes(df, "arbeidssted", book, source, report)
    _numbers(df, "sysselsatte", source, report, required=True, integer=True)
    if report.problems:
        return None
    return df.groupby(["bosted", "arbeidssted"], as_index=False, sort=True)["sysselsatte"].sum()


def check_lines(
    raw: pd.DataFrame, source: str, report: Report, *, table: str
) -> gpd.GeoDataFrame | None:
    """Validate a line layer (roads or broadband routes)."""
    if not isinstance(raw, gpd.GeoDataFrame):
        report.problems.append(
            f"{source}: {table} need line geometry; give a GeoPackage or GeoJSON"
        )
        return None
    gdf = _crs(raw.copy().reset_index(drop=True), source, report)
    if gdf is None:
        return None
    gdf = (
        gdf.explode(index_parts=False).reset_index(drop=True)
        if (gdf.geom_type == "MultiLineString").any()
        else gdf
    )
    _geometry(gdf, source, report, ("LineString",))
    if table == "ruter":
        if "id" not in gdf.columns:
            gdf["id"] = [f"rute-{i + 1}" for i in range(len(gdf))]
        if not _require(gdf, ["type", "status"], source, report):
            return None
        _vocab(gdf, "type", ROUTE_TYPES, "type", source, report)
        _vocab(gdf, "status", ROUTE_STATUSES, "rute_status", source, report)
        if "eier" not in gdf.columns:
            gdf["eier"] = ""
    else:
        for col in ("typeVeg", "vegkategori", "medium"):
            if col not in gdf.columns:
                gdf[col] = ""
        gdf["length_m"] = gdf.length.round(1)
    return gdf


def check_collaborations(
    sam: pd.DataFrame,
    med: pd.DataFrame,
    names: pd.Series,
    sam_source: str,
    med_source: str,
    report: Report,
) -> None:
    """Checks across fields and tables: years in order, hosts are members, shares add up.

    - ``fra_aar`` is not after ``til_aar``;
    - the ``vertskommune`` of a collaboration is one of its members (any area);
    - where a collaboration's area gives ownership or cost shares (``andel``), every member has
      one and they add up to 1 (100 %).
    """

    def who(code: str) -> str:
        return f"{code} {names.get(code, '')}".strip()

    for i, r in enumerate(sam.itertuples(index=False)):
        fra, til = getattr(r, "fra_aar", None), getattr(r, "til_aar", None)
        if pd.notna(fra) and pd.notna(til) and int(fra) > int(til):
            report.problems.append(
                f"{_row_label(sam_source, i)}: samarbeid {r.id!r} ends ({til}) before it starts "
                f"({fra}); swap fra_aar and til_aar or correct one"
            )
    members = med.groupby("samarbeid_id")["kommunenummer"].agg(set).to_dict() if len(med) else {}
    for i, r in enumerate(sam.itertuples(index=False)):
        host = getattr(r, "vertskommune", "")
        if isinstance(host, str) and host and r.id in members and host not in members[r.id]:
            report.problems.append(
                f"{_row_label(sam_source, i)}: vertskommune {who(host)} of {r.id!r} is not a "
                "member "
                f"in {med_source}; add a membership row (rolle vert) or correct vertskommune"
            )
    if "andel" not in med.columns or med["andel"].isna().all():
        return
    for (cid, area), grp in med.groupby(["samarbeid_id", "omrade"], sort=True):
        given = grp["andel"].notna()
        if not given.any():
            continue
        if not given.all():
            lacking = ", ".join(who(c) for c in grp.loc[~given, "kommunenummer"])
            report.problems.append(
                f"{med_source}: {cid}/{area}: andel is given for some members but not for "
                f"{lacking}; give every member a share or none"
            )
            continue
        total = float(grp["andel"].sum())
        if abs(total - 1.0) > 0.01:
            report.problems.append(
                f"{med_source}: {cid}/{area}: the shares (andel) add up to {total:.1%}, not 100 %; "
                "correct them"
            )
