"""Joining existing areas: what a newcomer changes for every member, and who gains.

For one area of one collaboration (say IKT Agder's ``drift``), every candidate municipality
is evaluated joining it:

- the joint cost before and after (cost model: ``a * P**beta`` of the summed population
  times the area's weight, plus coordination overhead), split by the collaboration's key;
- every member's share before and after, the newcomer's standalone cost vs its share;
- ``win_win``: the newcomer pays less than alone and no member pays more than before;
- the entry-fee interval that would keep everyone at least as well off, when one exists;
- extra digging to reach the newcomer's centre from the nearest member centre (one
  multi-source Dijkstra over the corridor graph);
- the group's economics before and after (:func:`~nettverk.models.economics.group_economics`:
  joint, coordination and travel to the most populous member), as in the cluster model;
- whether the candidate borders the area and joins all its parts (:func:`contiguity`), and the
  ties to the members (commuting, other shared collaborations, same BA-region);
- the partner model's affinity of the candidate to the members (:mod:`nettverk.models.partner`,
  with every network feature computed without this collaboration), and its parts.

Ranking (``rank_by="tiers"``, the default): first the candidates that touch the area and leave
everyone at least as well off (``tier`` 1), then those where an entry fee can make it so (2),
then those joining the area that make members pay more whatever the fee (3), then candidates
that do not reach every part of the area (4), and last, in areas that need a connection
(``bredband``, ``nett``), candidates whose digging cost is unknown because the road network does
not reach them (5). Within a tier,
the higher affinity ranks first. ``rank_by="affinity"`` ranks by the affinity alone. Digging is
charged only in the areas that need a connection.

Area weights (assumption, A): the operations model prices full ICT operations (``drift``);
other areas are a share of that.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError
from nettverk._types import Municipalities, Municipality
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import did_you_mean
from nettverk.data.vocab import AREAS, normalise_term
from nettverk.models.costs import CostModel, as_cost_model
from nettverk.models.partner.affinity import group_affinity
from nettverk.models.partner.features import FEATURES
from nettverk.models.partner.model import PartnerModel

from .context import (
    TIERS,
    JoiningResult,
    _areas_of,
    _Context,
    _distance,
    _Money,
    _money,
    _resolve_collab,
    _ties,
)

__all__ = ["joining_effect", "best_areas_for", "joining_sensitivity"]


def _long_table(
    candidates: list[str], members: list[str], money: _Money, names: pd.Series
) -> pd.DataFrame:
    """Every member and the newcomer, before and after, for each candidate."""
    n, k = len(candidates), len(members)
    long = pd.DataFrame(
        {
            "candidate": np.repeat(candidates, k + 1),
            "kommunenummer": np.tile(members + ["*"], n),
            "share_before_nok": np.column_stack([np.tile(money.before, (n, 1)), money.standalone])
            .ravel()
            .round(1),
            "share_after_nok": np.column_stack([money.after_m, money.after_c]).ravel().round(1),
        }
    )
    new = long["kommunenummer"] == "*"
    long.loc[new, "kommunenummer"] = long.loc[new, "candidate"]
    long["kommunenavn"] = long["kommunenummer"].map(names)
    long["change_nok"] = (long["share_after_nok"] - long["share_before_nok"]).round(1)
    long["loses"] = long["change_nok"] > 1e-3
    long["role"] = np.tile(["medlem"] * k + ["nykommer"], n)
    long["candidate_name"] = long["candidate"].map(names)
    order = ["candidate", "candidate_name", "kommunenummer", "kommunenavn", "role"]
    return long[order + [c for c in long.columns if c not in order]]


def _evaluate(
    ctx: _Context,
    cid: str,
    area: str,
    members: list[str],
    candidates: list[str],
    key: str | None,
    host: str | None = None,
):
    """Rows for each candidate joining one area, and the long member table (vectorised).

    The steps: the money (:func:`_money`), the ties (:func:`_ties`), digging and travel
    (:func:`_distance`), the partner model's affinity, and the tier.
    """
    mi = np.array([ctx.idx[m] for m in members], dtype=int)
    ci = np.array([ctx.idx[c] for c in candidates], dtype=int)
    pc = ctx.pop[ci]
    money = _money(ctx, cid, area, members, mi, ci, key)
    ties = _ties(ctx, cid, members, candidates, mi, ci)
    hub = money.hub_before
    dist = _distance(ctx, area, members, candidates, ci, hub, money)
    # the enlarged group's gain against the members together and the newcomer alone: joint,
    # coordination and travel included (the one economics); then the extra digging per year
    group_gain = money.standalone + money.before_total - money.after_total
    net_gain = group_gain - np.where(np.isfinite(dist["dig_annual"]), dist["dig_annual"], 0.0)
    aff = group_affinity(ctx.ds, members, candidates, ctx.model, exclude=cid) if members else None
    tier = np.where(money.win, 1, np.where(money.fee_ok, 2, 3))
    tier = np.where(ties["joins_parts"], tier, 4)
    tier = np.where(dist["dig_unknown"], 5, tier)
    ends = _money_ends(ctx, cid, area, members, mi, ci, key)
    money_cols = {
        **ends,
        "win_win_robust": money.win & ends.pop("_win_low") & ends.pop("_win_high"),
        "group_gain_nok": group_gain.round(1),
        "net_gain_nok": net_gain.round(1),
        "tier": tier,
    }
    df = _candidate_frame(
        ctx, cid, area, members, candidates, pc, money, ties, dist, aff, money_cols
    )
    long = _long_table(candidates, members, money, ctx.names)
    money_form = ctx.ds.layers().get(cid, "other") == "other"
    if not money_form:
        df, long = _no_money(df, long)
    info = {
        "samarbeid_id": cid,
        "money": money_form,
        "omrade": area,
        "members": members,
        "key": money.kind,
        "key_equal_part": money.eq,
        "key_note": money.key_note,
        "joint_before_nok": round(money.before_total, 1),
        "area_weight": money.weight,
        "hub": hub,
    }
    return df, long, info


def _money_ends(ctx, cid, area, members, mi, ci, key) -> dict:
    """The newcomer's gain and the members' change at the pessimistic and optimistic ends of
    every range (:meth:`CostModel.scenario`), and whether it is win-win there too."""
    import copy

    runs = {"base": _money(ctx, cid, area, members, mi, ci, key)}
    for kind in ("pessimistic", "optimistic"):
        c = copy.copy(ctx)
        c.costs = ctx.costs.scenario(kind)
        runs[kind] = _money(c, cid, area, members, mi, ci, key)
    gain = np.vstack([m.newcomer_gain for m in runs.values()])
    change = np.vstack([m.change.sum(axis=1) for m in runs.values()])
    return {  # the range over the base and both ends (ordered whatever the quantity)
        "newcomer_gain_low_nok": gain.min(axis=0).round(1),
        "newcomer_gain_high_nok": gain.max(axis=0).round(1),
        "members_change_low_nok": change.min(axis=0).round(1),
        "members_change_high_nok": change.max(axis=0).round(1),
        "_win_low": runs["pessimistic"].win,
        "_win_high": runs["optimistic"].win,
    }


#: The money columns of a join: blank for a collaboration that has no budget to share.
MONEY_COLUMNS = (
    "joint_before_nok",
    "joint_after_nok",
    "joint_change_nok",
    "standalone_nok",
    "share_after_nok",
    "newcomer_gain_nok",
    "newcomer_gain_low_nok",
    "newcomer_gain_high_nok",
    "members_change_nok",
    "members_change_low_nok",
    "members_change_high_nok",
    "fee_min_nok",
    "fee_max_nok",
    "entry_cost_nok",
    "travel_change_nok",
    "group_gain_nok",
    "net_gain_nok",
)


def _no_money(df: pd.DataFrame, long: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A regional council or digitalisation network coordinates; it runs no service with a cost
    to share, so a join there is judged on the map and the ties alone, never in MNOK/år."""
    df = df.copy()
    for col in MONEY_COLUMNS:
        df[col] = np.nan
    df["losers"] = ""
    df["win_win"] = None  # no money, no win-win test
    df["win_win_robust"] = None
    df["tier"] = np.where(df["joins_parts"], 1, 4)
    df["tier_text"] = np.where(
        df["joins_parts"], "samordning uten felles budsjett", "når ikke alle deler av området"
    )
    long = long.copy()
    for col in ("share_before_nok", "share_after_nok", "change_nok"):
        long[col] = np.nan
    long["loses"] = False
    return df, long


