"""The population layer: residents per SSB grid cell, read when first asked for.

SSB publishes residents on a 250 m and a 1 km grid (CC BY 4.0). A cell id is 14 digits: the
first 7 are the easting plus 2 000 000 and the last 7 the northing of the cell's lower-left
corner, in EPSG:25833. In the 250 m table cells with 1-9 residents read 5 (disclosure control),
so its sums overstate the total by about 3 %.

The embedded table (``geodata/befolkning.csv.gz``) holds the 250 m grid of 1 January 2022 with
the municipality of each cell; a ``--data`` folder may bring its own ``befolkning.csv`` (SSB's
columns ``SSBID0250M;pop_tot`` or ``ssbid,innbyggere``; ``SSBID1000M`` for the 1 km grid).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError

__all__ = ["PopulationGrid", "decode_cells", "read_population", "ID_COLUMNS", "CELL_OFFSET"]

#: The id column names a grid table may use, and the cell size each implies (m).
ID_COLUMNS = {"ssbid": None, "ssbid0250m": 250, "ssbid1000m": 1000, "rute_id": None}
#: Names of the residents column.
POP_COLUMNS = ("innbyggere", "pop_tot", "befolkning", "bosatte")
#: SSB adds this to the easting in a cell id.
CELL_OFFSET = 2_000_000


def decode_cells(ids: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lower-left corner (x, y) of SSB grid cells in EPSG:25833, from their 14-digit ids.

    Examples
    --------
    >>> x, y = decode_cells(pd.Series(["22500006650000"]))
    >>> int(x[0]), int(y[0])
    (250000, 6650000)
    """
    text = pd.Series(ids).astype(str).str.strip()
    bad = ~text.str.fullmatch(r"\d{14}")
    if bad.any():
        first = text[bad].iloc[0]
        raise DataValidationError(
            f"grid cell id {first!r} is not 14 digits; use SSB's ids (easting + 2 000 000, then "
            "northing)"
        )
    x = text.str[:7].astype(np.int64).to_numpy() - CELL_OFFSET
    y = text.str[7:].astype(np.int64).to_numpy()
    return x, y


def read_population(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a grid table and return ``ssbid``, ``x``, ``y`` (cell centre), ``cell_m``,
    ``innbyggere`` and, where given, ``kommunenummer``.

    Examples
    --------
    >>> raw = pd.DataFrame({"SSBID0250M": ["22500006650000"], "pop_tot": ["12"]})
    >>> read_population(raw, "befolkning.csv")[["x", "y", "cell_m", "innbyggere"]].values.tolist()
    [[250125, 6650125, 250, 12]]
    """
    cols = {str(c).strip().lower(): c for c in raw.columns}
    id_col = next((c for c in ID_COLUMNS if c in cols), None)
    pop_col = next((c for c in POP_COLUMNS if c in cols), None)
    if id_col is None or pop_col is None:
        raise DataValidationError(
            f"{source}: a population grid needs a cell id column ({', '.join(ID_COLUMNS)}) and a "
            f"residents column ({', '.join(POP_COLUMNS)}); found {', '.join(map(str, raw.columns))}"
        )
    pop = pd.to_numeric(raw[cols[pop_col]], errors="coerce")
    bad = pop.isna() | (pop < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise DataValidationError(
            f"{source}: row {row}: residents {raw[cols[pop_col]].iloc[row - 2]!r} is not a whole "
            "number >= 0; fix the value"
        )
    try:
        x, y = decode_cells(raw[cols[id_col]])
    except DataValidationError as exc:
        raise DataValidationError(f"{source}: {exc}") from exc
    size = ID_COLUMNS[id_col] or (1000 if ((x % 1000 == 0) & (y % 1000 == 0)).all() else 250)
    out = pd.DataFrame(
        {
            "ssbid": raw[cols[id_col]].astype(str).str.strip().to_numpy(),
            "x": x + size // 2,
            "y": y + size // 2,
            "cell_m": size,
            "innbyggere": pop.astype(np.int64).to_numpy(),
        }
    )
    if "kommunenummer" in cols:
        out["kommunenummer"] = raw[cols["kommunenummer"]].astype(str).str.zfill(4).to_numpy()
    dup = out["ssbid"].duplicated()
    if dup.any():
        raise DataValidationError(
            f"{source}: cell {out['ssbid'][dup].iloc[0]} appears twice; keep one row per cell"
        )
    return out[out["innbyggere"] > 0].reset_index(drop=True)


class PopulationGrid:
    """A population grid read when first used, cut to some municipalities.

    ``frame()`` gives one row per populated cell: ``ssbid``, ``x``, ``y`` (cell centre,
    EPSG:25833), ``cell_m``, ``innbyggere`` and ``kommunenummer`` (the municipality the cell's
    centre lies in, or the nearest one within 1 km for coastal cells).
    """

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        frame: pd.DataFrame | None = None,
        kommuner=None,
        codes: frozenset[str] | None = None,
        source: str | None = None,
    ) -> None:
        self.path = None if path is None else Path(path)
        self._frame = frame
        self._kommuner = kommuner
        self.codes = codes
        self.source = source or (str(path) if path is not None else "table")

    def subset(self, codes) -> PopulationGrid:
        """The same grid cut to some municipalities (read once, shared)."""
        keep = frozenset(codes) if self.codes is None else self.codes & frozenset(codes)
        sub = PopulationGrid(self.path, kommuner=self._kommuner, codes=keep, source=self.source)
        sub._parent = self
        return sub

    def _full(self) -> pd.DataFrame:
        parent = getattr(self, "_parent", None)
        if parent is not None:
            return parent._full()
        if self._frame is None:
            from .io import read_table

            raw = (
                pd.read_csv(self.path, dtype=str, keep_default_na=False)
                if self.path.name.endswith(".csv.gz")
                else read_table(self.path)
            )
            frame = read_population(raw, self.source)
            if "kommunenummer" not in frame.columns:
                frame["kommunenummer"] = _municipality_of(frame, self._kommuner)
            self._frame = frame
        return self._frame

    def frame(self) -> pd.DataFrame:
        """The populated cells (see the class docstring)."""
        full = self._full()
        if self.codes is None:
            return full
        return full[full["kommunenummer"].isin(self.codes)].reset_index(drop=True)

    def __repr__(self) -> str:
        return f"<PopulationGrid {self.source}>"


def _municipality_of(frame: pd.DataFrame, kommuner) -> np.ndarray:
    """The municipality of each cell centre (the nearest within 1 km for cells at sea)."""
    import shapely

    if kommuner is None:
        return np.full(len(frame), "", dtype=object)
    pts = shapely.points(frame["x"].to_numpy(float), frame["y"].to_numpy(float))
    polys = kommuner.geometry.values
    codes = np.asarray(kommuner.index, dtype=object)
    tree = shapely.STRtree(polys)
    out = np.full(len(pts), "", dtype=object)
    p, k = tree.query(pts, predicate="intersects")
    out[p[::-1]] = codes[k[::-1]]
    rest = np.flatnonzero(out == "")
    if len(rest):
        p2, k2 = tree.query_nearest(pts[rest], max_distance=1000, all_matches=False)
        out[rest[p2]] = codes[k2]
    return out
