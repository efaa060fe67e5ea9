"""Cost allocation: keys, the Shapley value, and the win-win (core) test.

A cost game gives each coalition (a frozenset of players) its cost when it acts on its own.
An allocation splits the grand coalition's cost among the players; it is *win-win* when
nobody pays more than alone and no group of members pays more than it would on its own
(the core).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nettverk._errors import NettverkError

__all__ = ["KEYS", "parse_key", "key_shares", "shapley_values", "core_check", "CoreCheck"]


KEYS = ("equal", "population", "hybrid", "shares", "shapley")


def parse_key(key: str | None, *, default_equal: float = 0.30) -> tuple[str, float]:
    """Parse a key name: ``equal``, ``population``, ``30/70`` (hybrid), ``shares``, ``shapley``.

    Returns the kind and, for the hybrid, the equal part.

    Examples
    --------
    >>> parse_key("30/70")
    ('hybrid', 0.3)
    >>> parse_key("50/50")
    ('hybrid', 0.5)
    >>> parse_key("population")
    ('population', 0.0)
    >>> parse_key("30/80")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nettverk._errors.NettverkError: key '30/80': the two parts add up to 110, not 100; ...
    """
    if key is None:
        return "hybrid", default_equal
    text = str(key).strip().lower()
    aliases = {
        "lik": "equal",
        "likt": "equal",
        "innbyggere": "population",
        "folketall": "population",
        "andel": "shares",
        "andeler": "shares",
        "eierandeler": "shares",
        "bird": "bird",
    }
    text = aliases.get(text, text)
    if "/" in text:
        a, b = text.split("/", 1)
        try:
            a, b = float(a), float(b)
        except ValueError:
            a = b = -1
        if a < 0 or b < 0 or a + b <= 0:
            raise NettverkError(
                f"key {key!r}: write a hybrid as EQUAL/POPULATION percentages, e.g. 30/70"
            )
        if abs(a + b - 100) > 1e-9 and abs(a + b - 1) > 1e-9:
            raise NettverkError(
                f"key {key!r}: the two parts add up to {a + b:g}, not 100; write e.g. 30/70"
            )
        return "hybrid", a / (a + b)
    if text in ("equal", "population", "shares", "shapley", "hybrid", "bird"):
        return text, (default_equal if text == "hybrid" else 0.0)
    raise NettverkError(
        f"unknown key {key!r}; use equal, population, a/b (e.g. 30/70), shares or shapley"
    )


def key_shares(
    members: Sequence[Hashable],
    *,
    kind: str,
    population: Mapping | None = None,
    equal_part: float = 0.3,
    shares: Mapping | None = None,
) -> pd.Series:
    """Return each member's fraction of a cost under a key (fractions sum to 1).

    Examples
    --------
    >>> pop = {"a": 1000, "b": 3000}
    >>> key_shares(["a", "b"], kind="hybrid", population=pop, equal_part=0.3).round(3).tolist()
    [0.325, 0.675]
    """
    members = list(members)
    n = len(members)
    if n == 0:
        return pd.Series(dtype=float)
    eq = pd.Series(1.0 / n, index=members)
    if kind == "equal":
        return eq
    if kind in ("population", "hybrid"):
        pop = pd.Series({m: float(population[m]) for m in members})
        by_pop = pop / pop.sum() if pop.sum() > 0 else eq
        if kind == "population":
            return by_pop
        return equal_part * eq + (1 - equal_part) * by_pop
    if kind == "shares":
        if shares is None:
            raise NettverkError("key 'shares' needs ownership shares (medlemskap.andel)")
        s = pd.Series({m: shares.get(m, float("nan")) for m in members}, dtype=float)
        if s.isna().any():
            missing = ", ".join(map(str, s.index[s.isna()]))
            raise NettverkError(
                f"key 'shares': no share for {missing}; fill medlemskap.andel or use another key"
            )
        if s.sum() <= 0:
            raise NettverkError("key 'shares': the shares sum to 0")
        return s / s.sum()
    raise NettverkError(f"key kind {kind!r} is not a fixed key")


def shapley_values(
    players: Sequence[Hashable],
    cost: Callable[[frozenset], float],
    *,
    exact_max: int = 12,
    samples: int = 2000,
    seed: int = 0,
) -> tuple[pd.Series, pd.Series | None]:
    """Shapley value of a cost game: exact up to ``exact_max`` players, else sampled.

    Sampling draws random orders (seeded, deterministic) and averages each player's marginal
    cost; the second result is the standard error per player (None when exact). The values
    always sum to the grand coalition's cost.

    Examples
    --------
    >>> c = {frozenset(): 0, frozenset("a"): 6, frozenset("b"): 6, frozenset("ab"): 8}
    >>> v, err = shapley_values(["a", "b"], lambda s: c[s])
    >>> v.tolist(), err is None
    ([4.0, 4.0], True)
    """
    players = list(players)
    n = len(players)
    cache: dict[frozenset, float] = {}

    def c(s: frozenset) -> float:
        if s not in cache:
            cache[s] = 0.0 if not s else float(cost(s))
        return cache[s]

    if n <= exact_max:
        values = dict.fromkeys(players, 0.0)
        fact = [math.factorial(k) for k in range(n + 1)]
        for i, p in enumerate(players):
            others = players[:i] + players[i + 1 :]
            for k in range(n):
                w = fact[k] * fact[n - k - 1] / fact[n]
                for combo in itertools.combinations(others, k):
                    s = frozenset(combo)
                    values[p] += w * (c(s | {p}) - c(s))
        return pd.Series(values, dtype=float), None
    rng = np.random.default_rng(seed)
    marg = {p: [] for p in players}
    for _ in range(samples):
        order = [players[i] for i in rng.permutation(n)]
        s: frozenset = frozenset()
        prev = 0.0
        for p in order:
            s2 = s | {p}
            cur = c(s2)
            marg[p].append(cur - prev)
            s, prev = s2, cur
    vals = pd.Series({p: float(np.mean(m)) for p, m in marg.items()})
    err = pd.Series({p: float(np.std(m, ddof=1) / math.sqrt(len(m))) for p, m in marg.items()})
    # every order sums to c(N): the mean does too, up to float error
    return vals, err


@dataclass(frozen=True)
class CoreCheck:
    """Result of the win-win test.

    Attributes
    ----------
    individually_rational : bool
        Nobody pays more than alone.
    losers : dict
        Members paying more than alone, with the excess (NOK).
    in_core : bool or None
        No coalition pays more than on its own (None when not checked: too many members).
    objecting : tuple
        The coalition with the largest excess, if any.
    excess : float
        What that coalition pays above its own cost (NOK).
    """

    individually_rational: bool
    losers: dict
    in_core: bool | None
    objecting: tuple
    excess: float

    @property
    def win_win(self) -> bool | None:
        if not self.individually_rational:
            return False
        return self.in_core

    def describe(self, names: Mapping | None = None) -> str:
        """The verdict in bokmål; ``names`` maps players (kommunenummer) to the names to print.

        Examples
        --------
        >>> CoreCheck(False, {"3320": 71586.0}, True, (), 0.0).describe({"3320": "Flå"}).startswith(
        ...     "betaler mer enn alene: Flå (+71")
        True
        """

        def nm(p) -> str:
            return str(names.get(p, p)) if names else str(p)

        from nettverk.data.columns import number_text as kr

        if self.win_win:
            return "vinn-vinn: ingen betaler mer enn alene, og ingen gruppe ville tjent på å gå ut"
        parts = []
        if self.losers:
            parts.append(
                "betaler mer enn alene: "
                + ", ".join(f"{nm(k)} (+{kr(v)} kr)" for k, v in self.losers.items())
            )
        if self.in_core is False and self.objecting:
            parts.append(
                f"gruppen {', '.join(nm(p) for p in self.objecting)} betaler {kr(self.excess)} kr "
                "mer enn "
                "alene som gruppe"
            )
        if self.in_core is None and not self.losers:
            parts.append("ingen betaler mer enn alene (kjernen ikke sjekket: for mange medlemmer)")
        return "; ".join(parts)


def core_check(
    shares: Mapping[Hashable, float],
    cost: Callable[[frozenset], float],
    *,
    max_players: int = 12,
    tol: float = 1e-6,
) -> CoreCheck:
    """Test an allocation of a cost game: individual rationality and, for small games, the core.

    Examples
    --------
    >>> c = {frozenset("a"): 6, frozenset("b"): 6, frozenset("ab"): 8}
    >>> core_check({"a": 4, "b": 4}, lambda s: c[s]).win_win
    True
    >>> r = core_check({"a": 7, "b": 1}, lambda s: c[s])
    >>> r.win_win, r.losers
    (False, {'a': 1.0})
    """
    players = list(shares)
    losers = {}
    for p in players:
        alone = float(cost(frozenset([p])))
        if shares[p] > alone + tol * max(1.0, abs(alone)):
            losers[p] = float(shares[p] - alone)
    in_core: bool | None = None
    objecting: tuple = ()
    excess = 0.0
    if len(players) <= max_players:
        in_core = True
        for k in range(1, len(players)):
            for combo in itertools.combinations(players, k):
                s = frozenset(combo)
                own = float(cost(s))
                ex = sum(shares[p] for p in combo) - own
                if (
                    ex > tol * max(1.0, abs(own)) and ex > excess
                ):  # relative to the group's cost, not to the excess
                    excess, objecting, in_core = float(ex), tuple(combo), False
    return CoreCheck(not losers, losers, in_core, objecting, excess)
