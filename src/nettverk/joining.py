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
- travel and dispersion from the host (or the largest member) to the newcomer, as in the
  cluster model;
- whether the area stays contiguous, and the ties to the members (commuting, other shared
  collaborations, same BA-region);
- the partner model's affinity of the candidate to the members (:mod:`nettverk.partner_model`,
  with every network feature computed without this collaboration), and its parts.

Ranking (``rank_by="tiers"``, the default): first the candidates that touch the area and leave
everyone at least as well off (``tier`` 1), then those where an entry fee can make it so (2),
then contiguous ones that make members pay more whatever the fee (3), then candidates that do not
touch the area (4), and last, in areas that need a connection (``bredband``, ``nett``), candidates
whose digging cost is unknown because the road network does not reach them (5). Within a tier,
the higher affinity ranks first. ``rank_by="affinity"`` ranks by the affinity alone. Digging is
charged only in the areas that need a connection.

Area weights (assumption, A): the operations model prices full ICT operations (``drift``);
other areas are a share of that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from ._errors import DataValidationError, NettverkError
from ._validate import AREAS, normalise_term
from .allocation import key_shares, parse_key
from .costs import CostModel, as_cost_model
from .dataset import Dataset
from .graph import centres, municipality_graph, pair_ties
from .partner_model import FEATURES, PartnerModel, group_affinity, load_partner_model
from ._types import Municipalities, Municipality

__all__ = [
    "joining_effect",
    "best_areas_for",
    "JoiningResult",
    "AREA_WEIGHTS",
    "area_cost",
    "DIG_AREAS",
    "TIERS",
]

#: Areas whose newcomer must be connected by a trench (digging is charged only there).
DIG_AREAS = ("bredband", "nett")

#: The ranking tiers, best first, and what each means (bokmål).
TIERS = {
    1: "vinn-vinn: ingen betaler mer",
    2: "vinn-vinn med inngangsbillett",
    3: "medlemmer betaler mer",
    4: "grenser ikke til området",
    5: "ukjent gravekostnad",
}

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


@dataclass
class JoiningResult:
    """Result of :func:`joining_effect`.

    Attributes
    ----------
    candidates : geopandas.GeoDataFrame
        One row per candidate, ranked (``rank``), with every score part.
    members : pandas.DataFrame
        Long table: candidate x member with ``share_before_nok``, ``share_after_nok``,
        ``change_nok`` and ``loses``.
    info : dict
        The collaboration, area, members, key, joint cost before and notes.
    """

    candidates: gpd.GeoDataFrame
    members: pd.DataFrame
    info: dict = field(default_factory=dict)

    def member_table(self, candidate) -> pd.DataFrame:
        """The before/after table of every member for one candidate (code)."""
        code = str(candidate)
        return (
            self.members[self.members["candidate"] == code]
            .drop(columns="candidate")
            .reset_index(drop=True)
        )


class _Context:
    """What every evaluation needs, computed once per dataset."""

    def __init__(
        self,
        ds: Dataset,
        costs: CostModel,
        graph: nx.Graph | None,
        digging: bool,
        model: PartnerModel | None = None,
    ) -> None:
        self.ds = ds
        self.costs = costs
        self.model = model or load_partner_model()
        self.G = graph if graph is not None else municipality_graph(ds)
        k = ds.kommuner
        self.codes = list(k.index)
        self.idx = {c: i for i, c in enumerate(self.codes)}
        self.pop = k["innbyggere"].to_numpy(dtype=float)
        n = len(self.codes)
        self.commute = np.zeros((n, n))
        self.ba = (
            k["ba_region"].to_numpy(dtype=object) if "ba_region" in k.columns else np.full(n, None)
        )
        t = pair_ties(ds)
        for r in t.itertuples(index=False):
            if r.u in self.idx and r.v in self.idx:
                i, j = self.idx[r.u], self.idx[r.v]
                self.commute[i, j] = self.commute[j, i] = r.commuters
        med = ds.active_memberships()
        self.collabs_of = (
            med.groupby("kommunenummer")["samarbeid_id"].agg(lambda s: set(s)).to_dict()
        )
        self.members_of = (
            med.groupby("samarbeid_id")["kommunenummer"].agg(lambda s: set(s)).to_dict()
        )
        self.names = k["kommunenavn"].to_dict()
        cen = centres(ds)
        self.xy = np.column_stack([cen.x.to_numpy(), cen.y.to_numpy()])
        self.adj = nx.to_numpy_array(self.G, nodelist=self.codes, weight=None).astype(bool)
        self.dig = None
        if digging and ds.veger is not None and len(ds.veger):
            self.dig = _DigDistances(ds, costs)


