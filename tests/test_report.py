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
        "Kort fortalt",
        "1. Hvem",
        "2. Gevinster",
        "3. Infrastruktur",
        "4. Juridisk form",
        "5. Veien videre",
        "6. Styring (sjekkliste)",
        "7. Forslag til vedtak",
        "Forbehold",
        "Vedlegg A",
        "Vedlegg B",
    ):
        assert heading in text, heading
    assert text.count("<svg") >= 3  # the map and two plots
    # the decision basis comes before the appendices, which start on a new page
    assert text.index("7. Forslag til vedtak") < text.index("<h2>Vedlegg A")
    assert "section.vedlegg { break-before: page; }" in text
    for point in ("databehandleravtale", "sanksjoner", "sikkerhetsleder", "fylkeskommune"):
        assert point in text, point
    assert "☐ ☐" not in text and "<li>☐" not in text  # one box per item, drawn by the style
    assert "@page { size: A4" in text


def _pdf_pages(html: Path, pdf: Path) -> tuple[bytes, int]:
    """Print a page to PDF with headless Chromium; the PDF and its number of A4 pages."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip(
            "headless Chromium not installed (Debian package chromium; .ci/run installs it)"
        )
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
    return data, data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def test_report_prints_to_pdf_in_chromium(runner):
    OUT.mkdir(parents=True, exist_ok=True)
    html = OUT / "hallingdal_pdf.html"
    res = runner.invoke(main, ["rapport", *GROUPS["hallingdal"], "-o", str(html)])
    assert res.exit_code == 0, res.output
    data, pages = _pdf_pages(html, OUT / "hallingdal.pdf")
    assert data.startswith(b"%PDF") and len(data) > 50_000
    assert pages >= 3  # the decision basis and the appendices on their own pages


@pytest.mark.parametrize(
    "group",
    [
        {"collaboration": "lofotradet"},
        {"collaboration": "hallingdal-ikt"},
        {"county": "Troms"},
    ],
)
def test_decision_basis_prints_on_two_pages(real, group):
    """Without the appendices the decision basis is at most two A4 pages, for a small group, an
    island group and a whole county (21 members)."""
    from nettverk.outputs.report import report

    OUT.mkdir(parents=True, exist_ok=True)
    name = "_".join(group.values())
    html = OUT / f"{name}_beslutning.html"
    html.write_text(report(real, appendices=False, **group), encoding="utf-8")
    _, pages = _pdf_pages(html, OUT / f"{name}_beslutning.pdf")
    assert 1 <= pages <= 2, pages


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
