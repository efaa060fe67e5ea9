"""The map of Norway under every command: travel, centres and Hallingdal's trench (prints tables).

    python benchmarks/network.py

1. Road-and-ferry km and minutes between pairs a local knows, as the partner model reads them.
2. The municipality points against the SSB 250 m grid: residents within 1 km of each point, the
   municipality's most populous 1 km neighbourhood, and Wikidata's old point beside them.
3. Hallingdal's shared trench to Gol: km, the share on each road category (P = private), and
   the road numbers of Hemsedal's own route to Gol.
4. Building the network and the travel matrix: seconds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import nettverk as nv  # noqa: E402
from nettverk.models.trench import corridor_graph  # noqa: E402
from nettverk.network.roads import build_network  # noqa: E402
from nettverk.network.sites import travel  # noqa: E402

PAIRS = [
    ("Værøy", "Moskenes", "ferje Moskenes-Værøy"),
    ("Røst", "Værøy", "ferje Værøy-Røst"),
    ("Røst", "Moskenes", "to ferjer"),
    ("Solund", "Gulen", "ferje Krakhella-Rutledal"),
    ("Gol", "Ål", "Rv7, om lag 22 km"),
    ("Gol", "Hemsedal", "Rv52, om lag 33 km"),
    ("Tinn", "Notodden", "Fv37/Rv360"),
    ("Gamvik", "Lebesby", "Fv888"),
    ("Utsira", "Karmøy", "ferje Utsira-Haugesund"),
    ("Oslo", "Bergen", "E16/Rv7"),
]


def main() -> None:
    ds = nv.load_default()
    t0 = time.perf_counter()
    build_network(ds.veger, ds.kommuner.geometry.values)
    t_net = time.perf_counter() - t0
    t0 = time.perf_counter()
    km, minutes = travel(ds), travel(ds, weight="minutes")
    t_travel = time.perf_counter() - t0
    rows = []
    for a, b, note in PAIRS:
        i, j = ds.code(a), ds.code(b)
        rows.append({"fra": a, "til": b, "km": km.at[i, j], "minutter": minutes.at[i, j], "": note})
    pd.set_option("display.width", 160)
    print("1. Reise mellom kommunesentre (partnermodellens km)")
    print(pd.DataFrame(rows).round(1).to_string(index=False))
    st = ds.steder.set_index("kommunenummer")
    low = st["innbyggere_1km"] < 0.5 * st["beste_1km"]
    print("\n2. Kommunepunktene mot SSBs 250 m-rutenett (357 kommuner)")
    print(
        pd.DataFrame(
            {
                "under 100 bosatte innen 1 km": [
                    int((st["wikidata_1km"] < 100).sum()),
                    int((st["innbyggere_1km"] < 100).sum()),
                ],
                "median bosatte innen 1 km": [
                    int(st["wikidata_1km"].median()),
                    int(st["innbyggere_1km"].median()),
                ],
            },
            index=["Wikidata (før)", "tettstedet rundt senteret (nå)"],
        ).to_string()
    )
    names = ds.kommuner["kommunenavn"]
    print(f"under halvparten av kommunens beste 1 km: {int(low.sum())}")
    print(
        "  "
        + "; ".join(
            f"{names[c]} ({r.navn}: {r.innbyggere_1km} mot {r.beste_1km})"
            for c, r in st[low].iterrows()
        )
    )
    hall = ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol"]
    r = nv.shared_digging(ds, hall, hub="Gol", progress=False)
    seg = r.segments
    G = corridor_graph(ds)
    roads = G.graph["roads"]
    on = seg[seg["road"] >= 0]
    cat = roads["vegkategori"].to_numpy()[on["road"].to_numpy()]
    share = pd.Series(on["length_m"].to_numpy(), index=cat).groupby(level=0).sum()
    share = (share / seg["length_m"].sum()).round(3)
    print("\n3. Hallingdals felles grøft til Gol")
    print(
        f"felles {r.totals['shared_m'] / 1000:.1f} km ({r.totals['shared_nok'] / 1e6:.1f} MNOK), "
        f"hver for seg {r.totals['standalone_m'] / 1000:.1f} km; andel per vegkategori: "
        f"{share.to_dict()} (resten: tilknytninger og delte lenker)"
    )
    hem = r.standalone_segments
    hem = hem[hem["kommunenummer"] == ds.code("Hemsedal")]
    nr = {}
    for geom, length in zip(hem.geometry, hem["length_m"]):
        hit = [d["road"] for *_, d in G.edges(data=True) if d["geom"].equals(geom)]
        num = roads["vegnummer"].iloc[hit[0]] if hit and hit[0] >= 0 else None
        key = f"{roads['vegkategori'].iloc[hit[0]]}{int(num)}" if num is not None else "delt lenke"
        nr[key] = round(nr.get(key, 0.0) + length / 1000, 1)
    print(f"Hemsedal alene til Gol: {hem['length_m'].sum() / 1000:.1f} km; {nr}")
    print(f"\n4. Nettet bygget på {t_net:.2f} s; reisematrisen (km og minutter) {t_travel:.2f} s")


if __name__ == "__main__":
    main()
