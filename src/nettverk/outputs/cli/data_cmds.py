"""The commands about data and models: info, validate, model, costs, legal-form, overview, map."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import click

from nettverk.data.vocab import FORMS as _FORMS

from ._common import (
    members_options,
    AREAS_HELP,
    NEEDS_HELP,
    _costs_option,
    _table,
    _excel_csv,
    _load,
    _run_info,
    _split_codes,
    _write_out,
    data_option,
    output_option,
)
from ._main import main


@main.command()
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def info(data_dir: Path | None, as_json: bool) -> None:
    """Summarise the data: municipalities, collaborations and the municipality graph."""
    from nettverk.analyses.overview import dataset_summary, dataset_summary_lines

    ds = _load(data_dir)
    out = dataset_summary(ds)
    if as_json:
        if ds.veger is not None and len(ds.veger):
            from nettverk.models.trench import corridor_topology

            out["korridorgraf"] = corridor_topology(ds)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(dataset_summary_lines(out)))


@main.command()
@data_option
def validate(data_dir: Path | None) -> None:
    """Check a data folder and list every problem, one per line (exit 2 if any)."""
    from nettverk._errors import DataValidationError

    if data_dir is None:
        ds = _load(None)
        click.echo(f"OK: embedded data, {len(ds.kommuner)} kommuner")
        return
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ds = _load(data_dir)
            if ds.sources.get("befolkning", "embedded") != "embedded":
                ds.befolkning  # the user's grid is read on first use: check it now
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


#: The partner model's kinds of collaboration (stored in its notes) in bokmål.
_KIND_WORDS = {"council": "regionråd", "ikt": "IKT-drift", "digi": "digitaliseringsnettverk"}


def _kind_words(note: str) -> str:
    """``council: 55 samarbeid`` as ``regionråd: 55 samarbeid``."""
    kind, _, rest = note.partition(":")
    return f"{_KIND_WORDS.get(kind, kind)}:{rest}" if rest else note


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
    from nettverk.models.partner.model import fit_partner_model, load_partner_model

    if refit or data_dir is not None or save is not None:
        m = fit_partner_model(_load(data_dir))
        how = f"tilpasset nå på {'de innebygde dataene' if data_dir is None else data_dir}"
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
    from nettverk.data.columns import number_text

    for col, decimals in (("koeffisient", 4), ("standardfeil", 4), ("z", 2)):
        if col in t.columns:
            t[col] = [number_text(v, decimals) for v in t[col]]
    click.echo(t.to_string(index=False))
    click.echo(
        f"\nPartnermodell ({how}): betinget logit over {m.n_sets} valgsett fra "
        f"{m.n_collaborations} samarbeid ({'; '.join(map(_kind_words, m.notes))}); log-likelihood "
        f"{number_text(m.log_likelihood, 1)}; terskel for klynger τ = {number_text(m.tau, 3)}; "
        f"dataversjon {m.data_version}."
    )
    click.echo(
        "Standardfeil er klyngerobuste per samarbeid. Positive koeffisienter gjør en partner mer "
        "sannsynlig."
    )
    if save is not None:
        from nettverk._files import atomic_path

        with atomic_path(save) as tmp:
            Path(tmp).write_text(m.to_json(), encoding="utf-8")
        click.echo(f"skrev {save}", err=True)


@main.command()
@_costs_option
@output_option((".csv", ".xlsx"))
def costs(costs_file, output):
    """Show the cost model: every parameter with its value, low-high range, unit, basis and source.

    -o costs.csv|xlsx writes the table with the columns parameter, value, low, high, unit, basis,
    source.
    """
    from nettverk.models.costs import load_costs
    from nettverk.outputs.text import cost_lines

    table = load_costs(costs_file).describe()
    click.echo("\n".join(cost_lines(table)))
    _write_out(table, output, sheet="Kostnadsmodell")


@main.command("legal-form")
@click.option("--areas", required=True, help="Comma-separated service areas: " + AREAS_HELP + ".")
@click.option("--needs", default="", help="Comma-separated needs: " + NEEDS_HELP + ".")
@output_option((".csv", ".xlsx"))
def legal_form(areas, needs, output):
    """Rank the legal forms for a collaboration's areas and needs, with the reasons."""
    from nettverk.models.legal_forms import advise_legal_form

    res = advise_legal_form(areas=areas, needs=needs)
    for r in res.itertuples():
        mark = "" if r.suitable else "  [ikke egnet]"
        score = f"{r.score:g}".replace(".", ",")
        click.echo(f"{r.rank}. {r.navn} ({r.form}), poeng {score}{mark}")
        for x in r.reasons_for:
            click.echo(f"   + {x}")
        for x in r.reasons_against:
            click.echo(f"   - {x}")
        for x in r.warnings:
            click.echo(f"   ! {x}")
    # the score here is the rules' sum, not the partner model's: its own column name and label
    _write_out(res.rename(columns={"score": "form_score"}), output, sheet="Juridisk form")


