"""The collaboration landscape: who collaborates with whom, on what, and where the gaps are.

The known-collaborations file is not a full register: a municipality without a recorded
collaboration may well have one. Every table says so in ``attrs["note"]``.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd

from nettverk._types import Counties
from nettverk.data.columns import number_text, text_table
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import AREAS
from nettverk.network.municipalities import pair_ties

__all__ = [
    "overview",
    "collaboration_table",
    "collaboration_graph",
    "dataset_summary",
    "dataset_summary_lines",
    "overview_summary_lines",
    "INCOMPLETE_NOTE",
]


INCOMPLETE_NOTE = (
    "Dataene over samarbeid er ufullstendige: filen over kjente samarbeid er ikke et fullstendig "
    "register, "
    "så en kommune uten registrert samarbeid kan likevel ha ett."
)


def dataset_summary(ds: Dataset) -> dict:
    """The data in numbers (``nettverk info --json``): municipalities, collaborations, the graph.

    Examples
    --------
    >>> s = dataset_summary(nv.load_default())
    >>> s["kommuner"], s["fylker"], s["graf"]["komponenter"]
    (357, 15, 1)
    """
    from nettverk.network.municipalities import municipality_graph

    G = municipality_graph(ds)
    sam = ds.samarbeid
    med = ds.medlemskap
    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c)))
    return {
        "kommuner": int(len(ds.kommuner)),
        "innbyggere": int(ds.kommuner["innbyggere"].sum()),
        "fylker": int(ds.kommuner["fylkesnummer"].nunique()),
        "samarbeid": int(len(sam)),
        "samarbeid_per_form": {
            k: int(v) for k, v in sam["form"].value_counts().sort_index().items()
        },
        "samarbeid_per_status": {
            k: int(v) for k, v in sam["status"].value_counts().sort_index().items()
        },
        "samarbeid_per_omrade": {
            k: int(v)
            for k, v in med.drop_duplicates(["samarbeid_id", "omrade"])["omrade"]
            .value_counts()
            .sort_index()
            .items()
        },
        "samarbeid_liste": [
            {
                "id": r.id,
                "navn": r.navn,
                "form": r.form,
                "status": r.status,
                "omrader": sorted(set(med.loc[med["samarbeid_id"] == r.id, "omrade"])),
                "medlemmer": int(med.loc[med["samarbeid_id"] == r.id, "kommunenummer"].nunique()),
            }
            for r in sam.itertuples(index=False)
        ],
        "graf": {
            "kanter": int(G.number_of_edges()),
            "kanter_per_type": {
                k: int(v)
                for k, v in sorted(Counter(d["link"] for *_, d in G.edges(data=True)).items())
            },
            "komponenter": len(comps),
            "komponentstorrelser": [len(c) for c in comps],
            "uten_naboer": {
                c: {"kommunenavn": G.nodes[c]["kommunenavn"], "grunn": why}
                for c, why in G.graph["isolated"].items()
            },
        },
        "kilder": ds.sources,
    }


def dataset_summary_lines(summary: dict) -> list[str]:
    """:func:`dataset_summary` as lines in bokmål (``nettverk info``)."""
    nok = number_text(summary["innbyggere"])
    lines = [
        f"Kommuner: {summary['kommuner']} i {summary['fylker']} fylker, {nok} innbyggere "
        "(1.1.2024)",
        f"Samarbeid: {summary['samarbeid']}",
    ]
    for title, key in (
        ("  etter form", "samarbeid_per_form"),
        ("  etter status", "samarbeid_per_status"),
        ("  etter område", "samarbeid_per_omrade"),
    ):
        lines.append(f"{title}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    g = summary["graf"]
    kinds = ", ".join(f"{k} {v}" for k, v in g["kanter_per_type"].items())
    lines.append(f"Kommunegraf: {g['kanter']} naboskap ({kinds}), {g['komponenter']} komponent(er)")
    for c, d in g["uten_naboer"].items():
        lines.append(f"  uten naboer: {c} {d['kommunenavn']}: {d['grunn']}")
    if not g["uten_naboer"]:
        lines.append("  alle kommuner har minst én nabo (grense, bro, tunnel eller ferje)")
    return lines


def collaboration_graph(ds: Dataset, *, include_inactive: bool = False) -> nx.Graph:
    """Municipalities joined when they share a collaboration (``weight`` = number shared).

    Examples
    --------
    >>> G = collaboration_graph(nv.load_default())
    >>> G.has_edge("3324", "3328")   # Gol and Ål share Hallingdal's collaborations
    True
    """
    sam = ds.active_collaborations(include_inactive=include_inactive)
    med = ds.medlemskap[ds.medlemskap["samarbeid_id"].isin(set(sam["id"]))]
    G = nx.Graph()
    G.add_nodes_from(ds.kommuner.index)
    for cid, grp in med.groupby("samarbeid_id", sort=True):
        m = sorted(set(grp["kommunenummer"]))
        for i in range(len(m)):
            for j in range(i + 1, len(m)):
                if G.has_edge(m[i], m[j]):
                    G.edges[m[i], m[j]]["weight"] += 1
                    G.edges[m[i], m[j]]["samarbeid"].append(cid)
                else:
                    G.add_edge(m[i], m[j], weight=1, samarbeid=[cid])
    return G


def overview(ds: Dataset, *, counties: Counties | None = None) -> dict[str, pd.DataFrame]:
    """Return the landscape as tables.

    Returns
    -------
    dict of DataFrames
        ``kommuner`` (every municipality: collaborations, areas, forms, hosted, commuting
        to partners, centrality, gaps), ``fylker_omrader`` (coverage per county and area),
        ``mangler`` (gaps: municipalities without operations or broadband collaboration, and
        areas nobody covers in a county), ``overlapp`` (collaborations sharing members),
        ``knutepunkter`` (hubs: ``knutepunkt_poeng`` = 2 x collaborations hosted + collaborations
        + 10 x betweenness relative to the highest, on the collaboration graph).

    Examples
    --------
    >>> o = overview(nv.load_default())
    >>> len(o["kommuner"])
    357
    """
    if counties:
        ds = ds.select(counties=counties)
    med = ds.active_memberships()
    kom = _per_municipality(ds, med)
    cov = _coverage(ds.kommuner, med)
    out = {
        "kommuner": kom,
        "fylker_omrader": cov,
        "mangler": _gaps(kom, cov),
        "overlapp": _overlaps(ds.kommuner, med),
        "knutepunkter": _hubs(kom),
    }
    for df in out.values():
        df.attrs["note"] = INCOMPLETE_NOTE
    return out


def _per_municipality(ds: Dataset, med: pd.DataFrame) -> pd.DataFrame:
    """Each municipality: its collaborations, areas, forms, what it hosts, commuting, centrality."""
    k = ds.kommuner
    sam = ds.active_collaborations()
    form = sam.set_index("id")["form"]
    G = collaboration_graph(ds)
    btw = (
        nx.betweenness_centrality(G, weight=None, seed=0)
        if G.number_of_edges()
        else dict.fromkeys(G, 0.0)
    )
    deg = dict(G.degree())
    partners_comm: dict[str, int] = {}
    for r in pair_ties(ds).itertuples(index=False):
        if G.has_edge(r.u, r.v):
            partners_comm[r.u] = partners_comm.get(r.u, 0) + r.commuters
            partners_comm[r.v] = partners_comm.get(r.v, 0) + r.commuters
    hosted = sam[sam["vertskommune"].astype(str) != ""]
    hosts = hosted.groupby("vertskommune")["id"].agg(lambda s: sorted(s))
    rows = []
    for code in k.index:
        m = med[med["kommunenummer"] == code]
        ids = sorted(set(m["samarbeid_id"]))
        areas = [a for a in AREAS if a in set(m["omrade"])]
        rows.append(
            {
                "kommunenummer": code,
                "kommunenavn": k.at[code, "kommunenavn"],
                "fylkesnavn": k.at[code, "fylkesnavn"],
                "innbyggere": int(k.at[code, "innbyggere"]),
                "n_samarbeid": len(ids),
                "samarbeid": ", ".join(ids),
                "omrader": ", ".join(areas),
                "former": ", ".join(sorted({form[i] for i in ids})),
                "vert_for": ", ".join(hosts.get(code, [])),
                "n_vert_for": len(hosts.get(code, [])),
                "samarbeidspartnere": deg.get(code, 0),
                "pendlere_til_partnere": int(partners_comm.get(code, 0)),
                "mellomhet": round(btw.get(code, 0.0), 5),
                "har_drift": "drift" in areas,
                "har_bredband": "bredband" in areas,
            }
        )
    return pd.DataFrame(rows)


def _coverage(k: pd.DataFrame, med: pd.DataFrame) -> pd.DataFrame:
    """Per county and area: how many municipalities a collaboration covers."""
    cov = []
    for (fnr, fnavn), grp in k.groupby(["fylkesnummer", "fylkesnavn"], sort=True):
        for area in AREAS:
            in_area = med[(med["omrade"] == area) & med["kommunenummer"].isin(grp.index)]
            covered = set(in_area["kommunenummer"])
            cov.append(
                {
                    "fylkesnummer": fnr,
                    "fylkesnavn": fnavn,
                    "omrade": area,
                    "kommuner": len(grp),
                    "dekket": len(covered),
                    "andel": round(len(covered) / len(grp), 3),
                }
            )
    return pd.DataFrame(cov)


def _gaps(kom: pd.DataFrame, cov: pd.DataFrame) -> pd.DataFrame:
    """Municipalities without operations or broadband collaboration; areas nobody covers."""
    gaps = []
    for r in kom.itertuples(index=False):
        pairs = (("drift", r.har_drift), ("bredband", r.har_bredband))
        missing = [a for a, has in pairs if not has]
        if missing:
            gaps.append(
                {
                    "type": "kommune uten " + " og ".join(missing) + "-samarbeid i dataene",
                    "fylkesnavn": r.fylkesnavn,
                    "kommunenummer": r.kommunenummer,
                    "kommunenavn": r.kommunenavn,
                    "omrade": ", ".join(missing),
                }
            )
    for r in cov[cov["dekket"] == 0].itertuples(index=False):
        gaps.append(
            {
                "type": "område ingen dekker i fylket (i dataene)",
                "fylkesnavn": r.fylkesnavn,
                "kommunenummer": "",
                "kommunenavn": "",
                "omrade": r.omrade,
            }
        )
    return pd.DataFrame(gaps)


def _overlaps(k: pd.DataFrame, med: pd.DataFrame) -> pd.DataFrame:
    """Pairs of collaborations that share members, most shared first."""
    ov = []
    members = med.groupby("samarbeid_id")["kommunenummer"].agg(lambda s: set(s)).to_dict()
    ids = sorted(members)
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            common = members[ids[i]] & members[ids[j]]
            if common:
                ov.append(
                    {
                        "samarbeid_a": ids[i],
                        "samarbeid_b": ids[j],
                        "felles_medlemmer": len(common),
                        "kommuner": ", ".join(sorted(k.at[c, "kommunenavn"] for c in common)),
                    }
                )
    ov = pd.DataFrame(ov, columns=["samarbeid_a", "samarbeid_b", "felles_medlemmer", "kommuner"])
    if len(ov):
        ov = ov.sort_values(
            ["felles_medlemmer", "samarbeid_a", "samarbeid_b"], ascending=[False, True, True]
        ).reset_index(drop=True)
    return ov


#: The columns of the hubs table, before the score.
_HUB_COLUMNS = [
    "kommunenummer",
    "kommunenavn",
    "fylkesnavn",
    "n_vert_for",
    "vert_for",
    "n_samarbeid",
    "samarbeidspartnere",
    "mellomhet",
]


def _hubs(kom: pd.DataFrame) -> pd.DataFrame:
    """The 20 biggest hubs: hosting counts double, every collaboration once, bridging up to 10."""
    hubs = kom[_HUB_COLUMNS].copy()
    peak = max(hubs["mellomhet"].max(), 1e-12)
    hubs["knutepunkt_poeng"] = (
        2 * hubs["n_vert_for"] + hubs["n_samarbeid"] + 10 * hubs["mellomhet"] / peak
    ).round(3)
    order = hubs.sort_values(["knutepunkt_poeng", "kommunenummer"], ascending=[False, True])
    return order.head(20).reset_index(drop=True)


def overview_summary_lines(tables: dict[str, pd.DataFrame], coverage: pd.DataFrame) -> list[str]:
    """The landscape in bokmål (``nettverk overview``): coverage, hubs, gaps and fibre coverage.

    ``tables`` is :func:`overview`'s result, ``coverage`` :func:`nettverk.data.broadband.coverage`'s
    (with ``fylkesnavn`` as a column).
    """
    kom = tables["kommuner"]
    hubs = tables["knutepunkter"].head(5)[
        ["kommunenavn", "knutepunkt_poeng", "n_vert_for", "vert_for", "n_samarbeid", "mellomhet"]
    ]
    nodrift = kom[~kom["har_drift"]]
    lines = [
        f"{len(kom)} kommuner; {int((kom['n_samarbeid'] > 0).sum())} med minst ett aktivt "
        "samarbeid i dataene",
        "Største knutepunkter:",
        text_table(hubs, list(hubs.columns)),
        f"Uten driftssamarbeid i dataene: {len(nodrift)} kommuner",
    ]
    for f, grp in nodrift.groupby("fylkesnavn", sort=True):
        lines.append(f"  {f}: " + ", ".join(grp["kommunenavn"]))
    year = int(coverage["aar"].iloc[0]) if len(coverage) else ""
    shares = ", ".join(
        f"{r.fylkesnavn} {r.andel_prosent:.0f} %"
        for r in coverage.itertuples()
        if r.andel_prosent == r.andel_prosent
    )
    lines.append(f"Fiberdekning (100/100 Mbit/s, andel husstander, Nkom {year}): {shares}")
    lines.append(INCOMPLETE_NOTE)
    return lines


def collaboration_table(
    ds: Dataset,
    *,
    county: str | None = None,
    area: str | None = None,
    form: str | None = None,
) -> pd.DataFrame:
    """Every collaboration in the data, one row each (``nettverk samarbeid``).

    Columns ``id`` (what ``--collaboration`` takes), ``navn``, ``form``, ``omrader``,
    ``n_medlemmer``, ``medlemmer`` (names), ``vertskommune`` (name), ``status``, ``fra_aar``,
    ``til_aar``. ``county`` keeps those with a member in the county, ``area`` those with that
    service area, ``form`` those of that legal form; sorted by name.

    Examples
    --------
    >>> t = collaboration_table(nv.load_default(), county="Buskerud", area="drift")
    >>> "hallingdal-ikt" in set(t["id"]), bool(t["n_medlemmer"].gt(0).all())
    (True, True)
    """
    from nettverk.data.vocab import AREAS, FORMS

    sam, med = ds.samarbeid, ds.medlemskap
    names = ds.kommuner["kommunenavn"]
    keep = pd.Series(True, index=sam.index)
    if county:
        codes = set(ds.county_codes(county))
        ids = set(med.loc[med["kommunenummer"].isin(codes), "samarbeid_id"])
        keep &= sam["id"].isin(ids)
    if area:
        area = _term(area, AREAS, "area")
        ids = set(med.loc[med["omrade"] == area, "samarbeid_id"])
        keep &= sam["id"].isin(ids) | sam["omrader"].astype(str).str.split(";").map(
            lambda a: area in a
        )
    if form:
        form = _term(form, FORMS, "form")
        keep &= sam["form"] == form
    rows = []
    for r in sam[keep].itertuples(index=False):
        members = sorted(set(med.loc[med["samarbeid_id"] == r.id, "kommunenummer"]))
        host = str(r.vertskommune or "")
        rows.append(
            {
                "id": r.id,
                "navn": r.navn,
                "form": r.form,
                "omrader": str(r.omrader).replace(";", ", "),
                "n_medlemmer": len(members),
                "medlemmer": ", ".join(str(names.get(c, c)) for c in members),
                "vertskommune": ", ".join(
                    str(names.get(h.strip(), h.strip())) for h in host.split(",") if h.strip()
                ),
                "status": r.status,
                "fra_aar": r.fra_aar,
                "til_aar": r.til_aar,
            }
        )
    out = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    return out.sort_values(["navn", "id"], kind="stable").reset_index(drop=True)


_TABLE_COLUMNS = [
    "id",
    "navn",
    "form",
    "omrader",
    "n_medlemmer",
    "medlemmer",
    "vertskommune",
    "status",
    "fra_aar",
    "til_aar",
]


def _term(value: str, allowed, what: str) -> str:
    """A vocabulary value as the data spells it, or a clear error with the valid ones."""
    from nettverk._errors import DataValidationError

    from nettverk.data.vocab import did_you_mean, normalise_term

    hit = {normalise_term(a): a for a in allowed}.get(normalise_term(value))
    if hit is None:
        raise DataValidationError(
            f"unknown {what} {value!r}{did_you_mean(value, allowed)}; use one of "
            + ", ".join(allowed)
        )
    return hit
