"""Column dictionary entries for the landscape: the overview, the legal forms, the collaborations.

Kept apart from :mod:`nettverk.data.column_entries` (the analyses' money and model columns) so
each file stays readable; :mod:`nettverk.data.columns` joins them.
"""

from __future__ import annotations

from .column_entries import Column as _C

__all__ = ["LANDSCAPE"]

LANDSCAPE: dict[str, _C] = {
    # nettverk overview: kommuner, knutepunkter
    "n_samarbeid": _C(
        "Antall samarbeid", "aktive samarbeid kommunen er med i (i dataene)", "antall", "F", "int"
    ),
    "samarbeid": _C("Samarbeid (id)", "id-ene til samarbeidene kommunen er med i", "", "F"),
    "omrader": _C("Tjenesteområder", "områdene kommunen samarbeider om", "", "F"),
    "former": _C("Juridiske former", "formene samarbeidene har (kommuneloven 2018)", "", "F"),
    "vert_for": _C("Vert for (id)", "samarbeidene kommunen er vertskommune for", "", "F"),
    "n_vert_for": _C(
        "Antall vertskap", "samarbeid kommunen er vertskommune for", "antall", "F", "int"
    ),
    "samarbeidspartnere": _C(
        "Samarbeidspartnere", "kommuner den deler minst ett samarbeid med", "antall", "F", "int"
    ),
    "pendlere_til_partnere": _C(
        "Pendlere til og fra partnere",
        "sysselsatte som pendler mellom kommunen og partnerne (begge veier, SSB)",
        "personer",
        "S",
        "int",
    ),
    "mellomhet": _C(
        "Mellomhet",
        "betweenness i samarbeidsgrafen: hvor ofte kommunen ligger mellom to andre (0-1)",
        "andel",
        "D",
        "float",
    ),
    "har_drift": _C(
        "Har IKT-driftssamarbeid",
        "med i et samarbeid om IKT-drift (i dataene)",
        "ja/nei",
        "F",
        "bool",
    ),
    "har_bredband": _C(
        "Har bredbåndssamarbeid",
        "med i et samarbeid om bredbånd (i dataene)",
        "ja/nei",
        "F",
        "bool",
    ),
    "knutepunkt_poeng": _C(
        "Knutepunktpoeng",
        "2 × vertskap + antall samarbeid + 10 × mellomhet (relativt til den høyeste)",
        "poeng",
        "D",
        "float",
    ),
    # fylker_omrader, mangler, overlapp
    "fylkesnummer": _C("Fylkesnr.", "offisielt fylkesnummer (2024)", "", "F"),
    "kommuner": _C("Kommuner", "kommunene (antall i dekningen, navn i overlapp)", "", "F"),
    "dekket": _C(
        "Kommuner med samarbeid", "kommuner i fylket med samarbeid på området", "antall", "F", "int"
    ),
    "andel": _C("Andel dekket", "kommuner med samarbeid / kommuner i fylket", "%", "D", "share"),
    "type": _C("Hva", "hva som mangler, eller stedets type", "", "F"),
    "samarbeid_a": _C("Samarbeid A (id)", "det ene samarbeidet", "", "F"),
    "samarbeid_b": _C("Samarbeid B (id)", "det andre samarbeidet", "", "F"),
    "felles_medlemmer": _C("Felles medlemmer", "kommuner med i begge", "antall", "F", "int"),
    # nettverk legal-form
    "form": _C("Form (kode)", "juridisk form, kode i vokabularet (DESIGN.md)", "", "F"),
    "navn": _C("Navn", "navnet", "", "F"),
    "form_score": _C(
        "Poeng for formen",
        "summen av veilederens regler som gjelder for områdene og behovene (høyere er bedre)",
        "poeng",
        "D",
        "float",
    ),
    "suitable": _C(
        "Egnet",
        "nei: formen kan ikke ivareta et behov (f.eks. myndighetsutøvelse)",
        "ja/nei",
        "D",
        "bool",
    ),
    "reasons_for": _C("Grunner for", "reglene som taler for formen", "", "S"),
    "reasons_against": _C("Grunner mot", "reglene som taler mot formen", "", "S"),
    "warnings": _C("Obs", "forhold å undersøke før valget", "", "S"),
    # nettverk samarbeid
    "id": _C("Id", "samarbeidets id (bruk den i --collaboration)", "", "F"),
    "status": _C("Status", "aktiv, planlagt, historisk eller ukjent", "", "F"),
    "fra_aar": _C("Fra år", "året samarbeidet startet (tomt: ukjent)", "", "F"),
    "til_aar": _C("Til år", "året det sluttet (tomt: pågår eller ukjent)", "", "F"),
    "medlemmer": _C("Medlemmer", "medlemskommunene (navn)", "", "F"),
    "n_medlemmer": _C("Antall medlemmer", "kommuner med i minst ett område", "antall", "F", "int"),
    "vertskommune": _C("Vertskommune", "kommunen som er vert (vertskommunesamarbeid)", "", "F"),
    # households (dig --sites households)
    "husstander": _C(
        "Husstander uten gigabit", "egne tall eller anslag (se kilde)", "antall", "D", "float"
    ),
    "private": _C(
        "Privat veg", "grøfta følger en privat veg (avtale med grunneier)", "ja/nei", "F", "bool"
    ),
}
