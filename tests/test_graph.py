import networkx as nx
import pytest

import nettverk as nv


def test_tiny_graph(tiny):
    G = nv.municipality_graph(tiny)
    assert G.graph["crs"] == "EPSG:25833"
    assert G.has_edge("3320", "3322") and G.edges["3320", "3322"]["link"] == "grense"
    assert G.edges["3320", "3322"]["border_m"] == pytest.approx(10_000, rel=0.05)
    assert not G.has_edge("3320", "3324")  # only corner-free boxes side by side count
    assert G.edges["3324", "1151"]["link"] == "ferje" and G.edges["3324", "1151"]["ferry"]
    e = G.edges["3324", "3328"]
    assert e["commuters"] == 420 and e["collaborations"] == ["hik"]
    assert G.graph["isolated"] == {}


def test_isolated_municipality_is_reported(tiny_folder):
    (tiny_folder / "veger.gpkg").unlink()
    import geopandas as gpd

    gpd.GeoDataFrame(
        {"typeVeg": ["enkelBilveg"]},
        geometry=gpd.GeoSeries.from_wkt(["LINESTRING (180100 6701000, 181000 6701000)"]),
        crs=25833,
    ).to_file(tiny_folder / "veger.gpkg")
    G = nv.municipality_graph(nv.read_dataset(tiny_folder))
    assert set(G.graph["isolated"]) == {"1151"}
    assert "no land border" in G.graph["isolated"]["1151"]


def test_real_graph_connects_islands(real_graph):
    G = real_graph
    assert G.number_of_nodes() == 357
    assert nx.is_connected(G)
    assert G.graph["isolated"] == {}
    # Utsira, Røst, Værøy, Hvaler, Askøy, Bømlo are reachable in reality
    for code in ["1151", "1856", "1857", "3110", "4627", "4613"]:
        assert G.degree(code) >= 1, code
    assert {G.edges[e]["link"] for e in G.edges("1151")} == {"ferje"}
    assert G.has_edge("1856", "1857")  # Røst - Værøy


def test_real_edge_ties(real_graph):
    e = real_graph.edges["3324", "3328"]  # Gol - Ål
    assert e["border_m"] > 1000
    assert e["same_ba_region"] is True
    assert "hallingdal-ikt" in e["collaborations"]
    assert e["commuters_uv"] > 0 and e["commuters_vu"] > 0


def test_graph_to_gdfs_roundtrip_counts(real_graph):
    nodes, edges = nv.graph_to_gdfs(real_graph)
    assert len(nodes) == real_graph.number_of_nodes()
    assert len(edges) == real_graph.number_of_edges()


def test_routes_link_the_municipalities_they_run_between(tiny):
    """A route from Flå to Utsira (the island) links the two, kind 'rute'; consecutive
    municipalities only."""
    from dataclasses import replace

    import geopandas as gpd
    import shapely

    import nettverk as nv

    line = shapely.LineString(
        [(185_000, 6_705_000), (215_000, 6_705_000), (215_000, 6_701_000), (213_000, 6_701_000)]
    )
    routes = gpd.GeoDataFrame(
        {"id": ["r1"], "type": ["fiber"], "status": ["eksisterende"], "eier": ["x"]},
        geometry=[line],
        crs="EPSG:25833",
    )
    G = nv.municipality_graph(replace(tiny, ruter=routes))
    assert G.edges["3324", "1151"]["routes"] == "r1"
    linked = {frozenset(e) for e, d in ((e, G.edges[e]) for e in G.edges) if "routes" in d}
    assert frozenset({"3320", "1151"}) not in linked  # not consecutive along the route
