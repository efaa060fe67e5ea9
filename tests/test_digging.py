import geopandas as gpd
import pytest
import shapely

import nettverk as nv
from nettverk.analyses.digging import shared_digging
from nettverk.models.trench import corridor_graph


def test_tiny_corridor_costs(tiny):
    G = corridor_graph(tiny)
    kinds = {d["kind"] for *_, d in G.edges(data=True)}
    assert kinds == {"ny", "sjø"}
    sea = [d for *_, d in G.edges(data=True) if d["kind"] == "sjø"][0]
    c = nv.costs.CostModel()
    assert sea["weight"] == pytest.approx(c.sea_fixed_nok + c.sea_nok_km * sea["length_m"] / 1000)


def test_reuse_of_existing_route(tiny):
    route = gpd.GeoDataFrame(
        {"id": ["r1"], "type": ["fiber"], "status": ["eksisterende"], "eier": ["x"]},
        geometry=[shapely.LineString([(205_000, 6_701_000), (209_990, 6_701_000)])],
        crs=25833,
    )
    G = corridor_graph(tiny, routes=route)
    reuse = [d for *_, d in G.edges(data=True) if d["kind"] == "gjenbruk"]
    assert len(reuse) == 1
    c = nv.costs.CostModel()
    assert reuse[0]["weight"] == pytest.approx(
        reuse[0]["length_m"] * (c.trench_roadside_nok_m + c.cable_nok_m) * c.reuse_factor
    )


