"""Terminal summaries in bokmål that take more than a table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from nettverk.data.columns import number_text, percent_text

__all__ = ["cluster_summary_lines", "cost_lines"]


def cluster_summary_lines(clusters: gpd.GeoDataFrame) -> list[str]:
    """The partition's proof and notes in bokmål (``nettverk clusters``).

    The total score with its unit, the status and optimality gap, the greedy merge's score, the
    number of candidate clusters and seconds; the municipalities left alone; why each cluster
    whose net gain is negative stays apart from the cluster next to it; the notes.
    """
    a = clusters.attrs
    money = a.get("objective_kind", "affinity") == "money"
    gap = (
        "ukjent (tidsgrensen stoppet oppregningen)"
        if a["gap"] is None
        else percent_text(a["gap"], 4)
    )
    unit = "kr/år" if money else "(modellskår fra partnermodellen; høyere er bedre)"

    def fmt(v: float) -> str:
        return number_text(v, 0 if money else 2)

    lines = [
        f"Samlet: {fmt(a['objective'])} {unit}; status: {a['status']}; optimalitetsgap: {gap}; "
        f"grådig sammenslåing: {fmt(a['greedy_objective'] or 0)}; "
        f"{number_text(a['n_candidates'])} kandidatklynger; {number_text(a['seconds'], 1)} s"
    ]
    alone = clusters[clusters["alone"] & ~clusters["excluded"]]
    for r in alone.itertuples():
        lines.append(f"alene: {r.member_names}" + (f": {r.alone_reason}" if r.alone_reason else ""))
    # a cluster the money says does not pay: why it is not part of the one next to it
    if "apart_reason" in clusters.columns and "net_gain_nok" in clusters.columns:
        apart = clusters[(clusters["apart_reason"] != "") & (clusters["net_gain_nok"] < 0)]
        for r in apart.itertuples():
            lines.append(f"egen klynge {r.cluster_id}: {r.member_names}: {r.apart_reason}")
    lines += [f"merk: {n}" for n in a["notes"]]
    return lines


_BASIS = {"S": "kilde", "D": "utledet", "A": "antakelse"}
_UNITS = {
    "NOK": "kr",
    "NOK/yr": "kr/år",
    "years": "år",
    "NOK/m": "kr/m",
    "NOK/km": "kr/km",
    "NOK/inh.": "kr/innb.",
    "trips/yr": "reiser/år",
    "-": "",
}
#: Bokmål notes for the parameters without a range (the others cite their range's source).
_NOTES = {
    "key_equal_share": "eKommune Sunnmøre: 30 % likt, 70 % etter innbyggertall (SSIKT: 50/50)",
    "annuity_years": "levetid for rør og kabel (antakelse)",
    "annuity_rate": "realrente (antakelse)",
    "travel_trips_per_year": "møter og støtte på stedet per medlem og år (antakelse)",
}


def cost_lines(table: pd.DataFrame, width: int = 100) -> list[str]:
    """The cost model in bokmål, within ``width`` columns: one line per parameter (label, value,
    low–high, unit, basis), then each source as a numbered note.

    Examples
    --------
    >>> from nettverk.models.costs import CostModel
    >>> lines = cost_lines(CostModel().describe())
    >>> max(map(len, lines)) <= 100, lines[0].startswith("Kostnadsmodellen")
    (True, True)
    """
    import math
    import textwrap

    from nettverk.models.costs import LABELS

    def num(v: float) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        return number_text(v, 2 if abs(v) < 10 and v != int(v) else 0)

    head = f"{'Parameter':<34}{'Verdi':>11}  {'Lav–høy':<19}{'Enhet':<10}{'Grunnlag':<10} Note"
    lines = [
        "Kostnadsmodellen (nettverk costs): hver parameter med verdi, spenn, enhet og grunnlag",
        head,
    ]
    notes = []
    for i, r in enumerate(table.itertuples(index=False), start=1):
        span = f"{num(r.low)}–{num(r.high)}" if not math.isnan(r.low) else ""
        label = LABELS.get(r.parameter, r.parameter)[:33]
        unit = _UNITS.get(str(r.unit), str(r.unit))
        lines.append(
            f"{label:<34}{num(r.value):>11}  {span:<19}{unit:<10}"
            f"{_BASIS.get(r.basis, r.basis):<10} {i}"
        )
        source = str(r.source).split("; range: ", 1)
        note = _NOTES.get(r.parameter, source[1] if len(source) > 1 else source[0])
        notes.append(f"{i}. {r.parameter}: {note}")
    lines.append("Kilder og grunnlag:")
    for n in notes:
        lines += textwrap.wrap(n, width=width, subsequent_indent="    ", break_long_words=True)
    return lines
