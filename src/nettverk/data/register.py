"""Facts of the collaboration register, each computed in one place.

Every command and notebook asks these functions (mostly through :class:`nettverk.Dataset`
methods), so a collaboration is active, or a council, in the same way everywhere:

- :func:`active_mask`: a collaboration is active in a year when its status is ``aktiv`` and the
  year lies within ``fra_aar``-``til_aar`` where those are given (DigiViken, 2021-2023, is not
  active in 2024);
- :func:`layers`: a collaboration is a regional council (``council``) when its form is
  ``interkommunalt_politisk_rad`` and it holds the council's own area ``strategi``; a project
  run through a council in another area (Lofoten bredbånd) is ``other``, like every
  collaboration that is neither a council nor a digitalisation network (``digi``);
- :func:`councils_of`: each municipality's active regional councils.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nettverk import settings

__all__ = [
    "active_mask",
    "layers",
    "councils_of",
    "collaboration_table",
    "COUNCIL_FORM",
    "DIGI_FORM",
    "MONEY_FORMS",
]

COUNCIL_FORM = "interkommunalt_politisk_rad"
DIGI_FORM = "digitaliseringsnettverk"
#: Forms that run services, so a yearly cost and a gain can be put on them. A regional council
#: or a digitalisation network coordinates; it has no operations budget to share.
MONEY_FORMS = (
    "vertskommune",
    "kommunalt_oppgavefellesskap",
    "iks",
    "as",
    "samkommune",
    "avtale",
    "prosjekt",
    "uformelt",
    "ukjent",
)


def active_mask(samarbeid: pd.DataFrame, year: int | None = None) -> pd.Series:
    """Whether each collaboration is active in ``year`` (default: the data year, 2024).

    Examples
    --------
    >>> sam = pd.DataFrame({"status": ["aktiv", "aktiv", "historisk"],
    ...                     "fra_aar": [None, 2021, None], "til_aar": [None, 2023, None]})
    >>> active_mask(sam).tolist(), active_mask(sam, 2022).tolist()
    ([True, False, False], [True, True, False])
    """
    year = settings.DATA_YEAR if year is None else int(year)
    ok = samarbeid["status"].astype(str) == "aktiv"
    for col, cmp in (("fra_aar", np.less_equal), ("til_aar", np.greater_equal)):
        if col in samarbeid.columns:
            y = pd.to_numeric(samarbeid[col], errors="coerce")
            ok &= y.isna() | cmp(y.fillna(year), year)
    return ok


def layers(samarbeid: pd.DataFrame, medlemskap: pd.DataFrame) -> pd.Series:
    """Each collaboration's layer: ``council``, ``digi`` or ``other`` (indexed by id).

    Examples
    --------
    >>> sam = pd.DataFrame({"id": ["r", "b"], "form": ["interkommunalt_politisk_rad"] * 2})
    >>> med = pd.DataFrame({"samarbeid_id": ["r", "b"], "omrade": ["strategi", "bredband"]})
    >>> layers(sam, med).to_dict()
    {'r': 'council', 'b': 'other'}
    """
    strategy = set(medlemskap.loc[medlemskap["omrade"] == "strategi", "samarbeid_id"])
    form = samarbeid["form"].astype(str).to_numpy()
    is_council = (form == COUNCIL_FORM) & samarbeid["id"].isin(strategy).to_numpy()
    out = np.where(is_council, "council", np.where(form == DIGI_FORM, "digi", "other"))
    return pd.Series(out, index=samarbeid["id"].to_numpy(), name="layer")


def councils_of(
    samarbeid: pd.DataFrame,
    medlemskap: pd.DataFrame,
    codes: list[str],
    *,
    year: int | None = None,
) -> dict[str, list[str]]:
    """The active regional councils of each municipality in ``codes`` (ids, sorted by name)."""
    sam = samarbeid[active_mask(samarbeid, year).to_numpy()]
    lay = layers(sam, medlemskap)
    ids = set(lay.index[lay == "council"])
    names = sam.set_index("id")["navn"]
    med = medlemskap[medlemskap["samarbeid_id"].isin(ids)]
    out: dict[str, list[str]] = {c: [] for c in codes}
    for code, grp in med[med["kommunenummer"].isin(out)].groupby("kommunenummer", sort=True):
        out[code] = sorted(set(grp["samarbeid_id"]), key=lambda i: (str(names[i]), i))
    return out


def collaboration_table(
    ds,
    *,
    county: str | None = None,
    area: str | None = None,
    form: str | None = None,
) -> pd.DataFrame:
    """Every collaboration in the data, one row each (``nettverk samarbeid``).

    Columns ``id`` (what ``--collaboration`` takes), ``navn``, ``form``, ``omrader``,
    ``n_medlemmer``, ``medlemmer`` (names), ``vertskommune`` (name), ``status``, ``fra_aar``,
    ``til_aar``. ``county`` keeps those with a member in the county, ``area`` those with that
    service area, ``form`` those of that legal form; sorted by name.

    Examples
    --------
    >>> t = collaboration_table(nv.load_default(), county="Buskerud", area="drift")
    >>> "hallingdal-ikt" in set(t["id"]), bool(t["n_medlemmer"].gt(0).all())
    (True, True)
    """
    from .vocab import AREAS, FORMS

    sam, med = ds.samarbeid, ds.medlemskap
    names = ds.kommuner["kommunenavn"]
    keep = pd.Series(True, index=sam.index)
    if county:
        codes = set(ds.county_codes(county))
        ids = set(med.loc[med["kommunenummer"].isin(codes), "samarbeid_id"])
        keep &= sam["id"].isin(ids)
    if area:
        area = _term(area, AREAS, "area")
        ids = set(med.loc[med["omrade"] == area, "samarbeid_id"])
        keep &= sam["id"].isin(ids) | sam["omrader"].astype(str).str.split(";").map(
            lambda a: area in a
        )
    if form:
        form = _term(form, FORMS, "form")
        keep &= sam["form"] == form
    rows = []
    for r in sam[keep].itertuples(index=False):
        members = sorted(set(med.loc[med["samarbeid_id"] == r.id, "kommunenummer"]))
        host = str(r.vertskommune or "")
        rows.append(
            {
                "id": r.id,
                "navn": r.navn,
                "form": r.form,
                "omrader": str(r.omrader).replace(";", ", "),
                "n_medlemmer": len(members),
                "medlemmer": ", ".join(str(names.get(c, c)) for c in members),
                "vertskommune": ", ".join(
                    str(names.get(h.strip(), h.strip())) for h in host.split(",") if h.strip()
                ),
                "status": r.status,
                "fra_aar": r.fra_aar,
                "til_aar": r.til_aar,
            }
        )
    out = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    return out.sort_values(["navn", "id"], kind="stable").reset_index(drop=True)


_TABLE_COLUMNS = [
    "id",
    "navn",
    "form",
    "omrader",
    "n_medlemmer",
    "medlemmer",
    "vertskommune",
    "status",
    "fra_aar",
    "til_aar",
]


def _term(value: str, allowed, what: str) -> str:
    """A vocabulary value as the data spells it, or a clear error with the valid ones."""
    from nettverk._errors import DataValidationError

    from .vocab import did_you_mean, normalise_term

    hit = {normalise_term(a): a for a in allowed}.get(normalise_term(value))
    if hit is None:
        raise DataValidationError(
            f"unknown {what} {value!r}{did_you_mean(value, allowed)}; use one of "
            + ", ".join(allowed)
        )
    return hit