class _DigDistances:
    """Cheapest trench cost from a set of centres to every centre, over the corridor graph."""

    def __init__(self, ds: Dataset, costs: CostModel) -> None:
        from scipy.spatial import cKDTree

        from .digging import corridor_graph
        from .steiner import _to_csr

        G = corridor_graph(ds, costs=costs)
        self.A, nodes, _ = _to_csr(G, "weight")
        xy = np.array(nodes, dtype=float)
        c = centres(ds)
        pts = np.column_stack([c.x.to_numpy(), c.y.to_numpy()])
        d, i = cKDTree(xy).query(pts)
        self.node = dict(zip(c.index, i))
        self.snap_nok = dict(zip(c.index, d * (costs.trench_rural_nok_m + costs.cable_nok_m)))

    def from_members(self, members: list[str]) -> dict[str, float]:
        from scipy.sparse.csgraph import dijkstra

        src = sorted({self.node[m] for m in members})
        dist = dijkstra(self.A, indices=src, min_only=True)
        return {c: float(dist[n]) + self.snap_nok[c] for c, n in self.node.items()}


def _resolve_collab(ds: Dataset, collaboration: str, include_inactive: bool) -> pd.Series:
    sam = ds.samarbeid
    hit = sam[
        (sam["id"] == collaboration) | (sam["navn"].str.casefold() == str(collaboration).casefold())
    ]
    if hit.empty:
        valid = ", ".join(ds.active_collaborations(include_inactive=include_inactive)["id"])
        raise DataValidationError(f"unknown collaboration {collaboration!r}; valid ones: {valid}")
    row = hit.iloc[0]
    if row["status"] != "aktiv" and not include_inactive:
        raise DataValidationError(
            f"collaboration {row['id']!r} is {row['status']}, not a candidate for joining; "
            "pass include_inactive=True (CLI: --include-inactive) to evaluate it anyway"
        )
    return row


def _areas_of(ds: Dataset, cid: str) -> list[str]:
    med = ds.medlemskap[ds.medlemskap["samarbeid_id"] == cid]
    return [a for a in AREAS if a in set(med["omrade"])]


def _key_for(
    ds: Dataset, cid: str, area: str, members: list[str], key: str | None, costs: CostModel
):
    med = ds.medlemskap[(ds.medlemskap["samarbeid_id"] == cid) & (ds.medlemskap["omrade"] == area)]
    shares = dict(zip(med["kommunenummer"], med["andel"]))
    if key is None:
        if all(pd.notna(shares.get(m)) for m in members) and members:
            return "shares", 0.0, shares, "samarbeidets egne eierandeler (medlemskap.andel)"
        return (
            "hybrid",
            costs.key_equal_share,
            shares,
            (
                f"kostnadsmodellens standard {costs.key_equal_share:.0%} likt / "
                f"{1 - costs.key_equal_share:.0%} etter "
                "innbyggertall (dataene gir ingen nøkkel for dette samarbeidet)"
            ),
        )
    kind, eq = parse_key(key, default_equal=costs.key_equal_share)
    if kind in ("shapley", "bird"):
        raise NettverkError(
            f"key {key!r} is not available for joining; use equal, population, a/b or shares"
        )
    return kind, eq, shares, f"nøkkel {key}"


