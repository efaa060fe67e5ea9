import itertools
import math

import pytest

from nettverk.models.allocation import core_check, key_shares, parse_key, shapley_values


def _brute_shapley(players, c):
    vals = dict.fromkeys(players, 0.0)
    perms = list(itertools.permutations(players))
    for order in perms:
        s = frozenset()
        for p in order:
            vals[p] += c(s | {p}) - c(s)
            s = s | {p}
    return {p: v / len(perms) for p, v in vals.items()}


def test_shapley_matches_brute_force():
    w = {"a": 3.0, "b": 5.0, "c": 2.0, "d": 7.0}

    def c(s):
        return 0.0 if not s else max(w[p] for p in s) + 0.5 * len(s) ** 0.5

    v, err = shapley_values(list(w), c)
    assert err is None
    for p, x in _brute_shapley(list(w), c).items():
        assert v[p] == pytest.approx(x)
    assert v.sum() == pytest.approx(c(frozenset(w)))


def test_sampled_shapley_has_error_bound():
    w = {i: float(i) for i in range(6)}

    def c(s):
        return max((w[p] for p in s), default=0.0)

    v, err = shapley_values(list(w), c, exact_max=3, samples=3000, seed=1)
    exact = _brute_shapley(list(w), c)
    for p in w:
        assert abs(v[p] - exact[p]) <= 4 * err[p] + 1e-9


def test_core_known_nonempty_and_empty():
    # airport game (concave): the Shapley value lies in the core
    c = {frozenset("a"): 4, frozenset("b"): 6, frozenset("ab"): 6}
    v, _ = shapley_values(["a", "b"], lambda s: c[s])
    assert core_check(v.to_dict(), lambda s: c[s]).win_win is True

    # three players, each pair alone costs 1, all three 2: the core is empty
    def cost3(s):
        return {1: 1.0, 2: 1.0, 3: 2.0}[len(s)]

    v3, _ = shapley_values(["x", "y", "z"], cost3)
    r = core_check(v3.to_dict(), cost3)
    assert r.in_core is False and len(r.objecting) == 2
    assert r.excess == pytest.approx(2 / 3 * 2 - 1)
    assert "gruppen" in r.describe()


def test_keys_sum_to_one():
    pop = {"a": 1000, "b": 9000}
    for kind, eq in [("equal", 0), ("population", 0), ("hybrid", 0.3)]:
        s = key_shares(["a", "b"], kind=kind, population=pop, equal_part=eq)
        assert math.isclose(s.sum(), 1.0)
    assert parse_key("50/50") == ("hybrid", 0.5)
    with pytest.raises(ValueError, match="unknown key"):
        parse_key("fair")
