"""The result of shared digging: segments, per municipality and totals."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import pandas as pd
import shapely
import shapely.ops

from nettverk import settings
from nettverk.data.broadband import NKOM_PER_HOUSEHOLD
from nettverk.data.columns import number_text, percent_text
from nettverk.models.costs import CostModel

__all__ = ["DiggingResult"]


@dataclass
class DiggingResult:
    """The result of :func:`shared_digging`.

    Attributes
    ----------
    segments : geopandas.GeoDataFrame
        The shared tree: ``length_m``, ``cost_nok``, ``kind`` (ny/gjenbruk/sjø/tilknytning),
        ``serves`` (comma-separated kommunenummer whose sites use it on the way to the hub).
    per_municipality : pandas.DataFrame
        Per member: sites, standalone metres and NOK, allocated share of the shared tree,
        saving, cost per connected unit, and whether it pays more than alone.
    totals : dict
        Shared vs standalone metres and NOK, saving, cost per connected unit and per inhabitant,
        annual cost, the split, the win-win verdict and the objecting group if any.
    standalone_segments : geopandas.GeoDataFrame
        Each municipality's own tree to the hub, for comparison.
    """

    segments: gpd.GeoDataFrame
    per_municipality: pd.DataFrame
    totals: dict
    standalone_segments: gpd.GeoDataFrame = field(repr=False)
    sites: gpd.GeoDataFrame = field(repr=False)

    def summary_lines(self) -> list[str]:
        """The totals in bokmål (``nettverk dig``): shared against alone, saving, split verdict."""
        from nettverk.data.broadband import SUBSIDY_REFERENCE

        t = self.totals
        n = {k: number_text(v) for k, v in t.items() if isinstance(v, (int, float))}
        if "households_passed" in t:
            return self._household_lines(t, n)
        return [
            f"Felles grøft til {t['hub']}: {n['shared_m']} m, {n['shared_nok']} kr "
            f"(hver for seg: {n['standalone_m']} m, {n['standalone_nok']} kr)",
            f"Besparelse: {n['saving_nok']} kr ({_total_text(t['saving_share'])}); per tilknyttet "
            f"kommunesenter: {n['shared_nok_per_site']} kr felles mot "
            f"{n['standalone_nok_per_site']} kr alene; {n['shared_nok_per_inhabitant']} kr "
            f"per innbygger; årlig (annuitet): {n['annual_shared_nok']} kr",
            SUBSIDY_REFERENCE,
            _private_line(t),
            f"Fordeling ({t['split']}): {t['verdict']}",
        ]

    def _household_lines(self, t: dict, n: dict) -> list[str]:
        """``dig --sites households``: households passed, the cost per household beside Nkom's."""
        lines = [
            f"Grøft til {t['hub']}: {n['shared_m']} m, {n['shared_nok']} kr (hver for seg: "
            f"{n['standalone_nok']} kr); tilknytning til {n['households_connected']} husstander: "
            f"{n['access_nok']} kr",
            f"Husstander passert: {n['households_passed']} ({t['demand_source']}: "
            f"{t['demand_rule']})",
            f"Per husstand passert: {n['nok_per_household_passed']} kr (grøft og tilknytning). "
            + NKOM_PER_HOUSEHOLD,
            _private_line(t),
            f"Fordeling ({t['split']}): {t['verdict']}",
        ]
        missed = t.get("not_reached", [])
        if missed:
            hh = sum(m["husstander"] for m in missed)
            why = sorted({m["hvorfor"] for m in missed})
            lines.append(
                f"Ikke nådd: {len(missed)} ruter, {number_text(hh, 1)} husstander ("
                + "; ".join(why[:3])
                + ")"
            )
        return lines

    def totals_table(self) -> pd.DataFrame:
        """The totals as a table in bokmål (``Felt``, ``Verdi``), for the Excel summary."""
        return pd.DataFrame(
            {
                "Felt": list(TOTALS_LABELS.values()),
                "Verdi": [_total_text(self.totals.get(k)) for k in TOTALS_LABELS],
            }
        )