#: The overview's tables as workbook sheets.
OVERVIEW_SHEETS = {
    "kommuner": "Kommuner",
    "fylker_omrader": "Dekning per fylke og område",
    "mangler": "Mangler",
    "overlapp": "Overlapp",
    "knutepunkter": "Knutepunkter",
    "bredband": "Bredbåndsdekning",
}


@main.command()
@data_option
@click.option("--county", "counties", multiple=True, help="County by number or name (repeatable).")
@output_option((".xlsx", ".csv", ".gpkg"))
def overview(data_dir, counties, output):
    """The collaboration landscape: per municipality, coverage, gaps, overlaps and hubs."""
    from nettverk.analyses.overview import overview as _overview
    from nettverk.analyses.overview import overview_summary_lines
    from nettverk.data.broadband import coverage

    ds = _load(data_dir)
    o = _overview(ds, counties=list(counties) or None)
    kom = o["kommuner"]
    cov = coverage(ds).reset_index()
    click.echo("\n".join(overview_summary_lines(o, cov)))
    if output is not None:
        from nettverk.outputs.writers import write_tables

        tables = dict(o)
        tables["bredband"] = cov
        if output.suffix.lower() == ".xlsx":  # sheets a planner reads; layers keep machine names
            tables = {OVERVIEW_SHEETS.get(k, k): v for k, v in tables.items()}
        if output.suffix.lower() == ".gpkg":
            import geopandas as gpd

            tables["kommuner"] = gpd.GeoDataFrame(
                kom,
                geometry=ds.kommuner.geometry.reindex(kom["kommunenummer"]).values,
                crs=ds.kommuner.crs,
            )
        for path in write_tables(tables, output, run=_run_info(), excel_csv=_excel_csv()):
            click.echo(f"skrev {path}", err=True)


@main.command("map")
@data_option
@click.argument("kind", type=click.Choice(["overview", "clusters", "dig", "join"]))
@click.option(
    "--county", "counties", multiple=True, help="County by number or name (overview, clusters)."
)
@click.option(
    "--area",
    default=None,
    help="overview: colour by one area; join: the area to join. One of " + AREAS_HELP + ".",
)
@click.option(
    "--municipalities", default=None, help="dig (and clusters): comma-separated codes or names."
)
@click.option("--hub", default=None, help="dig: hub municipality.")
@click.option("--split", default="bird", help="dig: bird, shapley, population or a/b.")
@click.option(
    "--collaboration", default=None, help="join: collaboration id (`nettverk samarbeid`)."
)
@members_options(prefix="clusters: ")
@click.option(
    "--keep-existing",
    default=None,
    help="clusters: keep active collaborations in this area together: " + AREAS_HELP + ".",
)
@click.option(
    "--top", type=click.IntRange(1), default=10, help="join: candidates (municipalities) to show."
)
@click.option(
    "--sites",
    type=click.Choice(["centres", "settlements", "households"]),
    default="centres",
    show_default=True,
    help="dig: what to connect (households draws the population grid too).",
)
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
    sites,
    no_tiles,
    costs_file,
    output,
):
    """Save an interactive map (HTML, opens in a browser): overview, clusters, dig or join."""
    from nettverk.outputs import maps

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
        sites=sites,
        tiles=None if no_tiles else "OpenStreetMap",
        costs=costs_file,
        progress=sys.stderr.isatty(),
    )
    maps.save_map(m, output)
    from nettverk.data.columns import number_text

    click.echo(
        f"skrev {output} ({number_text(output.stat().st_size / 1e6, 2)} MB); åpne den i en "
        "nettleser",
        err=True,
    )


@main.command()
@data_option
@click.option("--county", default=None, help="Only collaborations with a member in this county.")
@click.option(
    "--area",
    default=None,
    help="Only those with this service area: " + AREAS_HELP + ".",
)
@click.option("--form", default=None, help="Only this legal form: " + ", ".join(_FORMS) + ".")
@output_option((".xlsx", ".csv"))
def samarbeid(data_dir, county, area, form, output):
    """List the collaborations in the data: id (for --collaboration), name, legal form, areas,
    members, host, status and years."""
    from nettverk.analyses.overview import collaboration_table

    table = collaboration_table(_load(data_dir), county=county, area=area, form=form)
    cols = ["id", "navn", "form", "n_medlemmer", "status", "medlemmer"]
    click.echo(_table(table, cols))
    click.echo(f"{len(table)} samarbeid; bruk id-en med --collaboration")
    _write_out(table, output, sheet="Samarbeid")
