"""Refit the partner model on the embedded data and write
``src/nettverk/_static/partner_model.json``.

Run from the repository root after ``scripts/build_geodata.py``::

    python scripts/fit_partner_model.py

The file records the data version it was fitted on; a test checks that it matches a refit.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import nettverk as nv  # noqa: E402
from nettverk._files import atomic_path  # noqa: E402
from nettverk.models.partner.model import _MODEL_FILE, fit_partner_model  # noqa: E402


def main() -> int:
    model = fit_partner_model(nv.load_default())
    with atomic_path(_MODEL_FILE) as tmp:
        tmp.write_text(model.to_json(), encoding="utf-8")
    print(model.table().to_string(index=False))
    print(f"tau = {model.tau:.4f}; data version {model.data_version}; wrote {_MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
