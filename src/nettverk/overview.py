"""The collaboration landscape: who collaborates with whom, on what, and where the gaps are.

The known-collaborations file is not a full register: a municipality without a recorded
collaboration may well have one. Every table says so in ``attrs["note"]``.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ._validate import AREAS
from .dataset import Dataset
from .graph import pair_ties

__all__ = ["overview", "collaboration_graph", "INCOMPLETE_NOTE"]

INCOMPLETE_NOTE = (
    "Dataene over samarbeid er ufullstendige: filen over kjente samarbeid er ikke et fullstendig register, "
    "så en kommune uten registrert samarbeid kan likevel ha ett."
)


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


def overview(ds: Dataset, *, counties=None) -> dict[str, pd.DataFrame]:
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
    k = ds.kommuner
    sam = ds.active_collaborations()
    med = ds.active_memberships()
    form = sam.set_index("id")["form"]
    G = collaboration_graph(ds)
    btw = nx.betweenness_centrality(G, weight=None, seed=0) if G.number_of_edges() else dict.fromkeys(G, 0.0)
    deg = dict(G.degree())
    ties = pair_ties(ds)
    partners_comm = {}
    for r in ties.itertuples(index=False):
        if G.has_edge(r.u, r.v):
            partners_comm[r.u] = partners_comm.get(r.u, 0) + r.commuters
            partners_comm[r.v] = partners_comm.get(r.v, 0) + r.commuters
    hosts = sam[sam["vertskommune"].astype(str) != ""].groupby("vertskommune")["id"].agg(lambda s: sorted(s))
    rows = []
    for code in k.index:
        m = med[med["kommunenummer"] == code]
        ids = sorted(set(m["samarbeid_id"]))
        areas = [a for a in AREAS if a in set(m["omrade"])]
        rows.append({
            "kommunenummer": code, "kommunenavn": k.at[code, "kommunenavn"], "fylkesnavn": k.at[code, "fylkesnavn"],
            "innbyggere": int(k.at[code, "innbyggere"]), "n_samarbeid": len(ids), "samarbeid": ", ".join(ids),
            "omrader": ", ".join(areas), "former": ", ".join(sorted({form[i] for i in ids})),
            "vert_for": ", ".join(hosts.get(code, [])), "n_vert_for": len(hosts.get(code, [])),
            "samarbeidspartnere": deg.get(code, 0), "pendlere_til_partnere": int(partners_comm.get(code, 0)),
            "mellomhet": round(btw.get(code, 0.0), 5),
            "har_drift": "drift" in areas, "har_bredband": "bredband" in areas,
        })
    kom = pd.DataFrame(rows)
    cov = []
    for (fnr, fnavn), grp in k.groupby(["fylkesnummer", "fylkesnavn"], sort=True):
        n = len(grp)
        for area in AREAS:
            covered = set(med.loc[(med["omrade"] == area) & med["kommunenummer"].isin(grp.index), "kommunenummer"])
            cov.append({"fylkesnummer": fnr, "fylkesnavn": fnavn, "omrade": area, "kommuner": n,
                        "dekket": len(covered), "andel": round(len(covered) / n, 3)})
    cov = pd.DataFrame(cov)
    gaps = []
    for r in kom.itertuples(index=False):
        missing = [a for a, has in (("drift", r.har_drift), ("bredband", r.har_bredband)) if not has]
        if missing:
            gaps.append({"type": "kommune uten " + " og ".join(missing) + "-samarbeid i dataene", "fylkesnavn": r.fylkesnavn,
                         "kommunenummer": r.kommunenummer, "kommunenavn": r.kommunenavn, "omrade": ", ".join(missing)})
    for r in cov[cov["dekket"] == 0].itertuples(index=False):
        gaps.append({"type": "område ingen dekker i fylket (i dataene)", "fylkesnavn": r.fylkesnavn,
                     "kommunenummer": "", "kommunenavn": "", "omrade": r.omrade})
    gaps = pd.DataFrame(gaps)
    ov = []
    members = med.groupby("samarbeid_id")["kommunenummer"].agg(lambda s: set(s)).to_dict()
    ids = sorted(members)
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            common = members[ids[i]] & members[ids[j]]
            if common:
                ov.append({"samarbeid_a": ids[i], "samarbeid_b": ids[j], "felles_medlemmer": len(common),
                           "kommuner": ", ".join(sorted(k.at[c, "kommunenavn"] for c in common))})
    ov = pd.DataFrame(ov, columns=["samarbeid_a", "samarbeid_b", "felles_medlemmer", "kommuner"])
    if len(ov):
        ov = ov.sort_values(["felles_medlemmer", "samarbeid_a", "samarbeid_b"], ascending=[False, True, True]).reset_index(drop=True)
    hubs = kom[["kommunenummer", "kommunenavn", "fylkesnavn", "n_vert_for", "vert_for", "n_samarbeid",
                "samarbeidspartnere", "mellomhet"]].copy()
    # hub score: hosting counts double, every collaboration once, bridging (betweenness) up to 10
    peak = max(hubs["mellomhet"].max(), 1e-12)
    hubs["knutepunkt_poeng"] = (2 * hubs["n_vert_for"] + hubs["n_samarbeid"] + 10 * hubs["mellomhet"] / peak).round(3)
    hubs = hubs.sort_values(["knutepunkt_poeng", "kommunenummer"], ascending=[False, True]).head(20).reset_index(drop=True)
    out = {"kommuner": kom, "fylker_omrader": cov, "mangler": gaps, "overlapp": ov, "knutepunkter": hubs}
    for df in out.values():
        df.attrs["note"] = INCOMPLETE_NOTE
    return out
