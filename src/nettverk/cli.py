"""The ``nettverk`` command line: thin subcommands over the library."""

from __future__ import annotations

import json
import logging
import sys
import warnings
from pathlib import Path

import click

from ._errors import NettverkError

__all__ = ["main"]

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


def output_option(suffixes: tuple[str, ...], required: bool = False):
    """``-o FILE`` whose extension picks the format."""

    def check(ctx, param, value):
        if value is not None and value.suffix.lower() not in suffixes:
            raise click.BadParameter(
                f"{value}: unsupported extension {value.suffix or '(none)'!r}; use one of "
                f"{', '.join(suffixes)}"
            )
        return value

    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        required=required,
        callback=check,
        help=f"Output file; the extension picks the format ({', '.join(suffixes)}).",
    )


def _load(data_dir: Path | None):
    from .dataset import load_default, read_dataset

    if data_dir is None:
        return load_default()
    if not data_dir.exists():
        raise NettverkError(f"--data {data_dir}: folder not found; check the path")
    return read_dataset(data_dir)


def _nok(value: float) -> str:
    """Format a number with thin spaces as thousands separators, the Norwegian way."""
    from .columns import number_text

    return number_text(value)


def _split_codes(value: str | None) -> list[str]:
    from ._types import split_list

    return split_list(value)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nettverk")
@click.option("-v", "--verbose", count=True, help="More messages.")
@click.option("-q", "--quiet", count=True, help="Fewer messages.")
@click.option(
    "--excel-csv",
    is_flag=True,
    help="Write .csv for Norwegian Excel (semicolons, decimal commas, UTF-8 with BOM) instead of "
    "plain CSV.",
)
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int, excel_csv: bool) -> None:
    """Analyse the collaboration network between Norwegian municipalities.

    Runs offline on the embedded 2024 data (Kartverket, SSB, Wikidata; see geodata/README.md)
    or on your own data with --data DIR.
    """
    verbosity = verbose - quiet
    logging.basicConfig(level=max(10, 30 - 10 * verbosity), format="%(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["verbosity"] = verbosity
    ctx.obj["excel_csv"] = excel_csv


@main.command()
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def info(data_dir: Path | None, as_json: bool) -> None:
    """Summarise the data: municipalities, collaborations and the municipality graph."""
    from .overview import dataset_summary, dataset_summary_lines

    ds = _load(data_dir)
    out = dataset_summary(ds)
    if as_json:
        if ds.veger is not None and len(ds.veger):
            from .digging import corridor_topology

            out["korridorgraf"] = corridor_topology(ds)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(dataset_summary_lines(out)))


@main.command()
@data_option
def validate(data_dir: Path | None) -> None:
    """Check a data folder and list every problem, one per line (exit 2 if any)."""
    from ._errors import DataValidationError

    if data_dir is None:
        ds = _load(None)
        click.echo(f"OK: embedded data, {len(ds.kommuner)} kommuner")
        return
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ds = _load(data_dir)
    except DataValidationError as exc:
        for p in exc.problems:
            click.echo(p)
        click.echo(f"Error: {len(exc.problems)} problem(s) in {data_dir}", err=True)
        sys.exit(2)
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    used = ", ".join(f"{t}: {s}" for t, s in ds.sources.items())
    click.echo(
        f"OK: {data_dir}: {len(ds.kommuner)} kommuner, {len(ds.samarbeid)} samarbeid ({used})"
    )


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
            v = f"{v:.4%}"
        if isinstance(v, list):
            v = "; ".join(map(str, v))
        info[names.get(k, k)] = v
    return info


def _excel_csv() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("excel_csv"))


#: The shared digging totals as the "Sammendrag" sheet shows them.
def _write_out(df, output: Path | None, *, sheet: str | None = None, **run) -> None:
    if output is None:
        return
    from .io import write_result, write_tables

    if sheet and output.suffix.lower() == ".xlsx":
        write_tables({sheet: df}, output, run=_run_info(**run))
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


