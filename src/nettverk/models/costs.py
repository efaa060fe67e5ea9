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

pass

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
    "AREA_WEIGHTS",
    "area_cost",
    "DIG_AREAS",
]


#: Low and high values of the digging parameters, with their source and year
#: (``shared/data/bredband/enhetskostnader.csv``; D: derived from the sources named).
RANGES = {
    "trench_roadside_nok_m": (
        300.0,
        500.0,
        "S",
        "tu.no (rådgiver sitert, ca. 2014-2015): grøft og fiber på land 300-500 kNOK/km",
    ),
    "trench_rural_nok_m": (
        175.0,
        300.0,
        "S",
        "Nexia for KRD (2009-2012): 175-202 NOK/m langs vei i spredtbygd; 300 tu.no",
    ),
    "trench_private_nok_m": (
        400.0,
        700.0,
        "A",
        "privat veg: ingen vegskulder hos en vegmyndighet, avtale med hver grunneier og "
        "istandsetting av grusveg; antatt vegkant (300-500 NOK/m, tu.no) pluss 0-40 %",
    ),
    "trench_rock_nok_m": (
        350.0,
        1000.0,
        "D",
        "fjell om lag 2x myk grunn (Cartesian 2023) av 175-500 NOK/m",
    ),
    "trench_urban_nok_m": (
        600.0,
        1500.0,
        "D",
        "by om lag 1,9x spredt (Cartesian 2023); reetablering av asfalt og gebyr per "
        "gate 500-30 000 NOK (Aftenposten 2017)",
    ),
    "cable_nok_m": (
        40.0,
        80.0,
        "D",
        "materiell om lag 20-30 % av kostnaden under bakken (KMD/OED/SD 2017: grøft 70-80 %)",
    ),
    "reuse_factor": (
        0.25,
        0.40,
        "S",
        "EU 2014/61/EU og digital-strategy.ec.europa.eu (2021): gjenbruk sparer inntil 60 %",
    ),
    "sea_nok_km": (
        800_000.0,
        1_000_000.0,
        "S",
        "Tampnet via tu.no (ca. 2014-2015): 0,8-1,0 MNOK/km sjøkabel",
    ),
    "sea_fixed_nok": (
        500_000.0,
        1_500_000.0,
        "A",
        "landtak, tillatelser og skjøting per kryssing (antakelse)",
    ),
}

#: What each parameter is called in bokmål (``nettverk costs``).
LABELS = {
    "scale_a": "Kostnadsnivå a (kr ved P^β)",
    "scale_beta": "Stordriftseksponent β",
    "coordination_fixed_nok": "Koordinering, fast",
    "coordination_per_member_nok": "Koordinering per medlem",
    "join_single_service_nok": "Inngang, én tjeneste",
    "join_full_operations_nok": "Inngang, full drift",
    "retained_share": "Andel som blir igjen lokalt",
    "transition_nok_per_inhabitant": "Overgang (engang) per innbygger",
    "exit_notice_years": "Oppsigelsestid",
    "stranded_share": "Strandet andel når en går ut",
    "realisation_years": "År til full gevinst",
    "key_equal_share": "Fordelingsnøkkel, lik del",
    "trench_roadside_nok_m": "Grøft langs veg",
    "trench_rural_nok_m": "Grøft i mykt terreng",
    "trench_private_nok_m": "Grøft langs privat veg",
    "trench_rock_nok_m": "Grøft i fjell (tunnel)",
    "trench_urban_nok_m": "Grøft i by (asfalt)",
    "cable_nok_m": "Kabel og rør",
    "reuse_factor": "Gjenbruk av eksisterende trasé",
    "sea_fixed_nok": "Sjøkryssing, fast del",
    "sea_nok_km": "Sjøkabel per km",
    "annuity_years": "Avskrivningstid",
    "annuity_rate": "Kalkulasjonsrente",
    "travel_trips_per_year": "Reiser per medlem og år",
    "travel_nok_km": "Reisekostnad per km",
    "dispersion_per_100km": "Tap ved avstand per 100 km",
}

