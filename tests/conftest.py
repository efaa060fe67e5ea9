"""Shared fixtures: tiny hand-built municipalities and the real embedded data."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

import nettverk as nv

SHARED = Path(__file__).resolve().parents[2] / "shared"

# Six boxes for the Hallingdal municipalities (real 2024 codes), laid out in two rows:
#   3320 Flå  | 3322 Nesbyen | 3324 Gol
#   3326 Hemsedal | 3328 Ål  | 3330 Hol
# plus 1151 Utsira as an island 2 km off 3324, reached by a ferry line.
X0, Y0, W = 180_000.0, 6_700_000.0, 10_000.0
TINY_CODES = ["3320", "3322", "3324", "3326", "3328", "3330"]
TINY_POP = [1000, 3000, 4500, 2500, 4700, 4400]


def tiny_kommuner() -> gpd.GeoDataFrame:
    boxes = []
    for i, _ in enumerate(TINY_CODES):
        col, row = i % 3, i // 3
        boxes.append(
            shapely.box(X0 + col * W, Y0 - row * W, X0 + (col + 1) * W, Y0 - (row - 1) * W)
        )
    island = shapely.box(X0 + 3 * W + 2_000, Y0, X0 + 3 * W + 4_000, Y0 + 2_000)
    return gpd.GeoDataFrame(
        {
            "kommunenummer": TINY_CODES + ["1151"],
            "kommunenavn": ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol", "Utsira"],
            "innbyggere": TINY_POP + [200],
        },
        geometry=boxes + [island],
        crs="EPSG:25833",
    )


def tiny_roads() -> gpd.GeoDataFrame:
    y = Y0 + 1_000
    lines = [
        shapely.LineString(
            [(X0 + 2 * W + 5_000, y), (X0 + 3 * W - 10, y)]
        ),  # road in Gol to the quay
        shapely.LineString([(X0 + 3 * W - 10, y), (X0 + 3 * W + 2_010, y)]),  # ferry to the island
        shapely.LineString(
            [(X0 + 3 * W + 2_010, y), (X0 + 3 * W + 3_000, y)]
        ),  # road on the island
    ]
    return gpd.GeoDataFrame(
        {
            "typeVeg": ["enkelBilveg", "bilferje", "enkelBilveg"],
            "vegkategori": ["K", "F", "K"],
            "medium": ["T", "T", "T"],
        },
        geometry=lines,
        crs="EPSG:25833",
    )


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    """A complete small data folder in the geodata/ layout."""
    k = tiny_kommuner()
    k.to_file(tmp_path / "kommuner.gpkg", driver="GPKG")
    tiny_roads().to_file(tmp_path / "veger.gpkg", driver="GPKG")
    pd.DataFrame(
        {
            "id": ["hik"],
            "navn": ["Hallingdal IKT"],
            "form": ["Vertskommune"],
            "status": ["aktiv"],
            "vertskommune": ["Gol"],
        }
    ).to_csv(tmp_path / "samarbeid.csv", index=False)
    pd.DataFrame(
        {
            "samarbeid_id": ["hik"] * 3,
            "omrade": ["drift"] * 3,
            "kommunenummer": ["3324", "3328", "3330"],
            "rolle": ["vert", "deltaker", "deltaker"],
        }
    ).to_csv(tmp_path / "medlemskap.csv", index=False)
    pd.DataFrame(
        {"bosted": ["3328", "3324"], "arbeidssted": ["3324", "3328"], "sysselsatte": [300, 120]}
    ).to_csv(tmp_path / "pendling.csv", index=False)
    return tmp_path


@pytest.fixture
def tiny(tiny_folder: Path) -> nv.Dataset:
    return nv.read_dataset(tiny_folder)


@pytest.fixture(scope="session")
def real() -> nv.Dataset:
    return nv.load_default()


@pytest.fixture(scope="session")
def real_graph(real):
    return nv.municipality_graph(real)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["nv"] = nv
    doctest_namespace["pd"] = pd