def _candidate_frame(
    ctx: _Context,
    cid: str,
    area: str,
    members: list[str],
    candidates: list[str],
    pc: np.ndarray,
    money: _Money,
    ties: dict,
    dist: dict,
    aff: pd.DataFrame | None,
    extra: dict,
) -> pd.DataFrame:
    """One row per candidate with every part: money, digging, ties, affinity and its parts."""
    costs = ctx.costs
    tier = extra["tier"]
    n = len(candidates)
    affinity = aff["affinity"].to_numpy() if aff is not None else np.zeros(n)
    return pd.DataFrame(
        {
            "samarbeid_id": cid,
            "omrade": area,
            "candidate": candidates,
            "kommunenavn": [ctx.names[c] for c in candidates],
            "innbyggere": pc.astype(int),
            "joint_before_nok": round(money.before_total, 1),
            "joint_after_nok": money.after_total.round(1),
            "joint_change_nok": (money.after_total - money.before_total).round(1),
            "standalone_nok": money.standalone.round(1),
            "share_after_nok": money.after_c.round(1),
            "newcomer_gain_nok": money.newcomer_gain.round(1),
            "members_change_nok": money.change.sum(axis=1).round(1),
            "losers": [",".join(np.asarray(members)[row]) for row in money.change > 1e-6],
            "win_win": money.win,
            "fee_min_nok": np.where(money.fee_ok, money.fee_lo, np.nan).round(1),
            "fee_max_nok": np.where(money.fee_ok, money.fee_hi, np.nan).round(1),
            "entry_cost_nok": costs.join_full_operations_nok
            if area == "drift"
            else costs.join_single_service_nok,
            "dig_extra_nok": dist["dig"].round(1),
            "dig_extra_annual_nok": dist["dig_annual"].round(1),
            "km_to_hub": dist["km"].round(1),
            "travel_change_nok": dist["travel"].round(1),
            "borders_area": ties["borders_area"],
            "joins_parts": ties["joins_parts"],
            "commuters": ties["commuters"],
            "shared_collaborations": ties["shared_collaborations"],
            "same_ba_region": ties["same_ba_region"],
            "group_gain_nok": extra["group_gain_nok"],
            **{
                k: extra[k]
                for k in (
                    "newcomer_gain_low_nok",
                    "newcomer_gain_high_nok",
                    "members_change_low_nok",
                    "members_change_high_nok",
                    "win_win_robust",
                )
            },
            "net_gain_nok": extra["net_gain_nok"],
            "dig_unknown": dist["dig_unknown"],
            "tier": tier,
            "tier_text": [TIERS[t] for t in tier],
            "affinity": affinity.round(4),
            "score": affinity.round(4),
            **{
                f"aff_{f}": (
                    aff[f"contrib_{f}"].to_numpy() if aff is not None else np.zeros(n)
                ).round(4)
                for f in FEATURES
            },
        }
    )


