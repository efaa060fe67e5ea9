"""The cost model: every number a parameter with its source, overridable from TOML.

NOK at 2024 level. Basis: S = sourced, D = derived from sources, A = assumption. The sources
are those of DESIGN.md (KS/FAD guide on inter-municipal ICT collaboration, SSIKT, IKomm,
IKT Orkidé, eKommune Sunnmøre, tu.no, Cartesian 2023, regjeringen.no).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError

from .cost_params import ALL_RANGES, DIG_PARAMETERS, ECON_RANGES, GAIN_SIGN, LABELS, RANGES
from .cost_params import META as _META

__all__ = [
    "CostModel",
    "load_costs",
    "as_cost_model",
    "annuity_factor",
    "RANGES",
    "DIG_PARAMETERS",
    "ECON_RANGES",
    "ALL_RANGES",
    "GAIN_SIGN",
    "REFERENCE_SIZE",
    "LABELS",
    "sensitivity_cases",
    "AREA_WEIGHTS",
    "area_cost",
    "DIG_AREAS",
]


@dataclass(frozen=True)
class CostModel:
    """Parameters of the cost model (defaults of DESIGN.md).

    Examples
    --------
    >>> c = CostModel()
    >>> round(c.standalone_cost(10_000) / 10_000)   # NOK per inhabitant at 10 000
    1104
    >>> round(c.standalone_cost(50_000) / 50_000)
    681
    >>> c.overhead(3)
    2200000.0
    """

    scale_a: float = 17_500.0
    scale_beta: float = 0.70
    coordination_fixed_nok: float = 1_000_000.0
    coordination_per_member_nok: float = 600_000.0
    join_single_service_nok: float = 60_000.0
    join_full_operations_nok: float = 1_000_000.0
    retained_share: float = 0.10
    transition_nok_per_inhabitant: float = 650.0
    exit_notice_years: float = 1.0
    stranded_share: float = 0.40
    realisation_years: float = 2.0
    key_equal_share: float = 0.30
    trench_roadside_nok_m: float = 400.0
    trench_rural_nok_m: float = 250.0
    trench_private_nok_m: float = 500.0
    trench_rock_nok_m: float = 500.0
    trench_urban_nok_m: float = 1_000.0
    cable_nok_m: float = 60.0
    reuse_factor: float = 0.40
    access_nok_per_household: float = 20_000.0
    take_up_share: float = 0.80
    sea_fixed_nok: float = 1_000_000.0
    sea_nok_km: float = 800_000.0
    annuity_years: float = 25.0
    annuity_rate: float = 0.04
    travel_trips_per_year: float = 24.0
    travel_nok_km: float = 14.5
    dispersion_per_100km: float = 0.15

    def __post_init__(self) -> None:
        problems = []
        for f in fields(self):
            v = getattr(self, f.name)
            if (
                not isinstance(v, (int, float))
                or isinstance(v, bool)
                or not math.isfinite(v)
                or v < 0
            ):
                problems.append(f"cost parameter {f.name} = {v!r}: must be a finite number >= 0")
        for name in (
            "key_equal_share",
            "reuse_factor",
            "dispersion_per_100km",
            "retained_share",
            "stranded_share",
            "take_up_share",
        ):
            if getattr(self, name) > 1:
                problems.append(
                    f"cost parameter {name} = {getattr(self, name)!r}: must be between 0 and 1"
                )
        if problems:
            raise DataValidationError(problems)

    # -- operations ----------------------------------------------------------------------
    def standalone_cost(self, population):
        """Annual ICT operations cost of a municipality alone: ``a * P**beta`` (NOK/yr)."""
        out = self.scale_a * np.power(np.asarray(population, dtype=float), self.scale_beta)
        return float(out) if out.ndim == 0 else out

    def joint_cost(self, populations) -> float:
        """Annual cost of joint operations (scale only, without coordination overhead)."""
        return self.standalone_cost(float(np.sum(populations)))

    def overhead(self, n_members: int) -> float:
        """Coordination overhead of a collaboration with ``n_members`` (0 for one member)."""
        if n_members <= 1:
            return 0.0
        return self.coordination_fixed_nok + self.coordination_per_member_nok * (n_members - 1)

    def travel_per_km(self) -> float:
        """Annual travel cost per km between a member's centre and the hub (NOK/km/yr)."""
        return self.travel_trips_per_year * 2 * self.travel_nok_km

    # -- digging -------------------------------------------------------------------------
    def annuity(self, investment: float) -> float:
        """Annual cost of an investment over ``annuity_years`` at ``annuity_rate``."""
        return investment * annuity_factor(self.annuity_rate, self.annuity_years)

    def describe(self) -> pd.DataFrame:
        """Return every parameter with its value, low and high (where sourced), unit, basis (S/D/A)
        and source."""
        rows = []
        for name, value in asdict(self).items():
            unit, basis, source = _META[name]
            lo, hi, _, rsource = ALL_RANGES.get(name, (math.nan, math.nan, "", ""))
            rows.append(
                {
                    "parameter": name,
                    "value": value,
                    "low": lo,
                    "high": hi,
                    "unit": unit,
                    "basis": basis,
                    "source": source + (f"; range: {rsource}" if rsource else ""),
                }
            )
        return pd.DataFrame(rows)

    def at(self, level: str, names: Iterable[str] | None = None) -> "CostModel":
        """The model with the named parameters (default: the digging ones, :data:`RANGES`) at
        ``low`` or ``high`` (:data:`ALL_RANGES`).

        Examples
        --------
        >>> CostModel().at("high").sea_nok_km
        1000000.0
        """
        idx = {"low": 0, "high": 1}[level]
        values = {n: ALL_RANGES[n][idx] for n in (names or RANGES)}
        return replace(self, **_keep_level(self, values))

    def scenario(self, kind: str) -> "CostModel":
        """Every economics parameter at the end of its range that gives the least gain
        (``pessimistic``) or the most (``optimistic``); the digging ones stay.

        ``scale_a``'s range is the cost level under the base ``scale_beta``; where a scenario moves
        ``scale_beta``, ``scale_a`` moves with it so that a municipality of
        :data:`REFERENCE_SIZE` costs what the level says (the two are not independent).

        Examples
        --------
        >>> lo, hi = CostModel().scenario("pessimistic"), CostModel().scenario("optimistic")
        >>> lo.scale_beta, hi.scale_beta, lo.retained_share
        (0.9, 0.6, 0.25)
        >>> round(lo.standalone_cost(REFERENCE_SIZE) / REFERENCE_SIZE)   # the low level, 10 000
        883
        """
        if kind not in ("pessimistic", "optimistic"):
            raise ValueError(f"scenario {kind!r}: use 'pessimistic' or 'optimistic'")
        up = kind == "optimistic"
        values = {n: ECON_RANGES[n][1 if (GAIN_SIGN[n] > 0) == up else 0] for n in ECON_RANGES}
        return replace(self, **_keep_level(self, values))


