"""``nettverk rapport``: the decision basis for a principle resolution, for one group, on one page.

The guide's first phase (forfase) ends with a decision basis for a principle resolution to
investigate collaboration (prinsippvedtak om å utrede samarbeid). :func:`report` writes it as one
self-contained HTML page in bokmål that opens offline and prints on A4: who the group is (a map with
names, population, the councils and collaborations the members already share, and the partner
model's view), what it gains (alone against together, each member's share under three keys, the
win-win test), the infrastructure (a shared digging network against each alone, low to high), the
legal form, what next (the guide's phases, preconditions and pitfalls, tied to what the data shows),
and the data's limits with the date. Plots are inline SVG: no script, no network, nothing to load.
"""

from __future__ import annotations

import datetime
import html

from nettverk._errors import NettverkError
from nettverk._types import Municipalities, Municipality, Terms
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import did_you_mean

from .decision import governance, resolution, summary
from .page import _CSS, _nok
from .sections import (
    lead_council,
    _form,
    _gains,
    _infrastructure,
    _next_steps,
    _sensitivity_appendix,
    _who,
)

__all__ = ["report"]


def _group(ds: Dataset, municipalities, collaboration, county) -> tuple[list[str], str]:
    given = [x for x in (municipalities, collaboration, county) if x]
    if len(given) != 1:
        raise NettverkError("give exactly one of municipalities, collaboration or county")
    if municipalities:
        codes = ds.codes(municipalities)
        return sorted(dict.fromkeys(codes)), ", ".join(
            ds.kommuner.loc[sorted(set(codes)), "kommunenavn"]
        )
    if collaboration:
        sam = ds.samarbeid
        hit = sam[
            (sam["id"] == collaboration)
            | (sam["navn"].str.casefold() == str(collaboration).casefold())
        ]
        if hit.empty:
            raise NettverkError(
                f"unknown collaboration {collaboration!r}"
                f"{did_you_mean(collaboration, list(sam['id']) + list(sam['navn'].astype(str)))}; "
                "`nettverk samarbeid` lists the ids"
            )
        cid = hit.iloc[0]["id"]
        codes = sorted(
            set(ds.medlemskap.loc[ds.medlemskap["samarbeid_id"] == cid, "kommunenummer"])
        )
        return codes, str(hit.iloc[0]["navn"])
    codes = ds.county_codes(county)
    return codes, str(ds.kommuner.loc[codes[0], "fylkesnavn"])


def report(
    ds: Dataset,
    *,
    municipalities: Municipalities | None = None,
    collaboration: str | None = None,
    county: str | None = None,
    areas: Terms = ("drift",),
    needs: Terms = (),
    hub: Municipality | None = None,
    sensitivity: bool = False,
    appendices: bool = True,
) -> str:
    """The decision basis for a principle resolution, as one self-contained HTML page (bokmål).

    Give one of ``municipalities`` (codes or names), ``collaboration`` (id or name) or ``county``.
    The decision basis fits two A4 pages: a summary box, then seven sections, each from one
    function: who (:func:`_who`), gains (:func:`_gains`), infrastructure
    (:func:`_infrastructure`), legal form (:func:`_form`), what next (:func:`_next_steps`),
    governance (:func:`~.decision.governance`) and the draft resolution every member council can
    adopt word for word (:func:`~.decision.resolution`), and the limits. The detail follows on
    new pages as appendices (Vedlegg A: numbers per member, B: legal forms, C with
    ``sensitivity``: the gain at the ends of every range); ``appendices=False`` leaves them out.

    Examples
    --------
    >>> page = report(nv.load_default(), municipalities=["Gol", "Ål", "Hol"])
    >>> after_svg = page.split("</svg>")[-1]
    >>> "Beslutningsgrunnlag" in page and "<script" not in page and "http://" not in after_svg
    True
    """
    members, title = _group(ds, municipalities, collaboration, county)
    if len(members) < 2:
        raise NettverkError("a report needs a group of at least two municipalities")
    areas = list(areas) or ["drift"]
    pop = {c: int(ds.kommuner.at[c, "innbyggere"]) for c in members}
    today = datetime.date.today().isoformat()
    who, who_app, council_of = _who(ds, members, pop)
    gains, gains_app, verdicts, money = _gains(ds, members, pop, areas)
    infra, infra_app, dig = _infrastructure(ds, members, hub)
    form, form_app, form_code, form_name = _form(areas, needs)
    lead = lead_council(ds, members, council_of)
    coordinator = (
        f"{html.escape(lead)} koordinerer arbeidet." if lead else "styringsgruppen velger leder."
    )
    parts = [
        f"<h1>Beslutningsgrunnlag for prinsippvedtak om å utrede samarbeid</h1>"
        f"<p class='lead'><b>{html.escape(title)}</b>: {len(members)} kommuner, "
        f"{_nok(sum(pop.values()), 'kr')} innbyggere. Laget {today} med nettverk på åpne data "
        f"(Kartverket, SSB, Wikidata, kjente samarbeid og regionråd).</p>",
        summary(ds, members, money, verdicts, dig, form_name),
        who,
        gains,
        infra,
        form,
        _next_steps(ds, members, council_of, verdicts, dig),
        governance(ds, members, areas, form_code, form_name, dig),
        resolution(ds, members, areas, verdicts, coordinator),
        "<p class='small'><b>Forbehold.</b> Samarbeidsdataene er ikke et fullstendig register; "
        "regionråd har en sikkerhet per medlemskap (se geodata/README.md). Kostnadsmodellen bygger "
        "delvis på antakelser (nettverk costs), partnermodellen er tilpasset på kjente samarbeid "
        "(nettverk model). Gravekostnad gjelder trasé mellom kommunesentre. Data: 2024-kommuner. "
        f"Dato: {today}.</p>",
    ]
    if appendices:
        parts.append(
            "<section class='vedlegg'><h2>Vedlegg A: Tall per kommune</h2>"
            + who_app
            + gains_app
            + infra_app
            + "</section><section class='vedlegg'><h2>Vedlegg B: Juridisk form, alle grunner"
            "</h2>" + form_app + "</section>"
        )
        if sensitivity:
            parts.append(_sensitivity_appendix(ds, members, areas[0]))
    return (
        f"<!DOCTYPE html><html lang='nb'><head><meta charset='utf-8'><title>{html.escape(title)} – "
        f"beslutningsgrunnlag</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
