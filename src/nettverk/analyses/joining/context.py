"""What a join is evaluated against: the collaboration's area, its key, the money and the ties."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from nettverk._errors import DataValidationError, NettverkError
from nettverk.data.columns import percent_text
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import AREAS, did_you_mean
from nettverk.models.allocation import key_shares, parse_key
from nettverk.models.costs import AREA_WEIGHTS, DIG_AREAS, CostModel
from nettverk.models.economics import group_economics, hub_index
from nettverk.models.partner.features import pair_features
from nettverk.models.partner.model import PartnerModel, load_partner_model
from nettverk.network.municipalities import contiguity, municipality_graph, pair_ties
from nettverk.network.sites import centres

__all__ = ["JoiningResult", "TIERS"]


#: The ranking tiers, best first, and what each means (bokmål).
TIERS = {
    1: "vinn-vinn: ingen betaler mer",
    2: "vinn-vinn med inngangsbillett",
    3: "medlemmer betaler mer",
    4: "når ikke alle deler av området",
    5: "ukjent gravekostnad",
}


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
        self.km = pair_features(ds).km  # road-and-ferry km, as the partner model travels
        self.own = ds.own_costs(self.codes)  # the members' own ICT costs (kartlegging), NaN
        self.adj = nx.to_numpy_array(self.G, nodelist=self.codes, weight=None).astype(bool)
        self.dig = None
        if digging and ds.veger is not None and len(ds.veger):
            self.dig = _DigDistances(ds, costs)


class _DigDistances:
    """Cheapest trench cost from a set of centres to every centre, over the priced network."""

    def __init__(self, ds: Dataset, costs: CostModel) -> None:
        from nettverk.models.trench import trench_costs
        from nettverk.network.roads import network

        self.net = network(ds)
        self.cost, _ = trench_costs(self.net, ds, costs, ds.ruter)
        self.centres = centres(ds)
        self.rate = costs.trench_rural_nok_m + costs.cable_nok_m  # the straight trench to a road

    def from_members(self, members: list[str]) -> dict[str, float]:
        cost = self.net.from_sources(
            self.centres.loc[members], self.centres, weight=self.cost, access_per_m=self.rate
        )
        return dict(zip(self.centres.index, cost.tolist()))


def _resolve_collab(ds: Dataset, collaboration: str, include_inactive: bool) -> pd.Series:
    sam = ds.samarbeid
    hit = sam[
        (sam["id"] == collaboration) | (sam["navn"].str.casefold() == str(collaboration).casefold())
    ]
    if hit.empty:
        valid = ", ".join(ds.active_collaborations(include_inactive=include_inactive)["id"])
        known = list(sam["id"]) + list(sam["navn"].astype(str))
        raise DataValidationError(
            f"unknown collaboration {collaboration!r}{did_you_mean(collaboration, known)}; "
            f"valid ones: {valid}"
        )
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
                f"kostnadsmodellens standard {percent_text(costs.key_equal_share)} likt / "
                f"{percent_text(1 - costs.key_equal_share)} etter "
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
    hub_before: str | None = None
    km_to_hub: np.ndarray | None = None  # the newcomer to the enlarged group's hub
    travel_extra: np.ndarray | None = None  # the enlarged group's travel minus the members'


def _economics(ctx: _Context, area: str, mi: np.ndarray, ci: np.ndarray) -> tuple[dict, dict]:
    """The members' group, and the group with each candidate (rows), by the one economics
    (:func:`~nettverk.models.economics.group_economics`; hub: the most populous member)."""
    costs = ctx.costs
    pm = ctx.pop[mi]
    hb = mi[hub_index(pm)[0]] if len(mi) else 0
    before = group_economics(pm, ctx.km[mi, hb], costs, area=area, own=ctx.own[mi])
    idx = np.column_stack([np.tile(mi, (len(ci), 1)), ci]).astype(int)
    P = ctx.pop[idx]
    hubs = idx[np.arange(len(ci)), hub_index(P)]
    km = ctx.km[idx, hubs[:, None]]
    after = group_economics(P, km, costs, area=area, own=ctx.own[idx])
    after["km_to_hub"] = km[:, -1]
    before["hub_code"] = ctx.codes[hb] if len(mi) else None
    return before, after


def _money(
    ctx: _Context,
    cid: str,
    area: str,
    members: list[str],
    mi: np.ndarray,
    ci: np.ndarray,
    key: str | None,
) -> _Money:
    """Before and after for the members and the newcomer, the win-win test and the fee interval.

    The joint cost before and after is the group's (joint, coordination and travel to the hub);
    the members' key splits it.
    """
    pm, pc = ctx.pop[mi], ctx.pop[ci]
    kind, eq, shares, key_note = _key_for(ctx.ds, cid, area, members, key, ctx.costs)
    before_econ, after = _economics(ctx, area, mi, ci)
    before_total = float(before_econ["joint_total_nok"][0])
    if kind == "shares":
        base = np.array([shares[m] for m in members], dtype=float)
        base = base / base.sum()
    else:
        base = key_shares(
            members, kind=kind, population={m: ctx.pop[ctx.idx[m]] for m in members}, equal_part=eq
        ).to_numpy()
    before = base * before_total
    after_total = after["joint_total_nok"]
    fm, fc = _share_matrix(kind, eq, base, pm, pc)
    after_m = fm * after_total[:, None]
    after_c = fc * after_total
    standalone = after["alone_nok"][:, -1]
    change = after_m - before[None, :]
    newcomer_gain = standalone - after_c
    win = (newcomer_gain >= -1e-6) & ~(change > 1e-6).any(axis=1)
    wts = after_m / after_m.sum(axis=1, keepdims=True)
    lo = np.maximum(0.0, np.where(wts > 0, change / np.where(wts > 0, wts, 1), 0).max(axis=1))
    return _Money(
        kind,
        eq,
        key_note,
        AREA_WEIGHTS.get(area, 1.0),
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
        before_econ["hub_code"],
        after["km_to_hub"],
        after["travel_nok"] - float(before_econ["travel_nok"][0]),
    )


def _ties(
    ctx: _Context,
    cid: str,
    members: list[str],
    candidates: list[str],
    mi: np.ndarray,
    ci: np.ndarray,
) -> dict:
    """Contiguity (:func:`~nettverk.network.municipalities.contiguity`: borders the area, joins
    its parts), commuting, shared ties."""
    cont = contiguity(ctx.G, members, candidates)
    others = (
        set().union(*[ctx.collabs_of.get(m, set()) for m in members]) - {cid} if members else set()
    )
    return {
        "borders_area": cont["borders_area"].to_numpy(),
        "joins_parts": cont["joins_parts"].to_numpy(),
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
    km = money.km_to_hub
    travel = money.travel_extra
    return {
        "dig": dig,
        "dig_annual": dig * costs.annuity(1.0),
        "km": km,
        "travel": travel,
        "dig_unknown": needs_dig & ~np.isfinite(dig),
    }