#: The columns ``nettverk dig`` prints per municipality.
DIG_COLUMNS = [
    "kommunenummer",
    "kommunenavn",
    "sites",
    "standalone_m",
    "dig_alone_nok",
    "dig_share_nok",
    "dig_saving_nok",
]

#: The totals of a :class:`DiggingResult`, with their labels in bokmål.
TOTALS_LABELS = {
    "hub": "Knutepunkt",
    "split": "Fordeling",
    "sites": "Tilknyttede steder",
    "shared_m": "Felles grøft (m)",
    "standalone_m": "Hver for seg (m)",
    "shared_nok": "Felles kostnad (kr)",
    "standalone_nok": "Hver for seg (kr)",
    "saving_nok": "Besparelse (kr)",
    "saving_share": "Besparelse (andel)",
    "shared_nok_per_site": "Felles per tilknyttet sted (kr)",
    "standalone_nok_per_site": "Alene per tilknyttet sted (kr)",
    "shared_nok_per_inhabitant": "Felles per innbygger (kr)",
    "annual_shared_nok": "Felles per år, annuitet (kr)",
    "win_win": "Vinn-vinn",
    "verdict": "Vurdering",
    "sea_crossings": "Sjøkryssinger",
    "private_m": "Grøft langs private veger (m)",
    "households_passed": "Husstander passert",
    "households_connected": "Husstander tilknyttet",
    "nok_per_household_passed": "Per husstand passert (kr)",
}


def _private_line(t: dict) -> str:
    """How much of the trench follows private roads (an agreement with every landowner)."""
    share = t["private_m"] / t["shared_m"] if t.get("shared_m") else 0.0
    return (
        f"Langs private veger: {number_text(t.get('private_m', 0.0))} m "
        f"({percent_text(share)} av grøfta; krever avtale med hver grunneier)"
    )


def _total_text(v) -> str:
    """One total as text: ja/nei, a share in per cent, a number, or the text itself."""
    if isinstance(v, bool):
        return "ja" if v else "nei"
    if isinstance(v, float) and abs(v) < 1 and v != 0:
        return percent_text(v, 1)
    if isinstance(v, (int, float)):
        return number_text(v)
    return "" if v is None else str(v)


def _shared_segments(
    T: nx.Graph,
    G: nx.Graph,
    st: gpd.GeoDataFrame,
    members: list[str],
    hub_node,
    hub_pt,
    hub_snap: float,
    snap_rate: float,
    hub_connected: bool,
) -> tuple[gpd.GeoDataFrame, dict]:
    """The shared tree as drawn segments (with whom each serves) and Bird's split of its cost."""
    parent = dict(nx.bfs_predecessors(T, hub_node))
    serves_edge: dict[frozenset, set] = {}
    for (
        r
    ) in st.itertuples():  # who each edge serves: the members whose sites reach the hub through it
        v = r.node
        while v != hub_node:
            u = parent[v]
            serves_edge.setdefault(frozenset((u, v)), set()).add(r.kommunenummer)
            v = u
    roads = G.graph["roads"]
    rows, geoms = [], []
    bird = dict.fromkeys(members, 0.0)
    for u, v, d in T.edges(data=True):
        if d["kind"] == "eksisterende":  # existing fibre joining the hub's points: no trench
            continue
        serves = sorted(serves_edge.get(frozenset((u, v)), set()))
        for c in serves:
            bird[c] += d["weight"] / len(serves)
        rows.append(
            {
                "length_m": round(d["length_m"], 1),
                "cost_nok": round(d["weight"], 1),
                "kind": d["kind"],
                "road": d["road"],
                "private": bool(d["road"] >= 0 and _category(roads, d["road"]) == "P"),
                "serves": ",".join(serves),
                "n_serves": len(serves),
            }
        )
        geoms.append(d.get("geom", roads.geometry.iloc[d["road"]]))
    _site_links(st, G, bird, rows, geoms)
    if hub_snap > 0 and not hub_connected:
        for c in members:
            bird[c] += hub_snap * snap_rate / len(members)
        rows.append(
            {
                "length_m": round(hub_snap, 1),
                "cost_nok": round(hub_snap * snap_rate, 1),
                "kind": "tilknytning",
                "road": -1,
                "private": False,
                "serves": ",".join(members),
                "n_serves": len(members),
            }
        )
        geoms.append(
            shapely.LineString(
                [(hub_pt.x, hub_pt.y), (G.nodes[hub_node]["x"], G.nodes[hub_node]["y"])]
            )
        )
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.CRS), bird


