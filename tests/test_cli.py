import json

import click
import pandas as pd
import pytest

from nettverk.outputs.cli import main

from .conftest import tiny_kommuner


def test_info_json(runner):
    res = runner.invoke(main, ["info", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["kommuner"] == 357
    assert out["innbyggere"] == 5_550_203
    assert (
        len(out["samarbeid_liste"]) == 103
    )  # 33 curated + 66 councils and networks (regionrad_2024.csv) + 4 (ikt_drift_tillegg.csv)
    assert out["graf"]["uten_naboer"] == {}
    assert out["graf"]["komponenter"] == 1


def test_info_text(runner):
    res = runner.invoke(main, ["info"])
    assert res.exit_code == 0
    assert "Kommuner: 357 i 15 fylker" in res.stdout and "Samarbeid: 103" in res.stdout
    assert "interkommunalt_politisk_rad 63" in res.stdout  # 59 active and 4 dissolved councils


def test_validate_broken_exits_2_one_line_each(runner, tiny_folder):
    k = tiny_kommuner()
    k.loc[0, "kommunenummer"] = "9999"
    k.to_file(tiny_folder / "kommuner.gpkg")
    pd.DataFrame({"samarbeid_id": ["hik"], "omrade": ["drift"], "kommunenummer": ["Herøy"]}).to_csv(
        tiny_folder / "medlemskap.csv", index=False
    )
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


def test_clusters_export(runner, tmp_path):
    out = tmp_path / "k.csv"
    res = runner.invoke(
        main, ["clusters", "--county", "Buskerud", "--max-members", "5", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype={"members": str})
    assert {
        "cluster_id",
        "members",
        "n_members",
        "innbyggere",
        "standalone_nok",
        "joint_nok",
        "overhead_nok",
        "travel_nok",
        "net_gain_nok",
        "affinity_mean",
        "score",
    } <= set(df.columns)
    assert df["n_members"].sum() == 18
    assert "optimalitetsgap: 0,0000\u00a0%" in res.stdout


def test_clusters_bad_request_exit_2(runner):
    res = runner.invoke(
        main, ["clusters", "--county", "33", "--min-members", "5", "--max-members", "3"]
    )
    assert res.exit_code == 2
    assert "min_members (5) is above max_members (3)" in res.stderr
    assert "Traceback" not in res.output


def test_partners_cli(runner, tmp_path):
    res = runner.invoke(main, ["partners", "Gol", "--top", "3", "-o", str(tmp_path / "p.geojson")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.geojson").exists()


def test_bad_output_extension(runner):
    res = runner.invoke(main, ["clusters", "--county", "33", "-o", "x.docx"])
    assert res.exit_code == 2 and "unsupported extension '.docx'" in res.output


def test_join_cli(runner, tmp_path):
    res = runner.invoke(
        main, ["join", "ikt-agder", "--area", "drift", "--top", "3", "-o", str(tmp_path / "j.xlsx")]
    )
    assert res.exit_code == 0, res.output
    assert "Før og etter" in res.stdout
    sheets = pd.read_excel(tmp_path / "j.xlsx", sheet_name=None)
    assert set(sheets) == {"Kandidater", "Medlemmer", "Forklaring", "Kjøring"}


@pytest.mark.parametrize(
    "argv, first_sheet, money_header",
    [
        (["clusters", "--county", "Agder"], "Klynger", "Netto gevinst (MNOK/år)"),
        (["partners", "Gol", "--top", "3"], "Partnere", "Netto gevinst (MNOK/år)"),
        (["join", "hallingdal-ikt", "--top", "3"], "Kandidater", "Gevinst for gruppen (MNOK/år)"),
        (
            ["join", "--municipality", "Lillesand", "--top", "3"],
            "Områder",
            "Gevinst for gruppen (MNOK/år)",
        ),
        (["dig", "--municipalities", "Gol,Ål,Hol"], "Sammendrag", None),
        (["legal-form", "--areas", "drift,bredband"], "Juridisk form", None),
        (["overview", "--county", "Buskerud"], "Kommuner", None),
        (["costs"], "Kostnadsmodell", None),
        (["samarbeid", "--county", "Innlandet"], "Samarbeid", None),
    ],
)
def test_every_xlsx_export_is_ready_to_paste(runner, tmp_path, argv, first_sheet, money_header):
    """Norwegian headers, number formats, a frozen header with a filter, Forklaring and Kjøring
    sheets."""
    import openpyxl

    out = tmp_path / "x.xlsx"
    res = runner.invoke(main, argv + ["-o", str(out)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == first_sheet and wb.sheetnames[-2:] == ["Forklaring", "Kjøring"]
    for ws in wb.worksheets[:-2]:
        headers = [c.value for c in ws[1]]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        assert not any(h and "_" in h and h.islower() for h in headers), (
            headers
        )  # no snake_case headers
        cells = [c.value for row in ws.iter_rows(min_row=2) for c in row]
        assert not any(isinstance(v, bool) or v in ("True", "False") for v in cells)  # ja/nei
    ws = wb[first_sheet]
    headers = [c.value for c in ws[1]]
    if money_header is not None:
        col = headers.index(money_header) + 1
        # the first row with money (a regional council has none: blank, never 0)
        cell = next(c for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col) if c.value)
        assert cell.number_format == "#,##0.0" and abs(cell.value) < 1000  # MNOK, not kroner
    forklaring = {r[1]: r for r in wb["Forklaring"].iter_rows(min_row=2, values_only=True)}
    shown = {c.value for ws in wb.worksheets[:-2] for c in ws[1]}
    assert {r[0] for r in forklaring.values()} >= shown - {None}  # every header is explained
    assert all(
        forklaring[k][2] for k in forklaring if not k.startswith("aff_")
    )  # every column explained
    kj = dict(wb["Kjøring"].iter_rows(min_row=2, values_only=True))
    assert (
        kj["Kommando"].startswith("nettverk " + argv[0])
        and "fullstendig register" in kj["Forbehold"]
    )
    if argv[0] == "clusters":
        assert kj["Status"] == "optimal" and kj["Optimalitetsgap"] == "0,0000\u00a0%"
    if argv[0] == "dig":
        assert {"Kommuner", "Segmenter"} <= set(wb.sheetnames)


@pytest.mark.parametrize("before", [True, False])
def test_excel_csv_opens_in_norwegian_excel(runner, tmp_path, before):
    """Semicolons, decimal commas, a BOM; the workbook's headers and MNOK; codes and code lists
    kept as text (``="0301"``), whether --excel-csv comes before or after the command."""
    out = tmp_path / "k.csv"
    cmd = ["clusters", "--county", "Agder", "-o", str(out)]
    res = runner.invoke(main, ["--excel-csv", *cmd] if before else [*cmd, "--excel-csv"])
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    df = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    assert "Netto gevinst (MNOK/år)" in df.columns and "net_gain_nok" not in df.columns
    gain = pd.to_numeric(df["Netto gevinst (MNOK/år)"].str.replace(",", "."))
    assert gain.abs().max() < 1000  # MNOK, not kroner
    codes = df["Kommunenummer"]
    assert codes.str.match(r'^="\d{4}(,\d{4})*"$').all()  # text to Excel, zeros kept
    assert "Åmli" in " ".join(df["Kommuner"])


def test_excel_csv_keeps_leading_zeros(runner, tmp_path):
    out = tmp_path / "o.csv"
    res = runner.invoke(main, ["overview", "--county", "Oslo", "--excel-csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype=str)
    assert df.loc[0, "Kommunenr."] == '="0301"' and set(df["Har IKT-driftssamarbeid"]) <= {
        "ja",
        "nei",
    }


def test_terminal_never_cuts_a_name(runner):
    res = runner.invoke(main, ["clusters", "--county", "Agder"], env={"COLUMNS": "70"})
    assert res.exit_code == 0
    text = " ".join(res.stdout.split())
    for names in (
        "Risør, Grimstad, Arendal, Gjerstad, Vegårshei, Tvedestrand, Froland, Åmli",
        "Iveland, Evje og Hornnes, Bygland, Valle, Bykle, Åseral",
    ):
        assert names in text


def test_join_municipality_cli(runner):
    res = runner.invoke(
        main, ["join", "--municipality", "Lillesand", "--top", "3"], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()[:1].isdigit()]
    assert len(lines) == 3  # exactly the top three areas, ranked 1-3
    assert any("ikt-agder" in ln for ln in lines)  # Lillesand borders IKT Agder's area
    assert (
        "Samarbeid" in res.stdout and "samarbeid_id" not in res.stdout
    )  # bokmål headers, not machine names


def test_join_unknown_lists_valid(runner):
    res = runner.invoke(main, ["join", "nope"])
    assert res.exit_code == 2 and "valid ones" in res.stderr


def test_dig_cli(runner, tmp_path):
    res = runner.invoke(
        main,
        ["dig", "--municipalities", "Gol,Ål,Hol", "--hub", "Gol", "-o", str(tmp_path / "d.gpkg")],
    )
    assert res.exit_code == 0, res.output
    assert "Besparelse" in res.stdout
    import pyogrio

    assert {n for n, _ in pyogrio.list_layers(tmp_path / "d.gpkg")} == {
        "segmenter",
        "steder",
        "kommuner",
        "alene",
        "layer_styles",  # QGIS styles (tests/test_qgis.py)
    }


def test_legal_form_cli(runner):
    res = runner.invoke(
        main, ["legal-form", "--areas", "helse_sosial", "--needs", "myndighetsutovelse"]
    )
    assert res.exit_code == 0
    assert res.stdout.startswith("1. Vertskommune")


def test_overview_cli(runner, tmp_path):
    res = runner.invoke(main, ["overview", "-o", str(tmp_path / "o.xlsx")])
    assert res.exit_code == 0, res.output
    assert "ufullstendige" in res.stdout
    sheets = pd.read_excel(tmp_path / "o.xlsx", sheet_name=None)
    assert len(sheets["Kommuner"]) == 357


def test_map_cli_overview_own_county(runner, tmp_path):
    out = tmp_path / "vestland.html"
    res = runner.invoke(main, ["map", "overview", "--county", "Vestland", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 50_000 and "leaflet" in out.read_text(encoding="utf-8").lower()


def test_map_cli_needs_html(runner, tmp_path):
    res = runner.invoke(main, ["map", "overview", "-o", str(tmp_path / "x.png")])
    assert res.exit_code == 2 and ".html" in res.output


def test_internal_error_is_a_bug_not_a_user_error(runner, monkeypatch):
    """A ValueError from inside numpy or pandas is a bug: traceback and exit 1, not exit 2."""
    import importlib

    lf = importlib.import_module("nettverk.models.legal_forms")

    def broken(*args, **kwargs):
        raise ValueError("operands could not be broadcast together")  # what numpy would say

    monkeypatch.setattr(lf, "advise_legal_form", broken)
    res = runner.invoke(main, ["legal-form", "--areas", "drift"])
    assert res.exit_code == 1
    assert isinstance(res.exception, ValueError)


def test_bad_code_is_still_a_user_error(runner):
    res = runner.invoke(main, ["partners", "12345"])
    assert res.exit_code == 2 and res.stderr.count("\n") == 1


def test_help_gives_units_and_values():
    """Every number option says what it counts; every vocabulary option lists its values."""
    vocab = {"area": "drift", "areas": "drift", "needs": "laneopptak", "form": "vertskommune"}
    vocab["keep_existing"] = "drift"
    for name, cmd in main.commands.items():
        for p in cmd.params:
            if not isinstance(p, click.Option) or p.hidden:
                continue
            kind = getattr(p.type, "name", "")
            if kind in ("integer", "float", "integer range", "float range"):
                assert p.help, f"{name} {p.opts[0]} has no help"
            if p.name in vocab:
                assert vocab[p.name] in (p.help or ""), f"{name} {p.opts[0]} lists no values"


def test_samarbeid_lists_ids(runner, tmp_path):
    res = runner.invoke(main, ["samarbeid", "--county", "Buskerud", "--area", "drift"])
    assert res.exit_code == 0, res.output
    assert "hallingdal-ikt" in res.stdout and "Flå" in res.stdout
    res = runner.invoke(main, ["samarbeid", "--area", "drfit"])
    assert res.exit_code == 2 and "did you mean 'drift'" in res.output