def _cell(value, kind: str) -> str:
    """One value as a planner reads it: Norwegian number format, ja/nei, whole names."""
    import math

    from .columns import number_text

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "bool" or isinstance(value, bool):
        return "ja" if bool(value) else "nei"
    if kind == "mnok":
        return number_text(float(value) / 1e6, 2)
    if kind in ("int", "m", "nok"):
        return _nok(float(value))
    if kind in ("float", "km"):
        return number_text(float(value), 2)
    if kind == "share":
        return f"{float(value):.1%}".replace(".", ",")
    return str(value)


def _table(df, cols: list[str], *, width: int | None = None) -> str:
    """Render columns as a text table: bokmål headers, Norwegian numbers (kinds from the column
    dictionary), and the last text column wrapped to the terminal's width, never cut."""
    import shutil
    import textwrap

    from .columns import lookup

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


@main.command()
@data_option
@click.option("--county", "counties", multiple=True, help="County by number or name (repeatable).")
@click.option("--municipalities", default=None, help="Comma-separated codes or names.")
@click.option("--min-members", type=click.IntRange(1), default=2, show_default=True)
@click.option("--max-members", type=click.IntRange(1, 16), default=10, show_default=True)
@click.option("--min-population", type=float, default=None)
@click.option("--max-population", type=float, default=None)
@click.option(
    "--include", default=None, help="Municipalities that must join a cluster (comma-separated)."
)
@click.option("--exclude", default=None, help="Municipalities kept out (comma-separated).")
@click.option(
    "--keep-together",
    multiple=True,
    help="A group that must stay together, comma-separated (repeatable).",
)
@click.option(
    "--keep-existing",
    default=None,
    help="Keep members of active collaborations in this area together (e.g. drift).",
)
@click.option(
    "--cross-county/--per-county",
    default=True,
    show_default=True,
    help="Let clusters cross county borders (default), or solve county by county.",
)
@click.option(
    "--objective",
    type=click.Choice(["affinity", "money"]),
    default="affinity",
    show_default=True,
    help="affinity: the fitted partner model; money: the cost model's net gain alone (for "
    "comparison).",
)
@_costs_option
@click.option(
    "--time-limit", type=click.FloatRange(0.1), default=None, help="Seconds for the exact search."
)
@output_option((".csv", ".geojson", ".gpkg", ".xlsx"))
def clusters(
    data_dir,
    counties,
    municipalities,
    min_members,
    max_members,
    min_population,
    max_population,
    include,
    exclude,
    keep_together,
    keep_existing,
    cross_county,
    objective,
    costs_file,
    time_limit,
    output,
):
    """Find contiguous candidate partner clusters that the partner model scores highest."""
    from .clusters import candidate_clusters, cluster_summary_lines

    ds = _load(data_dir)
    progress = sys.stderr.isatty()
    res = candidate_clusters(
        ds,
        counties=list(counties) or None,
        municipalities=_split_codes(municipalities) or None,
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        include=_split_codes(include),
        exclude=_split_codes(exclude),
        keep_together=[_split_codes(g) for g in keep_together],
        keep_existing=keep_existing,
        costs=costs_file,
        time_limit=time_limit,
        cross_county=cross_county,
        progress=progress,
        objective=objective,
    )
    a = res.attrs
    click.echo(
        _table(
            res,
            [
                "cluster_id",
                "n_members",
                "innbyggere",
                "net_gain_nok",
                "affinity_mean",
                "score",
                "member_names",
            ],
        )
    )
    click.echo("\n" + "\n".join(cluster_summary_lines(res)))
    _write_out(
        res,
        output,
        sheet="Klynger",
        status=a["status"],
        gap=a["gap"],
        objective=a["objective"],
        notes=a["notes"],
    )


