"""Households lacking gigabit: the estimate from the grid, the county's own mapping, and dig."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import nettverk as nv
from nettverk.network.demand import PERSONS_PER_HOUSEHOLD, UNSERVED_HOUSEHOLDS, unserved_share

HALLINGDAL = ["Gol", "Hol", "Ål", "Hemsedal", "Nesbyen", "Flå"]


@pytest.fixture(scope="module")
def hallingdal(real):
    codes = real.codes(HALLINGDAL)
    return codes, nv.household_demand(real, codes)


def test_national_sum_is_nkoms_number(real):
    """The county shares, applied to the households outside settlements, add up to Nkom's
    97 000 (unless a county is capped at 100 %)."""
    share = unserved_share(real)
    from nettverk.network.demand import _in_settlement

    cells = real.befolkning
    out = ~_in_settlement(real, cells)
    county = cells["kommunenummer"].map(real.kommuner["fylkesnavn"].astype(str))
    hh = (cells.loc[out, "innbyggere"] / PERSONS_PER_HOUSEHOLD).groupby(county[out]).sum()
    total = float((hh * share.reindex(hh.index)).sum())
    assert total == pytest.approx(UNSERVED_HOUSEHOLDS, rel=1e-6)


def test_demand_never_exceeds_the_residents_outside_settlements(real, hallingdal):
    codes, d = hallingdal
    grid = real.select(municipalities=codes).befolkning
    # every household point lies on residents outside a settlement, so their count is bounded
    assert d["husstander"].sum() <= grid["innbyggere"].sum() / PERSONS_PER_HOUSEHOLD
    assert (
        d["innbyggere"]
        <= grid.groupby("kommunenummer")["innbyggere"].sum().reindex(d["kommunenummer"]).to_numpy()
    ).all()
    assert set(d["kommunenummer"]) <= set(codes)
    assert d["id"].is_unique and (d["husstander"] > 0).all()


def test_the_estimate_takes_the_remote_cells(real, hallingdal):
    """The households lacking gigabit are the ones far from a settlement: the demand points lie
    farther from the settlements by road than the residents outside settlements do on average."""
    codes, d = hallingdal
    from nettverk.network.roads import network

    net = network(real)
    s = nv.settlements(real)
    grid = real.select(municipalities=codes).befolkning
    from nettverk.network.demand import _in_settlement

    rural = grid[~_in_settlement(real, grid)]
    far_demand = net.from_sources(s.geometry, np.c_[d.geometry.x, d.geometry.y])
    far_rural = net.from_sources(s.geometry, rural[["x", "y"]].to_numpy(float))
    w = rural["innbyggere"].to_numpy(float)
    assert np.average(far_demand, weights=d["husstander"]) > np.average(far_rural, weights=w)


def test_floor_lists_what_it_leaves_out(real):
    codes = real.codes(HALLINGDAL)
    d = nv.household_demand(real, codes, min_households=5)
    assert (d["husstander"] >= 5).all()
    left = d.attrs["not_reached"]
    assert left and all(r["husstander"] < 5 and "under 5" in r["hvorfor"] for r in left)
    every = nv.household_demand(real, codes, min_households=0)
    # nothing vanishes: kept plus listed equals the estimate without a floor
    assert d["husstander"].sum() + sum(r["husstander"] for r in left) == pytest.approx(
        every["husstander"].sum(), abs=0.05 * len(left) + 0.01
    )


def test_own_mapping_replaces_the_estimate(real):
    codes = real.codes(["Gol", "Ål"])
    centres = real.steder[real.steder["kommunenummer"].isin(codes)]
    own = gpd.GeoDataFrame(
        {
            "id": ["gårdene-1", "gårdene-2", "gårdene-3"],
            "kommunenummer": [codes[0], codes[0], codes[1]],
            "type": "husstander",
            "navn": ["Gård 1", "Gård 2", "Gård 3"],
            "husstander": [12, 3, 7],
        },
        geometry=gpd.GeoSeries(centres.geometry.iloc[[0, 0, 1]].to_numpy(), crs=centres.crs)
        .translate(3000, 2000)
        .to_numpy(),
        crs=centres.crs,
    )
    mine = dataclasses.replace(real, steder=pd.concat([real.steder, own], ignore_index=True))
    d = nv.household_demand(mine, codes)
    assert set(d["kilde"]) == {"egne tall"}
    assert sorted(d["husstander"].tolist()) == [3, 7, 12]
    r = nv.shared_digging(mine, codes, sites="households")
    assert r.totals["households_passed"] == 22
    assert r.totals["demand_source"] == "egne tall"


def test_dig_households_reaches_every_point_or_says_why(real):
    codes = real.codes(HALLINGDAL)
    r = nv.shared_digging(real, codes, sites="households")
    d = nv.household_demand(real, codes)
    listed = {x.get("id") for x in r.totals["not_reached"]}
    passed = r.totals["households_passed"]
    assert 0 < passed <= d["husstander"].sum() + 0.5 * len(codes)
    per = r.per_municipality
    assert per["households_connected"].sum() <= per["households_passed"].sum()
    reached = set(r.sites["id"]) if "id" in r.sites else set()
    assert set(d["id"]) <= reached | listed
    # cost per household passed is the shared trench plus the drops, over households passed
    t = r.totals
    assert t["nok_per_household_passed"] == pytest.approx(
        (t["shared_nok"] + t["access_nok"]) / t["households_passed"], rel=1e-6, abs=1
    )


def test_map_and_report_show_the_households(real):
    from nettverk.outputs.maps import dig_map
    from nettverk.outputs.report.sections import _households

    codes = real.codes(["Gol", "Ål"])
    r = nv.shared_digging(real, codes, sites="households")
    m = dig_map(r, tiles=None, ds=real)
    layers = [c.layer_name for c in m._children.values() if getattr(c, "layer_name", None)]
    assert "Befolkning (250 m ruter)" in layers
    page = m.get_root().render()
    assert "husstander passert" in page and "uten gigabit" in page
    text = " ".join(_households(real, codes))  # the line in section 3 and the appendix
    assert f"{int(r.totals['households_passed'])} husstandene som mangler gigabit" in text
    assert "128 000" in text  # set beside Nkom's figure
