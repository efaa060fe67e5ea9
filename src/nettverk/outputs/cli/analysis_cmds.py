"""The analysis commands: clusters, partners, dig, join, rapport."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nettverk._errors import NettverkError

from ._common import (
    members_options,
    AREAS_HELP,
    POP_HELP,
    _sensitivity_lines,
    sensitivity_option,
    _costs_option,
    _excel_csv,
    _load,
    _named_losers,
    _run_info,
    _split_codes,
    _table,
    _write_out,
    data_option,
    output_option,
)
from ._main import main


@main.command()
@data_option
@click.option("--county", "counties", multiple=True, help="County by number or name (repeatable).")
@click.option("--municipalities", default=None, help="Comma-separated codes or names.")
@members_options()
@click.option("--min-population", type=float, default=None, help=POP_HELP.format("Fewest"))
@click.option("--max-population", type=float, default=None, help=POP_HELP.format("Most"))
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
    help="Keep members of active collaborations in this area together: " + AREAS_HELP + ".",
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
@sensitivity_option
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
    sensitivity,
    output,
):
    """Find contiguous candidate partner clusters that the partner model scores highest."""
    from nettverk.analyses.clusters.candidates import candidate_clusters
    from nettverk.outputs.text import cluster_summary_lines

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
    extra = {}
    if sensitivity:
        from nettverk.analyses.group import economics_sensitivity

        groups = [m.split(",") for m in res.loc[res["n_members"] > 1, "members"]]
        sens = economics_sensitivity(ds, groups, costs=costs_file)
        click.echo("\nFølsomhet: samlet netto gevinst for klyngene med flere medlemmer")
        click.echo("\n".join(_sensitivity_lines(sens, "net_gain_nok")))
        extra["Følsomhet"] = sens
    _write_out(
        res,
        output,
        sheet="Klynger",
        extra=extra,
        status=a["status"],
        gap=a["gap"],
        objective=a["objective"],
        notes=a["notes"],
    )


@main.command()
@data_option
@click.argument("municipality")
@click.option(
    "--top",
    type=click.IntRange(1, 200),
    default=10,
    show_default=True,
    help="How many clusters to list (at most 200; each is drawn with its members' area).",
)
@members_options(least_max=2)
@click.option("--min-population", type=float, default=None, help=POP_HELP.format("Fewest"))
@click.option("--max-population", type=float, default=None, help=POP_HELP.format("Most"))
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
    from nettverk.analyses.clusters import partners as _partners

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
        "deretter etter hvor sterkt kommunen selv henger sammen med de andre, der alle medlemmer "
        "hører til"
    )
    if res.attrs.get("rank_by") == "total":
        return "Rangert etter klyngens samlede modellskår."
    if res.attrs.get("rank_by") == "own":
        return "Rangert " + rule.removeprefix("deretter ") + "."
    if res.attrs.get("no_natural_partner"):
        return (
            f"{name} har ingen naturlig partner blant naboene (ingen over modellens terskel); "
            "listen viser likevel klyngene med naboene, rangert etter kommunens egen tilknytning."
        )
    if res.attrs.get("alone_in_best_partition"):
        return (
            f"{name} står alene i den beste inndelingen av området rundt; listen er rangert "
            f"{rule.removeprefix('deretter ')}."
        )
    genitive = name + ("'" if name.endswith(("s", "x", "z")) else "s")
    line = f"Rang 1 er {genitive} klynge i den beste inndelingen av området rundt; {rule}."
    # as under clusters: where the money says rank 1 does not pay, why it is not larger
    apart = res.attrs.get("partition_apart_reason")
    loses = bool(len(res)) and res["best_partition"].iloc[0] and res["net_gain_nok"].iloc[0] < 0
    return line + (f"\nHvorfor rang 1 er en egen klynge: den {apart}." if apart and loses else "")


@main.command()
@data_option
@click.option("--municipalities", default=None, help="Comma-separated codes or names.")
@click.option(
    "--county", default=None, help="All municipalities of a county (number or name), e.g. Troms."
)
@click.option(
    "--hub",
    default=None,
    help="Hub municipality (default: the most populous member's centre; with --sites households "
    "the nearest existing fibre, in the settlements).",
)
@click.option(
    "--sites",
    default="centres",
    show_default=True,
    help="What to connect: centres (one per municipality), settlements (every settlement of at "
    "least 200 residents), households (those lacking gigabit: your own mapping where steder has "
    "husstander, else an estimate from the population grid), or a file of sites.",
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
def dig(
    data_dir, municipalities, county, hub, sites, routes, costs_file, split, sensitivity, output
):
    """Shared digging: one trench network to the hub vs each municipality alone."""
    from nettverk.analyses.digging.result import DIG_COLUMNS
    from nettverk.analyses.digging.shared import SITE_KINDS, shared_digging

    ds = _load(data_dir)
    if bool(municipalities) == bool(county):
        raise NettverkError("give either --municipalities or --county (one of them)")
    members = ds.county_codes(county) if county else _split_codes(municipalities)
    if sites not in SITE_KINDS:
        sites = Path(sites)
    r = shared_digging(
        ds,
        members,
        hub=hub,
        sites=sites,
        routes=routes,
        costs=costs_file,
        split=split,
        progress=sys.stderr.isatty(),
    )
    cols = DIG_COLUMNS + (
        ["households_passed", "nok_per_household_passed"]
        if "households_passed" in r.per_municipality.columns
        else []
    )
    click.echo(_table(r.per_municipality, cols))
    click.echo("\n" + "\n".join(r.summary_lines()))
    sens = None
    if sensitivity:
        from nettverk.analyses.digging.shared import digging_sensitivity

        sens = digging_sensitivity(
            ds,
            members,
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
        cols = ["scenario", "value", "dig_shared_nok", "dig_saving_nok", "saving_share", "source"]
        click.echo(_table(sens, cols))
    if output is not None:
        from nettverk.outputs.writers import write_digging

        write_digging(
            r,
            output,
            sensitivity=sens,
            run=_run_info(),
            excel_csv=_excel_csv(),
            areas=ds.kommuner.geometry,
        )
        click.echo(f"skrev {output}", err=True)


@main.command()
@data_option
@click.argument("collaboration", required=False)
@click.option(
    "--area",
    default=None,
    help="Service area (default: the area with most members): " + AREAS_HELP + ".",
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
@click.option(
    "--top",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="How many candidates (municipalities) to list.",
)
@_costs_option
@sensitivity_option
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
    sensitivity,
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
    from nettverk.analyses.joining.evaluate import joining_effect

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
        f"{len(info['members'])} medlemmer; "
        + (
            f"nøkkel: {info['key_note']}"
            if info["money"]
            else "regionråd eller nettverk: samordning uten felles budsjett, vurdert uten kroner"
        )
    )
    for n in info["notes"]:
        click.echo(f"merk: {n}")
    cols = _JOIN_COLUMNS
    if not info["money"]:  # no budget to share: no kroner in the table
        from nettverk.analyses.joining.evaluate import MONEY_COLUMNS

        cols = [c for c in cols if c not in MONEY_COLUMNS and c not in ("win_win", "losers")]
    click.echo(_table(_named_losers(r.candidates.head(top), ds), cols))
    best = r.candidates.iloc[0]
    extra = {}
    if info["money"]:
        click.echo(f"\nFør og etter for hvert medlem om {best['kommunenavn']} blir med:")
        click.echo(_table(r.member_table(best["candidate"]), _MEMBER_COLUMNS))
        if sensitivity:
            extra["Følsomhet"] = _join_sensitivity(ds, info, best, key, costs_file)
    if output is not None:
        from nettverk.outputs.writers import write_result, write_tables

        if output.suffix.lower() == ".xlsx":
            run = _run_info(
                Samarbeid=info["navn"],
                Område=info["omrade"],
                Nøkkel=info["key_note"],
                notes=info["notes"],
            )
            sheets = {"Kandidater": r.candidates, "Medlemmer": r.members, **extra}
            write_tables(sheets, output, run=run)
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
    "borders_area",
    "joins_parts",
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


def _join_sensitivity(ds, info, best, key, costs_file):
    """``join --sensitivity``: the best candidate's gain at each end of every range."""
    from nettverk.analyses.joining.evaluate import joining_sensitivity

    sens = joining_sensitivity(
        ds, info["samarbeid_id"], best["candidate"], area=info["omrade"], key=key, costs=costs_file
    )
    click.echo(f"\nFølsomhet: {best['kommunenavn']}s gevinst ved innmelding")
    click.echo("\n".join(_sensitivity_lines(sens, "newcomer_gain_nok")))
    return sens


def _join_municipality(ds, municipality, key, costs_file, include_inactive, top, output) -> None:
    """``join --municipality``: every area the municipality could join, best first."""
    from nettverk.analyses.joining.evaluate import best_areas_for

    res = best_areas_for(
        ds, municipality, key=key, costs=costs_file, include_inactive=include_inactive
    )
    name = ds.kommuner.at[ds.code(municipality), "kommunenavn"]
    now = res.loc[res["must_leave"], ["omrade", "current_collaborations"]].drop_duplicates()
    for r in now.itertuples(index=False):
        click.echo(
            f"{name} er med i {r.current_collaborations} for {r.omrade} i dag: gevinsten er "
            f"regnet mot andelen der, og {name} må gå ut av det for å bli med i et annet."
        )
    cols = ["rank", "samarbeid_id", "omrade"] + _JOIN_COLUMNS[2:]
    cols.insert(cols.index("newcomer_gain_nok") + 1, "gain_vs_current_nok")
    click.echo(_table(_named_losers(res.head(top), ds), cols))
    _write_out(res, output, sheet="Områder")
