"""Candidate partner clusters: contiguous, constrained, optimal where the region allows.

The region's municipality graph (borders, ferries, bridges) is searched for every connected
set of municipalities that meets the constraints; each set is scored under the cost model,
and the set partition with the highest total score is solved exactly: the LP relaxation by
column generation with HiGHS (``scipy.optimize.linprog``) gives a bound and reduced costs, and a
depth-first search over the columns that can still beat the best known partition proves the
optimum (or stops at ``time_limit`` with the gap). The search starts from a plain greedy merge
improved by local search, so the result is never worse than the greedy merge, whose objective
is reported too.

Score of a cluster S (the partner model, :mod:`nettverk.models.partner`)::

    score = sum over pairs i < j in S of (u_ij - tau)

the log-odds that the members belong together: ``u_ij`` is the fitted affinity of the pair
(travel, border, commuting, BA-region, regional council, other shared collaborations, size
gap, ...), ``tau`` the threshold fitted on real groups. Clusters are contiguous through
*natural-partner links*: neighbours (border, ferry, bridge) with ``u_ij > tau``
(:func:`natural_partner_graph`); keep-together groups and municipalities that must join may
link through any neighbour. The money is shown beside the score, in NOK per year:

- ``standalone_nok``: sum of the members' standalone ICT cost ``a * P_i**beta``;
- ``joint_nok``: ``a * (sum P_i)**beta``, the scale economy of one operation;
- ``overhead_nok``: coordination, fixed plus per member beyond the first;
- ``travel_nok``: straight-line km from each member's centre to the hub (the most populous
  member) times trips per year, plus the dispersion loss;
- ``net_gain_nok = standalone_nok - joint_nok - overhead_nok - travel_nok``.

``objective="money"`` maximises ``net_gain_nok`` alone over the plain neighbour graph instead
(the old model, kept for comparison: the biggest town always wins).
A singleton scores 0: a municipality may be best alone, and is flagged ``alone``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import geopandas as gpd
import networkx as nx
import pandas as pd

from nettverk import settings
from nettverk._errors import InfeasibleError
from nettverk._types import Counties, Municipalities
from nettverk.data.dataset import Dataset
from nettverk.models.costs import CostModel, as_cost_model
from nettverk.models.partner.model import PartnerModel, load_partner_model
from nettverk.network.municipalities import is_connected, municipality_graph
from nettverk.solvers.partition import Deadline

from .region import (
    SCORE_COLUMNS,
    _merge_groups,
    _parse_groups,
    _Region,
    _region,
    _rows,
    existing_groups,
)
from .reasons import _alone_reasons, _apart_reasons
from .solve import _solve_codes, _solve_counties, _Solved

__all__ = ["candidate_clusters", "score_clusters", "cluster_assignment"]


def candidate_clusters(
    ds: Dataset,
    *,
    counties: Counties | None = None,
    municipalities: Municipalities | None = None,
    min_members: int = 2,
    max_members: int = 10,
    min_population: float | None = None,
    max_population: float | None = None,
    include: Municipalities = (),
    exclude: Municipalities = (),
    keep_together: Iterable[Municipalities] = (),
    keep_existing: str | None = None,
    costs: CostModel | str | None = None,
    time_limit: float | None = None,
    cross_county: bool = True,
    graph: nx.Graph | None = None,
    progress: bool | None = None,
    model: PartnerModel | None = None,
    objective: str = "affinity",
) -> gpd.GeoDataFrame:
    """Partition a region into contiguous candidate clusters with the highest total score.

    Parameters
    ----------
    ds : Dataset
    counties, municipalities : optional
        The region: counties by number or name, and/or municipalities by code or name
        (default: all of the dataset).
    min_members, max_members : int
        Size of a cluster of several municipalities. A municipality may still stand alone
        (flagged ``alone``) when it has no natural partner. Real collaborations have 2 to 14
        members; on the embedded data the partner model's clusters have at most 9, so the
        default 10 loses nothing and keeps all of Norway at about 3 s (14: about 50 s).
    min_population, max_population : float, optional
        Bounds on a cluster's population (clusters of several municipalities).
    include : codes or names
        Municipalities that must join a cluster (may not stand alone).
    exclude : codes or names
        Municipalities kept out of every cluster (reported as ``excluded`` rows).
    keep_together : iterable of groups
        Groups that must end up in the same cluster; overlapping groups are merged, and the
        result says so in ``attrs["notes"]``.
    keep_existing : str, optional
        An area (e.g. ``"drift"``): keep the members of each active collaboration in that
        area together, so the question becomes where the others should go.
    costs : CostModel or path to TOML, optional
    time_limit : float, optional
        Seconds for the whole run (enumeration, LP and search); past it the best partition
        found is returned with its gap (``None`` where the enumeration itself was cut short).
    cross_county : bool
        Let clusters cross county borders (default). A region of several counties is first
        solved county by county, and that optimum starts the search over the whole region;
        ``False`` (CLI ``--per-county``) stops after the counties.
    graph : networkx.Graph, optional
        A precomputed :func:`municipality_graph` of ``ds``.
    model : PartnerModel, optional
        The partner model (default: the shipped one, :func:`load_partner_model`).
    objective : {"affinity", "money"}
        ``affinity`` (default) maximises the partner model's log-odds; ``money`` maximises the
        cost model's net gain alone, for comparison (the old ranking, in which the biggest
        town always wins).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster: ``cluster_id``, ``members`` (comma-separated kommunenummer),
        ``member_names``, ``n_members``, ``innbyggere``, the score parts ``standalone_nok``,
        ``joint_nok``, ``overhead_nok``, ``travel_nok``, ``net_gain_nok``, ``affinity_mean``
        (mean pair affinity), ``score`` (log-odds), the size mix (``largest_member``,
        ``largest_share``),
        ``hub``, ``shared_collaborations``, ``alone``, ``excluded``; geometry = union of the
        members. ``attrs`` holds ``objective``, ``bound``, ``gap``, ``status``,
        ``greedy_objective``, ``n_candidates``, ``seconds``, ``notes`` and ``assignment``
        (kommunenummer -> cluster_id).

    Raises
    ------
    InfeasibleError
        When the constraints cannot be met (named in the message).

    Examples
    --------
    >>> ds = nv.load_default()
    >>> res = candidate_clusters(ds, counties=["Buskerud"], max_members=6)
    >>> res.attrs["gap"]
    0.0
    >>> int(res["n_members"].sum())
    18
    """
    t0 = time.perf_counter()
    costs = as_cost_model(costs)
    _check_options(objective, min_members, max_members, min_population, max_population)
    G = graph if graph is not None else municipality_graph(ds)
    codes, excluded = _region_codes(ds, counties, municipalities, exclude, min_population)
    notes: list[str] = []
    groups, must = _constraints(ds, codes, keep_together, keep_existing, include, notes)
    counties_in = sorted(set(ds.kommuner.loc[codes, "fylkesnummer"]))
    show = settings.PROGRESS if progress is None else progress
    opts = dict(
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        groups=groups,
        must=must,
        deadline=Deadline(time_limit),
        progress=bool(show),
        pre={"model": model or load_partner_model(), "objective": objective},
    )
    if len(counties_in) > 1:
        solved = _solve_counties(ds, codes, G, costs, counties_in, cross_county, opts, notes)
    else:
        solved = _solve_codes(ds, codes, G, costs, **opts)
    reg = _region(ds, codes, G, costs, opts["pre"])
    out = _result_frame(ds, reg, solved, costs, excluded)
    out.insert(
        out.columns.get_loc("alone") + 1,
        "alone_reason",
        _alone_reasons(ds, out, reg, G, opts["pre"]["U"], max_members=max_members),
    )
    out.insert(
        out.columns.get_loc("alone_reason") + 1,
        "apart_reason",
        _apart_reasons(
            ds,
            out,
            reg,
            G,
            opts["pre"]["model"],
            max_members=max_members,
            max_population=max_population,
            cross_county=cross_county,
        ),
    )
    out.attrs.update(_proof(solved, notes))
    out.attrs.update(
        seconds=round(time.perf_counter() - t0, 3),
        notes=notes,
        objective_kind=objective,
        assignment=dict(
            sorted(
                (c, cid) for cid, m in zip(out["cluster_id"], out["members"]) for c in m.split(",")
            )
        ),
    )
    return out


def _check_options(
    objective: str, min_members: int, max_members: int, min_population, max_population
) -> None:
    if objective not in ("affinity", "money"):
        raise InfeasibleError(f"unknown objective {objective!r}; use affinity or money")
    if min_members < 1 or max_members < 1:
        raise InfeasibleError("min_members and max_members must be at least 1")
    if min_members > max_members:
        raise InfeasibleError(
            f"min_members ({min_members}) is above max_members ({max_members}); "
            "lower min_members or raise max_members"
        )
    if (
        min_population is not None
        and max_population is not None
        and min_population > max_population
    ):
        raise InfeasibleError(
            f"min_population ({min_population:g}) is above max_population ({max_population:g})"
        )


def _region_codes(
    ds: Dataset, counties, municipalities, exclude, min_population
) -> tuple[list[str], set[str]]:
    """The municipalities to partition, and those the user excluded."""
    region = (
        ds.select(counties=counties, municipalities=municipalities)
        if (counties or municipalities)
        else ds
    )
    excluded = set(ds.codes(list(exclude))) if exclude else set()
    missing = excluded - set(region.kommuner.index)
    if missing:
        raise InfeasibleError(
            f"excluded municipalities {', '.join(sorted(missing))} are not in the region"
        )
    codes = [c for c in region.kommuner.index if c not in excluded]
    if not codes:
        raise InfeasibleError("the region is empty after exclusions; exclude fewer municipalities")
    total_pop = float(region.kommuner.loc[codes, "innbyggere"].sum())
    if min_population is not None and min_population > total_pop:
        raise InfeasibleError(
            f"min_population {min_population:,.0f} is above the region's total population "
            f"{total_pop:,.0f}; lower it"
        )
    return codes, excluded


def _constraints(
    ds: Dataset, codes: list[str], keep_together, keep_existing, include, notes: list[str]
) -> tuple[list[list[str]], set[str]]:
    """Keep-together groups (the user's and, if asked, the existing collaborations') and must-join
    codes."""
    index = set(codes)
    groups = _parse_groups(ds, keep_together)
    if keep_existing:
        ex = [[c for c in g if c in index] for g in existing_groups(ds, keep_existing)]
        ex = [g for g in ex if len(g) > 1]
        notes.append(
            f"kept together: members of {len(ex)} active collaboration(s) in area {keep_existing}"
        )
        groups += ex
    for g in groups:
        outside = [c for c in g if c not in index]
        if outside:
            raise InfeasibleError(
                f"keep-together group {', '.join(g)}: {', '.join(outside)} not in the region (or "
                "excluded)"
            )
    groups, merge_notes = _merge_groups(groups) if groups else ([], [])
    notes += merge_notes
    must = set(ds.codes(list(include))) if include else set()
    for c in sorted(must):
        if c not in index:
            raise InfeasibleError(f"{c} must be included but is not in the region (or is excluded)")
    return groups, must


def _proof(solved: _Solved, notes: list[str]) -> dict:
    """Objective, bound, gap and status as the result states them."""
    bound, objective, status = solved.bound, solved.objective, solved.status
    if status == "optimal" and bound is not None:
        bound = max(bound, objective)
    gap = None if bound is None else max(0.0, (bound - objective) / max(1.0, abs(bound)))
    if gap is not None and gap < 1e-9:
        gap = 0.0
    greedy = solved.greedy_objective
    if status != "optimal" and greedy is not None and greedy > objective + 1e-6:
        notes.append("warning: the greedy merge beat the search's incumbent within the time limit")
    return {
        "objective": round(objective, 4),
        "bound": None if bound is None else round(bound, 4),
        "gap": gap,
        "status": status,
        "greedy_objective": None if greedy is None else round(greedy, 4),
        "n_candidates": int(solved.n_candidates),
    }


def _result_frame(
    ds: Dataset, reg: _Region, solved: _Solved, costs: CostModel, excluded: set[str]
) -> gpd.GeoDataFrame:
    """One row per cluster (and per excluded municipality), best first, with the members' union as
    geometry."""
    index = {c: i for i, c in enumerate(reg.codes)}
    rows = _rows([[index[c] for c in p] for p in solved.parts], reg, costs, ds)
    rows["excluded"] = False
    if excluded:
        names = ds.kommuner["kommunenavn"]
        ex_rows = pd.DataFrame(
            [
                {
                    "members": c,
                    "member_names": names[c],
                    "n_members": 1,
                    "innbyggere": int(ds.kommuner.at[c, "innbyggere"]),
                    **{col: 0.0 for col in SCORE_COLUMNS},
                    "largest_member": f"{c} {names[c]}",
                    "largest_share": 1.0,
                    "hub": "",
                    "shared_collaborations": "",
                    "alone": True,
                    "excluded": True,
                }
                for c in sorted(excluded)
            ]
        )
        rows = pd.concat([rows, ex_rows], ignore_index=True)
    rows = rows.sort_values(
        ["excluded", "score", "members"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
    rows.insert(0, "cluster_id", [f"K{i + 1:02d}" for i in range(len(rows))])
    geom = [ds.kommuner.geometry.loc[m.split(",")].union_all() for m in rows["members"]]
    return gpd.GeoDataFrame(rows, geometry=geom, crs=ds.kommuner.crs)


def cluster_assignment(clusters: gpd.GeoDataFrame) -> pd.Series:
    """Return the cluster of each municipality as a Series on kommunenummer."""
    a = clusters.attrs.get("assignment") or {
        c: cid for cid, m in zip(clusters["cluster_id"], clusters["members"]) for c in m.split(",")
    }
    s = pd.Series(a, name="cluster_id")
    s.index.name = "kommunenummer"
    return s.sort_index()


def score_clusters(
    ds: Dataset,
    groups: Iterable[Municipalities],
    *,
    costs: CostModel | None = None,
    graph: nx.Graph | None = None,
    model: PartnerModel | None = None,
) -> pd.DataFrame:
    """Score given groups of municipalities (e.g. another method's partition) the same way.

    Parameters
    ----------
    ds : Dataset
    groups : iterable of codes or names
        Each group a list (or comma-separated string) of municipalities.
    costs : CostModel, optional
        The money beside the score (default: the embedded cost model).
    graph : networkx.Graph, optional
        A precomputed :func:`municipality_graph`, for the ``connected`` column.
    model : PartnerModel, optional
        Default: the shipped model.

    Returns
    -------
    pandas.DataFrame
        One row per group with the columns of :func:`candidate_clusters` (money parts,
        ``affinity_mean``, ``score``) and ``connected``.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> s = score_clusters(ds, [["Gol", "Ål", "Hol"]])
    >>> bool(s.loc[0, "score"] > 0), bool(s.loc[0, "connected"])
    (True, True)
    """
    costs = as_cost_model(costs)
    G = graph if graph is not None else municipality_graph(ds)
    groups = [ds.codes(g) for g in groups]
    codes = sorted({c for g in groups for c in g})
    reg = _region(ds, codes, G, costs, {"model": model} if model else None)
    index = {c: i for i, c in enumerate(codes)}
    rows = _rows([[index[c] for c in g] for g in groups], reg, costs, ds)
    rows["connected"] = [is_connected(G, g) for g in groups]
    return rows
