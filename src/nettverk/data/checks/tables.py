"""Checks of the geographic tables: municipalities, sites, commuting, road and route lines."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from nettverk import settings

from ..codes import CodeBook
from ..vocab import (
    ROUTE_STATUSES,
    ROUTE_TYPES,
)
from ._common import (
    Report,
    _codes,
    _duplicates,
    _numbers,
    _rename_aliases,
    _require,
    _row_label,
    _vocab,
    _who,
)


def _no_residents(df: pd.DataFrame, source: str, report: Report, who: list[str]) -> None:
    """A municipality has residents (Utsira, the smallest, about 200)."""
    for i, v in enumerate(df["innbyggere"].tolist()):
        if isinstance(v, (int, float)) and not math.isnan(v) and v == 0:
            report.problems.append(
                f"{_row_label(source, i, who)}: innbyggere is 0, but every municipality has "
                "residents; give the population (SSB table 07459)"
            )


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
    _no_residents(df, source, report, who)
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