def sensitivity_cases(base: CostModel, names: Iterable[str]) -> list[tuple]:
    """The cases of a sensitivity table: the base, each named parameter at its low and its high
    end on its own (a tornado), then all of them at once.

    Returns ``(label, parameter, level, model)`` tuples; for the digging parameters "all at once"
    is all low and all high, for the economics the pessimistic and optimistic ends.

    Examples
    --------
    >>> [c[0] for c in sensitivity_cases(CostModel(), ["scale_beta"])]
    ['basis', 'scale_beta lav', 'scale_beta høy', 'minst gunstig', 'mest gunstig']
    """
    names = list(names)
    cases = [("basis", "", "", base)]
    for name in names:
        for level in ("low", "high"):
            label = f"{name} {'lav' if level == 'low' else 'høy'}"
            cases.append((label, name, level, base.at(level, [name])))
    if all(n in RANGES for n in names):
        cases += [
            ("alle lave", "*", "low", base.at("low")),
            ("alle høye", "*", "high", base.at("high")),
        ]
    else:
        cases += [
            ("minst gunstig", "*", "pessimistic", base.scenario("pessimistic")),
            ("mest gunstig", "*", "optimistic", base.scenario("optimistic")),
        ]
    return cases


#: The municipality size (inhabitants) at which ``scale_a``'s range sets the cost level.
REFERENCE_SIZE = 10_000.0


