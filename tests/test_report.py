"""`nettverk rapport`: one self-contained page, offline, that prints on A4 with map, tables and
plots."""

import shutil
import subprocess
from pathlib import Path

import pytest

from nettverk.outputs.cli import main

OUT = Path(__file__).resolve().parents[1] / "out" / "rapporter"

GROUPS = {
    "hallingdal": ["--collaboration", "hallingdal-ikt"],
    "valdres": [
        "--municipalities",
        "Vang,Vestre Slidre,Øystre Slidre,Nord-Aurdal,Etnedal,Sør-Aurdal",
    ],
    "nordfjord": ["--collaboration", "nordfjord-drift"],
}


@pytest.mark.parametrize("name", list(GROUPS))
def test_report_is_one_self_contained_page(runner, name):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.html"
    res = runner.invoke(main, ["rapport", *GROUPS[name], "-o", str(path)])
    assert res.exit_code == 0, res.output
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 3_000_000
    assert (
        "<script" not in text and 'src="http' not in text and 'href="http' not in text
    )  # nothing to load
    for heading in (
        "1. Hvem",
        "2. Gevinster",
        "3. Infrastruktur",
        "4. Juridisk form",
        "5. Veien videre",
        "Forbehold",
    ):
        assert heading in text, heading
    assert text.count("<svg") >= 3  # the map and two plots
    assert "@page { size: A4" in text


def test_report_prints_to_pdf_in_chromium(runner):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip(
            "headless Chromium not installed (Debian package chromium; .ci/run installs it)"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    html = OUT / "hallingdal_pdf.html"
    res = runner.invoke(main, ["rapport", *GROUPS["hallingdal"], "-o", str(html)])
    assert res.exit_code == 0, res.output
    pdf = OUT / "hallingdal.pdf"
    pdf.unlink(missing_ok=True)
    subprocess.run(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2  # more than one A4 page


def test_report_needs_one_group(runner, tmp_path):
    res = runner.invoke(main, ["rapport", "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "exactly one of" in res.stderr


def test_report_opens_without_console_errors(runner):
    from .test_maps import _browser

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "valdres_browser.html"
    assert runner.invoke(main, ["rapport", *GROUPS["valdres"], "-o", str(path)]).exit_code == 0
    drv = _browser()
    try:
        drv.get(path.resolve().as_uri())
        errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        assert (
            drv.execute_script("return document.querySelectorAll('svg text').length") > 6
        )  # names on the map
    finally:
        drv.quit()
