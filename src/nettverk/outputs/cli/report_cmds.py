"""The commands that write a document for the group: rapport and kartlegging."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import (
    AREAS_HELP,
    NEEDS_HELP,
    _costs_option,
    _load,
    _split_codes,
    data_option,
    output_option,
    sensitivity_option,
)
from ._main import main


@main.command()
@data_option
@click.option("--municipalities", default=None, help="Comma-separated codes or names of the group.")
@click.option(
    "--collaboration",
    default=None,
    help="An existing collaboration (id or name; `nettverk samarbeid` lists them) as the group.",
)
@click.option("--county", default=None, help="A county as the group.")
@click.option(
    "--areas",
    default="drift",
    show_default=True,
    help="Service areas, comma-separated: " + AREAS_HELP + ".",
)
@click.option(
    "--needs",
    default="",
    help="Needs for the legal form, comma-separated: " + NEEDS_HELP + ".",
)
@click.option(
    "--hub",
    default=None,
    help="Hub of the shared digging network (default: the most populous member).",
)
@sensitivity_option
@output_option((".html",), required=True)
def rapport(
    data_dir, municipalities, collaboration, county, areas, needs, hub, sensitivity, output
):
    """The decision basis for a principle resolution for one group, as one page (HTML that prints on
    A4)."""
    from nettverk._files import atomic_path
    from nettverk.outputs.report import report

    ds = _load(data_dir)
    page = report(
        ds,
        municipalities=_split_codes(municipalities) or None,
        collaboration=collaboration,
        county=county,
        areas=_split_codes(areas) or ["drift"],
        needs=_split_codes(needs),
        hub=hub,
        sensitivity=sensitivity,
    )
    with atomic_path(output) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    click.echo(
        f"skrev {output} ({len(page.encode()) / 1e3:.0f} kB); åpne den i en nettleser, skriv ut på "
        "A4",
        err=True,
    )


@main.command()
@data_option
@click.option(
    "--municipalities", required=True, help="Comma-separated codes or names of the group."
)
@_costs_option
@output_option((".xlsx", ".csv"), required=True, excel_flag=False)
def kartlegging(data_dir, municipalities, costs_file, output):
    """Write the template for the members' own numbers (kartlegg nåsituasjonen).

    One row per municipality, pre-filled with the cost model's yearly ICT cost and its range,
    marked Kilde = modell, under bokmål headers (the Forklaring sheet gives each machine name).
    Fill in your own "IKT-driftskostnad per år (kr)" (and staff, systems, vendors, contract end,
    what stays in-house), put the file in your --data folder as kartlegging.xlsx or .csv, and
    every command uses your numbers (marked 'egne tall').
    """
    from nettverk.analyses.group import kartlegging_template
    from nettverk.outputs.writers import write_template

    ds = _load(data_dir)
    table = kartlegging_template(ds, _split_codes(municipalities), costs=costs_file)
    write_template(table, output, sheet="kartlegging")
    click.echo(
        f"{len(table)} kommuner; fyll inn egne tall i «IKT-driftskostnad per år (kr)» og sett "
        "«Kilde» til "
        "'egne tall'; legg filen i --data-mappen som kartlegging" + output.suffix.lower()
    )
    click.echo(f"skrev {output}", err=True)
