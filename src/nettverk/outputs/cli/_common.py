"""What the commands share: errors as one line, options, loading, tables."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import click

from nettverk._errors import NettverkError

log = logging.getLogger("nettverk")


class _Group(click.Group):
    """Turn library errors into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    return super().invoke(ctx)
                finally:
                    for w in caught:
                        if issubclass(w.category, UserWarning):
                            click.echo(f"warning: {w.message}", err=True)
        except (
            NettverkError
        ) as exc:  # bad input: one line, exit 2; anything else is a bug (traceback, exit 1)
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except (
            click.UsageError
        ) as exc:  # a misused option or command: one line too, not click's four
            _usage_error(ctx, exc)
        except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
            click.echo(f"Error: {exc.filename or ''}: {exc.strerror}; check the path", err=True)
            ctx.exit(2)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _usage_error(ctx, exc)


def _usage_error(ctx: click.Context, exc: click.UsageError) -> None:
    """Say what was misused on one line, with where to read more, and exit 2."""
    where = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
    msg = " ".join(exc.format_message().split())
    click.echo(f"Error: {msg} (see '{where} --help')", err=True)
    ctx.exit(2)


def data_option(f):
    """``--data DIR``: the user's own data folder (default: the embedded data)."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder with your own data (kommuner.gpkg, samarbeid.csv, ...); default: embedded "
        "2024 data.",
    )(f)


def _vocab_help() -> tuple[str, str]:
    from nettverk.data.vocab import AREAS
    from nettverk.models.legal_forms import NEEDS

    return ", ".join(AREAS), ", ".join(NEEDS)


#: The valid values of the vocabulary options, for ``--help``.
AREAS_HELP, NEEDS_HELP = _vocab_help()
#: ``--min-population``/``--max-population``.
POP_HELP = "{} inhabitants (innbyggere) per cluster."


def members_options(*, least_max: int = 1, prefix: str = ""):
    """``--min-members``/``--max-members`` (municipalities per cluster, at most 16), one wording
    for clusters, partners and the clusters map; ``least_max`` is the smallest ``--max-members``.
    """
    fewest, most = ("fewest", "most") if prefix else ("Fewest", "Most")
    lo = click.option(
        "--min-members",
        type=click.IntRange(1),
        default=2,
        show_default=True,
        help=f"{prefix}{fewest} municipalities per cluster.",
    )
    hi = click.option(
        "--max-members",
        type=click.IntRange(least_max, 16),
        default=10,
        show_default=True,
        help=f"{prefix}{most} municipalities per cluster.",
    )
    return lambda f: lo(hi(f))


def output_option(suffixes: tuple[str, ...], required: bool = False, excel_flag: bool = True):
    """``-o FILE`` whose extension picks the format (with ``--excel-csv`` where it writes CSV)."""

    def check(ctx, param, value):
        if value is not None and value.suffix.lower() not in suffixes:
            raise click.BadParameter(
                f"{value}: unsupported extension {value.suffix or '(none)'!r}; use one of "
                f"{', '.join(suffixes)}"
            )
        return value

    out = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        required=required,
        callback=check,
        help=f"Output file; the extension picks the format ({', '.join(suffixes)}).",
    )
    if ".csv" not in suffixes or not excel_flag:
        return out

    def excel_flag(ctx, param, value):
        if value:
            ctx.find_root().ensure_object(dict)["excel_csv"] = True
        return value

    flag = click.option(
        "--excel-csv",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=excel_flag,
        help="Write .csv for Norwegian Excel: semicolons, decimal commas, UTF-8 with BOM, the "
        "workbook's headers, codes kept as text.",
    )
    return lambda f: flag(out(f))


def _load(data_dir: Path | None):
    from nettverk.data.loading import load_default, read_dataset

    if data_dir is None:
        return load_default()
    if not data_dir.exists():
        raise NettverkError(f"--data {data_dir}: folder not found; check the path")
    return read_dataset(data_dir)


def _nok(value: float) -> str:
    """Format a number with thin spaces as thousands separators, the Norwegian way."""
    from nettverk.data.columns import number_text

    return number_text(value)


def _split_codes(value: str | None) -> list[str]:
    from nettverk._types import split_list

    return split_list(value)


def _costs_option(f):
    return click.option(
        "--costs",
        "costs_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="TOML file overriding cost-model parameters (see `nettverk costs`).",
    )(f)


def _run_info(**extra) -> dict:
    """What the "Kjøring" sheet says: the command as typed, and what the result states."""
    ctx = click.get_current_context(silent=True)
    path = []
    c = ctx
    while c is not None and c.parent is not None:
        path.insert(0, c.info_name)
        c = c.parent
    info = {"Kommando": " ".join(["nettverk", *path])}
    if ctx is not None:
        given = []
        for p in ctx.command.params:
            v = ctx.params.get(p.name)
            if v in (None, (), [], False) or v == p.default or p.name == "output":
                continue
            shown = ",".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
            given.append(
                f"{p.opts[0] if p.opts else p.name}={shown}"
                if p.param_type_name == "option"
                else shown
            )
        info["Valg"] = " ".join(given) or "standard"
    names = {
        "status": "Status",
        "gap": "Optimalitetsgap",
        "objective": "Sum poeng",
        "notes": "Merknader",
    }
    for k, v in extra.items():
        if v is None or v == [] or v == "":
            continue
        if k == "gap" and isinstance(v, float):
            from nettverk.data.columns import percent_text

            v = percent_text(v, 4)
        if isinstance(v, list):
            v = "; ".join(map(str, v))
        info[names.get(k, k)] = v
    return info


def _excel_csv() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("excel_csv"))


#: The shared digging totals as the "Sammendrag" sheet shows them.
def _write_out(
    df, output: Path | None, *, sheet: str | None = None, extra: dict | None = None, **run
) -> None:
    """Write a result by the output's extension; ``extra`` sheets go after it in a workbook."""
    if output is None:
        return
    from nettverk.outputs.writers import write_result, write_tables

    if sheet and output.suffix.lower() == ".xlsx":
        write_tables({sheet: df, **(extra or {})}, output, run=_run_info(**run))
    elif extra and output.suffix.lower() == ".csv":
        write_tables({sheet or "resultat": df, **extra}, output, excel_csv=_excel_csv())
    else:
        write_result(df, output, run=_run_info(**run), excel_csv=_excel_csv())
    click.echo(f"skrev {output}", err=True)


