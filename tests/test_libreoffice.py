"""The outputs opened by a real spreadsheet: LibreOffice Calc with a Norwegian (nb-NO) locale.

`--excel-csv` is written for Norwegian Excel; LibreOffice, told the same locale, reads a CSV the
way Excel does (semicolons, decimal commas, ``="0301"`` kept as text). These tests convert the
CSV and the workbooks with ``soffice --headless`` and read back what a planner would see.
They skip with a reason where LibreOffice is not installed (.ci/run installs libreoffice-calc).
"""

import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from nettverk.outputs.cli import main

# CSV import: field separator ';' (59), text delimiter '"' (34), UTF-8 (76), from line 1, no
# column formats, language nb-NO (1044), quoted fields not forced to text, special numbers
# detected, ..., evaluate formulas (13th token) as Excel does.
_NB_NO_CSV = "CSV:59,34,76,1,,1044,false,true,false,false,false,-1,true"


@pytest.fixture(scope="module")
def soffice(tmp_path_factory):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip(
            "LibreOffice not installed (Debian package libreoffice-calc; .ci/run installs it)"
        )
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(src, fmt, *, infilter=None):
        outdir = src.parent / f"lo-{fmt}"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", fmt, "--outdir", str(outdir), str(src)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
        assert out.exists(), f"LibreOffice wrote nothing for {src.name}"
        return out

    return convert


def _shown(path):
    """Every cell as LibreOffice computed it, the header row as keys."""
    ws = openpyxl.load_workbook(path, data_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.mark.parametrize(
    "argv, code_col",
    [
        (["overview", "--county", "Oslo"], "Kommunenr."),
        (["clusters", "--county", "Agder"], "Kommunenummer"),
        (["dig", "--municipalities", "Gol,Hol,Ål,Hemsedal,Nesbyen,Flå"], "Kommunenr."),
    ],
)
def test_excel_csv_reads_right_in_norwegian_calc(runner, tmp_path, soffice, argv, code_col):
    out = tmp_path / f"{argv[0]}.csv"
    res = runner.invoke(main, [*argv, "-o", str(out), "--excel-csv"])
    assert res.exit_code == 0, res.output
    written = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    shown = _shown(soffice(out, "xlsx", infilter=_NB_NO_CSV))
    assert list(shown.columns) == list(written.columns)
    assert len(shown) == len(written)
    # Codes and code lists stay text with their zeros, never a number or a decimal.
    codes = shown[code_col]
    assert all(isinstance(c, str) for c in codes)
    assert codes.str.fullmatch(r"\d{4}(,\d{4})*").all()
    assert written[code_col].str.strip('="').tolist() == codes.tolist()
    if argv[0] == "overview":
        assert "0301" in set(codes)
    # Every number written with a decimal comma is a number in Calc, the same number.
    numeric = [c for c in written.columns if pd.api.types.is_numeric_dtype(written[c])]
    assert numeric, "no numeric column to check"
    for col in numeric:
        got = pd.to_numeric(shown[col], errors="raise").astype(float)
        pd.testing.assert_series_equal(
            got.reset_index(drop=True),
            written[col].astype(float).reset_index(drop=True),
            check_names=False,
            rtol=1e-9,
        )
    # Text with commas (names, lists) is never split into more columns.
    assert shown.shape[1] == written.shape[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["legal-form", "--areas", "drift,fagsystemer", "--needs", "sterk_eierstyring"],
        ["overview", "--county", "Oslo"],
        ["samarbeid", "--county", "Nordland"],
    ],
)
def test_workbooks_open_in_calc(runner, tmp_path, soffice, argv):
    """The workbook opens in Calc; its first sheet's bokmål headers and ja/nei come through."""
    out = tmp_path / f"{argv[0]}.xlsx"
    res = runner.invoke(main, [*argv, "-o", str(out)])
    assert res.exit_code == 0, res.output
    csv = soffice(out, "csv:Text - txt - csv (StarCalc):59,34,76,1")
    shown = pd.read_csv(csv, sep=";", dtype=str)
    ours = pd.read_excel(out, dtype=str)
    assert list(shown.columns) == list(ours.columns)
    assert len(shown) == len(ours)
    assert not {"True", "False", "TRUE", "FALSE"} & set(shown.stack())
