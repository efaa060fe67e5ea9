"""Seeded mutations of the embedded data files, for the fuzz test and
``benchmarks/fuzz_validate.py``.

Each mutation copies one embedded table into a folder and breaks it one way: truncate it, drop,
swap or rename columns, write text where numbers go, duplicate or shuffle rows, blank cells,
change the encoding or the separator, or flip bytes. ``validate`` must answer each with exit 0
or exit 2 and one line per problem, never a traceback.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from nettverk.data.dataset import get_path

TABLES = ("samarbeid.csv", "medlemskap.csv", "pendling.csv")
KINDS = (
    "truncate",
    "drop_column",
    "swap_columns",
    "rename_column",
    "text_in_numbers",
    "duplicate_rows",
    "blank_cells",
    "encoding",
    "separator",
    "flip_bytes",
    "shuffle_rows",
    "only_header",
)


def mutate(folder: Path, seed: int) -> str:
    """Write one broken table into ``folder``; return what was done."""
    rng = random.Random(seed)
    name = rng.choice(TABLES)
    kind = rng.choice(KINDS)
    src = get_path(name)
    raw = src.read_bytes()
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    out = folder / name
    cols = list(df.columns)
    if kind == "truncate":
        out.write_bytes(raw[: rng.randrange(0, len(raw))])
    elif kind == "flip_bytes":
        data = bytearray(raw)
        for _ in range(rng.randrange(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        out.write_bytes(bytes(data))
    else:
        if kind == "drop_column":
            df = df.drop(columns=rng.choice(cols))
        elif kind == "swap_columns":
            a, b = rng.sample(cols, 2)
            df = df.rename(columns={a: b, b: a})
        elif kind == "rename_column":
            df = df.rename(columns={rng.choice(cols): "kolonne_" + str(rng.randrange(100))})
        elif kind == "text_in_numbers":
            col = rng.choice(cols)
            rows = rng.sample(range(len(df)), min(len(df), rng.randrange(1, 5)))
            df.loc[rows, col] = rng.choice(["mange", "-1", "1e309", "NaN", "12,5,3", "ÆØÅ", "0x1F"])
        elif kind == "duplicate_rows":
            df = pd.concat([df, df.sample(n=min(len(df), rng.randrange(1, 5)), random_state=seed)])
        elif kind == "blank_cells":
            col = rng.choice(cols)
            rows = rng.sample(range(len(df)), min(len(df), rng.randrange(1, 10)))
            df.loc[rows, col] = ""
        elif kind == "shuffle_rows":
            df = df.sample(frac=1.0, random_state=seed)
        elif kind == "only_header":
            df = df.iloc[:0]
        if kind == "encoding":
            out.write_bytes(
                df.to_csv(index=False).encode(
                    rng.choice(["utf-16", "cp1252", "latin-1"]), errors="replace"
                )
            )
        elif kind == "separator":
            df.to_csv(out, index=False, sep=rng.choice([";", "\t", "|"]))
        else:
            df.to_csv(out, index=False)
    return f"{name}: {kind} (seed {seed})"
