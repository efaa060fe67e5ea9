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
