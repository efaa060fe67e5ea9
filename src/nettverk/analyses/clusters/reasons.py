"""Why the partition is as it is, in bokmål: why a municipality stands alone, and why a cluster
stays apart from the cluster next to it. Each reason comes from the partner model's own terms,
so a planner can check it on the map.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from nettverk.data.columns import FEATURE_APART, chance_text, number_text
from nettverk.data.dataset import Dataset
from nettverk.models.partner.features import FEATURES, pair_features
from nettverk.models.partner.model import PartnerModel

from .region import _Region

__all__: list[str] = []


def _alone_reasons(
    ds: Dataset,
    out: pd.DataFrame,
    reg: _Region,
    G: nx.Graph,
    U_all: np.ndarray,
    *,
    max_members: int,
) -> list[str]:
    """Why each municipality stands alone, in bokmål; empty for clusters of several.

    Its strongest neighbour under the partner model, and either that no neighbour reaches the
    threshold tau, or what joining that neighbour's cluster would add to the score (the sum of
    the municipality's log-odds ``u - tau`` to its members: below 0 it does not belong there),
    or that the cluster is full or a constraint keeps it out. Where a neighbour outside the
    region (``U_all``: the affinity of every pair in ``ds``) is a stronger natural partner than
    any inside, it says so first: include that county to see the cluster.
    """
    names = ds.kommuner["kommunenavn"]
    index = {c: i for i, c in enumerate(reg.codes)}
    at = {c: i for i, c in enumerate(ds.kommuner.index)}
    cluster_of = {c: m.split(",") for m in out["members"] for c in m.split(",")}
    reasons = []
    for r in out.itertuples():
        c = r.members
        if not r.alone or r.excluded or reg.objective == "money" or c not in index:
            reasons.append("utelatt av brukeren" if r.excluded else "")
            continue
        nbrs = sorted(u for u in G[c] if u in index) if c in G else []
        if not nbrs:
            reasons.append("ingen nabo i området (grense, bro, tunnel eller ferje)")
            continue
        i = index[c]
        best = max(nbrs, key=lambda u: (reg.affinity[i, index[u]], u))
        u_best = reg.affinity[i, index[best]]
        outside = [u for u in G[c] if u in at and u not in index]
        if outside:
            far = max(outside, key=lambda u: (U_all[at[c], at[u]], u))
            u_far = U_all[at[c], at[far]]
            if u_far > reg.tau and u_far > u_best:
                county = ds.kommuner.at[far, "fylkesnavn"]
                reasons.append(
                    f"sterkest knyttet til {names[far]} i {county} ({chance_text(u_far - reg.tau)} "
                    f"sannsynlighet for å høre sammen), utenfor området: ta med {county} for å se "
                    "klyngen"
                )
                continue
        if u_best <= reg.tau:
            reasons.append(
                f"ingen nabo er en naturlig partner: sterkest knyttet til {names[best]}, "
                f"{chance_text(u_best - reg.tau)} sannsynlighet for å høre sammen"
            )
            continue
        part = cluster_of[best]
        gain = sum(reg.affinity[i, index[m]] - reg.tau for m in part if m in index)
        there = ", ".join(names[m] for m in part)
        if len(part) >= max_members:
            why = f"klyngen er full (høyst {max_members} medlemmer)"
        elif gain < 0:
            why = (
                "med hele klyngen er det mer sannsynlig at den ikke hører til "
                f"({chance_text(gain)} for at den gjør det)"
            )
        else:
            why = "en begrensning holder den ute"
        reasons.append(
            f"sterkest knyttet til {names[best]} ({chance_text(u_best - reg.tau)} sannsynlighet "
            f"for å høre sammen), men {names[best]} er i klyngen {there}: {why}"
        )
    return reasons


def _apart_reasons(
    ds: Dataset,
    out: pd.DataFrame,
    reg: _Region,
    G: nx.Graph,
    model: PartnerModel,
    *,
    max_members: int,
    max_population: float | None,
    cross_county: bool,
) -> list[str]:
    """Why each cluster of several is not one with the neighbouring cluster it fits best, in
    bokmål; empty for the municipalities alone.

    The neighbour is the bordering cluster with the highest sum of log-odds ``u - tau`` over the
    pairs between the two (the partition's own measure: below 0 they do not belong together).
    Where that sum is below 0 the reason names the model's terms that fall most from the pairs
    within the two clusters to the pairs between them (longer travel, a size gap, ...), with the
    travel between them in km; where it is above 0, the limit that keeps them apart.
    """
    names = ds.kommuner["kommunenavn"]
    index = {c: i for i, c in enumerate(reg.codes)}
    members = {
        r.cluster_id: [c for c in r.members.split(",") if c in index] for r in out.itertuples()
    }
    cluster_of = {c: cid for cid, m in members.items() for c in m}
    pf = pair_features(ds)
    at = np.array([pf.index[c] for c in reg.codes])
    X = None
    reasons = []
    for r in out.itertuples():
        mine = members[r.cluster_id]
        if r.alone or r.excluded or reg.objective == "money" or len(mine) < 2:
            reasons.append("")
            continue
        bordering = sorted(
            {cluster_of[u] for c in mine if c in G for u in G[c] if u in cluster_of}
            - {r.cluster_id}
        )
        if not bordering:
            reasons.append("ingen annen klynge grenser til denne")
            continue
        ia = [index[c] for c in mine]

        def between(cid: str, ia=ia) -> float:
            ib = [index[c] for c in members[cid]]
            return float((reg.affinity[np.ix_(ia, ib)] - reg.tau).sum())

        best = max(bordering, key=lambda k: (between(k), k))
        other = members[best]
        s = between(best)
        there = (
            "klyngen " + ", ".join(names[c] for c in other)
            if len(other) > 1
            else f"{names[other[0]]}, som står alene"
        )
        ib = [index[c] for c in other]
        km = reg.km[np.ix_(ia, ib)]
        if s > 0:
            why = _limit(ds, reg, G, mine, other, max_members, max_population, cross_county)
            reasons.append(f"passer best med {there}, men {why}")
            continue
        if X is None:
            X = pf.matrix()
        ga, gb = at[ia], at[ib]
        within = np.concatenate(
            [X[np.ix_(g, g)][np.triu_indices(len(g), 1)] for g in (ga, gb) if len(g) > 1]
        )
        cross = X[np.ix_(ga, gb)].reshape(-1, len(FEATURES))
        fall = (within.mean(axis=0) - cross.mean(axis=0)) * model.beta
        top = [FEATURES[k] for k in np.argsort(-fall, kind="stable")[:2] if fall[k] > 0.05]
        what = " og ".join(FEATURE_APART[f] for f in top) or "summen av mange små forskjeller"
        reasons.append(
            f"passer best med {there}, men sammen er det mer sannsynlig at de ikke hører sammen "
            f"({chance_text(s)} for at de gjør det); mest trekker {what} ned (reisevei mellom "
            f"dem {km.min():.0f}–{km.max():.0f} km)"
        )
    return reasons


def _limit(
    ds: Dataset,
    reg: _Region,
    G: nx.Graph,
    mine: list[str],
    other: list[str],
    max_members: int,
    max_population: float | None,
    cross_county: bool,
) -> str:
    """The limit that keeps two clusters apart whose pairs together would add to the score."""
    n = len(mine) + len(other)
    index = {c: i for i, c in enumerate(reg.codes)}
    pop = float(sum(reg.pop[index[c]] for c in mine + other))
    county = ds.kommuner["fylkesnummer"]
    if n > max_members:
        return f"sammen blir de {n} kommuner, over grensen på {max_members}"
    if max_population is not None and pop > max_population:
        return (
            f"sammen får de {number_text(pop)} innbyggere, over grensen på "
            f"{number_text(max_population)}"
        )
    if not cross_county and set(county[mine]) != set(county[other]):
        return "de ligger i hvert sitt fylke, og fylkene løses hver for seg (--per-county)"
    natural = any(
        reg.affinity[index[a], index[b]] > reg.tau
        for a in mine
        if a in G
        for b in G[a]
        if b in other
    )
    if not natural:
        return (
            "ingen av kommunene langs grensen mellom dem er naturlige partnere etter modellen, "
            "og en klynge henger sammen gjennom slike"
        )
    return (
        "en begrensning holder dem fra hverandre (grupper som holdes samlet, dagens samarbeid, "
        "kommuner holdt utenfor eller minste innbyggertall)"
    )