def _named_losers(df, ds):
    """The ``losers`` column with names instead of codes, for reading."""
    names = ds.kommuner["kommunenavn"]
    out = df.copy()
    out["losers"] = [
        ", ".join(names.get(c, c) for c in str(v).split(",") if c) for v in out["losers"]
    ]
    return out


def _table(df, cols: list[str], *, width: int | None = None) -> str:
    """Render columns as a text table: bokmål headers, Norwegian numbers (kinds from the column
    dictionary), and the last text column wrapped to the terminal's width, never cut."""
    import shutil
    import textwrap

    from nettverk.data.columns import cell_text as _cell
    from nettverk.data.columns import lookup

    width = width or shutil.get_terminal_size(fallback=(120, 24)).columns
    heads = [lookup(c).label for c in cols]
    kinds = [lookup(c).kind for c in cols]
    rows = [[_cell(v, k) for v, k in zip(r, kinds)] for r in df[cols].itertuples(index=False)]
    # a header may wrap onto several lines (at spaces), a value never does except the last text
    # column
    w = [
        max([len(r[i]) for r in rows] + [max(len(x) for x in h.split()), 4])
        for i, h in enumerate(heads)
    ]
    w = [max(wi, min(len(h), 14)) for wi, h in zip(w, heads)]
    numeric = [k not in ("text",) for k in kinds]
    last = len(cols) - 1
    room = max(20, width - sum(w[:last]) - 2 * last)
    wrap_last = kinds[last] == "text" and w[last] > room
    if wrap_last:
        w[last] = max(room, len(heads[last]))

    def line(cells: list[str]) -> list[str]:
        parts = (
            textwrap.wrap(cells[last], w[last], break_on_hyphens=False)
            if wrap_last
            else [cells[last]]
        )
        parts = parts or [""]
        first = [c.rjust(w[i]) if numeric[i] else c.ljust(w[i]) for i, c in enumerate(cells[:last])]
        out = ["  ".join(first + [parts[0]])]
        pad = " " * (sum(w[:last]) + 2 * last)
        out += [pad + p for p in parts[1:]]
        return out

    head_lines = [
        textwrap.wrap(h, w[i], break_on_hyphens=False) or [""] for i, h in enumerate(heads)
    ]
    if wrap_last or len(heads[last]) <= w[last]:
        head_lines[last] = [heads[last]]
    depth = max(len(h) for h in head_lines)
    text = []
    for k in range(depth):
        cells = [(h[k] if k < len(h) else "") for h in head_lines]
        first = [c.rjust(w[i]) if numeric[i] else c.ljust(w[i]) for i, c in enumerate(cells[:last])]
        text.append("  ".join(first + [cells[last]]))
    for r in rows:
        text += line(r)
    return "\n".join(t.rstrip() for t in text)


#: ``--sensitivity`` for the commands that put money on a group.
sensitivity_option = click.option(
    "--sensitivity",
    is_flag=True,
    help="Also show the yearly gain with every cost-model range at its low and high end (one at "
    "a time) and all at the least and most favourable end (Excel: a 'Følsomhet' sheet).",
)


def _sensitivity_lines(table, value: str) -> list[str]:
    """A sensitivity table in bokmål: the case, the parameter's value and the yearly amount."""
    from nettverk.data.columns import number_text
    from nettverk.models.costs import LABELS

    lines = [f"{'Tilfelle':<40}{'Verdi':>12}{'MNOK/år':>12}"]
    for r in table.itertuples(index=False):
        v = "" if r.value is None or r.value != r.value else number_text(r.value, 2)
        case = r.scenario
        if r.parameter in LABELS:
            case = f"{LABELS[r.parameter]}, {'lav' if r.level == 'low' else 'høy'}"
        amount = number_text(getattr(r, value) / 1e6, 1)
        lines.append(f"{case[:39]:<40}{v:>12}{amount:>12}")
    return lines
