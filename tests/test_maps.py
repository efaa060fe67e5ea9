"""Maps: built for every result, small enough, and opening in a real browser without errors."""

import os
import shutil
import time
from pathlib import Path

import pytest

import nettverk as nv
from nettverk.outputs import maps


@pytest.fixture(scope="module")
def saved(real, tmp_path_factory):
    """Each map saved to HTML (no tiles, so the browser check needs no network)."""
    out = tmp_path_factory.mktemp("maps")
    G = nv.municipality_graph(real)
    res = nv.candidate_clusters(real, counties=["Buskerud"], max_members=6, graph=G)
    dig = nv.shared_digging(real, ["Gol", "Ål", "Hol"], hub="Gol")
    join = nv.joining_effect(real, "ikt-agder", area="drift", digging=False)
    nordland = nv.candidate_clusters(real, counties=["Nordland"], graph=G)
    built = {
        "overview_norge": maps.overview_map(real, tiles=None),
        "overview_oslofjord": maps.overview_map(
            real, counties=["Oslo", "Akershus", "Østfold", "Vestfold", "Buskerud"], tiles=None
        ),
        "clusters": maps.clusters_map(res, tiles=None),
        "clusters_nordland": maps.clusters_map(nordland, tiles=None),
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
        assert (
            "<script src=" not in text and 'rel="stylesheet" href="http' not in text
        )  # Leaflet is embedded
        assert "nv-legend" in text and "L.control.layers" in text
        assert "Kartverket" in text


def test_tiles_default_to_openstreetmap(real):
    html = (
        maps.overview_map(real, counties=["Oslo"], links=False, collaborations=False)
        .get_root()
        .render()
    )
    assert "tile.openstreetmap.org" in html


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip(
            "headless Chromium not installed (Debian packages chromium, chromium-driver; .ci/run "
            "installs them)"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


#: Where the browser test keeps its screenshots (ignored by git; CI keeps the folder's files).
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"
#: The 1024x768 screenshots, committed with the tests so a reviewer sees the maps.
KEPT = Path(__file__).resolve().parent / "screenshots"
UPDATE = "NETTVERK_UPDATE_SCREENSHOTS"


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_maps_open_in_headless_chromium(saved, size):
    """Every map opens without console errors, shows municipality names without hovering, and folds
    its layer list away on a 1024x768 projector; the screenshots are kept in out/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    drv = _browser()
    try:
        drv.set_window_size(*size)
        for name, path in saved.items():
            drv.get(Path(path).resolve().as_uri())
            drv.implicitly_wait(2)
            time.sleep(1.5)  # let fitBounds' zoom animation end: names depend on the final zoom
            n_paths = drv.execute_script(
                "return document.querySelectorAll('path.leaflet-interactive').length"
            )
            has_map = drv.execute_script(
                "return document.querySelectorAll('.leaflet-container').length"
            )
            names = drv.execute_script(
                "return Array.from(document.querySelectorAll('.nv-name')).filter(e => "
                "e.offsetParent !== null)"
                ".map(e => e.textContent)"
            )
            # visible labels never pile up: no two shown names overlap on screen
            overlaps = drv.execute_script(
                "var r=Array.from(document.querySelectorAll('.nv-name')).filter(e=>"
                "e.offsetParent!==null).map(e=>e.getBoundingClientRect()),n=0;"
                "for(var i=0;i<r.length;i++)for(var j=i+1;j<r.length;j++){var a=r[i],b=r[j];"
                "if(a.left+2<b.right&&b.left+2<a.right&&a.top+2<b.bottom&&b.top+2<a.bottom)n++;}"
                "return n;"
            )
            expanded = drv.execute_script(
                "return document.querySelectorAll('.leaflet-control-layers-expanded').length"
            )
            errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
            shot = SHOTS / f"{name}_{size[0]}x{size[1]}.png"
            drv.save_screenshot(str(shot))
            assert has_map == 1, name
            assert n_paths > 0, f"{name}: empty map"
            assert not errors, f"{name}: {errors}"
            assert len(names) >= 2, f"{name}: no names on the map at {size}"
            assert overlaps == 0, f"{name}: {overlaps} labels overlap at {size}"
            assert expanded == 0, f"{name}: the layer list covers the map at {size}"
            assert shot.stat().st_size > 10_000
            # the projector size is kept with the tests (refreshed with
            # NETTVERK_UPDATE_SCREENSHOTS=1, so a test run leaves the checkout clean)
            kept = KEPT / shot.name
            if size == (1024, 768) and (not kept.exists() or os.environ.get(UPDATE)):
                KEPT.mkdir(exist_ok=True)
                shutil.copyfile(shot, kept)
    finally:
        drv.quit()


def test_cluster_fills_are_distinct_and_never_black(real):
    from nettverk.outputs.maps.base import PALETTE, distinct_colours

    res = nv.candidate_clusters(real, counties=["Nordland"])
    colours = distinct_colours(res.geometry)
    assert "#000000" not in PALETTE and "#000000" not in colours
    touching = [
        (i, j)
        for i in range(len(res))
        for j in range(i + 1, len(res))
        if res.geometry.iloc[i].intersects(res.geometry.iloc[j])
    ]
    assert touching and all(colours[i] != colours[j] for i, j in touching)
    assert len(set(colours)) >= 4  # spread over the palette, not two colours alternating
