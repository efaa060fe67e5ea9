"""One column dictionary: what each result column means, in bokmål, with its unit and basis.

Machine formats (CSV, GeoJSON, GPKG) keep the stable snake_case names; Excel headers, map
tooltips and terminal tables use the bokmål labels, and the Excel "Forklaring" sheet lists them
all. ``kind`` says how a value is shown: ``mnok`` (NOK shown in millions), ``nok`` (whole
kroner), ``share`` (a fraction shown in per cent), ``int``, ``float`` (two decimals), ``text``,
``bool`` (ja/nei), ``m`` (metres), ``km``.

Basis: S sourced, D derived, A assumption, M the partner model (fitted), F a fact of the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "Column",
    "COLUMNS",
    "label",
    "describe",
    "lookup",
    "number_text",
    "chance_text",
    "FEATURE_LABELS",
]


@dataclass(frozen=True)
class Column:
    """One column: the bokmål label, what it means, its unit, its basis and how to show it."""

    label: str
    meaning: str
    unit: str = ""
    basis: str = "F"
    kind: str = "text"


_C = Column
COLUMNS: dict[str, Column] = {
    # summary sheets
    "Felt": _C("Felt", "hva tallet gjelder", "", "F"),
    "Verdi": _C("Verdi", "tallet eller teksten (kr i hele kroner)", "", "D"),
    # sensitivity
    "scenario": _C("Tilfelle", "hvilke enhetskostnader som er endret (lav/høy) mot basis", "", "S"),
    "parameter": _C("Parameter", "kostnadsparameteren som er endret", "", "F"),
    "level": _C("Nivå (lav/høy)", "lav, basis eller høy verdi", "", "F"),
    "value": _C("Verdi", "parameterens verdi (i tilfellet)", "", "S", "float"),
    "low": _C("Lav", "nedre ende av spennet", "", "S", "float"),
    "high": _C("Høy", "øvre ende av spennet", "", "S", "float"),
    "unit": _C("Enhet", "enheten til verdien", "", "F"),
    "basis": _C("Grunnlag", "S kildebelagt, D utledet, A antakelse", "", "F"),
    "dig_shared_nok": _C(
        "Felles nett (MNOK engang)",
        "engangskostnaden for å grave det felles nettet",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "saving_share": _C(
        "Besparelse (andel)", "besparelse som andel av hver for seg", "%", "D", "share"
    ),
    "source": _C(
        "Kilde", "kilden til verdiene (shared/data/bredband/enhetskostnader.csv)", "", "S"
    ),
    # broadband
    "fylkesnavn": _C("Fylke", "fylket (2024)", "", "F"),
    "andel_prosent": _C(
        "Dekning (%)",
        "andel husstander med tilbudet (Nkom Dekningsundersøkelsen)",
        "%",
        "S",
        "float",
    ),
    "aar": _C("År", "året dekningen ble målt", "", "S"),
    "maal": _C("Mål", "hastighet eller teknologi som er målt", "", "S"),
    "merknad": _C("Merknad", "f.eks. at verdien er målt for det sammenslåtte fylket", "", "F"),
    "kilde": _C("Kilde", "kilden til tallet", "", "S"),
    # identity
    "rank": _C("Rang", "plass i rangeringen (1 er best)", "", "M", "int"),
    "cluster_id": _C("Klynge", "klyngens nummer, best først", "", "F"),
    "members": _C("Kommunenummer", "medlemmenes kommunenummer, kommaseparert", "", "F"),
    "member_names": _C("Kommuner", "medlemmenes navn", "", "F"),
    "n_members": _C("Antall kommuner", "antall medlemmer", "", "F", "int"),
    "kommunenummer": _C("Kommunenr.", "offisielt firesifret kommunenummer (2024)", "", "F"),
    "kommunenavn": _C("Kommune", "kommunens navn (2024)", "", "F"),
    "candidate": _C("Kandidat (nr.)", "kandidatens kommunenummer", "", "F"),
    "innbyggere": _C("Innbyggere", "innbyggere 1.1.2024 (SSB)", "personer", "S", "int"),
    "samarbeid_id": _C("Samarbeid", "samarbeidets id", "", "F"),
    "omrade": _C("Område", "tjenesteområdet i samarbeidet", "", "F"),
    "hub": _C("Knutepunkt", "medlemmet med flest innbyggere, mål for reise og graving", "", "A"),
    "largest_member": _C("Største kommune", "medlemmet med flest innbyggere", "", "F"),
    "largest_share": _C(
        "Største kommunes andel", "største medlems andel av innbyggerne", "%", "F", "share"
    ),
    "shared_collaborations": _C(
        "Felles samarbeid", "aktive samarbeid medlemmene allerede deler", "", "F"
    ),
    "alone": _C(
        "Alene",
        "kommunen står alene i inndelingen (se Hvorfor alene)",
        "",
        "M",
        "bool",
    ),
    "alone_reason": _C(
        "Hvorfor alene",
        "sterkeste nabo etter partnermodellen, og hvorfor kommunen ikke er med i naboens klynge",
        "",
        "M",
    ),
    "excluded": _C("Holdt utenfor", "kommunen ble holdt utenfor etter ønske", "", "F", "bool"),
    "borders_area": _C(
        "Grenser til området", "kandidaten grenser til minst ett medlem", "", "F", "bool"
    ),
    "joins_parts": _C(
        "Binder sammen området",
        "kandidaten grenser til hver sammenhengende del av området (én del: som over)",
        "",
        "F",
        "bool",
    ),
    "connected": _C(
        "Sammenhengende",
        "medlemmene henger sammen som naboer (grense, veg, bro eller ferje)",
        "",
        "F",
        "bool",
    ),
    # money: operations, NOK a year
    "standalone_nok": _C(
        "Alene (MNOK/år)",
        "IKT-driftskostnad per år hver for seg, a·P^β (summert over medlemmene)",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "joint_nok": _C(
        "Felles drift (MNOK/år)",
        "kostnaden av én felles drift for summen av innbyggerne",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "overhead_nok": _C(
        "Koordinering (MNOK/år)",
        "fast koordinering pluss per medlem utover det første",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "travel_nok": _C(
        "Reise og spredning (MNOK/år)",
        "reiser til knutepunktet (gruppens største medlem) og tap ved avstand, km på veg og ferje",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "net_gain_nok": _C(
        "Netto gevinst (MNOK/år)",
        "alene minus felles, koordinering, reise (og graving)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "gain_vs_current_nok": _C(
        "Gevinst mot i dag (MNOK/år)",
        "kommunens kostnad i dag (andelen i dagens samarbeid for området, ellers alene) minus "
        "andelen etter",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "current_collaborations": _C(
        "Er med i nå", "samarbeid kommunen er med i for samme område i dag", "", "F"
    ),
    "must_leave": _C(
        "Må gå ut", "kommunen må gå ut av dagens samarbeid for området", "", "F", "bool"
    ),
    "retained_nok": _C(
        "Beholdes lokalt (MNOK/år)",
        "IKT-kostnad som blir igjen i hver kommune (sikkerhetsleder, systemeiere, bestiller)",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "net_gain_low_nok": _C(
        "Netto gevinst, lav (MNOK/år)",
        "netto gevinst med hvert spenn i kostnadsmodellen på den minst gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "net_gain_high_nok": _C(
        "Netto gevinst, høy (MNOK/år)",
        "netto gevinst med hvert spenn i kostnadsmodellen på den mest gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "cost_source": _C(
        "Kostnadstall fra",
        "egne tall (kartlegging) eller kostnadsmodellen",
        "",
        "F",
    ),
    "newcomer_gain_low_nok": _C(
        "Nykommerens gevinst, lav (MNOK/år)",
        "med hvert spenn i kostnadsmodellen på den minst gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "newcomer_gain_high_nok": _C(
        "Nykommerens gevinst, høy (MNOK/år)",
        "med hvert spenn i kostnadsmodellen på den mest gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "members_change_low_nok": _C(
        "Medlemmenes endring, lav (MNOK/år)",
        "medlemmenes samlede endring med spennene på den minst gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "members_change_high_nok": _C(
        "Medlemmenes endring, høy (MNOK/år)",
        "medlemmenes samlede endring med spennene på den mest gunstige enden",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "win_win_robust": _C(
        "Vinn-vinn uansett",
        "vinn-vinn ved lav, basis og høy verdi på hvert spenn (ingen betaler mer i noen av dem)",
        "",
        "D",
        "bool",
    ),
    "travel_change_nok": _C(
        "Endring reise (MNOK/år)",
        "gruppens reise og spredning etter minus før (nykommeren og et nytt knutepunkt)",
        "MNOK/år",
        "A",
        "mnok",
    ),
    "group_gain_nok": _C(
        "Gevinst for gruppen (MNOK/år)",
        "nykommerens kostnad alene pluss medlemmenes felles før, minus felles etter (drift, "
        "koordinering og reise)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "joint_before_nok": _C(
        "Felles før (MNOK/år)",
        "områdets felleskostnad uten nykommeren: drift, koordinering og reise",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "joint_after_nok": _C(
        "Felles etter (MNOK/år)",
        "områdets felleskostnad med nykommeren: drift, koordinering og reise",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "joint_change_nok": _C(
        "Endring felles (MNOK/år)", "felles etter minus før", "MNOK/år", "D", "mnok"
    ),
    "share_after_nok": _C(
        "Andel etter (MNOK/år)",
        "andel av felleskostnaden etter nøkkelen (i kandidatlisten: nykommerens)",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "newcomer_gain_nok": _C(
        "Nykommerens gevinst (MNOK/år)", "alene minus andel", "MNOK/år", "D", "mnok"
    ),
    "members_change_nok": _C(
        "Medlemmenes endring (MNOK/år)",
        "sum av medlemmenes endring; negativ er besparelse",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "share_before_nok": _C(
        "Andel før (MNOK/år)", "andel av felleskostnaden før", "MNOK/år", "D", "mnok"
    ),
    "change_nok": _C(
        "Endring (MNOK/år)",
        "andel etter minus før; positiv betyr at kommunen betaler mer",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "fee_min_nok": _C(
        "Inngangsbillett fra (MNOK/år)",
        "laveste inngangsbillett som holder alle medlemmer skadesløse",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "fee_max_nok": _C(
        "Inngangsbillett til (MNOK/år)",
        "høyeste inngangsbillett nykommeren tjener på",
        "MNOK/år",
        "D",
        "mnok",
    ),
    "entry_cost_nok": _C(
        "Engangskostnad inn (MNOK engang)",
        "engangskostnad ved å gå inn (KS Digiorden / antakelse)",
        "MNOK engang",
        "S",
        "mnok",
    ),
    "dig_extra_nok": _C(
        "Ekstra graving (MNOK engang)",
        "grøft fra nærmeste medlem til nykommeren; bare bredbånd og nett",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_extra_annual_nok": _C(
        "Ekstra graving (MNOK/år)", "som annuitet over 25 år, 4 %", "MNOK/år", "D", "mnok"
    ),
    "dig_unknown": _C(
        "Graving ukjent", "vegnettet når ikke fram: gravekostnaden er ukjent", "", "F", "bool"
    ),
    "losers": _C("Betaler mer", "medlemmer som betaler mer uten inngangsbillett", "", "D"),
    "loses": _C("Betaler mer", "kommunen betaler mer etter", "", "D", "bool"),
    "win_win": _C("Vinn-vinn", "ingen betaler mer og nykommeren sparer", "", "D", "bool"),
    "tier": _C(
        "Nivå",
        "rangeringsnivå: 1 vinn-vinn, 2 med inngangsbillett, 3 medlemmer betaler mer, 4 grenser "
        "ikke, 5 graving ukjent",
        "",
        "D",
        "int",
    ),
    "tier_text": _C("Nivå (tekst)", "rangeringsnivået i ord", "", "D"),
    "km_to_hub": _C(
        "Km til knutepunkt",
        "km på veg og ferje fra kandidatens senter til gruppens største medlem etter innmelding",
        "km",
        "F",
        "km",
    ),
    "commuters": _C(
        "Pendlere",
        "pendlere begge veier mellom kandidaten og medlemmene (SSB 2022)",
        "personer",
        "S",
        "int",
    ),
    "same_ba_region": _C(
        "Samme BA-region",
        "antall medlemmer i kandidatens bo- og arbeidsmarkedsregion",
        "",
        "S",
        "int",
    ),
    "role": _C("Rolle", "medlem eller nykommer", "", "F"),
    # the partner model
    "score": _C(
        "Modellskår",
        "klynger: hvor mye sterkere parene henger sammen enn terskelen, summert (over 0: "
        "sannsynligere sammen enn hver for seg); nykommere: tilknytning",
        "skår",
        "M",
        "float",
    ),
    "affinity": _C(
        "Tilknytning",
        "partnermodellens tilknytning til medlemmene (snitt over parene; høyere er tettere)",
        "skår",
        "M",
        "float",
    ),
    "own_log_odds": _C(
        "Egen tilknytning",
        "hvor mye sterkere kommunen henger sammen med de andre i klyngen enn terskelen, summert "
        "over dem (over 0: hører til); rangerer partnerlisten",
        "skår",
        "M",
        "float",
    ),
    "best_partition": _C(
        "Beste inndeling",
        "klyngen kommunen får i den beste inndelingen av området rundt",
        "",
        "M",
        "bool",
    ),
    "all_belong": _C(
        "Alle hører til",
        "hvert medlem henger minst like sterkt sammen med resten som terskelen",
        "",
        "M",
        "bool",
    ),
    "weakest_member": _C(
        "Svakeste medlem",
        "medlemmet som henger svakest sammen med resten (skåren i parentes)",
        "",
        "M",
    ),
    "affinity_mean": _C(
        "Tilknytning per par",
        "snitt over medlemsparene av partnermodellens tilknytning (høyere er tettere)",
        "skår",
        "M",
        "float",
    ),
    # digging
    "sites": _C("Steder", "tilknyttede steder (kommunesentre)", "", "F", "int"),
    "standalone_m": _C("Alene (m)", "grøft hver for seg til knutepunktet", "m", "D", "m"),
    "dig_alone_nok": _C(
        "Grave alene (MNOK engang)",
        "engangskostnaden for kommunens egen grøft til knutepunktet",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_share_nok": _C(
        "Andel felles nett (MNOK engang)",
        "kommunens andel av engangskostnaden for det felles nettet",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_share_stderr_nok": _C(
        "Usikkerhet i andelen (MNOK engang)",
        "standardfeil når Shapley-andelen er anslått ved trekning",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "dig_saving_nok": _C(
        "Sparer på graving (MNOK engang)", "grave alene minus andel", "MNOK engang", "D", "mnok"
    ),
    "dig_share_per_site_nok": _C(
        "Andel per sted (MNOK engang)",
        "andel av det felles nettet delt på tilknyttede steder",
        "MNOK engang",
        "D",
        "mnok",
    ),
    "pays_more_than_alone": _C(
        "Betaler mer enn alene", "andelen er høyere enn å grave alene", "", "D", "bool"
    ),
    "length_m": _C("Lengde (m)", "segmentets lengde", "m", "F", "m"),
    "cost_nok": _C("Kostnad (MNOK engang)", "segmentets kostnad", "MNOK engang", "D", "mnok"),
    "kind": _C("Type", "ny grøft, gjenbruk, sjø eller tilknytning", "", "F"),
    "road": _C("Veglenke", "rad i vegnettet (N1000)", "", "F", "int"),
    "serves": _C("Betjener", "kommunene som bruker segmentet på vei til knutepunktet", "", "D"),
    "n_serves": _C("Antall betjent", "antall kommuner som bruker segmentet", "", "D", "int"),
}


def lookup(name: str) -> Column:
    """The column's entry, or a plain one for columns the dictionary does not know (``aff_*`` parts
    too)."""
    if name in COLUMNS:
        return COLUMNS[name]
    if name.startswith("aff_"):
        pass

        feat = name[4:]
        return Column(
            f"Bidrag: {FEATURE_LABELS.get(feat, feat)}",
            "ledd i tilknytningen: koeffisient × verdi",
            "skår",
            "M",
            "float",
        )
    return Column(name, "", "", "", "text")


def label(name: str) -> str:
    """The bokmål label of a column.

    Examples
    --------
    >>> label("net_gain_nok")
    'Netto gevinst (MNOK/år)'
    """
    return lookup(name).label


def describe(columns: Iterable[str]) -> pd.DataFrame:
    """The "Forklaring" table of the given columns: label, machine name, meaning, unit, basis."""
    basis = {
        "S": "kildebelagt",
        "D": "utledet",
        "A": "antakelse",
        "M": "partnermodellen (tilpasset)",
        "F": "fakta i dataene",
        "": "",
    }
    rows = []
    for c in dict.fromkeys(columns):
        col = lookup(c)
        rows.append(
            {
                "Kolonne": col.label,
                "Maskinnavn": c,
                "Betydning": col.meaning,
                "Enhet": col.unit,
                "Grunnlag": basis.get(col.basis, col.basis),
            }
        )
    return pd.DataFrame(rows)


def number_text(value: float, decimals: int = 0) -> str:
    """A number the Norwegian way: a no-break space between thousands and a decimal comma.

    Examples
    --------
    >>> number_text(5550203), number_text(1234.567, 2)
    ('5\xa0550\xa0203', '1\xa0234,57')
    """
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


#: What each feature means, in bokmål, for tables and maps.
FEATURE_LABELS = {
    "log_km": "Reiseavstand (log km på veg og ferje)",
    "border": "Felles grense eller ferje-/brusamband",
    "commuting": "Pendling begge veier (log, andel av minste arbeidsstyrke)",
    "same_ba": "Samme bo- og arbeidsmarkedsregion",
    "same_council": "Samme regionråd",
    "same_digi": "Samme digitaliseringsnettverk",
    "shared_other": "Andre samarbeid felles (antall, maks 3)",
    "same_county": "Samme fylke",
    "size_gap": "Størrelsesforskjell (|log innbyggerforhold|)",
    "rival_ict": "I hvert sitt IKT-driftssamarbeid",
    "saving": "Stordriftsgevinst for paret (asinh MNOK/år)",
}


def chance_text(log_odds: float) -> str:
    """A log-odds as the chance a planner can repeat ("93 %"): ``1 / (1 + e^-x)``.

    Examples
    --------
    >>> chance_text(0.0), chance_text(2.6), chance_text(-9.0)
    ('50\xa0%', '93\xa0%', 'under 1\xa0%')
    """
    import math

    p = 1.0 / (1.0 + math.exp(-max(min(log_odds, 50.0), -50.0)))
    if p < 0.01:
        return "under 1\u00a0%"
    if p > 0.99:
        return "over 99\u00a0%"
    return f"{p:.0%}".replace("%", "\u00a0%")