#: The parameters of the corridor graph (what ``dig --sensitivity`` varies).
DIG_PARAMETERS = tuple(RANGES)

#: Low and high values of the economics, fitted to or bounded by the facts of
#: ``shared/data/okonomi/ikt_kostnader_fakta.csv`` at the 2024 price level (SSB KPI; Norges Bank
#: rates), or an expert range where the facts are too few; ``benchmarks/economics.py`` holds the
#: model against every comparable fact.
ECON_RANGES = {
    "scale_a": (
        14_000.0,
        24_000.0,
        "D",
        "nivået: SSIKT (2018, 50/50-nøkkelen gir om lag 33 MNOK for 50 700 innb.) og IKomm (20 "
        "MNOK for tre, 2007) i 2024-kroner gir 16-19 000; Finlands 103 EUR per innbygger (2021, "
        "bredere IKT) øvre ende",
    ),
    "scale_beta": (
        0.60,
        0.90,
        "A",
        "ekspertspenn: to norske budsjetter kan ikke bestemme stordriftseffekten; ved 0,9 gir "
        "IKomm og IT-kommuner i Skåne ingen besparelse, slik kildene sier",
    ),
    "coordination_fixed_nok": (
        500_000.0,
        2_000_000.0,
        "A",
        "ekspertspenn rundt IKT Orkidés sekretariat",
    ),
    "coordination_per_member_nok": (
        300_000.0,
        1_000_000.0,
        "D",
        "IKT Orkidé: 5 faste og om lag 4 årsverk kjøpt av medlemmene for 9 kommuner (om lag 1 MNOK "
        "per medlem i øvre ende)",
    ),
    "retained_share": (
        0.0,
        0.25,
        "A",
        "veilederen: sikkerhetsleder, systemeiere og bestillerkompetanse blir igjen i kommunen",
    ),
    "transition_nok_per_inhabitant": (
        250.0,
        800.0,
        "D",
        "Midtre Gauldal inn i IT Midt (2024): 1,9 MNOK kapital + 3 x 0,7 MNOK raskere avskriving, "
        "om lag 650 kr per innbygger; IKomm 2007: drøyt 20 MNOK for tre, om lag 790 i 2024-kroner",
    ),
    "join_single_service_nok": (
        25_000.0,
        60_000.0,
        "S",
        "KS Digiorden (2021): 25 000, 40 000 eller 60 000 kr etter kommunestørrelse",
    ),
    "join_full_operations_nok": (
        500_000.0,
        1_900_000.0,
        "S",
        "Midtre Gauldal inn i IT Midt: 1,9 MNOK i kapitalinnskudd (2024)",
    ),
    "stranded_share": (
        0.0,
        0.5,
        "D",
        "Itsam (2024): da Kinda gikk ut, fikk de fem som ble igjen et tap på 6,8 MSEK det året, om "
        "lag 40 % av Kindas andel (inntektene falt raskere enn kostnadene)",
    ),
    "exit_notice_years": (
        1.0,
        3.0,
        "S",
        "Kristiansand ut av KR-IKT (2016): 3 års oppsigelse; 1 år som nedre antakelse",
    ),
    "realisation_years": (
        1.0,
        3.0,
        "A",
        "veilederen: 'Samordning kan også koste - i hvert fall i starten'",
    ),
    "travel_nok_km": (10.0, 20.0, "A", "kjøregodtgjørelse og tid, lav til høy"),
    "dispersion_per_100km": (0.05, 0.25, "A", "tap ved avstand, lav til høy"),
}
#: Which way each economics parameter moves a group's gain: +1 a higher value raises it.
GAIN_SIGN = {
    "scale_a": +1,
    "scale_beta": -1,
    "coordination_fixed_nok": -1,
    "coordination_per_member_nok": -1,
    "retained_share": -1,
    "transition_nok_per_inhabitant": -1,
    "join_single_service_nok": -1,
    "join_full_operations_nok": -1,
    "exit_notice_years": -1,
    "stranded_share": -1,
    "realisation_years": -1,
    "travel_nok_km": -1,
    "dispersion_per_100km": -1,
}
ALL_RANGES = {**RANGES, **ECON_RANGES}

