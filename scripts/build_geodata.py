"""Build the embedded default data in ``geodata/`` from ``../shared/data``.

Run from the repository root::

    python scripts/build_geodata.py [--source ../shared/data] [--out geodata]

The output is deterministic: running it twice gives byte-identical files. Every derived
choice (moved centre points, the split of the old Ålesund code, names resolved to 2024
codes) is written to ``geodata/provenance.json`` and described in ``geodata/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("OGR_CURRENT_DATE", "2024-01-01T00:00:00Z")  # fixed gpkg timestamps

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nettverk.data.codes import CodeBook, normalise_code  # noqa: E402
from nettverk.data.population import read_population  # noqa: E402
from nettverk.data.population import _municipality_of  # noqa: E402
from nettverk.network.settlements import population_centres, residents_within  # noqa: E402
from nettverk.outputs.writers import write_csv, write_vector  # noqa: E402

CRS = "EPSG:25833"

#: Names of municipalities that ceased before 2017 (the first year with a historical map),
#: from SSB KLASS 131 (kommuneinndeling). Only names the collaboration file needs.
PRE_2017_NAMES = {"0719": "Andebu", "0720": "Stokke"}


def _code(s: pd.Series) -> pd.Series:
    return s.map(normalise_code)


def build_kommuner(src: Path) -> gpd.GeoDataFrame:
    poly = gpd.read_file(src / "kartverket/kommuner_2024.geojson")
    poly["kommunenummer"] = _code(poly["kommunenummer"])
    poly = poly.to_crs(CRS).set_index("kommunenummer").sort_index()
    fylker = gpd.read_file(src / "kartverket/fylker_2024.geojson")
    fylkesnavn = dict(zip(_code(fylker["fylkesnummer"]).str[2:], fylker["name"]))
    pop = pd.read_csv(src / "ssb/kommune_befolkning_2015_2026.csv", dtype=str)
    pop.index = _code(pop["kommunenummer"])
    key = pd.read_csv(src / "ssb/kommune_nokkeltall_2024.csv", dtype=str)
    key.index = _code(key["kommunenummer"])
    ba = pd.read_csv(src / "ssb/ba_regioner_2024.csv", dtype=str)
    ba.index = _code(ba["kommunenummer"])
    codes = poly.index
    for name, frame in [("population", pop), ("key figures", key), ("BA-regions", ba)]:
        missing = set(codes) ^ set(frame.index)
        if missing:
            raise SystemExit(f"{name}: codes differ from the 2024 polygons: {sorted(missing)}")
    out = pd.DataFrame(index=codes)
    out["kommunenavn"] = key["name_no"]
    out["kommunenavn_offisielt"] = poly["kommunenavn"]
    out["fylkesnummer"] = codes.str[:2]
    out["fylkesnavn"] = out["fylkesnummer"].map(fylkesnavn)
    out["innbyggere"] = pop["pop_2024"].astype("int64")
    out["innbyggere_2025"] = pop["pop_2025"].astype("int64")
    assert (out["innbyggere"] == key["folkemengde_2024_01_01"].astype("int64")).all()
    out["areal_km2"] = key["areal_km2"].astype(float)
    out["administrasjonssenter"] = key["administrasjonssenter"]
    out["ba_nr"] = ba["ba_nr"].astype("int64")
    out["ba_region"] = ba["ba_navn"]
    geom = shapely.set_precision(shapely.make_valid(poly.geometry.values), 1.0)
    geom = [
        g
        if g.geom_type in ("Polygon", "MultiPolygon")
        else shapely.union_all(
            [p for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon")]
        )
        for g in geom
    ]
    out.index.name = "kommunenummer"
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geom, index=codes, crs=CRS))


def build_veger(src: Path) -> gpd.GeoDataFrame:
    roads = gpd.read_file(src / "kartverket/N1000_Veglenke.gpkg")
    roads = roads[roads["vegfase"].fillna("V") != "P"]  # planned roads do not exist yet
    keep = ["typeVeg", "vegkategori", "vegnummer", "medium", "motorvegtype"]
    roads = roads[keep + ["geometry"]].copy()
    roads["geometry"] = shapely.set_precision(roads.geometry.values, 1.0)
    roads = roads[~roads.geometry.is_empty & (roads.length > 0)]
    roads["vegnummer"] = roads["vegnummer"].astype("Int64")
    roads["length_m"] = roads.length.round(1)
    roads = roads.sort_values(["vegkategori", "typeVeg"], kind="stable").reset_index(drop=True)
    roads.insert(0, "id", np.arange(1, len(roads) + 1))
    return roads


def build_befolkning(src: Path, kommuner: gpd.GeoDataFrame) -> pd.DataFrame:
    """The SSB 250 m grid (2022) with the municipality of each cell: ``ssbid``, ``innbyggere``,
    ``kommunenummer`` (the one the cell's centre lies in, else the nearest within 1 km)."""
    raw = pd.read_csv(src / "ssb/rutenett/befolkning_250m_2022.csv", sep=";", dtype=str)
    cells = read_population(raw, "befolkning_250m_2022.csv")
    cells["kommunenummer"] = _municipality_of(cells, kommuner)
    cells = cells.sort_values("ssbid", kind="stable").reset_index(drop=True)
    return cells


def build_stedsnavn(src: Path, kommuner: gpd.GeoDataFrame) -> pd.DataFrame:
    """GeoNames' named places (cities500) in EPSG:25833, with the municipality each lies in."""
    gn = pd.read_csv(src / "geonames/steder_norge_cities500.csv", dtype={"name": str})
    pts = gpd.GeoSeries(
        gpd.points_from_xy(gn["longitude"], gn["latitude"]), crs="EPSG:4326"
    ).to_crs(CRS)
    out = pd.DataFrame(
        {
            "geonameid": gn["geonameid"],
            "navn": gn["name"],
            "innbyggere": gn["population"].fillna(0).astype(int),
            "x": pts.x.round().astype(int),
            "y": pts.y.round().astype(int),
        }
    )
    frame = pd.DataFrame({"x": out["x"], "y": out["y"]})
    out["kommunenummer"] = _municipality_of(frame, kommuner)
    return out.sort_values(["navn", "geonameid"], kind="stable").reset_index(drop=True)


def build_steder(
    kommuner: gpd.GeoDataFrame, cells: pd.DataFrame, places: pd.DataFrame, src: Path
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """One centre per municipality where people live: the administrative centre's settlement
    (SSB 250 m grid), at its population-weighted point. Wikidata's old point stays as columns."""
    wd = pd.read_csv(src / "wikidata/kommune_senter_wikidata.csv", dtype=str)
    wd.index = _code(wd["kommunenummer"])
    wd = wd.loc[kommuner.index]
    old = gpd.GeoSeries(
        gpd.points_from_xy(wd["lon"].astype(float), wd["lat"].astype(float)),
        index=wd.index,
        crs="EPSG:4326",
    ).to_crs(CRS)
    centres = population_centres(kommuner, cells, places)
    old_near = residents_within(cells, np.c_[old.x.to_numpy(), old.y.to_numpy()])
    moved = centres.geometry.distance(old)
    steder = gpd.GeoDataFrame(
        {
            "id": [f"senter-{c}" for c in kommuner.index],
            "kommunenummer": list(kommuner.index),
            "type": "senter",
            "navn": kommuner["administrasjonssenter"].values,
            "kilde": centres["plassering"].values,
            "tettsted_innbyggere": centres["tettsted_innbyggere"].values,
            "innbyggere_1km": centres["innbyggere_1km"].values,
            "beste_1km": centres["beste_1km"].values,
            "flyttet_m": moved.round(1).values,
            "wikidata": wd["wikidata_qid"].values,
            "wikidata_x": old.x.round().values,
            "wikidata_y": old.y.round().values,
            "wikidata_1km": old_near,
        },
        geometry=centres.geometry.values,
        crs=CRS,
    )
    exceptions = []
    for r in steder.itertuples():
        if r.innbyggere_1km < 0.5 * r.beste_1km:
            exceptions.append(
                {
                    "kommunenummer": r.kommunenummer,
                    "senter": r.navn,
                    "innbyggere_1km": int(r.innbyggere_1km),
                    "beste_1km": int(r.beste_1km),
                    "grunn": "administrasjonssenteret er ikke kommunens største sted",
                }
            )
    return steder, exceptions


def build_historikk(src: Path, kommuner: gpd.GeoDataFrame) -> pd.DataFrame:
    h = pd.read_csv(src / "ssb/kommunenummer_til_2024_2000_2024.csv", dtype=str)
    h = pd.DataFrame(
        {
            "aar": h["aar"].astype(int),
            "kommunenummer": _code(h["kommunenummer_original"]),
            "kommunenummer_2024": _code(h["kommunenummer_2024"]),
            "vekt": h["weighting"].astype(float),
        }
    )
    # names and polygons of earlier years (the files use different column names each year)
    names: dict[tuple[int, str], str] = {}
    polys: dict[str, object] = {}
    for year in range(2017, 2022):
        g = gpd.read_file(src / f"kartverket/historisk/kommuner_{year}.geojson")
        cols = {c.lower()[:8]: c for c in g.columns}
        code_col = (
            cols.get("kommunen")
            if "kommunen" in cols and "nummer" in cols["kommunen"].lower()
            else None
        )
        code_col = next(
            c
            for c in g.columns
            if c.lower().startswith("kommunen") and ("num" in c.lower() or c.lower() == "kommunenr")
        )
        name_col = next(c for c in g.columns if c.lower() in ("navn", "kommunenavn", "kommunenav"))
        g = g.set_crs(CRS, allow_override=False) if g.crs is None else g.to_crs(CRS)
        for code, name, geom in zip(g[code_col], g[name_col], g.geometry):
            code = normalise_code(code)
            names[(year, code)] = name
            polys[code] = geom  # the latest year wins
    current_names = kommuner["kommunenavn"].to_dict()

    def name_of(year: int, code: str) -> str:
        if year >= 2024 and code in current_names:
            return current_names[code]
        for y in [min(max(year, 2017), 2021)] + list(range(2021, 2016, -1)):
            if (y, code) in names:
                return names[(y, code)]
        if code in PRE_2017_NAMES:
            return PRE_2017_NAMES[code]
        return current_names.get(code, "")

    h["kommunenavn"] = [name_of(y, c) for y, c in zip(h["aar"], h["kommunenummer"])]
    # area share of an old municipality inside each 2024 municipality it maps to
    share = {}
    for code, target in (
        h[["kommunenummer", "kommunenummer_2024"]].drop_duplicates().itertuples(index=False)
    ):
        geom = polys.get(code)
        if geom is None or target not in kommuner.index:
            share[(code, target)] = np.nan
            continue
        a = geom.area
        share[(code, target)] = (
            round(geom.intersection(kommuner.geometry.loc[target]).area / a, 3) if a else np.nan
        )
    h["arealandel"] = [share[(c, t)] for c, t in zip(h["kommunenummer"], h["kommunenummer_2024"])]
    h = h[["aar", "kommunenummer", "kommunenavn", "kommunenummer_2024", "vekt", "arealandel"]]
    return h.sort_values(["aar", "kommunenummer", "kommunenummer_2024"]).reset_index(drop=True)


_SHARE_RE = re.compile(r"([A-ZÆØÅ][\wæøåÆØÅ\- ]+?)\s+(\d+(?:,\d+)?)\s*%")


def build_samarbeid(src: Path, kommuner: gpd.GeoDataFrame, book: CodeBook):
    raw = pd.read_csv(src / "samarbeid/samarbeid_kilder.csv", dtype=str, keep_default_na=False)
    rows, members, resolved = [], [], []
    for r in raw.itertuples(index=False):
        year = int(r.navn_aar)
        m = re.match(r"ALLE i (.+) fylke$", r.medlemmer.strip())
        if m:
            county = m.group(1)
            codes = list(kommuner.index[kommuner["fylkesnavn"] == county])
            if not codes:
                raise SystemExit(f"{r.id}: unknown county {county!r}")
            names = [(c, f"ALLE i {county} fylke") for c in codes]
        else:
            names = []
            for name in r.medlemmer.split(";"):
                res = book.resolve_name(name.strip(), year=year)
                names.append((res.kommunenummer, name.strip()))
                resolved.append(
                    {
                        "samarbeid_id": r.id,
                        "navn": name.strip(),
                        "navn_aar": year,
                        "kommunenummer": res.kommunenummer,
                        "kommunenavn_2024": kommuner.at[res.kommunenummer, "kommunenavn"],
                        "merknad": res.note or "",
                    }
                )
        host = ""
        if r.vertskommune:
            host = book.resolve_name(r.vertskommune, year=year).kommunenummer
        shares: dict[str, float] = {}
        if r.merknad.startswith("eierandeler:"):
            for nm, pct in _SHARE_RE.findall(r.merknad.split(".")[0]):
                shares[book.resolve_name(nm.strip()).kommunenummer] = round(
                    float(pct.replace(",", ".")) / 100, 4
                )
        # old municipalities that merged (Eid and Selje are Stad) become one member row
        merged: dict[str, list[str]] = {}
        for code, given in names:
            merged.setdefault(code, [])
            if given not in merged[code]:
                merged[code].append(given)
        for omrade in r.omrader.split(";"):
            for code, given in merged.items():
                members.append(
                    {
                        "samarbeid_id": r.id,
                        "omrade": omrade,
                        "kommunenummer": code,
                        "rolle": "vert" if code == host else "deltaker",
                        "andel": shares.get(code, np.nan),
                        "navn_i_kilden": " + ".join(given),
                    }
                )
        rows.append(
            {
                "id": r.id,
                "navn": r.navn,
                "form": r.form,
                "status": r.status,
                "fra_aar": r.fra_aar,
                "til_aar": r.til_aar,
                "vertskommune": host,
                "omrader": r.omrader,
                "medlemmer_i_kilden": r.medlemmer,
                "navn_aar": year,
                "kilde": r.kilde,
                "merknad": r.merknad,
            }
        )
    samarbeid = pd.DataFrame(rows)
    medlemskap = pd.DataFrame(members)
    return samarbeid, medlemskap, resolved


#: Councils and networks of ``regionrad_2024.csv`` that the curated file already holds (its id
#: there). Their 2024 member list replaces the curated one, in every area of the curated row.
REGIONRAD_ALIASES = {
    "hallingdal": "regionradet-hallingdal",
    "haugalandet": "haugalandet",
    "sunnhordland": "sunnhordland",
    "fosen": "fosen",
    "vesteralen": "vesteralen-regionrad",
    "diginordland": "diginordland",
    "digirogaland": "digi-rogaland",
}


def build_regionrad(
    src: Path, kommuner: gpd.GeoDataFrame, samarbeid: pd.DataFrame, medlemskap: pd.DataFrame
):
    """Add the regional councils and digitalisation networks (one row per member, with confidence).

    Councils and networks the curated file already has keep their curated row (form, areas,
    source) but take the 2024 member list; the others become new rows in area ``strategi``.
    A ``merknad`` starting with ``status=historisk`` marks a dissolved council.
    """
    raw = pd.read_csv(src / "samarbeid/regionrad_2024.csv", dtype=str, keep_default_na=False)
    raw["kommunenummer"] = _code(raw["kommunenummer"])
    unknown = sorted(set(raw["kommunenummer"]) - set(kommuner.index))
    if unknown:
        raise SystemExit(f"regionrad_2024.csv: codes not in the 2024 municipalities: {unknown}")
    rows, members, replaced, periods = [], [], {}, {}
    medlemskap = medlemskap.copy()
    medlemskap["konfidens"] = ""
    for sid, grp in raw.groupby("samarbeid_id", sort=True):
        first = grp.iloc[0]
        codes = sorted(set(grp["kommunenummer"]))
        conf = dict(zip(grp["kommunenummer"], grp["konfidens"]))
        years = pd.to_numeric(grp["kilde_aar"], errors="coerce")
        target = REGIONRAD_ALIASES.get(sid)
        if target is not None:
            if target not in set(samarbeid["id"]):
                raise SystemExit(
                    f"regionrad_2024.csv: alias {sid} -> {target} not in samarbeid_kilder.csv"
                )
            old = medlemskap[medlemskap["samarbeid_id"] == target]
            areas = list(dict.fromkeys(old["omrade"]))
            before = sorted(set(old["kommunenummer"]))
            replaced[target] = {
                "fra": sid,
                "ut": sorted(set(before) - set(codes)),
                "inn": sorted(set(codes) - set(before)),
            }
            medlemskap = medlemskap[medlemskap["samarbeid_id"] != target]
            for omrade in areas:
                for c in codes:
                    members.append(
                        {
                            "samarbeid_id": target,
                            "omrade": omrade,
                            "kommunenummer": c,
                            "rolle": "deltaker",
                            "andel": np.nan,
                            "navn_i_kilden": kommuner.at[c, "kommunenavn"],
                            "konfidens": conf[c],
                        }
                    )
            continue
        merknad = first["merknad"]
        status = "historisk" if merknad.startswith("status=historisk") else "aktiv"
        # a name that gives the years ("DigiViken (Viken 2021-2023)") gives its period
        span = re.search(r"(\d{4})-(\d{4})\)$", first["navn"])
        fra, til = (int(span.group(1)), int(span.group(2))) if span else ("", "")
        if span and til < 2024:
            status = "historisk"
            periods[sid] = f"{fra}-{til}: historisk i 2024"
        rows.append(
            {
                "id": sid,
                "navn": first["navn"],
                "form": first["type"],
                "status": status,
                "fra_aar": fra,
                "til_aar": til,
                "vertskommune": "",
                "omrader": "strategi",
                "medlemmer_i_kilden": ";".join(grp["kommunenavn"]),
                "navn_aar": int(years.max()) if years.notna().any() else "",
                "kilde": " ; ".join(
                    dict.fromkeys(k for ks in grp["kilde"] for k in ks.split(" ; ") if k)
                ),
                "merknad": merknad,
            }
        )
        for c in codes:
            members.append(
                {
                    "samarbeid_id": sid,
                    "omrade": "strategi",
                    "kommunenummer": c,
                    "rolle": "deltaker",
                    "andel": np.nan,
                    "navn_i_kilden": kommuner.at[c, "kommunenavn"],
                    "konfidens": conf[c],
                }
            )
    samarbeid = pd.concat([samarbeid, pd.DataFrame(rows)], ignore_index=True)
    medlemskap = pd.concat([medlemskap, pd.DataFrame(members)], ignore_index=True)
    return samarbeid, medlemskap, {"erstattet": replaced, "periode_fra_navnet": periods}


def build_ikt_tillegg(
    src: Path, kommuner: gpd.GeoDataFrame, samarbeid: pd.DataFrame, medlemskap: pd.DataFrame
):
    """Add the ICT operations collaborations of ``ikt_drift_tillegg.csv`` (area ``drift``).

    Status and form are kept as the file gives them; where it gives none, ``ukjent`` (unknown,
    so never counted as active).
    """
    raw = pd.read_csv(src / "samarbeid/ikt_drift_tillegg.csv", dtype=str, keep_default_na=False)
    raw["kommunenummer"] = _code(raw["kommunenummer"])
    unknown = sorted(set(raw["kommunenummer"]) - set(kommuner.index))
    if unknown:
        raise SystemExit(f"ikt_drift_tillegg.csv: codes not in the 2024 municipalities: {unknown}")
    rows, members = [], []
    for sid, grp in raw.groupby("samarbeid_id", sort=True):
        first = grp.iloc[0]
        host = ""
        if first["vertskommune"]:
            host = next(
                c
                for c in grp["kommunenummer"]
                if kommuner.at[c, "kommunenavn"] == first["vertskommune"]
            )
        rows.append(
            {
                "id": sid,
                "navn": first["navn"],
                "form": first["form"] or "ukjent",
                "status": first["status"] or "ukjent",
                "fra_aar": "",
                "til_aar": "",
                "vertskommune": host,
                "omrader": "drift",
                "medlemmer_i_kilden": ";".join(grp["kommunenavn"]),
                "navn_aar": first["kilde_aar"],
                "kilde": first["kilde"],
                "merknad": first["merknad"],
            }
        )
        for c, conf in zip(grp["kommunenummer"], grp["konfidens"]):
            members.append(
                {
                    "samarbeid_id": sid,
                    "omrade": "drift",
                    "kommunenummer": c,
                    "rolle": "vert" if c == host else "deltaker",
                    "andel": np.nan,
                    "navn_i_kilden": kommuner.at[c, "kommunenavn"],
                    "konfidens": conf,
                }
            )
    samarbeid = pd.concat([samarbeid, pd.DataFrame(rows)], ignore_index=True)
    medlemskap = pd.concat([medlemskap, pd.DataFrame(members)], ignore_index=True)
    return samarbeid, medlemskap, sorted(set(raw["samarbeid_id"]))


def build_pendling(src: Path, kommuner: gpd.GeoDataFrame):
    p = pd.read_csv(src / "ssb/pendling_2022_ssb03321.csv", dtype=str)
    pop = kommuner["innbyggere"]
    out: dict[tuple[str, str], int] = {}
    split_rows = 0

    def parts(value: str) -> list[tuple[str, float]]:
        codes = [normalise_code(c) for c in value.split("|")]
        total = sum(int(pop[c]) for c in codes)
        return [(c, int(pop[c]) / total) for c in codes]

    for b, a, n in zip(p["bosted_knr2024"], p["arbeidssted_knr2024"], p["sysselsatte"].astype(int)):
        pb, pa = parts(b), parts(a)
        if len(pb) == 1 and len(pa) == 1:
            key = (pb[0][0], pa[0][0])
            out[key] = out.get(key, 0) + n
            continue
        split_rows += 1
        cells = [((cb, ca), n * wb * wa) for cb, wb in pb for ca, wa in pa]
        floors = [int(np.floor(v)) for _, v in cells]
        rest = n - sum(floors)
        order = sorted(range(len(cells)), key=lambda i: (-(cells[i][1] - floors[i]), cells[i][0]))
        for i in order[:rest]:
            floors[i] += 1
        for (key, _), v in zip(cells, floors):
            out[key] = out.get(key, 0) + v
    df = pd.DataFrame(
        [(b, a, n) for (b, a), n in sorted(out.items()) if n > 0],
        columns=["bosted", "arbeidssted", "sysselsatte"],
    )
    assert df["sysselsatte"].sum() == p["sysselsatte"].astype(int).sum()
    return df, split_rows


def _write_gzip_csv(df: pd.DataFrame, path: Path) -> None:
    """A gzip CSV with a fixed header time and no file name, so it is byte-identical per run."""
    import gzip

    raw = df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(raw)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "geodata")
    args = ap.parse_args(argv)
    src, out = args.source, args.out
    if not (src / "README.md").exists():
        raise SystemExit(f"source folder {src} not found; pass --source PATH/TO/shared/data")
    out.mkdir(parents=True, exist_ok=True)

    kommuner = build_kommuner(src)
    veger = build_veger(src)
    cells = build_befolkning(src, kommuner)
    places = build_stedsnavn(src, kommuner)
    steder, exceptions = build_steder(kommuner, cells, places, src)
    hist = build_historikk(src, kommuner)
    book = CodeBook(kommuner[["kommunenavn", "kommunenavn_offisielt", "fylkesnavn"]], hist)
    samarbeid, medlemskap, resolved = build_samarbeid(src, kommuner, book)
    samarbeid, medlemskap, regionrad = build_regionrad(src, kommuner, samarbeid, medlemskap)
    replaced = regionrad["erstattet"]
    samarbeid, medlemskap, added = build_ikt_tillegg(src, kommuner, samarbeid, medlemskap)
    pendling, split_rows = build_pendling(src, kommuner)

    write_vector(kommuner.reset_index(), out / "kommuner.gpkg", layer="kommuner", styles=False)
    write_vector(steder, out / "steder.gpkg", layer="steder", styles=False)
    write_vector(veger, out / "veger.gpkg", layer="veger", styles=False)
    write_csv(samarbeid, out / "samarbeid.csv")
    write_csv(medlemskap, out / "medlemskap.csv")
    write_csv(pendling, out / "pendling.csv")
    write_csv(hist, out / "kommunenummer_historikk.csv")
    write_csv(places, out / "stedsnavn.csv")
    fakta = pd.read_csv(src / "okonomi/ikt_kostnader_fakta.csv", dtype=str, keep_default_na=False)
    write_csv(fakta, out / "ikt_kostnader_fakta.csv")
    _write_gzip_csv(cells[["ssbid", "innbyggere", "kommunenummer"]], out / "befolkning.csv.gz")
    dekning = pd.read_csv(src / "bredband/dekning_fylke.csv", dtype=str, keep_default_na=False)
    write_csv(dekning, out / "bredband_dekning.csv")
    provenance = {
        "kommuner": len(kommuner),
        "innbyggere_2024": int(kommuner["innbyggere"].sum()),
        "steder_plassering": dict(
            sorted(
                steder["kilde"]
                .str.split(";")
                .str[0]
                .str.replace(r" rundt .*", " rundt administrasjonssenteret", regex=True)
                .str.replace(r"\(.* ikke blant", "(senteret ikke blant", regex=True)
                .value_counts()
                .items()
            )
        ),
        "steder_under_halvparten_av_beste_1km": exceptions,
        "steder_under_100_innen_1km": {
            "wikidata": int((steder["wikidata_1km"] < 100).sum()),
            "nå": int((steder["innbyggere_1km"] < 100).sum()),
        },
        "befolkning_celler": len(cells),
        "befolkning_sum_250m": int(cells["innbyggere"].sum()),
        "stedsnavn": len(places),
        "ikt_drift_tillegg": added,
        "navn_til_2024": [r for r in resolved if r["merknad"]],
        "pendling_rader_delt_1507": split_rows,
        "samarbeid": len(samarbeid),
        "medlemskap_rader": len(medlemskap),
        "regionrad_medlemmer_erstattet": replaced,
        "regionrad_periode_fra_navnet": regionrad["periode_fra_navnet"],
        "veglenker": len(veger),
        "bredband_dekning_rader": len(dekning),
    }
    text = json.dumps(provenance, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (out / "provenance.json").write_text(text, encoding="utf-8")
    print(
        f"wrote {out}: {len(kommuner)} kommuner ({provenance['innbyggere_2024']} innbyggere), "
        f"{len(samarbeid)} samarbeid, {len(medlemskap)} medlemskap, {len(veger)} veglenker, "
        f"{len(cells)} grid cells, {len(exceptions)} centres below half the best 1 km"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