def _site_links(st: gpd.GeoDataFrame, G: nx.Graph, bird: dict, rows: list, geoms: list) -> None:
    """Each site's own straight link to the road (its member pays it all)."""
    for r in st.itertuples():
        if r.snap_m <= 0:
            continue
        bird[r.kommunenummer] += r.snap_nok
        rows.append(
            {
                "length_m": r.snap_m,
                "cost_nok": r.snap_nok,
                "kind": "tilknytning",
                "road": -1,
                "private": False,
                "serves": r.kommunenummer,
                "n_serves": 1,
            }
        )
        node = G.nodes[r.node]
        geoms.append(shapely.LineString([(r.geometry.x, r.geometry.y), (node["x"], node["y"])]))


def _category(roads: gpd.GeoDataFrame, i: int) -> str:
    """The road category (``vegkategori``) of road line ``i``; blank where the data has none."""
    return str(roads["vegkategori"].iloc[i]) if "vegkategori" in roads.columns else ""


def _standalone(
    members: list[str],
    tree_for,
    snap_cost,
    st: gpd.GeoDataFrame,
    hub_snap: float,
    hub_at: set,
    roads: gpd.GeoDataFrame,
) -> tuple[dict, dict, gpd.GeoDataFrame]:
    """Each member digging alone to the hub: NOK, metres and the route."""
    rows, geoms = [], []
    standalone, standalone_m = {}, {}
    for c in members:
        T = tree_for([c])
        standalone[c] = sum(d["weight"] for *_, d in T.edges(data=True)) + snap_cost([c])
        standalone_m[c] = (
            sum(d["length_m"] for *_, d in T.edges(data=True))
            + float(st.loc[st["kommunenummer"] == c, "snap_m"].sum())
            + (0.0 if c in hub_at else hub_snap)
        )
        for u, v, d in T.edges(data=True):
            if d["kind"] == "eksisterende":
                continue
            rows.append(
                {
                    "kommunenummer": c,
                    "length_m": d["length_m"],
                    "cost_nok": d["weight"],
                    "kind": d["kind"],
                }
            )
            geoms.append(d.get("geom", roads.geometry.iloc[d["road"]]))
    return standalone, standalone_m, gpd.GeoDataFrame(rows, geometry=geoms, crs=settings.CRS)


def _per_municipality(
    k: gpd.GeoDataFrame,
    st: gpd.GeoDataFrame,
    members: list[str],
    pop: dict,
    standalone: dict,
    standalone_m: dict,
    share: pd.Series,
    err,
    check,
) -> pd.DataFrame:
    """One row per member: alone, its share, the saving, per site, whether it pays more than
    alone."""
    n_sites = st.groupby("kommunenummer").size()
    per = pd.DataFrame(
        {
            "kommunenummer": members,
            "kommunenavn": [k.at[c, "kommunenavn"] for c in members],
            "innbyggere": [pop[c] for c in members],
            "sites": [int(n_sites.get(c, 0)) for c in members],
            "standalone_m": [round(standalone_m[c], 1) for c in members],
            "dig_alone_nok": [round(standalone[c], 1) for c in members],
            "dig_share_nok": [round(float(share[c]), 1) for c in members],
        }
    )
    if err is not None:
        per["dig_share_stderr_nok"] = [round(float(err[c]), 1) for c in members]
    per["dig_saving_nok"] = (per["dig_alone_nok"] - per["dig_share_nok"]).round(1)
    per["dig_share_per_site_nok"] = (per["dig_share_nok"] / per["sites"]).round(1)
    per["pays_more_than_alone"] = per["kommunenummer"].isin(list(check.losers))
    return per