@main.command()
@data_option
@click.argument("municipality")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--min-members", type=click.IntRange(1), default=2, show_default=True)
@click.option("--max-members", type=click.IntRange(2, 16), default=10, show_default=True)
@click.option("--min-population", type=float, default=None)
@click.option("--max-population", type=float, default=None)
@click.option(
    "--within-county", is_flag=True, help="Only partners in the municipality's own county."
)
@click.option(
    "--rank-by",
    type=click.Choice(["partition", "own", "total"]),
    default="partition",
    show_default=True,
    help="partition: the cluster of the best partition first, then by own log-odds; own: by the "
    "municipality's own log-odds; total: by the cluster's total score.",
)
@_costs_option
@output_option((".csv", ".geojson", ".gpkg", ".xlsx"))
def partners(
    data_dir,
    municipality,
    top,
    min_members,
    max_members,
    min_population,
    max_population,
    within_county,
    rank_by,
    costs_file,
    output,
):
    """Rank the contiguous clusters that contain MUNICIPALITY (code or name) as its partners.

    First MUNICIPALITY's cluster in the best partition of the area around it; then the clusters
    in which every member belongs, by MUNICIPALITY's own log-odds to the others (the partner
    model); ties by the cluster's total score.
    """
    from .clusters import partners as _partners

    ds = _load(data_dir)
    res = _partners(
        ds,
        municipality,
        top=top,
        min_members=min_members,
        max_members=max_members,
        min_population=min_population,
        max_population=max_population,
        costs=costs_file,
        within_county=within_county,
        rank_by=rank_by,
    )
    click.echo(
        _table(
            res,
            [
                "rank",
                "n_members",
                "innbyggere",
                "net_gain_nok",
                "own_log_odds",
                "score",
                "member_names",
            ],
        )
    )
    click.echo(_partners_footer(ds, res))
    _write_out(res, output, sheet="Partnere", Kommune=res.attrs.get("kommunenummer"))


def _partners_footer(ds, res) -> str:
    """One line in bokmål on how the partner list is ranked."""
    name = ds.kommuner.at[res.attrs["kommunenummer"], "kommunenavn"]
    rule = (
        "deretter etter kommunens egen tilknytning (log-odds) til de andre, der alle medlemmer "
        "hører til"
    )
    if res.attrs.get("rank_by") == "total":
        return "Rangert etter klyngens samlede poeng."
    if res.attrs.get("rank_by") == "own":
        return "Rangert " + rule.removeprefix("deretter ") + "."
    if res.attrs.get("no_natural_partner"):
        return (
            f"{name} har ingen naturlig partner blant naboene (ingen over terskelen τ); listen "
            "viser likevel klyngene med naboene, rangert etter kommunens egen tilknytning."
        )
    if res.attrs.get("alone_in_best_partition"):
        return (
            f"{name} står alene i den beste inndelingen av området rundt; listen er rangert "
            f"{rule.removeprefix('deretter ')}."
        )
    genitive = name + ("'" if name.endswith(("s", "x", "z")) else "s")
    return f"Rang 1 er {genitive} klynge i den beste inndelingen av området rundt; {rule}."


@main.command()
@data_option
@click.option(
    "--refit",
    is_flag=True,
    help="Fit the model on the data (with --data: your own collaboration register).",
)
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the refitted model to this JSON file.",
)
def model(data_dir, refit, save):
    """Show the partner model: each feature's coefficient with its standard error."""
    from .partner_model import fit_partner_model, load_partner_model

    if refit or data_dir is not None or save is not None:
        m = fit_partner_model(_load(data_dir))
        how = f"tilpasset nå på {'embedded data' if data_dir is None else data_dir}"
    else:
        m = load_partner_model()
        how = "levert med pakken"
    t = m.table()
    t = t.rename(
        columns={
            "feature": "egenskap",
            "label": "betydning",
            "coef": "koeffisient",
            "se": "standardfeil",
        }
    )
    click.echo(t.to_string(index=False))
    click.echo(
        f"\nPartnermodell ({how}): betinget logit over {m.n_sets} valgsett fra "
        f"{m.n_collaborations} samarbeid "
        f"({'; '.join(m.notes)}); log-likelihood {m.log_likelihood:.1f}; terskel for klynger tau = "
        f"{m.tau:.3f}; "
        f"dataversjon {m.data_version}."
    )
    click.echo(
        "Standardfeil er klyngerobuste per samarbeid. Positive koeffisienter gjør en partner mer "
        "sannsynlig."
    )
    if save is not None:
        from .io import atomic_path

        with atomic_path(save) as tmp:
            Path(tmp).write_text(m.to_json(), encoding="utf-8")
        click.echo(f"skrev {save}", err=True)


