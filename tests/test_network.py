"""One map of Norway under every command: sites where people live, one road-and-ferry network."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import nettverk as nv
from nettverk.data.population import read_population
from nettverk.models.partner import pair_features
from nettverk.models.trench import corridor_graph, snap_points
from nettverk.network.roads import network
from nettverk.network.settlements import find_settlements, label_cells, residents_within
from nettverk.network.sites import travel


def _km(ds, a, b):
    pf = pair_features(ds)
    return pf.km[pf.index[ds.code(a)], pf.index[ds.code(b)]]


@pytest.mark.parametrize(
    "a, b, lo, hi",
    [
        ("Værøy", "Moskenes", 30, 60),  # the ferry across Moskenesstraumen
        ("Røst", "Værøy", 30, 60),
        ("Solund", "Gulen", 0, 100),  # the ferry Krakhella-Rutledal
        ("Gol", "Ål", 22, 30),  # Rv7
        ("Gol", "Hemsedal", 28, 40),  # Rv52
        ("Utsira", "Karmøy", 20, 60),
        ("Oslo", "Bergen", 400, 520),
    ],
)
def test_partner_model_travels_as_a_local_drives(real, a, b, lo, hi):
    assert lo <= _km(real, a, b) <= hi


def test_partner_model_km_is_the_networks_shortest_path_for_every_neighbour_pair(real, real_graph):
    """The partner model's km, computed from the edge ends, against a shortest path in the graph
    digging uses (the same network, its edges split where each centre joins)."""
    from scipy.sparse.csgraph import dijkstra

    pf = pair_features(real)
    cen = nv.centres(real)
    net = network(real)
    G = net.to_networkx("km", kind=net.edges["kind"].to_numpy())
    G.graph["network"] = net
    H, snapped = snap_points(G, list(cen.values), list(cen.index))
    nodes = list(H.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    import networkx as nx

    A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight="weight")
    src = [pos[n] for n, _ in snapped]
    D = dijkstra(A, directed=False, indices=src)[:, src]
    D = (
        D
        + np.array([d for _, d in snapped])[:, None] / 1000
        + np.array([d for _, d in snapped]) / 1000
    )
    idx = {c: i for i, c in enumerate(cen.index)}
    diffs = [abs(pf.km[pf.index[u], pf.index[v]] - D[idx[u], idx[v]]) for u, v in real_graph.edges]
    assert len(diffs) > 800 and max(diffs) < 0.01


def test_one_distance_whoever_asks(real):
    net = network(real)
    cen = nv.centres(real)
    km = travel(real).to_numpy()
    i = list(cen.index).index(real.code("Værøy"))
    row = net.from_sources(cen.iloc[[i]], cen)
    row[i] = 0.0
    assert np.allclose(row, km[i], atol=1e-6)
    sub = real.select(counties=["Nordland"])
    assert travel(sub).loc[real.code("Værøy"), real.code("Moskenes")] == pytest.approx(
        km[i, list(cen.index).index(real.code("Moskenes"))]
    )


def test_there_is_no_second_road_graph():
    """Nothing but network.roads turns road lines into a graph."""
    from pathlib import Path

    src = Path(nv.__file__).parent
    hits = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "line_ends(" in p.read_text(encoding="utf-8")
        and p.name not in ("roads.py", "geometry.py")
    ]
    assert not hits


def test_gols_point_lies_in_gol(real):
    st = real.steder.set_index("kommunenummer")
    gol = st.loc[real.code("Gol")]
    places = real.places.set_index("navn")
    village = shapely.Point(places.loc["Gol", "x"], places.loc["Gol", "y"])
    assert gol.geometry.distance(village) < 1500
    assert gol["innbyggere_1km"] >= 1000
    assert gol["wikidata_1km"] < 100  # Wikidata's point lay 5 km north of the village


def test_centres_are_where_people_live(real):
    """Residents within 1 km of each point are at least half of the municipality's best 1 km;
    the exceptions are centres that are not the municipality's largest place."""
    st = real.steder.set_index("kommunenummer")
    cells = real.befolkning
    low = st[st["innbyggere_1km"] < 0.5 * st["beste_1km"]]
    assert (st["innbyggere_1km"] >= 100).sum() >= 355
    assert len(low) <= 15
    lab = label_cells(cells)
    for code, row in low.iterrows():
        own = cells["kommunenummer"].to_numpy() == code
        xy = cells[["x", "y"]].to_numpy(float)
        near = residents_within(cells[own], xy[own])
        best_cell = np.flatnonzero(own)[np.argmax(near)]
        d = np.hypot(xy[:, 0] - row.geometry.x, xy[:, 1] - row.geometry.y)
        centre_cell = np.flatnonzero(own)[np.argmin(d[own])]
        assert lab[best_cell] != lab[centre_cell], row["navn"]  # a larger place elsewhere


