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

import pandas as pd

from .column_entries import COLUMNS as _ANALYSES
from .column_entries import Column
from .column_entries_landscape import LANDSCAPE

#: Every result column (analyses first; the landscape's entries never redefine one).
COLUMNS: dict[str, Column] = {**LANDSCAPE, **_ANALYSES}

__all__ = [
    "Column",
    "COLUMNS",
    "label",
    "describe",
    "lookup",
    "machine_names",
    "number_text",
    "percent_text",
    "cell_text",
    "text_table",
    "chance_text",
    "FEATURE_LABELS",
    "FEATURE_APART",
]


def lookup(name: str) -> Column:
    """The column's entry, or a plain one for columns the dictionary does not know (``aff_*`` parts
    too)."""
    if name in COLUMNS:
        return COLUMNS[name]
    if name.startswith("aff_"):
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


def machine_names(headers: Iterable[str], names: Iterable[str]) -> dict[str, str]:
    """Which of ``names`` each header is, where it is one: the machine name itself or its bokmål
    label (as a workbook or the template writes it), whatever the case and spacing.

    Examples
    --------
    >>> machine_names(["Kommunenr.", "ikt_kostnad_nok", "Merknad"], ["kommunenummer",
    ...               "ikt_kostnad_nok"])
    {'Kommunenr.': 'kommunenummer', 'ikt_kostnad_nok': 'ikt_kostnad_nok'}
    """
    known = {}
    for name in names:
        known.setdefault(" ".join(lookup(name).label.split()).casefold(), name)
        known[name.casefold()] = name
    out = {}
    for h in headers:
        name = known.get(" ".join(str(h).split()).casefold())
        if name is not None:
            out[h] = name
    return out


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


def percent_text(share: float, decimals: int = 0) -> str:
    """A share as a Norwegian per cent: decimal comma and a no-break space before the sign.

    Examples
    --------
    >>> percent_text(0.342), percent_text(0.0, 4)
    ('34\xa0%', '0,0000\xa0%')
    """
    return f"{number_text(100 * share, decimals)}\u00a0%"


def cell_text(value: object, kind: str) -> str:
    """One value as a planner reads it in a terminal table, by the column's ``kind``: Norwegian
    numbers, MNOK, per cent, ja/nei, "–" for nothing.

    Examples
    --------
    >>> cell_text(7_330_000.0, "mnok"), cell_text(0.342, "share"), cell_text(True, "bool")
    ('7,33', '34,2\xa0%', 'ja')
    """
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "bool" or isinstance(value, bool):
        return "ja" if bool(value) else "nei"
    if kind == "mnok":
        return number_text(float(value) / 1e6, 2)
    if kind in ("int", "m", "nok"):
        return number_text(float(value))
    if kind in ("float", "km"):
        return number_text(float(value), 2)
    if kind == "share":
        return percent_text(float(value), 1)
    return str(value)


def text_table(df: pd.DataFrame, cols: list[str]) -> str:
    """A plain text table of ``cols`` with bokmål headers and :func:`cell_text` values (the CLI's
    own tables also wrap to the terminal; this one is for summaries built below the CLI).

    Examples
    --------
    >>> print(text_table(pd.DataFrame({"kommunenavn": ["Gol"], "n_samarbeid": [3]}),
    ...                  ["kommunenavn", "n_samarbeid"]))
    Kommune Antall samarbeid
        Gol                3
    """
    shown = pd.DataFrame(
        {lookup(c).label: [cell_text(v, lookup(c).kind) for v in df[c]] for c in cols}
    )
    return shown.to_string(index=False)


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


#: What each term says where it pulls two groups apart (bokmål, as in "mest trekker ... ned").
FEATURE_APART = {
    "log_km": "lengre reisevei",
    "border": "færre felles grenser og samband",
    "commuting": "mindre pendling",
    "same_ba": "ulike bo- og arbeidsmarkedsregioner",
    "same_council": "ulike regionråd",
    "same_digi": "ulike digitaliseringsnettverk",
    "shared_other": "færre felles samarbeid",
    "same_county": "ulike fylker",
    "size_gap": "større forskjell i innbyggertall",
    "rival_ict": "hvert sitt IKT-driftssamarbeid",
    "saving": "større stordriftsgevinst (par med stor gevinst samarbeider sjeldnere i dataene)",
}
