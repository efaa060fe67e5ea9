"""One number everywhere: a group's facts read the same in every command."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pytest

import nettverk as nv
from nettverk.analyses.clusters import score_clusters
from nettverk.analyses.group import group_money
from nettverk.data.columns import COLUMNS, number_text
from nettverk.outputs.report import report

ROOT = Path(__file__).resolve().parents[1]

GROUPS = {
    "hallingdal": ("hallingdal-ikt", ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol"]),
    "valdres": (
        None,
        ["Vang", "Vestre Slidre", "Øystre Slidre", "Nord-Aurdal", "Etnedal", "Sør-Aurdal"],
    ),
    "lofoten": ("lofotradet", ["Vestvågøy", "Vågan", "Flakstad", "Moskenes", "Værøy", "Røst"]),
    "ikt-agder": ("ikt-agder", None),
}


def _members(ds, cid, names):
    if names is not None:
        return sorted(ds.codes(names))
    med = ds.medlemskap
    return sorted(
        set(med.loc[(med["samarbeid_id"] == cid) & (med["omrade"] == "drift"), "kommunenummer"])
    )


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def pages(real):
    out = {}
    for key, (cid, names) in GROUPS.items():
        members = _members(real, cid, names)
        out[key] = (members, _text(report(real, municipalities=members)))
    return out


@pytest.mark.parametrize("key", list(GROUPS))
def test_one_gain_per_group_in_every_command(real, pages, key):
    members, page = pages[key]
    g = group_money(real, members)
    sc = score_clusters(real, [members]).iloc[0]
    assert sc["net_gain_nok"] == pytest.approx(g["net_gain"], abs=1)
    assert sc["travel_nok"] == pytest.approx(g["travel"], abs=1)
    assert f"en gevinst på {number_text(g['net_gain'] / 1e6, 1)} MNOK/år" in page
    cid = GROUPS[key][0]
    if cid and real.layers().get(cid) == "other":  # a service collaboration: join prices it too
        j = nv.joining_effect(real, cid, area="drift", digging=False, candidates=["0301"])
        assert j.info["joint_before_nok"] == pytest.approx(g["joint_total"], abs=1)


def test_partners_print_the_same_gain_as_the_group(real):
    members = _members(real, *GROUPS["hallingdal"])
    p = nv.partners(real, "Gol", top=10)
    row = p[p["members"].map(lambda m: sorted(m.split(",")) == members)]
    assert len(row) == 1
    assert row["net_gain_nok"].iloc[0] == pytest.approx(
        group_money(real, members)["net_gain"], abs=1
    )


@pytest.mark.parametrize("key", list(GROUPS))
def test_rapport_names_only_the_groups_councils_and_active_collaborations(real, pages, key):
    members, page = pages[key]
    sam = real.samarbeid.set_index("id")
    theirs = {c for cs in real.councils(members).values() for c in cs}
    lay = real.layers()
    for cid in lay.index[lay == "council"]:
        if cid not in theirs:
            assert f" {sam.at[cid, 'navn']} (" not in page, sam.at[cid, "navn"]
    assert "Regionråd Dalane" not in page or "Dalane" in " ".join(
        real.kommuner.loc[members, "kommunenavn"]
    )
    listed = page.split("allerede deler:")[1].split("Partnermodellen")[0]
    active = set(real.active_collaborations()["id"])
    for cid, row in sam.iterrows():
        if f"{row['navn']} (" in listed:
            assert cid in active, row["navn"]


def test_the_lofoten_rapport_names_lofotradet_once_as_council(pages):
    _, page = pages["lofoten"]
    coord = page.split("Forfase: forankre ideen")[1].split("Forfase: egne tall")[0]
    assert "Lofotrådet (6 av 6) kan koordinere" in coord and "bredbånd" not in coord


def test_a_rapport_for_former_viken_lists_no_digiviken(real):
    page = _text(report(real, municipalities=["Kongsberg", "Flesberg", "Rollag"]))
    assert "DigiViken" not in page


def test_no_log_odds_in_planner_text(real, pages):
    for _, page in pages.values():
        assert "log-odds" not in page and "τ" not in page
    res = nv.candidate_clusters(real, counties=["Nordland"], progress=False)
    assert not res["alone_reason"].fillna("").str.contains("log-odds").any()
    for col in COLUMNS.values():
        assert "log-odds" not in col.unit and "log-odds" not in col.label


def test_money_columns_say_yearly_or_one_off(real):
    """No label contradicts its unit; a digging result's money is one-off, a group's per year."""
    for name, c in COLUMNS.items():
        if c.kind == "mnok":
            assert c.unit in ("MNOK/år", "MNOK engang"), name
            assert ("engang" if c.unit == "MNOK engang" else "/år") in c.label, (name, c.label)
    frames = {
        "clusters": (score_clusters(real, [["Gol", "Ål"]]), "MNOK/år"),
        "partners": (nv.partners(real, "Gol", top=2), "MNOK/år"),
        "dig": (nv.shared_digging(real, ["Gol", "Ål"], hub="Gol").per_municipality, "MNOK engang"),
    }
    for where, (df, unit) in frames.items():
        money = [n for n in df.columns if n in COLUMNS and COLUMNS[n].kind == "mnok"]
        assert money and all(COLUMNS[n].unit == unit for n in money), (where, money)
    j = nv.joining_effect(real, "hallingdal-ikt", area="drift").candidates
    for name in j.columns:
        c = COLUMNS.get(name)
        if c is not None and c.kind == "mnok" and c.unit == "MNOK engang":
            assert name in ("entry_cost_nok", "dig_extra_nok"), name


def test_dig_labels_its_one_off_cost_as_one_off(runner, tmp_path):
    from nettverk.outputs.cli import main

    out = tmp_path / "d.xlsx"
    res = runner.invoke(main, ["dig", "--municipalities", "Gol,Ål", "-o", str(out)])
    assert res.exit_code == 0, res.output
    import openpyxl

    headers = [c.value for c in openpyxl.load_workbook(out)["Kommuner"][1]]
    money = [h for h in headers if "MNOK" in h]
    assert money and all("engang" in h for h in money), money
    assert not any("/år" in h for h in money)


def test_geodata_is_a_valid_data_folder_as_it_stands():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = nv.read_dataset(ROOT / "geodata")
    assert len(ds.kommuner) == 357 and len(ds.samarbeid) == len(nv.load_default().samarbeid)


def test_join_starts_from_what_the_municipality_has(real):
    b = nv.best_areas_for(real, "Nore og Uvdal", digging=False)
    drift = b[b["omrade"] == "drift"]
    assert (drift["current_collaborations"] == "kongsbergregionen-ikt").all()
    assert drift["must_leave"].all()
    assert (drift["gain_vs_current_nok"] < drift["newcomer_gain_nok"]).all()
    other = b[b["omrade"] == "fagsystemer"]
    assert not other["must_leave"].any()
    assert other["gain_vs_current_nok"].to_numpy() == pytest.approx(
        other["newcomer_gain_nok"].to_numpy(), abs=0.2
    )


def test_councils_have_no_money(real):
    r = nv.joining_effect(real, "regionradet-hallingdal", area="strategi", digging=False)
    assert r.candidates["net_gain_nok"].isna().all() and not r.info["money"]


def test_contiguity_keeps_its_two_meanings_apart(real):
    from nettverk.network.municipalities import contiguity

    G = nv.municipality_graph(real)
    agder = _members(real, "ikt-agder", None)
    setesdal = set(real.codes(["Bykle", "Valle", "Bygland", "Evje og Hornnes"]))
    part = [c for c in agder if c not in setesdal]
    row = contiguity(G, part, [real.code("Lillesand")]).iloc[0]
    assert row["borders_area"]  # Lillesand borders Grimstad
    assert row["parts"] >= 1