def _rank(df: pd.DataFrame, rank_by: str = "tiers") -> pd.DataFrame:
    if rank_by not in ("tiers", "affinity"):
        raise DataValidationError(f"unknown ranking {rank_by!r}; use tiers or affinity")
    keys = (["tier"] if rank_by == "tiers" else []) + ["score", "candidate"]
    asc = ([True] if rank_by == "tiers" else []) + [False, True]
    df = df.sort_values(keys, ascending=asc, kind="stable").reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df


def joining_effect(
    ds: Dataset,
    collaboration: str,
    *,
    area: str | None = None,
    candidates: Municipalities | None = None,
    key: str | None = None,
    costs: CostModel | str | None = None,
    include_inactive: bool = False,
    digging: bool = True,
    graph: nx.Graph | None = None,
    rank_by: str = "tiers",
    model: PartnerModel | None = None,
    _ctx: _Context | None = None,
) -> JoiningResult:
    """Evaluate every candidate joining one area of an existing collaboration.

    Parameters
    ----------
    ds : Dataset
    collaboration : str
        Id (``ikt-agder``) or name of the collaboration.
    area : str, optional
        Service area (``drift``, ``fagsystemer``, ...); default: the area with most members.
    candidates : codes or names, optional
        Default: every municipality not in that area.
    key : str, optional
        ``equal``, ``population``, ``a/b`` (e.g. ``30/70``) or ``shares``; default: the
        collaboration's own shares where the data has them, else the cost model's default.
    include_inactive : bool
        Evaluate a historical or dissolved collaboration too.
    digging : bool
        Estimate the extra digging to reach each newcomer (areas ``bredband`` and ``nett``).
    rank_by : {"tiers", "affinity"}
        ``tiers`` (default): win-win candidates that join every part of the area first, then by
        affinity;
        ``affinity``: by the partner model's affinity alone.
    model : PartnerModel, optional
        Default: the shipped partner model.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> r = joining_effect(ds, "ikt-agder", area="drift", candidates=["Kristiansand", "Bykle"])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nettverk._errors.DataValidationError: Bykle (4222) is already a member of ikt-agder/drift; ...
    >>> r = joining_effect(ds, "ikt-agder", area="drift", candidates=["Kristiansand", "Lillesand"])
    >>> c = r.candidates
    >>> list(c["rank"]), bool(c["joint_after_nok"].gt(c["joint_before_nok"]).all())
    ([1, 2], True)
    """
    costs = as_cost_model(costs)
    row = _resolve_collab(ds, collaboration, include_inactive)
    cid = row["id"]
    areas = _areas_of(ds, cid)
    notes = []
    if area is None:
        med = ds.medlemskap[ds.medlemskap["samarbeid_id"] == cid]
        counts = med.groupby("omrade")["kommunenummer"].nunique()
        area = max(areas, key=lambda a: (counts.get(a, 0), -AREAS.index(a)))
        if len(areas) > 1:
            notes.append(f"område ikke oppgitt: vurderte {area} (av {', '.join(areas)})")
    else:
        t = normalise_term(area)
        if t not in areas:
            raise DataValidationError(
                f"collaboration {cid!r} has no area {area!r}{did_you_mean(area, areas)}; its "
                f"areas are {', '.join(areas)}"
            )
        area = t
    med = ds.medlemskap[(ds.medlemskap["samarbeid_id"] == cid) & (ds.medlemskap["omrade"] == area)]
    members = sorted(set(med["kommunenummer"]))
    if candidates is None:
        cands = [c for c in ds.kommuner.index if c not in set(members)]
    else:
        cands = ds.codes(candidates)
        inside = [c for c in cands if c in set(members)]
        if inside:
            names = ", ".join(f"{ds.kommuner.at[c, 'kommunenavn']} ({c})" for c in inside)
            raise DataValidationError(
                f"{names} is already a member of {cid}/{area}; candidates must be outside the area"
            )
    ctx = _ctx or _Context(ds, costs, graph, digging, model)
    host = (
        row["vertskommune"]
        if isinstance(row["vertskommune"], str) and row["vertskommune"]
        else None
    )
    df, long, info = _evaluate(ctx, cid, area, members, cands, key, host=host)
    df = _rank(df, rank_by)
    info["notes"] = notes
    info["navn"] = row["navn"]
    if _ctx is not None:
        return JoiningResult(df, long, info)
    geom = ds.kommuner.geometry.reindex(df["candidate"]).values
    return JoiningResult(gpd.GeoDataFrame(df, geometry=geom, crs=ds.kommuner.crs), long, info)