_META = {
    # name: (unit, basis, source)
    "scale_a": (
        "NOK",
        "A",
        "calibrated to SSIKT (about 33 MNOK for 50 700 inhabitants in 2018, D) and IKomm (20 MNOK "
        "for 40 000 in 2007, S), both at 2024 prices (SSB KPI): benchmarks/economics.py",
    ),
    "scale_beta": (
        "-",
        "A",
        "standalone cost a*P**beta: about 1 650 NOK per inhabitant at 2 600, 1 100 at 10 000, 680 "
        "at 50 000 (2024 kroner)",
    ),
    "coordination_fixed_nok": (
        "NOK/yr",
        "A",
        "IKT Orkidé runs about 5 FTE + 4 FTE release time for 9 municipalities (S)",
    ),
    "coordination_per_member_nok": (
        "NOK/yr",
        "D",
        "per member beyond the first; IKT Orkidé: about 5-9 FTE for 9 members (benchmarks/"
        "economics.py put the old 0.45 MNOK under that)",
    ),
    "join_single_service_nok": ("NOK", "S", "KS Digiorden: about 60 000 NOK to join one service"),
    "join_full_operations_nok": ("NOK", "A", "0.5-1.9 MNOK to move full operations"),
    "retained_share": (
        "-",
        "A",
        "share of a member's ICT cost that stays in-house after joining (security lead, system "
        "owners, ordering competence)",
    ),
    "transition_nok_per_inhabitant": (
        "NOK/inh.",
        "D",
        "one-off cost of moving into joint operations (set-up, migration, faster write-down)",
    ),
    "exit_notice_years": ("years", "S", "notice when leaving a collaboration (paid on both sides)"),
    "stranded_share": (
        "-",
        "D",
        "share of a leaver's payment that stays as cost for those who stay, the first year after",
    ),
    "realisation_years": ("years", "A", "years until the full yearly gain is realised"),
    "key_equal_share": (
        "-",
        "S",
        "eKommune Sunnmøre: 30 % equal, 70 % by population (SSIKT 50/50)",
    ),
    "trench_roadside_nok_m": ("NOK/m", "S", "300-500 NOK/m onshore (tu.no)"),
    "trench_rural_nok_m": ("NOK/m", "A", "rural soft ground"),
    "trench_private_nok_m": (
        "NOK/m",
        "A",
        "along a private road: no public road shoulder, an agreement with every landowner, "
        "gravel to restore (roadside + 25 %)",
    ),
    "trench_rock_nok_m": ("NOK/m", "A", "rock about 2x soft ground (Cartesian 2023)"),
    "trench_urban_nok_m": ("NOK/m", "A", "urban about 1.9x rural (Cartesian 2023)"),
    "cable_nok_m": ("NOK/m", "A", "materials about 27 % of underground cost"),
    "reuse_factor": (
        "-",
        "D",
        "EU Broadband Cost Reduction Directive: reuse saves up to 60 % (so about 40 % of new "
        "build); "
        "25 % as the best case; civil works are 70-80 % of the cost (KMD/OED/SD 2017)",
    ),
    "sea_fixed_nok": ("NOK", "A", "fixed part per sea crossing (landing, permits)"),
    "sea_nok_km": ("NOK/km", "S", "0.8-1.0 MNOK/km sea cable (tu.no)"),
    "annuity_years": ("years", "A", "lifetime of ducts and cable"),
    "annuity_rate": ("-", "A", "real discount rate"),
    "travel_trips_per_year": ("trips/yr", "A", "meetings and on-site support per member and year"),
    "travel_nok_km": (
        "NOK/km",
        "A",
        "driving allowance about 4.5 NOK/km (statens reiseregulativ 2024) + 10 NOK/km of staff "
        "time (600 NOK/h at 60 km/h)",
    ),
    "dispersion_per_100km": (
        "-",
        "A",
        "share of a member's standalone cost lost per 100 km from the hub (on-site support, local "
        "presence, staff travel time)",
    ),
}


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
