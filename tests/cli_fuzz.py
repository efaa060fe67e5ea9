"""Seeded command lines for the CLI fuzz test and ``benchmarks/fuzz_cli.py``.

Each seed draws one command with random counties, municipality lists (real, misspelt, codes,
nonsense), option values (in range, out of range, the wrong type) and output paths (every
extension, a folder that does not exist, a folder where a file should be). Whatever is drawn, the
CLI must answer with exit 0, or exit 2 and one line; never a traceback.
"""

from __future__ import annotations

import random
from pathlib import Path

COUNTIES = [
    "Buskerud",
    "Agder",
    "Telemark",
    "Vestfold",
    "Østfold",
    "Oslo",
    "46",
    "Vestlandd",
    "99",
    "",
]
NAMES = [
    "Gol",
    "Ål",
    "Hol",
    "Hemsedal",
    "Flå",
    "Nesbyen",
    "Vang",
    "Lillesand",
    "Grimstad",
    "Arendal",
    "Værøy",
    "Røst",
    "Moskenes",
    "Solund",
    "Gulen",
    "Utsira",
    "Karmøy",
    "Oslo",
    "Bergen",
    "Tromsø",
    "Bodø",
    "Trondheim",
    "Kinn",
    "Herøy",
    "Nes",
    "Gool",
    "Atlantis",
    "3324",
    "301",
    "0301",
    "12345",
    "",
    " ",
    "Gol;Ål",
    "Våler (Innlandet)",
]
COLLABS = [
    "hallingdal-ikt",
    "ikt-agder",
    "ssikt",
    "regionradet-hallingdal",
    "ddo",
    "hallingdal-it",
    "x",
]
AREAS = ["drift", "bredband", "strategi", "drfit", "kaffe", ""]
NEEDS = ["raske_beslutninger", "sterk_eierstyring", "salg_til_andre", "raskk", ""]
SPLITS = ["bird", "shapley", "population", "30/70", "50/50", "30/80", "fair", "-1/101"]
NUMBERS = ["0", "1", "2", "3", "5", "-1", "1e309", "nan", "abc", "999999", "2.5"]
EXTENSIONS = [".csv", ".xlsx", ".gpkg", ".geojson", ".html", ".txt", ""]


def _names(rng: random.Random, k: int) -> str:
    return ",".join(rng.choice(NAMES) for _ in range(k))


def _output(rng: random.Random, tmp: Path, allowed: tuple[str, ...]) -> list[str]:
    roll = rng.random()
    if roll < 0.5:
        return []
    ext = rng.choice(allowed) if rng.random() < 0.8 else rng.choice(EXTENSIONS)
    if roll < 0.8:
        return ["-o", str(tmp / f"ut{ext}")]
    if roll < 0.9:
        return ["-o", str(tmp / "finnes" / "ikke" / f"ut{ext}")]
    blocked = tmp / "fil"
    blocked.write_text("x")
    return ["-o", str(blocked / f"ut{ext}")]  # a file where a folder should be


def command(seed: int, tmp: Path) -> list[str]:
    """One command line for ``seed`` (writing only under ``tmp``)."""
    rng = random.Random(seed)
    kind = rng.choice(
        [
            "info",
            "clusters",
            "partners",
            "dig",
            "join",
            "join-m",
            "legal-form",
            "overview",
            "map",
            "costs",
            "model",
            "validate",
            "samarbeid",
        ]
    )
    tables = (".csv", ".xlsx", ".gpkg", ".geojson")
    if kind == "info":
        return ["info"] + (["--json"] if rng.random() < 0.5 else [])
    if kind == "clusters":
        argv = [
            "clusters",
            "--county",
            rng.choice(COUNTIES),
            "--max-members",
            rng.choice(NUMBERS[:6]),
        ]
        if rng.random() < 0.3:
            argv += ["--objective", rng.choice(["money", "affinity", "penger"])]
        return argv + ["--time-limit", "20"] + _output(rng, tmp, tables)
    if kind == "partners":
        argv = ["partners", rng.choice(NAMES), "--top", rng.choice(NUMBERS)]
        if rng.random() < 0.3:
            argv += ["--rank-by", rng.choice(["partition", "own", "total", "best"])]
        return argv + _output(rng, tmp, tables)
    if kind == "dig":
        argv = ["dig", "--municipalities", _names(rng, rng.randint(1, 3))]
        if rng.random() < 0.4:
            argv += ["--hub", rng.choice(NAMES)]
        if rng.random() < 0.4:
            argv += ["--split", rng.choice(SPLITS)]
        return argv + _output(rng, tmp, (".csv", ".xlsx", ".gpkg", ".geojson"))
    if kind == "join":
        argv = ["join", rng.choice(COLLABS), "--top", rng.choice(NUMBERS)]
        if rng.random() < 0.5:
            argv += ["--area", rng.choice(AREAS)]
        if rng.random() < 0.2:
            argv += ["--key", rng.choice(SPLITS)]
        return argv + _output(rng, tmp, tables)
    if kind == "join-m":
        return ["join", "--municipality", rng.choice(NAMES), "--top", rng.choice(NUMBERS[:5])]
    if kind == "legal-form":
        argv = ["legal-form", "--areas", ",".join(rng.sample(AREAS, rng.randint(1, 2)))]
        if rng.random() < 0.5:
            argv += ["--needs", rng.choice(NEEDS)]
        return argv + _output(rng, tmp, (".csv", ".xlsx"))
    if kind == "overview":
        return ["overview", "--county", rng.choice(COUNTIES)] + _output(
            rng, tmp, (".xlsx", ".gpkg")
        )
    if kind == "map":
        what = rng.choice(["overview", "clusters", "dig", "join", "kart"])
        argv = ["map", what, "--no-tiles"]
        if what in ("overview", "clusters"):
            argv += ["--county", rng.choice(COUNTIES[:6])]
        if what == "dig":
            argv += ["--municipalities", _names(rng, 2)]
        if what == "join":
            argv += ["--collaboration", rng.choice(COLLABS)]
        return argv + ["-o", str(tmp / f"kart{rng.choice(['.html', '.png', ''])}")]
    if kind == "validate":
        return ["validate", "--data", str(tmp / rng.choice(["finnes-ikke", ""]))]
    if kind == "samarbeid":
        return ["samarbeid", "--county", rng.choice(COUNTIES)]
    return [kind]