@main.command()
@_costs_option
def costs(costs_file):
    """Show the cost model: every parameter with its value, unit, basis and source."""
    from .costs import load_costs

    click.echo(load_costs(costs_file).describe().to_string(index=False))  # whole sources, never cut


@main.command()
@data_option
@click.option("--municipalities", required=True, help="Comma-separated codes or names.")
@click.option(
    "--hub", default=None, help="Hub municipality (default: the most populous member's centre)."
)
@click.option(
    "--sites",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Sites to connect (file).",
)
@click.option(
    "--routes",
    default=None,
    help="Existing routes to reuse: a file (GPKG, GeoJSON, Shapefile), or the scenario "
    "'statlige-veger' "
    "(empty ducts along every state road, a what-if).",
)
@_costs_option
@click.option(
    "--split",
    default="bird",
    show_default=True,
    help="bird, shapley, population or a hybrid like 30/70.",
)
@click.option(
    "--sensitivity",
    is_flag=True,
    help="Also solve at the low and high unit costs (one parameter at a time, and all together).",
)
@output_option((".gpkg", ".geojson", ".csv", ".xlsx"))
def dig(data_dir, municipalities, hub, sites, routes, costs_file, split, sensitivity, output):
    """Shared digging: one trench network to the hub vs each municipality alone."""
    from .digging import DIG_COLUMNS, shared_digging

    ds = _load(data_dir)
    r = shared_digging(
        ds,
        _split_codes(municipalities),
        hub=hub,
        sites=sites,
        routes=routes,
        costs=costs_file,
        split=split,
        progress=sys.stderr.isatty(),
    )
    click.echo(_table(r.per_municipality, DIG_COLUMNS))
    click.echo("\n" + "\n".join(r.summary_lines()))
    sens = None
    if sensitivity:
        from .digging import digging_sensitivity

        sens = digging_sensitivity(
            ds,
            _split_codes(municipalities),
            hub=hub,
            sites=sites,
            routes=routes,
            costs=costs_file,
            split=split,
            progress=sys.stderr.isatty(),
        )
        click.echo(
            "\nFølsomhet (enhetskostnader lav/høy fra kildene, én om gangen og alle samlet):"
        )
        cols = ["scenario", "value", "shared_nok", "saving_nok", "saving_share", "source"]
        click.echo(_table(sens, cols))
    if output is not None:
        from .io import write_digging

        write_digging(r, output, sensitivity=sens, run=_run_info(), excel_csv=_excel_csv())
        click.echo(f"skrev {output}", err=True)