def test_every_county_map_draws_only_national_links(real, real_graph):
    for county in sorted(set(real.kommuner["fylkesnavn"])):
        H = nv.municipality_graph(real.select(counties=[county]))
        extra = [e for e in H.edges if not real_graph.has_edge(*e)]
        assert not extra, (county, extra)


def test_vestland_overview_map_has_no_invented_link(real, real_graph):
    import re

    from nettverk.outputs.maps import overview_map

    html = overview_map(real, counties=["Vestland"], tiles=None).get_root().render()
    k = real.kommuner[real.kommuner["fylkesnavn"] == "Vestland"]
    code = dict(zip(k["kommunenavn"], k.index))
    drawn = re.findall(r"([\w\- æøåÆØÅ]+?) \u2013 ([\w\- æøåÆØÅ]+?): (\w+)", html)
    assert len(drawn) > 50
    drawn = [(a.strip(), b.strip(), how) for a, b, how in drawn]
    invented = [(a, b) for a, b, _ in drawn if not real_graph.has_edge(code[a], code[b])]
    assert not invented
    assert ("Lærdal", "Stryn", "ferje") not in drawn and ("Stryn", "Lærdal", "ferje") not in drawn


def test_hallingdal_trench_follows_the_public_roads(real):
    r = nv.shared_digging(real, ["Gol", "Ål", "Hol", "Hemsedal", "Nesbyen", "Flå"], hub="Gol")
    roads = network(real).roads
    seg = r.segments[r.segments["road"] >= 0]
    cat = roads["vegkategori"].to_numpy()[seg["road"].to_numpy()]
    private = seg["length_m"].to_numpy()[cat == "P"].sum() / r.segments["length_m"].sum()
    assert private < 0.05
    alone = r.standalone_segments
    hem = alone[alone["kommunenummer"] == real.code("Hemsedal")]
    G = corridor_graph(real)
    nr = {}
    for geom, length in zip(hem.geometry, hem["length_m"]):
        hit = [d for *_, d in G.edges(data=True) if d["geom"] is geom or d["geom"].equals(geom)]
        road = hit[0]["road"] if hit else -1
        num = roads["vegnummer"].iloc[road] if road >= 0 else None
        nr[num] = nr.get(num, 0.0) + length
    assert nr.get(52, 0.0) / sum(nr.values()) > 0.8  # Hemsedal reaches Gol down Rv52


def test_private_roads_cost_more_to_trench(real):
    c = nv.CostModel()
    assert c.trench_private_nok_m > c.trench_roadside_nok_m > c.trench_rural_nok_m


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(1, 400)), max_size=60)
)
def test_settlements_keep_the_grids_residents(cells):
    frame = pd.DataFrame(cells, columns=["i", "j", "innbyggere"]).drop_duplicates(["i", "j"])
    frame["x"] = frame["i"] * 250 + 125
    frame["y"] = frame["j"] * 250 + 125
    frame["cell_m"] = 250
    frame["kommunenummer"] = "0301"
    lab = label_cells(frame)
    # cells that share a side share a label
    key = dict(zip(zip(frame["i"], frame["j"]), lab))
    for (i, j), la in key.items():
        for nb in ((i + 1, j), (i, j + 1)):
            if nb in key:
                assert key[nb] == la
    s = find_settlements(frame, min_residents=200)
    tot = pd.Series(frame["innbyggere"].to_numpy()).groupby(lab).sum()
    assert s["innbyggere"].sum() == tot[tot >= 200].sum()
    assert s["innbyggere"].sum() <= frame["innbyggere"].sum()


def test_a_users_grid_comes_first(tiny_folder):
    pd.DataFrame({"SSBID0250M": ["21975006700250", "21975006700500"], "pop_tot": [120, 95]}).to_csv(
        tiny_folder / "befolkning.csv", sep=";", index=False
    )
    ds = nv.read_dataset(tiny_folder)
    g = ds.befolkning
    assert ds.sources["befolkning"].endswith("befolkning.csv")
    assert g["innbyggere"].sum() == 215 and set(g["kommunenummer"]) == {"3322"}


def test_a_broken_grid_is_named_with_the_fix():
    raw = pd.DataFrame({"SSBID0250M": ["123"], "pop_tot": ["5"]})
    with pytest.raises(nv.DataValidationError, match="befolkning.csv.*14 digits"):
        read_population(raw, "befolkning.csv")
    raw = pd.DataFrame({"SSBID0250M": ["22500006650000"], "pop_tot": ["mange"]})
    with pytest.raises(nv.DataValidationError, match="row 2.*whole number"):
        read_population(raw, "befolkning.csv")
