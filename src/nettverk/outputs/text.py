"""Terminal summaries in bokmål that take more than a table."""

from __future__ import annotations

import geopandas as gpd

from nettverk.data.columns import number_text

__all__ = ["cluster_summary_lines"]


def cluster_summary_lines(clusters: gpd.GeoDataFrame) -> list[str]:
    """The partition's proof and notes in bokmål (``nettverk clusters``).

    The total score with its unit, the status and optimality gap, the greedy merge's score, the
    number of candidate clusters and seconds; the municipalities left alone; the notes.
    """
    a = clusters.attrs
    money = a.get("objective_kind", "affinity") == "money"
    gap = "ukjent (tidsgrensen stoppet oppregningen)" if a["gap"] is None else f"{a['gap']:.4%}"
    unit = "NOK/år" if money else "(modellskår fra partnermodellen; høyere er bedre)"

    def fmt(v: float) -> str:
        return number_text(v) if money else f"{v:.2f}"

    lines = [
        f"Samlet: {fmt(a['objective'])} {unit}; status: {a['status']}; optimalitetsgap: {gap}; "
        f"grådig sammenslåing: {fmt(a['greedy_objective'] or 0)}; {a['n_candidates']} "
        f"kandidatklynger; {a['seconds']} s"
    ]
    alone = clusters[clusters["alone"] & ~clusters["excluded"]]
    for r in alone.itertuples():
        lines.append(f"alene: {r.member_names}" + (f": {r.alone_reason}" if r.alone_reason else ""))
    lines += [f"merk: {n}" for n in a["notes"]]
    return lines
