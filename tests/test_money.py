"""Money a council can defend: the members' own numbers first, ranges on every amount, years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import nettverk as nv
from nettverk.analyses.group import group_money
from nettverk.models.costs import ALL_RANGES, ECON_RANGES, CostModel
from nettverk.models.economics import cash_flow
from nettverk.outputs.cli import main

HALL = ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol"]


@pytest.fixture
def own_folder(tmp_path, runner):
    """A --data folder with Gol's own ICT cost (the rest from the model)."""
    res = runner.invoke(
        main, ["kartlegging", "--municipalities", ",".join(HALL), "-o", str(tmp_path / "k.xlsx")]
    )
    assert res.exit_code == 0, res.output
    t = pd.read_excel(tmp_path / "k.xlsx", dtype=str)
    assert set(t["Kilde"]) == {"modell"}
    gol = t["Kommunenr."] == "3324"
    t.loc[gol, "IKT-driftskostnad per år (kr)"] = "12000000"
    t.loc[gol, "Kilde"] = "egne tall"
    folder = tmp_path / "data"
    folder.mkdir()
    t.to_csv(folder / "kartlegging.csv", index=False)
    return folder


def test_a_members_own_cost_changes_its_gain_everywhere(real, own_folder, runner):
    mine = nv.read_dataset(own_folder)
    before, after = group_money(real, HALL), group_money(mine, HALL)
    assert after["alone"]["3324"] == pytest.approx(12e6)
    assert after["own_given"]["3324"] and not after["own_given"]["3328"]
    assert after["net_gain"] != pytest.approx(before["net_gain"])
    # clusters, partners, join and the rapport all read it
    sc = nv.score_clusters(mine, [HALL]).iloc[0]
    assert sc["net_gain_nok"] == pytest.approx(after["net_gain"], abs=1)
    assert sc["cost_source"] == "egne tall for 1 av 6, modell for resten"
    p = nv.partners(mine, "Gol", top=5)
    row = p[p["members"].map(lambda m: len(m.split(",")) == 6)].iloc[0]
    assert row["net_gain_nok"] == pytest.approx(after["net_gain"], abs=1)
    j = nv.joining_effect(mine, "hallingdal-ikt", area="drift", digging=False, candidates=["0301"])
    assert j.info["joint_before_nok"] == pytest.approx(after["joint_total"], abs=1)
    res = runner.invoke(
        main,
        [
            "rapport",
            "--municipalities",
            ",".join(HALL),
            "--data",
            str(own_folder),
            "-o",
            str(own_folder.parent / "r.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    page = (own_folder.parent / "r.html").read_text(encoding="utf-8")
    assert "egne tall for 1 av 6 kommuner" in page


def test_an_edited_template_row_is_never_dropped(tmp_path, runner):
    runner.invoke(
        main, ["kartlegging", "--municipalities", "Gol,Ål", "-o", str(tmp_path / "k.xlsx")]
    )
    t = pd.read_excel(tmp_path / "k.xlsx", dtype=str)
    t.loc[0, "IKT-driftskostnad per år (kr)"] = "7000000"  # changed, but Kilde still says modell
    (tmp_path / "d").mkdir()
    t.to_csv(tmp_path / "d" / "kartlegging.csv", index=False)
    with pytest.warns(UserWarning, match=r"IKT-driftskostnad per år \(kr\) differs .* own number"):
        ds = nv.read_dataset(tmp_path / "d")
    assert ds.own_costs(["3324"]).tolist() == [7e6]
    assert np.isnan(ds.own_costs(["3328"])[0])


def test_every_parameter_has_an_ordered_range_and_a_source():
    base = CostModel()
    for name, (lo, hi, basis, source) in ALL_RANGES.items():
        assert lo <= getattr(base, name) <= hi, name
        assert basis in ("S", "D", "A") and len(source) > 10, name
    for name in ("scale_a", "scale_beta", "coordination_fixed_nok", "retained_share"):
        assert name in ECON_RANGES


def test_the_ranges_can_say_no_saving_where_the_facts_do(real):
    """IKomm cost more than the three spent before: the low end must reach a loss."""
    g = group_money(real, ["Lillehammer", "Gausdal", "Øyer"])
    assert g["net_gain_low"] < 0 < g["net_gain"] <= g["net_gain_high"]


def test_every_gain_carries_its_range(real):
    res = nv.candidate_clusters(real, counties=["Buskerud"], progress=False)
    multi = res[res["n_members"] > 1]
    assert (multi["net_gain_low_nok"] <= multi["net_gain_nok"]).all()
    assert (multi["net_gain_nok"] <= multi["net_gain_high_nok"]).all()
    j = nv.joining_effect(real, "ikt-agder", area="drift", digging=False).candidates
    money = j[j["win_win"].notna()]
    assert not (money["win_win_robust"] & ~money["win_win"].astype(bool)).any()
    assert (j["newcomer_gain_low_nok"] <= j["newcomer_gain_high_nok"]).all()


def test_cash_flow_pays_back_when_the_running_sum_turns():
    flows, back = cash_flow(np.array([2e6, 0.0]), np.array([3e6, 1e6]), CostModel())
    run = np.cumsum(flows, axis=1)
    assert back[0] == 1 + int(np.argmax(run[0] >= 0)) and back[1] == 0
    assert flows[0, 0] == pytest.approx(-3e6)


def test_the_rapport_shows_payback_and_which_verdicts_depend_on_assumptions(real):
    from nettverk.outputs.report import report

    page = report(real, municipalities=HALL)
    assert "Tilbakebetalt" in page and "År 4 (MNOK)" in page
    assert "mellom" in page.split("en gevinst på")[1][:80]
    assert "avhenger av forutsetningene" in page or "holder også med spennene" in page


def test_costs_writes_its_table(runner, tmp_path):
    out = tmp_path / "c.csv"
    res = runner.invoke(main, ["costs", "-o", str(out)])
    assert res.exit_code == 0
    t = pd.read_csv(out)
    assert list(t.columns) == ["parameter", "value", "low", "high", "unit", "basis", "source"]
    assert max(len(line) for line in res.stdout.splitlines()) <= 100
    assert "Kostnadsmodellen" in res.stdout and "Kilder og grunnlag" in res.stdout


@pytest.mark.parametrize(
    "argv, heading",
    [
        (["clusters", "--county", "Buskerud", "--max-members", "5", "--sensitivity"], "Følsomhet"),
        (["join", "hallingdal-ikt", "--top", "2", "--sensitivity"], "Følsomhet"),
    ],
)
def test_sensitivity_for_the_money_commands(runner, argv, heading):
    res = runner.invoke(main, argv)
    assert res.exit_code == 0, res.output
    assert heading in res.stdout and "minst gunstig" in res.stdout


def test_the_csv_template_reads_back_as_written(tmp_path, runner):
    """The CSV template is for Norwegian Excel (bokmål headers, ="0301"); put back unopened or
    filled in, the reader takes it as it is, Oslo's leading zero included."""
    out = tmp_path / "d" / "kartlegging.csv"
    out.parent.mkdir()
    res = runner.invoke(main, ["kartlegging", "--municipalities", "Oslo,Bærum", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_bytes().decode("utf-8-sig")
    assert text.startswith("Kommunenr.;Kommune;") and '"=""0301"""' in text
    assert np.isnan(nv.read_dataset(out.parent).own_costs(["0301"])[0])  # still the model's
    assert text.count(";modell\r\n") == 2
    text = text.replace(";modell\r\n", ";egne tall\r\n", 1)  # Oslo's row: its own number now
    out.write_bytes(text.encode("utf-8-sig"))
    ds = nv.read_dataset(out.parent)
    own = ds.own_costs(["0301", "3024"])
    assert np.isfinite(own[0]) and np.isnan(own[1])
