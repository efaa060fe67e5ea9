"""Global settings of nettverk.

A few typed constants, overridable in tests (``nettverk.settings.CRS = ...``):

- ``CRS``: the working coordinate reference system, ETRS89 / UTM zone 33N.
- ``DATA_YEAR``: the year of the municipality scheme (357 kommuner).
- ``BORDER_TOLERANCE_M``: polygons are simplified and clipped to the coastline, so two
  municipalities count as neighbours where their borders come within this distance.
- ``MIN_BORDER_M``: shorter shared borders (corner touches) do not make neighbours.
- ``LINK_SNAP_M``: a ferry quay or bridge end up to this far out in the sea belongs to the
  nearest municipality.
- ``SITE_SNAP_WARN_M`` / ``SITE_SNAP_MAX_M``: a site further than this from every digging
  corridor gets a warning / an error.
- ``PROGRESS``: show tqdm progress bars on long runs (None: only on a terminal).
"""

from __future__ import annotations

CRS: str = "EPSG:25833"
DATA_YEAR: int = 2024
BORDER_TOLERANCE_M: float = 100.0
MIN_BORDER_M: float = 200.0
LINK_SNAP_M: float = 3000.0
SITE_SNAP_WARN_M: float = 5000.0
SITE_SNAP_MAX_M: float = 20000.0
PROGRESS: bool | None = None
