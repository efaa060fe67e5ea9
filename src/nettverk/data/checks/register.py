"""Checks of the collaboration register: collaborations, memberships and the two together."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nettverk._errors import (
    AmbiguousMunicipalityError,
    UnknownMunicipalityError,
)

from ..codes import CodeBook
from ..vocab import (
    AREAS,
    FORMS,
    ROLES,
    STATUSES,
    parse_number,
)
from ._common import (
    Report,
    _codes,
    _duplicates,
    _numbers,
    _rename_aliases,
    _require,
    _row_label,
    _vocab,
)


def _years_in_the_future(df: pd.DataFrame, source: str, report: Report) -> None:
    """A collaboration that is running, or has ended, has started; one that has ended has an end
    year behind it. Only a proposed one (``foreslatt``) may lie ahead."""
    import datetime

    now = datetime.date.today().year
    for i, r in enumerate(df.itertuples(index=False)):
        fra, til, status = r.fra_aar, r.til_aar, str(r.status)
        if pd.notna(fra) and fra > now and status != "foreslatt":
            report.problems.append(
                f"{_row_label(source, i)}: samarbeid {r.id!r} starts in {fra}, after this year "
                f"({now}), but its status is {status}; correct fra_aar or set status foreslatt"
            )
        if pd.notna(til) and til > now and status in ("historisk", "avviklet"):
            report.problems.append(
                f"{_row_label(source, i)}: samarbeid {r.id!r} is {status} but ends in {til}, "
                f"after this year ({now}); correct til_aar or the status"
            )


def check_samarbeid(
    raw: pd.DataFrame, source: str, book: CodeBook, report: Report
) -> pd.DataFrame | None:
    """Validate collaborations (one row per collaboration)."""
    df = _rename_aliases(
        pd.DataFrame(raw.drop(columns="geometry", errors="ignore")).copy().reset_index(drop=True)
    )
    if not _require(df, ["id", "navn", "form", "status"], source, report):
        return None
    df["id"] = df["id"].astype(str).str.strip()
    _duplicates(df, "id", source, report)
    _vocab(df, "form", FORMS, "form", source, report)
    _vocab(df, "status", STATUSES, "status", source, report)
    for col in ("fra_aar", "til_aar", "vertskommune", "kilde", "merknad"):
        if col not in df.columns:
            df[col] = ""
    for col in ("fra_aar", "til_aar"):
        _numbers(df, col, source, report, required=False, minimum=1800)
        df[col] = df[col].astype("Int64")
    _years_in_the_future(df, source, report)
    hosts = []
    for i, v in enumerate(df["vertskommune"].fillna("").astype(str)):
        if v.strip() == "":
            hosts.append("")
            continue
        try:
            hosts.append(book.resolve(v).kommunenummer)
        except (UnknownMunicipalityError, AmbiguousMunicipalityError, ValueError) as exc:
            report.problems.append(f"{_row_label(source, i)}: vertskommune: {exc}")
            hosts.append(v)
    df["vertskommune"] = hosts
    return df


def check_medlemskap(
    raw: pd.DataFrame, source: str, book: CodeBook, samarbeid: pd.DataFrame | None, report: Report
) -> pd.DataFrame | None:
    """Validate memberships (one row per collaboration x area x member)."""
    df = _rename_aliases(
        pd.DataFrame(raw.drop(columns="geometry", errors="ignore")).copy().reset_index(drop=True)
    )
    if not _require(df, ["samarbeid_id", "omrade", "kommunenummer"], source, report):
        return None
    df["samarbeid_id"] = df["samarbeid_id"].astype(str).str.strip()
    if samarbeid is not None:
        known = set(samarbeid["id"])
        for i, v in enumerate(df["samarbeid_id"]):
            if v not in known:
                report.problems.append(
                    f"{_row_label(source, i)}: samarbeid_id {v!r} is not in samarbeid; add it "
                    "there or fix the id"
                )
    _vocab(df, "omrade", AREAS, "omrade", source, report)
    _codes(df, "kommunenummer", book, source, report)
    if "rolle" not in df.columns:
        df["rolle"] = "deltaker"
    df["rolle"] = df["rolle"].replace("", "deltaker")
    _vocab(df, "rolle", ROLES, "rolle", source, report)
    if "andel" not in df.columns:
        df["andel"] = np.nan
    shares = []
    for i, v in enumerate(df["andel"].tolist()):
        text = "" if v is None else str(v).strip()
        pct = text.endswith("%")
        try:
            x = parse_number(text.rstrip("%").strip()) if text else math.nan
        except ValueError:
            report.problems.append(
                f"{_row_label(source, i)}: andel {v!r} is not a number; write 0.325 or 32,5 %"
            )
            shares.append(math.nan)
            continue
        if pct:
            x /= 100
        if not math.isnan(x) and not 0 <= x <= 1:
            report.problems.append(
                f"{_row_label(source, i)}: andel {v!r} is outside 0-1; write shares as fractions "
                "or with %"
            )
        shares.append(x)
    df["andel"] = pd.Series(shares, index=df.index, dtype="float64")
    key = df["samarbeid_id"] + "/" + df["omrade"] + "/" + df["kommunenummer"]
    _duplicates(df.assign(_key=key), "_key", source, report)
    return df


def check_collaborations(
    sam: pd.DataFrame,
    med: pd.DataFrame,
    names: pd.Series,
    sam_source: str,
    med_source: str,
    report: Report,
) -> None:
    """Checks across fields and tables: years in order, hosts are members, shares add up.

    - ``fra_aar`` is not after ``til_aar``;
    - the ``vertskommune`` of a collaboration is one of its members (any area);
    - where a collaboration's area gives ownership or cost shares (``andel``), every member has
      one and they add up to 1 (100 %).
    """

    def who(code: str) -> str:
        return f"{code} {names.get(code, '')}".strip()

    for i, r in enumerate(sam.itertuples(index=False)):
        fra, til = getattr(r, "fra_aar", None), getattr(r, "til_aar", None)
        if pd.notna(fra) and pd.notna(til) and int(fra) > int(til):
            report.problems.append(
                f"{_row_label(sam_source, i)}: samarbeid {r.id!r} ends ({til}) before it starts "
                f"({fra}); swap fra_aar and til_aar or correct one"
            )
    members = med.groupby("samarbeid_id")["kommunenummer"].agg(set).to_dict() if len(med) else {}
    for i, r in enumerate(sam.itertuples(index=False)):
        host = getattr(r, "vertskommune", "")
        if isinstance(host, str) and host and r.id in members and host not in members[r.id]:
            report.problems.append(
                f"{_row_label(sam_source, i)}: vertskommune {who(host)} of {r.id!r} is not a "
                "member "
                f"in {med_source}; add a membership row (rolle vert) or correct vertskommune"
            )
    if "andel" not in med.columns or med["andel"].isna().all():
        return
    for (cid, area), grp in med.groupby(["samarbeid_id", "omrade"], sort=True):
        given = grp["andel"].notna()
        if not given.any():
            continue
        if not given.all():
            lacking = ", ".join(who(c) for c in grp.loc[~given, "kommunenummer"])
            report.problems.append(
                f"{med_source}: {cid}/{area}: andel is given for some members but not for "
                f"{lacking}; give every member a share or none"
            )
            continue
        total = float(grp["andel"].sum())
        if abs(total - 1.0) > 0.01:
            report.problems.append(
                f"{med_source}: {cid}/{area}: the shares (andel) add up to {total:.1%}, not 100 %; "
                "correct them"
            )