@main.command()
@data_option
@click.argument("collaboration", required=False)
@click.option(
    "--area", default=None, help="Service area, e.g. drift (default: the area with most members)."
)
@click.option(
    "--candidates",
    default=None,
    help="Comma-separated codes or names (default: everyone outside the area).",
)
@click.option(
    "--key",
    default=None,
    help="equal, population, a/b (e.g. 30/70) or shares (default: the collaboration's own).",
)
@click.option(
    "--municipality", default=None, help="Rank every area this municipality could join instead."
)
@click.option(
    "--include-inactive", is_flag=True, help="Also evaluate historical or dissolved collaborations."
)
@click.option("--top", type=click.IntRange(1), default=10, show_default=True)
@_costs_option
@output_option((".csv", ".xlsx", ".geojson", ".gpkg"))
def join(
    data_dir,
    collaboration,
    area,
    candidates,
    key,
    municipality,
    include_inactive,
    top,
    costs_file,
    output,
):
    """What a newcomer changes for every member of COLLABORATION's area (or --municipality)."""
    ds = _load(data_dir)
    if municipality:
        if collaboration:
            raise NettverkError("give either COLLABORATION or --municipality, not both")
        _join_municipality(ds, municipality, key, costs_file, include_inactive, top, output)
        return
    if not collaboration:
        valid = ", ".join(ds.active_collaborations()["id"])
        raise NettverkError(
            f"name a collaboration (one of: {valid}) or use --municipality CODE_OR_NAME"
        )
    from .joining import joining_effect

    r = joining_effect(
        ds,
        collaboration,
        area=area,
        candidates=_split_codes(candidates) or None,
        key=key,
        costs=costs_file,
        include_inactive=include_inactive,
    )
    info = r.info
    click.echo(
        f"{info['navn']} ({info['samarbeid_id']}), område {info['omrade']}: "
        f"{len(info['members'])} medlemmer; nøkkel: {info['key_note']}"
    )
    for n in info["notes"]:
        click.echo(f"merk: {n}")
    click.echo(_table(_named_losers(r.candidates.head(top), ds), _JOIN_COLUMNS))
    best = r.candidates.iloc[0]
    click.echo(f"\nFør og etter for hvert medlem om {best['kommunenavn']} blir med:")
    click.echo(_table(r.member_table(best["candidate"]), _MEMBER_COLUMNS))
    if output is not None:
        from .io import write_result, write_tables

        if output.suffix.lower() == ".xlsx":
            run = _run_info(
                Samarbeid=info["navn"],
                Område=info["omrade"],
                Nøkkel=info["key_note"],
                notes=info["notes"],
            )
            write_tables({"kandidater": r.candidates, "medlemmer": r.members}, output, run=run)
        else:
            write_result(r.candidates, output, excel_csv=_excel_csv())
        click.echo(f"skrev {output}", err=True)


#: What ``join`` prints per candidate, and per member of the best one.
_JOIN_COLUMNS = [
    "rank",
    "kommunenavn",
    "tier",
    "affinity",
    "group_gain_nok",
    "newcomer_gain_nok",
    "members_change_nok",
    "dig_extra_nok",
    "win_win",
    "contiguous",
    "losers",
]
_MEMBER_COLUMNS = [
    "kommunenummer",
    "kommunenavn",
    "role",
    "share_before_nok",
    "share_after_nok",
    "change_nok",
    "loses",
]


def _join_municipality(ds, municipality, key, costs_file, include_inactive, top, output) -> None:
    """``join --municipality``: every area the municipality could join, best first."""
    from .joining import best_areas_for

    res = best_areas_for(
        ds, municipality, key=key, costs=costs_file, include_inactive=include_inactive
    )
    cols = ["rank", "samarbeid_id", "omrade"] + _JOIN_COLUMNS[2:]
    click.echo(_table(_named_losers(res.head(top), ds), cols))
    _write_out(res, output, sheet="Områder")


@main.command()
@data_option
@click.option("--municipalities", default=None, help="Comma-separated codes or names of the group.")
@click.option(
    "--collaboration", default=None, help="An existing collaboration (id or name) as the group."
)
@click.option("--county", default=None, help="A county as the group.")
@click.option("--areas", default="drift", show_default=True, help="Service areas, comma-separated.")
@click.option(
    "--needs",
    default="",
    help="Needs for the legal form, comma-separated (see `nettverk legal-form --help`).",
)
@click.option(
    "--hub",
    default=None,
    help="Hub of the shared digging network (default: the most populous member).",
)
@output_option((".html",), required=True)
def rapport(data_dir, municipalities, collaboration, county, areas, needs, hub, output):
    """The decision basis for a principle resolution for one group, as one page (HTML that prints on
    A4)."""
    from .io import atomic_path
    from .report import report

    ds = _load(data_dir)
    page = report(
        ds,
        municipalities=_split_codes(municipalities) or None,
        collaboration=collaboration,
        county=county,
        areas=_split_codes(areas) or ["drift"],
        needs=_split_codes(needs),
        hub=hub,
    )
    with atomic_path(output) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    click.echo(
        f"skrev {output} ({len(page.encode()) / 1e3:.0f} kB); åpne den i en nettleser, skriv ut på "
        "A4",
        err=True,
    )