def best_areas_for(
    ds: Dataset,
    kommunenummer: Municipality,
    *,
    key: str | None = None,
    costs: CostModel | str | None = None,
    include_inactive: bool = False,
    digging: bool = True,
    graph: nx.Graph | None = None,
    rank_by: str = "tiers",
    model: PartnerModel | None = None,
) -> pd.DataFrame:
    """Rank every active collaboration area one municipality is not in, with the same columns.

    Parameters
    ----------
    ds : Dataset
    kommunenummer : code or name
        The municipality that might join.
    key, costs, include_inactive, digging, graph, rank_by, model
        As in :func:`joining_effect`, applied to every area.

    Returns
    -------
    pandas.DataFrame
        One row per (collaboration, area), ranked, with ``samarbeid_id``, ``omrade`` and the
        columns of :attr:`JoiningResult.candidates`.

    Examples
    --------
    >>> ds = nv.load_default()
    >>> b = best_areas_for(ds, "Bykle")
    >>> bool(("ikt-agder" == b["samarbeid_id"]).any())   # Bykle is already in IKT Agder
    False
    """
    costs = as_cost_model(costs)
    code = ds.code(kommunenummer)
    ctx = _Context(ds, costs, graph, digging, model)
    sam = ds.active_collaborations(include_inactive=include_inactive)
    current = _current_arrangements(ctx, code, key)
    rows = []
    for r in sam.itertuples(index=False):
        for area in _areas_of(ds, r.id):
            members = _members(ds, r.id, area)
            if code in members:
                continue
            host = r.vertskommune if isinstance(r.vertskommune, str) and r.vertskommune else None
            df, _, _ = _evaluate(ctx, r.id, area, members, [code], key, host=host)
            rows.append(_against_current(df, current.get(area), ctx.names, costs))
    if not rows:
        raise DataValidationError(f"{code} is in every active collaboration area already")
    return _rank(pd.concat(rows, ignore_index=True), rank_by)


