"""A corpus of broken inputs: each gives exit 2, one line that names what is wrong, and writes
nothing.

Every case breaks a copy of the small data folder (or the command line) in one way and runs the
CLI on it. The test asserts the exit code, that the message is one line naming the file, row,
municipality or value, and that no file appeared in the folder or at the output path.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest
import shapely

from nettverk.outputs.cli import main

from .conftest import tiny_kommuner


def _csv(folder: Path, name: str, df: pd.DataFrame) -> None:
    df.to_csv(folder / name, index=False)


def _sam(folder: Path, **cols) -> None:
    base = {
        "id": ["hik"],
        "navn": ["Hallingdal IKT"],
        "form": ["vertskommune"],
        "status": ["aktiv"],
        "vertskommune": ["Gol"],
    }
    base.update(cols)
    _csv(folder, "samarbeid.csv", pd.DataFrame(base))


def _med(folder: Path, **cols) -> None:
    base = {
        "samarbeid_id": ["hik"] * 3,
        "omrade": ["drift"] * 3,
        "kommunenummer": ["3324", "3328", "3330"],
        "rolle": ["vert", "deltaker", "deltaker"],
    }
    base.update(cols)
    _csv(folder, "medlemskap.csv", pd.DataFrame(base))


def _kommuner(folder: Path, change) -> None:
    k = tiny_kommuner()
    k = change(k)
    (folder / "kommuner.gpkg").unlink()
    with (
        warnings.catch_warnings()
    ):  # writing a file without a CRS warns: that is the point of one case
        warnings.simplefilter("ignore", UserWarning)
        k.to_file(folder / "kommuner.gpkg", driver="GPKG")


def _write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


def _truncate(folder: Path, name: str, keep: int) -> None:
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[:keep])


# (case id, how to break the folder, extra CLI arguments, text the message must contain)
CASES = [
    # files that cannot be read
    (
        "gpkg-truncated",
        lambda f: _truncate(f, "kommuner.gpkg", 20_000),
        [],
        "kommuner.gpkg: cannot read",
    ),
    (
        "gpkg-garbage",
        lambda f: _write(f, "kommuner.gpkg", os.urandom(4096)),
        [],
        "kommuner.gpkg: cannot read",
    ),
    ("gpkg-empty-file", lambda f: _write(f, "veger.gpkg", b""), [], "veger.gpkg: cannot read"),
    (
        "gpkg-text",
        lambda f: _write(f, "veger.gpkg", b"this is not a geopackage\n"),
        [],
        "veger.gpkg: cannot read",
    ),
    (
        "csv-empty",
        lambda f: _write(f, "samarbeid.csv", b""),
        [],
        "samarbeid.csv: the file is empty",
    ),
    (
        "csv-binary",
        lambda f: _write(f, "medlemskap.csv", bytes(range(256)) * 8),
        [],
        "medlemskap.csv",
    ),
    (
        "csv-open-quote",
        lambda f: _write(f, "pendling.csv", b'bosted,arbeidssted,sysselsatte\n"3324,3328,1\n'),
        [],
        "pendling.csv",
    ),
    (
        "geojson-garbage",
        lambda f: _write(f, "steder.geojson", b"{not json"),
        [],
        "steder.geojson: cannot read",
    ),
    (
        "xlsx-garbage",
        lambda f: (
            os.remove(f / "samarbeid.csv"),
            _write(f, "samarbeid.xlsx", b"PK\x03\x04broken"),
        ),
        [],
        "samarbeid.xlsx: cannot read as Excel",
    ),
    (
        "two-files-one-table",
        lambda f: _write(f, "samarbeid.xlsx", b"PK"),
        [],
        "several files for table 'samarbeid'",
    ),
    # columns
    (
        "kommuner-no-population",
        lambda f: _kommuner(f, lambda k: k.drop(columns="innbyggere")),
        [],
        "missing column(s) innbyggere",
    ),
    (
        "samarbeid-no-id",
        lambda f: _csv(
            f, "samarbeid.csv", pd.DataFrame({"navn": ["x"], "form": ["iks"], "status": ["aktiv"]})
        ),
        [],
        "missing column",
    ),
    (
        "medlemskap-no-code",
        lambda f: _csv(
            f, "medlemskap.csv", pd.DataFrame({"samarbeid_id": ["hik"], "omrade": ["drift"]})
        ),
        [],
        "missing column(s) kommunenummer",
    ),
    (
        "pendling-no-count",
        lambda f: _csv(
            f, "pendling.csv", pd.DataFrame({"bosted": ["3324"], "arbeidssted": ["3328"]})
        ),
        [],
        "sysselsatte",
    ),
    # values
    (
        "population-text",
        lambda f: _kommuner(
            f,
            lambda k: k.assign(
                innbyggere=k["innbyggere"].astype(str).where(k["kommunenummer"] != "3324", "mange")
            ),
        ),
        [],
        "(3324 Gol): innbyggere 'mange' is not a number",
    ),
    (
        "population-negative",
        lambda f: _kommuner(
            f,
            lambda k: k.assign(innbyggere=k["innbyggere"].where(k["kommunenummer"] != "3328", -5)),
        ),
        [],
        "(3328 Ål): innbyggere",
    ),
    (
        "code-unknown",
        lambda f: _kommuner(
            f, lambda k: k.assign(kommunenummer=k["kommunenummer"].replace("3330", "9999"))
        ),
        [],
        "9999",
    ),
    (
        "code-duplicate",
        lambda f: _kommuner(
            f, lambda k: k.assign(kommunenummer=k["kommunenummer"].replace("3330", "3328"))
        ),
        [],
        "3328",
    ),
    (
        "geometry-empty",
        lambda f: _kommuner(
            f,
            lambda k: k.set_geometry(
                [
                    shapely.Polygon() if c == "3322" else g
                    for c, g in zip(k["kommunenummer"], k.geometry)
                ]
            ),
        ),
        [],
        "(3322 Nesbyen): empty geometry",
    ),
    (
        "geometry-bowtie",
        lambda f: _kommuner(
            f,
            lambda k: k.set_geometry(
                [
                    shapely.Polygon(
                        [(180000, 6700000), (190000, 6710000), (190000, 6700000), (180000, 6710000)]
                    )
                    if c == "3320"
                    else g
                    for c, g in zip(k["kommunenummer"], k.geometry)
                ]
            ),
        ),
        [],
        "(3320 Flå): invalid geometry",
    ),
    (
        "geometry-points-for-polygons",
        lambda f: _kommuner(f, lambda k: k.set_geometry(k.geometry.centroid)),
        [],
        "expected Polygon",
    ),
    (
        "crs-missing",
        lambda f: _kommuner(f, lambda k: k.set_crs(None, allow_override=True)),
        [],
        "no coordinate reference system",
    ),
    (
        "crs-wrong",
        lambda f: _kommuner(f, lambda k: k.set_crs(4326, allow_override=True)),
        [],
        "do not fall in Norway",
    ),
    (
        "one-polygon-misplaced",
        lambda f: _kommuner(
            f,
            lambda k: k.set_geometry(
                [
                    shapely.box(5_000_000, 100, 5_001_000, 1100) if c == "3326" else g
                    for c, g in zip(k["kommunenummer"], k.geometry)
                ]
            ),
        ),
        [],
        "(3326 Hemsedal): lies outside Norway",
    ),
    ("form-unknown", lambda f: _sam(f, form=["bedrift"]), [], "form"),
    ("status-unknown", lambda f: _sam(f, status=["kanskje"]), [], "status"),
    ("area-unknown", lambda f: _med(f, omrade=["drift", "drift", "kaffe"]), [], "omrade"),
    ("role-unknown", lambda f: _med(f, rolle=["vert", "sjef", "deltaker"]), [], "rolle"),
    (
        "share-text",
        lambda f: _med(f, andel=["halv", "0,3", "0,2"]),
        [],
        "andel 'halv' is not a number",
    ),
    ("share-above-one", lambda f: _med(f, andel=["1,5", "0", "0"]), [], "outside 0-1"),
    ("shares-not-100", lambda f: _med(f, andel=["50 %", "30 %", "30 %"]), [], "add up to 110.0%"),
    ("shares-partly-given", lambda f: _med(f, andel=["0,5", "0,5", ""]), [], "not for 3330 Hol"),
    (
        "host-not-member",
        lambda f: _sam(f, vertskommune=["Flå"]),
        [],
        "vertskommune 3320 Flå of 'hik' is not a member",
    ),
    (
        "years-reversed",
        lambda f: _sam(f, fra_aar=["2020"], til_aar=["2010"]),
        [],
        "ends (2010) before it starts (2020)",
    ),
    ("year-text", lambda f: _sam(f, fra_aar=["snart"]), [], "fra_aar"),
    (
        "year-infinite",
        lambda f: _sam(f, fra_aar=["1e309"]),
        [],
        "fra_aar '1e309' is not a finite number",
    ),
    (
        "membership-unknown-collab",
        lambda f: _med(f, samarbeid_id=["hik", "hik", "xyz"]),
        [],
        "samarbeid_id 'xyz' is not in samarbeid",
    ),
    (
        "membership-duplicate",
        lambda f: _med(f, kommunenummer=["3324", "3328", "3328"]),
        [],
        "more than once",
    ),
    (
        "membership-outside",
        lambda f: _med(f, kommunenummer=["3324", "3328", "0301"]),
        [],
        "not among the municipalities",
    ),
    (
        "commuting-negative",
        lambda f: _csv(
            f,
            "pendling.csv",
            pd.DataFrame({"bosted": ["3324"], "arbeidssted": ["3328"], "sysselsatte": [-3]}),
        ),
        [],
        "sysselsatte",
    ),
    ("name-ambiguous", lambda f: _med(f, kommunenummer=["3324", "3328", "Herøy"]), [], "Herøy"),
    # the command line
    (
        "cli-split-not-100",
        None,
        ["dig", "--municipalities", "Gol,Ål", "--split", "30/80"],
        "add up to 110",
    ),
    ("cli-dig-one", None, ["dig", "--municipalities", "Gol"], "at least two municipalities"),
    ("cli-unknown-municipality", None, ["partners", "Atlantis"], "Atlantis"),
    ("cli-bad-code", None, ["partners", "12345"], "12345"),
    (
        "cli-bad-extension",
        None,
        ["clusters", "--county", "Agder", "-o", "OUT.txt"],
        "unsupported extension '.txt'",
    ),
    ("cli-range", None, ["clusters", "--max-members", "99"], "--max-members"),
    ("cli-unknown-county", None, ["clusters", "--county", "Atlantis"], "unknown county 'Atlantis'"),
    ("cli-unknown-collab", None, ["join", "finnes-ikke"], "unknown collaboration 'finnes-ikke'"),
    # values that cannot be true
    (
        "year-in-the-future",
        lambda f: _sam(f, fra_aar=["2099"]),
        [],
        "starts in 2099, after this year",
    ),
    (
        "ended-in-the-future",
        lambda f: _sam(f, status=["avviklet"], til_aar=["2099"]),
        [],
        "is avviklet but ends in 2099",
    ),
    (
        "no-residents",
        lambda f: _kommuner(
            f, lambda k: k.assign(innbyggere=[1000, 0, 4500, 2500, 4700, 4400, 200])
        ),
        [],
        "(3322 Nesbyen): innbyggere is 0",
    ),
    (
        "grid-bad-id",
        lambda f: _csv(f, "befolkning.csv", pd.DataFrame({"SSBID0250M": ["12"], "pop_tot": [5]})),
        [],
        "befolkning.csv: grid cell id '12' is not 14 digits",
    ),
    (
        "grid-negative",
        lambda f: _csv(
            f, "befolkning.csv", pd.DataFrame({"SSBID0250M": ["21975006700250"], "pop_tot": [-5]})
        ),
        [],
        "row 2: residents",
    ),
    # misspelt names: refused, with what was meant
    ("cli-misspelt-municipality", None, ["partners", "Gool"], "did you mean 'Gol'?"),
    ("cli-misspelt-county", None, ["clusters", "--county", "Vestlandd"], "did you mean 'Vestland'"),
    ("cli-misspelt-collab", None, ["join", "hallingdal-it"], "did you mean 'hallingdal-ikt'?"),
    (
        "cli-misspelt-area",
        None,
        ["join", "hallingdal-ikt", "--area", "drfit"],
        "did you mean 'drift'?",
    ),
    (
        "cli-misspelt-split",
        None,
        ["dig", "--municipalities", "Gol,Ål", "--split", "shapely"],
        "'shapley'",
    ),
    ("cli-top-too-many", None, ["partners", "Gol", "--top", "999999"], "--top"),
    ("form-misspelt", lambda f: _sam(f, form=["vertskomune"]), [], "did you mean 'vertskommune'"),
    (
        "cli-legal-form-area",
        None,
        ["legal-form", "--areas", "bredbånnd"],
        "did you mean 'bredband'",
    ),
]


@pytest.mark.parametrize("case, breaker, args, expected", CASES, ids=[c[0] for c in CASES])
def test_broken_input_is_one_line_exit_2_and_writes_nothing(
    runner, tiny_folder, tmp_path, case, breaker, args, expected
):
    out = tmp_path / "resultat"
    out.mkdir()
    if breaker is not None:
        breaker(tiny_folder)
        argv = ["validate", "--data", str(tiny_folder)]
    else:
        argv = [a.replace("OUT", str(out / "x")) for a in args]
    before = sorted(p.name for p in tiny_folder.iterdir())
    res = runner.invoke(main, argv)
    assert res.exit_code == 2, (case, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    assert expected in res.output, (case, res.output)
    problems = [ln for ln in res.stdout.splitlines() if ln] if breaker is not None else []
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error")]
    assert len(errors) == 1, res.stderr
    assert all("\n" not in p for p in problems)
    assert (
        sorted(p.name for p in tiny_folder.iterdir()) == before
    )  # nothing written next to the data
    assert list(out.iterdir()) == []  # nor at the output


def test_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("pair", ["Trondheim,Bodø", "Bergen,Tromsø", "Kinn,Tromsø"])
def test_far_apart_digging_is_answered_not_a_traceback(runner, pair):
    """These ended in UFuncNoLoopError (Float64 against str) before the one network."""
    res = runner.invoke(main, ["dig", "--municipalities", pair])
    assert res.exit_code == 0, (res.output, res.exception)
    assert "Felles grøft" in res.stdout


def test_an_assumption_is_said_out_loud(runner, tmp_path):
    """Valid but odd input runs, with one warning line that says what was assumed."""
    res = runner.invoke(main, ["dig", "--municipalities", "Gol,Ål", "--hub", "Bergen"])
    assert res.exit_code == 0
    warned = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
    assert any("4601 Bergen is not one of the municipalities" in ln for ln in warned), res.stderr
    out = tmp_path / "ny" / "mappe" / "k.csv"
    res = runner.invoke(main, ["partners", "Gol", "--top", "2", "-o", str(out)])
    assert res.exit_code == 0 and out.exists()
    assert f"warning: {out.parent}: the folder did not exist; created it" in res.stderr


def test_write_error_names_the_users_path(runner, tmp_path):
    blocked = tmp_path / "fil"
    blocked.write_text("x")
    target = blocked / "klynger.csv"  # a file where a folder should be
    res = runner.invoke(main, ["clusters", "--county", "Agder", "-o", str(target)])
    assert res.exit_code == 2
    assert str(target) in res.stderr and ".klynger." not in res.stderr


@pytest.mark.parametrize("seed", [*range(30), 284])  # 284 found an infinite year once
def test_fuzzed_embedded_tables_never_give_a_traceback(runner, tmp_path, seed):
    """Seeded mutations of the real tables: exit 0, or exit 2 with one line per problem (longer run:
    ``python benchmarks/fuzz_validate.py``)."""
    from .fuzzing import mutate

    what = mutate(tmp_path, seed)
    res = runner.invoke(main, ["validate", "--data", str(tmp_path)])
    assert res.exit_code in (0, 2), (what, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), (what, res.exception)
    assert "Traceback" not in res.output, what
    if res.exit_code == 2:
        assert sum(ln.startswith("Error") for ln in res.stderr.splitlines()) == 1, (
            what,
            res.stderr,
        )
