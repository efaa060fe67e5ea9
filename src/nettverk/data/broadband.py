"""The broadband layer: Nkom's coverage per county, and the state subsidy per household as a
reference.

Coverage comes from ``geodata/bredband_dekning.csv`` (built from ``shared/data/bredband``: Nkom's
*Dekningsundersøkelsen*, via the sources named per row). Counties are those of the year measured
(11 in 2020-2023): a 2024 county takes the value of the county it was part of (Østfold, Akershus and
Buskerud that of Viken; Vestfold and Telemark that of Vestfold og Telemark; Troms and Finnmark that
of Troms og Finnmark), and says so.
"""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset, get_path

__all__ = ["coverage", "SUBSIDY_REFERENCE", "NKOM_PER_HOUSEHOLD", "MEASURES"]


#: The measures per county in the data, with the latest year each has per county.
MEASURES = {
    "fiber": "100/100 Mbit/s (≈fiber)",
    "100": "100/10 Mbit/s",
    "100ned": "100 Mbit/s nedstrøms",
}

#: What the state has paid per household, to set beside our cost per connected centre
#: (``shared/data/bredband/enhetskostnader.csv`` and ``bredbandsstotte.csv``).
SUBSIDY_REFERENCE = (
    "Til sammenligning: støttede bredbåndsprosjekter kostet totalt om lag 29 000–53 000 kr per "
    "husstand "
    "(Nkom, 2014–2019), og de siste om lag 97 000 husstandene anslås til om lag 128 000 kr per "
    "husstand "
    "(Nkom 2025). Tallene over gjelder trasé mellom kommunesentre, ikke fiber til hver husstand."
)

#: Nkom's cost per household, to set beside a cost per household passed (``bredbandsstotte.csv``:
#: total project cost and state subsidy per connection 2014-2019; the 2025 estimate for the rest).
NKOM_PER_HOUSEHOLD = (
    "Nkom: 29 000–53 000 kr per husstand i støttede prosjekter 2014–2019 (statlig støtte om lag "
    "10 000–15 000 kr av dem, 33–38 %), om lag 128 000 kr for de siste 97 000 (2025)"
)

#: 2024 counties that were part of a merged county in 2020-2023.
_SPLIT_2024 = {
    "Østfold": "Viken",
    "Akershus": "Viken",
    "Buskerud": "Viken",
    "Vestfold": "Vestfold og Telemark",
    "Telemark": "Vestfold og Telemark",
    "Troms": "Troms og Finnmark",
    "Finnmark": "Troms og Finnmark",
}


def coverage(ds: Dataset, *, measure: str = "fiber", year: int | None = None) -> pd.DataFrame:
    """Coverage per 2024 county (share of households), the year and the source.

    Examples
    --------
    >>> c = coverage(nv.load_default())
    >>> float(c.loc["Vestland", "andel_prosent"]), int(c.loc["Vestland", "aar"])
    (83.0, 2020)
    >>> c.loc["Buskerud", "merknad"]
    'målt for Viken (fylket i 2020)'
    """
    from nettverk._errors import NettverkError

    if measure not in MEASURES:
        raise NettverkError(
            f"unknown coverage measure {measure!r}; use one of {', '.join(MEASURES)}"
        )
    d = pd.read_csv(get_path("bredband_dekning.csv"), dtype=str, keep_default_na=False)
    d = d[
        (d["maal"] == MEASURES[measure]) & (d["geo"] == "totalt") & (d["fylke"] != "NASJONALT")
    ].copy()
    d["aar"] = d["aar"].astype(int)
    d["andel_prosent"] = d["andel_prosent"].astype(float)
    if year is None:
        year = int(d["aar"].max())
    d = d[d["aar"] == year].set_index("fylke")
    rows = []
    for county in sorted(set(ds.kommuner["fylkesnavn"].astype(str))):
        src = county if county in d.index else _SPLIT_2024.get(county)
        if src is None or src not in d.index:
            rows.append(
                {
                    "fylkesnavn": county,
                    "andel_prosent": float("nan"),
                    "aar": year,
                    "maal": MEASURES[measure],
                    "merknad": "ikke i kilden",
                    "kilde": "",
                }
            )
            continue
        r = d.loc[src]
        rows.append(
            {
                "fylkesnavn": county,
                "andel_prosent": float(r["andel_prosent"]),
                "aar": year,
                "maal": MEASURES[measure],
                "merknad": "" if src == county else f"målt for {src} (fylket i {year})",
                "kilde": r["kilde"],
            }
        )
    return pd.DataFrame(rows).set_index("fylkesnavn")
