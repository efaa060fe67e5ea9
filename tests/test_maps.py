"""Maps: built for every result, small enough, and opening in a real browser without errors."""

import shutil
from pathlib import Path

import pytest

import nettverk as nv
from nettverk import maps


@pytest.fixture(scope="module")
def saved(real, tmp_path_factory):
    """Each map saved to HTML (no tiles, so the browser check needs no network)."""
    out = tmp_path_factory.mktemp("maps")
    G = nv.municipality_graph(real)
    res = nv.candidate_clusters(real, counties=["Buskerud"], max_members=6, graph=G)
    dig = nv.shared_digging(real, ["Gol", "Ål", "Hol"], hub="Gol")
    join = nv.joining_effect(real, "ikt-agder", area="drift", digging=False)
    built = {
        "overview_norge": maps.overview_map(real, tiles=None),
        "clusters": maps.clusters_map(res, tiles=None),
        "dig": maps.dig_map(dig, tiles=None),
        "join": maps.join_map(join, real, tiles=None),
    }
    return {name: maps.save_map(m, out / f"{name}.html") for name, m in built.items()}


def test_all_norway_overview_under_2_mb(saved):
    size = saved["overview_norge"].stat().st_size
    assert size < 2_000_000, f"{size} bytes"


def test_maps_are_self_contained(saved):
    for path in saved.values():
        text = path.read_text(encoding="utf-8")
        assert "<script src=" not in text and 'rel="stylesheet" href="http' not in text  # Leaflet is embedded
        assert "nv-legend" in text and "L.control.layers" in text
        assert "Kartverket" in text


def test_tiles_default_to_openstreetmap(real):
    html = maps.overview_map(real, counties=["Oslo"], links=False, collaborations=False).get_root().render()
    assert "tile.openstreetmap.org" in html


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("headless Chromium not installed (Debian packages chromium, chromium-driver; .ci/run installs them)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,900"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


def test_maps_open_in_headless_chromium(saved, tmp_path_factory):
    shots = tmp_path_factory.mktemp("map_screenshots")
    drv = _browser()
    try:
        for name, path in saved.items():
            drv.get(Path(path).resolve().as_uri())
            drv.implicitly_wait(2)
            n_paths = drv.execute_script("return document.querySelectorAll('path.leaflet-interactive').length")
            has_map = drv.execute_script("return document.querySelectorAll('.leaflet-container').length")
            errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
            drv.save_screenshot(str(shots / f"{name}.png"))
            assert has_map == 1, name
            assert n_paths > 0, f"{name}: empty map"
            assert not errors, f"{name}: {errors}"
            assert (shots / f"{name}.png").stat().st_size > 10_000
    finally:
        drv.quit()
