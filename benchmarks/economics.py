"""The cost model against every comparable fact of ``ikt_kostnader_fakta.csv`` (prints a table).

    python benchmarks/economics.py

Each row is one fact, converted to NOK at the 2024 price level, beside the model's low, base and
high value for the same thing, and whether the fact lies inside. Conversions, stated once:

- prices: SSB's consumer price index (KPI, table 03014, annual average, 2015 = 100), typed in
  here to one decimal: 2007 84.8, 2014 97.9, 2017 105.5, 2018 108.4, 2019 110.8, 2021 116.1,
  2022 122.8, 2024 134.8; a fact with no year is taken at the source's year.
- currencies: Norges Bank's annual average rates, typed in: 2019 SEK 0.9303, 2021 EUR 10.163,
  2022 DKK 1.3530, 2024 SEK 1.0082 (NOK per unit).

Populations are 2024's (SSB), so a fact from 2007 is held against today's municipalities: a
known bias, small beside the ranges.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import nettverk as nv  # noqa: E402
from nettverk.analyses.group import group_money  # noqa: E402
from nettverk.models.economics import group_economics  # noqa: E402
from nettverk.models.costs import ALL_RANGES, CostModel, _keep_level  # noqa: E402

KPI = {
    2007: 84.8,
    2014: 97.9,
    2017: 105.5,
    2018: 108.4,
    2019: 110.8,
    2021: 116.1,
    2022: 122.8,
    2024: 134.8,
}
KPI_2024 = 134.8
FX = {("SEK", 2019): 0.9303, ("EUR", 2021): 10.163, ("DKK", 2022): 1.3530, ("SEK", 2024): 1.0082}
FACTS = ROOT / "geodata" / "ikt_kostnader_fakta.csv"


def nok2024(value: float, year: int, currency: str = "NOK") -> float:
    """A value of ``year`` in ``currency`` as NOK at the 2024 price level."""
    if currency != "NOK":
        value *= FX[(currency, year)]
    return value * KPI_2024 / KPI[year]


def _subject(facts: pd.DataFrame, words: str) -> str:
    hit = facts[facts["subject"].str.contains(words, regex=False)]
    if hit.empty:  # every number below is traceable to a row of the facts file
        raise SystemExit(f"no fact about {words!r} in {FACTS}")
    return hit.iloc[0]["subject"]


#: The parameters whose ranges span the model's value for a fact (every corner is tried).
CORNERS = (
    "scale_a",
    "scale_beta",
    "coordination_fixed_nok",
    "coordination_per_member_nok",
    "retained_share",
    "transition_nok_per_inhabitant",
    "stranded_share",
    "join_single_service_nok",
    "exit_notice_years",
)


def _models() -> dict[str, CostModel]:
    """The base model and one model per corner of the ranges of :data:`CORNERS`."""
    base = CostModel()
    out = {"base": base}
    for i, combo in enumerate(itertools.product((0, 1), repeat=len(CORNERS))):
        values = {n: ALL_RANGES[n][end] for n, end in zip(CORNERS, combo)}
        out[f"c{i}"] = dataclasses.replace(base, **_keep_level(base, values))
    return out


def rows(ds, facts: pd.DataFrame) -> list[dict]:
    models = _models()
    out = []

    def add(
        fact: str, covers: str, value, model: dict, note: str = "", comparable: bool = True
    ) -> None:
        lo, hi = (value, value) if np.isscalar(value) else value
        corners = [v for k, v in model.items() if k != "base"]
        mlo, mbase, mhi = min(corners), model["base"], max(corners)
        m_lo, m_hi = mlo, mhi
        inside = not (hi < m_lo or lo > m_hi)
        out.append(
            {
                "faktum": fact,
                "dekker": covers,
                "faktum (2024-kr)": (lo, hi),
                "modell lav": mlo,
                "modell basis": mbase,
                "modell høy": mhi,
                "innenfor": "ja" if inside else "nei",
                "sammenlignbar": "ja" if comparable else "nei (dekker mer enn drift)",
                "merknad": note,
            }
        )

    def money(members, part):
        return {lvl: group_money(ds, members, costs=m)[part] for lvl, m in models.items()}

    # SSIKT: 50/50 key, Sande 1 244 and Herøy 594 NOK per inhabitant -> the joint cost
    subj = _subject(facts, "SSIKT")
    ssikt = sorted(
        set(ds.medlemskap.loc[ds.medlemskap["samarbeid_id"] == "ssikt", "kommunenummer"])
    )
    pop = ds.kommuner.loc[ssikt, "innbyggere"].astype(float)
    totals = []
    for name, per in (("Sande (Møre og Romsdal)", 1244), ("Herøy (Møre og Romsdal)", 594)):
        c = ds.code(name)
        share = 0.5 / len(ssikt) + 0.5 * pop[c] / pop.sum()
        totals.append(nok2024(per * pop[c] / share, 2018))
    add(
        subj,
        "felles kostnad per år (avledet av 50/50-nøkkelen)",
        (min(totals), max(totals)),
        money(ssikt, "joint_total"),
        "Sande og Herøy gir hver sin total; kildeår 2018 (samarbeid)",
    )
    # IKomm: 20 MNOK a year for three; more than they spent before
    subj = _subject(facts, "Ikomm (IKT-selskap")
    ikomm = ds.codes(["Lillehammer", "Gausdal", "Øyer"])
    add(
        subj,
        "felles driftskostnad per år",
        nok2024(20e6, 2007),
        money(ikomm, "joint_total"),
        "2007-nivå, 2024-innbyggere",
    )
    add(
        subj + " (ingen besparelse)",
        "gevinst per år: kostet mer enn før",
        (-20e6, 0.0),
        money(ikomm, "net_gain"),
        "modellens spenn må nå 0 eller under",
    )
    # Itsam: 85 MSEK in 2019 for six Swedish municipalities (about 51 000 inhabitants)
    subj = _subject(facts, "Itsam kommunalförbund")
    p_itsam = np.array([15_500, 10_000, 5_500, 3_700, 11_500, 5_300], dtype=float)
    itsam = {
        lvl: float(m.standalone_cost(p_itsam.sum()) + m.overhead(6)) for lvl, m in models.items()
    }
    add(
        subj,
        "hele IT-kostnaden (drift, støtte, utstyr, programvare)",
        nok2024(85e6, 2019, "SEK"),
        itsam,
        "dekker mer enn drift; folketall 2019 om lag",
        comparable=False,
    )
    # Skåne: as many staff after as before (no saving)
    subj = _subject(facts, "IT-kommuner i Skåne")
    p_sk = np.array([15_500, 16_500, 14_800], dtype=float)
    gain = {}
    for lvl, m in models.items():
        e = group_economics(p_sk, np.zeros(3), m)
        gain[lvl] = float(e["net_gain_nok"][0] / e["standalone_nok"][0])
    add(subj, "besparelse (andel av alene)", 0.0, gain, "27 ansatte før og etter")
    # Finland and Denmark per inhabitant, at each country's mean municipality size
    for words, val, year, cur, p_mean, covers in (
        ("Finland - municipal-sector", 103, 2021, "EUR", 5_500_000 / 309, "budsjettert IKT"),
        (
            "Denmark - municipal IT",
            (1000, 1500),
            2022,
            "DKK",
            5_900_000 / 98,
            "IT-innkjøp (ikke alt)",
        ),
    ):
        subj = _subject(facts, words)
        v = (
            (nok2024(val[0], year, cur), nok2024(val[1], year, cur))
            if isinstance(val, tuple)
            else nok2024(val, year, cur)
        )
        per = {lvl: float(m.standalone_cost(p_mean)) / p_mean for lvl, m in models.items()}
        add(
            subj,
            f"kr per innbygger og år, {covers}",
            v,
            per,
            f"snittkommune {p_mean:,.0f} innb.",
            comparable=words.startswith("Finland"),
        )
    # Orkidé: coordination staff (5 permanent + about 4 bought from members) for 9 members
    subj = _subject(facts, "IKT Orkidé - staffing of the coordination")
    fte = 1.0e6  # NOK per FTE a year, fully loaded (A)
    over = {lvl: m.overhead(9) for lvl, m in models.items()}
    add(
        subj,
        "koordinering per år (9 årsverk à 1 MNOK)",
        (5 * fte, 9 * fte),
        over,
        "5 faste og 4 kjøpt av medlemmene",
    )
    # entry: KS Digiorden (one service), Midtre Gauldal into IT Midt (full operations)
    subj = _subject(facts, "KS Digiorden (national shared solution)")
    single = {lvl: m.join_single_service_nok for lvl, m in models.items()}
    add(subj, "inngang, én tjeneste", (25_000, 60_000), single, "25/40/60 kNOK etter størrelse")
    subj = _subject(facts, "Midtre Gauldal joining IT Midt")
    mg = float(ds.kommuner.at[ds.code("Midtre Gauldal"), "innbyggere"])
    trans = {lvl: m.transition_nok_per_inhabitant * mg for lvl, m in models.items()}
    add(
        subj,
        "overgang, full drift (kapital + raskere avskriving)",
        1.9e6 + 3 * 0.7e6,
        trans,
        "1,9 MNOK + 3 x 0,7 MNOK (2024)",
    )
    subj = _subject(facts, "Ikomm establishment")
    trans = {
        lvl: m.transition_nok_per_inhabitant * float(pop_of(ds, ikomm)) for lvl, m in models.items()
    }
    add(subj, "etablering for tre (servere og utstyr)", nok2024(20e6, 2007), trans, "2007-nivå")
    # exit: Kristiansand's notice; Itsam's loss when Kinda left
    subj = _subject(facts, "Kristiansand leaving KR-IKT")
    notice = {lvl: m.exit_notice_years for lvl, m in models.items()}
    add(subj, "oppsigelsestid (år)", 3.0, notice, "")
    subj = _subject(facts, "effect on the federation when Kinda left")
    left = {}
    for lvl, m in models.items():
        rest = p_itsam[[0, 2, 3, 4, 5]]
        before = float(m.standalone_cost(p_itsam.sum()) + m.overhead(6))
        after = float(m.standalone_cost(rest.sum()) + m.overhead(5))
        kinda = before * p_itsam[1] / p_itsam.sum()  # its population share of the joint cost
        # the five pay the lost scale and, the first year, what of Kinda's share stays as cost
        left[lvl] = after - (before - kinda) + m.stranded_share * kinda
    add(
        subj,
        "merkostnad for de som blir (per år)",
        nok2024(6.8e6, 2024, "SEK") * KPI_2024 / KPI_2024,
        left,
        "tap i regnskapet det året Kinda gikk ut",
    )
    return out


def pop_of(ds, codes) -> float:
    return float(ds.kommuner.loc[codes, "innbyggere"].sum())


def main() -> None:
    ds = nv.load_default()
    facts = pd.read_csv(FACTS)
    t = pd.DataFrame(rows(ds, facts))

    def fmt(v):
        if isinstance(v, tuple):
            a, b = v
            return fmt(a) if a == b else f"{fmt(a)}–{fmt(b)}"
        if abs(v) >= 1e5:
            return f"{v / 1e6:.1f} M"
        if abs(v) < 1:
            return f"{v:.0%}"
        return f"{v:,.0f}".replace(",", " ")

    show = t.copy()
    for c in ("faktum (2024-kr)", "modell lav", "modell basis", "modell høy"):
        show[c] = show[c].map(fmt)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 60)
    print(show.drop(columns=["merknad"]).to_string(index=False))
    comp = t[t["sammenlignbar"] == "ja"]
    print(
        f"\ninnenfor: {(comp['innenfor'] == 'ja').sum()} av {len(comp)} sammenlignbare fakta "
        f"({(t['innenfor'] == 'ja').sum()} av {len(t)} i alt; de andre dekker mer enn IKT-drift)"
    )
    print(
        "modell lav/høy: minste og største verdi over alle hjørner av spennene til "
        + ", ".join(CORNERS)
        + " (nettverk costs)"
    )


if __name__ == "__main__":
    main()
