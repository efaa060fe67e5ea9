"""The cost model's parameters as data: each one's range, basis, source and bokmål label.

Digging ranges come from ``shared/data/bredband/enhetskostnader.csv``, the economics from
``shared/data/okonomi/ikt_kostnader_fakta.csv`` (``benchmarks/economics.py`` holds the model
against them). :mod:`nettverk.models.costs` builds the :class:`~nettverk.models.costs.CostModel`
on them.
"""

from __future__ import annotations

__all__ = [
    "RANGES",
    "DIG_PARAMETERS",
    "ECON_RANGES",
    "ALL_RANGES",
    "GAIN_SIGN",
    "LABELS",
    "META",
]


#: Low and high values of the digging parameters, with their source and year
#: (``shared/data/bredband/enhetskostnader.csv``; D: derived from the sources named).
RANGES = {
    "trench_roadside_nok_m": (
        300.0,
        500.0,
        "S",
        "tu.no (rådgiver sitert, ca. 2014-2015): grøft og fiber på land 300-500 kNOK/km",
    ),
    "trench_rural_nok_m": (
        175.0,
        300.0,
        "S",
        "Nexia for KRD (2009-2012): 175-202 NOK/m langs vei i spredtbygd; 300 tu.no",
    ),
    "trench_private_nok_m": (
        400.0,
        700.0,
        "A",
        "privat veg: ingen vegskulder hos en vegmyndighet, avtale med hver grunneier og "
        "istandsetting av grusveg; antatt vegkant (300-500 NOK/m, tu.no) pluss 0-40 %",
    ),
    "trench_rock_nok_m": (
        350.0,
        1000.0,
        "D",
        "fjell om lag 2x myk grunn (Cartesian 2023) av 175-500 NOK/m",
    ),
    "trench_urban_nok_m": (
        600.0,
        1500.0,
        "D",
        "by om lag 1,9x spredt (Cartesian 2023); reetablering av asfalt og gebyr per "
        "gate 500-30 000 NOK (Aftenposten 2017)",
    ),
    "cable_nok_m": (
        40.0,
        80.0,
        "D",
        "materiell om lag 20-30 % av kostnaden under bakken (KMD/OED/SD 2017: grøft 70-80 %)",
    ),
    "reuse_factor": (
        0.25,
        0.40,
        "S",
        "EU 2014/61/EU og digital-strategy.ec.europa.eu (2021): gjenbruk sparer inntil 60 %",
    ),
    "sea_nok_km": (
        800_000.0,
        1_000_000.0,
        "S",
        "Tampnet via tu.no (ca. 2014-2015): 0,8-1,0 MNOK/km sjøkabel",
    ),
    "access_nok_per_household": (
        10_000.0,
        40_000.0,
        "D",
        "stikkledning fra vegen inn til huset, 50-150 m à 175-300 NOK/m (Nexia for KRD; tu.no), "
        "og termineringen; Nkoms støttede prosjekter 29 000–53 000 kr per husstand i alt",
    ),
    "take_up_share": (
        0.6,
        0.95,
        "D",
        "andelen som kobler seg til når fiberen går forbi: Nexia for FAD (2013) regner 80 %",
    ),
    "sea_fixed_nok": (
        500_000.0,
        1_500_000.0,
        "A",
        "landtak, tillatelser og skjøting per kryssing (antakelse)",
    ),
}

#: What each parameter is called in bokmål (``nettverk costs``).
LABELS = {
    "scale_a": "Kostnadsnivå a (kr ved P^β)",
    "scale_beta": "Stordriftseksponent β",
    "coordination_fixed_nok": "Koordinering, fast",
    "coordination_per_member_nok": "Koordinering per medlem",
    "join_single_service_nok": "Inngang, én tjeneste",
    "join_full_operations_nok": "Inngang, full drift",
    "retained_share": "Andel som blir igjen lokalt",
    "transition_nok_per_inhabitant": "Overgang (engang) per innbygger",
    "exit_notice_years": "Oppsigelsestid",
    "stranded_share": "Strandet andel når en går ut",
    "realisation_years": "År til full gevinst",
    "key_equal_share": "Fordelingsnøkkel, lik del",
    "trench_roadside_nok_m": "Grøft langs veg",
    "trench_rural_nok_m": "Grøft i mykt terreng",
    "trench_private_nok_m": "Grøft langs privat veg",
    "trench_rock_nok_m": "Grøft i fjell (tunnel)",
    "trench_urban_nok_m": "Grøft i by (asfalt)",
    "cable_nok_m": "Kabel og rør",
    "reuse_factor": "Gjenbruk av eksisterende trasé",
    "sea_fixed_nok": "Sjøkryssing, fast del",
    "access_nok_per_household": "Tilknytning per husstand",
    "take_up_share": "Andel som kobler seg til",
    "sea_nok_km": "Sjøkabel per km",
    "annuity_years": "Avskrivningstid",
    "annuity_rate": "Kalkulasjonsrente",
    "travel_trips_per_year": "Reiser per medlem og år",
    "travel_nok_km": "Reisekostnad per km",
    "dispersion_per_100km": "Tap ved avstand per 100 km",
}

