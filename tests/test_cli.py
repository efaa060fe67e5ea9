import json

import pandas as pd

from nettverk.cli import main

from .conftest import tiny_kommuner


def test_info_json(runner):
    res = runner.invoke(main, ["info", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["kommuner"] == 357
    assert out["innbyggere"] == 5_550_203
    assert len(out["samarbeid_liste"]) == 33
    assert out["graf"]["uten_naboer"] == {}
    assert out["graf"]["komponenter"] == 1


def test_info_text(runner):
    res = runner.invoke(main, ["info"])
    assert res.exit_code == 0
    assert "357" in res.stdout and "Samarbeid: 33" in res.stdout


def test_validate_broken_exits_2_one_line_each(runner, tiny_folder):
    k = tiny_kommuner()
    k.loc[0, "kommunenummer"] = "9999"
    k.to_file(tiny_folder / "kommuner.gpkg")
    pd.DataFrame({"samarbeid_id": ["hik"], "omrade": ["drift"], "kommunenummer": ["Herøy"]}).to_csv(
        tiny_folder / "medlemskap.csv", index=False)
    res = runner.invoke(main, ["validate", "--data", str(tiny_folder)])
    assert res.exit_code == 2
    lines = res.stdout.strip().splitlines()
    assert any("unknown kommunenummer '9999'" in ln for ln in lines)
    assert any("'Herøy' is ambiguous" in ln for ln in lines)
    assert "Traceback" not in res.output


def test_validate_ok(runner, tiny_folder):
    res = runner.invoke(main, ["validate", "--data", str(tiny_folder)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("OK")


def test_library_error_is_one_line_exit_2(runner, tmp_path):
    res = runner.invoke(main, ["info", "--data", str(tmp_path / "nowhere")])
    assert res.exit_code == 2
    assert res.stderr.strip().count("\n") == 0 and "folder not found" in res.stderr
