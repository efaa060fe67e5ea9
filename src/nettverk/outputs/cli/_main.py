"""The ``nettverk`` command group."""

from __future__ import annotations

import logging
import sys

import click

from ._common import _Group

__all__ = ["main"]


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
