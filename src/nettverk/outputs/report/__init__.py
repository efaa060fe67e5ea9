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

from .page import _CSS, _nok
from .sections import (
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
                "see `nettverk info --json` for the ids"
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
) -> str:
    """The decision basis for a principle resolution, as one self-contained HTML page (bokmål).

    Give one of ``municipalities`` (codes or names), ``collaboration`` (id or name) or ``county``.
    The page has five sections and the limits, each from one function: who (:func:`_who`), gains
    (:func:`_gains`), infrastructure (:func:`_infrastructure`), legal form (:func:`_form`) and
    what next (:func:`_next_steps`).

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
    pop = {c: int(ds.kommuner.at[c, "innbyggere"]) for c in members}
    today = datetime.date.today().isoformat()
    who, council_of = _who(ds, members, pop)
    gains, verdicts = _gains(ds, members, pop, areas)
    infra, dig = _infrastructure(ds, members, hub)
    parts = [
        f"<h1>Beslutningsgrunnlag for prinsippvedtak om å utrede samarbeid</h1>"
        f"<p class='lead'><b>{html.escape(title)}</b>: {len(members)} kommuner, "
        f"{_nok(sum(pop.values()), 'kr')} innbyggere. Laget {today} med nettverk på åpne data "
        f"(Kartverket, SSB, Wikidata, kjente samarbeid og regionråd).</p>",
        who,
        gains,
        infra,
        _form(areas, needs),
        _next_steps(ds, members, council_of, verdicts, dig),
        "<section><h2>Forbehold</h2><p class='small'>Samarbeidsdataene er ikke et fullstendig "
        "register; "
        "regionråd har en sikkerhet per medlemskap (se geodata/README.md). Kostnadsmodellen bygger "
        "delvis på "
        "antakelser (nettverk costs), partnermodellen er tilpasset på kjente samarbeid (nettverk "
        "model). "
        "Gravekostnad gjelder trasé mellom kommunesentre. Data: 2024-kommuner. Dato: "
        f"{today}.</p></section>",
    ]
    if sensitivity:
        parts.append(_sensitivity_appendix(ds, members, list(areas)[0] if areas else "drift"))
    return (
        f"<!DOCTYPE html><html lang='nb'><head><meta charset='utf-8'><title>{html.escape(title)} – "
        f"beslutningsgrunnlag</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