#: The parameters of the corridor graph (what ``dig --sensitivity`` varies).
DIG_PARAMETERS = tuple(RANGES)

#: Low and high values of the economics, fitted to or bounded by the facts of
#: ``shared/data/okonomi/ikt_kostnader_fakta.csv`` at the 2024 price level (SSB KPI; Norges Bank
#: rates), or an expert range where the facts are too few; ``benchmarks/economics.py`` holds the
#: model against every comparable fact.
ECON_RANGES = {
    "scale_a": (
        14_000.0,
        24_000.0,
        "D",
        "nivået: SSIKT (2018, 50/50-nøkkelen gir om lag 33 MNOK for 50 700 innb.) og IKomm (20 "
        "MNOK for tre, 2007) i 2024-kroner gir 16-19 000; Finlands 103 EUR per innbygger (2021, "
        "bredere IKT) øvre ende",
    ),
    "scale_beta": (
        0.60,
        0.90,
        "A",
        "ekspertspenn: to norske budsjetter kan ikke bestemme stordriftseffekten; ved 0,9 gir "
        "IKomm og IT-kommuner i Skåne ingen besparelse, slik kildene sier",
    ),
    "coordination_fixed_nok": (
        500_000.0,
        2_000_000.0,
        "A",
        "ekspertspenn rundt IKT Orkidés sekretariat",
    ),
    "coordination_per_member_nok": (
        300_000.0,
        1_000_000.0,
        "D",
        "IKT Orkidé: 5 faste og om lag 4 årsverk kjøpt av medlemmene for 9 kommuner (om lag 1 MNOK "
        "per medlem i øvre ende)",
    ),
    "retained_share": (
        0.0,
        0.25,
        "A",
        "veilederen: sikkerhetsleder, systemeiere og bestillerkompetanse blir igjen i kommunen",
    ),
    "transition_nok_per_inhabitant": (
        250.0,
        800.0,
        "D",
        "Midtre Gauldal inn i IT Midt (2024): 1,9 MNOK kapital + 3 x 0,7 MNOK raskere avskriving, "
        "om lag 650 kr per innbygger; IKomm 2007: drøyt 20 MNOK for tre, om lag 790 i 2024-kroner",
    ),
    "join_single_service_nok": (
        25_000.0,
        60_000.0,
        "S",
        "KS Digiorden (2021): 25 000, 40 000 eller 60 000 kr etter kommunestørrelse",
    ),
    "join_full_operations_nok": (
        500_000.0,
        1_900_000.0,
        "S",
        "Midtre Gauldal inn i IT Midt: 1,9 MNOK i kapitalinnskudd (2024)",
    ),
    "stranded_share": (
        0.0,
        0.5,
        "D",
        "Itsam (2024): da Kinda gikk ut, fikk de fem som ble igjen et tap på 6,8 MSEK det året, om "
        "lag 40 % av Kindas andel (inntektene falt raskere enn kostnadene)",
    ),
    "exit_notice_years": (
        1.0,
        3.0,
        "S",
        "Kristiansand ut av KR-IKT (2016): 3 års oppsigelse; 1 år som nedre antakelse",
    ),
    "realisation_years": (
        1.0,
        3.0,
        "A",
        "veilederen: 'Samordning kan også koste - i hvert fall i starten'",
    ),
    "travel_nok_km": (10.0, 20.0, "A", "kjøregodtgjørelse og tid, lav til høy"),
    "dispersion_per_100km": (0.05, 0.25, "A", "tap ved avstand, lav til høy"),
}
#: Which way each economics parameter moves a group's gain: +1 a higher value raises it.
GAIN_SIGN = {
    "scale_a": +1,
    "scale_beta": -1,
    "coordination_fixed_nok": -1,
    "coordination_per_member_nok": -1,
    "retained_share": -1,
    "transition_nok_per_inhabitant": -1,
    "join_single_service_nok": -1,
    "join_full_operations_nok": -1,
    "exit_notice_years": -1,
    "stranded_share": -1,
    "realisation_years": -1,
    "travel_nok_km": -1,
    "dispersion_per_100km": -1,
}
ALL_RANGES = {**RANGES, **ECON_RANGES}