def _members(ds: Dataset, cid: str, area: str) -> list[str]:
    med = ds.medlemskap
    return sorted(
        set(med.loc[(med["samarbeid_id"] == cid) & (med["omrade"] == area), "kommunenummer"])
    )


def _current_arrangements(ctx: _Context, code: str, key: str | None) -> dict[str, tuple]:
    """Per area: the service collaborations the municipality is in now (not councils or
    networks), and its share there per year under each one's own key."""
    ds = ctx.ds
    layer = ds.layers()
    med = ds.active_memberships()
    mine = med[(med["kommunenummer"] == code) & (med["samarbeid_id"].map(layer) == "other")]
    out: dict[str, tuple] = {}
    for area, grp in mine.groupby("omrade", sort=True):
        ids, share, behind, stranded = sorted(set(grp["samarbeid_id"])), 0.0, 0.0, 0.0
        for cid in ids:
            others = [m for m in _members(ds, cid, area) if m != code]
            mi = np.array([ctx.idx[m] for m in others], dtype=int)
            money = _money(ctx, cid, area, others, mi, np.array([ctx.idx[code]]), key)
            mine_now = float(money.after_c[0])
            share += mine_now
            # those who stay: their joint cost without it, against what they pay with it
            behind += money.before_total - (float(money.after_total[0]) - mine_now)
            stranded += ctx.costs.stranded_share * mine_now
        out[area] = (ids, share, behind, stranded)
    return out