def _share_matrix(
    kind: str, eq: float, base: np.ndarray, pm: np.ndarray, pc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Fractions after each candidate joins: (N x k members, N newcomer), rows sum to 1.

    ``base`` are the members' own fractions before (used by the ``shares`` key: existing
    ownership shares scale down and the newcomer gets its population share).
    """
    k = len(pm)
    total = pm.sum() + pc  # N
    if kind == "shares":
        newc = pc / total
        return base[None, :] * (1 - newc)[:, None], newc
    eq_part = 1.0 / (k + 1)
    pop_m = pm[None, :] / total[:, None]
    pop_c = pc / total
    if kind == "equal":
        return np.full((len(pc), k), eq_part), np.full(len(pc), eq_part)
    if kind == "population":
        return pop_m, pop_c
    return eq * eq_part + (1 - eq) * pop_m, eq * eq_part + (1 - eq) * pop_c


@dataclass(frozen=True)
class _Money:
    """The money of each candidate joining one area (arrays over the candidates)."""

    kind: str
    eq: float
    key_note: str
    weight: float
    before_total: float
    before: np.ndarray  # members' shares before
    after_total: np.ndarray
    after_m: np.ndarray  # candidates x members
    after_c: np.ndarray
    standalone: np.ndarray
    change: np.ndarray  # candidates x members
    newcomer_gain: np.ndarray
    win: np.ndarray
    fee_lo: np.ndarray
    fee_hi: np.ndarray
    fee_ok: np.ndarray


def _money(
    ctx: _Context,
    cid: str,
    area: str,
    members: list[str],
    pm: np.ndarray,
    pc: np.ndarray,
    key: str | None,
) -> _Money:
    """Before and after for the members and the newcomer, the win-win test and the fee interval."""
    costs = ctx.costs
    kind, eq, shares, key_note = _key_for(ctx.ds, cid, area, members, key, costs)
    w = AREA_WEIGHTS.get(area, 1.0)
    before_total = area_cost(pm, area, costs)
    if kind == "shares":
        base = np.array([shares[m] for m in members], dtype=float)
        base = base / base.sum()
    else:
        base = key_shares(
            members, kind=kind, population={m: ctx.pop[ctx.idx[m]] for m in members}, equal_part=eq
        ).to_numpy()
    before = base * before_total
    after_total = w * (
        costs.scale_a * np.power(pm.sum() + pc, costs.scale_beta) + costs.overhead(len(members) + 1)
    )
    fm, fc = _share_matrix(kind, eq, base, pm, pc)
    after_m = fm * after_total[:, None]
    after_c = fc * after_total
    standalone = w * costs.scale_a * np.power(pc, costs.scale_beta)
    change = after_m - before[None, :]
    newcomer_gain = standalone - after_c
    win = (newcomer_gain >= -1e-6) & ~(change > 1e-6).any(axis=1)
    wts = after_m / after_m.sum(axis=1, keepdims=True)
    lo = np.maximum(0.0, np.where(wts > 0, change / np.where(wts > 0, wts, 1), 0).max(axis=1))
    return _Money(
        kind,
        eq,
        key_note,
        w,
        before_total,
        before,
        after_total,
        after_m,
        after_c,
        standalone,
        change,
        newcomer_gain,
        win,
        lo,
        newcomer_gain,
        lo <= newcomer_gain + 1e-6,
    )


def _ties(
    ctx: _Context,
    cid: str,
    members: list[str],
    candidates: list[str],
    mi: np.ndarray,
    ci: np.ndarray,
) -> dict:
    """Contiguity (the candidate touches every connected part of the area), commuting, shared
    ties."""
    comps = [
        np.array([ctx.idx[c] for c in comp])
        for comp in nx.connected_components(ctx.G.subgraph(members))
    ]
    contiguous = np.ones(len(ci), dtype=bool)
    for comp in comps:
        contiguous &= ctx.adj[np.ix_(ci, comp)].any(axis=1)
    others = (
        set().union(*[ctx.collabs_of.get(m, set()) for m in members]) - {cid} if members else set()
    )
    return {
        "contiguous": contiguous,
        "commuters": ctx.commute[np.ix_(ci, mi)].sum(axis=1).astype(int),
        "shared_collaborations": [
            ",".join(sorted(ctx.collabs_of.get(c, set()) & others)) for c in candidates
        ],
        "same_ba_region": (ctx.ba[mi][None, :] == ctx.ba[ci][:, None]).sum(axis=1).astype(int),
    }


def _distance(
    ctx: _Context,
    area: str,
    members: list[str],
    candidates: list[str],
    ci: np.ndarray,
    hub: str | None,
    money: _Money,
) -> dict:
    """Digging from the nearest member (areas that need a connection; unknown where no road reaches)
    and travel."""
    costs = ctx.costs
    needs_dig = area in DIG_AREAS
    if ctx.dig is not None and members and needs_dig:
        dmap = ctx.dig.from_members(members)
        dig = np.array([dmap.get(c, np.nan) for c in candidates])
    else:
        dig = np.full(len(ci), np.nan) if needs_dig else np.zeros(len(ci))
    dig = np.where(np.isfinite(dig), dig, np.nan)  # unreachable over roads and ferries: unknown
    km = np.zeros(len(ci))
    if hub is not None:
        hx, hy = ctx.xy[ctx.idx[hub]]
        km = np.hypot(ctx.xy[ci, 0] - hx, ctx.xy[ci, 1] - hy) / 1000
    w = money.weight
    travel = w * (
        km * costs.travel_per_km() + money.standalone / w * km * costs.dispersion_per_100km / 100
    )
    return {
        "dig": dig,
        "dig_annual": dig * costs.annuity(1.0),
        "km": km,
        "travel": travel,
        "dig_unknown": needs_dig & ~np.isfinite(dig),
    }


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
    return long


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
    pm, pc = ctx.pop[mi], ctx.pop[ci]
    money = _money(ctx, cid, area, members, pm, pc, key)
    ties = _ties(ctx, cid, members, candidates, mi, ci)
    hub = host if host in ctx.idx else (members[int(np.argmax(pm))] if members else None)
    dist = _distance(ctx, area, members, candidates, ci, hub, money)
    group_gain = money.standalone + money.before_total - money.after_total
    net_gain = (
        group_gain
        - dist["travel"]
        - np.where(np.isfinite(dist["dig_annual"]), dist["dig_annual"], 0.0)
    )
    aff = group_affinity(ctx.ds, members, candidates, ctx.model, exclude=cid) if members else None
    tier = np.where(money.win, 1, np.where(money.fee_ok, 2, 3))
    tier = np.where(ties["contiguous"], tier, 4)
    tier = np.where(dist["dig_unknown"], 5, tier)
    money_cols = {
        "group_gain_nok": group_gain.round(1),
        "net_gain_nok": net_gain.round(1),
        "tier": tier,
    }
    df = _candidate_frame(
        ctx, cid, area, members, candidates, pc, money, ties, dist, aff, money_cols
    )
    info = {
        "samarbeid_id": cid,
        "omrade": area,
        "members": members,
        "key": money.kind,
        "key_equal_part": money.eq,
        "key_note": money.key_note,
        "joint_before_nok": round(money.before_total, 1),
        "area_weight": money.weight,
        "hub": hub,
    }
    return df, _long_table(candidates, members, money, ctx.names), info


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
            "travel_nok": dist["travel"].round(1),
            "contiguous": ties["contiguous"],
            "commuters": ties["commuters"],
            "shared_collaborations": ties["shared_collaborations"],
            "same_ba_region": ties["same_ba_region"],
            "group_gain_nok": extra["group_gain_nok"],
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
        ``tiers`` (default): win-win and contiguous candidates first, then by affinity;
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
                f"collaboration {cid!r} has no area {area!r}; its areas are {', '.join(areas)}"
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
    rows = []
    for r in sam.itertuples(index=False):
        for area in _areas_of(ds, r.id):
            med = ds.medlemskap[
                (ds.medlemskap["samarbeid_id"] == r.id) & (ds.medlemskap["omrade"] == area)
            ]
            members = sorted(set(med["kommunenummer"]))
            if code in members:
                continue
            host = r.vertskommune if isinstance(r.vertskommune, str) and r.vertskommune else None
            df, _, _ = _evaluate(ctx, r.id, area, members, [code], key, host=host)
            rows.append(df)
    if not rows:
        raise DataValidationError(f"{code} is in every active collaboration area already")
    return _rank(pd.concat(rows, ignore_index=True), rank_by)


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