@pytest.fixture(scope="module")
def hallingdal(real):
    return shared_digging(real, ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol"], hub="Gol")


def test_hallingdal_shared_beats_alone(hallingdal):
    t = hallingdal.totals
    assert t["shared_nok"] < t["standalone_nok"] and t["shared_m"] < t["standalone_m"]
    assert t["saving_nok"] == pytest.approx(t["standalone_nok"] - t["shared_nok"], abs=1)
    assert hallingdal.per_municipality["dig_share_nok"].sum() == pytest.approx(
        t["shared_nok"], abs=1
    )
    assert t["win_win"] is True


def test_segments_lie_on_real_roads(real, hallingdal):
    seg = hallingdal.segments
    roads = seg[seg["kind"] != "tilknytning"]
    tree = shapely.STRtree(real.veger.geometry.values)
    for seg_geom in roads.geometry:
        near = real.veger.geometry.values[tree.query(seg_geom.buffer(5))]
        assert seg_geom.within(shapely.union_all(near).buffer(2))
    # the tree is connected and every served municipality is a member
    served = {c for s in seg["serves"] for c in s.split(",") if c}
    assert served == set(hallingdal.per_municipality["kommunenummer"])


@pytest.mark.parametrize("split", ["bird", "shapley", "population", "30/70"])
def test_splits_sum_to_shared_total(real, split):
    r = shared_digging(real, ["Gol", "Ål", "Hol"], hub="Gol", split=split)
    assert r.per_municipality["dig_share_nok"].sum() == pytest.approx(r.totals["shared_nok"], abs=1)
    # the verdict agrees with the per-member flags: win-win means nobody pays more than alone
    pays_more = r.per_municipality["pays_more_than_alone"]
    assert r.totals["win_win"] == (not pays_more.any() and r.totals["objecting_group"] == [])
    assert r.totals["verdict"].startswith("vinn-vinn") == r.totals["win_win"]


def test_unknown_split(real):
    with pytest.raises(nv.NettverkError, match="unknown split 'fair'"):
        shared_digging(real, ["Gol", "Ål"], split="fair")


def test_unreachable_site_named(tiny):
    sites = gpd.GeoDataFrame(
        {"id": ["s1", "s2"], "kommunenummer": ["3324", "3320"], "type": "skole", "navn": ""},
        geometry=[shapely.Point(205_000, 6_701_050), shapely.Point(181_000, 6_709_000)],
        crs=25833,
    )
    extra = gpd.GeoDataFrame(
        {"typeVeg": ["enkelBilveg"], "vegkategori": ["K"], "medium": ["T"]},
        geometry=[shapely.LineString([(181_000, 6_709_100), (182_000, 6_709_100)])],
        crs=25833,
    )
    from dataclasses import replace

    import pandas as pd

    ds = replace(tiny, veger=pd.concat([tiny.veger, extra], ignore_index=True))
    with pytest.raises(nv.UnreachableError, match="s2 \\(3320\\)"):
        shared_digging(ds, ["3324", "3320"], hub="3324", sites=sites)


def test_progress_bar_on_many_sub_groups(real, capsys):
    """Seven members: 127 sub-group trees for the Shapley split and the core check, with a bar."""
    r = shared_digging(
        real,
        ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol", "Nore og Uvdal"],
        hub="Gol",
        split="shapley",
        progress=True,
    )
    assert "Steinertrær for delgrupper" in capsys.readouterr().err
    assert r.per_municipality["dig_share_nok"].sum() == pytest.approx(r.totals["shared_nok"], abs=1)
    assert r.totals["core_checked"] is True


def test_roads_that_leave_the_area_around_the_sites(real):
    """Bergen-Sunnfjord: the roads near the sites do not join them (the way runs outside that
    area), so the whole network is used instead of reporting them unreachable."""
    r = shared_digging(real, ["Bergen", "Sunnfjord"])
    assert r.totals["shared_m"] > 100_000 and set(r.per_municipality["kommunenummer"]) == {
        "4601",
        "4647",
    }
    assert r.per_municipality["dig_share_nok"].sum() == pytest.approx(r.totals["shared_nok"], abs=1)


def test_sensitivity_for_hallingdal_prints_each_source(runner):
    from nettverk.outputs.cli import main

    res = runner.invoke(
        main,
        [
            "dig",
            "--municipalities",
            "Flå,Nesbyen,Gol,Hemsedal,Ål,Hol",
            "--hub",
            "Gol",
            "--sensitivity",
        ],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    from nettverk.models.costs import RANGES

    for name, (_, _, _, source) in RANGES.items():
        assert f"{name} lav" in text and f"{name} høy" in text
        assert " ".join(source.split()) in text
    assert "alle lave" in text and "alle høye" in text


@pytest.mark.parametrize(
    "members, hub", [(["Gol", "Ål", "Hol"], "Gol"), (["Stad", "Gloppen"], "Stad")]
)
def test_every_segment_is_drawn_as_long_as_it_costs_and_the_hub_is_connected_once(
    real, members, hub
):
    r = nv.shared_digging(real, members, hub=hub)
    seg = r.segments[r.segments["length_m"] > 0]
    assert ((seg.length / seg["length_m"] - 1).abs() < 0.02).all()
    conn = r.segments[r.segments["kind"] == "tilknytning"]
    assert len(conn) <= len(r.sites)  # one trench per site; the hub at a member's centre adds none
    assert (conn.length > 0).all() or conn.empty


def test_lofoten_is_reached_through_lofoten_not_bodo(real):
    r = nv.shared_digging(
        real, ["Vågan", "Vestvågøy", "Flakstad", "Moskenes", "Værøy", "Røst"], hub="Vestvågøy"
    )
    bodo_x = nv.centres(real)[real.code("Bodø")].x
    for name in ("Værøy", "Røst"):
        route = r.standalone_segments[r.standalone_segments["kommunenummer"] == real.code(name)]
        assert route.total_bounds[2] < bodo_x - 10_000, name  # never east to Bodø
        cost = r.per_municipality.set_index("kommunenavn").at[name, "dig_alone_nok"]
        assert cost < 120e6, (name, cost)  # was 265 and 283 MNOK by way of Bodø


def test_gloppen_reaches_stad_over_anda_lote(real):
    r = nv.shared_digging(real, ["Stad", "Gloppen"], hub="Stad")
    assert r.totals["shared_m"] < 30_000  # was 108 km around the fjord
    sea = r.segments[r.segments["kind"] == "sjø"]
    assert len(sea) == 1 and 1_000 < sea["length_m"].iloc[0] < 4_000  # the Anda-Lote crossing


def test_every_centre_reaches_every_other(real):
    from nettverk.models.trench import corridor_topology

    t = corridor_topology(real)
    assert (
        t["unreachable_centres"] == []
    )  # fragments cut off over land may remain; no centre is on one
    assert t["ferry_landings_joined_to_roads"] > 0


def test_eidsvoll_hurdal_is_dug_over_land(real):
    r = nv.shared_digging(real, ["Eidsvoll", "Hurdal"])
    assert r.totals["sea_crossings"] == 0 and r.totals["shared_nok"] < 30e6


def test_reuse_on_the_state_road_scenario(real):
    base = nv.shared_digging(real, ["Gol", "Ål", "Hol"], hub="Gol")
    scen = nv.shared_digging(real, ["Gol", "Ål", "Hol"], hub="Gol", routes="statlige-veger")
    reused = scen.segments[scen.segments["kind"] == "gjenbruk"]
    assert reused["length_m"].sum() > 10_000
    assert scen.totals["shared_nok"] < base.totals["shared_nok"]


def test_reuse_on_a_users_route_file(runner, real, tmp_path):
    """An owner's route file (GeoPackage) along part of the Hallingdal road is reused at its reduced
    cost."""
    import geopandas as gpd

    from nettverk.outputs.cli import main

    base = nv.shared_digging(real, ["Gol", "Ål"], hub="Gol")
    road = (
        base.segments[base.segments["kind"] == "ny"]
        .sort_values("length_m", ascending=False)
        .head(3)
    )
    routes = gpd.GeoDataFrame(
        {
            "id": [f"r{i}" for i in range(len(road))],
            "type": "fiber",
            "status": "eksisterende",
            "eier": "Hallingdal kraftnett",
        },
        geometry=road.geometry.values,
        crs=road.crs,
    )
    path = tmp_path / "ruter.gpkg"
    routes.to_file(path, driver="GPKG")
    out = tmp_path / "d.gpkg"
    res = runner.invoke(
        main,
        [
            "dig",
            "--municipalities",
            "Gol,Ål",
            "--hub",
            "Gol",
            "--routes",
            str(path),
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    seg = gpd.read_file(out, layer="segmenter")
    assert (seg["kind"] == "gjenbruk").sum() >= len(road)