def _keep_level(model: CostModel, values: dict) -> dict:
    """Rescale ``scale_a`` where ``scale_beta`` moves, so the cost at :data:`REFERENCE_SIZE`
    is the level ``scale_a`` gives under the model's own ``scale_beta``."""
    if "scale_beta" not in values:
        return values
    a = values.get("scale_a", model.scale_a)
    values = dict(values)
    values["scale_a"] = a * REFERENCE_SIZE ** (model.scale_beta - values["scale_beta"])
    return values


def annuity_factor(rate: float, years: float) -> float:
    """Return the annuity factor ``r / (1 - (1 + r) ** -n)``.

    Examples
    --------
    >>> round(annuity_factor(0.04, 25), 5)
    0.06401
    """
    if rate == 0:
        return 1.0 / years
    return rate / (1 - (1 + rate) ** -years)


def load_costs(path: str | os.PathLike | None = None, **overrides: float) -> CostModel:
    """Return the cost model, with values from a TOML file and keyword overrides.

    The TOML file holds ``name = value`` pairs, at top level or in a ``[costs]`` table::

        [costs]
        trench_roadside_nok_m = 450
        key_equal_share = 0.5

    Raises
    ------
    DataValidationError
        For an unknown parameter (listing the valid ones) or a bad value.

    Examples
    --------
    >>> load_costs(trench_roadside_nok_m=450).trench_roadside_nok_m
    450
    """
    values: dict[str, float] = {}
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise DataValidationError(f"{path}: cost file not found; check the path")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise DataValidationError(
                f"{path}: not valid TOML ({exc}); write lines like trench_roadside_nok_m = 450"
            ) from exc
        values.update(data.get("costs", data))
    values.update(overrides)
    valid = {f.name for f in fields(CostModel)}
    unknown = sorted(set(values) - valid)
    if unknown:
        where = f"{path}: " if path is not None else ""
        raise DataValidationError(
            f"{where}unknown cost parameter(s) {', '.join(unknown)}; valid: "
            f"{', '.join(sorted(valid))}"
        )
    return replace(CostModel(), **values)


def as_cost_model(costs: "CostModel | str | os.PathLike | None") -> CostModel:
    """Accept a CostModel, a path to a TOML file, or None (the defaults).

    Examples
    --------
    >>> as_cost_model(None) == CostModel()
    True
    """
    if costs is None:
        return CostModel()
    if isinstance(costs, CostModel):
        return costs
    return load_costs(costs)


#: Areas whose newcomer must be connected by a trench (digging is charged only there).
DIG_AREAS = ("bredband", "nett")

#: Share of the full operations cost that each service area stands for (A).
AREA_WEIGHTS = {
    "drift": 1.0,
    "nett": 0.25,
    "fagsystemer": 0.5,
    "sak_arkiv": 0.15,
    "lonn_personal": 0.1,
    "helse_sosial": 0.2,
    "plan_kart": 0.1,
    "portal": 0.05,
    "video": 0.05,
    "innkjop": 0.05,
    "kompetanse": 0.05,
    "strategi": 0.05,
    "bredband": 0.1,
    "naering": 0.05,
}


def area_cost(populations: Iterable[float] | np.ndarray, area: str, costs: CostModel) -> float:
    """Annual cost of one area run jointly by members with these populations (NOK/yr)."""
    pops = np.asarray(populations, dtype=float)
    w = AREA_WEIGHTS.get(area, 1.0)
    return w * (costs.standalone_cost(pops.sum()) + costs.overhead(len(pops)))
