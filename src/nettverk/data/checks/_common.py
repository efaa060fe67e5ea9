"""What the checks share: the report, column aliases, row labels and the checks of one column."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from nettverk._errors import (
    AmbiguousMunicipalityError,
    DataValidationError,
    UnknownMunicipalityError,
)

from ..codes import CodeBook, normalise_code
from ..vocab import (
    ALIASES,
    did_you_mean,
    normalise_term,
    parse_number,
)


@dataclass
class Report:
    """Problems and warnings collected while validating."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataValidationError(self.problems)


#: Column names as users (and the 10-character shapefile limit) write them.
_COLUMN_ALIASES = {
    "kommunenum": "kommunenummer",
    "kommunenr": "kommunenummer",
    "knr": "kommunenummer",
    "kommunenav": "kommunenavn",
    "navn_kommune": "kommunenavn",
    "folkemengde": "innbyggere",
    "befolkning": "innbyggere",
    "population": "innbyggere",
    "samarbeid_": "samarbeid_id",
    "sysselsatt": "sysselsatte",
    "arbeidsste": "arbeidssted",
    "administra": "administrasjonssenter",
}


def _rename_aliases(df: pd.DataFrame) -> pd.DataFrame:
    """Rename common spellings of the schema's columns, never overwriting an existing one."""
    mapping = {}
    for col in df.columns:
        key = str(col).strip().lower()
        target = _COLUMN_ALIASES.get(key, key)
        if target != col and target not in df.columns and target not in mapping.values():
            mapping[col] = target
    return df.rename(columns=mapping)


def _row_label(source: str, i: int, who: list[str] | None = None) -> str:
    """Row numbers as the user sees them: spreadsheet rows for tables, features for maps.

    ``who`` names each row (``3324 Gol``) where the table has a municipality.
    """
    name = f" ({who[i]})" if who is not None and i < len(who) and who[i] else ""
    if source.lower().endswith((".csv", ".txt", ".xlsx")):
        return f"{source}: row {i + 2}{name}"
    return f"{source}: feature {i + 1}{name}"


def _who(df: pd.DataFrame, book: CodeBook) -> list[str]:
    """``kommunenummer name`` of each row, as far as the code can be read."""
    names = (
        book.current["kommunenavn"]
        if "kommunenavn" in book.current.columns
        else pd.Series(dtype=str)
    )
    out = []
    for v in df["kommunenummer"].tolist() if "kommunenummer" in df.columns else [None] * len(df):
        try:
            code = normalise_code(v)
        except (ValueError, TypeError):
            out.append(str(v) if v is not None else "")
            continue
        out.append(f"{code} {names.get(code, '')}".strip())
    return out


def _require(df: pd.DataFrame, cols: list[str], source: str, report: Report) -> bool:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns)) or "none"
        report.problems.append(
            f"{source}: missing column(s) {', '.join(missing)}; the columns are {have}"
        )
        return False
    return True


def _vocab(
    df: pd.DataFrame,
    col: str,
    vocab: tuple[str, ...],
    alias_key: str,
    source: str,
    report: Report,
    *,
    required: bool = True,
) -> None:
    aliases = ALIASES.get(alias_key, {})
    out = []
    for i, v in enumerate(df[col].tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            if required:
                report.problems.append(
                    f"{_row_label(source, i)}: empty {col}; use one of {', '.join(vocab)}"
                )
            out.append("")
            continue
        t = normalise_term(v)
        t = aliases.get(t, t)
        if t not in vocab:
            report.problems.append(
                f"{_row_label(source, i)}: {col} {v!r} is not known{did_you_mean(v, vocab)}; use "
                f"one of {', '.join(vocab)}"
            )
        out.append(t)
    df[col] = out


def _codes(
    df: pd.DataFrame,
    col: str,
    book: CodeBook,
    source: str,
    report: Report,
    *,
    year: int | None = None,
) -> None:
    """Resolve a column of codes or names to 2024 codes, warning about each mapping."""
    out = []
    for i, v in enumerate(df[col].tolist()):
        if v is None or str(v).strip() == "" or (isinstance(v, float) and math.isnan(v)):
            report.problems.append(
                f"{_row_label(source, i)}: empty {col}; give a kommunenummer or a name"
            )
            out.append("")
            continue
        try:
            res = book.resolve(v, year=year)
        except (UnknownMunicipalityError, AmbiguousMunicipalityError, ValueError) as exc:
            report.problems.append(f"{_row_label(source, i)}: {exc}")
            out.append(str(v))
            continue
        if res.note:
            report.warnings.append(f"{_row_label(source, i)}: {res.note}")
        out.append(res.kommunenummer)
    df[col] = out


def _numbers(
    df: pd.DataFrame,
    col: str,
    source: str,
    report: Report,
    *,
    required: bool,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    integer: bool = False,
    who: list[str] | None = None,
    label: str | None = None,
) -> None:
    """Parse ``col`` as numbers in place (decimal commas and spaces allowed), reporting each value
    that is no number, infinite, missing where ``required``, or outside ``minimum``-``maximum``;
    ``label`` is what the file calls the column (a bokmål header), default ``col``."""
    name = label or col
    vals = []
    for i, v in enumerate(df[col].tolist()):
        try:
            x = parse_number(v)
        except ValueError:
            report.problems.append(
                f"{_row_label(source, i, who)}: {name} {v!r} is not a number; write it like 1234 "
                "or 1234,5"
            )
            vals.append(math.nan)
            continue
        if math.isinf(x):
            report.problems.append(
                f"{_row_label(source, i, who)}: {name} {v!r} is not a finite number; correct "
                "the value"
            )
            vals.append(math.nan)
            continue
        if math.isnan(x):
            if required:
                report.problems.append(
                    f"{_row_label(source, i, who)}: missing {name}; fill in a number"
                )
        elif maximum is not None and not (minimum or 0.0) <= x <= maximum:
            report.problems.append(
                f"{_row_label(source, i, who)}: {name} {v!r} lies outside {minimum or 0.0:g}-"
                f"{maximum:g}; correct it"
            )
        elif minimum is not None and x < minimum:
            report.problems.append(
                f"{_row_label(source, i, who)}: {name} {v!r} is below {minimum:g}; correct the "
                "value"
            )
        vals.append(x)
    ser = pd.Series(vals, index=df.index, dtype="float64")
    if integer and ser.notna().all():
        ser = ser.round().astype("int64")
    df[col] = ser


def _duplicates(df: pd.DataFrame, col: str, source: str, report: Report) -> None:
    dup = df[col][df[col].duplicated(keep=False) & (df[col] != "")]
    for code, idx in dup.groupby(dup, sort=True).groups.items():
        rows = ", ".join(_row_label(source, df.index.get_loc(j)).split(": ")[1] for j in idx)
        report.problems.append(
            f"{source}: {col} {code!r} appears more than once ({rows}); keep one row per {col}"
        )