def _against_current(df: pd.DataFrame, current: tuple | None, names, costs) -> pd.DataFrame:
    """Judge a move against what the municipality has now: where it is already in a
    collaboration for the area, its gain is its share there minus its share here; it must leave,
    paying both during the notice; those left behind pay more each year (the lost scale) and, the
    first year, what of its share stays as cost; a move that costs it more is not win-win."""
    df = df.copy()
    ids, share, behind, stranded = current if current else ([], np.nan, 0.0, 0.0)
    df["current_collaborations"] = ",".join(ids)
    df["must_leave"] = bool(ids)
    base = df["standalone_nok"] if not ids else share
    df["gain_vs_current_nok"] = (base - df["share_after_nok"]).round(1)
    df["exit_overlap_nok"] = costs.exit_notice_years * df["share_after_nok"] if ids else 0.0
    df["left_behind_change_nok"] = round(behind, 1)
    df["left_behind_stranded_nok"] = round(stranded, 1)
    if ids:
        worse = df["gain_vs_current_nok"] < 0
        df.loc[worse, "win_win"] = False
        df.loc[worse, "win_win_robust"] = False
        df.loc[worse & (df["tier"] < 3), "tier"] = 3
        df.loc[worse, "tier_text"] = f"dyrere enn dagens samarbeid ({', '.join(ids)})"
        if behind > 0:
            note = (
                f"; de som blir igjen i {', '.join(ids)} betaler {behind / 1e6:.1f} MNOK/år mer"
            ).replace(".", ",")
            df["tier_text"] = df["tier_text"] + note
    return df


def all_joining(
    ds: Dataset, *, costs: CostModel | None = None, digging: bool = True
) -> pd.DataFrame:
    """Every active collaboration area x every candidate in one table (for overviews and
    benchmarks)."""
    costs = as_cost_model(costs)
    ctx = _Context(ds, costs, None, digging)
    frames = []
    for cid in ds.active_collaborations()["id"]:
        for area in _areas_of(ds, cid):
            frames.append(joining_effect(ds, cid, area=area, costs=costs, _ctx=ctx).candidates)
    return pd.concat(frames, ignore_index=True)


def joining_sensitivity(
    ds: Dataset,
    collaboration: str,
    candidate: Municipality,
    *,
    area: str | None = None,
    key: str | None = None,
    costs: CostModel | str | None = None,
) -> pd.DataFrame:
    """One candidate's join with every economics parameter at its low and high end (one at a time)
    and all at the least and most favourable end: the newcomer's gain, the members' change and
    whether it is still win-win.

    Examples
    --------
    >>> s = joining_sensitivity(nv.load_default(), "hallingdal-ikt", "Nore og Uvdal")
    >>> list(s.columns[:3]), bool(s["newcomer_gain_nok"].notna().all())
    (['scenario', 'parameter', 'level'], True)
    """
    from nettverk.analyses.group import GAIN_PARAMETERS
    from nettverk.models.costs import ALL_RANGES, sensitivity_cases

    base = as_cost_model(costs)
    code = ds.code(candidate)
    rows = []
    for label, name, level, model in sensitivity_cases(base, GAIN_PARAMETERS):
        r = joining_effect(
            ds, collaboration, area=area, candidates=[code], key=key, costs=model, digging=False
        )
        c = r.candidates.iloc[0]
        rows.append(
            {
                "scenario": label,
                "parameter": name or "basis",
                "level": level or "base",
                "value": getattr(model, name) if name not in ("", "*") else None,
                "newcomer_gain_nok": c["newcomer_gain_nok"],
                "members_change_nok": c["members_change_nok"],
                "win_win": bool(c["win_win"]) if c["win_win"] is not None else None,
                "source": ALL_RANGES[name][3] if name in ALL_RANGES else "",
            }
        )
    return pd.DataFrame(rows)