def _totals(
    k: gpd.GeoDataFrame,
    st: gpd.GeoDataFrame,
    members: list[str],
    pop: dict,
    hub_label: str,
    split_kind: str,
    segments: gpd.GeoDataFrame,
    standalone: dict,
    standalone_m: dict,
    check,
    costs: CostModel,
) -> dict:
    """The totals of a shared digging result, with the split's verdict."""
    total_shared = float(segments["cost_nok"].sum())
    standalone_total = float(sum(standalone.values()))
    return {
        "municipalities": members,
        "hub": hub_label,
        "split": split_kind,
        "sites": int(len(st)),
        "shared_m": round(float(segments["length_m"].sum()), 1),
        "standalone_m": round(float(sum(standalone_m.values())), 1),
        "shared_nok": round(total_shared, 1),
        "standalone_nok": round(standalone_total, 1),
        "saving_nok": round(standalone_total - total_shared, 1),
        "saving_share": round((standalone_total - total_shared) / standalone_total, 4)
        if standalone_total
        else 0.0,
        "shared_nok_per_site": round(total_shared / len(st), 1),
        "standalone_nok_per_site": round(standalone_total / len(st), 1),
        "shared_nok_per_inhabitant": round(total_shared / sum(pop.values()), 2),
        "annual_shared_nok": round(costs.annuity(total_shared), 1),
        "win_win": check.win_win,
        "verdict": check.describe(k["kommunenavn"].to_dict()),
        "objecting_group": list(check.objecting),
        "objecting_excess_nok": round(check.excess, 1),
        "core_checked": check.in_core is not None,
        "sea_crossings": int((segments["kind"] == "sjø").sum()),
        "private_m": round(float(segments.loc[segments["private"], "length_m"].sum()), 1)
        if len(segments)
        else 0.0,
    }


def _demand_source(st: gpd.GeoDataFrame, hh: pd.Series) -> str:
    """Where the household counts came from: the sources of the rows that carry households
    (a member's centre, kept where it has no demand, says nothing about households)."""
    if "kilde" not in st:
        return "anslag"
    kilder = st.loc[hh > 0, "kilde"].dropna().astype(str)
    return ", ".join(sorted(set(kilder))) or "ingen husstander uten gigabit"


def _households(per: pd.DataFrame, totals: dict, st: gpd.GeoDataFrame, costs: CostModel) -> None:
    """Households passed and connected, and the cost per household passed (trench share plus the
    drop to each connected household), per member and in total, like Nkom's per-connection
    figures; and the demand not reached, with why."""
    hh = pd.to_numeric(st["husstander"], errors="coerce").fillna(0.0)
    passed = hh.groupby(st["kommunenummer"]).sum()
    # estimates are fractional (residents / household size); a planner counts whole homes
    per["households_passed"] = per["kommunenummer"].map(passed).fillna(0.0).round(0)
    per["households_connected"] = (per["households_passed"] * costs.take_up_share).round(0)
    per["access_nok"] = (per["households_connected"] * costs.access_nok_per_household).round(1)
    cost = per["dig_share_nok"] + per["access_nok"]
    per["nok_per_household_passed"] = (
        cost / per["households_passed"].where(lambda x: x > 0)
    ).round()
    p, c = float(per["households_passed"].sum()), float(per["households_connected"].sum())
    access = float(per["access_nok"].sum())
    totals.update(
        {
            "households_passed": round(p, 1),
            "households_connected": round(c, 1),
            "access_nok": round(access, 1),
            "nok_per_household_passed": round((totals["shared_nok"] + access) / p) if p else 0,
            "demand_rule": st.attrs.get("rule", ""),
            "demand_source": _demand_source(st, hh),
            "not_reached": list(st.attrs.get("not_reached", [])),
        }
    )