@main.command("legal-form")
@click.option("--areas", required=True, help="Comma-separated service areas, e.g. bredband,drift.")
@click.option(
    "--needs", default="", help="Comma-separated needs, e.g. myndighetsutovelse,laneopptak."
)
@output_option((".csv", ".xlsx"))
def legal_form(areas, needs, output):
    """Rank the legal forms for a collaboration's areas and needs, with the reasons."""
    from .legal_forms import advise_legal_form

    res = advise_legal_form(areas=areas, needs=needs)
    for r in res.itertuples():
        mark = "" if r.suitable else "  [ikke egnet]"
        click.echo(f"{r.rank}. {r.navn} ({r.form}), poeng {r.score:g}{mark}")
        for x in r.reasons_for:
            click.echo(f"   + {x}")
        for x in r.reasons_against:
            click.echo(f"   - {x}")
        for x in r.warnings:
            click.echo(f"   ! {x}")
    _write_out(res, output)


@main.command()
@data_option
@click.option("--county", "counties", multiple=True, help="County by number or name (repeatable).")
@output_option((".xlsx", ".csv", ".gpkg"))
def overview(data_dir, counties, output):
    """The collaboration landscape: per municipality, coverage, gaps, overlaps and hubs."""
    from .bredband import coverage
    from .overview import overview as _overview
    from .overview import overview_summary_lines

    ds = _load(data_dir)
    o = _overview(ds, counties=list(counties) or None)
    kom = o["kommuner"]
    cov = coverage(ds).reset_index()
    click.echo("\n".join(overview_summary_lines(o, cov)))
    if output is not None:
        from .io import write_tables

        tables = dict(o)
        tables["bredband"] = cov
        if output.suffix.lower() == ".gpkg":
            import geopandas as gpd

            tables["kommuner"] = gpd.GeoDataFrame(
                kom,
                geometry=ds.kommuner.geometry.reindex(kom["kommunenummer"]).values,
                crs=ds.kommuner.crs,
            )
        for path in write_tables(tables, output):
            click.echo(f"skrev {path}", err=True)


@main.command("map")
@data_option
@click.argument("kind", type=click.Choice(["overview", "clusters", "dig", "join"]))
@click.option(
    "--county", "counties", multiple=True, help="County by number or name (overview, clusters)."
)
@click.option("--area", default=None, help="overview: colour by one area; join: the area to join.")
@click.option(
    "--municipalities", default=None, help="dig (and clusters): comma-separated codes or names."
)
@click.option("--hub", default=None, help="dig: hub municipality.")
@click.option("--split", default="bird", help="dig: bird, shapley, population or a/b.")
@click.option("--collaboration", default=None, help="join: collaboration id.")
@click.option("--min-members", type=click.IntRange(1), default=2, show_default=True)
@click.option("--max-members", type=click.IntRange(1, 16), default=10, show_default=True)
@click.option(
    "--keep-existing",
    default=None,
    help="clusters: keep active collaborations in this area together.",
)
@click.option("--top", type=click.IntRange(1), default=10, help="join: candidates to show.")
@click.option("--no-tiles", is_flag=True, help="No background tiles (offline screens).")
@_costs_option
@output_option((".html",), required=True)
def map_cmd(
    data_dir,
    kind,
    counties,
    area,
    municipalities,
    hub,
    split,
    collaboration,
    min_members,
    max_members,
    keep_existing,
    top,
    no_tiles,
    costs_file,
    output,
):
    """Save an interactive map (HTML, opens in a browser): overview, clusters, dig or join."""
    from . import maps

    m = maps.make_map(
        _load(data_dir),
        kind,
        counties=list(counties) or None,
        area=area,
        municipalities=_split_codes(municipalities) or None,
        hub=hub,
        split=split,
        collaboration=collaboration,
        min_members=min_members,
        max_members=max_members,
        keep_existing=keep_existing,
        top=top,
        tiles=None if no_tiles else "OpenStreetMap",
        costs=costs_file,
        progress=sys.stderr.isatty(),
    )
    maps.save_map(m, output)
    click.echo(
        f"skrev {output} ({output.stat().st_size / 1e6:.2f} MB); åpne den i en nettleser", err=True
    )


if __name__ == "__main__":  # python -m nettverk.cli
    main()