META = {
    # name: (unit, basis, source)
    "scale_a": (
        "NOK",
        "A",
        "calibrated to SSIKT (about 33 MNOK for 50 700 inhabitants in 2018, D) and IKomm (20 MNOK "
        "for 40 000 in 2007, S), both at 2024 prices (SSB KPI): benchmarks/economics.py",
    ),
    "scale_beta": (
        "-",
        "A",
        "standalone cost a*P**beta: about 1 650 NOK per inhabitant at 2 600, 1 100 at 10 000, 680 "
        "at 50 000 (2024 kroner)",
    ),
    "coordination_fixed_nok": (
        "NOK/yr",
        "A",
        "IKT Orkidé runs about 5 FTE + 4 FTE release time for 9 municipalities (S)",
    ),
    "coordination_per_member_nok": (
        "NOK/yr",
        "D",
        "per member beyond the first; IKT Orkidé: about 5-9 FTE for 9 members (benchmarks/"
        "economics.py put the old 0.45 MNOK under that)",
    ),
    "join_single_service_nok": ("NOK", "S", "KS Digiorden: about 60 000 NOK to join one service"),
    "join_full_operations_nok": ("NOK", "A", "0.5-1.9 MNOK to move full operations"),
    "retained_share": (
        "-",
        "A",
        "share of a member's ICT cost that stays in-house after joining (security lead, system "
        "owners, ordering competence)",
    ),
    "transition_nok_per_inhabitant": (
        "NOK/inh.",
        "D",
        "one-off cost of moving into joint operations (set-up, migration, faster write-down)",
    ),
    "exit_notice_years": ("years", "S", "notice when leaving a collaboration (paid on both sides)"),
    "stranded_share": (
        "-",
        "D",
        "share of a leaver's payment that stays as cost for those who stay, the first year after",
    ),
    "realisation_years": ("years", "A", "years until the full yearly gain is realised"),
    "key_equal_share": (
        "-",
        "S",
        "eKommune Sunnmøre: 30 % equal, 70 % by population (SSIKT 50/50)",
    ),
    "trench_roadside_nok_m": ("NOK/m", "S", "300-500 NOK/m onshore (tu.no)"),
    "trench_rural_nok_m": ("NOK/m", "A", "rural soft ground"),
    "trench_private_nok_m": (
        "NOK/m",
        "A",
        "along a private road: no public road shoulder, an agreement with every landowner, "
        "gravel to restore (roadside + 25 %)",
    ),
    "trench_rock_nok_m": ("NOK/m", "A", "rock about 2x soft ground (Cartesian 2023)"),
    "trench_urban_nok_m": ("NOK/m", "A", "urban about 1.9x rural (Cartesian 2023)"),
    "cable_nok_m": ("NOK/m", "A", "materials about 27 % of underground cost"),
    "reuse_factor": (
        "-",
        "D",
        "EU Broadband Cost Reduction Directive: reuse saves up to 60 % (so about 40 % of new "
        "build); "
        "25 % as the best case; civil works are 70-80 % of the cost (KMD/OED/SD 2017)",
    ),
    "sea_fixed_nok": ("NOK", "A", "fixed part per sea crossing (landing, permits)"),
    "access_nok_per_household": ("NOK", "D", "the drop to one household and its termination"),
    "take_up_share": ("-", "D", "share of the households passed that connect"),
    "sea_nok_km": ("NOK/km", "S", "0.8-1.0 MNOK/km sea cable (tu.no)"),
    "annuity_years": ("years", "A", "lifetime of ducts and cable"),
    "annuity_rate": ("-", "A", "real discount rate"),
    "travel_trips_per_year": ("trips/yr", "A", "meetings and on-site support per member and year"),
    "travel_nok_km": (
        "NOK/km",
        "A",
        "driving allowance about 4.5 NOK/km (statens reiseregulativ 2024) + 10 NOK/km of staff "
        "time (600 NOK/h at 60 km/h)",
    ),
    "dispersion_per_100km": (
        "-",
        "A",
        "share of a member's standalone cost lost per 100 km from the hub (on-site support, local "
        "presence, staff travel time)",
    ),
}
