"""The members' own numbers (kartlegging av nåsituasjonen): the guide's first step.

An optional table ``kartlegging`` (csv or xlsx in a ``--data`` folder), one row per
municipality: ``kommunenummer`` and any of ``ikt_kostnad_nok`` (current ICT operations cost per
year, NOK), ``ikt_arsverk`` (ICT staff, FTE), ``hovedsystemer``, ``leverandorer``,
``kontrakt_slutt_aar`` (the year the main contract ends) and ``beholdes`` (what stays in-house
after joining: security lead, system owners). Where a member gives its own cost, every economic
result uses it instead of the model's ``a * P**beta`` and says so (``egne tall``); the rest say
``modell``. ``nettverk kartlegging`` writes the template for a group, pre-filled with the
model's defaults and ranges, marked as defaults, under bokmål headers ("Kommunenr.",
"IKT-driftskostnad per år (kr)", ...); the reader takes those headers or the machine names.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from .checks import Report, check_numbers
from .codes import CodeBook
from .columns import machine_names

__all__ = ["KARTLEGGING_COLUMNS", "check_kartlegging", "OWN", "MODEL"]

#: The columns of the table, in order (the first is required).
KARTLEGGING_COLUMNS = (
    "kommunenummer",
    "ikt_kostnad_nok",
    "ikt_arsverk",
    "hovedsystemer",
    "leverandorer",
    "kontrakt_slutt_aar",
    "beholdes",
    "kilde",
)
#: How a number was got: the member's own, or the model's default.
OWN, MODEL = "egne tall", "modell"


def check_kartlegging(
    raw: pd.DataFrame, source: str, book: CodeBook, report: Report
) -> pd.DataFrame | None:
    """Check the members' own numbers: codes, costs and staff that are numbers >= 0, a contract
    year; rows marked ``kilde = modell`` (a template not yet filled in) are not own numbers.

    Examples
    --------
    >>> from nettverk.data.checks import Report
    >>> raw = pd.DataFrame({"Kommunenr.": ["Gol"], "IKT-driftskostnad per år (kr)": ["6 100 000"]})
    >>> rep = Report()
    >>> t = check_kartlegging(raw, "k.csv", nv.load_default().codebook, rep)
    >>> t.loc[0, "kommunenummer"], float(t.loc[0, "ikt_kostnad_nok"]), rep.problems
    ('3324', 6100000.0, [])
    """
    df = pd.DataFrame(raw.drop(columns="geometry", errors="ignore")).copy().reset_index(drop=True)
    # the template's bokmål headers ("Kommunenr.") or the machine names ("kommunenummer")
    extra = ("kommunenavn", "innbyggere", "lav_nok", "hoy_nok", "modell_nok")
    names = machine_names(df.columns, KARTLEGGING_COLUMNS + extra)
    df.columns = [names.get(c, str(c).strip().lower()) for c in df.columns]
    header = {name: str(h) for h, name in names.items()}  # what the file calls each column
    if "kommunenummer" not in df.columns:
        report.problems.append(
            f"{source}: no kommunenummer (Kommunenr.) column; give one row per municipality "
            "(the template: nettverk kartlegging --municipalities ... -o kartlegging.xlsx)"
        )
        return None
    codes = []
    for i, v in enumerate(df["kommunenummer"].tolist()):
        try:
            codes.append(book.resolve(v).kommunenummer)
        except Exception as exc:  # unknown or ambiguous: the resolver's own message
            report.problems.append(
                f"{source}: row {i + 2}: {header.get('kommunenummer', 'kommunenummer')}: {exc}"
            )
            codes.append(str(v))
    df["kommunenummer"] = codes
    dup = df["kommunenummer"].duplicated()
    for i in np.flatnonzero(dup.to_numpy()):
        report.problems.append(
            f"{source}: row {i + 2}: {df['kommunenummer'].iloc[i]} appears twice; keep one row"
        )
    for col in KARTLEGGING_COLUMNS[1:]:
        if col not in df.columns:
            df[col] = ""
    for col, lo, hi in (
        ("ikt_kostnad_nok", 0, 5e10),
        ("ikt_arsverk", 0, 1e4),
        ("kontrakt_slutt_aar", 1990, 2100),
    ):
        check_numbers(
            df, col, source, report, required=False, minimum=lo, maximum=hi, label=header.get(col)
        )
    # a row still at the template's model default is not the member's own number; one whose
    # cost was changed is, whatever its kilde says (the user's number is never dropped)
    said_model = df["kilde"].astype(str).str.strip().str.casefold() == MODEL
    default = pd.to_numeric(df.get("modell_nok", pd.Series(np.nan, index=df.index)), "coerce")
    unchanged = said_model & (
        default.isna()
        | ((df["ikt_kostnad_nok"] - default).abs() <= 1)
        | df["ikt_kostnad_nok"].isna()
    )
    for i in np.flatnonzero((said_model & ~unchanged).to_numpy()):
        report.warnings.append(
            f"{source}: row {i + 2}: {header.get('ikt_kostnad_nok', 'ikt_kostnad_nok')} differs "
            "from the model's default, so it counts as the municipality's own number; set "
            f"{header.get('kilde', 'kilde')} to 'egne tall' to say so"
        )
    df.loc[unchanged, "ikt_kostnad_nok"] = np.nan
    df["kilde"] = np.where(df["ikt_kostnad_nok"].notna(), OWN, MODEL)
    return df[list(KARTLEGGING_COLUMNS)]
